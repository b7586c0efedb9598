package pointsyncconnect

import (
	"context"
	"time"

	"github.com/loyalsync/loyalsync/loyalty/sqlstore"
	"github.com/loyalsync/loyalsync/pointsync"
)

var _ pointsync.ReplayGuard = (*SQLStore)(nil)

// Begin implements pointsync.ReplayGuard in the shared database, so that the instances serving
// one site refuse a batch id any of them has seen: give the store to pointsync.NewHandler with
// pointsync.WithReplayGuard.
func (s *SQLStore) Begin(ctx context.Context, origin, batchID string, until time.Time) (pointsync.Claim, error) {
	now := s.now()
	var claim pointsync.Claim
	err := s.db.Write(ctx, func(tx sqlstore.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM pointsync_replay WHERE until_us <= $1`, now); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `INSERT INTO pointsync_replay (origin, batch_id, until_us) VALUES ($1, $2, $3)
			ON CONFLICT (origin, batch_id) DO NOTHING`, origin, batchID, micros(until))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			claim = pointsync.ClaimNew
			return err
		}
		var done int
		if err := tx.QueryRow(ctx, `SELECT done FROM pointsync_replay WHERE origin = $1 AND batch_id = $2`, origin, batchID).Scan(&done); err != nil {
			return err
		}
		claim = pointsync.ClaimInProgress
		if done == 1 {
			claim = pointsync.ClaimDone
		}
		return nil
	})
	return claim, wrap("replay claim", err)
}

// Finish implements pointsync.ReplayGuard.
func (s *SQLStore) Finish(ctx context.Context, origin, batchID string, applied bool) error {
	q := `DELETE FROM pointsync_replay WHERE origin = $1 AND batch_id = $2`
	if applied {
		q = `UPDATE pointsync_replay SET done = 1 WHERE origin = $1 AND batch_id = $2`
	}
	return wrap("replay finish", s.db.Write(ctx, func(tx sqlstore.Tx) error {
		_, err := tx.Exec(ctx, q, origin, batchID)
		return err
	}))
}
