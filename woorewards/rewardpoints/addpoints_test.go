package rewardpoints_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/internal/faults"
	"github.com/loyalsync/loyalsync/woorewards/rewardpoints"
	"github.com/loyalsync/loyalsync/woorewards/rewardpoints/rewardpointstest"
)

const (
	admin    = "admin"
	adminPW  = "abcd efgh ijkl"
	customer = int64(123)
)

func newFake(t *testing.T, opts ...rewardpoints.Option) (*rewardpointstest.Server, *rewardpoints.Client) {
	t.Helper()
	srv := rewardpointstest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddAppPassword(admin, adminPW, true)
	srv.AddUser(customer, 1170)
	return srv, newClient(t, srv, admin, adminPW, opts...)
}

func newClient(t *testing.T, srv *rewardpointstest.Server, user, pw string, opts ...rewardpoints.Option) *rewardpoints.Client {
	t.Helper()
	opts = append([]rewardpoints.Option{
		rewardpoints.WithHTTPClient(srv.Client()),
		rewardpoints.WithRetry(3, time.Millisecond, 5*time.Millisecond),
	}, opts...)
	c, err := rewardpoints.NewClient(srv.URL, user, pw, opts...)
	require.NoError(t, err)
	return c
}

func newMemoryStore(t *testing.T, opts ...rewardpoints.MemoryStoreOption) *rewardpoints.MemoryStore {
	t.Helper()
	s, err := rewardpoints.NewMemoryStore(opts...)
	require.NoError(t, err)
	return s
}

func req(id string, points int64) rewardpoints.AddRequest {
	return rewardpoints.AddRequest{OperationID: id, UserID: customer, Points: points, Message: "Spring bonus"}
}

func TestNewClient(t *testing.T) {
	t.Parallel()
	_, err := rewardpoints.NewClient("http://shop.example.com", "u", "p")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "rewardpoints: new client: refusing to send credentials over plain HTTP")
	assert.ErrorIs(t, err, rewardpoints.ErrInvalidArgument)
	for _, bad := range []string{"shop.example.com", "https://shop.example.com/?x=1", "https://shop.example.com/%zz"} {
		_, err = rewardpoints.NewClient(bad, "u", "p")
		assert.ErrorIs(t, err, rewardpoints.ErrInvalidArgument, bad)
	}
	_, err = rewardpoints.NewClient("https://shop.example.com", "", "p")
	assert.ErrorIs(t, err, rewardpoints.ErrInvalidArgument)
	_, err = rewardpoints.NewClient("https://shop.example.com", "u", "p", rewardpoints.WithStore(nil))
	assert.ErrorIs(t, err, rewardpoints.ErrInvalidArgument)
	_, err = rewardpoints.NewClient("https://shop.example.com", "u", "p", rewardpoints.WithLogger(nil))
	assert.ErrorIs(t, err, rewardpoints.ErrInvalidArgument)
	assert.ErrorContains(t, err, "rewardpoints: WithLogger: ")
	c, err := rewardpoints.NewClient("https://example.com/shop/", "u", "p")
	require.NoError(t, err)
	assert.Equal(t, "https://example.com/shop/wp-json/wc-reward-points/v1/add-points", c.URL().String())
	assert.IsType(t, &rewardpoints.MemoryStore{}, c.Store())
}

func TestAddPoints(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	res, _, err := c.AddPoints(t.Context(), rewardpoints.AddRequest{
		OperationID: "order-1-bonus", UserID: customer, Points: 250, Message: "Customer service <b>gesture</b>\nfor delay",
	})
	require.NoError(t, err)
	assert.Equal(t, &rewardpoints.AddResult{
		OperationID: "order-1-bonus", UserID: customer, PointsAdded: 250, NewTotal: 1420,
		Message: "Customer service gesture for delay",
	}, res)
	total, _ := srv.Points(customer)
	assert.Equal(t, int64(1420), total)

	op, ok, err := c.Operation(t.Context(), "order-1-bonus")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, rewardpoints.StateDone, op.State)
	assert.Equal(t, int64(1420), op.Result.NewTotal)
	assert.False(t, op.CreatedAt.IsZero())
}

