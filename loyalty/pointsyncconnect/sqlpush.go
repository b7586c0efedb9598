package pointsyncconnect

import (
	"context"

	"github.com/loyalsync/loyalsync/loyalty/sqlstore"
)

var _ PushLog = (*SQLStore)(nil)

// Pushes implements PushLog. The records of a remote are those of its movements pushed and not
// yet acknowledged: at most a few batches, read at once.
func (s *SQLStore) Pushes(ctx context.Context, remote string, ids []string) (map[string]Push, error) {
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	out := map[string]Push{}
	err := s.db.Read(ctx, func(tx sqlstore.Tx) error {
		clear(out)
		rows, err := tx.Query(ctx, `SELECT movement_id, email, pool, points, before_points, done, after_points, at
			FROM pointsync_pushes WHERE remote = $1`, remote)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p := Push{Remote: remote}
			var done, at int64
			if err := rows.Scan(&p.MovementID, &p.Email, &p.Pool, &p.Points, &p.Before, &done, &p.After, &at); err != nil {
				return err
			}
			if want[p.MovementID] {
				p.Done, p.At = done != 0, fromMicros(at)
				out[p.MovementID] = p
			}
		}
		return rows.Err()
	})
	if err != nil {
		return nil, wrap("pushes to "+remote, err)
	}
	return out, nil
}

// PutPush implements PushLog.
func (s *SQLStore) PutPush(ctx context.Context, p Push) error {
	done := 0
	if p.Done {
		done = 1
	}
	now := s.now()
	return wrap("record push of "+p.MovementID+" to "+p.Remote, s.db.Write(ctx, func(tx sqlstore.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO pointsync_pushes (remote, movement_id, email, pool, points, before_points, done, after_points, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			ON CONFLICT (remote, movement_id) DO UPDATE SET email = excluded.email, pool = excluded.pool,
				points = excluded.points, before_points = excluded.before_points, done = excluded.done,
				after_points = excluded.after_points, at = excluded.at`,
			p.Remote, p.MovementID, p.Email, p.Pool, p.Points, p.Before, done, p.After, now)
		return err
	}))
}

// DeletePush implements PushLog.
func (s *SQLStore) DeletePush(ctx context.Context, remote, movementID string) error {
	return wrap("forget push of "+movementID+" to "+remote, s.db.Write(ctx, func(tx sqlstore.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM pointsync_pushes WHERE remote = $1 AND movement_id = $2`, remote, movementID)
		return err
	}))
}
