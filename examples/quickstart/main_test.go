package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRun runs the whole quickstart and checks the transcript tells the story.
func TestRun(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	require.NoError(t, run(t.Context(), &out))
	s := out.String()
	for _, want := range []string{
		"webhook   Webhook registered automatically (ID 1), topic order.updated",
		"pending → processing", "processed", "awarded 76 points and a 100 points welcome bonus",
		"processing → completed", "already processed",
		"same delivery again", "(never credited twice)",
		`status "on-hold" does not award points`,
		"(guest, no email)", "guest checkout without a billing email earns no points",
		"subject: Welcome to Corner Café card: you earned 176 points",
		"Only 824 more points until your first 50.00 discount",
		"Redeem my points: https://wallet.example/redeem?token=",
		"the link signs ada@example.com in",
		"in the store: coupon", "fixed_cart 50.00, usage limit 1 (per user 1), only for ada@example.com",
		"full refund: took back 994 points (the balance stopped at zero: 824 were already spent)",
		"last 24 h    3 processed, ",
		"connected", "redemption", "sign_in",
	} {
		assert.Contains(t, s, want)
	}
	assert.NotContains(t, s, "failed,") // no failed deliveries
	if t.Failed() {
		t.Log(s)
	}
}