func TestAddPointsValidatesBeforeAnything(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	long := strings.Repeat("x", rewardpoints.MaxOperationIDLength+1)
	for name, tc := range map[string]struct {
		req  rewardpoints.AddRequest
		want error
	}{
		"zero points":     {rewardpoints.AddRequest{OperationID: "a", UserID: 1, Points: 0, Message: "m"}, rewardpoints.ErrInvalidPoints},
		"negative points": {rewardpoints.AddRequest{OperationID: "a", UserID: 1, Points: -5, Message: "m"}, rewardpoints.ErrInvalidPoints},
		"zero user":       {rewardpoints.AddRequest{OperationID: "a", UserID: 0, Points: 5, Message: "m"}, rewardpoints.ErrInvalidUser},
		"negative user":   {rewardpoints.AddRequest{OperationID: "a", UserID: -1, Points: 5, Message: "m"}, rewardpoints.ErrInvalidUser},
		"no message":      {rewardpoints.AddRequest{OperationID: "a", UserID: 1, Points: 5, Message: "  "}, rewardpoints.ErrInvalidArgument},
		"bad UTF-8":       {rewardpoints.AddRequest{OperationID: "a", UserID: 1, Points: 5, Message: "\xff"}, rewardpoints.ErrInvalidArgument},
		"no operation id": {rewardpoints.AddRequest{UserID: 1, Points: 5, Message: "m"}, rewardpoints.ErrInvalidArgument},
		"long op id":      {rewardpoints.AddRequest{OperationID: long, UserID: 1, Points: 5, Message: "m"}, rewardpoints.ErrInvalidArgument},
	} {
		_, resp, err := c.AddPoints(t.Context(), tc.req)
		require.ErrorIs(t, err, tc.want, name)
		require.ErrorIs(t, err, rewardpoints.ErrInvalidArgument, name)
		assert.NotErrorIs(t, err, rewardpoints.ErrBadRequest, name)
		assert.Nil(t, resp, name)
		assert.True(t, strings.HasPrefix(err.Error(), "rewardpoints: add points: invalid "), name)
		var pe *rewardpoints.ParamError
		assert.True(t, errors.As(err, &pe), name)
		_, stored, _ := c.Operation(t.Context(), tc.req.OperationID)
		assert.False(t, stored, name)
	}
	assert.Empty(t, srv.Log())
	assert.Zero(t, srv.Faults.Injected())
}

func TestServerErrorsAreTypedAndForgetTheOperation(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := t.Context()

	_, _, err := c.AddPoints(ctx, rewardpoints.AddRequest{OperationID: "u404", UserID: 999, Points: 5, Message: "m"})
	require.ErrorIs(t, err, rewardpoints.ErrInvalidUser)
	require.ErrorIs(t, err, rewardpoints.ErrBadRequest)
	ae := apiError(t, err)
	assert.Equal(t, http.StatusBadRequest, ae.StatusCode)
	assert.Equal(t, "invalid_user", ae.Code)
	_, stored, _ := c.Operation(ctx, "u404")
	assert.False(t, stored, "a 400 proves nothing was added: the operation is forgotten")

	srv.AddUser(999, 0) // fixed: the same operation id can be sent again
	res, _, err := c.AddPoints(ctx, rewardpoints.AddRequest{OperationID: "u404", UserID: 999, Points: 5, Message: "m"})
	require.NoError(t, err)
	assert.Equal(t, int64(5), res.NewTotal)

	wrong := newClient(t, srv, admin, "wrong")
	_, _, err = wrong.AddPoints(ctx, req("auth", 5))
	require.ErrorIs(t, err, rewardpoints.ErrUnauthorized)
	assert.Contains(t, apiError(t, err).Hint, "application password")

	srv.AddAppPassword("editor", "pw", false)
	editor := newClient(t, srv, "editor", "pw")
	_, _, err = editor.AddPoints(ctx, req("cap", 5))
	require.ErrorIs(t, err, rewardpoints.ErrForbidden)
	assert.Contains(t, apiError(t, err).Hint, "manage_woocommerce")
	_, stored, _ = editor.Operation(ctx, "cap")
	assert.False(t, stored)

	srv.SetAPIEnabled(false)
	_, _, err = c.AddPoints(ctx, req("off", 5))
	require.ErrorIs(t, err, rewardpoints.ErrNoRoute)
	require.ErrorIs(t, err, rewardpoints.ErrNotFound)
	assert.Equal(t, "rest_no_route", apiError(t, err).Code)
	_, stored, _ = c.Operation(ctx, "off")
	assert.False(t, stored)

	assert.Len(t, srv.Log(), 1)
}

