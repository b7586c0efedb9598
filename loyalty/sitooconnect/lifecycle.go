package sitooconnect

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/sitoo"
)

// ConnectRequest links a program to a Sitoo account.
type ConnectRequest struct {
	// ProgramID is the loyalty program counter purchases earn on.
	ProgramID string
	// BaseURL is the account's REST base URL (Backoffice shows it with the API password),
	// e.g. "https://api.mysitoo.com/v2/accounts/90316"; AccountID is the account.
	BaseURL   string
	AccountID int64
	// APIID and APIPassword are the Sitoo REST API credentials, used to read orders.
	APIID, APIPassword string
	// CRMUsername and CRMPassword are the credentials Sitoo sends to the CRM SPI, and
	// EventsUsername and EventsPassword those of the Events subscription. They are the
	// service's own: never the REST API credentials.
	CRMUsername, CRMPassword       string
	EventsUsername, EventsPassword string
	// Actor is recorded in the activity log (default "partner").
	Actor string
}

func (r ConnectRequest) check() error {
	var missing []string
	for name, v := range map[string]string{"ProgramID": r.ProgramID, "BaseURL": r.BaseURL, "APIID": r.APIID,
		"APIPassword": r.APIPassword, "CRMUsername": r.CRMUsername, "CRMPassword": r.CRMPassword,
		"EventsUsername": r.EventsUsername, "EventsPassword": r.EventsPassword} {
		if strings.TrimSpace(v) == "" {
			missing = append(missing, name)
		}
	}
	switch {
	case len(missing) > 0:
		return fmt.Errorf("%w: missing %s", ErrInvalidConnect, strings.Join(missing, ", "))
	case r.AccountID <= 0:
		return fmt.Errorf("%w: AccountID must be positive", ErrInvalidConnect)
	case r.CRMUsername == r.APIID || r.EventsUsername == r.APIID:
		return fmt.Errorf("%w: the CRM and Events credentials must not be the Sitoo API credentials", ErrInvalidConnect)
	case strings.Contains(r.CRMUsername, ":") || strings.Contains(r.EventsUsername, ":"):
		return fmt.Errorf("%w: an HTTP Basic username cannot contain ':'", ErrInvalidConnect)
	}
	return nil
}

// Connect verifies the API credentials against the account (reading its newest order, which
// becomes the poll's watermark: nothing older is back-filled), seals every credential and
// stores the connection. Connecting a program to an account it was disconnected from resumes
// that connection; an active one gets its credentials replaced.
func (c *Connector) Connect(ctx context.Context, req ConnectRequest) (ConnectionRecord, error) {
	if err := req.check(); err != nil {
		return ConnectionRecord{}, err
	}
	if _, err := c.eng.Program(ctx, req.ProgramID); err != nil {
		return ConnectionRecord{}, err
	}
	c.connectMu.Lock()
	defer c.connectMu.Unlock()
	client, err := sitoo.NewClient(req.BaseURL, req.APIID, req.APIPassword, c.clientOpts...)
	if err != nil {
		return ConnectionRecord{}, fmt.Errorf("%w: %v", ErrInvalidConnect, err)
	}
	latest, _, err := client.Orders.List(ctx, &sitoo.OrderListOptions{ListOptions: sitoo.ListOptions{Num: 1, Sort: "-orderid", Fields: []string{"orderid"}}})
	if errors.Is(err, sitoo.ErrUnauthorized) || errors.Is(err, sitoo.ErrForbidden) {
		return ConnectionRecord{}, fmt.Errorf("%w: %v", ErrCredentials, err)
	} else if err != nil {
		return ConnectionRecord{}, fmt.Errorf("sitooconnect: connect: read orders: %w", err)
	}
	now := c.now()
	rec, err := c.conns.ConnectionByAccount(ctx, req.ProgramID, req.AccountID)
	existing := err == nil
	if err != nil && !errors.Is(err, ErrConnectionNotFound) {
		return ConnectionRecord{}, err
	}
	if !existing {
		id, err := c.newID()
		if err != nil {
			return ConnectionRecord{}, err
		}
		rec = ConnectionRecord{ID: id, ProgramID: req.ProgramID, AccountID: req.AccountID}
	}
	rec.BaseURL, rec.Paused, rec.Disconnected, rec.ConnectedAt, rec.UpdatedAt = req.BaseURL, false, false, now, now
	rec.ProcessingSince = now
	if rec.Credentials, err = c.sealCreds(rec, credentials{APIID: req.APIID, APIPassword: req.APIPassword,
		CRMUsername: req.CRMUsername, CRMPassword: req.CRMPassword,
		EventsUsername: req.EventsUsername, EventsPassword: req.EventsPassword}); err != nil {
		return ConnectionRecord{}, err
	}
	if existing {
		err = c.conns.UpdateConnection(ctx, rec)
	} else {
		err = c.conns.CreateConnection(ctx, rec)
	}
	if err != nil {
		return ConnectionRecord{}, err
	}
	c.forget(rec.ID)
	if len(latest) > 0 {
		if err := c.conns.SetWatermark(ctx, rec.ID, latest[0].OrderID); err != nil {
			return ConnectionRecord{}, err
		}
	}
	err = c.eng.RecordActivity(ctx, loyalty.ActivityEntry{ProgramID: rec.ProgramID, Kind: loyalty.ActivityConnected,
		Actor: actorOr(req.Actor, "partner"), Store: storeKey(rec.AccountID),
		Message: fmt.Sprintf("connected Sitoo account %d: counter purchases earn on this card", rec.AccountID)})
	if err != nil {
		return ConnectionRecord{}, err
	}
	return c.conns.Connection(ctx, rec.ID)
}

