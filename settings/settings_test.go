package settings_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/schema"
	"github.com/zohohub/zohohub/settings"
	"github.com/zohohub/zohohub/spec"
	"github.com/zohohub/zohohub/zohotest"
)

// newClient returns an emulated org and a client for it that retries
// without waiting.
func newClient(t *testing.T, opts ...zohotest.Option) (*zohotest.Server, *zohohub.Client) {
	t.Helper()
	srv := zohotest.New(t, opts...)
	access, _ := srv.IssueToken()
	c, err := zohohub.New(zohohub.WithEnvironment(srv.Environment()), zohohub.WithTokenSource(auth.StaticToken(access)),
		zohohub.WithRetry(zohohub.RetryPolicy{MaxAttempts: 3}))
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func TestModulesAndFields(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, c := newClient(t)
	srv.FailNext("GET /crm/v8/settings/modules", 1, 500, "INTERNAL_ERROR") // the client's retries apply
	mods, err := settings.Modules(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(mods, func(m schema.Module) bool { return m.APIName == "Projects" })
	if i < 0 || mods[i].GeneratedType != "custom" || !mods[i].HoldsRecords() || mods[i].Fields != nil {
		t.Errorf("Projects in the list: %+v", mods)
	}

	leads, err := settings.Module(ctx, c, "Leads")
	if err != nil {
		t.Fatal(err)
	}
	if len(leads.Fields) == 0 || len(leads.Layouts) == 0 || len(leads.RelatedLists) == 0 || leads.CustomView == nil || leads.CustomView.Name != "All Leads" {
		t.Errorf("Leads with details: %d fields, %d layouts, %d related lists, view %+v", len(leads.Fields), len(leads.Layouts), len(leads.RelatedLists), leads.CustomView)
	}

	fields, err := settings.Fields(ctx, c, "Accounts")
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]schema.Field{}
	for _, f := range fields {
		byName[f.APIName] = f
	}
	name, revenue, parent := byName["Account_Name"], byName["Annual_Revenue"], byName["Parent_Account"]
	if !name.IsUnique() || !name.SystemMandatory || name.Length != 200 {
		t.Errorf("Account_Name: %+v", name)
	}
	if revenue.DecimalPlace == nil || *revenue.DecimalPlace != 2 || revenue.DataType != "currency" || revenue.JSONType != "double" {
		t.Errorf("Annual_Revenue: %+v", revenue)
	}
	if !slices.Equal(parent.LookupModules(), []string{"Accounts"}) {
		t.Errorf("Parent_Account points to %q", parent.LookupModules())
	}
	if len(byName["Industry"].PickListValues) < 2 || !byName["Created_Time"].IsReadOnly() {
		t.Errorf("Industry %+v, Created_Time %+v", byName["Industry"], byName["Created_Time"])
	}
	one, err := settings.Field(ctx, c, "Accounts", name.ID)
	if err != nil || one.APIName != "Account_Name" {
		t.Errorf("field by id: %+v, %v", one, err)
	}

	_, err = settings.Fields(ctx, c, "Leeds")
	if apiErr, ok := errors.AsType[*zohohub.APIError](err); !ok || apiErr.Code != "INVALID_MODULE" {
		t.Errorf("fields of an unknown module: %v", err)
	}
	_, err = settings.Field(ctx, c, "Accounts", "1")
	if apiErr, ok := errors.AsType[*zohohub.APIError](err); !ok || apiErr.Code != "INVALID_DATA" {
		t.Errorf("unknown field id: %v", err)
	}
}

func TestLayoutsRelatedListsViews(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, c := newClient(t)
	layouts, err := settings.Layouts(ctx, c, "Leads")
	if err != nil {
		t.Fatal(err)
	}
	required := 0
	for _, l := range layouts {
		for _, s := range l.Sections {
			for _, f := range s.Fields {
				if f.Required && f.APIName == "Last_Name" {
					required++
				}
			}
		}
	}
	if len(layouts) == 0 || layouts[0].Name == "" || required == 0 {
		t.Errorf("layouts of Leads: %d, Last_Name required in %d", len(layouts), required)
	}
	lists, err := settings.RelatedLists(ctx, c, "Accounts")
	if err != nil {
		t.Fatal(err)
	}
	if len(lists) == 0 || lists[0].Module.APIName == "" || !strings.Contains(lists[0].Href, "{ENTITYID}") || lists[0].SequenceNumber == 0 {
		t.Errorf("related lists of Accounts: %+v", lists)
	}
	views, err := settings.CustomViews(ctx, c, "Deals")
	if err != nil {
		t.Fatal(err)
	}
	if len(views) != 1 || views[0].Name != "All Deals" || views[0].SystemName != "ALLVIEWS" || views[0].Criteria != nil || len(views[0].Fields) == 0 {
		t.Fatalf("custom views of Deals: %+v", views)
	}
	view, err := settings.CustomView(ctx, c, "Deals", views[0].ID)
	if err != nil || view.ID != views[0].ID || view.SortOrder != "desc" {
		t.Errorf("custom view by id: %+v, %v", view, err)
	}
	// Zoho answers 204 for an unknown view.
	if _, err := settings.CustomView(ctx, c, "Deals", "1"); !errors.Is(err, zohohub.ErrNotFound) {
		t.Errorf("unknown custom view: %v", err)
	}
}

// withUsers is package spec's metadata with n users, every third one
// deactivated; the first is the current user.
func withUsers(t *testing.T, n int) zohotest.Option {
	t.Helper()
	fsys := fstest.MapFS{}
	err := fs.WalkDir(spec.Metadata(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(spec.Metadata(), path)
		fsys[path] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var users []map[string]any
	for i := range n {
		status := "active"
		if i%3 == 2 {
			status = "disabled"
		}
		users = append(users, map[string]any{"id": fmt.Sprint(5725767000000900000 + i), "full_name": fmt.Sprintf("User %d", i),
			"email": fmt.Sprintf("user%d@example.com", i), "status": status, "profile": map[string]any{"name": "Standard", "id": "1"}})
	}
	data, _ := json.Marshal(map[string]any{"users": users})
	fsys[schema.UsersFile] = &fstest.MapFile{Data: data}
	return zohotest.WithMetadata(fsys)
}

func TestUsers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, c := newClient(t, withUsers(t, 450))
	count := func(typ settings.UserType) (n, requests int) {
		srv.ResetRequests()
		for u, err := range settings.Users(ctx, c, typ) {
			if err != nil {
				t.Fatal(err)
			}
			if typ == settings.ActiveUsers && u.Status != "active" {
				t.Errorf("%s is %s", u.FullName, u.Status)
			}
			n++
		}
		return n, len(srv.Requests())
	}
	if n, reqs := count(settings.AllUsers); n != 450 || reqs != 3 {
		t.Errorf("all users: %d in %d requests, want 450 in 3", n, reqs)
	}
	if n, reqs := count(settings.ActiveUsers); n != 300 || reqs != 2 {
		t.Errorf("active users: %d in %d requests, want 300 in 2", n, reqs)
	}
	if n, reqs := count(settings.DeactiveUsers); n != 150 || reqs != 1 {
		t.Errorf("deactivated users: %d in %d requests, want 150 in 1", n, reqs)
	}
	if n, _ := count(settings.AdminUsers); n != 0 {
		t.Errorf("%d admins, want none", n)
	}
	// Stopping early asks for no further page.
	srv.ResetRequests()
	for range settings.Users(ctx, c, settings.AllUsers) {
		break
	}
	if reqs := len(srv.Requests()); reqs != 1 {
		t.Errorf("stopping after one user: %d requests", reqs)
	}

	me, err := settings.CurrentUser(ctx, c)
	if err != nil || me.FullName != "User 0" {
		t.Errorf("current user %+v, %v", me, err)
	}
	u, err := settings.User(ctx, c, "5725767000000900007")
	if err != nil || u.Email != "user7@example.com" {
		t.Errorf("user by id %+v, %v", u, err)
	}
	_, err = settings.User(ctx, c, "1")
	if apiErr, ok := errors.AsType[*zohohub.APIError](err); !ok || apiErr.Code != "INVALID_DATA" {
		t.Errorf("unknown user: %v", err)
	}
	for _, err := range settings.Users(ctx, c, "Everybody") {
		if apiErr, ok := errors.AsType[*zohohub.APIError](err); !ok || apiErr.Code != "INVALID_DATA" {
			t.Errorf("unknown user type: %v", err)
		}
	}
}

func TestOrg(t *testing.T) {
	t.Parallel()
	_, c := newClient(t)
	org, err := settings.Org(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if org.CompanyName != "Zylker" || org.ZGID == "" || org.ISOCode != "USD" || org.MaxPerPage != 200 || !org.LicenseDetails.Paid {
		t.Errorf("org %+v", org)
	}
}

// Answers that are not what a call expects are errors matching
// zohohub.ErrBadResponse, and a paged list whose info never ends stops at
// an empty page.
func TestBadAnswers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	hostile := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/crm/v8/settings/fields":
			w.Write([]byte(`{"data":[]}`))
		case "/crm/v8/settings/layouts":
			w.Write([]byte(`{"layouts":{"id":"1"}}`))
		case "/crm/v8/users":
			if r.URL.Query().Get("page") == "1" {
				w.Write([]byte(`{"users":[{"id":"1"}],"info":{"more_records":true}}`))
				return
			}
			w.Write([]byte(`{"users":[],"info":{"more_records":true}}`))
		case "/crm/v8/org":
			w.Write([]byte(`{"org":[{"id":"1"}],`))
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	t.Cleanup(hostile.Close)
	env, err := auth.Custom(hostile.URL, hostile.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	c, err := zohohub.New(zohohub.WithEnvironment(env), zohohub.WithTokenSource(auth.StaticToken("t")),
		zohohub.WithRetry(zohohub.RetryPolicy{MaxAttempts: 1}), zohohub.WithHTTPClient(&http.Client{Timeout: 10 * time.Second}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := settings.Fields(ctx, c, "Leads"); !errors.Is(err, zohohub.ErrBadResponse) || !strings.Contains(err.Error(), `no "fields" array`) {
		t.Errorf("envelope without fields: %v", err)
	}
	if _, err := settings.Layouts(ctx, c, "Leads"); !errors.Is(err, zohohub.ErrBadResponse) {
		t.Errorf("layouts not a list: %v", err)
	}
	if _, err := settings.Org(ctx, c); !errors.Is(err, zohohub.ErrBadResponse) {
		t.Errorf("truncated org: %v", err)
	}
	if _, err := settings.Module(ctx, c, "Leads"); !errors.Is(err, zohohub.ErrNotFound) {
		t.Errorf("204 for a module: %v", err)
	}
	if lists, err := settings.RelatedLists(ctx, c, "Leads"); err != nil || lists == nil || len(lists) != 0 {
		t.Errorf("204 for related lists: %v, %v", lists, err)
	}
	n := 0
	for _, err := range settings.Users(ctx, c, settings.AllUsers) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("%d users", n)
	}
}