func TestSameOperationIDIsAddedOnce(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	first, resp, err := c.AddPoints(t.Context(), req("welcome", 100))
	require.NoError(t, err)
	assert.False(t, first.Replayed)
	require.NotNil(t, resp)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, 1, resp.Attempts)
	assert.Contains(t, string(resp.Body), `"new_total"`)
	again, resp, err := c.AddPoints(t.Context(), req("welcome", 100))
	require.NoError(t, err)
	assert.True(t, again.Replayed)
	assert.Nil(t, resp, "a replay sends nothing")
	again.Replayed = false
	assert.Equal(t, first, again)
	assert.Len(t, srv.Log(), 1)

	_, _, err = c.AddPoints(t.Context(), req("welcome", 101))
	require.ErrorIs(t, err, rewardpoints.ErrOperationMismatch)
	var me *rewardpoints.MismatchError
	require.True(t, errors.As(err, &me))
	assert.Equal(t, int64(100), me.Stored.Points)
	assert.Len(t, srv.Log(), 1)
}

// The case the vendor's advice is about: the server adds the points, the response is lost, the
// caller retries. The retry must not add again.
func TestLostResponseRetryDoesNotDoubleAdd(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := t.Context()
	srv.Faults.Add(faults.Rule{Method: http.MethodPost, Path: rewardpointstest.Path, Times: 1, ApplyThenDrop: true})

	_, _, err := c.AddPoints(ctx, req("order-7", 50))
	require.ErrorIs(t, err, rewardpoints.ErrOutcomeUnknown)
	var ue *rewardpoints.OutcomeUnknownError
	require.True(t, errors.As(err, &ue))
	require.Error(t, ue.Err, "the transport error is kept")
	assert.Equal(t, rewardpoints.StatePending, ue.Operation.State)
	total, _ := srv.Points(customer)
	assert.Equal(t, int64(1220), total, "the server applied the add once")

	for range 3 { // the caller retries: nothing is sent
		_, _, err = c.AddPoints(ctx, req("order-7", 50))
		require.ErrorIs(t, err, rewardpoints.ErrOutcomeUnknown)
		require.True(t, errors.As(err, &ue))
		assert.NoError(t, ue.Err)
		assert.NotEmpty(t, ue.Operation.LastError)
	}
	assert.Len(t, srv.Log(), 1)
	assert.Equal(t, 1, srv.Faults.Injected())

	// The operator finds the add in the points log and resolves it as applied.
	require.NoError(t, c.ResolveUnknown(ctx, "order-7", true))
	res, _, err := c.AddPoints(ctx, req("order-7", 50))
	require.NoError(t, err)
	assert.True(t, res.Replayed)
	assert.True(t, res.TotalUnknown)
	assert.Equal(t, int64(50), res.PointsAdded)
	assert.Len(t, srv.Log(), 1)
	total, _ = srv.Points(customer)
	assert.Equal(t, int64(1220), total)

	require.ErrorIs(t, c.ResolveUnknown(ctx, "order-7", false), rewardpoints.ErrNotPending)
	require.ErrorIs(t, c.ResolveUnknown(ctx, "never-sent", true), rewardpoints.ErrNotPending)
}

func TestResolvedAsNotAppliedIsSentAgain(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := t.Context()
	srv.Faults.Add(faults.Rule{Method: http.MethodPost, Times: 1, Status: http.StatusInternalServerError})
	_, _, err := c.AddPoints(ctx, req("order-8", 30))
	require.ErrorIs(t, err, rewardpoints.ErrOutcomeUnknown, "WordPress may fail after adding: a 5xx is not proof")
	require.ErrorIs(t, err, rewardpoints.ErrServer)
	assert.Empty(t, srv.Log())

	require.NoError(t, c.ResolveUnknown(ctx, "order-8", false)) // the explicit override
	res, _, err := c.AddPoints(ctx, req("order-8", 30))
	require.NoError(t, err)
	assert.False(t, res.Replayed)
	assert.Len(t, srv.Log(), 1)
}

func TestOnlyRateLimitsAreRetried(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := t.Context()
	srv.Faults.Add(faults.Rule{Method: http.MethodPost, Times: 1, Status: http.StatusServiceUnavailable})
	_, _, err := c.AddPoints(ctx, req("a", 1))
	require.ErrorIs(t, err, rewardpoints.ErrOutcomeUnknown)
	assert.Equal(t, 1, srv.Faults.Injected(), "a 503 is not retried")

	rl := faults.Status429(0)
	rl.Times = 1
	srv.Faults.Add(rl)
	res, _, err := c.AddPoints(ctx, req("b", 1))
	require.NoError(t, err)
	assert.False(t, res.Replayed)
	assert.Len(t, srv.Log(), 1)
	assert.Equal(t, 2, srv.Faults.Injected())

	srv.Faults.Add(faults.Rule{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"0"}}})
	_, _, err = c.AddPoints(ctx, req("c", 1))
	require.ErrorIs(t, err, rewardpoints.ErrRateLimited)
	_, stored, _ := c.Operation(ctx, "c")
	assert.False(t, stored, "a 429 is sent before anything is applied")
}

