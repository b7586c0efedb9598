package loyalty_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/memstore"
	"github.com/loyalsync/loyalsync/loyalty/storetest"
)

// conflictingStore fails the first n transactions at commit time with ErrConflict, after fn ran
// and wrote, as a serializable database does.
type conflictingStore struct {
	*memstore.Store
	left atomic.Int32
}

func (s *conflictingStore) Update(ctx context.Context, fn func(loyalty.Tx) error) error {
	return s.Store.Update(ctx, func(tx loyalty.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		if s.left.Add(-1) >= 0 {
			return loyalty.ErrConflict
		}
		return nil
	})
}

func TestEngine_RetriesConflictsAndAppliesOnce(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := &conflictingStore{Store: memstore.New()}
	eng, err := loyalty.New(s, loyalty.WithMaxRetries(5))
	require.NoError(t, err)
	_, err = eng.SaveProgram(ctx, loyalty.DefaultProgram("card", "EUR"), "")
	require.NoError(t, err)

	s.left.Store(4)
	res, err := eng.ProcessOrder(ctx, "card", order("1", "completed", "10", "c@example.com"))
	require.NoError(t, err)
	assert.Equal(t, loyalty.OutcomeProcessed, res.Outcome)
	bal, err := eng.Balance(ctx, "card", loyalty.MemberRef{Email: "c@example.com"})
	require.NoError(t, err)
	assert.EqualValues(t, 10, bal)

	s.left.Store(100)
	_, err = eng.ProcessOrder(ctx, "card", order("2", "completed", "10", "c@example.com"))
	assert.ErrorIs(t, err, loyalty.ErrConflict, "retries are bounded")
	s.left.Store(0)
	bal, err = eng.Balance(ctx, "card", loyalty.MemberRef{Email: "c@example.com"})
	require.NoError(t, err)
	assert.EqualValues(t, 10, bal, "the failed delivery left nothing")
}

func TestEngine_CancelledContextStopsRetries(t *testing.T) {
	t.Parallel()
	s := &conflictingStore{Store: memstore.New()}
	eng, err := loyalty.New(s)
	require.NoError(t, err)
	_, err = eng.SaveProgram(t.Context(), loyalty.DefaultProgram("card", "EUR"), "")
	require.NoError(t, err)
	s.left.Store(1 << 30)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = eng.ProcessOrder(ctx, "card", order("1", "completed", "10", "c@example.com"))
	assert.ErrorIs(t, err, context.Canceled)
}

func TestNew_RejectsBadOptions(t *testing.T) {
	t.Parallel()
	_, err := loyalty.New(nil)
	assert.Error(t, err)
	for name, opt := range map[string]loyalty.Option{
		"short salt":        loyalty.WithReceiptSalt([]byte("short")),
		"nil clock":         loyalty.WithClock(nil),
		"nil logger":        loyalty.WithLogger(nil),
		"nil random":        loyalty.WithRandom(nil),
		"neg retries":       loyalty.WithMaxRetries(-1),
		"neg recover":       loyalty.WithRecoverAfter(-1),
		"short code secret": loyalty.WithCodeSecret([]byte("short")),
	} {
		_, err := loyalty.New(memstore.New(), opt)
		assert.Error(t, err, name)
	}
}

func TestNew_IgnoresNilOptions(t *testing.T) {
	t.Parallel()
	var none loyalty.Option
	eng, err := loyalty.New(memstore.New(), none, loyalty.WithMaxRetries(1), nil)
	require.NoError(t, err)
	assert.NotNil(t, eng)
}

type failingMailer struct{ calls atomic.Int32 }

func (m *failingMailer) SendEmail(context.Context, loyalty.Email) error {
	m.calls.Add(1)
	return errors.New("smtp down")
}

