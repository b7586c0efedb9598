package pointsyncconnect

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore"
	"github.com/loyalsync/loyalsync/pointsync"
)

// The lease statement per dialect: the oldest available rows of a remote are marked with the
// lease id. PostgreSQL skips rows another instance is leasing; SQLite has one writer.
const (
	leaseSQLite = `UPDATE pointsync_queue SET lease = $1, expires = $2 WHERE seq IN (
		SELECT seq FROM pointsync_queue WHERE remote = $3 AND (lease = '' OR expires <= $4) ORDER BY seq LIMIT $5)
		RETURNING seq, movement, attempts, enqueued_at`
	leasePostgres = `UPDATE pointsync_queue SET lease = $1, expires = $2 WHERE seq IN (
		SELECT seq FROM pointsync_queue WHERE remote = $3 AND (lease = '' OR expires <= $4) ORDER BY seq LIMIT $5
		FOR UPDATE SKIP LOCKED)
		RETURNING seq, movement, attempts, enqueued_at`
)

// TxQueue is a queue that writes in the ledger's transaction: Observe queues movements through
// the Enqueuer it returns for tx, so that they commit with the movements themselves.
type TxQueue interface {
	EnqueuerIn(tx loyalty.Tx) (pointsync.Enqueuer, error)
}

// EnqueuerIn returns an Enqueuer writing in tx, a transaction of the SQL loyalty store whose
// database s uses.
func (s *SQLStore) EnqueuerIn(tx loyalty.Tx) (pointsync.Enqueuer, error) {
	lt, ok := tx.(sqlstore.LedgerTx)
	if !ok {
		return nil, fmt.Errorf("pointsyncconnect: the ledger's transaction (%T) is not an SQL store's: queue and ledger must share one database", tx)
	}
	return txEnqueuer{s: s, tx: lt.SQL()}, nil
}

type txEnqueuer struct {
	s  *SQLStore
	tx sqlstore.Tx
}

func (e txEnqueuer) Enqueue(ctx context.Context, remote string, ms []pointsync.Movement) error {
	return e.s.enqueue(ctx, e.tx, remote, ms)
}

// Enqueue implements pointsync.Queue, in a transaction of its own.
func (s *SQLStore) Enqueue(ctx context.Context, remote string, ms []pointsync.Movement) error {
	if err := checkEnqueue(remote, ms); err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx sqlstore.Tx) error { return s.enqueue(ctx, tx, remote, ms) })
}

func checkEnqueue(remote string, ms []pointsync.Movement) error {
	if remote == "" {
		return fmt.Errorf("pointsyncconnect: enqueue: empty remote: %w", pointsync.ErrInvalidArgument)
	}
	for i := range ms {
		if err := ms[i].Validate(); err != nil {
			return fmt.Errorf("pointsyncconnect: enqueue movement %d: %w", i, err)
		}
	}
	return nil
}

