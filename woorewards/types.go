package woorewards

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/loyalsync/loyalsync/internal/value"
	"github.com/loyalsync/loyalsync/internal/wp"
)

// LocalTime is a wall-clock timestamp in the site's timezone, as WordPress stores dates. Use its
// In method with the site's timezone to get the instant.
type LocalTime = value.LocalTime

// The decoders below follow the API documentation's promise that each object "contains at least"
// the listed fields: unknown fields are ignored (and kept in Raw), ids are accepted as JSON strings
// or numbers, counts as numbers or numeric strings, booleans in the forms WordPress stores.

// Pool is a WooRewards points and rewards system ("pool" in the API).
type Pool struct {
	// ID identifies the pool in the other routes (wire: "id"). It is a string: pools are often
	// named ("default"), not numbered.
	ID string `json:"id"`
	// Name is the pool's public name.
	Name string `json:"name"`
	// ReserveID identifies the points reserve the pool uses (wire: "points"). Several pools can
	// share one reserve, and then share their users' balances.
	ReserveID string `json:"points"`
	// Active reports whether the pool is on. Rewards of an inactive pool cannot be unlocked.
	Active bool `json:"active"`
	// Raw is the object as sent, for fields this type does not name.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a pool tolerantly.
func (p *Pool) UnmarshalJSON(data []byte) error {
	var w struct {
		ID     wp.String `json:"id"`
		Name   wp.String `json:"name"`
		Points wp.String `json:"points"`
		Active wp.Bool   `json:"active"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return fmt.Errorf("pool: %w", err)
	}
	*p = Pool{ID: string(w.ID), Name: string(w.Name), ReserveID: string(w.Points), Active: bool(w.Active), Raw: wp.Raw(data)}
	return nil
}

// EarningMethod is a way to earn points in a pool (the KB calls them "Points Actions").
type EarningMethod struct {
	// ID identifies the method.
	ID string `json:"id"`
	// Gain is the number of points the method adds when triggered.
	Gain int64 `json:"gain"`
	// Title is the method's public title.
	Title string `json:"title"`
	// Description is the administrator's description, if any.
	Description string `json:"description"`
	// Raw is the object as sent, for fields this type does not name.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes an earning method tolerantly.
func (m *EarningMethod) UnmarshalJSON(data []byte) error {
	var w struct {
		ID          wp.String `json:"id"`
		Gain        wp.Int    `json:"gain"`
		Title       wp.String `json:"title"`
		Description wp.String `json:"description"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return fmt.Errorf("earning method: %w", err)
	}
	*m = EarningMethod{ID: string(w.ID), Gain: int64(w.Gain), Title: string(w.Title), Description: string(w.Description), Raw: wp.Raw(data)}
	return nil
}

// Reward is a reward of a pool.
type Reward struct {
	// ID identifies the reward within its pool.
	ID int64 `json:"id"`
	// Cost is the number of points required, and consumed, to unlock the reward.
	Cost int64 `json:"cost"`
	// Title is the reward's public title.
	Title string `json:"title"`
	// Description is the reward's plain-text description.
	Description string `json:"description"`
	// Raw is the object as sent, for fields this type does not name.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a reward tolerantly.
func (r *Reward) UnmarshalJSON(data []byte) error {
	var w struct {
		ID          wp.Int    `json:"id"`
		Cost        wp.Int    `json:"cost"`
		Title       wp.String `json:"title"`
		Description wp.String `json:"description"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return fmt.Errorf("reward: %w", err)
	}
	*r = Reward{ID: int64(w.ID), Cost: int64(w.Cost), Title: string(w.Title), Description: string(w.Description), Raw: wp.Raw(data)}
	return nil
}

// Balance is a user's points in the reserve a pool uses.
type Balance struct {
	// PoolID is the pool asked about (wire: "id").
	PoolID string `json:"id"`
	// ReserveID is the points reserve the pool uses (wire: "points").
	ReserveID string `json:"points"`
	// Points is the user's balance in that reserve (wire: "value"). WooRewards does not stop a
	// subtraction at zero, so it can be negative.
	Points int64 `json:"value"`
	// Raw is the object as sent, for fields this type does not name.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a balance tolerantly.
func (b *Balance) UnmarshalJSON(data []byte) error {
	var w balanceWire
	if err := json.Unmarshal(data, &w); err != nil {
		return fmt.Errorf("points status: %w", err)
	}
	*b = w.balance(data)
	return nil
}

type balanceWire struct {
	ID      wp.String `json:"id"`
	Points  wp.String `json:"points"`
	Value   wp.Int    `json:"value"`
	Rewards wp.Int    `json:"rewards"`
}

func (w balanceWire) balance(data []byte) Balance {
	return Balance{PoolID: string(w.ID), ReserveID: string(w.Points), Points: int64(w.Value), Raw: wp.Raw(data)}
}

// BalanceUpdate is the balance after points were added, subtracted or spent.
type BalanceUpdate struct {
	Balance
	// RewardsUnlocked counts the rewards unlocked by the change (wire: "rewards"). An addition
	// can unlock rewards automatically when the pool is set up to, consuming points at once, so
	// Points may be lower than the previous balance plus the amount added.
	RewardsUnlocked int64 `json:"rewards"`
}

// UnmarshalJSON decodes a balance update tolerantly.
func (u *BalanceUpdate) UnmarshalJSON(data []byte) error {
	var w balanceWire
	if err := json.Unmarshal(data, &w); err != nil {
		return fmt.Errorf("points status: %w", err)
	}
	*u = BalanceUpdate{Balance: w.balance(data), RewardsUnlocked: int64(w.Rewards)}
	return nil
}

// Unlock is the result of unlocking a reward for a user.
type Unlock struct {
	// Balance is the user's balance after the reward's cost was consumed; RewardsUnlocked is 1.
	Balance BalanceUpdate `json:"points"`
	// Reward is the unlocked reward.
	Reward Reward `json:"reward"`
}

// UserBadge is a badge a user owns.
type UserBadge struct {
	// BadgeID identifies the badge (a WordPress post of type lws_badge).
	BadgeID int64 `json:"badge_id"`
	// AssignedAt is when the user got the badge (wire: "assign_date"), a wall-clock time in the
	// site's timezone. A Unix timestamp, if the site sends one, is kept as an exact instant.
	AssignedAt LocalTime `json:"assign_date"`
	// Raw is the object as sent, for fields this type does not name.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a user badge tolerantly.
func (b *UserBadge) UnmarshalJSON(data []byte) error {
	var w struct {
		BadgeID    wp.Int          `json:"badge_id"`
		AssignDate json.RawMessage `json:"assign_date"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return fmt.Errorf("user badge: %w", err)
	}
	at, err := decodeDate(w.AssignDate)
	if err != nil {
		return fmt.Errorf("user badge %d: assign_date: %w", w.BadgeID, err)
	}
	*b = UserBadge{BadgeID: int64(w.BadgeID), AssignedAt: at, Raw: wp.Raw(data)}
	return nil
}

// decodeDate reads a date string ("2024-05-01 10:00:00", RFC 3339, null, "") or Unix seconds.
func decodeDate(raw json.RawMessage) (LocalTime, error) {
	var t LocalTime
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return t, nil
	}
	if raw[0] != '"' && !bytes.Equal(raw, []byte("null")) {
		secs, err := strconv.ParseInt(string(raw), 10, 64)
		if err != nil {
			return t, fmt.Errorf("cannot decode date from %.64s", raw)
		}
		raw = strconv.AppendQuote(nil, time.Unix(secs, 0).UTC().Format(time.RFC3339))
	}
	err := t.UnmarshalJSON(raw)
	return t, err
}

// BadgeRarity is how rare a badge is among the site's users.
type BadgeRarity struct {
	// Rarity is the name of the rarity level.
	Rarity string `json:"rarity"`
	// Percentage is the level's threshold: the largest share of users, in percent, that may own
	// the badge for it to have this rarity.
	Percentage float64 `json:"percentage"`
	// Raw is the object as sent, for fields this type does not name.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a badge rarity tolerantly.
func (r *BadgeRarity) UnmarshalJSON(data []byte) error {
	var w struct {
		Rarity     wp.String `json:"rarity"`
		Percentage wp.Float  `json:"percentage"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return fmt.Errorf("badge rarity: %w", err)
	}
	*r = BadgeRarity{Rarity: string(w.Rarity), Percentage: float64(w.Percentage), Raw: wp.Raw(data)}
	return nil
}
