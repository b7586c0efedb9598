package loyalty_test

import (
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/memstore"
	"github.com/loyalsync/loyalsync/loyalty/storetest"
)

func TestRedeem_KeyReusedByAnotherMemberIsRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.give("ada@example.com", 5000, "seed-a")
	h.give("bob@example.com", 5000, "seed-b")
	ada, bob := h.memberID("ada@example.com"), h.memberID("bob@example.com")
	first, err := h.eng.Redeem(h.ctx, loyalty.RedeemRequest{ProgramID: "card", Member: loyalty.MemberRef{Email: "ada@example.com"},
		Points: 1000, IdempotencyKey: "click-1"})
	require.NoError(t, err)

	r, err := h.eng.Redeem(h.ctx, loyalty.RedeemRequest{ProgramID: "card", Member: loyalty.MemberRef{Email: "bob@example.com"},
		Points: 1000, IdempotencyKey: "click-1"})
	require.ErrorIs(t, err, loyalty.ErrIdempotencyKeyReused)
	var ie *loyalty.IdempotencyError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, loyalty.IdempotencyError{Key: "click-1", RedemptionID: first.ID, MemberID: ada, Points: 1000,
		RequestedMemberID: bob, RequestedPoints: 1000}, *ie)
	assert.Empty(t, r.Code, "the first member's coupon is not handed out")
	assert.EqualValues(t, 5000, h.balance("bob@example.com"), "nothing deducted")
	assert.Equal(t, 1, h.issuer.Len())
}

func TestRedeem_KeyReusedForAnotherAmountIsRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.give("ada@example.com", 5000, "seed")
	req := loyalty.RedeemRequest{ProgramID: "card", Member: loyalty.MemberRef{Email: "ada@example.com"}, Points: 1000, IdempotencyKey: "k"}
	first, err := h.eng.Redeem(h.ctx, req)
	require.NoError(t, err)
	req.Points = 2000
	_, err = h.eng.Redeem(h.ctx, req)
	require.ErrorIs(t, err, loyalty.ErrIdempotencyKeyReused)
	assert.ErrorIs(t, err, loyalty.ErrInvalid)
	req.Points = 1000
	again, err := h.eng.Redeem(h.ctx, req)
	require.NoError(t, err, "the same request resumes the same redemption")
	assert.Equal(t, first.ID, again.ID)
	assert.EqualValues(t, 4000, h.balance("ada@example.com"))
}

func TestRedeem_IdBindsTheMember(t *testing.T) {
	t.Parallel()
	secret := []byte("0123456789abcdef")
	assert.NotEqual(t, loyalty.RedemptionID(secret, "card", "m1", "k"), loyalty.RedemptionID(secret, "card", "m2", "k"))
	assert.NotEqual(t, loyalty.RedemptionID(secret, "card", "m1", "k"), loyalty.RedemptionID([]byte("fedcba9876543210"), "card", "m1", "k"))
	assert.Regexp(t, `^rdm_[0-9a-f]{24}$`, loyalty.RedemptionID(secret, "card", "m1", "k"))
}

// Two installations with the same program id, the same member ids (their random sources are
// seeded alike) and the same key never derive the same coupon code: each Store draws its own
// secret.
func TestRedeem_TwoInstallationsNeverShareACode(t *testing.T) {
	t.Parallel()
	var codes []string
	var members []string
	for range 2 {
		store := memstore.New()
		eng, err := loyalty.New(store, loyalty.WithRandom(rand.NewChaCha8([32]byte{7})),
			loyalty.WithCouponIssuer(storetest.NewCouponIssuer()))
		require.NoError(t, err)
		p := loyalty.DefaultProgram("card", "EUR")
		p.Redemption.Enabled = true
		_, err = eng.SaveProgram(t.Context(), p, "")
		require.NoError(t, err)
		m, err := eng.Enroll(t.Context(), "card", loyalty.NewMember{Email: "c@example.com"})
		require.NoError(t, err)
		_, err = eng.Adjust(t.Context(), loyalty.AdjustRequest{ProgramID: "card", Member: loyalty.MemberRef{ID: m.ID}, Points: 1000, Key: "k"})
		require.NoError(t, err)
		r, err := eng.Redeem(t.Context(), loyalty.RedeemRequest{ProgramID: "card", Member: loyalty.MemberRef{ID: m.ID}, Points: 1000,
			IdempotencyKey: "click"})
		require.NoError(t, err)
		codes, members = append(codes, r.Code), append(members, m.ID)

		// The secret is kept in the Store: another engine on it derives the same id and
		// resumes the redemption instead of starting another.
		other, err := loyalty.New(store, loyalty.WithCouponIssuer(storetest.NewCouponIssuer()))
		require.NoError(t, err)
		again, err := other.Redeem(t.Context(), loyalty.RedeemRequest{ProgramID: "card", Member: loyalty.MemberRef{ID: m.ID},
			Points: 1000, IdempotencyKey: "click"})
		require.NoError(t, err)
		assert.Equal(t, r.ID, again.ID)
	}
	assert.Equal(t, members[0], members[1], "the same member id in both")
	assert.NotEqual(t, codes[0], codes[1])
}

// A redemption made before idempotency keys were stored (its id derived from the program and
// the key alone) is still found by a retry.
func TestRedeem_RetryFindsARedemptionOfAnEarlierVersion(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.give("ada@example.com", 5000, "seed")
	ada := h.memberID("ada@example.com")
	sum := sha256.Sum256([]byte("card\x00old-click")) // as earlier versions derived it
	legacy := "rdm_" + hex.EncodeToString(sum[:12])
	require.NoError(t, h.eng.Store().Update(h.ctx, func(tx loyalty.Tx) error {
		_, err := tx.CreateRedemption(h.ctx, loyalty.Redemption{ID: legacy, ProgramID: "card", MemberID: ada, Points: 1000,
			Value: dec("50"), Currency: "EUR", Code: "POINTS-OLDCODE2", State: loyalty.RedemptionIssued, CreatedAt: start})
		return err
	}))
	r, err := h.eng.Redeem(h.ctx, loyalty.RedeemRequest{ProgramID: "card", Member: loyalty.MemberRef{ID: ada}, Points: 1000,
		IdempotencyKey: "old-click"})
	require.NoError(t, err)
	assert.Equal(t, legacy, r.ID)
	assert.Equal(t, "POINTS-OLDCODE2", r.Code)
	assert.EqualValues(t, 5000, h.balance("ada@example.com"), "no second deduction")
}

func (h *harness) memberID(email string) string {
	h.t.Helper()
	var id string
	require.NoError(h.t, h.eng.Store().View(h.ctx, func(tx loyalty.ReadTx) error {
		m, err := tx.MemberByEmail(h.ctx, email)
		id = m.ID
		return err
	}))
	return id
}
