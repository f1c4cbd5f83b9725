// Package persistence stores OAuth tokens for zohohub: in memory, in a file,
// or in any type that implements [Store]. The MySQL store is package
// persistence/mysqlstore, apart so that programs that do not use it link no
// database driver.
//
// A store is read when a token is needed (at start, on refresh, after an
// invalidation), never on every API request: the token cache in package auth
// keeps the current access token in memory.
package persistence

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// ErrNotFound is returned by [Store.Get] when no token is stored under a key.
var ErrNotFound = errors.New("persistence: token not found")

// Key identifies one stored token: the user it acts for and the OAuth client
// it was issued to. UserName is free-form (the official SDKs use the user's
// email, or "email:zgid"); an empty UserName is a valid key.
type Key struct {
	UserName string
	ClientID string
}

// String returns the key as "user@client", for logs. It holds no secret.
func (k Key) String() string { return k.UserName + "@" + k.ClientID }

// Token is everything zohohub keeps about one user's authorization.
// Its fields mirror the official Zoho SDKs' token store columns, so a store
// can be shared with, or migrated from, those SDKs.
type Token struct {
	// ID is the store's own row id, assigned by the store when empty.
	ID           string
	UserName     string
	ClientID     string
	ClientSecret string
	RefreshToken string
	AccessToken  string
	// GrantToken is the one-time code the tokens were obtained with. It is
	// kept only so that re-running a program with the same grant token finds
	// the stored tokens instead of trying to exchange a spent code.
	GrantToken string
	// Expiry is when AccessToken stops working. The zero time means unknown.
	Expiry      time.Time
	RedirectURL string
	// APIDomain is the api_domain Zoho returned with the token, such as
	// "https://www.zohoapis.eu": the base URL of the user's data centre.
	APIDomain string
}

// Key returns the key the token is stored under.
func (t *Token) Key() Key { return Key{UserName: t.UserName, ClientID: t.ClientID} }

// Valid reports whether the access token is set and does not expire within
// the given margin of now.
func (t *Token) Valid(now time.Time, margin time.Duration) bool {
	if t == nil || t.AccessToken == "" {
		return false
	}
	return t.Expiry.IsZero() || now.Add(margin).Before(t.Expiry)
}

// Clone returns a copy of t that shares no memory with it.
func (t *Token) Clone() *Token {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}

// String describes the token by its key, id, expiry and API domain, never
// its secrets, so that printing a Token (%v, %+v, %s) cannot leak them.
func (t Token) String() string {
	return fmt.Sprintf("persistence.Token{ID:%q, Key:%s, Expiry:%s, APIDomain:%q, secrets redacted}",
		t.ID, t.Key(), t.Expiry.Format(time.RFC3339), t.APIDomain)
}

// GoString is String, for %#v.
func (t Token) GoString() string { return t.String() }

// LogValue logs the token without its secrets (see [slog.LogValuer]).
func (t Token) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", t.ID), slog.String("key", t.Key().String()),
		slog.Time("expiry", t.Expiry), slog.String("api_domain", t.APIDomain))
}

// Store keeps tokens. Implementations must be safe for concurrent use.
type Store interface {
	// Get returns the token stored under key, or an error that
	// errors.Is ErrNotFound.
	Get(ctx context.Context, key Key) (*Token, error)
	// Save inserts or replaces the token stored under tok.Key(). It assigns
	// tok.ID when it is empty.
	Save(ctx context.Context, tok *Token) error
	// Delete removes the token stored under key. Deleting a missing key is
	// not an error.
	Delete(ctx context.Context, key Key) error
	// List returns every stored token.
	List(ctx context.Context) ([]*Token, error)
	// DeleteAll removes every stored token.
	DeleteAll(ctx context.Context) error
}

// Locker is implemented by stores that several processes can share. Lock
// blocks until the caller holds an exclusive lock on key across processes,
// or ctx is done, and returns the function that releases it. The token cache
// holds the lock while it refreshes, then re-reads the store, so that
// processes sharing one store refresh a token once, not once each.
type Locker interface {
	Lock(ctx context.Context, key Key) (unlock func(), err error)
}
