package rest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A client keeps its rest Options and applies them to every Config it builds (a connector opens
// one client per store): applying an Option twice must give the same result.
func TestOptionsCanBeAppliedTwice(t *testing.T) {
	t.Parallel()
	opts := []Option{WithRetry(0, time.Millisecond, time.Millisecond), WithRateLimit(2, 1), WithMaxRetryAfter(time.Second)}
	for range 2 {
		var c Config
		require.NoError(t, c.Apply(opts...))
		require.Equal(t, -1, c.RetryMax)
	}
}
