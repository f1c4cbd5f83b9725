package mysqlstore_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/zohohub/zohohub/internal/testenv"
	"github.com/zohohub/zohohub/persistence"
	"github.com/zohohub/zohohub/persistence/internal/storetest"
	"github.com/zohohub/zohohub/persistence/mysqlstore"
)

func TestStore(t *testing.T) {
	storetest.Store(t, newTestStore)
}

func TestLocker(t *testing.T) {
	storetest.Locker(t, newTestStore)
}

// Two stores on one table in one process (so two connection pools and no
// shared in-process mutex) exclude each other through GET_LOCK alone.
func TestLockerTwoStoresOneTable(t *testing.T) {
	ctx := context.Background()
	table := uniqueTable(t, openTestDB(t))
	a, err := mysqlstore.New(ctx, openTestDB(t), mysqlstore.WithTable(table))
	if err != nil {
		t.Fatal(err)
	}
	b, err := mysqlstore.New(ctx, openTestDB(t), mysqlstore.WithTable(table))
	if err != nil {
		t.Fatal(err)
	}
	key := persistence.Key{UserName: "u", ClientID: "c"}
	unlock, err := a.Lock(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	tctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if _, err := b.Lock(tctx, key); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second store took a held GET_LOCK: %v", err)
	}
	unlock()
	tctx, cancel = context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	unlockB, err := b.Lock(tctx, key)
	if err != nil {
		t.Fatalf("lock not released by unlock: %v", err)
	}
	unlockB()
}

func TestMultiProcessLock(t *testing.T) {
	const procs, rounds = 2, 30
	db := openTestDB(t)
	table := uniqueTable(t, db)
	s, err := mysqlstore.New(context.Background(), db, mysqlstore.WithTable(table))
	if err != nil {
		t.Fatal(err)
	}
	envs := make([][]string, procs)
	for i := range envs {
		envs[i] = []string{"ZH_DSN=" + testenv.MySQLDSN(), "ZH_TABLE=" + table, fmt.Sprintf("ZH_ROUNDS=%d", rounds)}
	}
	storetest.RunHelpers(t, "mysql-counter", envs)
	storetest.AssertCounter(t, s, storetest.CounterKey(), procs*rounds)
}

// The options every store takes (package persistence's) configure this
// store too, beside its own.
func TestPersistenceOptions(t *testing.T) {
	db := openTestDB(t)
	table := uniqueTable(t, db)
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, err := mysqlstore.New(context.Background(), db, mysqlstore.WithTable(table),
		persistence.WithLogger(logger), persistence.WithLockPollInterval(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "created token table") || !strings.Contains(logs.String(), table) {
		t.Fatalf("persistence.WithLogger's logger did not get the table creation: %q", logs.String())
	}
	unlock, err := s.Lock(context.Background(), persistence.Key{UserName: "u"})
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	if !strings.Contains(logs.String(), "token lock taken") {
		t.Fatalf("no lock message: %q", logs.String())
	}
}
