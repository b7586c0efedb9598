package sitooconnect

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
)

// maxCRMBody caps a CRM request body.
const maxCRMBody = 64 << 10

// CRMTimeout bounds the work of one CRM request: the POS expects an answer within about a
// second (it gives up after 10); a request that runs out of time gets 503.
const CRMTimeout = 800 * time.Millisecond

// Handler serves every connection's SPIs below one prefix (mount it with http.StripPrefix):
//
//	POST /{connection}/events            the Events SPI ("base_url" of the Events subscription:
//	                                     <public URL>/{connection})
//	...  /{connection}/crm/customers...  the CRM SPI v2 (CRM base URL: <public URL>/{connection}/crm)
//
// The CRM routes are those of the Routes table. Each connection's own Basic credentials are
// checked in constant time; an unknown or disconnected connection gets 401.
func (c *Connector) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /{conn}/events", c.serveEvents)
	for _, r := range Routes {
		mux.HandleFunc(r.Method+" /{conn}/crm"+r.Pattern, c.crm(r.Op))
	}
	return mux
}

func (c *Connector) serveEvents(w http.ResponseWriter, r *http.Request) {
	rec, err := c.conns.Connection(r.Context(), r.PathValue("conn"))
	if err != nil && !errors.Is(err, ErrConnectionNotFound) {
		writeError(w, http.StatusServiceUnavailable, "other", "the connection store is unavailable")
		return
	}
	var o opened
	if err == nil {
		o, err = c.open(rec)
	}
	if err != nil {
		w.Header().Set("WWW-Authenticate", `Basic realm="sitoo-events"`)
		writeError(w, http.StatusUnauthorized, "unauthorized", "unknown or disconnected connection")
		return
	}
	o.events.ServeHTTP(w, r)
}

// crmRequest is one authenticated CRM request.
type crmRequest struct {
	rec ConnectionRecord
	// StoreID, StaffID and RegisterID are the optional headers, URL-decoded.
	StoreID, StaffID, RegisterID string
}

func headerValue(r *http.Request, name string) string {
	v := r.Header.Get(name)
	if d, err := url.QueryUnescape(v); err == nil {
		return d
	}
	return v
}

func equalSecret(got, want string) int {
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:])
}

func (c *Connector) crm(op Operation) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), CRMTimeout)
		defer cancel()
		rec, err := c.conns.Connection(ctx, r.PathValue("conn"))
		var o opened
		if err == nil {
			o, err = c.open(rec)
		}
		if err != nil && !errors.Is(err, ErrConnectionNotFound) && !errors.Is(err, ErrDisconnected) {
			c.log.WarnContext(ctx, "sitooconnect: CRM connection unavailable", "err", err)
			writeError(w, http.StatusServiceUnavailable, "other", "temporarily unavailable")
			return
		}
		user, pass, ok := r.BasicAuth()
		if err != nil || !ok || equalSecret(user, o.creds.CRMUsername)&equalSecret(pass, o.creds.CRMPassword) != 1 {
			w.Header().Set("WWW-Authenticate", `Basic realm="sitoo-crm"`)
			writeError(w, http.StatusUnauthorized, "unauthorized", "wrong or missing CRM credentials")
			return
		}
		req := crmRequest{rec: rec, StoreID: headerValue(r, "Store-ID"), StaffID: headerValue(r, "Staff-ID"),
			RegisterID: headerValue(r, "Register-ID")}
		var body []byte
		if r.Body != nil {
			if body, err = io.ReadAll(io.LimitReader(r.Body, maxCRMBody+1)); err != nil || len(body) > maxCRMBody {
				writeError(w, http.StatusBadRequest, "bad-request", "unreadable or too large body")
				return
			}
		}
		status, out, err := c.serveCRM(ctx, op, req, r, body)
		if err != nil {
			c.log.WarnContext(ctx, "sitooconnect: CRM request failed", "op", op, "status", status, "err", err)
			code := map[int]string{400: "bad-request", 404: "not-found", 409: "bad-request"}[status]
			if code == "" {
				code = "other"
			}
			data := map[string]string{"message": err.Error()}
			var fe *fieldError
			if errors.As(err, &fe) {
				data["field"] = fe.Field
			}
			writeJSON(w, status, ErrorBody{ErrorCode: code, ErrorData: data})
			return
		}
		writeJSON(w, status, out)
	}
}

