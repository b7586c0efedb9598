package adapter

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestMicrosRoundTrip(t *testing.T) {
	at := time.Date(2026, 12, 4, 18, 0, 0, 123456789, time.FixedZone("CET", 3600))
	assert.Equal(t, at.Truncate(time.Microsecond).UTC(), FromMicros(Micros(at)))
	assert.Equal(t, time.UTC, FromMicros(Micros(at)).Location())
	assert.Zero(t, Micros(time.Time{}))
	assert.True(t, FromMicros(0).IsZero())
	assert.Equal(t, 1, BoolInt(true))
	assert.Equal(t, 0, BoolInt(false))
}
