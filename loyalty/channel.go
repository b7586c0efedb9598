package loyalty

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Channel is where a purchase was made. Both channels feed one balance per program.
type Channel string

// Channels.
const (
	// ChannelOnline is the webshop (WooCommerce orders). It is the default of an OrderEvent.
	ChannelOnline Channel = "online"
	// ChannelCounter is a store counter (Sitoo POS receipts recorded by staff). Only counter
	// purchases earn the member's tier multiplier.
	ChannelCounter Channel = "counter"
)

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool { return c == ChannelOnline || c == ChannelCounter }

// channel returns the event's channel, ChannelOnline when unset.
func (ev OrderEvent) channel() Channel {
	if ev.Channel == "" {
		return ChannelOnline
	}
	return ev.Channel
}

// source returns the event's source, its Store when unset.
func (ev OrderEvent) source() string {
	if s := strings.TrimSpace(ev.Source); s != "" {
		return s
	}
	return ev.Store
}

// ChannelTotal sums a member's purchase movements on one channel and source, as the wallet
// shows them.
type ChannelTotal struct {
	Channel Channel
	// Source is the store URL or the counter's source ("sitoo:<account>/<site>/<store>").
	Source string
	// Earned is the points purchases earned there (welcome bonuses included) less the points
	// refunds took back (requested amounts).
	Earned int64
	// Purchases counts the earn movements.
	Purchases int
	// LastAt is the time of the newest movement.
	LastAt time.Time
}

// purchaseKinds are the movement kinds that carry a channel.
func purchaseKind(k MovementKind) bool {
	return k == KindEarn || k == KindWelcome || k == KindRefund
}

// walkMovements calls fn for the account's movements, newest first, until fn returns false or
// a movement is older than since (zero since walks everything).
func walkMovements(ctx context.Context, tx ReadTx, programID, memberID string, since time.Time, fn func(Movement) bool) error {
	page := Page{Limit: 500}
	for {
		ms, err := tx.Movements(ctx, programID, memberID, page)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if !since.IsZero() && m.CreatedAt.Before(since) {
				return nil
			}
			if !fn(m) {
				return nil
			}
		}
		if len(ms) < page.Limit {
			return nil
		}
		page.Before = ms[len(ms)-1].Seq
	}
}

// channelTotals sums the account's purchase movements per channel and source, in the order
// the sources were first used.
func channelTotals(ctx context.Context, tx ReadTx, programID, memberID string) ([]ChannelTotal, error) {
	idx := map[[2]string]int{}
	var out []ChannelTotal
	err := walkMovements(ctx, tx, programID, memberID, time.Time{}, func(m Movement) bool {
		if !purchaseKind(m.Kind) {
			return true
		}
		ch := m.Channel
		if ch == "" {
			ch = ChannelOnline
		}
		src := m.Source
		if src == "" {
			src = m.Store
		}
		k := [2]string{string(ch), src}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, ChannelTotal{Channel: ch, Source: src, LastAt: m.CreatedAt})
		}
		out[i].Earned += m.Requested
		if m.Kind == KindEarn {
			out[i].Purchases++
		}
		return true
	})
	// Newest-first walk: reverse so the first source used comes first.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, err
}

// purchasePoints returns what an order earns and the history line: the card's points for the
// total, times the member's tier multiplier (as it stood before this order) for counter
// purchases only.
func (e *Engine) purchasePoints(ctx context.Context, tx ReadTx, p Program, ev OrderEvent, memberID string, now time.Time) (int64, string, error) {
	base := p.PurchasePoints(ev.Total)
	if ev.channel() != ChannelCounter || base <= 0 || len(p.Tiers.Levels) == 0 {
		return base, fmt.Sprintf("Order %s: %s points", ev.OrderID, FormatPoints(base)), nil
	}
	st, err := standing(ctx, tx, p, memberID, now, nil)
	if err != nil {
		return 0, "", err
	}
	points := p.multiplied(base, st.Multiplier())
	if st.Tier.Name == "" || points == base {
		return points, fmt.Sprintf("Counter purchase %s: %s points", ev.OrderID, FormatPoints(points)), nil
	}
	return points, fmt.Sprintf("Counter purchase %s: %s points (%s × %s %s)", ev.OrderID, FormatPoints(points),
		FormatPoints(base), st.Tier.Multiplier, st.Tier.Name), nil
}

// unrefunded is the part of the order total no refund has covered yet.
func (s OrderState) unrefunded() decimal.Decimal {
	return decimal.Max(s.Total.Sub(s.RefundedTotal), decimal.Zero)
}

// addStanding fills the wallet's tier and channel totals.
func (w *Wallet) addStanding(ctx context.Context, tx ReadTx, p Program, now time.Time) error {
	var err error
	if w.Tier, err = standing(ctx, tx, p, w.Member.ID, now, nil); err != nil {
		return err
	}
	w.TierLine = w.Tier.Line(p)
	w.Channels, err = channelTotals(ctx, tx, p.ID, w.Member.ID)
	return err
}
