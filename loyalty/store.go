package loyalty

import (
	"context"
	"errors"
	"time"
)

// Store keeps programs, members, accounts, the ledger, order states, redemptions, the activity
// log and delivery receipts, with transactions.
//
// Update runs fn in a read-write transaction and commits when fn returns nil; when fn returns an
// error or panics, nothing fn wrote may remain (a panic propagates after the rollback). The
// engine runs fn again when Update returns an error wrapping ErrConflict or ErrDuplicateKey, a
// bounded number of times, so fn may run more than once; a backend must not re-run fn itself.
//
// Correctness under concurrency rests on three guards that every backend enforces, whatever its
// isolation level:
//
//   - uniqueness: movement keys per program, member id, email and code, accounts, order states,
//     redemption ids, coupon codes and redemption idempotency keys per program (when not
//     empty), setting names; an insert that violates one returns ErrDuplicateKey
//     (UNIQUE constraints, INSERT without ON CONFLICT);
//   - AppendMovement compares and sets the account balance: it returns ErrConflict unless the
//     stored balance equals m.BalanceAfter − m.Applied (UPDATE ... WHERE balance = $old);
//   - UpdateRedemption compares and sets the state: it returns ErrConflict unless the stored
//     state equals from.
//
// With these, READ COMMITTED is enough for the ledger to stay exact; SERIALIZABLE (returning
// ErrConflict on serialization failures), SQLite's BEGIN IMMEDIATE, SELECT ... FOR UPDATE on
// the rows read, or a mutex are all fine too and reduce retries.
//
// View runs fn in a read-only transaction that sees one consistent snapshot.
//
// Methods of ReadTx and Tx are only valid during the call to fn. Lookups of a single record
// return an error wrapping ErrNotFound when it does not exist. List methods take a Page and
// return records newest first (highest Seq first) unless stated otherwise. Seq values are
// assigned by the store from one increasing sequence (gaps allowed); times are stored with at
// least microsecond precision and returned in UTC; decimals are stored exactly.
type Store interface {
	Update(ctx context.Context, fn func(Tx) error) error
	View(ctx context.Context, fn func(ReadTx) error) error
}

// Page selects one page of a list ordered by Seq, newest first.
type Page struct {
	// Before is an exclusive Seq cursor: only records with Seq < Before are listed. Zero starts
	// at the newest record.
	Before int64
	// Limit is the page size; the engine passes 1 to 1000.
	Limit int
}

// ReadTx is what the engine reads inside a transaction.
type ReadTx interface {
	// Program returns the program with the given id.
	Program(ctx context.Context, id string) (Program, error)
	// Programs lists every program, ordered by id.
	Programs(ctx context.Context) ([]Program, error)

	// Member, MemberByEmail (normalised email), MemberByCode and MemberByNumber look a member up.
	Member(ctx context.Context, id string) (Member, error)
	MemberByEmail(ctx context.Context, email string) (Member, error)
	MemberByCode(ctx context.Context, code string) (Member, error)
	MemberByNumber(ctx context.Context, number int64) (Member, error)

	// Account returns the member's account in the program.
	Account(ctx context.Context, programID, memberID string) (Account, error)
	// Memberships lists the program's accounts with their members, newest account first
	// (by Account.Seq).
	Memberships(ctx context.Context, programID string, page Page) ([]Membership, error)

	// Movement returns the program's movement with the given idempotency key.
	Movement(ctx context.Context, programID, key string) (Movement, error)
	// Movements lists an account's movements, newest first.
	Movements(ctx context.Context, programID, memberID string, page Page) ([]Movement, error)

	// OrderState returns what the program remembers about an order.
	OrderState(ctx context.Context, programID, store, orderID string) (OrderState, error)

	// Redemption returns a redemption by id; RedemptionByCode by coupon code;
	// RedemptionByKey by the program and the IdempotencyKey it was created with (never
	// matching an empty key).
	Redemption(ctx context.Context, id string) (Redemption, error)
	RedemptionByCode(ctx context.Context, code string) (Redemption, error)
	RedemptionByKey(ctx context.Context, programID, key string) (Redemption, error)
	// ReservedRedemptions lists redemptions in state RedemptionReserved created before
	// createdBefore with Seq > afterSeq, OLDEST first, at most limit.
	ReservedRedemptions(ctx context.Context, createdBefore time.Time, afterSeq int64, limit int) ([]Redemption, error)

	// Activity lists the program's activity log, newest first.
	Activity(ctx context.Context, programID string, page Page) ([]ActivityEntry, error)

	// Receipts lists the program's delivery receipts, newest first; with outcome not empty,
	// only receipts with that outcome.
	Receipts(ctx context.Context, programID string, outcome Outcome, page Page) ([]Receipt, error)
	// LatestReceipt returns the program's newest receipt from store with outcome.
	LatestReceipt(ctx context.Context, programID, store string, outcome Outcome) (Receipt, error)
	// CountReceipts counts the program's deliveries with ReceivedAt at or after since, by
	// outcome: the sum of the receipts' Count.
	CountReceipts(ctx context.Context, programID string, since time.Time) (ReceiptCounts, error)

	// Setting returns the value of an installation setting, such as the engine's secrets.
	Setting(ctx context.Context, name string) ([]byte, error)
}

