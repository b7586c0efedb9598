package wooconnect_test

import (
	"context"
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