func (s *SQLStore) enqueue(ctx context.Context, tx sqlstore.Tx, remote string, ms []pointsync.Movement) error {
	if err := checkEnqueue(remote, ms); err != nil {
		return err
	}
	now := s.now()
	for _, m := range ms {
		doc, err := json.Marshal(m)
		if err != nil {
			return wrap("enqueue", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO pointsync_queue (remote, movement_id, movement, enqueued_at)
			VALUES ($1, $2, $3, $4) ON CONFLICT (remote, movement_id) DO NOTHING`, remote, m.ID, string(doc), now); err != nil {
			return wrap("enqueue for "+remote, err)
		}
	}
	return nil
}

// Lease implements pointsync.Queue.
func (s *SQLStore) Lease(ctx context.Context, remote string, max int, ttl time.Duration) (*pointsync.Lease, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if max < 1 || ttl <= 0 {
		return nil, fmt.Errorf("pointsyncconnect: lease: max %d and ttl %s must be positive: %w", max, ttl, pointsync.ErrInvalidArgument)
	}
	id, err := pointsync.NewBatchID()
	if err != nil {
		return nil, err
	}
	now := s.clock.Now().UTC()
	l := &pointsync.Lease{ID: id, Remote: remote, Expires: now.Add(ttl).Truncate(time.Microsecond)}
	err = s.db.Write(ctx, func(tx sqlstore.Tx) error {
		l.Items = l.Items[:0]
		rows, err := tx.Query(ctx, s.lease, id, micros(l.Expires), remote, micros(now), max)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var it pointsync.Item
			var doc string
			var at int64
			if err := rows.Scan(&it.Seq, &doc, &it.Attempts, &at); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(doc), &it.Movement); err != nil {
				return err
			}
			it.EnqueuedAt = fromMicros(at)
			l.Items = append(l.Items, it)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, wrap("lease for "+remote, err)
	}
	if len(l.Items) == 0 {
		return nil, nil
	}
	slices.SortFunc(l.Items, func(a, b pointsync.Item) int { return int(a.Seq - b.Seq) })
	return l, nil
}

// upsertState is the statement that records an outcome in a remote's delivery record: $2
// failures to add (-1: set to zero), $3/$4 the last error and its time (kept when ”), $5 the
// last success (kept when 0), $6 deliveries to add.
const upsertState = `INSERT INTO pointsync_state (remote, failures, last_error, last_error_at, last_success_at, delivered)
	VALUES ($1, CASE WHEN $2 < 0 THEN 0 ELSE $2 END, $3, $4, $5, $6)
	ON CONFLICT (remote) DO UPDATE SET
		failures = CASE WHEN $2 < 0 THEN 0 ELSE pointsync_state.failures + $2 END,
		last_error = CASE WHEN $3 = '' THEN pointsync_state.last_error ELSE $3 END,
		last_error_at = CASE WHEN $3 = '' THEN pointsync_state.last_error_at ELSE $4 END,
		last_success_at = CASE WHEN $5 = 0 THEN pointsync_state.last_success_at ELSE $5 END,
		delivered = pointsync_state.delivered + $6`

func record(ctx context.Context, tx sqlstore.Tx, remote string, failures int, cause string, errAt, successAt, delivered int64) error {
	_, err := tx.Exec(ctx, upsertState, remote, failures, cause, errAt, successAt, delivered)
	return err
}

// Ack implements pointsync.Queue.
func (s *SQLStore) Ack(ctx context.Context, remote, leaseID string) error {
	now := s.now()
	return wrap("ack "+remote, s.db.Write(ctx, func(tx sqlstore.Tx) error {
		if leaseID == "" {
			return pointsync.ErrLeaseLost
		}
		// The push records of the acknowledged movements go with them (see PushLog): until
		// now a redelivery of the batch had to find them.
		if _, err := tx.Exec(ctx, `DELETE FROM pointsync_pushes WHERE remote = $1 AND movement_id IN (
			SELECT movement_id FROM pointsync_queue WHERE remote = $1 AND lease = $2)`, remote, leaseID); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `DELETE FROM pointsync_queue WHERE remote = $1 AND lease = $2`, remote, leaseID)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n == 0 {
			return pointsync.ErrLeaseLost
		}
		return record(ctx, tx, remote, -1, "", 0, now, n)
	}))
}

// Fail implements pointsync.Queue.
func (s *SQLStore) Fail(ctx context.Context, remote, leaseID, cause string) error {
	return s.release(ctx, remote, leaseID, cause, true)
}

// Release implements pointsync.Queue.
func (s *SQLStore) Release(ctx context.Context, remote, leaseID string) error {
	return s.release(ctx, remote, leaseID, "", false)
}

func (s *SQLStore) release(ctx context.Context, remote, leaseID, cause string, failed bool) error {
	now := s.now()
	attempt := 0
	if failed {
		attempt = 1
	}
	return wrap("release "+remote, s.db.Write(ctx, func(tx sqlstore.Tx) error {
		if leaseID != "" {
			if _, err := tx.Exec(ctx, `UPDATE pointsync_queue SET lease = '', expires = 0, attempts = attempts + $3
				WHERE remote = $1 AND lease = $2`, remote, leaseID, attempt); err != nil {
				return err
			}
		}
		if !failed {
			return nil
		}
		return record(ctx, tx, remote, 1, failureText(cause), now, 0, 0)
	}))
}

// failureText keeps an empty cause recordable as an error.
func failureText(cause string) string {
	if cause == "" {
		return "failed"
	}
	return cause
}

// RecordPing implements pointsync.Queue.
func (s *SQLStore) RecordPing(ctx context.Context, remote, cause string) error {
	now := s.now()
	return wrap("record ping "+remote, s.db.Write(ctx, func(tx sqlstore.Tx) error {
		if cause != "" {
			return record(ctx, tx, remote, 1, cause, now, 0, 0)
		}
		return record(ctx, tx, remote, -1, "", 0, now, 0)
	}))
}

// Resume implements pointsync.Queue.
func (s *SQLStore) Resume(ctx context.Context, remote string) error {
	return wrap("resume "+remote, s.db.Write(ctx, func(tx sqlstore.Tx) error {
		return record(ctx, tx, remote, -1, "", 0, 0, 0)
	}))
}

// State implements pointsync.Queue.
func (s *SQLStore) State(ctx context.Context, remote string) (pointsync.RemoteState, error) {
	var st pointsync.RemoteState
	err := s.db.Read(ctx, func(tx sqlstore.Tx) error {
		var oldest *int64
		if err := tx.QueryRow(ctx, `SELECT COUNT(*), MIN(enqueued_at) FROM pointsync_queue WHERE remote = $1`, remote).
			Scan(&st.Pending, &oldest); err != nil {
			return err
		}
		if oldest != nil {
			st.Oldest = fromMicros(*oldest)
		}
		var errAt, okAt int64
		err := tx.QueryRow(ctx, `SELECT failures, last_error, last_error_at, last_success_at, delivered
			FROM pointsync_state WHERE remote = $1`, remote).Scan(&st.Failures, &st.LastError, &errAt, &okAt, &st.Delivered)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		st.LastErrorAt, st.LastSuccessAt = fromMicros(errAt), fromMicros(okAt)
		return nil
	})
	return st, wrap("state of "+remote, err)
}

// Purge implements pointsync.Queue.
func (s *SQLStore) Purge(ctx context.Context, remote string) error {
	return wrap("purge "+remote, s.db.Write(ctx, func(tx sqlstore.Tx) error {
		for _, tbl := range []string{"pointsync_queue", "pointsync_pushes"} {
			if _, err := tx.Exec(ctx, `DELETE FROM `+tbl+` WHERE remote = $1`, remote); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `DELETE FROM pointsync_state WHERE remote = $1`, remote)
		return err
	}))
}