// serveCRM runs one operation; err goes to the error body with the status.
func (c *Connector) serveCRM(ctx context.Context, op Operation, req crmRequest, r *http.Request, body []byte) (int, any, error) {
	switch op {
	case OpSearchCustomer:
		keyType, key := r.URL.Query().Get("key_type"), strings.TrimSpace(r.URL.Query().Get("key"))
		if keyType == "" || key == "" {
			return 400, nil, errors.New("key_type and key are required")
		}
		ref, known, err := c.search(ctx, req, keyType, key)
		switch {
		case err != nil:
			return 503, nil, err
		case !known:
			c.log.InfoContext(ctx, "sitooconnect: unknown search key type", "key_type", keyType)
			return UnknownKeyTypeStatus, []Customer{}, nil
		case ref.IsZero():
			return 200, []Customer{}, nil
		}
		cu, err := c.customer(ctx, req, ref)
		switch {
		case errors.Is(err, loyalty.ErrMemberNotFound) || errors.Is(err, loyalty.ErrNotMember) || errors.Is(err, loyalty.ErrInvalid):
			return 200, []Customer{}, nil
		case err != nil:
			return 503, nil, err
		}
		return 200, []Customer{cu}, nil
	case OpAddCustomer:
		return c.addCustomer(ctx, req, body)
	}
	m, err := c.eng.FindMember(ctx, loyalty.MemberRef{ID: r.PathValue("id")})
	if errors.Is(err, loyalty.ErrMemberNotFound) {
		return 404, nil, fmt.Errorf("no customer %q", r.PathValue("id"))
	} else if err != nil {
		return 503, nil, err
	}
	switch op {
	case OpGetCustomer:
		cu, err := c.customer(ctx, req, loyalty.MemberRef{ID: m.ID})
		return statusOr(err), cu, err
	case OpUpdateCustomer:
		return c.updateCustomer(ctx, req, m, body)
	case OpTransactions:
		return c.transactions(ctx, req, m)
	case OpRedeemItems, OpUndoRedeem:
		return c.redeemItems(ctx, req, m, body, op == OpRedeemItems)
	}
	return 404, nil, errors.New("unknown operation")
}

// statusOr is the status of a card read: 200, 404 when the member is not in the program, 503.
func statusOr(err error) int {
	switch {
	case err == nil:
		return 200
	case errors.Is(err, loyalty.ErrMemberNotFound) || errors.Is(err, loyalty.ErrNotMember):
		return 404
	}
	return 503
}

// search turns a key into a member reference (zero when nobody can match); known is false for
// an unknown key type.
func (c *Connector) search(ctx context.Context, req crmRequest, keyType, key string) (ref loyalty.MemberRef, known bool, err error) {
	switch keyType {
	case KeyMemberNumber:
		if n, err := strconv.ParseInt(key, 10, 64); err == nil && n > 0 {
			ref.Number = n
		} else {
			ref.Code = key
		}
	case KeyEmail:
		ref.Email = key
	case KeyCustomerID:
		ref.ID = key
	case KeyMobile, KeyPersonalID:
		var p Profile
		if keyType == KeyMobile {
			p, err = c.conns.ProfileByMobile(ctx, req.rec.ProgramID, normalizeMobile(key))
		} else {
			p, err = c.conns.ProfileByPersonalID(ctx, req.rec.ProgramID, strings.TrimSpace(key))
		}
		if errors.Is(err, ErrProfileNotFound) {
			return ref, true, nil
		} else if err != nil {
			return ref, true, err
		}
		ref.ID = p.MemberID
	default:
		return ref, false, nil
	}
	return ref, true, nil
}

