package persistence

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"sync"

	"github.com/zohohub/zohohub/persistence/internal/sdkschema"
)

// Memory is a [Store] that keeps tokens in a map, for tests and for
// programs that obtain a fresh token at every start. Tokens go in and come
// out as copies, so callers cannot change what is stored by mutating them.
// The zero Memory is an empty store.
type Memory struct {
	mu     sync.RWMutex
	tokens map[Key]*Token
}

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory { return &Memory{tokens: make(map[Key]*Token)} }

var _ Store = (*Memory)(nil)

// Get returns a copy of the token stored under key.
func (m *Memory) Get(ctx context.Context, key Key) (*Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	t, ok := m.tokens[key]
	if !ok {
		return nil, notFound(key)
	}
	return t.Clone(), nil
}

// Save stores a copy of tok under tok.Key(), keeping the stored row's ID
// when tok.ID is empty, and sets tok.ID.
func (m *Memory) Save(ctx context.Context, tok *Token) error {
	if tok == nil {
		return errNilToken
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tokens == nil { // the zero Memory
		m.tokens = make(map[Key]*Token)
	}
	key := tok.Key()
	id := tok.ID
	if id == "" {
		if old, ok := m.tokens[key]; ok {
			id = old.ID
		} else {
			id = sdkschema.NextID(func(yield func(string) bool) {
				for _, t := range m.tokens {
					if !yield(t.ID) {
						return
					}
				}
			})
		}
	} else {
		for k, t := range m.tokens {
			if t.ID == id && k != key {
				return ErrIDInUse
			}
		}
	}
	c := tok.Clone()
	c.ID = id
	m.tokens[key] = c
	tok.ID = id
	return nil
}

// Delete removes the token stored under key.
func (m *Memory) Delete(ctx context.Context, key Key) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.tokens, key)
	return nil
}

// List returns copies of all tokens, ordered by numeric ID.
func (m *Memory) List(ctx context.Context) ([]*Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	out := make([]*Token, 0, len(m.tokens))
	for _, t := range m.tokens {
		out = append(out, t.Clone())
	}
	m.mu.RUnlock()
	slices.SortFunc(out, func(a, b *Token) int { return compareIDs(a.ID, b.ID) })
	return out, nil
}

// DeleteAll removes every token.
func (m *Memory) DeleteAll(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	clear(m.tokens)
	return nil
}

// compareIDs orders numeric ids by value, before non-numeric ids, which are
// ordered as strings.
func compareIDs(a, b string) int {
	na, ea := strconv.ParseUint(a, 10, 64)
	nb, eb := strconv.ParseUint(b, 10, 64)
	switch {
	case ea == nil && eb == nil:
		return cmp.Compare(na, nb)
	case ea == nil:
		return -1
	case eb == nil:
		return 1
	}
	return cmp.Compare(a, b)
}
