package loyalty

import (
	"context"
	"fmt"
	"strings"
)

// SaveProgram validates p (after defaults), stores it and records the changed settings in the
// activity log under actor. It returns the stored program.
func (e *Engine) SaveProgram(ctx context.Context, p Program, actor string) (Program, error) {
	p = p.WithDefaults()
	if err := p.Validate(); err != nil {
		return Program{}, err
	}
	if actor == "" {
		actor = "system"
	}
	err := e.update(ctx, func(tx Tx) error {
		now := e.now()
		p.UpdatedAt = now
		old, err := tx.Program(ctx, p.ID)
		var changes []string
		switch {
		case isNotFound(err):
			changes = []string{"program created"}
		case err != nil:
			return err
		default:
			if old.Currency != p.Currency {
				return invalid("Currency", "cannot change from %s to %s: balances and coupons are in %s", old.Currency, p.Currency, old.Currency)
			}
			changes = p.changes(old)
		}
		if err := tx.PutProgram(ctx, p); err != nil {
			return err
		}
		if len(changes) == 0 {
			return nil
		}
		return tx.AppendActivity(ctx, ActivityEntry{ProgramID: p.ID, Kind: ActivitySettingsChanged, Actor: actor, At: now,
			Message: "settings changed: " + strings.Join(changes, "; ")})
	})
	if err != nil {
		return Program{}, fmt.Errorf("loyalty: save program %q: %w", p.ID, err)
	}
	return p, nil
}

// Program returns a stored program; the error wraps ErrProgramNotFound when there is none.
func (e *Engine) Program(ctx context.Context, id string) (Program, error) {
	var p Program
	err := e.store.View(ctx, func(tx ReadTx) error {
		var err error
		p, err = loadProgram(ctx, tx, id)
		return err
	})
	return p, err
}

// Programs lists every stored program.
func (e *Engine) Programs(ctx context.Context) ([]Program, error) {
	var ps []Program
	err := e.store.View(ctx, func(tx ReadTx) error {
		var err error
		ps, err = tx.Programs(ctx)
		return err
	})
	return ps, err
}

// SetPaused pauses or resumes a program (a connection's Pause and Resume) and logs it. While
// paused, order deliveries are recorded and skipped and redemptions are refused; orders placed
// meanwhile are not back-filled.
func (e *Engine) SetPaused(ctx context.Context, programID string, paused bool, actor string) error {
	if actor == "" {
		actor = "system"
	}
	err := e.update(ctx, func(tx Tx) error {
		p, err := loadProgram(ctx, tx, programID)
		if err != nil || p.Paused == paused {
			return err
		}
		now := e.now()
		p.Paused, p.UpdatedAt = paused, now
		if err := tx.PutProgram(ctx, p); err != nil {
			return err
		}
		kind, msg := ActivityResumed, "processing resumed"
		if paused {
			kind, msg = ActivityPaused, "processing paused"
		}
		return tx.AppendActivity(ctx, ActivityEntry{ProgramID: p.ID, Kind: kind, Actor: actor, At: now, Message: msg})
	})
	if err != nil {
		return fmt.Errorf("loyalty: pause program %q: %w", programID, err)
	}
	return nil
}
