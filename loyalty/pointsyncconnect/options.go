package pointsyncconnect

import (
	"errors"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
)

// Option configures NewLedger and NewSQLStore.
type Option func(*options) error

type options struct {
	clock    loyalty.Clock
	clockSet bool // WithClock was given
}

// WithClock sets the clock: for NewLedger (default: the engine's clock) it dates accounts
// created from sync, double-spend and double-welcome records — members and welcome records are
// dated by the engine's clock; for NewSQLStore (default: the system clock) it dates queue
// entries, leases and delivery records. Movements keep the time of their origin.
func WithClock(c loyalty.Clock) Option {
	return func(o *options) error {
		if c == nil {
			return errors.New("pointsyncconnect: nil clock")
		}
		o.clock, o.clockSet = c, true
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
