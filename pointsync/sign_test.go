package pointsync_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/pointsync"
)

var signT0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func signed() pointsync.Signed {
	return pointsync.Signed{Time: signT0, Op: pointsync.OpBatches, From: "aaa", To: "bbb", Body: []byte(`{"x":1}`)}
}

func TestSignatureRoundTrip(t *testing.T) {
	h := pointsync.Sign("pass", signed())
	assert.True(t, strings.HasPrefix(h, "t=1772355600,v1="), h)
	require.NoError(t, pointsync.VerifySignature(h, "pass", signed(), signT0, time.Minute))
}

func TestSignatureRefusals(t *testing.T) {
	good := pointsync.Sign("pass", signed())
	change := func(f func(*pointsync.Signed)) pointsync.Signed {
		s := signed()
		f(&s)
		return s
	}
	cases := []struct {
		name   string
		header string
		pass   string
		s      pointsync.Signed
		now    time.Time
		want   error
	}{
		{"wrong secret", good, "other", signed(), signT0, pointsync.ErrBadSignature},
		{"body changed", good, "pass", change(func(s *pointsync.Signed) { s.Body = []byte(`{"x":2}`) }), signT0, pointsync.ErrBadSignature},
		{"operation changed", good, "pass", change(func(s *pointsync.Signed) { s.Op = pointsync.OpPing }), signT0, pointsync.ErrBadSignature},
		{"sender changed", good, "pass", change(func(s *pointsync.Signed) { s.From = "evil" }), signT0, pointsync.ErrBadSignature},
		{"receiver changed", good, "pass", change(func(s *pointsync.Signed) { s.To = "ccc" }), signT0, pointsync.ErrBadSignature},
		{"stale timestamp", good, "pass", signed(), signT0.Add(61 * time.Second), pointsync.ErrStaleTimestamp},
		{"timestamp from the future", good, "pass", signed(), signT0.Add(-61 * time.Second), pointsync.ErrStaleTimestamp},
		{"timestamp rewritten", strings.Replace(good, "t=1772355600", "t=1772355601", 1), "pass", signed(), signT0, pointsync.ErrBadSignature},
		{"empty header", "", "pass", signed(), signT0, pointsync.ErrBadSignature},
		{"no v1", "t=1772355600", "pass", signed(), signT0, pointsync.ErrBadSignature},
		{"no t", good[strings.Index(good, "v1="):], "pass", signed(), signT0, pointsync.ErrBadSignature},
		{"short v1", "t=1772355600,v1=abcd", "pass", signed(), signT0, pointsync.ErrBadSignature},
		{"two t", "t=1772355600," + good, "pass", signed(), signT0, pointsync.ErrBadSignature},
		{"garbage", "hello", "pass", signed(), signT0, pointsync.ErrBadSignature},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := pointsync.VerifySignature(c.header, c.pass, c.s, c.now, time.Minute)
			require.ErrorIs(t, err, c.want)
		})
	}
}

func TestSignatureAcceptsRotatedPass(t *testing.T) {
	old := pointsync.Sign("old", signed())
	cur := pointsync.Sign("new", signed())
	both := cur + ",v0=ignored," + old[strings.Index(old, "v1="):]
	require.NoError(t, pointsync.VerifySignature(both, "old", signed(), signT0, time.Minute))
	require.NoError(t, pointsync.VerifySignature(both, "new", signed(), signT0, time.Minute))
	require.ErrorIs(t, pointsync.VerifySignature(both, "neither", signed(), signT0, time.Minute), pointsync.ErrBadSignature)
}

func FuzzVerifySignature(f *testing.F) {
	f.Add(pointsync.Sign("pass", signed()), []byte(`{"x":1}`))
	f.Add("t=1,v1=00", []byte{})
	f.Add("t=-5,v1="+strings.Repeat("a", 64), []byte("x"))
	f.Add(",,,=,t=,v1=", []byte(nil))
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		s := signed()
		s.Body = body
		err := pointsync.VerifySignature(header, "pass", s, signT0, time.Minute)
		if err == nil {
			// Only the true signature of this body may pass.
			want := pointsync.Sign("pass", s)
			unix, sigs, perr := pointsync.ParseSignature(header)
			require.NoError(t, perr)
			assert.Equal(t, signT0.Unix(), unix)
			found := false
			for _, sig := range sigs {
				found = found || strings.HasSuffix(want, "v1="+hexString(sig))
			}
			assert.True(t, found, "accepted %q for body %q", header, body)
			return
		}
		require.True(t, isOneOf(err, pointsync.ErrBadSignature, pointsync.ErrStaleTimestamp), "unexpected error %v", err)
	})
}
