package sitooconnect

import (
	"context"
	"errors"
	"time"
)

// RunOnce applies the pending order events of every active connection and then reconciles
// it (ProcessPending, Reconcile). Errors of one connection do not stop the others; they are
// logged and the first is returned.
func (c *Connector) RunOnce(ctx context.Context) error {
	recs, err := c.conns.Connections(ctx, "")
	if err != nil {
		return err
	}
	var first error
	for _, rec := range recs {
		if rec.State() != StateActive {
			continue
		}
		_, err := c.ProcessPending(ctx, rec.ID)
		if err == nil {
			_, err = c.Reconcile(ctx, rec.ID)
		}
		if err != nil {
			c.log.WarnContext(ctx, "sitooconnect: run", "connection", rec.ID, "err", err)
			if first == nil {
				first = err
			}
		}
	}
	return first
}

// Run calls RunOnce every interval until ctx ends, and returns ctx's error. Several processes
// may run it at once: applying is idempotent per order.
func (c *Connector) Run(ctx context.Context, interval time.Duration) error {
	if interval <= 0 {
		return errors.New("sitooconnect: Run: interval must be positive")
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		_ = c.RunOnce(ctx)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}
