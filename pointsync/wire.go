package pointsync

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// Version is the protocol version this package speaks. A batch or ping with another version is
// refused with 400 unsupported_version.
const Version = 1

// Limits of the wire format, checked by Validate and DecodeBatch.
const (
	// MaxBatchMovements is the most movements one batch may carry.
	MaxBatchMovements = 1000
	// MaxBodyBytes is the largest request body the handler reads.
	MaxBodyBytes = 4 << 20
	maxIDLen     = 200
	maxKeyLen    = 128
	maxEmailLen  = 254
	maxCodeLen   = 64
	maxReasonLen = 1000
)

// Kind is the cause of a movement on its origin site. Expirations are never synced (each site
// expires points by its own rules), so there is no expiry kind on the wire.
type Kind string

// The kinds of movement a batch may carry.
const (
	// KindEarn: points earned by a purchase.
	KindEarn Kind = "earn"
	// KindWelcome: a welcome bonus.
	KindWelcome Kind = "welcome"
	// KindRefund: points taken back after a refund.
	KindRefund Kind = "refund"
	// KindRedeem: points turned into a reward or coupon.
	KindRedeem Kind = "redeem"
	// KindRelease: points of a failed redemption given back.
	KindRelease Kind = "release"
	// KindAdjust: a manual add or subtract by an administrator, or another correction.
	KindAdjust Kind = "adjust"
)

// Valid reports whether k is one of the kinds of this protocol version.
func (k Kind) Valid() bool {
	switch k {
	case KindEarn, KindWelcome, KindRefund, KindRedeem, KindRelease, KindAdjust:
		return true
	}
	return false
}

// Member identifies a member by identity, never by a site's local id.
type Member struct {
	// Email is the normalised email address (see NormalizeEmail). Required.
	Email string `json:"email"`
	// Code is the member code, when both sides use loyalsync; optional.
	Code string `json:"code,omitempty"`
}

// Movement is one points movement of the origin site, as applied there.
type Movement struct {
	// ID is the movement's id on its origin site, unique there and stable across deliveries: the
	// receiving ledger applies each (origin, ID) once.
	ID string `json:"id"`
	// Member is who the points belong to.
	Member Member `json:"member"`
	// Points is the signed amount applied on the origin site (not the amount its cause asked for),
	// so rules such as a clawback floored at zero are decided once, at the origin.
	Points int64 `json:"points"`
	// Kind is the cause.
	Kind Kind `json:"kind"`
	// Reason is the human-readable description shown in the member's history.
	Reason string `json:"reason,omitempty"`
	// Time is when the movement was applied on the origin site (UTC).
	Time time.Time `json:"time"`
}

// Batch is what a site sends to a remote: movements of one observed reserve.
type Batch struct {
	// Version is the protocol version (Version).
	Version int `json:"version"`
	// ID identifies this batch; the receiver accepts each id once (replays get 401).
	ID string `json:"id"`
	// Origin is the sharing key of the sending site.
	Origin string `json:"origin"`
	// Reserve is the target point reserve on the receiving site.
	Reserve string `json:"reserve"`
	// Movements are the movements, at least one and at most MaxBatchMovements.
	Movements []Movement `json:"movements"`
}

// Result is the receiver's answer to a batch.
type Result struct {
	// BatchID repeats the batch id.
	BatchID string `json:"batch_id"`
	// Applied counts the movements applied now.
	Applied int `json:"applied"`
	// Duplicates counts the movements that had been applied before (by an earlier delivery).
	Duplicates int `json:"duplicates"`
}

// PingRequest is the body of a ping: it checks the settings of a remote before any movement is
// sent.
type PingRequest struct {
	// Version is the protocol version (Version).
	Version int `json:"version"`
	// Reserve is the target point reserve to check on the remote.
	Reserve string `json:"reserve"`
}

// PingResponse is the answer to a successful ping.
type PingResponse struct {
	// Version is the protocol version of the remote.
	Version int `json:"version"`
	// SharingKey is the remote's sharing key.
	SharingKey string `json:"sharing_key"`
	// Reserve repeats the target reserve, which exists on the remote.
	Reserve string `json:"reserve"`
}

