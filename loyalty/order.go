package loyalty

import (
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// OrderStatus is an order status as WooCommerce names it ("processing", "on-hold", ...).
// Any other value is treated as a status that does not award points.
type OrderStatus string

// Order statuses the engine knows.
const (
	StatusPending    OrderStatus = "pending"
	StatusProcessing OrderStatus = "processing"
	StatusOnHold     OrderStatus = "on-hold"
	StatusCompleted  OrderStatus = "completed"
	StatusCancelled  OrderStatus = "cancelled"
	StatusRefunded   OrderStatus = "refunded"
	StatusFailed     OrderStatus = "failed"
)

// NormalizeStatus trims, lower-cases and drops a "wc-" prefix: "WC-Completed" → "completed".
func NormalizeStatus(s string) OrderStatus {
	s = strings.ToLower(strings.TrimSpace(s))
	return OrderStatus(strings.TrimPrefix(s, "wc-"))
}

// OrderEvent is one delivery of an order's current state from a store (a webhook, a POS
// receipt, a reconciliation pass). Deliveries may repeat, arrive concurrently or out of order;
// the engine applies each effect once.
type OrderEvent struct {
	// Store identifies the source store, e.g. its URL. Required; with OrderID it names the order.
	Store string
	// OrderID is the order's id in that store. Required.
	OrderID string
	// Status is the order status; see NormalizeStatus.
	Status string
	// Total is the order total as the store reports it, shipping and taxes included.
	Total decimal.Decimal
	// Currency is the ISO 4217 code of Total.
	Currency string
	// BillingName and BillingEmail identify the customer; members are matched by the
	// normalised email and created from both when new.
	BillingName  string
	BillingEmail string
	// RefundedTotal is the sum of the order's refunds so far (used by the proportional
	// partial refund policy).
	RefundedTotal decimal.Decimal
	// Member optionally names the member directly (a card scanned at a POS); it wins over the
	// billing email.
	Member MemberRef
	// Channel is where the order was placed (default ChannelOnline). Counter orders earn the
	// member's tier multiplier.
	Channel Channel
	// Source names the selling point within the channel (default Store), e.g.
	// "sitoo:90316/1/STORE-7" for a Sitoo account, site and store.
	Source string
}

// OrderState is what the engine remembers about an order of a program, keyed by
// (ProgramID, Store, OrderID).
type OrderState struct {
	ProgramID, Store, OrderID string
	// MemberID is the member the order awarded.
	MemberID string
	// Status is the last status processed.
	Status OrderStatus
	// Total and Currency are as of the award.
	Total    decimal.Decimal
	Currency string
	// EarnedPoints and WelcomePoints are what the order awarded.
	EarnedPoints, WelcomePoints int64
	// ClawedBack is the points deducted for refunds so far (requested amounts).
	ClawedBack int64
	// RefundedTotal is the highest refunded total processed.
	RefundedTotal decimal.Decimal
	// RefundExempt is the part of RefundedTotal refunded while the program's policy took no
	// points back for partial refunds: the proportional policy, switched on later, takes back
	// only the share of refunds beyond it, never retroactively.
	RefundExempt decimal.Decimal
	// Refunded is set by a full refund: the order never awards afterwards.
	Refunded bool
	// AwardedAt is when the order awarded points (zero if it never did).
	AwardedAt time.Time
	// UpdatedAt is when the state last changed.
	UpdatedAt time.Time
}

// Awarded reports whether the order has awarded points (possibly zero).
func (s OrderState) Awarded() bool { return !s.AwardedAt.IsZero() }
