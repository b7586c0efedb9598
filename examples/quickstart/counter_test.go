package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunCounter checks the counter section of the transcript: the card scanned, the tier
// multiplier on the counter purchase, one balance over both channels, a bonus check spent.
func TestRunCounter(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	require.NoError(t, run(t.Context(), &out))
	s := out.String()
	_, counter, ok := strings.Cut(s, "8. The counter")
	require.True(t, ok, s)
	for _, want := range []string{
		"card scanned: Ada Lovelace, member 1, status Silver",
		"Counter purchase 1: 1,050 points (700 × 1.5 Silver)",
		"one balance: You now have 1,050 points",
		"online  http://127.0.0.1:", "counter sitoo:1500/1/STORE-7",
		"1,000 points → 50.00 EUR",
		"redeemed true", "Points 50",
		"counter sale 1 at store STORE-7, register {8A1F-REG-1}, staff emp-0193: processed",
	} {
		assert.Contains(t, counter, want)
	}
	if t.Failed() {
		t.Log(counter)
	}
}
