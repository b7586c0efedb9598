package woorewards

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/loyalsync/loyalsync/internal/rest"
	"github.com/loyalsync/loyalsync/internal/wp"
)

// RewardsService lists the rewards of a pool and unlocks them for users.
type RewardsService service

// List returns the rewards of a pool (GET /pools/{pool}/rewards). Needs the general reading
// permission. An unknown pool is ErrPoolNotFound.
//
// WooRewards API docs: https://plugins.longwatchstudio.com/kb/rewards/
func (s *RewardsService) List(ctx context.Context, poolID string) ([]Reward, *Response, error) {
	op := fmt.Sprintf("list rewards of pool %q", poolID)
	if err := checkSegment("pool id", poolID); err != nil {
		return nil, nil, fmt.Errorf("woorewards: %s: %w", op, err)
	}
	var out wp.List[Reward]
	resp, err := s.client.call(ctx, op, &rest.Request{Path: rest.JoinPath("pools", poolID, "rewards")}, &out, ResourcePool)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// Unlock grants a reward to the user with this email, consuming the reward's cost from their
// points (PUT /pools/{pool}/rewards/{reward}/unlock/{email}). Needs the user writing permission.
//
// Errors: ErrUserNotFound, ErrPoolNotFound or ErrRewardNotFound (404; ErrNotFound alone when the
// server's message does not say which), ErrPoolInactive (410), ErrConditionsNotMet (409: not
// enough points, a role restriction…).
//
// Unlock is not retried after a network error or a 5xx: WooRewards takes no idempotency key, so a
// request whose response was lost may have unlocked the reward, and sending it again would unlock
// it twice and spend the points twice. On such an error, read the user's balance (Points.Get)
// before deciding to try again.
//
// WooRewards API docs: https://plugins.longwatchstudio.com/kb/unlock-a-reward/
func (s *RewardsService) Unlock(ctx context.Context, poolID string, rewardID int64, email string) (*Unlock, *Response, error) {
	op := fmt.Sprintf("unlock reward %d of pool %q for %q", rewardID, poolID, email)
	if err := firstErr(checkSegment("pool id", poolID), checkID("reward id", rewardID), checkEmail(email)); err != nil {
		return nil, nil, fmt.Errorf("woorewards: %s: %w", op, err)
	}
	req := &rest.Request{
		Method: http.MethodPut,
		Path:   rest.JoinPath("pools", poolID, "rewards", strconv.FormatInt(rewardID, 10), "unlock", email),
	}
	out := new(Unlock)
	resp, err := s.client.call(ctx, op, req, out, ResourceUser, ResourcePool, ResourceReward)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}
