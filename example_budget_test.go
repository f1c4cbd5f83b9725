package zohohub_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
)

// A client holds at most its response budget of answers at once; an
// answer larger than the whole budget is refused, not read into memory.
func ExampleWithResponseBudget() {
	// A broken server that answers with 2 MiB where Zoho answers a few KB.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`"` + strings.Repeat("a", 2<<20) + `"`))
	}))
	defer srv.Close()
	env, _ := auth.Custom(srv.URL, srv.URL, "")
	client, err := zohohub.New(zohohub.WithEnvironment(env), zohohub.WithTokenSource(auth.StaticToken("token")),
		zohohub.WithResponseBudget(1<<20))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = client.Do(context.Background(), &zohohub.Request{Path: "Accounts"})
	fmt.Println(errors.Is(err, zohohub.ErrResponseTooLarge))
	fmt.Println(err)
	// Output:
	// true
	// zohohub: GET Accounts: HTTP 200: response larger than the client's response budget of 1048576 bytes (WithResponseBudget)
}