func TestDroppedBeforeApplyIsStillUnknown(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	srv.Faults.Add(faults.Rule{Method: http.MethodPost, Times: 1, Drop: true})
	_, _, err := c.AddPoints(t.Context(), req("d", 1))
	require.ErrorIs(t, err, rewardpoints.ErrOutcomeUnknown, "the client cannot tell a drop before from one after the add")
	require.ErrorIs(t, err, rewardpoints.ErrTransport)
	var te *rewardpoints.TransportError
	require.ErrorAs(t, err, &te)
	assert.True(t, te.MayHaveReachedServer())
	assert.Empty(t, srv.Log())
}

func TestConnectionRefusedIsNotApplied(t *testing.T) {
	t.Parallel()
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	url, hc := srv.URL, srv.Client()
	srv.Close() // nothing listens any more: the connection fails before the request is sent
	c, err := rewardpoints.NewClient(url, admin, adminPW, rewardpoints.WithHTTPClient(hc), rewardpoints.WithRetry(0, 0, 0))
	require.NoError(t, err)
	_, _, err = c.AddPoints(t.Context(), req("e", 1))
	require.ErrorIs(t, err, rewardpoints.ErrTransport)
	assert.NotErrorIs(t, err, rewardpoints.ErrOutcomeUnknown)
	var te *rewardpoints.TransportError
	require.ErrorAs(t, err, &te)
	assert.False(t, te.MayHaveReachedServer())
	_, stored, _ := c.Operation(t.Context(), "e")
	assert.False(t, stored)
}

func TestAnswerThatIsNotSuccessIsUnknown(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"success false": `{"success":false,"user_id":123}`,
		"html page":     `<html>Checking your browser…</html>`,
	} {
		srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(body))
		}))
		c, err := rewardpoints.NewClient(srv.URL, admin, adminPW, rewardpoints.WithHTTPClient(srv.Client()))
		require.NoError(t, err)
		_, _, err = c.AddPoints(t.Context(), req("f", 1))
		assert.ErrorIs(t, err, rewardpoints.ErrOutcomeUnknown, name)
		assert.ErrorIs(t, err, rewardpoints.ErrDecode, name)
		srv.Close()
	}
}

func TestTolerantSuccessBody(t *testing.T) {
	t.Parallel()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("\xef\xbb\xbf" + `{"success":"1","user_id":"123","points_added":"5","new_total":"1425","message":"m","extra":[1]}`))
	}))
	defer srv.Close()
	c, err := rewardpoints.NewClient(srv.URL, admin, adminPW, rewardpoints.WithHTTPClient(srv.Client()))
	require.NoError(t, err)
	res, _, err := c.AddPoints(t.Context(), req("g", 5))
	require.NoError(t, err)
	assert.Equal(t, int64(1425), res.NewTotal, "new_total is read from user meta, which PHP returns as a string")
	assert.Equal(t, int64(123), res.UserID)
}

func TestConcurrentDuplicatesAddOnce(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	// Hold the first request in flight so that the others arrive while it is.
	srv.Faults.Add(faults.Rule{Method: http.MethodPost, Times: 1, Latency: 50 * time.Millisecond})
	const n = 8
	results := make([]*rewardpoints.AddResult, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { results[i], _, errs[i] = c.AddPoints(t.Context(), req("dup", 10)) })
	}
	wg.Wait()
	sent := 0
	for i := range n {
		require.NoError(t, errs[i])
		assert.Equal(t, int64(1180), results[i].NewTotal)
		if !results[i].Replayed {
			sent++
		}
	}
	assert.Equal(t, 1, sent)
	assert.Len(t, srv.Log(), 1)
}

func TestResolveWhileInFlight(t *testing.T) {
	t.Parallel()
	srv, _ := newFake(t)
	release := make(chan struct{})
	started := make(chan struct{})
	store := &hookStore{Store: newMemoryStore(t), onCreate: func() { close(started); <-release }}
	c2 := newClient(t, srv, admin, adminPW, rewardpoints.WithStore(store))
	done := make(chan error)
	go func() { _, _, err := c2.AddPoints(context.Background(), req("h", 1)); done <- err }()
	<-started
	require.ErrorIs(t, c2.ResolveUnknown(t.Context(), "h", false), rewardpoints.ErrInFlight)
	close(release)
	require.NoError(t, <-done)
}

