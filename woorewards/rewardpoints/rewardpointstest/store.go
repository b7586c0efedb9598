package rewardpointstest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/loyalsync/loyalsync/woorewards/rewardpoints"
)

// TestStore checks that a rewardpoints.Store implementation keeps the contract the client's
// idempotency relies on: Create inserts only when the id is absent and is atomic under
// concurrency, Get and Update round-trip every field, Update of a missing operation fails with
// rewardpoints.ErrNoOperation, and Delete is idempotent. newStore must return an empty store.
//
// Call it from a test of your own store:
//
//	func TestMyStore(t *testing.T) {
//		rewardpointstest.TestStore(t, func(t *testing.T) rewardpoints.Store { return newMyStore(t) })
//	}
func TestStore(t *testing.T, newStore func(t *testing.T) rewardpoints.Store) {
	t.Helper()
	at := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	pending := rewardpoints.Operation{ID: "op-1", UserID: 7, Points: 50, Message: "bonus",
		State: rewardpoints.StatePending, CreatedAt: at, UpdatedAt: at}

	t.Run("CreateThenGet", func(t *testing.T) {
		s := newStore(t)
		got, created, err := s.Create(t.Context(), pending)
		check(t, err)
		if !created || !equal(got, pending) {
			t.Fatalf("Create of a new id = %+v, %v; want the operation and true", got, created)
		}
		got, ok, err := s.Get(t.Context(), "op-1")
		check(t, err)
		if !ok || !equal(got, pending) {
			t.Fatalf("Get = %+v, %v; want %+v", got, ok, pending)
		}
		if _, ok, err := s.Get(t.Context(), "missing"); err != nil || ok {
			t.Fatalf("Get of a missing id = %v, %v; want false, nil", ok, err)
		}
	})

	t.Run("CreateKeepsTheFirst", func(t *testing.T) {
		s := newStore(t)
		_, _, err := s.Create(t.Context(), pending)
		check(t, err)
		other := pending
		other.Points, other.Message = 99, "other"
		got, created, err := s.Create(t.Context(), other)
		check(t, err)
		if created || !equal(got, pending) {
			t.Fatalf("Create of an existing id = %+v, %v; want the stored operation and false", got, created)
		}
	})

	t.Run("UpdateRoundTripsResult", func(t *testing.T) {
		s := newStore(t)
		_, _, err := s.Create(t.Context(), pending)
		check(t, err)
		done := pending
		done.State, done.UpdatedAt, done.LastError = rewardpoints.StateDone, at.Add(time.Minute), "earlier: timeout"
		done.Result = &rewardpoints.AddResult{OperationID: "op-1", UserID: 7, PointsAdded: 50, NewTotal: 1050, Message: "bonus"}
		check(t, s.Update(t.Context(), done))
		got, _, err := s.Get(t.Context(), "op-1")
		check(t, err)
		if !equal(got, done) {
			t.Fatalf("after Update, Get = %+v; want %+v", got, done)
		}
		got.Result.NewTotal = 0 // callers must not share the stored result
		again, _, err := s.Get(t.Context(), "op-1")
		check(t, err)
		if again.Result == nil || again.Result.NewTotal != 1050 {
			t.Fatalf("changing a returned Result changed the stored one")
		}
	})

	t.Run("UpdateMissing", func(t *testing.T) {
		s := newStore(t)
		if err := s.Update(t.Context(), pending); !errors.Is(err, rewardpoints.ErrNoOperation) {
			t.Fatalf("Update of a missing id = %v; want ErrNoOperation", err)
		}
	})

	t.Run("DeleteIsIdempotent", func(t *testing.T) {
		s := newStore(t)
		_, _, err := s.Create(t.Context(), pending)
		check(t, err)
		check(t, s.Delete(t.Context(), "op-1"))
		check(t, s.Delete(t.Context(), "op-1"))
		if _, ok, err := s.Get(t.Context(), "op-1"); err != nil || ok {
			t.Fatalf("Get after Delete = %v, %v; want false, nil", ok, err)
		}
		if _, created, err := s.Create(t.Context(), pending); err != nil || !created {
			t.Fatalf("Create after Delete = %v, %v; want true, nil", created, err)
		}
	})

	t.Run("ConcurrentCreateHasOneWinner", func(t *testing.T) {
		s := newStore(t)
		const n = 16
		var wg sync.WaitGroup
		wins := make(chan int, n)
		errs := make(chan error, n)
		for i := range n {
			wg.Go(func() {
				op := pending
				op.Message = fmt.Sprintf("caller %d", i)
				got, created, err := s.Create(t.Context(), op)
				if err != nil {
					errs <- err
					return
				}
				if created {
					wins <- i
				} else if got.Message == op.Message {
					errs <- fmt.Errorf("caller %d lost but got its own operation back", i)
				}
			})
		}
		wg.Wait()
		close(wins)
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if len(wins) != 1 {
			t.Fatalf("%d concurrent Creates of one id succeeded; want exactly 1", len(wins))
		}
		winner := <-wins
		got, _, err := s.Get(t.Context(), "op-1")
		check(t, err)
		if got.Message != fmt.Sprintf("caller %d", winner) {
			t.Fatalf("stored %q, but caller %d won", got.Message, winner)
		}
	})
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// equal compares operations field by field, times by instant (a database may change the location).
func equal(a, b rewardpoints.Operation) bool {
	if (a.Result == nil) != (b.Result == nil) || (a.Result != nil && *a.Result != *b.Result) {
		return false
	}
	a.Result, b.Result = nil, nil
	if !a.CreatedAt.Equal(b.CreatedAt) || !a.UpdatedAt.Equal(b.UpdatedAt) {
		return false
	}
	a.CreatedAt, b.CreatedAt, a.UpdatedAt, b.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return a == b
}
