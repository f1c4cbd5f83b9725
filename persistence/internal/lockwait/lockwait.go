// Package lockwait waits for locks while honouring a context: a mutex per
// key for the goroutines of one process, and a polling loop for the
// cross-process locks (flock, MySQL GET_LOCK) that can only be tried.
package lockwait

import (
	"context"
	"sync"
	"time"
)

// KeyMutex is a set of context-aware mutexes, one per string key, for
// excluding goroutines of one process before they compete for a
// cross-process lock. The zero KeyMutex is ready to use.
type KeyMutex struct {
	mu    sync.Mutex
	slots map[string]chan struct{}
}

// Lock takes the mutex for key, or returns ctx.Err().
func (m *KeyMutex) Lock(ctx context.Context, key string) (unlock func(), err error) {
	if err := ctx.Err(); err != nil { // select below would pick at random
		return nil, err
	}
	m.mu.Lock()
	if m.slots == nil {
		m.slots = make(map[string]chan struct{})
	}
	slot, ok := m.slots[key]
	if !ok {
		slot = make(chan struct{}, 1)
		m.slots[key] = slot
	}
	m.mu.Unlock()
	select {
	case slot <- struct{}{}:
		return func() { <-slot }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Poll calls try until it reports success or an error, sleeping between
// attempts with a backoff capped at maxWait, and gives up with ctx.Err()
// when ctx is done.
func Poll(ctx context.Context, maxWait time.Duration, try func() (bool, error)) error {
	wait := time.Millisecond
	for {
		ok, err := try()
		if err != nil || ok {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
		wait = min(wait*2, maxWait)
	}
}
