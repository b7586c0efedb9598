package pointsyncconnect

import (
	"errors"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
)

// Option configures NewLedger and NewSQLStore.
type Option func(*options) error

type options struct {
	clock loyalty.Clock
}

// WithClock sets the clock (default: the system clock): it dates members and accounts created
// from sync, and queue entries, leases and delivery records. Movements keep the time of their
// origin.
func WithClock(c loyalty.Clock) Option {
	return func(o *options) error {
		if c == nil {
			return errors.New("pointsyncconnect: nil clock")
		}
		o.clock = c
		return nil
	}
}

func newOptions(opts []Option) (options, error) {
	o := options{clock: loyalty.ClockFunc(time.Now)}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return o, err
		}
	}
	return o, nil
}
