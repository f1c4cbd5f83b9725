package mirror_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/mirror"
)

// quotesServer is a Zoho CRM with a Quotes module whose records carry a
// subform (zohotest has no subforms): two quotes, and after the first
// pass the rows of one of them change.
func quotesServer(t *testing.T) (*zohohub.Client, *atomic.Bool) {
	t.Helper()
	changed := new(atomic.Bool)
	row := func(id, product string, qty float64) string {
		return fmt.Sprintf(`{"id":"%s","Product_Name":{"id":"4000","name":"%s"},"Quantity":%g}`, id, product, qty)
	}
	quote := func(id, subject, modified string, rows ...string) string {
		return fmt.Sprintf(`{"id":"%s","Subject":"%s","Modified_Time":"%s","Quoted_Items":[%s]}`, id, subject, modified, strings.Join(rows, ","))
	}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch p, q := r.URL.Path, r.URL.Query(); {
		case p == "/crm/v8/settings/fields" && q.Get("module") == "Quotes":
			fmt.Fprint(w, `{"fields":[{"api_name":"Subject","data_type":"text","json_type":"string","length":120},
				{"api_name":"Modified_Time","data_type":"datetime","json_type":"string"},
				{"api_name":"Quoted_Items","data_type":"subform","json_type":"jsonarray","associated_module":{"api_name":"Quoted_Items"}}]}`)
		case p == "/crm/v8/settings/fields" && q.Get("module") == "Quoted_Items":
			fmt.Fprint(w, `{"fields":[{"api_name":"Product_Name","data_type":"lookup","json_type":"jsonobject","lookup":{"module":{"api_name":"Products"}}},
				{"api_name":"Quantity","data_type":"double","json_type":"double"}]}`)
		case p == "/crm/v8/Quotes/actions/count":
			fmt.Fprint(w, `{"count":2}`)
		case p == "/crm/v8/Quotes" && r.Header.Get("If-Modified-Since") == "":
			fmt.Fprintf(w, `{"data":[%s,%s],"info":{"more_records":false}}`,
				quote("1001", "First", "2024-05-01T10:00:00+00:00", row("9001", "Widget", 2), row("9002", "Gadget", 1)),
				quote("1002", "Second", "2024-05-01T10:00:00+00:00", row("9003", "Widget", 5)))
		case p == "/crm/v8/Quotes" && changed.Load():
			fmt.Fprintf(w, `{"data":[%s],"info":{"more_records":false}}`,
				quote("1001", "First", "2024-05-02T10:00:00+00:00", row("9002", "Gadget", 3)))
		case p == "/crm/v8/Quotes":
			w.WriteHeader(http.StatusNotModified)
		case p == "/crm/v8/Quotes/deleted":
			w.WriteHeader(http.StatusNoContent)
		default:
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"code":"INVALID_URL_PATTERN","status":"error","message":"no","details":{}}`)
		}
	}))
	t.Cleanup(hs.Close)
	env, err := auth.Custom(hs.URL, hs.URL, hs.URL)
	if err != nil {
		t.Fatal(err)
	}
	c, err := zohohub.New(zohohub.WithEnvironment(env), zohohub.WithTokenSource(auth.StaticToken("t")))
	if err != nil {
		t.Fatal(err)
	}
	return c, changed
}

// TestSubformRowsInAChildTable mirrors a module with a subform: its rows
// land in a child table keyed by the record's id, and a record whose
// subform changed has its rows replaced, the other records' untouched.
func TestSubformRowsInAChildTable(t *testing.T) {
	ctx := context.Background()
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			c, changed := quotesServer(t)
			m, err := mirror.New(c, e.db, mirror.WithTablePrefix(e.prefix), mirror.WithClockSkew(0))
			if err != nil {
				t.Fatal(err)
			}
			rowsOf := func() string {
				var rows []string
				q := "SELECT CONCAT(_parent_id, ':', id, ':', _position, ':', product_name_id, ':', product_name_name, ':', quantity) FROM " +
					e.quote(e.prefix+"quotes__quoted_items") + " ORDER BY _parent_id, _position"
				if err := e.db.Select(&rows, q); err != nil {
					t.Fatal(err)
				}
				return strings.Join(rows, " ")
			}
			if _, err := m.Sync(ctx, "Quotes"); err != nil {
				t.Fatal(err)
			}
			if got, want := rowsOf(), "1001:9001:0:4000:Widget:2 1001:9002:1:4000:Gadget:1 1002:9003:0:4000:Widget:5"; got != want {
				t.Fatalf("child rows after the load:\n%s\nwant\n%s", got, want)
			}
			changed.Store(true)
			sum, err := m.Sync(ctx, "Quotes")
			if err != nil {
				t.Fatal(err)
			}
			if st := sum.Modules[0]; st.Read != 1 || st.Updated != 1 {
				t.Errorf("second pass %+v", st)
			}
			if got, want := rowsOf(), "1001:9002:0:4000:Gadget:3 1002:9003:0:4000:Widget:5"; got != want {
				t.Fatalf("child rows after the change:\n%s\nwant\n%s", got, want)
			}
		})
	}
}