// NormalizeEmail returns the form of an email address used to match members: trimmed and
// lower-cased (the loyalty engine's rule).
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// Validate checks the batch against the protocol's rules and returns every problem found, each a
// *ValidationError (ErrInvalidArgument).
func (b *Batch) Validate() error {
	if b == nil {
		return invalid("batch", "is nil")
	}
	var errs []error
	if b.Version != Version {
		errs = append(errs, invalid("batch.version", "is %d, want %d", b.Version, Version))
	}
	if err := checkToken("batch.id", b.ID, 64); err != nil {
		errs = append(errs, err)
	}
	if err := checkToken("batch.origin", b.Origin, maxKeyLen); err != nil {
		errs = append(errs, err)
	}
	if err := checkText("batch.reserve", b.Reserve, maxKeyLen, true); err != nil {
		errs = append(errs, err)
	}
	switch n := len(b.Movements); {
	case n == 0:
		errs = append(errs, invalid("batch.movements", "is empty"))
	case n > MaxBatchMovements:
		errs = append(errs, invalid("batch.movements", "has %d movements, at most %d allowed", n, MaxBatchMovements))
	}
	seen := make(map[string]struct{}, len(b.Movements))
	for i := range b.Movements {
		if len(errs) >= 20 {
			break // enough to diagnose; do not build a huge error for a huge bad batch
		}
		m := &b.Movements[i]
		if err := m.validate(fmt.Sprintf("batch.movements[%d]", i)); err != nil {
			errs = append(errs, err)
			continue
		}
		if _, dup := seen[m.ID]; dup {
			errs = append(errs, invalid(fmt.Sprintf("batch.movements[%d].id", i), "%q appears twice", m.ID))
		}
		seen[m.ID] = struct{}{}
	}
	return errors.Join(errs...)
}

// Validate checks one movement; field names start with "movement".
func (m *Movement) Validate() error { return m.validate("movement") }

func (m *Movement) validate(field string) error {
	var errs []error
	if err := checkText(field+".id", m.ID, maxIDLen, true); err != nil {
		errs = append(errs, err)
	}
	email := m.Member.Email
	switch {
	case email == "":
		errs = append(errs, invalid(field+".member.email", "is required"))
	case email != NormalizeEmail(email):
		errs = append(errs, invalid(field+".member.email", "is not normalised (trimmed, lower case)"))
	case len(email) > maxEmailLen || !utf8.ValidString(email):
		errs = append(errs, invalid(field+".member.email", "is not a valid address"))
	default:
		local, domain, ok := strings.Cut(email, "@")
		if !ok || local == "" || domain == "" || strings.ContainsAny(email, " \t\r\n") {
			errs = append(errs, invalid(field+".member.email", "is not a valid address"))
		}
	}
	if err := checkText(field+".member.code", m.Member.Code, maxCodeLen, false); err != nil {
		errs = append(errs, err)
	}
	if !m.Kind.Valid() {
		errs = append(errs, invalid(field+".kind", "%q is not a kind of protocol version %d", m.Kind, Version))
	}
	if err := checkText(field+".reason", m.Reason, maxReasonLen, false); err != nil {
		errs = append(errs, err)
	}
	if m.Time.IsZero() {
		errs = append(errs, invalid(field+".time", "is required"))
	} else if y := m.Time.UTC().Year(); y < 1970 || y > 9999 {
		errs = append(errs, invalid(field+".time", "year %d is out of range (1970..9999, UTC)", y))
	}
	return errors.Join(errs...)
}

// checkText requires valid UTF-8 without control characters, at most max bytes, and, when
// required, not empty.
func checkText(field, s string, max int, required bool) error {
	switch {
	case s == "" && required:
		return invalid(field, "is required")
	case len(s) > max:
		return invalid(field, "is longer than %d bytes", max)
	case !utf8.ValidString(s):
		return invalid(field, "is not valid UTF-8")
	case strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return invalid(field, "contains control characters")
	}
	return nil
}

// checkToken requires 1..max characters from [A-Za-z0-9._~-].
func checkToken(field, s string, max int) error {
	if s == "" {
		return invalid(field, "is required")
	}
	if len(s) > max {
		return invalid(field, "is longer than %d characters", max)
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' || r == '~') {
			return invalid(field, "may contain only letters, digits and -._~")
		}
	}
	return nil
}

// DecodeBatch decodes and validates a batch body. Unknown members are ignored (a newer sender may
// add optional fields); anything else wrong is an error matching ErrInvalidArgument, or
// ErrUnsupportedVersion for another protocol version.
func DecodeBatch(data []byte) (*Batch, error) {
	if len(data) > MaxBodyBytes {
		return nil, invalid("batch", "body is larger than %d bytes", MaxBodyBytes)
	}
	var b Batch
	if err := unmarshalStrict(data, &b); err != nil {
		return nil, invalid("batch", "invalid JSON: %v", err)
	}
	if b.Version != Version {
		return nil, fmt.Errorf("%w: batch version %d, this site speaks %d", ErrUnsupportedVersion, b.Version, Version)
	}
	for i := range b.Movements {
		b.Movements[i].Time = b.Movements[i].Time.UTC()
	}
	if err := b.Validate(); err != nil {
		return nil, err
	}
	return &b, nil
}

// unmarshalStrict decodes exactly one JSON value (no trailing data).
func unmarshalStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}
