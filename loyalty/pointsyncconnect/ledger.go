package pointsyncconnect

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/pointsync"
)

// ActivityDoubleSpend is the activity kind recorded when a movement applied from sync takes a
// member's balance below zero: the same points were spent on two sites at once.
const ActivityDoubleSpend loyalty.ActivityKind = "sync_double_spend"

// ActivityDoubleWelcome is the activity kind recorded when a welcome bonus applied from sync
// reaches a member who already had one here: two sites granted the same person their welcome
// bonus before either heard of the other's (see the package doc).
const ActivityDoubleWelcome loyalty.ActivityKind = "sync_double_welcome"

// Ledger applies movements received from remote sites to a loyalty.Store; it implements
// pointsync.Ledger. Create it with NewLedger.
type Ledger struct {
	eng   *loyalty.Engine
	store loyalty.Store
	clock loyalty.Clock
}

var _ pointsync.Ledger = (*Ledger)(nil)

// NewLedger returns the Ledger that applies received movements to the engine's store
// (loyalty.Engine.Store; the Store returned by Observe or the plain one: movements applied here
// are never queued either way) and creates unknown members through the engine
// (loyalty.Engine.EnsureMember), with its ids, member codes, random source and clock. Option:
// WithClock (default: the engine's clock).
func NewLedger(eng *loyalty.Engine, opts ...Option) (*Ledger, error) {
	if eng == nil {
		return nil, errors.New("pointsyncconnect: nil engine")
	}
	o, err := newOptions(opts)
	if err != nil {
		return nil, err
	}
	clock := eng.Clock()
	if o.clockSet {
		clock = o.clock
	}
	return &Ledger{eng: eng, store: eng.Store(), clock: clock}, nil
}

// SyncKey is the ledger key of the movement id applied from the remote site origin:
// "sync/<origin>/<id>" with both parts escaped.
func SyncKey(origin, id string) string {
	return SyncKeyPrefix + url.PathEscape(origin) + "/" + url.PathEscape(id)
}

// HasReserve reports whether reserve is a program of the store.
func (l *Ledger) HasReserve(ctx context.Context, reserve string) (bool, error) {
	var ok bool
	err := l.store.View(ctx, func(tx loyalty.ReadTx) error {
		_, err := tx.Program(ctx, reserve)
		if errors.Is(err, loyalty.ErrNotFound) {
			return nil
		}
		ok = err == nil
		return err
	})
	if err != nil {
		return false, fmt.Errorf("pointsyncconnect: reserve %s: %w", reserve, err)
	}
	return ok, nil
}

// ApplyRemote applies a batch in one transaction, each movement once by (origin, id).
func (l *Ledger) ApplyRemote(ctx context.Context, in pointsync.Incoming) (pointsync.Applied, error) {
	var res pointsync.Applied
	err := retry(func() error {
		res = pointsync.Applied{}
		return l.store.Update(ctx, func(tx loyalty.Tx) error {
			p, err := tx.Program(ctx, in.Reserve)
			if errors.Is(err, loyalty.ErrNotFound) {
				return pointsync.ErrUnknownReserve
			} else if err != nil {
				return err
			}
			for _, m := range in.Movements {
				applied, err := l.apply(ctx, tx, p, in, m)
				if err != nil {
					return fmt.Errorf("movement %s: %w", m.ID, err)
				}
				if applied {
					res.Applied++
				} else {
					res.Duplicates++
				}
			}
			return nil
		})
	})
	if err != nil {
		return pointsync.Applied{}, fmt.Errorf("pointsyncconnect: apply batch %s from %s: %w", in.BatchID, in.Origin, err)
	}
	return res, nil
}

// retry runs fn again, a few times, when the store reports a conflict.
func retry(fn func() error) error {
	var err error
	for range 8 {
		if err = fn(); !errors.Is(err, loyalty.ErrConflict) && !errors.Is(err, loyalty.ErrDuplicateKey) {
			return err
		}
	}
	return err
}

