package loyalty

import (
	"context"
	"fmt"
)

// NoteWelcomeGranted records in tx that the member had their welcome bonus on the program
// elsewhere — on another site of the merchant, whose welcome bonus movement the caller has just
// applied (loyalty/pointsyncconnect does) — so that this engine never grants them one of its
// own: a movement of kind KindWelcome and 0 points under the member's WelcomeKey, with reason
// for the member's history, dated by the engine's clock. The engine grants the welcome bonus
// once per member and program, under that key, so an order of the member here finds the key
// taken and awards its purchase points only; the order path reads nothing more for it.
//
// When the key is already taken (this engine granted the member its welcome bonus, or an earlier
// note was written), nothing is written: that movement is returned with noted false, and the
// member has had two welcome bonuses on the merchant's sites. Otherwise the note is returned
// with noted true.
//
// The member must have an account on the program. As with EnsureMember, tx must be a
// transaction of the engine's Store, and the caller retries it on ErrConflict and
// ErrDuplicateKey (an order of the member granting the bonus in a concurrent transaction).
func (e *Engine) NoteWelcomeGranted(ctx context.Context, tx Tx, programID, memberID, reason string) (m Movement, noted bool, err error) {
	key := WelcomeKey(memberID)
	m, err = tx.Movement(ctx, programID, key)
	if err == nil {
		return m, false, nil
	}
	if !isNotFound(err) {
		return Movement{}, false, err
	}
	acct, err := tx.Account(ctx, programID, memberID)
	if err != nil {
		return Movement{}, false, fmt.Errorf("loyalty: note welcome bonus of %s: %w", memberID, err)
	}
	m, _, err = post(ctx, tx, e.now(), acct, Movement{Key: key, Kind: KindWelcome, Reason: reason})
	if err != nil {
		return Movement{}, false, err
	}
	return m, true, nil
}
