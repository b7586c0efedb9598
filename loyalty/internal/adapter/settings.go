package adapter

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
)

// Settings are the options every connector takes. A connector's settings embed it and its
// WithX options call the setters with the package name, which prefixes their errors.
type Settings struct {
	// EncKey seals the stored credentials (nil until WithEncryptionKey).
	EncKey []byte
	// Logger, Clock and Random default to a discarding logger, the system clock and
	// crypto/rand.
	Logger *slog.Logger
	Clock  loyalty.Clock
	Random io.Reader
}

// DefaultSettings returns the defaults.
func DefaultSettings() Settings {
	return Settings{Logger: slog.New(slog.DiscardHandler), Clock: SystemClock{}, Random: rand.Reader}
}

// SetEncryptionKey copies a key of exactly size bytes.
func (s *Settings) SetEncryptionKey(pkg string, key []byte, size int) error {
	if len(key) != size {
		return fmt.Errorf("%s: WithEncryptionKey: need %d bytes, got %d", pkg, size, len(key))
	}
	s.EncKey = append([]byte(nil), key...)
	return nil
}

// SetLogger sets a non-nil logger.
func (s *Settings) SetLogger(pkg string, l *slog.Logger) error {
	if l == nil {
		return errors.New(pkg + ": WithLogger: nil logger")
	}
	s.Logger = l
	return nil
}

// SetClock sets a non-nil clock.
func (s *Settings) SetClock(pkg string, c loyalty.Clock) error {
	if c == nil {
		return errors.New(pkg + ": WithClock: nil clock")
	}
	s.Clock = c
	return nil
}

// SetRandom sets a non-nil entropy source.
func (s *Settings) SetRandom(pkg string, r io.Reader) error {
	if r == nil {
		return errors.New(pkg + ": WithRandom: nil reader")
	}
	s.Random = r
	return nil
}

// SystemClock is the system clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }
