// Package storetest holds what the tests of every token store share: the
// behaviour each persistence.Store and persistence.Locker must have, sample
// tokens, and helper processes for the tests that several processes run.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/zohohub/zohohub/persistence"
)

// Store runs the behaviour every Store must have. newStore returns an
// empty store private to the subtest.
func Store(t *testing.T, newStore func(t *testing.T) persistence.Store) {
	ctx := context.Background()

	t.Run("RoundTrip", func(t *testing.T) {
		s := newStore(t)
		in := SampleToken("jane@example.com", 1)
		if err := s.Save(ctx, in); err != nil {
			t.Fatal(err)
		}
		if in.ID != "1" {
			t.Fatalf("first Save assigned ID %q, want \"1\" (SDK numbering)", in.ID)
		}
		got, err := s.Get(ctx, in.Key())
		if err != nil {
			t.Fatal(err)
		}
		EqualToken(t, got, in)
	})

	t.Run("UnicodeAndEmptyFields", func(t *testing.T) {
		s := newStore(t)
		in := &persistence.Token{UserName: "zoë@exämple.com", ClientID: "c", RefreshToken: "r"}
		if err := s.Save(ctx, in); err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(ctx, in.Key())
		if err != nil {
			t.Fatal(err)
		}
		EqualToken(t, got, in)
		if !got.Expiry.IsZero() {
			t.Fatalf("zero expiry came back as %v", got.Expiry)
		}
	})

	t.Run("EmptyUserNameIsAKey", func(t *testing.T) {
		s := newStore(t)
		in := SampleToken("", 1)
		if err := s.Save(ctx, in); err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(ctx, persistence.Key{ClientID: in.ClientID})
		if err != nil {
			t.Fatal(err)
		}
		EqualToken(t, got, in)
	})

	t.Run("Overwrite", func(t *testing.T) {
		s := newStore(t)
		first := SampleToken("jane@example.com", 1)
		if err := s.Save(ctx, first); err != nil {
			t.Fatal(err)
		}
		second := SampleToken("jane@example.com", 2)
		if err := s.Save(ctx, second); err != nil {
			t.Fatal(err)
		}
		if second.ID != first.ID {
			t.Fatalf("overwrite got ID %q, want the stored row's %q", second.ID, first.ID)
		}
		got, err := s.Get(ctx, second.Key())
		if err != nil {
			t.Fatal(err)
		}
		EqualToken(t, got, second)
		all, err := s.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 1 {
			t.Fatalf("List after overwrite has %d tokens, want 1", len(all))
		}
	})

	t.Run("KeysAreExact", func(t *testing.T) {
		s := newStore(t)
		a := SampleToken("jane@example.com", 1)
		b := SampleToken("Jane@example.com", 2)
		c := SampleToken("jane@example.com", 3)
		c.ClientID = "other"
		d := SampleToken("jane@example.com ", 4) // trailing space is part of the key
		for _, tok := range []*persistence.Token{a, b, c, d} {
			if err := s.Save(ctx, tok); err != nil {
				t.Fatal(err)
			}
		}
		for _, tok := range []*persistence.Token{a, b, c, d} {
			got, err := s.Get(ctx, tok.Key())
			if err != nil {
				t.Fatal(err)
			}
			EqualToken(t, got, tok)
		}
		if all, err := s.List(ctx); err != nil || len(all) != 4 {
			t.Fatalf("List = %d tokens, %v; want 4 distinct keys", len(all), err)
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		s := newStore(t)
		_, err := s.Get(ctx, persistence.Key{UserName: "nobody", ClientID: "c"})
		if !errors.Is(err, persistence.ErrNotFound) {
			t.Fatalf("Get of missing key: %v, want ErrNotFound", err)
		}
	})

	t.Run("Delete", func(t *testing.T) {
		s := newStore(t)
		a, b := SampleToken("a@x", 1), SampleToken("b@x", 2)
		for _, tok := range []*persistence.Token{a, b} {
			if err := s.Save(ctx, tok); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Delete(ctx, a.Key()); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Get(ctx, a.Key()); !errors.Is(err, persistence.ErrNotFound) {
			t.Fatalf("Get after Delete: %v, want ErrNotFound", err)
		}
		if _, err := s.Get(ctx, b.Key()); err != nil {
			t.Fatalf("Delete removed another key: %v", err)
		}
		if err := s.Delete(ctx, a.Key()); err != nil {
			t.Fatalf("deleting a missing key: %v, want nil", err)
		}
	})

	t.Run("ListAndDeleteAll", func(t *testing.T) {
		s := newStore(t)
		all, err := s.List(ctx)
		if err != nil || len(all) != 0 {
			t.Fatalf("List of empty store = %v, %v", all, err)
		}
		want := map[string]*persistence.Token{}
		for i := range 12 {
			tok := SampleToken(fmt.Sprintf("user%d@x", i), i)
			if err := s.Save(ctx, tok); err != nil {
				t.Fatal(err)
			}
			if tok.ID != fmt.Sprint(i+1) {
				t.Fatalf("token %d got ID %q, want %d", i, tok.ID, i+1)
			}
			want[tok.UserName] = tok
		}
		all, err = s.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != len(want) {
			t.Fatalf("List has %d tokens, want %d", len(all), len(want))
		}
		for i, got := range all {
			EqualToken(t, got, want[got.UserName])
			if got.ID != fmt.Sprint(i+1) {
				t.Fatalf("List not in id order: position %d has ID %q", i, got.ID)
			}
		}
		if err := s.DeleteAll(ctx); err != nil {
			t.Fatal(err)
		}
		if all, err = s.List(ctx); err != nil || len(all) != 0 {
			t.Fatalf("List after DeleteAll = %d tokens, %v", len(all), err)
		}
		tok := SampleToken("again@x", 1)
		if err := s.Save(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if tok.ID != "1" {
			t.Fatalf("Save after DeleteAll got ID %q, want 1", tok.ID)
		}
	})

	t.Run("CallerIDKeptAndConflictRejected", func(t *testing.T) {
		s := newStore(t)
		a := SampleToken("a@x", 1)
		a.ID = "7"
		if err := s.Save(ctx, a); err != nil {
			t.Fatal(err)
		}
		b := SampleToken("b@x", 2)
		if err := s.Save(ctx, b); err != nil {
			t.Fatal(err)
		}
		if b.ID != "8" {
			t.Fatalf("next ID after 7 is %q, want 8", b.ID)
		}
		c := SampleToken("c@x", 3)
		c.ID = "7"
		if err := s.Save(ctx, c); !errors.Is(err, persistence.ErrIDInUse) {
			t.Fatalf("Save with another key's ID: %v, want ErrIDInUse", err)
		}
		if got, err := s.Get(ctx, a.Key()); err != nil || got.AccessToken != a.AccessToken {
			t.Fatalf("conflicting Save changed the stored row: %v", err)
		}
	})

	t.Run("StoresCopies", func(t *testing.T) {
		s := newStore(t)
		in := SampleToken("jane@example.com", 1)
		if err := s.Save(ctx, in); err != nil {
			t.Fatal(err)
		}
		in.AccessToken = "mutated after save"
		got, err := s.Get(ctx, in.Key())
		if err != nil {
			t.Fatal(err)
		}
		if got.AccessToken == "mutated after save" {
			t.Fatal("store shares memory with the saved token")
		}
		got.RefreshToken = "mutated after get"
		again, err := s.Get(ctx, in.Key())
		if err != nil {
			t.Fatal(err)
		}
		if again.RefreshToken == "mutated after get" {
			t.Fatal("store shares memory with a returned token")
		}
	})

	t.Run("NilTokenRejected", func(t *testing.T) {
		s := newStore(t)
		if err := s.Save(ctx, nil); err == nil {
			t.Fatal("Save(nil) succeeded")
		}
	})

	t.Run("CanceledContext", func(t *testing.T) {
		s := newStore(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.Get(cctx, persistence.Key{ClientID: "c"}); !errors.Is(err, context.Canceled) {
			t.Fatalf("Get with canceled ctx: %v", err)
		}
		if err := s.Save(cctx, SampleToken("a@x", 1)); !errors.Is(err, context.Canceled) {
			t.Fatalf("Save with canceled ctx: %v", err)
		}
	})

	t.Run("ConcurrentSaves", func(t *testing.T) {
		s := newStore(t)
		const workers, rounds = 8, 10
		var wg sync.WaitGroup
		errs := make(chan error, workers*rounds)
		for w := range workers {
			wg.Go(func() {
				for r := range rounds {
					// Every worker writes its own key and a shared one.
					if err := s.Save(ctx, SampleToken(fmt.Sprintf("w%d@x", w), r)); err != nil {
						errs <- err
					}
					if err := s.Save(ctx, SampleToken("shared@x", w*rounds+r)); err != nil {
						errs <- err
					}
					if _, err := s.Get(ctx, persistence.Key{UserName: "shared@x", ClientID: "1000.CLIENT"}); err != nil {
						errs <- err
					}
					if _, err := s.List(ctx); err != nil {
						errs <- err
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		all, err := s.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != workers+1 {
			t.Fatalf("after concurrent saves List has %d tokens, want %d", len(all), workers+1)
		}
		ids := map[string]bool{}
		for _, tok := range all {
			if ids[tok.ID] {
				t.Fatalf("duplicate ID %q", tok.ID)
			}
			ids[tok.ID] = true
		}
		for w := range workers {
			got, err := s.Get(ctx, persistence.Key{UserName: fmt.Sprintf("w%d@x", w), ClientID: "1000.CLIENT"})
			if err != nil {
				t.Fatal(err)
			}
			EqualToken(t, got, &persistence.Token{
				ID: got.ID, UserName: fmt.Sprintf("w%d@x", w), ClientID: "1000.CLIENT",
				ClientSecret: SampleToken("", rounds-1).ClientSecret, RefreshToken: SampleToken("", rounds-1).RefreshToken,
				AccessToken: SampleToken("", rounds-1).AccessToken, GrantToken: SampleToken("", rounds-1).GrantToken,
				Expiry: SampleToken("", rounds-1).Expiry, RedirectURL: SampleToken("", rounds-1).RedirectURL,
				APIDomain: SampleToken("", rounds-1).APIDomain,
			})
		}
	})

	t.Run("CustomTypeViaCopy", func(t *testing.T) {
		src := newStore(t)
		for i := range 3 {
			if err := src.Save(ctx, SampleToken(fmt.Sprintf("u%d@x", i), i)); err != nil {
				t.Fatal(err)
			}
		}
		dst := persistence.NewMemory()
		n, err := persistence.Copy(ctx, dst, src)
		if err != nil || n != 3 {
			t.Fatalf("Copy = %d, %v; want 3", n, err)
		}
		got, err := dst.Get(ctx, persistence.Key{UserName: "u2@x", ClientID: "1000.CLIENT"})
		if err != nil {
			t.Fatal(err)
		}
		want := SampleToken("u2@x", 2)
		want.ID = got.ID
		EqualToken(t, got, want)
	})
}

// Locker runs the behaviour every Locker must have within one process.
func Locker(t *testing.T, newStore func(t *testing.T) persistence.Store) {
	ctx := context.Background()
	key := persistence.Key{UserName: "jane@example.com", ClientID: "1000.CLIENT"}

	t.Run("ExcludesAndHonoursContext", func(t *testing.T) {
		l := newStore(t).(persistence.Locker)
		unlock, err := l.Lock(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		tctx, cancel := context.WithTimeout(ctx, 150*time.Millisecond)
		defer cancel()
		start := time.Now()
		if _, err := l.Lock(tctx, key); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("second Lock while held: %v, want DeadlineExceeded", err)
		}
		if d := time.Since(start); d < 100*time.Millisecond || d > 2*time.Second {
			t.Fatalf("second Lock returned after %v, want about 150ms", d)
		}
		// Another key is independent.
		other, err := l.Lock(ctx, persistence.Key{UserName: "other", ClientID: "1000.CLIENT"})
		if err != nil {
			t.Fatal(err)
		}
		other()
		got := make(chan error, 1)
		go func() {
			u, err := l.Lock(ctx, key)
			if err == nil {
				u()
			}
			got <- err
		}()
		select {
		case err := <-got:
			t.Fatalf("Lock succeeded while held (err %v)", err)
		case <-time.After(50 * time.Millisecond):
		}
		unlock()
		unlock() // idempotent
		select {
		case err := <-got:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("waiter not woken after unlock")
		}
	})

	t.Run("StoreUsableWhileLocked", func(t *testing.T) {
		s := newStore(t)
		unlock, err := s.(persistence.Locker).Lock(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		defer unlock()
		tctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		tok := SampleToken(key.UserName, 1)
		if err := s.Save(tctx, tok); err != nil {
			t.Fatalf("Save while holding the key lock: %v", err)
		}
		if _, err := s.Get(tctx, key); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("GoroutinesCounter", func(t *testing.T) {
		s := newStore(t)
		l := s.(persistence.Locker)
		const workers, rounds = 6, 15
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for range workers {
			wg.Go(func() {
				for range rounds {
					if err := IncrementUnderLock(ctx, s, l, key); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		AssertCounter(t, s, key, workers*rounds)
	})
}