func (l *Ledger) apply(ctx context.Context, tx loyalty.Tx, p loyalty.Program, in pointsync.Incoming, m pointsync.Movement) (bool, error) {
	key := SyncKey(in.Origin, m.ID)
	if _, err := tx.Movement(ctx, in.Reserve, key); err == nil {
		return false, nil
	} else if !errors.Is(err, loyalty.ErrNotFound) {
		return false, err
	}
	now := l.clock.Now().UTC()
	mem, err := l.member(ctx, tx, p, m.Member, in.Origin)
	if err != nil {
		return false, err
	}
	acct, err := tx.Account(ctx, in.Reserve, mem.ID)
	if errors.Is(err, loyalty.ErrNotFound) {
		acct, err = tx.CreateAccount(ctx, loyalty.Account{ProgramID: in.Reserve, MemberID: mem.ID, JoinedAt: now, UpdatedAt: now})
	}
	if err != nil {
		return false, err
	}
	after := acct.Balance + m.Points
	_, err = tx.AppendMovement(ctx, loyalty.Movement{
		ProgramID: in.Reserve, MemberID: mem.ID, Key: key, Kind: loyalty.MovementKind(m.Kind),
		Requested: m.Points, Applied: m.Points, BalanceAfter: after,
		Reason: m.Reason, CreatedAt: m.Time.UTC(),
	})
	if err != nil {
		return false, err
	}
	if m.Kind == pointsync.KindWelcome && m.Points > 0 {
		if err := l.noteWelcome(ctx, tx, in, m, mem.ID, now); err != nil {
			return false, err
		}
	}
	if after < 0 && m.Points < 0 {
		err = tx.AppendActivity(ctx, loyalty.ActivityEntry{
			ProgramID: in.Reserve, Kind: ActivityDoubleSpend, Actor: "sync:" + in.Origin, MemberID: mem.ID,
			Message: fmt.Sprintf("double spend: %d points from site %s (movement %s) take the balance to %d; redemptions are refused until it is positive again",
				m.Points, in.Origin, m.ID, after),
			At: now,
		})
	}
	return true, err
}

// noteWelcome follows the welcome bonus m of another site, just applied to the member: the
// member had their welcome bonus, so this site's engine must not grant one
// (loyalty.Engine.NoteWelcomeGranted writes a 0-point record under the member's welcome key,
// which no outbound queue carries). When the member already had a welcome bonus here, the
// double bonus is recorded in the activity log.
func (l *Ledger) noteWelcome(ctx context.Context, tx loyalty.Tx, in pointsync.Incoming, m pointsync.Movement, memberID string, now time.Time) error {
	reason := "Welcome bonus granted on site " + in.Origin
	if m.Reason != "" {
		reason += " (" + m.Reason + ")"
	}
	reason += ": none on this site"
	prior, noted, err := l.eng.NoteWelcomeGranted(ctx, tx, in.Reserve, memberID, reason)
	if err != nil || noted {
		return err
	}
	return tx.AppendActivity(ctx, loyalty.ActivityEntry{
		ProgramID: in.Reserve, Kind: ActivityDoubleWelcome, Actor: "sync:" + in.Origin, MemberID: memberID,
		Message: fmt.Sprintf("welcome bonus granted twice: %d points granted on site %s (movement %s) arrived for a member whose welcome bonus was already on record here (%q); both stay on every site, so balances agree; take one back with a manual adjustment if it should not stand",
			m.Points, in.Origin, m.ID, prior.Reason),
		At: now,
	})
}

// member finds the member by normalised email, then by code, or creates one as the engine
// creates members (loyalty.Engine.EnsureMember): with the engine's id and a member code — the
// member's code on the origin site when it is well formed and free here — in the program's email
// language, Source "sync:<origin>". Creating a member grants nothing: a welcome bonus the origin
// gave arrives as a movement of its own.
func (l *Ledger) member(ctx context.Context, tx loyalty.Tx, p loyalty.Program, who pointsync.Member, origin string) (loyalty.Member, error) {
	email := loyalty.NormalizeEmail(who.Email)
	m, err := tx.MemberByEmail(ctx, email)
	if !errors.Is(err, loyalty.ErrNotFound) {
		return m, err
	}
	if code := strings.ToUpper(strings.TrimSpace(who.Code)); code != "" {
		m, err = tx.MemberByCode(ctx, code)
		if !errors.Is(err, loyalty.ErrNotFound) {
			return m, err
		}
	}
	m, _, err = l.eng.EnsureMember(ctx, tx, loyalty.NewMember{Email: email, Code: who.Code,
		Language: p.EmailLanguage, Source: "sync:" + origin})
	return m, err
}
