package wooconnect_test

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/wooconnect"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// countingOptOuts counts the email opt-outs read from a ConnectionStore.
type countingOptOuts struct {
	wooconnect.ConnectionStore
	reads *atomic.Int64
}

func (c countingOptOuts) EmailOptOut(ctx context.Context, programID, memberID string) (bool, error) {
	c.reads.Add(1)
	return c.ConnectionStore.EmailOptOut(ctx, programID, memberID)
}

// The welcome email goes to a member the same delivery created, who cannot have opted out:
// its opt-out is not read. Every other member email reads it, and an opted-out member gets
// nothing.
func TestSendEmail_ReadsTheOptOutOfExistingMembersOnly(t *testing.T) {
	t.Parallel()
	var reads atomic.Int64
	e := newEnv(t, withConnStore(func(s wooconnect.ConnectionStore) wooconnect.ConnectionStore {
		return countingOptOuts{ConnectionStore: s, reads: &reads}
	}))
	e.connect()
	reads.Store(0)

	e.placeOrder(ada, "10.00", woocommerce.OrderCompleted)
	mails := e.mail.to(ada.email)
	require.Len(t, mails, 1)
	assert.Equal(t, loyalty.EmailWelcome, mails[0].Kind)
	assert.Zero(t, reads.Load(), "no opt-out read for the new member's welcome")

	e.placeOrder(ada, "10.00", woocommerce.OrderCompleted)
	mails = e.mail.to(ada.email)
	require.Len(t, mails, 2)
	assert.Equal(t, loyalty.EmailPointsEarned, mails[1].Kind)
	assert.EqualValues(t, 1, reads.Load())

	require.NoError(t, e.conn.SetEmailOptOut(e.ctx, e.prog.ID, mails[0].MemberID, true))
	e.placeOrder(ada, "10.00", woocommerce.OrderCompleted)
	assert.Len(t, e.mail.to(ada.email), 2, "nothing after opting out")
	assert.EqualValues(t, 2, reads.Load())
	assert.Equal(t, int64(30), e.balance(ada.email), "the points still arrive")
}

// With the connection store in the loyalty store's own database, an existing member's opt-out
// is read in the order's transaction: one made by another instance (its own store and
// connection store over the same file) stops the next points email, and one withdrawn there
// lets the emails through again.
func TestSendEmail_OptOutFromAnotherInstanceIsHonouredInTheOrdersTransaction(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	other, err := wooconnect.NewSQLConnectionStore(e.ctx, newLoyaltyStore(t, filepath.Join(e.dbDir, "loyalty.db")))
	require.NoError(t, err)

	e.placeOrder(ada, "10.00", woocommerce.OrderCompleted)
	mails := e.mail.to(ada.email)
	require.Len(t, mails, 1)
	member := mails[0].MemberID

	require.NoError(t, other.SetEmailOptOut(e.ctx, e.prog.ID, member, true))
	e.placeOrder(ada, "10.00", woocommerce.OrderCompleted)
	assert.Len(t, e.mail.to(ada.email), 1, "nothing after opting out on the other instance")
	assert.Equal(t, int64(20), e.balance(ada.email), "the points still arrive")

	require.NoError(t, other.SetEmailOptOut(e.ctx, e.prog.ID, member, false))
	e.placeOrder(ada, "10.00", woocommerce.OrderCompleted)
	mails = e.mail.to(ada.email)
	require.Len(t, mails, 2)
	assert.Equal(t, loyalty.EmailPointsEarned, mails[1].Kind)
}
