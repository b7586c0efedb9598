package sitooconnect

import (
	"context"
	"errors"
	"time"

	"github.com/shopspring/decimal"
)

// ConnectionRecord is a connection as a ConnectionStore keeps it. Credentials (the Sitoo API
// ID and password, and the CRM and Events SPI credentials) are sealed with AES-256-GCM, bound
// to ID and ProgramID; the store never sees them in clear.
type ConnectionRecord struct {
	// ID identifies the connection; it is the path segment of its CRM and Events URLs.
	ID string
	// ProgramID is the loyalty program (card) counter purchases earn on.
	ProgramID string
	// AccountID is the Sitoo account; unique per program.
	AccountID int64
	// BaseURL is the account's REST base URL, e.g. "https://api.mysitoo.com/v2/accounts/90316".
	BaseURL string
	// Credentials is the sealed credentials; nil once disconnected.
	Credentials []byte
	// Paused and Disconnected give the state (Disconnected wins).
	Paused, Disconnected bool
	// Watermark is the highest Sitoo order id the reconciliation poll has handled; the poll
	// continues above it. Connect sets it to the newest order, so nothing before is back-filled.
	Watermark int64
	// ProcessingSince is when processing last started (connect or resume): a refund applies its
	// sale first only when the sale was made since, so nothing from before connecting or from a
	// paused period is back-filled.
	ProcessingSince time.Time
	// ConnectedAt is when the connection was made; LastEventAt when the latest authenticated
	// event delivery arrived (zero: none yet); UpdatedAt when the record last changed.
	ConnectedAt, LastEventAt, UpdatedAt time.Time
}

// State returns the record's state.
func (r ConnectionRecord) State() ConnectionState {
	switch {
	case r.Disconnected:
		return StateDisconnected
	case r.Paused:
		return StatePaused
	}
	return StateActive
}

// ConnectionState is where a connection stands.
type ConnectionState string

// Connection states.
const (
	// StateActive: events are applied, the CRM answers and bonus checks can be issued.
	StateActive ConnectionState = "active"
	// StatePaused: events are recorded and skipped (never back-filled), bonus checks are not
	// issued; the CRM still finds customers.
	StatePaused ConnectionState = "paused"
	// StateDisconnected: the credentials are deleted; the CRM and Events endpoints answer 401.
	StateDisconnected ConnectionState = "disconnected"
)

// Profile is what the CRM keeps about a customer beyond the loyalty member (name, email and
// number live there): the fields the POS shows and searches.
type Profile struct {
	ProgramID, MemberID  string
	NameFirst, NameLast  string
	Mobile, PersonalID   string
	Gender               string
	Address              Address
	AcceptsCommunication []string
	Consents             []string
	UpdatedAt            time.Time
}

// BonusCheck is a counter coupon: points reserved into a check of the card's discount value,
// redeemable once at the counter. Its ID is the redemption's coupon code.
type BonusCheck struct {
	ID                  string
	ProgramID, MemberID string
	RedemptionID        string
	Points              int64
	Value               decimal.Decimal
	Currency            string
	ExpiresAt           time.Time
	// RedeemedAt is when the POS redeemed it (zero: still usable).
	RedeemedAt time.Time
	CreatedAt  time.Time
}

// PendingOrder is an order event persisted before it is applied.
type PendingOrder struct {
	ConnectionID string
	EventID      string
	EshopID      int64
	OrderID      int64
	// StateChanged is the event's order_state_changed ("", open, closed, cancelled).
	StateChanged string
	Attempts     int
	LastError    string
	ReceivedAt   time.Time
}

// Errors of a ConnectionStore.
var (
	ErrConnectionNotFound = errors.New("sitooconnect: connection not found")
	ErrConnectionExists   = errors.New("sitooconnect: connection exists")
	ErrProfileNotFound    = errors.New("sitooconnect: profile not found")
	ErrBonusCheckNotFound = errors.New("sitooconnect: bonus check not found")
)

// ConnectionStore keeps connections, customer profiles, bonus checks, seen event ids and the
// queue of order events to apply. Implementations must be safe for concurrent use.
type ConnectionStore interface {
	Connection(ctx context.Context, id string) (ConnectionRecord, error)
	// ConnectionByAccount returns the program's connection to a Sitoo account.
	ConnectionByAccount(ctx context.Context, programID string, accountID int64) (ConnectionRecord, error)
	// Connections lists the program's connections (all when programID is ""), by ConnectedAt.
	Connections(ctx context.Context, programID string) ([]ConnectionRecord, error)
	CreateConnection(ctx context.Context, rec ConnectionRecord) error
	// UpdateConnection replaces every field but LastEventAt and Watermark, which only
	// RecordEvent and SetWatermark move.
	UpdateConnection(ctx context.Context, rec ConnectionRecord) error
	// RecordEvent sets LastEventAt to at unless it is later already.
	RecordEvent(ctx context.Context, id string, at time.Time) error
	// SetWatermark raises the watermark to orderID (never lowers it).
	SetWatermark(ctx context.Context, id string, orderID int64) error

	// Profile returns a customer's profile (ErrProfileNotFound when none); PutProfile upserts.
	Profile(ctx context.Context, programID, memberID string) (Profile, error)
	PutProfile(ctx context.Context, p Profile) error
	// ProfileByMobile and ProfileByPersonalID find a profile by normalised mobile or personal id.
	ProfileByMobile(ctx context.Context, programID, mobile string) (Profile, error)
	ProfileByPersonalID(ctx context.Context, programID, personalID string) (Profile, error)

	// PutBonusCheck inserts a check unless one with its ID exists (then it returns that one).
	PutBonusCheck(ctx context.Context, b BonusCheck) (BonusCheck, error)
	BonusCheck(ctx context.Context, id string) (BonusCheck, error)
	// BonusChecks lists a member's checks in a program, oldest first.
	BonusChecks(ctx context.Context, programID, memberID string) ([]BonusCheck, error)
	// SetBonusCheckRedeemed sets RedeemedAt (zero: un-redeems) when it is still from; it
	// reports whether it changed the check.
	SetBonusCheckRedeemed(ctx context.Context, id string, from, to time.Time) (bool, error)

	// MarkEventSeen records an event id of a connection, seen at at; it reports false when it
	// was already recorded. EventSeen reports whether it was. PruneSeenEvents forgets the ids
	// (of every connection) seen before before and returns how many it forgot.
	MarkEventSeen(ctx context.Context, connectionID, eventID string, at time.Time) (bool, error)
	EventSeen(ctx context.Context, connectionID, eventID string) (bool, error)
	PruneSeenEvents(ctx context.Context, before time.Time) (int64, error)
	// EnqueueOrder persists an order event; PendingOrders lists a connection's queue, oldest
	// first; UpdatePending and DeletePending change or drop an entry (by event id).
	EnqueueOrder(ctx context.Context, p PendingOrder) error
	PendingOrders(ctx context.Context, connectionID string, limit int) ([]PendingOrder, error)
	UpdatePending(ctx context.Context, p PendingOrder) error
	DeletePending(ctx context.Context, connectionID, eventID string) error
}
