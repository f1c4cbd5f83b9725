package mysqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/zohohub/zohohub/persistence"
	"github.com/zohohub/zohohub/persistence/internal/lockwait"
)

// lockName derives a MySQL named-lock name (at most 64 characters) for one
// purpose on this table, and for one key when key is non-empty. Names are
// hashed: they are server-wide, so they include the database and table, and
// they must not depend on what characters a user name holds.
func (s *Store) lockName(purpose, key string) string {
	sum := sha256.Sum256([]byte(s.lockBase + "\x00" + purpose + "\x00" + key))
	return "zohohub." + purpose + "." + hex.EncodeToString(sum[:20]) // ≤ 8+5+1+40 = 54
}

// namedLock takes GET_LOCK(name) on conn, polling with a zero timeout so
// that ctx is honoured, and returns the function that releases the lock and
// gives conn back. conn is consumed: it is closed on error and on release.
func (s *Store) namedLock(ctx context.Context, conn *sqlx.Conn, name string) (release func(), err error) {
	err = lockwait.Poll(ctx, s.settings.LockPoll, func() (bool, error) {
		var got sql.NullInt64
		if err := conn.QueryRowContext(ctx, `SELECT GET_LOCK(?, 0)`, name).Scan(&got); err != nil {
			return false, err
		}
		if !got.Valid {
			return false, fmt.Errorf("GET_LOCK returned NULL")
		}
		return got.Int64 == 1, nil
	})
	if err != nil {
		// If GET_LOCK was interrupted, the session may hold the lock; a
		// discarded connection cannot leak it.
		discardConn(conn)
		return nil, err
	}
	return sync.OnceFunc(func() {
		// Release even when the caller's ctx is done.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		var released sql.NullInt64
		err := conn.QueryRowContext(ctx, `SELECT RELEASE_LOCK(?)`, name).Scan(&released)
		if err != nil || released.Int64 != 1 {
			// Closing the session is the only other way to free the lock.
			s.settings.Logger.Warn("mysqlstore: RELEASE_LOCK failed; discarding connection", "table", s.name, "err", err)
			discardConn(conn)
			return
		}
		conn.Close()
	}), nil
}

// discardConn closes conn's session instead of returning it to the pool, so
// that any named lock it holds is released by the server.
func discardConn(conn *sqlx.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	conn.Close()
}

// Lock takes an exclusive lock on key shared by every process using this
// table (MySQL GET_LOCK on a dedicated connection, held until unlock), and by
// goroutines of this process, or returns ctx.Err(). It does not block Get,
// Save or Delete, so the holder can refresh and save the token.
func (s *Store) Lock(ctx context.Context, key persistence.Key) (unlock func(), err error) {
	name := s.lockName("key", key.UserName+"\x00"+key.ClientID)
	unlockLocal, err := s.keyMu.Lock(ctx, name)
	if err != nil {
		return nil, err
	}
	conn, err := s.db.Connx(ctx)
	if err != nil {
		unlockLocal()
		return nil, fmt.Errorf("mysqlstore: lock token %s: %w", key, err)
	}
	release, err := s.namedLock(ctx, conn, name)
	if err != nil {
		unlockLocal()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("mysqlstore: lock token %s: %w", key, err)
	}
	s.settings.Logger.Debug("mysqlstore: token lock taken", "table", s.name, "key", key.String())
	return sync.OnceFunc(func() {
		release()
		unlockLocal()
	}), nil
}
