package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/zohohub/zohohub/internal/testenv"
)

// The web flow runs end to end against the emulator: consent, callback,
// tokens stored, accounts listed with them.
func TestWebFlowFileStore(t *testing.T) {
	out := runDemo(t, "-store", t.TempDir()+"/tokens.csv")
	for _, want := range []string{"Connected jane@zylker.example", "- Acme (", "- Zylker ("} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Index(out, "Acme") > strings.Index(out, "Zylker") {
		t.Errorf("accounts not ordered by name:\n%s", out)
	}
}

// The same flow with the tokens in MariaDB, as docs/token-stores.md shows.
// It fails, never skips, when the database is not reachable.
func TestWebFlowMySQLStore(t *testing.T) {
	dsn := testenv.MySQLDSN()
	table := fmt.Sprintf("webflow_test_%d", time.Now().UnixNano()%1e9)
	out := runDemo(t, "-mysql", dsn, "-mysql-table", table)
	if !strings.Contains(out, "- Zylker (") {
		t.Fatalf("no accounts listed:\n%s", out)
	}
	db, err := sqlx.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	defer db.Exec("DROP TABLE " + table)
	var users []string
	if err := db.Select(&users, "SELECT user_name FROM "+table+" WHERE refresh_token <> ''"); err != nil {
		t.Fatal(err)
	}
	if len(users) != 1 || users[0] != "jane@zylker.example" {
		t.Fatalf("stored users = %v, want [jane@zylker.example]", users)
	}
}

func runDemo(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, args, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	return out.String()
}
