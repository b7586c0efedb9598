package sitooconnect_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/sitooconnect"
)

func TestCRM_SearchCustomerByEveryKeyType(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cu := e.member("ana@example.org")
	st, err := e.pos.CRMCall(e.ctx, http.MethodPut, "/customers/"+cu.CustomerID, map[string]any{"personal_id": "19900101-1234",
		"unknown_field": map[string]any{"ignored": true}}, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, st)
	m, err := e.eng.FindMember(e.ctx, loyalty.MemberRef{ID: cu.CustomerID})
	require.NoError(t, err)

	for keyType, key := range map[string]string{
		"member_number": cu.MemberNumber, "email": "ANA@example.org", "mobile": "+46705550123",
		"personal_id": "19900101-1234", "customer_id": cu.CustomerID,
	} {
		found, st, err := e.pos.SearchCustomer(e.ctx, keyType, key)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, st, keyType)
		require.Len(t, found, 1, keyType)
		assert.Equal(t, cu.CustomerID, found[0]["customer_id"], keyType)
	}
	found, _, err := e.pos.SearchCustomer(e.ctx, "member_number", m.Code)
	require.NoError(t, err)
	require.Len(t, found, 1, "the card code is a member number too")
	assert.Equal(t, "Ana", found[0]["name_first"])
	assert.Equal(t, "+46705550123", found[0]["mobile"])

	none, st, err := e.pos.SearchCustomer(e.ctx, "email", "nobody@example.org")
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, st)
	assert.NotNil(t, none)
	assert.Empty(t, none, "200 [] when nobody matches")
}

func TestCRM_UnknownKeyType(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	e.member("ana@example.org")

	found, st, err := e.pos.SearchCustomer(e.ctx, "shoe_size", "42")

	require.NoError(t, err)
	assert.Equal(t, sitooconnect.UnknownKeyTypeStatus, st)
	assert.NotNil(t, found)
	assert.Empty(t, found)
	st, err = e.pos.CRMCall(e.ctx, http.MethodGet, "/customers?key_type=email", nil, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusBadRequest, st, "a missing key is invalid input")
}

func TestCRM_WrongCredentials401(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, creds := range [][2]string{{"crm-user", "wrong"}, {"nobody", "crm-secret"}, {"", ""},
		{e.sitoo.APIID, e.sitoo.Password}, {"events-user", "events-secret"}} {
		e.pos.CRMUser, e.pos.CRMPassword = creds[0], creds[1]
		_, st, err := e.pos.SearchCustomer(e.ctx, "email", "ana@example.org")
		require.NoError(t, err)
		assert.Equal(t, http.StatusUnauthorized, st, creds)
	}
	e.pos.CRMUser, e.pos.CRMPassword = "crm-user", "crm-secret"
	e.pos.CRMURL = strings.Replace(e.pos.CRMURL, e.rec.ID, "st_unknown", 1)
	_, st, err := e.pos.SearchCustomer(e.ctx, "email", "ana@example.org")
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, st, "unknown connection")
}

func TestCRM_AddCustomerUpdateAndHistory(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	_, st, err := e.pos.AddCustomer(e.ctx, map[string]any{"name_first": "No", "name_last": "Email"})
	require.NoError(t, err)
	assert.Equal(t, http.StatusBadRequest, st)
	cu := e.member("ana@example.org")
	again, st, err := e.pos.AddCustomer(e.ctx, map[string]any{"email": "ana@example.org"})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, st)
	assert.Equal(t, cu.CustomerID, again["customer_id"], "adding an existing email returns that customer")
	e.sale(cu, row("15.00"))
	e.deliver()

	var hist []sitooconnect.Transaction
	st, err = e.pos.CRMCall(e.ctx, http.MethodGet, "/customers/"+cu.CustomerID+"/transactions", nil, &hist)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, st)
	require.Len(t, hist, 1)
	assert.Equal(t, "counter", hist[0].Channel)
	assert.EqualValues(t, 15, hist[0].Points)
	assert.Equal(t, "15.00", hist[0].Amount)
	_, st, err = e.pos.GetCustomer(e.ctx, "mem_missing")
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, st)
	acts, _, err := e.eng.Activity(e.ctx, "card", loyalty.PageOptions{Limit: 100})
	require.NoError(t, err)
	var added bool
	for _, a := range acts {
		added = added || (a.Kind == "counter_customer" && a.Actor == "emp-0193" && strings.Contains(a.Message, "store STORE-7"))
	}
	assert.True(t, added, "Add Customer is in the activity log with staff and store")
}

