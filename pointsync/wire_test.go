package pointsync_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/pointsync"
	"github.com/loyalsync/loyalsync/pointsync/pointsynctest"
)

func TestDecodeBatchGolden(t *testing.T) {
	data, err := os.ReadFile("testdata/batch.json")
	require.NoError(t, err)
	b, err := pointsync.DecodeBatch(data)
	require.NoError(t, err)
	assert.Equal(t, "Zk3v9T0qR4m2c8WfXy1aBQ", b.ID)
	assert.Equal(t, "pool-shop-eu", b.Reserve)
	require.Len(t, b.Movements, 3)
	assert.Equal(t, pointsync.Movement{
		ID: "earn/shop-eu/1001", Member: pointsync.Member{Email: "ann@example.com", Code: "K7Q2M9XP"},
		Points: 120, Kind: pointsync.KindEarn, Reason: "Order #1001", Time: time.Date(2026, 3, 1, 9, 15, 0, 0, time.UTC),
	}, b.Movements[0])
	assert.Equal(t, time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC), b.Movements[1].Time, "times are converted to UTC")
	assert.Equal(t, int64(-40), b.Movements[1].Points)

	// Encoding and decoding again gives the same batch.
	again, err := json.Marshal(b)
	require.NoError(t, err)
	b2, err := pointsync.DecodeBatch(again)
	require.NoError(t, err)
	assert.Equal(t, b, b2)
}

func TestDecodeBatchRefusals(t *testing.T) {
	valid := func() map[string]any {
		return map[string]any{"version": 1, "id": "b1", "origin": "o1", "reserve": "r",
			"movements": []any{map[string]any{"id": "m1", "member": map[string]any{"email": "a@b.c"}, "points": 1, "kind": "earn", "time": "2026-03-01T00:00:00Z"}}}
	}
	mv := func(k string, v any) map[string]any {
		m := valid()
		m["movements"].([]any)[0].(map[string]any)[k] = v
		return m
	}
	with := func(k string, v any) map[string]any {
		m := valid()
		m[k] = v
		return m
	}
	cases := []struct {
		name  string
		body  any
		field string
	}{
		{"not JSON", "{", "batch"},
		{"trailing data", json.RawMessage(`{"version":1} {}`), "batch"},
		{"no id", with("id", ""), "batch.id"},
		{"id with spaces", with("id", "a b"), "batch.id"},
		{"no origin", with("origin", ""), "batch.origin"},
		{"no reserve", with("reserve", ""), "batch.reserve"},
		{"no movements", with("movements", []any{}), "batch.movements"},
		{"expiry kind", mv("kind", "expire"), "batch.movements[0].kind"},
		{"email not normalised", mv("member", map[string]any{"email": "Ann@Example.com"}), "batch.movements[0].member.email"},
		{"no email", mv("member", map[string]any{"code": "X"}), "batch.movements[0].member.email"},
		{"email without @", mv("member", map[string]any{"email": "ann"}), "batch.movements[0].member.email"},
		{"no time", mv("time", "0001-01-01T00:00:00Z"), "batch.movements[0].time"},
		{"no movement id", mv("id", ""), "batch.movements[0].id"},
		{"year 10000 in UTC", mv("time", "9999-12-31T23:00:00-02:00"), "batch.movements[0].time"},
		{"control character in reason", mv("reason", "a\x00b"), "batch.movements[0].reason"},
		{"reason too long", mv("reason", strings.Repeat("x", 1001)), "batch.movements[0].reason"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data, ok := c.body.(json.RawMessage)
			if s, isString := c.body.(string); isString {
				data, ok = []byte(s), true
			}
			if !ok {
				var err error
				data, err = json.Marshal(c.body)
				require.NoError(t, err)
			}
			_, err := pointsync.DecodeBatch(data)
			require.ErrorIs(t, err, pointsync.ErrInvalidArgument)
			assert.Contains(t, err.Error(), c.field+":")
		})
	}
	t.Run("duplicate movement ids", func(t *testing.T) {
		m := valid()
		ms := m["movements"].([]any)
		m["movements"] = append(ms, ms[0])
		data, _ := json.Marshal(m)
		_, err := pointsync.DecodeBatch(data)
		require.ErrorIs(t, err, pointsync.ErrInvalidArgument)
		assert.Contains(t, err.Error(), "appears twice")
	})
	t.Run("too many movements", func(t *testing.T) {
		b := pointsync.Batch{Version: 1, ID: "b", Origin: "o", Reserve: "r"}
		for i := 0; i <= pointsync.MaxBatchMovements; i++ {
			b.Movements = append(b.Movements, pointsynctest.Movement(strings.Repeat("x", 1)+time.Duration(i).String(), "a@b.c", 1))
		}
		data, _ := json.Marshal(b)
		_, err := pointsync.DecodeBatch(data)
		require.ErrorIs(t, err, pointsync.ErrInvalidArgument)
	})
	t.Run("other version", func(t *testing.T) {
		_, err := pointsync.DecodeBatch([]byte(`{"version":2,"id":"x"}`))
		require.ErrorIs(t, err, pointsync.ErrUnsupportedVersion)
	})
}

func FuzzDecodeBatch(f *testing.F) {
	golden, err := os.ReadFile("testdata/batch.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(golden)
	f.Add([]byte(`{"version":1,"id":"b","origin":"o","reserve":"r","movements":[{"id":"m","member":{"email":"a@b"},"points":-9223372036854775808,"kind":"earn","time":"2026-01-01T00:00:00Z"}]}`))
	f.Add([]byte(`{"version":1,"movements":null}`))
	f.Add([]byte(`[]`))
	f.Add([]byte("\xef\xbb\xbf{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := pointsync.DecodeBatch(data)
		if err != nil {
			require.True(t, isOneOf(err, pointsync.ErrInvalidArgument, pointsync.ErrUnsupportedVersion), "untyped error %v", err)
			return
		}
		// What the decoder accepts is valid, and survives a round trip unchanged.
		require.NoError(t, b.Validate())
		again, err := json.Marshal(b)
		require.NoError(t, err)
		b2, err := pointsync.DecodeBatch(again)
		require.NoError(t, err)
		require.Equal(t, b, b2)
	})
}
