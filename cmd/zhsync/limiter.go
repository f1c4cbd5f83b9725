package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/zohohub/zohohub"
	"github.com/zohohub/zohohub/limiter/mysqllimit"
	"github.com/zohohub/zohohub/limiter/redislimit"
)

// openLimiter opens the org-wide limiter of -limiter: redis://HOST:PORT[/DB]
// or mysql:DSN, with -org-concurrency slots under -limiter-name. closeFn
// releases its connections.
func openLimiter(ctx context.Context, cfg *config) (lim zohohub.Limiter, closeFn func(), err error) {
	switch kind, rest, _ := strings.Cut(cfg.limiter, ":"); kind {
	case "redis", "rediss":
		opts, err := redis.ParseURL(cfg.limiter)
		if err != nil {
			return nil, nil, fmt.Errorf("-limiter: %w", err)
		}
		rdb := redis.NewClient(opts)
		if err := rdb.Ping(ctx).Err(); err != nil {
			rdb.Close()
			return nil, nil, fmt.Errorf("-limiter: Redis at %s: %w", opts.Addr, err)
		}
		l, err := redislimit.New(rdb, cfg.limiterName, cfg.orgConcurrency)
		if err != nil {
			rdb.Close()
			return nil, nil, err
		}
		return l, func() { rdb.Close() }, nil
	case "mysql":
		l, err := mysqllimit.Open(ctx, rest, cfg.limiterName, cfg.orgConcurrency)
		if err != nil {
			return nil, nil, err
		}
		return l, func() { l.Close() }, nil
	}
	return nil, nil, fmt.Errorf("-limiter %q: want redis://HOST:PORT or mysql:DSN", redactedLimiter(cfg.limiter))
}

// redactedLimiter is the -limiter value without what may be a password.
func redactedLimiter(s string) string {
	if i := strings.LastIndex(s, "@"); i >= 0 {
		return "…" + s[i:]
	}
	return s
}
