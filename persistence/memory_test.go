package persistence_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/zohohub/zohohub/persistence"
	"github.com/zohohub/zohohub/persistence/internal/storetest"
)

func TestMemory(t *testing.T) {
	storetest.Store(t, func(*testing.T) persistence.Store { return persistence.NewMemory() })
}

// The zero Memory is an empty store, like NewMemory's, not a nil-map panic.
func TestZeroMemory(t *testing.T) {
	var m persistence.Memory
	ctx := context.Background()
	tok := &persistence.Token{UserName: "u", ClientID: "c", AccessToken: "a"}
	if err := m.Save(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if got, err := m.Get(ctx, tok.Key()); err != nil || got.AccessToken != "a" {
		t.Fatalf("Get = %v, %v", got, err)
	}
}

// Printing or logging a Token, as a value or a pointer, shows no secret.
func TestTokenPrintsNoSecret(t *testing.T) {
	tok := &persistence.Token{ID: "1", UserName: "u@x", ClientID: "1000.C", ClientSecret: "SECRET-CS",
		RefreshToken: "SECRET-RT", AccessToken: "SECRET-AT", GrantToken: "SECRET-GT"}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("t", "token", tok, "value", *tok)
	out := fmt.Sprintf("%v %+v %#v %s %v %+v %#v", tok, tok, tok, tok, *tok, *tok, *tok) + logged.String()
	if strings.Contains(out, "SECRET") {
		t.Fatalf("secret printed: %s", out)
	}
	if !strings.Contains(out, "u@x") {
		t.Fatalf("key not printed: %s", out)
	}
}
