package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"strings"
	"testing"
	"time"

	"github.com/zohohub/zohohub/mirror"
)

func TestCommandLineMistakesPrintTheUsage(t *testing.T) {
	t.Setenv("ZHSYNC_DSN", "")
	for _, tc := range []struct {
		args []string
		says string
	}{
		{nil, "missing -dsn and -modules"},
		{[]string{"-dsn", "postgres://x@h/db"}, "missing -modules"},
		{[]string{"-dsn", "postgres://x@h/db", "-modules", "Leads", "-once", "-watch"}, "exclude each other"},
		{[]string{"-dsn", "postgres://x@h/db", "-modules", "Leads", "-progress", "fancy"}, "-progress"},
		{[]string{"-dsn", "postgres://x@h/db", "-modules", "Leads", "extra"}, "unexpected arguments"},
		{[]string{"-dsn", "postgres://x@h/db", "-modules", "Leads", "-notify-url", "https://h/n"}, "-notify-url needs -watch"},
		{[]string{"-dsn", "postgres://x@h/db", "-modules", "Leads", "-watch", "-notify-url", "ftp://h/n"}, "the http(s) URL Zoho can POST to"},
		{[]string{"-dsn", "postgres://x@h/db", "-modules", "Leads", "-limiter", "redis://h:6379"}, "-limiter and -org-concurrency"},
		{[]string{"-dsn", "postgres://x@h/db", "-modules", "Leads", "-org-concurrency", "5"}, "-limiter and -org-concurrency"},
		{[]string{"-no-such-flag"}, "not defined"},
	} {
		var stderr bytes.Buffer
		err := run(context.Background(), tc.args, &bytes.Buffer{}, &stderr)
		if !errors.Is(err, errUsage) || !strings.Contains(stderr.String(), tc.says) {
			t.Errorf("%q: error %v, stderr %q; want the usage error saying %q", tc.args, err, stderr.String(), tc.says)
		}
	}
	if err := run(context.Background(), []string{"-h"}, &bytes.Buffer{}, &bytes.Buffer{}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v", err)
	}
}

func TestNoTokenIsAnError(t *testing.T) {
	t.Setenv("ZOHO_ACCESS_TOKEN", "")
	err := run(context.Background(), []string{"-dsn", "postgres://x@h/db", "-modules", "Leads"}, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "-token-store") {
		t.Fatalf("error %v, want one naming -token-store", err)
	}
}

func TestSummaryTable(t *testing.T) {
	var out bytes.Buffer
	left := 4321
	sum := mirror.Summary{Inserted: 3, Requests: 9, Credits: 58, CreditsRemaining: &left, Duration: 1500 * time.Millisecond, Modules: []mirror.ModuleStats{
		{Module: "Leads", Mode: mirror.ModeBulk, Read: 3, Inserted: 3, Requests: 9, Credits: 58, Watermark: time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC),
			AddedColumns: []string{"score__c"}, Incompatible: []string{"leads.rank is integer; field Rank now needs text"}},
		{Module: "Deals", Error: "mirror: fields of Deals: boom"},
	}}
	if err := report(&out, false, sum); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Leads                bulk", "2024-05-01T10:00:00Z", "added column score__c", "left alone: leads.rank", "error: mirror: fields of Deals: boom", "1.5s",
		"       9      58  2024-05-01", "API credits left (as Zoho reports them): 4321"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in\n%s", want, out.String())
		}
	}
}

func TestUnknownLimiterIsAnError(t *testing.T) {
	err := run(context.Background(), []string{"-dsn", "postgres://x@h/db", "-modules", "Leads", "-access-token", "t",
		"-api-domain", "http://127.0.0.1:1", "-limiter", "memcache://user:s3cret@h:11211", "-org-concurrency", "5"}, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "want redis://HOST:PORT or mysql:DSN") || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("error %v, want one naming the kinds of -limiter, without the password", err)
	}
}
