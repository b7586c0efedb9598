package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunPointSync checks the points synchronisation section: both sites linked (pings
// succeed), an order on the second site synced here, one balance on both.
func TestRunPointSync(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	require.NoError(t, run(t.Context(), &out))
	_, section, ok := strings.Cut(out.String(), "9. A second site")
	require.True(t, ok, out.String())
	assert.Equal(t, 2, strings.Count(section, ": ping ok"), section)
	for _, want := range []string{
		"order DE-7 on the second site: processed, 2 movement(s) for Grace",
		"synced    2 movement(s) to this site",
		"balance   this site   Grace has 140 points",
		"balance   second site Grace has 140 points",
	} {
		assert.Contains(t, section, want)
	}
}
