package zohohub_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/zohohub/zohohub/internal/testenv"
)

// The core links no database driver: a program that keeps its tokens in a
// file, in memory or in its own store carries neither go-sql-driver/mysql
// nor sqlx, however much of the root package, auth (Environment, the data
// centres, the token cache) and persistence it uses. Only the MySQL store,
// persistence/mysqlstore, links them. Nor does the core link go-redis:
// WithLimiter takes an interface, and only limiter/redislimit links it
// (limiter/mysqllimit links the MySQL driver, as the MySQL store does).
func TestCoreLinksNoDatabaseDriver(t *testing.T) {
	drivers := []string{"github.com/go-sql-driver/mysql", "github.com/jmoiron/sqlx", "github.com/redis/go-redis/v9"}
	deps := listDeps(t, ".", "./auth", "./persistence", "./persistence/mysqlstore")
	for _, pkg := range []string{"github.com/zohohub/zohohub", "github.com/zohohub/zohohub/auth", "github.com/zohohub/zohohub/persistence"} {
		for _, d := range append(drivers, "github.com/jackc/pgx/v5/stdlib") { // pgx: package mirror's PostgreSQL driver
			if slices.Contains(deps[pkg], d) {
				t.Errorf("%s depends on %s: the core must link no database driver (keep it in persistence/mysqlstore)", pkg, d)
			}
		}
	}
	var outside []string // what the root links beyond the standard library
	for _, d := range deps["github.com/zohohub/zohohub"] {
		if first, _, _ := strings.Cut(d, "/"); strings.Contains(first, ".") {
			outside = append(outside, d)
		}
	}
	t.Logf("the root package links, beyond the standard library: %s", strings.Join(outside, " "))
	for _, d := range drivers[:2] {
		if !slices.Contains(deps["github.com/zohohub/zohohub/persistence/mysqlstore"], d) {
			t.Errorf("persistence/mysqlstore does not depend on %s; update this test if the store changed driver", d)
		}
	}
}

// listDeps runs go list in the module and returns, for each package named,
// its import path and every package it depends on, directly or not (tests
// excluded).
func listDeps(t *testing.T, pkgs ...string) map[string][]string {
	t.Helper()
	args := append([]string{"list", "-f", "{{.ImportPath}} {{join .Deps \" \"}}"}, pkgs...)
	out, err := exec.Command(testenv.GoTool(t), args...).Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	deps := map[string][]string{}
	for line := range strings.Lines(string(out)) {
		fields := strings.Fields(line)
		if len(fields) > 0 {
			deps[fields[0]] = fields[1:]
		}
	}
	if len(deps) != len(pkgs) {
		t.Fatalf("go list answered for %d packages, want %d:\n%s", len(deps), len(pkgs), out)
	}
	return deps
}
