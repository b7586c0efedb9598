package wooconnect

import (
	"context"
	"sync"
	"time"
)

// deliveryRecordTTL is how long the webhook endpoint uses a connection record it read before it
// reads the record again. Changes made through this Connector take effect at once (they drop
// the cached record); changes made by another instance sharing the ConnectionStore within this
// time. A pause or a disconnection made elsewhere is enforced by the engine's program flag
// anyway, and a webhook secret changed elsewhere is picked up at the first delivery it signs
// (a signature that does not match the cached secret makes the endpoint read the record again).
const deliveryRecordTTL = time.Second

// recordCache holds the connection records the webhook endpoint read recently, so that a busy
// endpoint reads each record about once per deliveryRecordTTL instead of once per delivery.
// Only records of connections that are not disconnected are kept, and only while nothing
// dropped them since they were read.
type recordCache struct {
	mu  sync.Mutex
	m   map[string]cachedRecord
	gen uint64 // counts drops: a record read before a drop is not kept
}

type cachedRecord struct {
	rec    ConnectionRecord
	readAt time.Time
}

// get returns the record of id read less than deliveryRecordTTL before now.
func (rc *recordCache) get(id string, now time.Time) (ConnectionRecord, bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	e, ok := rc.m[id]
	if !ok || now.Before(e.readAt) || now.Sub(e.readAt) >= deliveryRecordTTL {
		return ConnectionRecord{}, false
	}
	return e.rec, true
}

// generation returns the count of drops so far; take it before reading a record to put.
func (rc *recordCache) generation() uint64 {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.gen
}

// put keeps rec, read at readAt, unless it is disconnected or a drop happened since gen was
// taken (the record read may predate the change that dropped it).
func (rc *recordCache) put(rec ConnectionRecord, readAt time.Time, gen uint64) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rec.Disconnected || gen != rc.gen {
		return
	}
	if rc.m == nil {
		rc.m = map[string]cachedRecord{}
	}
	rc.m[rec.ID] = cachedRecord{rec: rec, readAt: readAt}
}

// drop forgets the record of id, and makes every read in flight unfit to keep.
func (rc *recordCache) drop(id string) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.gen++
	delete(rc.m, id)
}

// delivered notes that the record's LastDeliveryAt was moved to at, so that the endpoint does
// not write it again within the second.
func (rc *recordCache) delivered(id string, at time.Time) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if e, ok := rc.m[id]; ok && at.After(e.rec.LastDeliveryAt) {
		e.rec.LastDeliveryAt = at
		rc.m[id] = e
	}
}

// deliveryRecord returns the connection record for a delivery: the cached one when it is
// recent, otherwise the one in the ConnectionStore (then cached). cached says which.
func (c *Connector) deliveryRecord(ctx context.Context, id string, fresh bool) (rec ConnectionRecord, cached bool, err error) {
	now := c.now()
	if !fresh {
		if rec, ok := c.records.get(id, now); ok {
			return rec, true, nil
		}
	}
	gen := c.records.generation()
	if rec, err = c.conns.Connection(ctx, id); err != nil {
		return rec, false, err
	}
	c.records.put(rec, now, gen)
	return rec, false, nil
}

// saveConnection creates or updates a connection record in the ConnectionStore, and drops the
// endpoint's cached copy.
func (c *Connector) saveConnection(ctx context.Context, rec ConnectionRecord, create bool) error {
	defer c.records.drop(rec.ID)
	if create {
		return c.conns.CreateConnection(ctx, rec)
	}
	return c.conns.UpdateConnection(ctx, rec)
}
