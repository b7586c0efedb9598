package woorewards

import (
	"context"
	"fmt"
	"strconv"

	"github.com/loyalsync/loyalsync/internal/rest"
	"github.com/loyalsync/loyalsync/internal/wp"
)

// BadgesService reads users' badges, badge owners and badge rarity. The badges themselves are
// WordPress posts of type lws_badge, listed by the WordPress core API (/wp-json/wp/v2/lws_badge).
type BadgesService service

// ListForUser returns the badges of the user with this email (GET /badges/{email}). Needs the user
// reading permission, and reading other users' data needs the capability to (else ErrForbidden).
// An unknown email is ErrUserNotFound.
//
// WooRewards API docs: https://plugins.longwatchstudio.com/kb/badges/
func (s *BadgesService) ListForUser(ctx context.Context, email string) ([]UserBadge, *Response, error) {
	op := fmt.Sprintf("list badges of %q", email)
	if err := checkEmail(email); err != nil {
		return nil, nil, fmt.Errorf("woorewards: %s: %w", op, err)
	}
	var out wp.List[UserBadge]
	resp, err := s.client.call(ctx, op, &rest.Request{Path: rest.JoinPath("badges", email)}, &out, ResourceUser)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// Owners returns the WordPress user ids of the users who own a badge (GET /badge_owners/{badge}).
// Needs the user reading permission and the capability to read other users' data (else
// ErrForbidden). An unknown badge is ErrBadgeNotFound.
//
// WooRewards API docs: https://plugins.longwatchstudio.com/kb/badges/
func (s *BadgesService) Owners(ctx context.Context, badgeID int64) ([]int64, *Response, error) {
	op := fmt.Sprintf("list owners of badge %d", badgeID)
	if err := checkID("badge id", badgeID); err != nil {
		return nil, nil, fmt.Errorf("woorewards: %s: %w", op, err)
	}
	var ids wp.List[wp.Int]
	resp, err := s.client.call(ctx, op, &rest.Request{Path: rest.JoinPath("badge_owners", strconv.FormatInt(badgeID, 10))}, &ids, ResourceBadge)
	if err != nil {
		return nil, resp, err
	}
	out := make([]int64, len(ids))
	for i, id := range ids {
		out[i] = int64(id)
	}
	return out, resp, nil
}

// Rarity returns how rare a badge is (GET /badge_rarity/{badge}). Needs the general reading
// permission. An unknown badge is ErrBadgeNotFound.
//
// WooRewards API docs: https://plugins.longwatchstudio.com/kb/badges/
func (s *BadgesService) Rarity(ctx context.Context, badgeID int64) (*BadgeRarity, *Response, error) {
	op := fmt.Sprintf("get rarity of badge %d", badgeID)
	if err := checkID("badge id", badgeID); err != nil {
		return nil, nil, fmt.Errorf("woorewards: %s: %w", op, err)
	}
	out := new(BadgeRarity)
	resp, err := s.client.call(ctx, op, &rest.Request{Path: rest.JoinPath("badge_rarity", strconv.FormatInt(badgeID, 10))}, out, ResourceBadge)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}