// normalizeMobile keeps a leading + and the digits.
func normalizeMobile(s string) string {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		if (r >= '0' && r <= '9') || (r == '+' && i == 0) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// customer builds the card of the member ref names (one read of the ledger: member, balance,
// tier, channels), with the profile, sections, status and bonus checks. The error wraps
// loyalty.ErrMemberNotFound or loyalty.ErrNotMember when there is no such member in the program.
func (c *Connector) customer(ctx context.Context, req crmRequest, ref loyalty.MemberRef) (Customer, error) {
	wal, err := c.eng.Wallet(ctx, req.rec.ProgramID, ref)
	if err != nil {
		return Customer{}, err
	}
	p, m := wal.Program, wal.Member
	cu := Customer{CustomerID: m.ID, MemberNumber: strconv.FormatInt(m.Number, 10), Email: m.Email,
		AcceptsCommunication: []string{}, Consents: []string{}, AdditionalOptions: []AdditionalOpt{},
		Promotions: []Promotion{}, BonusChecks: []BonusCheckWire{}, VoucherPasswords: []string{}, Sections: []Section{}}
	first, last, _ := strings.Cut(m.Name, " ")
	cu.NameFirst, cu.NameLast = first, last
	prof, err := c.conns.Profile(ctx, p.ID, m.ID)
	switch {
	case err == nil:
		if prof.NameFirst != "" || prof.NameLast != "" {
			cu.NameFirst, cu.NameLast = prof.NameFirst, prof.NameLast
		}
		cu.Mobile, cu.PersonalID, cu.Gender = prof.Mobile, prof.PersonalID, prof.Gender
		if prof.Address != (Address{}) {
			a := prof.Address
			cu.InvoiceAddress = &a
		}
		cu.AcceptsCommunication = append(cu.AcceptsCommunication, prof.AcceptsCommunication...)
		cu.Consents = append(cu.Consents, prof.Consents...)
	case !errors.Is(err, ErrProfileNotFound):
		return cu, err
	}
	cu.Status = Status{Color: ColorActive, Text: "Member"}
	if wal.Tier.Tier.Name != "" {
		cu.Status.Text = wal.Tier.Tier.Name
	}
	if req.rec.Paused {
		cu.Status = Status{Color: ColorPaused, Text: "Points paused"}
	}
	values := []SectionValue{
		{Title: "Points", Text: loyalty.FormatPoints(wal.Balance), Type: "text"},
		{Title: "Value", Text: loyalty.FormatMoney(wal.Value, p.Currency) + " " + p.Currency, Type: "text"},
		{Title: "Card", Text: m.Code, Type: "text"},
	}
	if wal.TierLine != "" {
		values = append(values, SectionValue{Title: "Tier", Text: wal.TierLine, Type: "text"})
	}
	cu.Sections = append(cu.Sections, Section{Title: "Loyalty", Values: values})
	checks, err := c.conns.BonusChecks(ctx, p.ID, m.ID)
	if err != nil {
		return cu, err
	}
	now := c.now()
	for _, b := range checks {
		if now.After(b.ExpiresAt) && b.RedeemedAt.IsZero() {
			continue
		}
		bw := BonusCheckWire{BonusCheckID: b.ID, Name: "Bonus check " + loyalty.FormatMoney(b.Value, b.Currency),
			Description: fmt.Sprintf("%s points", loyalty.FormatPoints(b.Points)), Value: b.Value.StringFixed(2),
			Currency: b.Currency, Redeemed: !b.RedeemedAt.IsZero(), ValidTo: b.ExpiresAt.Unix()}
		if bw.Redeemed {
			at := b.RedeemedAt.Unix()
			bw.RedeemedAt = &at
		}
		cu.BonusChecks = append(cu.BonusChecks, bw)
	}
	return cu, nil
}

// fieldError is a 400 about one field of the request body: the POS gets the field's name in
// error_data["field"] beside the message it shows.
type fieldError struct {
	Field, Message string
}

func (e *fieldError) Error() string { return e.Message }

// addCustomer creates a member from the POS (a first scan of a card): the email is required
// and unique (see CustomerInput); adding an existing email returns that customer.
func (c *Connector) addCustomer(ctx context.Context, req crmRequest, body []byte) (int, any, error) {
	var in CustomerInput
	if err := json.Unmarshal(body, &in); err != nil {
		return 400, nil, fmt.Errorf("body: %v", err)
	}
	if in.Email == nil || strings.TrimSpace(*in.Email) == "" {
		return 400, nil, &fieldError{Field: "email", Message: "email is required to add a customer: members are " +
			"identified by their email address (they sign in with it and get their points emails there); " +
			"ask the customer for one, or search for them if they are already a member"}
	}
	name := strings.TrimSpace(deref(in.NameFirst) + " " + deref(in.NameLast))
	m, err := c.eng.Enroll(ctx, req.rec.ProgramID, loyalty.NewMember{Email: *in.Email, Name: name,
		Source: "counter:" + storeKey(req.rec.AccountID) + "/" + req.StoreID})
	var ve *loyalty.ValidationError
	if errors.As(err, &ve) && ve.Field == "NewMember.Email" {
		return 400, nil, &fieldError{Field: "email", Message: ve.Reason}
	} else if errors.Is(err, loyalty.ErrInvalid) {
		return 400, nil, err
	} else if err != nil {
		return 503, nil, err
	}
	if _, err := c.putProfile(ctx, req, m, in, true); err != nil {
		return 503, nil, err
	}
	if err := c.eng.RecordActivity(ctx, loyalty.ActivityEntry{ProgramID: req.rec.ProgramID, Kind: "counter_customer",
		Actor: actorOr(req.StaffID, "pos"), MemberID: m.ID, Store: storeKey(req.rec.AccountID),
		Message: fmt.Sprintf("customer added at store %s, register %s, staff %s", orDash(req.StoreID), orDash(req.RegisterID),
			orDash(req.StaffID))}); err != nil {
		return 503, nil, err
	}
	cu, err := c.customer(ctx, req, loyalty.MemberRef{ID: m.ID})
	return statusOr(err), cu, err
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return strings.TrimSpace(*s)
}

// putProfile merges in into the member's profile; with onlyEmpty, set fields are kept.
func (c *Connector) putProfile(ctx context.Context, req crmRequest, m loyalty.Member, in CustomerInput, onlyEmpty bool) (Profile, error) {
	p, err := c.conns.Profile(ctx, req.rec.ProgramID, m.ID)
	if err != nil && !errors.Is(err, ErrProfileNotFound) {
		return p, err
	}
	p.ProgramID, p.MemberID, p.UpdatedAt = req.rec.ProgramID, m.ID, c.now()
	set := func(dst *string, v *string, norm func(string) string) {
		if v != nil && (!onlyEmpty || *dst == "") {
			*dst = norm(*v)
		}
	}
	trim := strings.TrimSpace
	set(&p.NameFirst, in.NameFirst, trim)
	set(&p.NameLast, in.NameLast, trim)
	set(&p.Mobile, in.Mobile, normalizeMobile)
	set(&p.PersonalID, in.PersonalID, trim)
	set(&p.Gender, in.Gender, trim)
	if in.InvoiceAddress != nil && (!onlyEmpty || p.Address == Address{}) {
		p.Address = *in.InvoiceAddress
	}
	if in.AcceptsCommunication != nil && (!onlyEmpty || p.AcceptsCommunication == nil) {
		p.AcceptsCommunication = in.AcceptsCommunication
	}
	if in.Consents != nil && (!onlyEmpty || p.Consents == nil) {
		p.Consents = in.Consents
	}
	return p, c.conns.PutProfile(ctx, p)
}

func (c *Connector) updateCustomer(ctx context.Context, req crmRequest, m loyalty.Member, body []byte) (int, any, error) {
	var in CustomerInput
	if err := json.Unmarshal(body, &in); err != nil {
		return 400, nil, fmt.Errorf("body: %v", err)
	}
	if in.Email != nil && loyalty.NormalizeEmail(*in.Email) != m.Email {
		// Staff change the email (normalised, unique; logged by the engine with the staff id).
		var err error
		m, err = c.eng.ChangeMemberEmail(ctx, req.rec.ProgramID, m.ID, *in.Email, actorOr(req.StaffID, "pos"))
		switch {
		case errors.Is(err, loyalty.ErrInvalid):
			return 400, nil, err
		case errors.Is(err, loyalty.ErrEmailTaken):
			return 409, nil, err
		case err != nil:
			return statusOr(err), nil, err
		}
	}
	if _, err := c.putProfile(ctx, req, m, in, false); err != nil {
		return 503, nil, err
	}
	cu, err := c.customer(ctx, req, loyalty.MemberRef{ID: m.ID})
	return statusOr(err), cu, err
}

// transactions is the purchase history from the ledger, newest first (at most 50).
func (c *Connector) transactions(ctx context.Context, req crmRequest, m loyalty.Member) (int, any, error) {
	ms, _, err := c.eng.History(ctx, req.rec.ProgramID, m.ID, loyalty.PageOptions{Limit: 50})
	if err != nil {
		return 503, nil, err
	}
	out := make([]Transaction, 0, len(ms))
	for _, mv := range ms {
		ch := string(mv.Channel)
		if ch == "" && mv.Store != "" {
			ch = string(loyalty.ChannelOnline)
		}
		out = append(out, Transaction{Date: mv.CreatedAt.Unix(), Channel: ch, Source: mv.Source, OrderID: mv.OrderID,
			Kind: string(mv.Kind), Points: mv.Applied, Amount: mv.Amount.StringFixed(2), Text: mv.Reason})
	}
	return 200, out, nil
}

// redeemItems redeems (or undoes) bonus checks, idempotently per (customer, item).
func (c *Connector) redeemItems(ctx context.Context, req crmRequest, m loyalty.Member, body []byte, redeem bool) (int, any, error) {
	var in RedeemRequestWire
	if err := json.Unmarshal(body, &in); err != nil || len(in.Items) == 0 {
		return 400, nil, errors.New("body: want {\"items\":[{\"type\":\"bonus_check\",\"id\":\"...\"}]}")
	}
	out := RedeemResultWire{Items: []RedeemItemResult{}}
	for _, it := range in.Items {
		if it.Type != ItemBonusCheck {
			return 404, nil, fmt.Errorf("no %s %q for this customer", it.Type, it.ID)
		}
		b, changed, err := c.redeemCheck(ctx, req.rec.ProgramID, m.ID, it.ID, redeem)
		if errors.Is(err, errItem) {
			return 404, nil, err
		} else if err != nil {
			return 503, nil, err
		}
		out.Items = append(out.Items, RedeemItemResult{Type: it.Type, ID: it.ID, Redeemed: !b.RedeemedAt.IsZero()})
		if !changed {
			continue
		}
		verb := "redeemed"
		if !redeem {
			verb = "redemption undone"
		}
		if err := c.eng.RecordActivity(ctx, loyalty.ActivityEntry{ProgramID: req.rec.ProgramID, Kind: "counter_bonus_check",
			Actor: actorOr(req.StaffID, "pos"), MemberID: m.ID, Store: storeKey(req.rec.AccountID), RedemptionID: b.RedemptionID,
			Message: fmt.Sprintf("bonus check %s %s at store %s, register %s", b.ID, verb, orDash(req.StoreID),
				orDash(req.RegisterID))}); err != nil {
			return 503, nil, err
		}
	}
	return 200, out, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, ErrorBody{ErrorCode: code, ErrorData: map[string]string{"message": msg}})
}
