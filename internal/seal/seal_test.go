package seal_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/internal/seal"
)

func newSealer(t *testing.T, key byte) *seal.Sealer {
	t.Helper()
	s, err := seal.New(bytes.Repeat([]byte{key}, seal.KeySize), nil)
	require.NoError(t, err)
	return s
}

func TestSealOpen(t *testing.T) {
	t.Parallel()
	s := newSealer(t, 1)
	blob, err := s.Seal([]byte("secret"), []byte("record-1"))
	require.NoError(t, err)
	assert.NotContains(t, string(blob), "secret")
	got, err := s.Open(blob, []byte("record-1"))
	require.NoError(t, err)
	assert.Equal(t, "secret", string(got))

	again, err := s.Seal([]byte("secret"), []byte("record-1"))
	require.NoError(t, err)
	assert.NotEqual(t, blob, again, "a fresh nonce every time")

	flip := func(i int) []byte { b := bytes.Clone(blob); b[i] ^= 1; return b }
	for name, tc := range map[string]struct{ blob, ad []byte }{
		"other record":    {blob, []byte("record-2")},
		"flipped bit":     {flip(len(blob) - 1), []byte("record-1")},
		"unknown version": {flip(0), []byte("record-1")},
		"truncated":       {blob[:10], []byte("record-1")},
	} {
		_, err := s.Open(tc.blob, tc.ad)
		assert.ErrorIs(t, err, seal.ErrOpen, name)
	}
	_, err = newSealer(t, 2).Open(blob, []byte("record-1"))
	assert.ErrorIs(t, err, seal.ErrOpen, "another key")
}

func TestNew_BadKeyAndRandom(t *testing.T) {
	t.Parallel()
	_, err := seal.New([]byte("short"), nil)
	assert.ErrorContains(t, err, "32 bytes")
	s, err := seal.New(bytes.Repeat([]byte{1}, seal.KeySize), failingReader{})
	require.NoError(t, err)
	_, err = s.Seal([]byte("x"), nil)
	assert.ErrorContains(t, err, "draw nonce")
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("no entropy") }

func FuzzOpen(f *testing.F) {
	f.Add([]byte{1, 2, 3})
	f.Add(append([]byte{1}, make([]byte, 40)...))
	s, _ := seal.New(bytes.Repeat([]byte{3}, seal.KeySize), nil)
	f.Fuzz(func(t *testing.T, blob []byte) {
		if _, err := s.Open(blob, []byte("ad")); err == nil {
			t.Fatalf("random blob %x opened", blob)
		}
	})
}