func actorOr(actor, def string) string {
	if actor == "" {
		return def
	}
	return actor
}

// Pause keeps the connection but stops applying counter orders (events are answered 200 and
// dropped, never back-filled) and issuing bonus checks; the CRM still finds customers. It
// touches only this connection: a webshop linked to the same program keeps earning.
func (c *Connector) Pause(ctx context.Context, connectionID, actor string) error {
	return c.setPaused(ctx, connectionID, true, actor)
}

// Resume picks processing back up; the poll continues from the newest order at this moment.
func (c *Connector) Resume(ctx context.Context, connectionID, actor string) error {
	return c.setPaused(ctx, connectionID, false, actor)
}

func (c *Connector) setPaused(ctx context.Context, id string, paused bool, actor string) error {
	c.connectMu.Lock()
	defer c.connectMu.Unlock()
	rec, err := c.conns.Connection(ctx, id)
	if err != nil {
		return err
	}
	if rec.Disconnected {
		return fmt.Errorf("%w: account %d", ErrDisconnected, rec.AccountID)
	}
	if rec.Paused == paused {
		return nil
	}
	if !paused {
		o, err := c.open(rec)
		if err != nil {
			return err
		}
		latest, _, err := o.client.Orders.List(ctx, &sitoo.OrderListOptions{ListOptions: sitoo.ListOptions{Num: 1, Sort: "-orderid", Fields: []string{"orderid"}}})
		if err != nil {
			return fmt.Errorf("sitooconnect: resume: read orders: %w", err)
		}
		if len(latest) > 0 {
			if err := c.conns.SetWatermark(ctx, id, latest[0].OrderID); err != nil {
				return err
			}
		}
	}
	rec.Paused, rec.UpdatedAt = paused, c.now()
	if !paused {
		rec.ProcessingSince = rec.UpdatedAt
	}
	if err := c.conns.UpdateConnection(ctx, rec); err != nil {
		return err
	}
	kind, msg := loyalty.ActivityResumed, "resumed"
	if paused {
		kind, msg = loyalty.ActivityPaused, "paused"
	}
	return c.eng.RecordActivity(ctx, loyalty.ActivityEntry{ProgramID: rec.ProgramID, Kind: kind, Actor: actorOr(actor, "partner"),
		Store: storeKey(rec.AccountID), Message: fmt.Sprintf("Sitoo account %d %s", rec.AccountID, msg)})
}

