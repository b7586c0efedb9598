package pointsyncconnect

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"

	"github.com/loyalsync/loyalsync/pointsync"
	"github.com/loyalsync/loyalsync/woorewards/rewardpoints"
)

// UserResolver finds the WordPress user id of a member's email on a Reward Points site.
type UserResolver func(ctx context.Context, r pointsync.Remote, email string) (int64, error)

// RewardPointsDeliverer delivers movements to a remote of kind pointsync.KindRewardPoints: a
// site with the "WooCommerce Reward Points" plugin, through its add-points API
// (rewardpoints.Client.AddPoints) with an operation id derived from the remote and the movement,
// recorded in the client's operation store so that a retried batch adds nothing twice (give the
// clients a durable rewardpoints.Store with rewardpoints.WithStore to keep that across
// restarts). The remote's Auth and Pass are a WordPress user with manage_woocommerce and its
// application password. Give it to pointsync.NewSender with
// pointsync.WithDeliverer(pointsync.KindRewardPoints, d).
//
// What this direction cannot do, plainly: the API only adds points, so debits (refunds,
// redemptions, manual subtractions) are not sent — they are skipped and logged, and the
// balances drift by them; it has no balance, history or user lookup, so nothing can be read
// back, no drift check is possible, users are found by the UserResolver the caller gives, and
// Ping can only check the settings' form, not the credentials. An add whose outcome is unknown
// (rewardpoints.ErrOutcomeUnknown) keeps the batch queued until an operator resolves it with
// rewardpoints.Client.ResolveUnknown.
type RewardPointsDeliverer struct {
	resolve UserResolver
	opts    []rewardpoints.Option
	log     *slog.Logger
}

var _ pointsync.Deliverer = (*RewardPointsDeliverer)(nil)

// NewRewardPointsDeliverer returns a deliverer finding users with resolve, whose clients take
// opts (rewardpoints.WithStore, rewardpoints.WithHTTPClient, ...). A nil logger discards.
func NewRewardPointsDeliverer(resolve UserResolver, log *slog.Logger, opts ...rewardpoints.Option) (*RewardPointsDeliverer, error) {
	if resolve == nil {
		return nil, errors.New("pointsyncconnect: nil user resolver")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &RewardPointsDeliverer{resolve: resolve, opts: opts, log: log}, nil
}

// Ping checks what can be checked without adding points: the URL and credentials' form.
func (d *RewardPointsDeliverer) Ping(_ context.Context, _ pointsync.LocalSite, r pointsync.Remote) error {
	if _, err := rewardpoints.NewClient(r.URL, r.Auth, r.Pass, d.opts...); err != nil {
		return fmt.Errorf("pointsyncconnect: ping %s: %w", r.URL, err)
	}
	return nil
}

// Deliver adds the batch's credits on the Reward Points site, once each; debits are skipped.
func (d *RewardPointsDeliverer) Deliver(ctx context.Context, _ pointsync.LocalSite, r pointsync.Remote, b *pointsync.Batch) error {
	c, err := rewardpoints.NewClient(r.URL, r.Auth, r.Pass, d.opts...)
	if err != nil {
		return fmt.Errorf("pointsyncconnect: deliver to %s: %w", r.URL, err)
	}
	for _, m := range b.Movements {
		if m.Points <= 0 {
			if m.Points < 0 {
				d.log.WarnContext(ctx, "pointsync: Reward Points cannot subtract; debit not sent",
					"remote", r.SharingKey, "movement", m.ID, "points", m.Points)
			}
			continue
		}
		user, err := d.resolve(ctx, r, m.Member.Email)
		if err != nil {
			return fmt.Errorf("pointsyncconnect: deliver movement %s to %s: user of %s: %w", m.ID, r.URL, m.Member.Email, err)
		}
		_, _, err = c.AddPoints(ctx, rewardpoints.AddRequest{OperationID: RewardPointsOperationID(r.SharingKey, m.ID),
			UserID: user, Points: m.Points, Message: wooRewardsReason(m)})
		if err != nil {
			return fmt.Errorf("pointsyncconnect: deliver movement %s to %s: %w", m.ID, r.URL, err)
		}
	}
	return nil
}

// RewardPointsOperationID is the add-points operation id of a movement sent to a remote: what
// an operator passes to rewardpoints.Client.ResolveUnknown after checking the user's points log.
func RewardPointsOperationID(remote, movementID string) string {
	sum := sha256.Sum256([]byte(remote + "\x00" + movementID))
	return "pointsync-" + hex.EncodeToString(sum[:])
}
