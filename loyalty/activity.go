package loyalty

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// ActivityKind names an activity log entry.
type ActivityKind string

// Activity kinds written by the engine; adapters may record their own (connections,
// disconnections, sign-ins) with Engine.RecordActivity.
const (
	ActivitySettingsChanged ActivityKind = "settings_changed"
	ActivityOrderIgnored    ActivityKind = "order_ignored"
	ActivityOrderSkipped    ActivityKind = "order_skipped"
	ActivityRedemption      ActivityKind = "redemption"
	ActivityRedemptionFail  ActivityKind = "redemption_released"
	ActivityAdjustment      ActivityKind = "adjustment"
	ActivityConnected       ActivityKind = "connected"
	ActivityDisconnected    ActivityKind = "disconnected"
	ActivityPaused          ActivityKind = "paused"
	ActivityResumed         ActivityKind = "resumed"
	ActivitySignIn          ActivityKind = "sign_in"
	ActivityEmailChanged    ActivityKind = "email_changed"
)

// ActivityEntry is one line of a program's activity log.
type ActivityEntry struct {
	// Seq is assigned by the Store; the log pages on it, newest first.
	Seq int64
	// ProgramID is the program.
	ProgramID string
	// Kind names the event.
	Kind ActivityKind
	// Actor is who caused it ("system", "member", a staff user, "webhook").
	Actor string
	// Message says what happened and why, e.g. `order 1042 ignored: status "on-hold" does not
	// award points`.
	Message string
	// MemberID, Store, OrderID and RedemptionID link the entry to what it is about, when known.
	MemberID, Store, OrderID, RedemptionID string
	// At is when it happened (set by the engine when zero).
	At time.Time
}

// Outcome is the result of one order delivery.
type Outcome string

// Outcomes.
const (
	// OutcomeProcessed: points were awarded or taken back.
	OutcomeProcessed Outcome = "processed"
	// OutcomeDuplicate: the effect was already applied (a redelivery, a status change after the
	// award). Success, nothing changed.
	OutcomeDuplicate Outcome = "duplicate"
	// OutcomeIgnored: the status does not award points, or the order can no longer award.
	OutcomeIgnored Outcome = "ignored"
	// OutcomeSkipped: the order cannot earn: a guest without email, a currency mismatch, a
	// paused program.
	OutcomeSkipped Outcome = "skipped"
	// OutcomeFailed: the delivery could not be processed (store error, bad signature recorded
	// by an adapter, ...).
	OutcomeFailed Outcome = "failed"
)

// Receipt records one delivery: its outcome and reason, never personal data. The email is kept
// only as a salted hash.
type Receipt struct {
	// Seq is assigned by the Store; receipts page on it, newest first.
	Seq int64
	// ProgramID is the program.
	ProgramID string
	// Store, OrderID and Status describe the delivered order.
	Store, OrderID, Status string
	// Outcome and Reason say what the engine did and why.
	Outcome Outcome
	Reason  string
	// EmailHash is the hex HMAC-SHA256 of the normalised billing email under the engine's salt
	// (empty when the order had no email).
	EmailHash string
	// ReceivedAt is when the delivery was processed.
	ReceivedAt time.Time
	// Count is how many deliveries the receipt stands for: 1, or more for failures an adapter
	// reported in a burst (see Engine.RecordDeliveryFailure), the last of them at LastAt.
	Count  int
	LastAt time.Time
}

// ReceiptCounts counts receipts by outcome.
type ReceiptCounts map[Outcome]int

// DeliveryStats answers "is it working?" for a program.
type DeliveryStats struct {
	// Since is the start of the window.
	Since time.Time
	// Processed, Ignored (ignored, duplicate and skipped) and Failed count deliveries in the
	// window.
	Processed, Ignored, Failed int
	// ByOutcome has the count of every outcome in the window.
	ByOutcome ReceiptCounts
	// LastDelivery is the most recent receipt of any age (nil when none).
	LastDelivery *Receipt
	// LastFailure is the most recent failed receipt of any age (nil when none).
	LastFailure *Receipt
}

func hashEmail(salt []byte, email string) string {
	email = NormalizeEmail(email)
	if email == "" {
		return ""
	}
	mac := hmac.New(sha256.New, salt)
	mac.Write([]byte(email))
	return hex.EncodeToString(mac.Sum(nil))
}