// Tx is what the engine reads and writes inside a read-write transaction.
type Tx interface {
	ReadTx

	// PutProgram creates or replaces a program.
	PutProgram(ctx context.Context, p Program) error

	// CreateMember inserts a new member, assigns m.Number (unique, positive, increasing) and
	// returns the stored member. It returns ErrDuplicateKey when the id, the email (when not
	// empty) or the code is taken.
	CreateMember(ctx context.Context, m Member) (Member, error)
	// UpdateMemberEmail sets the email of the member with id; ErrNotFound when there is none,
	// ErrDuplicateKey when another member holds the (not empty) email.
	UpdateMemberEmail(ctx context.Context, id, email string) error

	// CreateAccount inserts a new account, assigns a.Seq and returns it; ErrDuplicateKey when
	// the (program, member) account exists.
	CreateAccount(ctx context.Context, a Account) (Account, error)

	// AppendMovement inserts m, assigns m.Seq and in the same step sets the account's Balance
	// to m.BalanceAfter and UpdatedAt to m.CreatedAt. It returns ErrDuplicateKey when the
	// program already has a movement with m.Key, ErrNotFound when the account does not exist,
	// and ErrConflict when the account's balance is not m.BalanceAfter − m.Applied (it changed
	// since the engine read it).
	AppendMovement(ctx context.Context, m Movement) (Movement, error)

	// CreateOrderState inserts an order state; ErrDuplicateKey when the (program, store, order)
	// state exists. UpdateOrderState replaces an existing one; ErrNotFound when there is none.
	CreateOrderState(ctx context.Context, s OrderState) error
	UpdateOrderState(ctx context.Context, s OrderState) error

	// CreateRedemption inserts r, assigns r.Seq and returns it; ErrDuplicateKey when the id or
	// the code is taken. UpdateRedemption replaces the redemption with r's id, keeping its Seq
	// and Code, if its stored State is from; it returns ErrConflict when the state differs and
	// ErrNotFound when there is no such redemption.
	CreateRedemption(ctx context.Context, r Redemption) (Redemption, error)
	UpdateRedemption(ctx context.Context, r Redemption, from RedemptionState) error

	// AppendActivity inserts an activity entry, assigning its Seq.
	AppendActivity(ctx context.Context, a ActivityEntry) error
	// AppendReceipt inserts a delivery receipt, assigning its Seq; a Count below 1 is stored
	// as 1. AddReceiptCount adds n to the Count of the receipt with seq, and sets its
	// LastAt to at; ErrNotFound when there is none.
	AppendReceipt(ctx context.Context, r Receipt) error
	AddReceiptCount(ctx context.Context, seq int64, n int, at time.Time) error
	// Prune deletes the program's receipts received, and activity entries dated, before
	// before, the oldest first and at most limit of each, and says how many of each it
	// deleted.
	Prune(ctx context.Context, programID string, before time.Time, limit int) (PruneCounts, error)

	// CreateSetting stores an installation setting once; ErrDuplicateKey when name is set.
	CreateSetting(ctx context.Context, name string, value []byte) error
}

// PruneCounts counts what a prune deleted.
type PruneCounts struct {
	Receipts, Activity int
}

func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// retryable reports whether a transaction error means "run it again".
func retryable(err error) bool {
	return errors.Is(err, ErrConflict) || errors.Is(err, ErrDuplicateKey)
}