// Disconnect deletes the stored credentials: the CRM and Events endpoints answer 401 from now
// on (Sitoo drops events answered 401), pending events are dropped and no bonus check is
// issued. Members keep every point and unredeemed bonus check. Remove the CRM and Events
// settings in Sitoo Backoffice too.
func (c *Connector) Disconnect(ctx context.Context, connectionID, actor string) error {
	c.connectMu.Lock()
	defer c.connectMu.Unlock()
	rec, err := c.conns.Connection(ctx, connectionID)
	if err != nil || rec.Disconnected {
		return err
	}
	rec.Credentials, rec.Disconnected, rec.UpdatedAt = nil, true, c.now()
	if err := c.conns.UpdateConnection(ctx, rec); err != nil {
		return err
	}
	c.forget(rec.ID)
	for {
		ps, err := c.conns.PendingOrders(ctx, rec.ID, 100)
		if err != nil || len(ps) == 0 {
			break
		}
		for _, p := range ps {
			if err := c.conns.DeletePending(ctx, rec.ID, p.EventID); err != nil {
				return err
			}
		}
	}
	return c.eng.RecordActivity(ctx, loyalty.ActivityEntry{ProgramID: rec.ProgramID, Kind: loyalty.ActivityDisconnected,
		Actor: actorOr(actor, "partner"), Store: storeKey(rec.AccountID),
		Message: fmt.Sprintf("disconnected Sitoo account %d: stored credentials deleted; members keep their points", rec.AccountID)})
}

// OverviewWindow is the window of the Overview's counts.
const OverviewWindow = 24 * time.Hour

// Overview answers "is it working?" for one connection.
type Overview struct {
	ID        string          `json:"id"`
	ProgramID string          `json:"program_id"`
	AccountID int64           `json:"account_id"`
	State     ConnectionState `json:"state"`
	// LastEventAt is when the latest authenticated event delivery arrived.
	LastEventAt time.Time `json:"last_event_at"`
	// Pending counts order events persisted and not applied yet; Watermark is the poll's.
	Pending   int   `json:"pending"`
	Watermark int64 `json:"watermark"`
	// Since starts the window of the counts of this account's order receipts.
	Since     time.Time `json:"since"`
	Processed int       `json:"processed"`
	Ignored   int       `json:"ignored"`
	Failed    int       `json:"failed"`
	// Receipts are this account's recent order receipts and Activity the program's recent
	// activity (staff, store and register of counter purchases included), newest first.
	Receipts []loyalty.Receipt       `json:"receipts"`
	Activity []loyalty.ActivityEntry `json:"activity"`
}

// Overview returns a connection's overview.
func (c *Connector) Overview(ctx context.Context, connectionID string) (Overview, error) {
	rec, err := c.conns.Connection(ctx, connectionID)
	if err != nil {
		return Overview{}, err
	}
	now := c.now()
	ov := Overview{ID: rec.ID, ProgramID: rec.ProgramID, AccountID: rec.AccountID, State: rec.State(),
		LastEventAt: rec.LastEventAt, Watermark: rec.Watermark, Since: now.Add(-OverviewWindow)}
	ps, err := c.conns.PendingOrders(ctx, rec.ID, 10_000)
	if err != nil {
		return Overview{}, err
	}
	ov.Pending = len(ps)
	store := storeKey(rec.AccountID)
	// The newest 1,000 receipts of the program (both channels) are plenty for a day's counts.
	rs, _, err := c.eng.Receipts(ctx, rec.ProgramID, "", loyalty.PageOptions{Limit: 1000})
	if err != nil {
		return Overview{}, err
	}
	for _, r := range rs {
		if r.ReceivedAt.Before(ov.Since) {
			break
		}
		if r.Store != store {
			continue
		}
		if len(ov.Receipts) < 50 {
			ov.Receipts = append(ov.Receipts, r)
		}
		switch r.Outcome {
		case loyalty.OutcomeProcessed:
			ov.Processed++
		case loyalty.OutcomeFailed:
			ov.Failed++
		default:
			ov.Ignored++
		}
	}
	ov.Activity, _, err = c.eng.Activity(ctx, rec.ProgramID, loyalty.PageOptions{Limit: 50})
	return ov, err
}
