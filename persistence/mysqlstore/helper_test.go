package mysqlstore_test

import (
	"context"
	"os"
	"testing"

	"github.com/zohohub/zohohub/persistence"
	"github.com/zohohub/zohohub/persistence/internal/storetest"
	"github.com/zohohub/zohohub/persistence/mysqlstore"
)

// TestHelperProcess is not a test: it is the body of the processes
// TestMultiProcessLock starts. Run directly, it does nothing.
func TestHelperProcess(t *testing.T) {
	storetest.ServeHelper(map[string]func(context.Context) error{
		"mysql-counter": storetest.CountUnderLock(func(ctx context.Context) (persistence.Store, error) {
			return mysqlstore.Open(ctx, os.Getenv("ZH_DSN"), mysqlstore.WithTable(os.Getenv("ZH_TABLE")))
		}),
	})
}
