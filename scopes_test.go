package zohohub_test

import (
	"context"
	"errors"
	"testing"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/auth"
	"github.com/zohohub/zohohub/modules"
	"github.com/zohohub/zohohub/persistence"
	"github.com/zohohub/zohohub/zohotest"
)

// A grant without ZohoCRM.coql.READ can list and search but not run a
// query that needs COQL; the error says so and no refresh is attempted.
func TestScopeMismatchIsTyped(t *testing.T) {
	ctx := context.Background()
	srv := zohotest.New(t)
	cfg := auth.Config{ClientID: srv.ClientID(), ClientSecret: srv.ClientSecret(), Environment: srv.Environment()}
	refreshes := 0
	tokens, err := auth.NewCache(cfg, persistence.NewMemory(), persistence.Key{UserName: "u"},
		auth.WithOnRefresh(func(*persistence.Token) { refreshes++ }))
	if err != nil {
		t.Fatal(err)
	}
	if err := tokens.Authorize(ctx, srv.NewGrantToken("ZohoCRM.modules.ALL")); err != nil {
		t.Fatal(err)
	}
	refreshes = 0 // OnRefresh also saw the exchange
	c, err := zohohub.New(zohohub.WithEnvironment(srv.Environment()), zohohub.WithTokenSource(tokens))
	if err != nil {
		t.Fatal(err)
	}
	leads := zohohub.Records[modules.Lead](c)
	if err := leads.Save(ctx, &modules.Lead{LastName: "Doe"}); err != nil {
		t.Fatalf("modules.ALL does not allow an insert: %v", err)
	}
	if _, err := leads.Where(modules.LeadLastName.Equals("Doe")).Limit(100).Collect(ctx); err != nil {
		t.Fatalf("search: %v", err)
	}
	_, err = leads.Query().OrderBy(string(modules.LeadLastName)).Collect(ctx) // COQL
	var apiErr *zohohub.APIError
	if !errors.Is(err, zohohub.ErrScopeMismatch) || errors.Is(err, zohohub.ErrInvalidToken) || !errors.As(err, &apiErr) || apiErr.StatusCode != 401 {
		t.Fatalf("COQL without coql.READ: %v", err)
	}
	if refreshes != 0 {
		t.Errorf("%d refreshes for a scope error", refreshes)
	}
}