func TestEngine_MailerFailureIsLoggedNotFatal(t *testing.T) {
	t.Parallel()
	var logs strings.Builder
	mailer := &failingMailer{}
	eng, err := loyalty.New(memstore.New(), loyalty.WithMailer(mailer),
		loyalty.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	require.NoError(t, err)
	_, err = eng.SaveProgram(t.Context(), loyalty.DefaultProgram("card", "EUR"), "")
	require.NoError(t, err)
	res, err := eng.ProcessOrder(t.Context(), "card", order("1", "completed", "10", "m@example.com"))
	require.NoError(t, err)
	assert.Equal(t, loyalty.OutcomeProcessed, res.Outcome)
	assert.EqualValues(t, 1, mailer.calls.Load())
	assert.Contains(t, logs.String(), "smtp down")
}

func TestSaveProgram_LogsSettingsChangesAndKeepsCurrency(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	p := h.prog
	p.Redemption.MinPoints = 500
	p.Earning.WelcomeBonus = 25
	_, err := h.eng.SaveProgram(h.ctx, p, "owner@shop")
	require.NoError(t, err)
	act := h.activity()
	assert.Equal(t, loyalty.ActivitySettingsChanged, act[0].Kind)
	assert.Equal(t, "owner@shop", act[0].Actor)
	assert.Contains(t, act[0].Message, "Redemption.MinPoints: 1000 → 500")
	assert.Contains(t, act[0].Message, "Earning.WelcomeBonus: 0 → 25")
	assert.Contains(t, act[len(act)-1].Message, "program created")

	_, err = h.eng.SaveProgram(h.ctx, p, "owner@shop")
	require.NoError(t, err)
	assert.Len(t, h.activity(), len(act), "saving unchanged settings logs nothing")

	p.Currency = "USD"
	_, err = h.eng.SaveProgram(h.ctx, p, "owner@shop")
	assert.ErrorIs(t, err, loyalty.ErrInvalid)

	bad := p
	bad.Currency, bad.Redemption.ValidityDays, bad.Earning.Rounding = "EUR", 0, "x"
	bad.Redemption.CouponPrefix = "lower"
	_, err = h.eng.SaveProgram(h.ctx, bad, "")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Earning.Rounding")
	assert.Contains(t, err.Error(), "Redemption.CouponPrefix", "every invalid field is reported")
}

func TestActivity_RecordsConnectionsFromAdapters(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	require.NoError(t, h.eng.RecordActivity(h.ctx, loyalty.ActivityEntry{ProgramID: "card", Kind: loyalty.ActivityConnected,
		Actor: "owner", Message: "connected https://shop.example, webhook 17 registered"}))
	assert.ErrorIs(t, h.eng.RecordActivity(h.ctx, loyalty.ActivityEntry{ProgramID: "card"}), loyalty.ErrInvalid)
	assert.ErrorIs(t, h.eng.RecordActivity(h.ctx, loyalty.ActivityEntry{ProgramID: "nope", Kind: loyalty.ActivitySignIn}), loyalty.ErrProgramNotFound)
	act := h.activity()
	assert.Equal(t, loyalty.ActivityConnected, act[0].Kind)
	assert.Equal(t, start, act[0].At)
}

func TestReceipts_HashTheEmailWithTheSalt(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.process(order("1", "completed", "10", "Private@Example.com"))
	h.process(order("2", "completed", "10", "private@example.com "))
	rs, _, err := h.eng.Receipts(h.ctx, "card", "", loyalty.PageOptions{})
	require.NoError(t, err)
	require.Len(t, rs, 2)
	assert.Equal(t, rs[0].EmailHash, rs[1].EmailHash, "one normalised address, one hash")
	assert.Len(t, rs[0].EmailHash, 64)
	assert.NotContains(t, rs[0].EmailHash, "private")

	other, err := loyalty.New(memstore.New(), loyalty.WithReceiptSalt([]byte("another-salt-0123")))
	require.NoError(t, err)
	_, err = other.SaveProgram(h.ctx, loyalty.DefaultProgram("card", "EUR"), "")
	require.NoError(t, err)
	_, err = other.ProcessOrder(h.ctx, "card", order("1", "completed", "10", "private@example.com"))
	require.NoError(t, err)
	ors, _, err := other.Receipts(h.ctx, "card", "", loyalty.PageOptions{})
	require.NoError(t, err)
	assert.NotEqual(t, rs[0].EmailHash, ors[0].EmailHash, "the salt changes the hash")
}

func TestRedeem_CouponCodeCollisionDrawsTheNextCode(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	store := memstore.New()
	issuer := storetest.NewCouponIssuer()
	eng, err := loyalty.New(store, loyalty.WithCouponIssuer(issuer), loyalty.WithCodeSecret(codeSecret))
	require.NoError(t, err)
	p := loyalty.DefaultProgram("card", "EUR")
	p.Redemption.Enabled = true
	_, err = eng.SaveProgram(ctx, p, "")
	require.NoError(t, err)
	m, err := eng.Enroll(ctx, "card", loyalty.NewMember{Email: "c@example.com"})
	require.NoError(t, err)
	_, err = eng.Adjust(ctx, loyalty.AdjustRequest{ProgramID: "card", Member: loyalty.MemberRef{ID: m.ID}, Points: 1000, Key: "k"})
	require.NoError(t, err)

	// The redemption id of idempotency key "click" is derived from it; occupy its first code.
	id := loyalty.RedemptionID(codeSecret, "card", m.ID, "click")
	taken := loyalty.CouponCode(codeSecret, "POINTS", id, 0)
	require.NoError(t, store.Update(ctx, func(tx loyalty.Tx) error {
		_, err := tx.CreateRedemption(ctx, loyalty.Redemption{ID: "other", ProgramID: "card", Code: taken,
			State: loyalty.RedemptionIssued})
		return err
	}))

	r, err := eng.Redeem(ctx, loyalty.RedeemRequest{ProgramID: "card", Member: loyalty.MemberRef{ID: m.ID}, Points: 1000, IdempotencyKey: "click"})
	require.NoError(t, err)
	assert.Equal(t, id, r.ID)
	assert.Equal(t, loyalty.CouponCode(codeSecret, "POINTS", id, 1), r.Code)
}