func TestCRM_BonusCheckIssuedShownRedeemedOnceUndo(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cu := e.member("ana@example.org")
	e.sale(cu, row("300.00"))
	e.deliver()

	check, err := e.con.IssueBonusCheck(e.ctx, e.rec.ID, loyalty.MemberRef{ID: cu.CustomerID}, 200, "emp-0193", "bc-1")
	require.NoError(t, err)
	assert.Equal(t, "10", check.Value.String(), "200 points × 0.05")
	same, err := e.con.IssueBonusCheck(e.ctx, e.rec.ID, loyalty.MemberRef{ID: cu.CustomerID}, 200, "emp-0193", "bc-1")
	require.NoError(t, err)
	assert.Equal(t, check.ID, same.ID, "idempotent")
	assert.EqualValues(t, 100, e.wallet(cu.CustomerID).Balance, "the points are reserved into the check")

	card, _, err := e.pos.GetCustomer(e.ctx, cu.CustomerID)
	require.NoError(t, err)
	checks := card["bonus_checks"].([]any)
	require.Len(t, checks, 1)
	bc := checks[0].(map[string]any)
	assert.Equal(t, check.ID, bc["bonus_check_id"])
	assert.Equal(t, "10.00", bc["value"])
	assert.Equal(t, false, bc["redeemed"])

	for range 2 { // a retrying POS redeems once
		st, err := e.pos.RedeemBonusCheck(e.ctx, cu.CustomerID, check.ID)
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, st)
	}
	card, _, err = e.pos.GetCustomer(e.ctx, cu.CustomerID)
	require.NoError(t, err)
	assert.Equal(t, true, card["bonus_checks"].([]any)[0].(map[string]any)["redeemed"])
	for range 2 {
		st, err := e.pos.UndoRedeem(e.ctx, cu.CustomerID, check.ID)
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, st)
	}
	b, err := e.conns.BonusCheck(e.ctx, check.ID)
	require.NoError(t, err)
	assert.True(t, b.RedeemedAt.IsZero(), "undone: usable again")
	assert.EqualValues(t, 100, e.wallet(cu.CustomerID).Balance, "redeem and undo never move points twice")

	other := e.member("bo@example.org")
	st, err := e.pos.RedeemBonusCheck(e.ctx, other.CustomerID, check.ID)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, st, "another customer's check")
}

// failingStore makes EnqueueOrder fail, as a database outage would.
type failingStore struct {
	sitooconnect.ConnectionStore
	fail bool
}

func (f *failingStore) EnqueueOrder(ctx context.Context, p sitooconnect.PendingOrder) error {
	if f.fail {
		return errors.New("database unavailable")
	}
	return f.ConnectionStore.EnqueueOrder(ctx, p)
}

func TestEvents_TransientFailureIs503AndSitooRetries(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	fs := &failingStore{ConnectionStore: e.conns, fail: true}
	con, err := sitooconnect.New(e.eng.Store(), fs, sitooconnect.WithEncryptionKey(make([]byte, 32)),
		sitooconnect.WithClock(e.clock))
	require.NoError(t, err)
	srv := newServer(t, con)
	e.pos.EventsURL = srv + "/" + e.rec.ID + "/events"
	cu := e.member("ana@example.org")
	e.sale(cu, row("10.00"))

	st, err := e.pos.DeliverOnce(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, http.StatusServiceUnavailable, st)
	assert.Equal(t, 1, e.pos.Pending(), "Sitoo keeps the batch")

	fs.fail = false
	e.deliver()
	assert.EqualValues(t, 10, e.wallet(cu.CustomerID).Balance)
	assert.Equal(t, 1, e.pos.Stats().Retried)
}

func TestEvents_WrongCredentials401AreDropped(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	e.pos.EventsPassword = "wrong"
	e.sale(e.member("ana@example.org"), row("10.00"))

	st, err := e.pos.DeliverOnce(e.ctx)

	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, st)
	assert.Equal(t, 1, e.pos.Stats().Dropped, "Sitoo discards events answered 401")
}

