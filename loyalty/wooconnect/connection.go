package wooconnect

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// ConnectionState is where a connection stands.
type ConnectionState string

// Connection states.
const (
	// StateActive: deliveries are processed and members can redeem.
	StateActive ConnectionState = "active"
	// StatePaused: the connection stays, processing stops. Deliveries are recorded and skipped,
	// redemptions are refused.
	StatePaused ConnectionState = "paused"
	// StateDisconnected: the webhook and the stored keys are deleted; nothing is processed.
	// Connecting the same store again resumes this connection.
	StateDisconnected ConnectionState = "disconnected"
)

// WebhookTopic is the one topic a connection needs: WooCommerce sends order.updated for every
// status change and for refunds, and has no "order completed" topic.
const WebhookTopic = "order.updated"

// WebhookName is the name given to the webhook in WooCommerce.
const WebhookName = "Reward Loyalty"

// ConnectionRecord is a connection as a ConnectionStore keeps it. Credentials are sealed
// (AES-256-GCM, bound to ID, ProgramID and StoreURL); the store never sees them in clear.
type ConnectionRecord struct {
	// ID identifies the connection; it is the last segment of its webhook delivery URL.
	ID string
	// ProgramID is the loyalty program (card) orders earn on.
	ProgramID string
	// StoreURL is the store's normalised home URL; unique per program.
	StoreURL string
	// Credentials is the sealed consumer key, consumer secret and webhook secret; nil once
	// disconnected.
	Credentials []byte
	// WebhookID is the id of the webhook registered in the store (0 when none).
	WebhookID int64
	// ManualReason is set when the webhook could not be registered automatically (a read-only
	// key): why, in words. The manual set-up instructions are derived from it.
	ManualReason string
	// Paused and Disconnected give the state (Disconnected wins).
	Paused, Disconnected bool
	// ConnectedAt is when the connection was made (or last re-made).
	ConnectedAt time.Time
	// ProcessingSince is when processing last started (connect or resume). Reconcile never
	// looks further back, so orders from a paused period are not back-filled.
	ProcessingSince time.Time
	// LastDeliveryAt is when the latest correctly signed delivery arrived, to the second (zero:
	// none yet).
	LastDeliveryAt time.Time
	// ReconciledThrough is the connection's last reconciled point: every order modified before
	// it was walked by a successful Reconcile (zero: never). Only RecordReconciled moves it,
	// and only forward; Connector.ReconcileSinceLast starts from it.
	ReconciledThrough time.Time
	// UpdatedAt is when the record last changed.
	UpdatedAt time.Time
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

// Errors of a ConnectionStore.
var (
	// ErrConnectionNotFound: no connection has that id (or program and store URL).
	ErrConnectionNotFound = errors.New("wooconnect: connection not found")
	// ErrConnectionExists: a connection with that id, or for that program and store URL,
	// exists already.
	ErrConnectionExists = errors.New("wooconnect: connection exists")
)

// ConnectionStore keeps connections and members' email opt-outs. Implementations must be safe
// for concurrent use. NewMemoryConnectionStore and NewSQLConnectionStore are the two
// provided.
type ConnectionStore interface {
	// Connection returns the connection with id, or an error wrapping ErrConnectionNotFound.
	Connection(ctx context.Context, id string) (ConnectionRecord, error)
	// ConnectionByStore returns the program's connection to storeURL, or an error wrapping
	// ErrConnectionNotFound.
	ConnectionByStore(ctx context.Context, programID, storeURL string) (ConnectionRecord, error)
	// Connections lists the program's connections (all connections when programID is ""),
	// ordered by ConnectedAt then ID.
	Connections(ctx context.Context, programID string) ([]ConnectionRecord, error)
	// CreateConnection inserts rec; ErrConnectionExists when its id or its (ProgramID,
	// StoreURL) is taken.
	CreateConnection(ctx context.Context, rec ConnectionRecord) error
	// UpdateConnection replaces the connection with rec.ID (every field but LastDeliveryAt and
	// ReconciledThrough, which only RecordDelivery and RecordReconciled move);
	// ErrConnectionNotFound when there is none.
	UpdateConnection(ctx context.Context, rec ConnectionRecord) error
	// RecordDelivery sets LastDeliveryAt to at unless it is later already.
	RecordDelivery(ctx context.Context, id string, at time.Time) error
	// RecordReconciled sets ReconciledThrough to through unless it is later already.
	RecordReconciled(ctx context.Context, id string, through time.Time) error

	// SetEmailOptOut records whether a member switched the program's emails off.
	SetEmailOptOut(ctx context.Context, programID, memberID string, optOut bool) error
	// EmailOptOut reports whether a member switched the program's emails off.
	EmailOptOut(ctx context.Context, programID, memberID string) (bool, error)
}

// NormalizeStoreURL returns the canonical form of a store URL: scheme and host lower-cased, no
// trailing slash, no default port; a sub-directory path is kept. It refuses anything but an
// absolute http:// or https:// URL without query, fragment or user info.
func NormalizeStoreURL(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", fmt.Errorf("%w: the store URL is empty", ErrInvalidStoreURL)
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("%w: %q: %v", ErrInvalidStoreURL, raw, err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%w: %q is not an http:// or https:// address", ErrInvalidStoreURL, raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return "", fmt.Errorf("%w: %q must not carry user info, a query or a fragment", ErrInvalidStoreURL, raw)
	}
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if (u.Scheme == "https" && port == "443") || (u.Scheme == "http" && port == "80") {
		port = ""
	}
	u.Host = host
	if port != "" {
		u.Host = host + ":" + port
	}
	if strings.Contains(host, ":") { // IPv6 literal
		u.Host = "[" + host + "]"
		if port != "" {
			u.Host += ":" + port
		}
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u.String(), nil
}
