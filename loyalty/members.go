package loyalty

import (
	"context"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Enroll adds a member to a program by hand (a card scanned at the counter, a staff sign-up):
// the member is matched by normalised email or created, and joins the program. Enrolling an
// existing member again returns them unchanged. A new member keeps nm.Code when it is a
// well-formed code no member has (see NewMember.Code).
func (e *Engine) Enroll(ctx context.Context, programID string, nm NewMember) (Member, error) {
	if email := NormalizeEmail(nm.Email); !validEmail(email) {
		return Member{}, invalid("NewMember.Email", "%q is not a valid email address", nm.Email)
	}
	var m Member
	err := e.update(ctx, func(tx Tx) error {
		now := e.now()
		p, err := loadProgram(ctx, tx, programID)
		if err != nil {
			return err
		}
		if nm.Language == "" {
			nm.Language = p.EmailLanguage
		}
		if m, _, err = e.ensureMember(ctx, tx, nm, now); err != nil {
			return err
		}
		_, err = ensureAccount(ctx, tx, programID, m.ID, now)
		return err
	})
	if err != nil {
		return Member{}, fmt.Errorf("loyalty: enroll: %w", err)
	}
	return m, nil
}

// EnsureMember returns the member whose normalised email is nm.Email, or creates it in tx the
// way the engine creates members from orders: an id and a member code drawn from the engine's
// random source (WithRandom), nm.Code kept instead when it is a well-formed code no member has
// (see NewMember.Code), CreatedAt from the engine's clock, Source nm.Source ("manual" when
// empty) and Language nm.Language as given. created reports whether the member is new.
//
// It is for callers that write their own movements in a transaction of the engine's Store
// (Engine.Store), such as loyalty/pointsyncconnect applying movements received from another
// site: tx must be such a transaction, and the caller retries it on ErrConflict and
// ErrDuplicateKey (two transactions creating the same email or code). Nothing else happens: the
// member joins no program, earns no welcome bonus and is sent no email. An email that is not a
// valid address is a *ValidationError.
func (e *Engine) EnsureMember(ctx context.Context, tx Tx, nm NewMember) (m Member, created bool, err error) {
	return e.ensureMember(ctx, tx, nm, e.now())
}

func (e *Engine) ensureMember(ctx context.Context, tx Tx, nm NewMember, now time.Time) (m Member, created bool, err error) {
	email := NormalizeEmail(nm.Email)
	if !validEmail(email) {
		return Member{}, false, invalid("NewMember.Email", "%q is not a valid email address", nm.Email)
	}
	m, err = tx.MemberByEmail(ctx, email)
	if !isNotFound(err) {
		return m, false, err
	}
	m, err = e.createMember(ctx, tx, nm, now)
	if err != nil {
		return Member{}, false, err
	}
	return m, true, nil
}

// ChangeMemberEmail changes the email of a member of the program (staff editing the customer
// at the counter): the address is normalised, must be valid, and must not be another
// member's (*EmailTakenError otherwise). The change is in the activity log under actor; an
// unchanged address changes and logs nothing.
func (e *Engine) ChangeMemberEmail(ctx context.Context, programID, memberID, email, actor string) (Member, error) {
	norm := NormalizeEmail(email)
	if !validEmail(norm) {
		return Member{}, invalid("email", "%q is not a valid email address", email)
	}
	var m Member
	err := e.update(ctx, func(tx Tx) error {
		var err error
		if _, err = loadProgram(ctx, tx, programID); err != nil {
			return err
		}
		if m, err = findMember(ctx, tx, MemberRef{ID: memberID}); err != nil {
			return err
		}
		if _, err := tx.Account(ctx, programID, m.ID); isNotFound(err) {
			return fmt.Errorf("member %s: %w", m.ID, ErrNotMember)
		} else if err != nil {
			return err
		}
		if m.Email == norm {
			return nil
		}
		if other, err := tx.MemberByEmail(ctx, norm); err == nil && other.ID != m.ID {
			return &EmailTakenError{MemberID: m.ID, Email: norm}
		} else if err != nil && !isNotFound(err) {
			return err
		}
		if err := tx.UpdateMemberEmail(ctx, m.ID, norm); err != nil {
			return err
		}
		old := m.Email
		m.Email = norm
		if actor == "" {
			actor = "system"
		}
		return tx.AppendActivity(ctx, ActivityEntry{ProgramID: programID, Kind: ActivityEmailChanged, Actor: actor,
			MemberID: m.ID, At: e.now(), Message: fmt.Sprintf("email changed from %s to %s", orNone(old), norm)})
	})
	if err != nil {
		return Member{}, fmt.Errorf("loyalty: change member email: %w", err)
	}
	return m, nil
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// FindMember looks a member up by id, number, code or normalised email; the error wraps
// ErrMemberNotFound when none matches.
func (e *Engine) FindMember(ctx context.Context, ref MemberRef) (Member, error) {
	var m Member
	err := e.store.View(ctx, func(tx ReadTx) error {
		var err error
		m, err = findMember(ctx, tx, ref)
		return err
	})
	return m, err
}

// Wallet is a member's standing in a program, as the card page's store discount block shows it.
type Wallet struct {
	// Program is the program as it stood when the wallet was read.
	Program Program
	Member  Member
	Account Account
	// Balance is the points balance and Value its worth in store discount.
	Balance int64
	Value   decimal.Decimal
	// BalanceLine, e.g. "You now have 1,200 points = 60.00 in store discount".
	BalanceLine string
	// ProgressLine, e.g. "Only 180 more points until your first 50.00 discount" (empty when the
	// balance reaches the minimum or the points discount is off).
	ProgressLine string
	// CanRedeem reports whether a redemption is possible now, and RedeemMin and RedeemMax are
	// the bounds a redemption must respect (the maximum is capped by the balance).
	CanRedeem            bool
	RedeemMin, RedeemMax int64
	// Tier is the member's tier standing and TierLine its card line, e.g. "Gold: 5,200 points
	// earned; 4,800 more to Platinum" (empty when the program has no tiers).
	Tier     TierStanding
	TierLine string
	// Channels sums the member's purchases per channel and source (webshop, counters), in
	// the order they were first used; Balance is the one balance they all feed.
	Channels []ChannelTotal
}

// Wallet returns a member's balance in a program and what it is worth. The error wraps
// ErrMemberNotFound or ErrNotMember when the member is unknown or not in the program.
func (e *Engine) Wallet(ctx context.Context, programID string, ref MemberRef) (Wallet, error) {
	var w Wallet
	err := e.store.View(ctx, func(tx ReadTx) error {
		p, err := loadProgram(ctx, tx, programID)
		if err != nil {
			return err
		}
		if w.Member, err = findMember(ctx, tx, ref); err != nil {
			return err
		}
		w.Account, err = tx.Account(ctx, programID, w.Member.ID)
		if isNotFound(err) {
			return ErrNotMember
		} else if err != nil {
			return err
		}
		r := p.Redemption
		w.Program = p
		w.Balance = w.Account.Balance
		w.Value = p.PointsValue(w.Balance)
		w.BalanceLine = p.BalanceLine(w.Balance)
		w.ProgressLine = p.ProgressLine(w.Balance)
		w.RedeemMin, w.RedeemMax = r.MinPoints, w.Balance
		if r.MaxPoints > 0 {
			w.RedeemMax = min(r.MaxPoints, w.Balance)
		}
		w.CanRedeem = r.Enabled && !p.Paused && w.RedeemMax >= w.RedeemMin
		return w.addStanding(ctx, tx, p, e.now())
	})
	return w, err
}

// Balance returns a member's points balance in a program.
func (e *Engine) Balance(ctx context.Context, programID string, ref MemberRef) (int64, error) {
	w, err := e.Wallet(ctx, programID, ref)
	return w.Balance, err
}

// PageOptions selects one page of a list, newest first.
type PageOptions struct {
	// Cursor continues after the previous page (its Next); zero starts at the newest.
	Cursor int64
	// Limit is the page size: 1 to 1000, default 50.
	Limit int
}

func (o PageOptions) page() Page {
	l := o.Limit
	if l <= 0 {
		l = 50
	}
	return Page{Before: o.Cursor, Limit: min(l, 1000)}
}

// next returns the cursor after a page whose last item has seq: 0 when the page was not full.
func next(n, limit int, lastSeq int64) int64 {
	if n < limit {
		return 0
	}
	return lastSeq
}

// listPage reads one page with list in a read transaction and returns it with the cursor of
// the next page.
func listPage[T any](ctx context.Context, e *Engine, opts PageOptions, seq func(T) int64,
	list func(tx ReadTx, p Page) ([]T, error)) ([]T, int64, error) {
	page := opts.page()
	var items []T
	err := e.store.View(ctx, func(tx ReadTx) error {
		var err error
		items, err = list(tx, page)
		return err
	})
	if err != nil || len(items) == 0 {
		return items, 0, err
	}
	return items, next(len(items), page.Limit, seq(items[len(items)-1])), nil
}

// History returns one page of a member's movements in a program, newest first, and the cursor
// of the next page (0 at the end).
func (e *Engine) History(ctx context.Context, programID, memberID string, opts PageOptions) ([]Movement, int64, error) {
	return listPage(ctx, e, opts, func(m Movement) int64 { return m.Seq }, func(tx ReadTx, p Page) ([]Movement, error) {
		return tx.Movements(ctx, programID, memberID, p)
	})
}

// AllHistory iterates over every movement of a member in a program, newest first, one page at a
// time.
func (e *Engine) AllHistory(ctx context.Context, programID, memberID string) iter.Seq2[Movement, error] {
	return pages(func(o PageOptions) ([]Movement, int64, error) { return e.History(ctx, programID, memberID, o) })
}

// Members returns one page of a program's members with their accounts, the newest to join
// first, and the cursor of the next page (0 at the end).
func (e *Engine) Members(ctx context.Context, programID string, opts PageOptions) ([]Membership, int64, error) {
	return listPage(ctx, e, opts, func(m Membership) int64 { return m.Account.Seq }, func(tx ReadTx, p Page) ([]Membership, error) {
		return tx.Memberships(ctx, programID, p)
	})
}

// AllMembers iterates over every member of a program, the newest to join first.
func (e *Engine) AllMembers(ctx context.Context, programID string) iter.Seq2[Membership, error] {
	return pages(func(o PageOptions) ([]Membership, int64, error) { return e.Members(ctx, programID, o) })
}

func pages[T any](list func(PageOptions) ([]T, int64, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		opts := PageOptions{Limit: 200}
		for {
			items, cursor, err := list(opts)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if cursor == 0 {
				return
			}
			opts.Cursor = cursor
		}
	}
}

// AdjustRequest credits or debits a member's points by hand (compensating a wasted coupon) or
// from an external ledger (points-sync).
type AdjustRequest struct {
	ProgramID string
	Member    MemberRef
	// Points is the signed amount; a debit larger than the balance stops at zero.
	Points int64
	// Key makes the adjustment idempotent: the movement key is "adjust/<Key>". Required.
	Key string
	// Reason is shown in the member's history.
	Reason string
	// Actor is recorded in the activity log.
	Actor string
}

// AdjustResult is what Adjust did.
type AdjustResult struct {
	Movement Movement
	// Duplicate is set when an adjustment with the same key was already applied; Movement is
	// then that earlier movement.
	Duplicate bool
}

// Adjust applies a manual or external correction once per key. The member joins the program if
// needed.
func (e *Engine) Adjust(ctx context.Context, req AdjustRequest) (AdjustResult, error) {
	if strings.TrimSpace(req.Key) == "" {
		return AdjustResult{}, invalid("AdjustRequest.Key", "is required")
	}
	if req.Points == 0 || req.Points > MaxPoints || req.Points < -MaxPoints {
		return AdjustResult{}, invalid("AdjustRequest.Points", "must be non-zero and within ±%d", MaxPoints)
	}
	var res AdjustResult
	err := e.update(ctx, func(tx Tx) error {
		res = AdjustResult{}
		now := e.now()
		if _, err := loadProgram(ctx, tx, req.ProgramID); err != nil {
			return err
		}
		key := AdjustKey(req.Key)
		if m, err := tx.Movement(ctx, req.ProgramID, key); err == nil {
			res = AdjustResult{Movement: m, Duplicate: true}
			return nil
		} else if !isNotFound(err) {
			return err
		}
		member, err := findMember(ctx, tx, req.Member)
		if err != nil {
			return err
		}
		acct, err := ensureAccount(ctx, tx, req.ProgramID, member.ID, now)
		if err != nil {
			return err
		}
		reason := req.Reason
		if reason == "" {
			reason = "Adjustment"
		}
		if res.Movement, _, err = post(ctx, tx, now, acct, Movement{Key: key, Kind: KindAdjust, Requested: req.Points, Reason: reason}); err != nil {
			return err
		}
		actor := req.Actor
		if actor == "" {
			actor = "system"
		}
		return tx.AppendActivity(ctx, ActivityEntry{ProgramID: req.ProgramID, Kind: ActivityAdjustment, Actor: actor,
			MemberID: member.ID, At: now, Message: fmt.Sprintf("adjusted by %+d points: %s", req.Points, reason)})
	})
	if err != nil {
		return AdjustResult{}, fmt.Errorf("loyalty: adjust: %w", err)
	}
	return res, nil
}