func TestLifecycle_PauseResumeDisconnect(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cu := e.member("ana@example.org")
	require.NoError(t, e.con.Pause(e.ctx, e.rec.ID, "owner"))
	e.sale(cu, row("10.00"))
	e.deliver()
	_, err := e.con.IssueBonusCheck(e.ctx, e.rec.ID, loyalty.MemberRef{ID: cu.CustomerID}, 100, "", "")
	assert.ErrorIs(t, err, sitooconnect.ErrPaused)
	card, _, err := e.pos.GetCustomer(e.ctx, cu.CustomerID)
	require.NoError(t, err)
	assert.Equal(t, "yellow", card["status"].(map[string]any)["color"])

	require.NoError(t, e.con.Resume(e.ctx, e.rec.ID, "owner"))
	rep, err := e.con.Reconcile(e.ctx, e.rec.ID)
	require.NoError(t, err)
	assert.Zero(t, rep.Applied, "orders from the paused period are not back-filled")
	e.sale(cu, row("20.00"))
	e.deliver()
	assert.EqualValues(t, 20, e.wallet(cu.CustomerID).Balance)

	require.NoError(t, e.con.Disconnect(e.ctx, e.rec.ID, "owner"))
	_, st, err := e.pos.SearchCustomer(e.ctx, "email", "ana@example.org")
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, st)
	ov, err := e.con.Overview(e.ctx, e.rec.ID)
	require.NoError(t, err)
	assert.Equal(t, sitooconnect.StateDisconnected, ov.State)
	assert.EqualValues(t, 20, e.wallet(cu.CustomerID).Balance, "members keep their points")
}

func TestCRM_RedeemIsLoggedOncePerChange(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cu := e.member("ana@example.org")
	e.sale(cu, row("300.00"))
	e.deliver()
	check, err := e.con.IssueBonusCheck(e.ctx, e.rec.ID, loyalty.MemberRef{ID: cu.CustomerID}, 100, "", "")
	require.NoError(t, err)

	for range 3 {
		_, err := e.pos.RedeemBonusCheck(e.ctx, cu.CustomerID, check.ID)
		require.NoError(t, err)
	}

	acts, _, err := e.eng.Activity(e.ctx, "card", loyalty.PageOptions{Limit: 100})
	require.NoError(t, err)
	n := 0
	for _, a := range acts {
		if a.Kind == "counter_bonus_check" {
			n++
			assert.Contains(t, a.Message, "redeemed at store STORE-7, register {8A1F-REG-1}")
		}
	}
	assert.Equal(t, 1, n)
}

func TestCRM_PromotionsAreADocumentedEmptyList(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cu := e.member("ana@example.org")
	e.sale(cu, row("300.00"))
	e.deliver()

	got, st, err := e.pos.GetCustomer(e.ctx, cu.CustomerID)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, st)
	require.Contains(t, got, "promotions")
	assert.Equal(t, []any{}, got["promotions"], "an empty list, never null: no CRM promotions are issued")
	for _, op := range []string{"/redeem", "/undo-redeem"} {
		st, err = e.pos.CRMCall(e.ctx, http.MethodPost, "/customers/"+cu.CustomerID+op,
			map[string]any{"items": []map[string]string{{"type": sitooconnect.ItemPromotion, "id": "0f0b7d3e"}}}, nil)
		require.NoError(t, err)
		assert.Equal(t, http.StatusNotFound, st, op)
	}
}

