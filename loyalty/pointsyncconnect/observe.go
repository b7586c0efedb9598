package pointsyncconnect

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/pointsync"
)

// SyncKeyPrefix starts the key of every movement applied from sync; such movements are never
// sent on (no echo).
const SyncKeyPrefix = "sync/"

// Store is a loyalty.Store that queues every movement appended to an observed program for the
// remotes observing it, in the transaction that appends it. Create it with Observe.
type Store struct {
	loyalty.Store
	settings pointsync.SettingsStore
	queue    pointsync.Enqueuer
}

var _ loyalty.Store = (*Store)(nil)

// Observe wraps store: every movement appended through the returned Store's Update (except
// movements applied from sync, and movements of 0 points such as the welcome record Ledger
// writes) is queued on queue for each remote in settings whose observed reserve is the
// movement's program. When queue is a TxQueue (SQLStore on the store's own database), the
// movements are queued in the ledger's transaction.
func Observe(store loyalty.Store, settings pointsync.SettingsStore, queue pointsync.Enqueuer) *Store {
	return &Store{Store: store, settings: settings, queue: queue}
}

// Update runs fn in a transaction of the wrapped store; when fn succeeds, the movements it
// appended are queued before the transaction commits, and a queueing error rolls it back.
func (s *Store) Update(ctx context.Context, fn func(loyalty.Tx) error) error {
	return s.Store.Update(ctx, func(tx loyalty.Tx) error {
		ot := &observedTx{Tx: tx}
		if err := fn(ot); err != nil {
			return err
		}
		return s.enqueue(ctx, tx, ot.appended)
	})
}

// observedTx records the movements appended through it.
type observedTx struct {
	loyalty.Tx
	appended []loyalty.Movement
}

func (t *observedTx) AppendMovement(ctx context.Context, m loyalty.Movement) (loyalty.Movement, error) {
	stored, err := t.Tx.AppendMovement(ctx, m)
	if err == nil && !strings.HasPrefix(stored.Key, SyncKeyPrefix) {
		t.appended = append(t.appended, stored)
	}
	return stored, err
}

func (s *Store) enqueue(ctx context.Context, tx loyalty.Tx, ms []loyalty.Movement) error {
	if len(ms) == 0 {
		return nil
	}
	remotes, err := s.settings.Remotes(ctx)
	if err != nil {
		return fmt.Errorf("pointsyncconnect: remotes: %w", err)
	}
	byProgram := map[string][]pointsync.Movement{}
	for _, m := range ms {
		if !observed(remotes, m.ProgramID) || m.Applied == 0 {
			continue
		}
		w, err := wireMovement(ctx, tx, m)
		if err != nil {
			return err
		}
		byProgram[m.ProgramID] = append(byProgram[m.ProgramID], w)
	}
	q := s.queue
	if tq, ok := q.(TxQueue); ok {
		if q, err = tq.EnqueuerIn(tx); err != nil {
			return err
		}
	}
	for program, wms := range byProgram {
		if err := pointsync.EnqueueForRemotes(ctx, q, remotes, program, wms); err != nil {
			return err
		}
	}
	return nil
}

func observed(remotes []pointsync.Remote, program string) bool {
	for _, r := range remotes {
		if r.ObservedReserve == program {
			return true
		}
	}
	return false
}

// wireMovement is the movement as sent: its key as id, the points applied, the member by
// identity.
func wireMovement(ctx context.Context, tx loyalty.ReadTx, m loyalty.Movement) (pointsync.Movement, error) {
	mem, err := tx.Member(ctx, m.MemberID)
	if err != nil {
		return pointsync.Movement{}, fmt.Errorf("pointsyncconnect: member %s: %w", m.MemberID, err)
	}
	if mem.Email == "" {
		return pointsync.Movement{}, errors.New("pointsyncconnect: member " + m.MemberID + " has no email to sync by")
	}
	return pointsync.Movement{
		ID:     m.Key,
		Member: pointsync.Member{Email: mem.Email, Code: mem.Code},
		Points: m.Applied,
		Kind:   pointsync.Kind(m.Kind),
		Reason: m.Reason,
		Time:   m.CreatedAt.UTC(),
	}, nil
}
