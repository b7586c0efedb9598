package sitoo

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMemorySeenStoreTTL(t *testing.T) {
	t.Parallel()
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	s := NewMemorySeenStore(10, time.Hour, func() time.Time { return now })
	ctx := context.Background()
	require.NoError(t, s.MarkSeen(ctx, "a"))
	now = now.Add(59 * time.Minute)
	seen, _ := s.Seen(ctx, "a")
	assert.True(t, seen)
	require.NoError(t, s.MarkSeen(ctx, "b"))
	now = now.Add(2 * time.Minute)
	seen, _ = s.Seen(ctx, "a")
	assert.False(t, seen, "expired")
	require.NoError(t, s.MarkSeen(ctx, "c"))
	assert.Equal(t, 2, s.Len(), "expired ids are dropped on the next mark")
}

func FuzzParseEvents(f *testing.F) {
	f.Add([]byte(`[{"event_id":"5e9f","event_type":"order","event_date":1611138542,"account_id":1500,"data":{"eshop_id":1,"order_id":12345}}]`))
	f.Add([]byte(`[{"event_id":"x","event_type":"order-delivery","data":{"order_delivery_id":"7"}}]`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`[{"event_id":1}]`))
	f.Add([]byte(`{"event_id":"x"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		evs, err := ParseEvents(body)
		if err != nil {
			if !errors.Is(err, ErrInvalidEvents) && !errors.Is(err, ErrTooManyEvents) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if len(evs) == 0 || len(evs) > MaxEventsPerDelivery {
			t.Fatalf("%d events accepted", len(evs))
		}
		for _, ev := range evs {
			if ev.ID == "" {
				t.Fatal("event without id accepted")
			}
			_, _ = ev.OrderData()
			_, _ = ev.OrderDeliveryData()
		}
	})
}
