package sitooconnect

import (
	"context"
	"errors"
	"time"
)

// SeenEventRetention is how long the ids of processed Sitoo events are kept to answer a
// redelivery as a duplicate: Sitoo stops retrying an event after about 24 hours. An event
// delivered again after its id was forgotten is queued again and its order applies as a
// duplicate (orders apply once by order id), so forgetting loses nothing.
const SeenEventRetention = 48 * time.Hour

// RunOnce forgets the seen event ids older than SeenEventRetention, then applies the pending
// order events of every active connection and reconciles it (ProcessPending, Reconcile).
// Errors of one connection do not stop the others; they are logged and the first is returned.
func (c *Connector) RunOnce(ctx context.Context) error {
	var first error
	if n, err := c.conns.PruneSeenEvents(ctx, c.now().Add(-SeenEventRetention)); err != nil {
		c.log.WarnContext(ctx, "sitooconnect: prune seen events", "err", err)
		first = err
	} else if n > 0 {
		c.log.DebugContext(ctx, "sitooconnect: pruned seen events", "count", n)
	}
	recs, err := c.conns.Connections(ctx, "")
	if err != nil {
		return err
	}
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