func TestCRM_UpdateCustomerChangesTheEmail(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cu := e.member("ana@example.org")
	e.member("bo@example.org")
	patch := func(email string) (map[string]any, int) {
		var out map[string]any
		st, err := e.pos.CRMCall(e.ctx, http.MethodPatch, "/customers/"+cu.CustomerID, map[string]any{"email": email}, &out)
		require.NoError(t, err)
		return out, st
	}

	got, st := patch("  Ana.Berg@Example.ORG ")
	require.Equal(t, http.StatusOK, st)
	assert.Equal(t, "ana.berg@example.org", got["email"], "normalised")
	found, _, err := e.pos.SearchCustomer(e.ctx, "email", "ana.berg@example.org")
	require.NoError(t, err)
	require.Len(t, found, 1)
	assert.Equal(t, cu.CustomerID, found[0]["customer_id"])
	found, _, err = e.pos.SearchCustomer(e.ctx, "email", "ana@example.org")
	require.NoError(t, err)
	assert.Empty(t, found, "the old address no longer finds her")

	_, st = patch("BO@example.org")
	assert.Equal(t, http.StatusConflict, st, "another member's email")
	_, st = patch("not an email")
	assert.Equal(t, http.StatusBadRequest, st)
	_, err = e.eng.ChangeMemberEmail(e.ctx, "card", cu.CustomerID, "bo@example.org", "staff")
	var taken *loyalty.EmailTakenError
	require.ErrorAs(t, err, &taken)
	assert.Equal(t, "bo@example.org", taken.Email)

	acts, _, err := e.eng.Activity(e.ctx, "card", loyalty.PageOptions{Limit: 100})
	require.NoError(t, err)
	var changes []loyalty.ActivityEntry
	for _, a := range acts {
		if a.Kind == loyalty.ActivityEmailChanged {
			changes = append(changes, a)
		}
	}
	require.Len(t, changes, 1, "only the change that happened is logged")
	assert.Equal(t, "emp-0193", changes[0].Actor)
	assert.Equal(t, cu.CustomerID, changes[0].MemberID)
	assert.Contains(t, changes[0].Message, "from ana@example.org to ana.berg@example.org")
}

// addCustomerRaw posts an Add Customer body as the POS does and returns the status and the
// error body (when the answer is not 2xx).
func (e *env) addCustomerRaw(body string) (int, sitooconnect.ErrorBody) {
	e.t.Helper()
	req, err := http.NewRequestWithContext(e.ctx, http.MethodPost, e.pos.CRMURL+"/customers", strings.NewReader(body))
	require.NoError(e.t, err)
	req.SetBasicAuth(e.pos.CRMUser, e.pos.CRMPassword)
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.srv.Client().Do(req)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	var eb sitooconnect.ErrorBody
	if resp.StatusCode/100 != 2 {
		require.NoError(e.t, json.NewDecoder(resp.Body).Decode(&eb))
	}
	return resp.StatusCode, eb
}

func (e *env) memberCount() int {
	e.t.Helper()
	n := 0
	for _, err := range e.eng.AllMembers(e.ctx, "card") {
		require.NoError(e.t, err)
		n++
	}
	return n
}

// A POS set up to add customers by mobile number or card alone gets a 400 that names the
// missing field with a message staff can act on, and nothing is created (no member, no
// profile, no activity); with the email the same customer is added and found by mobile.
func TestCRM_AddCustomerWithoutEmailIsAClearErrorAndCreatesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, body := range []string{
		`{"mobile":"+46 70 555 01 23","name_first":"Ana","name_last":"Berg"}`,
		`{"member_number":"770042","mobile":"+46705550123"}`,
		`{"email":"   ","mobile":"+46705550123"}`,
		`{"email":null,"personal_id":"19800101-1234"}`,
	} {
		st, eb := e.addCustomerRaw(body)
		assert.Equal(t, http.StatusBadRequest, st, body)
		assert.Equal(t, "bad-request", eb.ErrorCode, body)
		assert.Equal(t, "email", eb.ErrorData["field"], body)
		assert.Contains(t, eb.ErrorData["message"], "email is required to add a customer", body)
	}
	st, eb := e.addCustomerRaw(`{"email":"ana.berg@","mobile":"+46705550123"}`)
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Equal(t, "email", eb.ErrorData["field"])
	assert.Contains(t, eb.ErrorData["message"], "not a valid email address")

	assert.Zero(t, e.memberCount(), "no member is created without an email")
	found, st, err := e.pos.SearchCustomer(e.ctx, sitooconnect.KeyMobile, "+46705550123")
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, st)
	assert.Empty(t, found, "no profile is stored for the refused customer")
	acts, _, err := e.eng.Activity(e.ctx, "card", loyalty.PageOptions{Limit: 100})
	require.NoError(t, err)
	for _, a := range acts {
		assert.NotEqual(t, "counter_customer", a.Kind, "a refused Add Customer is not in the activity log")
	}

	cu := e.member("ana@example.org") // the customer gives an email: added, with the mobile
	assert.Equal(t, 1, e.memberCount())
	found, _, err = e.pos.SearchCustomer(e.ctx, sitooconnect.KeyMobile, "+46705550123")
	require.NoError(t, err)
	require.Len(t, found, 1)
	assert.Equal(t, cu.CustomerID, found[0]["customer_id"])
}
