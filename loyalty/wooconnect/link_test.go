package wooconnect_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty/wooconnect"
)

var linkNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func testSigner(t testing.TB) *wooconnect.LinkSigner {
	s, err := wooconnect.NewLinkSigner(bytes.Repeat([]byte{9}, 32))
	require.NoError(t, err)
	return s
}

func TestLinkSigner_SignVerify(t *testing.T) {
	t.Parallel()
	s := testSigner(t)
	tok := s.Sign(wooconnect.PurposeSignIn, "card", "mem_1", linkNow, wooconnect.SignInLinkValidity)
	assert.NotContains(t, tok, "=", "URL-safe without padding")

	c, err := s.Verify(tok, wooconnect.PurposeSignIn, linkNow.Add(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, "card", c.ProgramID)
	assert.Equal(t, "mem_1", c.MemberID)
	assert.Equal(t, linkNow.Add(7*24*time.Hour), c.ExpiresAt)

	_, err = s.Verify(tok, wooconnect.PurposeSignIn, linkNow.Add(7*24*time.Hour))
	assert.ErrorIs(t, err, wooconnect.ErrTokenExpired)
	_, err = s.Verify(tok, wooconnect.PurposeUnsubscribe, linkNow)
	assert.ErrorIs(t, err, wooconnect.ErrTokenInvalid, "purpose-bound")

	other, err := wooconnect.NewLinkSigner(bytes.Repeat([]byte{8}, 32))
	require.NoError(t, err)
	_, err = other.Verify(tok, wooconnect.PurposeSignIn, linkNow)
	assert.ErrorIs(t, err, wooconnect.ErrTokenInvalid, "another key")

	payload, sig, _ := strings.Cut(tok, ".")
	forged := testSigner(t).Sign(wooconnect.PurposeSignIn, "card", "mem_2", linkNow, time.Hour)
	forgedPayload, _, _ := strings.Cut(forged, ".")
	_, err = s.Verify(forgedPayload+"."+sig, wooconnect.PurposeSignIn, linkNow)
	assert.ErrorIs(t, err, wooconnect.ErrTokenInvalid, "payload swapped")
	for _, bad := range []string{"", ".", payload, payload + ".", "a.b.c", strings.Repeat("a", 3000)} {
		_, err = s.Verify(bad, wooconnect.PurposeSignIn, linkNow)
		assert.ErrorIs(t, err, wooconnect.ErrTokenInvalid, bad)
	}
	_, err = wooconnect.NewLinkSigner([]byte("short"))
	assert.Error(t, err)
}

func FuzzLinkVerify(f *testing.F) {
	s := testSigner(f)
	f.Add(s.Sign(wooconnect.PurposeSignIn, "card", "mem_1", linkNow, time.Hour))
	f.Add("eyJwIjoic2lnbmluIn0.AAAA")
	f.Add("")
	f.Fuzz(func(t *testing.T, tok string) {
		c, err := s.Verify(tok, wooconnect.PurposeSignIn, linkNow)
		if err == nil {
			// Only tokens this signer made verify: re-signing the claims gives the same token.
			again := s.Sign(wooconnect.PurposeSignIn, c.ProgramID, c.MemberID, c.ExpiresAt, 0)
			if again != strings.TrimSpace(tok) {
				t.Fatalf("accepted %q, which the signer would write as %q", tok, again)
			}
		}
	})
}
