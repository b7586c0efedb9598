package wooconnect

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/loyalsync/loyalsync/loyalty"
)

// RedeemRequest redeems points on a member's behalf (a phone order, a support case).
type RedeemRequest struct {
	// ConnectionID names the store the coupon is created in; its program is the one redeemed
	// on.
	ConnectionID string
	// Member is what staff entered: the member's email address, member code or member number.
	Member string
	// Points is how many points to redeem; the program's bounds apply as for members.
	Points int64
	// Actor is the staff user, recorded in the activity log. Required.
	Actor string
	// IdempotencyKey makes a retried request resume the same redemption (recommended: a form
	// token).
	IdempotencyKey string
}

// RedeemForMember redeems points on a member's behalf and returns the redemption, whose Code is
// the coupon to share. The same rules and bounds apply as when members redeem themselves, and
// the member must already be part of the linked program (loyalty.ErrNotMember otherwise).
// Paused connections refuse with an error matching both ErrPaused and
// loyalty.ErrProgramPaused.
func (c *Connector) RedeemForMember(ctx context.Context, req RedeemRequest) (loyalty.Redemption, error) {
	if strings.TrimSpace(req.Actor) == "" {
		return loyalty.Redemption{}, errors.New("wooconnect: RedeemForMember: Actor (the staff user) is required")
	}
	rec, err := c.conns.Connection(ctx, req.ConnectionID)
	if err != nil {
		return loyalty.Redemption{}, err
	}
	switch rec.State() {
	case StateDisconnected:
		return loyalty.Redemption{}, fmt.Errorf("%w: %s", ErrDisconnected, rec.StoreURL)
	case StatePaused:
		return loyalty.Redemption{}, fmt.Errorf("%w: %w", ErrPaused, loyalty.ErrProgramPaused)
	}
	m, err := c.FindMember(ctx, req.Member)
	if err != nil {
		return loyalty.Redemption{}, err
	}
	return c.eng.Redeem(ctx, loyalty.RedeemRequest{ProgramID: rec.ProgramID, Member: loyalty.MemberRef{ID: m.ID},
		Points: req.Points, IdempotencyKey: req.IdempotencyKey, Actor: req.Actor})
}

// FindMember looks a member up by what staff typed: an email address (contains "@"), a member
// number (digits, optionally after "#"), or a member code. Eight-character codes made only of
// digits are tried as a number first, then as a code. The error wraps loyalty.ErrMemberNotFound
// when nobody matches and ErrInvalidMemberRef when the input is none of the three.
func (c *Connector) FindMember(ctx context.Context, entered string) (loyalty.Member, error) {
	refs, err := ParseMemberRef(entered)
	if err != nil {
		return loyalty.Member{}, err
	}
	for _, ref := range refs {
		m, err := c.eng.FindMember(ctx, ref)
		if errors.Is(err, loyalty.ErrMemberNotFound) {
			continue
		}
		return m, err
	}
	return loyalty.Member{}, fmt.Errorf("%w: %q", loyalty.ErrMemberNotFound, entered)
}

// ParseMemberRef reads what staff entered into the member references to try, in order.
func ParseMemberRef(entered string) ([]loyalty.MemberRef, error) {
	s := strings.TrimSpace(entered)
	switch {
	case s == "" || len(s) > 254:
		return nil, ErrInvalidMemberRef
	case strings.Contains(s, "@"):
		return []loyalty.MemberRef{{Email: s}}, nil
	}
	digits := strings.TrimPrefix(s, "#")
	if n, err := strconv.ParseInt(digits, 10, 64); err == nil && n > 0 && !strings.HasPrefix(digits, "+") {
		refs := []loyalty.MemberRef{{Number: n}}
		if len(s) == 8 {
			refs = append(refs, loyalty.MemberRef{Code: s})
		}
		return refs, nil
	}
	if len(s) != 8 {
		return nil, fmt.Errorf("%w: %q", ErrInvalidMemberRef, entered)
	}
	for _, r := range strings.ToUpper(s) {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return nil, fmt.Errorf("%w: %q", ErrInvalidMemberRef, entered)
		}
	}
	return []loyalty.MemberRef{{Code: s}}, nil
}
