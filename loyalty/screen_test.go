package loyalty_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/memstore"
)

// screeningMailer refuses or fails the emails of the members named, and records what it
// screened (with whether a transaction was at hand) and what it was asked to send.
type screeningMailer struct {
	mu       sync.Mutex
	refuse   map[string]bool // by email address
	fail     map[string]bool
	screened []loyalty.EmailKind
	sent     []loyalty.Email
}

func (m *screeningMailer) ScreenEmail(_ context.Context, tx loyalty.Tx, e loyalty.Email) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if tx == nil {
		return false, errors.New("no transaction")
	}
	m.screened = append(m.screened, e.Kind)
	if m.fail[e.To.Email] {
		return false, errors.New("opt-out table unreadable")
	}
	return !m.refuse[e.To.Email], nil
}

func (m *screeningMailer) SendEmail(_ context.Context, e loyalty.Email) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, e)
	return nil
}

// An EmailScreener decides in the order's transaction: a refused email is not sent (the points
// still arrive), an accepted one reaches SendEmail marked Screened, and a failed screening is
// logged and leaves the decision to SendEmail (sent unmarked).
func TestProcessOrder_ScreensEmailsInItsTransaction(t *testing.T) {
	t.Parallel()
	var logs strings.Builder
	m := &screeningMailer{refuse: map[string]bool{"no@example.com": true}, fail: map[string]bool{"err@example.com": true}}
	eng, err := loyalty.New(memstore.New(), loyalty.WithMailer(m), loyalty.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	require.NoError(t, err)
	_, err = eng.SaveProgram(t.Context(), loyalty.DefaultProgram("card", "EUR"), "")
	require.NoError(t, err)

	for i, email := range []string{"yes@example.com", "no@example.com", "err@example.com"} {
		res, err := eng.ProcessOrder(t.Context(), "card", order(string(rune('1'+i)), "completed", "10", email))
		require.NoError(t, err)
		assert.Equal(t, loyalty.OutcomeProcessed, res.Outcome)
		assert.Equal(t, int64(10), res.Balance, email)
	}
	require.Len(t, m.screened, 3)
	require.Len(t, m.sent, 2)
	assert.Equal(t, "yes@example.com", m.sent[0].To.Email)
	assert.True(t, m.sent[0].Screened)
	assert.Equal(t, "err@example.com", m.sent[1].To.Email)
	assert.False(t, m.sent[1].Screened, "a failed screening leaves the decision to SendEmail")
	assert.Contains(t, logs.String(), "opt-out table unreadable")
}

// A Mailer that does not screen gets every email unmarked.
func TestProcessOrder_PlainMailerGetsUnscreenedEmails(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.process(order("1", "completed", "10", "a@example.com"))
	sent := h.mailer.Emails()
	require.Len(t, sent, 1)
	assert.False(t, sent[0].Screened)
}
