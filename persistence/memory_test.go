package persistence_test

import (
	"testing"

	"github.com/zohohub/zohohub/persistence"
)

func TestMemory(t *testing.T) {
	testStore(t, func(*testing.T) persistence.Store { return persistence.NewMemory() })
}
