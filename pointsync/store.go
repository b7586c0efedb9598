package pointsync

import (
	"context"
	"time"
)

// SettingsStore persists the local site information, the remote sites and the advanced settings.
// Implementations must be safe for concurrent use; MemStore is the in-memory one, and the SQL
// stores of the loyalty adapter run the same conformance suite (pointsynctest.RunSettingsStore).
type SettingsStore interface {
	// InitLocalSite stores candidate if no local site is stored yet, and returns the stored one:
	// the local site is generated once and never changes afterwards. candidate is validated.
	InitLocalSite(ctx context.Context, candidate LocalSite) (LocalSite, error)
	// LocalSite returns the stored local site, or ErrNoLocalSite.
	LocalSite(ctx context.Context) (LocalSite, error)
	// Remotes returns every remote site, ordered by sharing key.
	Remotes(ctx context.Context) ([]Remote, error)
	// Remote returns the remote site with this sharing key, or ErrRemoteNotFound.
	Remote(ctx context.Context, sharingKey string) (Remote, error)
	// PutRemote adds a remote site or replaces the one with the same sharing key; the remote is
	// validated first.
	PutRemote(ctx context.Context, r Remote) error
	// DeleteRemote removes a remote site, or returns ErrRemoteNotFound.
	DeleteRemote(ctx context.Context, sharingKey string) error
	// Advanced returns the advanced settings, DefaultAdvanced() until some are stored.
	Advanced(ctx context.Context) (Advanced, error)
	// PutAdvanced stores the advanced settings after validating them.
	PutAdvanced(ctx context.Context, a Advanced) error
}

// Item is one movement queued for one remote.
type Item struct {
	// Seq orders the items of the queue (assigned by the store, increasing).
	Seq int64
	// Movement is the movement to deliver.
	Movement Movement
	// Attempts counts the failed deliveries of this item so far.
	Attempts int
	// EnqueuedAt is when the item was queued.
	EnqueuedAt time.Time
}

// Lease is a batch of items taken from a remote's queue for delivery. Until it is acknowledged,
// failed, released or expired, no other lease (of this or another instance of the site) holds
// these items. Its ID is the batch id on the wire.
type Lease struct {
	// ID identifies the lease: random, unique, a valid batch id.
	ID string
	// Remote is the sharing key of the remote.
	Remote string
	// Items are the leased items in Seq order.
	Items []Item
	// Expires is when the items become available to other leases again.
	Expires time.Time
}

// Enqueuer is the part of a Queue that takes new movements; the loyalty adapter implements it on
// its ledger transaction, so that a movement and its queue entries commit together.
type Enqueuer interface {
	// Enqueue queues movements for the remote with this sharing key. A movement whose ID is
	// already queued for that remote is skipped, so enqueueing is idempotent.
	Enqueue(ctx context.Context, remote string, ms []Movement) error
}

// RemoteState is the delivery record of one remote: its backlog and its recent outcomes.
type RemoteState struct {
	// Pending counts the queued items (leased or not).
	Pending int
	// Oldest is when the oldest pending item was queued; zero when none is.
	Oldest time.Time
	// Failures counts the failed attempts since the last success or resume.
	Failures int
	// LastError and LastErrorAt describe the last failed attempt.
	LastError   string
	LastErrorAt time.Time
	// LastSuccessAt is when the last delivery or ping succeeded.
	LastSuccessAt time.Time
	// Delivered counts the movements acknowledged by the remote, ever.
	Delivered int64
}

// Queue keeps, per remote, the movements still to deliver and the outcome of attempts. It never
// drops an item except by Ack (delivered) or Purge (the remote was deleted). Implementations must
// be safe for concurrent use, also by several processes when they share a database (leases, e.g.
// FOR UPDATE SKIP LOCKED); MemQueue is the in-memory one, and pointsynctest.RunQueue is the
// conformance suite. The loyalty adapter calls Enqueue in the same transaction that appends the
// movement to the ledger.
type Queue interface {
	Enqueuer
	// Lease takes up to max of the remote's oldest available items for ttl. It returns nil, nil
	// when no item is available.
	Lease(ctx context.Context, remote string, max int, ttl time.Duration) (*Lease, error)
	// Ack removes the items the lease still holds (they were delivered) and records a success:
	// Failures back to 0, LastSuccessAt now, Delivered increased. It returns ErrLeaseLost when the
	// lease holds no item any more (it expired and its items were leased again).
	Ack(ctx context.Context, remote, leaseID string) error
	// Fail makes the lease's items available again, counts one more attempt on each, and records
	// a failure (Failures+1, LastError, LastErrorAt now).
	Fail(ctx context.Context, remote, leaseID, cause string) error
	// Release makes the lease's items available again without recording anything (the sender
	// stopped before an answer).
	Release(ctx context.Context, remote, leaseID string) error
	// RecordPing records the outcome of a ping: cause "" is a success (Failures back to 0,
	// LastSuccessAt now), anything else a failure as in Fail.
	RecordPing(ctx context.Context, remote, cause string) error
	// Resume sets Failures back to 0 so that deliveries start again ("retry now"); LastError and
	// LastErrorAt are kept, so the status shows the warning period.
	Resume(ctx context.Context, remote string) error
	// State returns the remote's delivery record; a remote never seen has the zero RemoteState.
	State(ctx context.Context, remote string) (RemoteState, error)
	// Purge removes the remote's items and record (the remote site was deleted).
	Purge(ctx context.Context, remote string) error
}
