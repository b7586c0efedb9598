package woorewards

import (
	"context"
	"fmt"

	"github.com/loyalsync/loyalsync/internal/rest"
	"github.com/loyalsync/loyalsync/internal/wp"
)

// PoolsService reads the points and rewards systems ("pools") and how points are earned in them.
type PoolsService service

// List returns every pool (GET /pools). Needs the general reading permission.
//
// WooRewards API docs: https://plugins.longwatchstudio.com/kb/points-and-rewards-systems-info/
func (s *PoolsService) List(ctx context.Context) ([]Pool, *Response, error) {
	var out wp.List[Pool]
	resp, err := s.client.call(ctx, "list pools", &rest.Request{Path: "pools"}, &out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// EarningMethods returns the ways to earn points in a pool (GET /pools/{pool}/methods). Needs the
// general reading permission. An unknown pool is ErrPoolNotFound.
//
// WooRewards API docs: https://plugins.longwatchstudio.com/kb/points-actions/
func (s *PoolsService) EarningMethods(ctx context.Context, poolID string) ([]EarningMethod, *Response, error) {
	op := fmt.Sprintf("list earning methods of pool %q", poolID)
	if err := checkSegment("pool id", poolID); err != nil {
		return nil, nil, fmt.Errorf("woorewards: %s: %w", op, err)
	}
	var out wp.List[EarningMethod]
	resp, err := s.client.call(ctx, op, &rest.Request{Path: rest.JoinPath("pools", poolID, "methods")}, &out, ResourcePool)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}
