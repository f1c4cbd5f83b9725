package persistence_test

import (
	"context"
	"testing"

	"github.com/zohohub/zohohub/persistence"
)

func TestMemory(t *testing.T) {
	testStore(t, func(*testing.T) persistence.Store { return persistence.NewMemory() })
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