func TestStoreFailures(t *testing.T) {
	t.Parallel()
	srv, _ := newFake(t)
	boom := errors.New("disk full")

	failCreate := newClient(t, srv, admin, adminPW, rewardpoints.WithStore(&hookStore{Store: newMemoryStore(t), createErr: boom}))
	_, _, err := failCreate.AddPoints(t.Context(), req("i", 1))
	require.ErrorIs(t, err, boom)
	assert.Empty(t, srv.Log(), "nothing is sent unless the operation is recorded first")

	store := &hookStore{Store: newMemoryStore(t), updateErr: boom}
	failUpdate := newClient(t, srv, admin, adminPW, rewardpoints.WithStore(store))
	res, _, err := failUpdate.AddPoints(t.Context(), req("j", 1))
	require.ErrorIs(t, err, boom)
	require.NotNil(t, res, "the points were added: the result comes with the error")
	assert.Equal(t, int64(1), res.PointsAdded)
	_, _, err = failUpdate.AddPoints(t.Context(), req("j", 1))
	require.ErrorIs(t, err, rewardpoints.ErrOutcomeUnknown, "still pending: a retry does not add again")
	assert.Len(t, srv.Log(), 1)
}

func TestDoneOperationWithoutResultReplays(t *testing.T) {
	t.Parallel()
	srv, _ := newFake(t)
	store := newMemoryStore(t)
	_, _, err := store.Create(t.Context(), rewardpoints.Operation{ID: "k", UserID: customer, Points: 3, Message: "Spring bonus", State: rewardpoints.StateDone})
	require.NoError(t, err)
	c := newClient(t, srv, admin, adminPW, rewardpoints.WithStore(store))
	res, _, err := c.AddPoints(t.Context(), req("k", 3))
	require.NoError(t, err)
	assert.True(t, res.Replayed)
	assert.True(t, res.TotalUnknown)
	assert.Empty(t, srv.Log())
}

func TestOperationIDInMessage(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, rewardpoints.WithOperationIDInMessage())
	_, _, err := c.AddPoints(t.Context(), req("order-9", 2))
	require.NoError(t, err)
	require.Len(t, srv.Log(), 1)
	assert.Equal(t, "Spring bonus [op:order-9]", srv.Log()[0].Message)
	// A retry compares the caller's message, not the tagged one.
	res, _, err := c.AddPoints(t.Context(), req("order-9", 2))
	require.NoError(t, err)
	assert.True(t, res.Replayed)
}

func TestCanceledContextSendsNothing(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, _, err := c.AddPoints(ctx, req("l", 1))
	require.ErrorIs(t, err, context.Canceled)
	_, stored, _ := c.Operation(t.Context(), "l")
	assert.False(t, stored)
	assert.Empty(t, srv.Log())
}

// hookStore wraps a Store to inject failures and pauses.
type hookStore struct {
	rewardpoints.Store
	createErr, updateErr error
	onCreate             func()
}

func (s *hookStore) Create(ctx context.Context, op rewardpoints.Operation) (rewardpoints.Operation, bool, error) {
	if s.onCreate != nil {
		s.onCreate()
	}
	if s.createErr != nil {
		return rewardpoints.Operation{}, false, s.createErr
	}
	return s.Store.Create(ctx, op)
}

func (s *hookStore) Update(ctx context.Context, op rewardpoints.Operation) error {
	if s.updateErr != nil {
		return s.updateErr
	}
	return s.Store.Update(ctx, op)
}

func apiError(t *testing.T, err error) *rewardpoints.APIError {
	t.Helper()
	var ae *rewardpoints.APIError
	require.True(t, errors.As(err, &ae), "want *APIError, got %T: %v", err, err)
	return ae
}

// The client checks points itself, so the server's invalid_points answer is reached here through a
// stand-in server (a site whose rules are stricter than the documentation, say).
func TestServerInvalidPointsIsTypedAndForgotten(t *testing.T) {
	t.Parallel()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"code":"invalid_points","message":"Invalid points.","data":{"status":400}}`))
	}))
	defer srv.Close()
	c, err := rewardpoints.NewClient(srv.URL, admin, adminPW, rewardpoints.WithHTTPClient(srv.Client()))
	require.NoError(t, err)
	_, _, err = c.AddPoints(t.Context(), req("m", 1))
	require.ErrorIs(t, err, rewardpoints.ErrInvalidPoints)
	require.ErrorIs(t, err, rewardpoints.ErrBadRequest)
	assert.NotErrorIs(t, err, rewardpoints.ErrInvalidArgument, "the server refused it, not the client")
	assert.NotErrorIs(t, err, rewardpoints.ErrInvalidUser)
	assert.Equal(t, "400 invalid_points: Invalid points.", apiError(t, err).Error())
	_, stored, _ := c.Operation(t.Context(), "m")
	assert.False(t, stored)
}
