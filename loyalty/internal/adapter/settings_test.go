package adapter

import (
	"bytes"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSettings_SettersValidateAndNamePackage(t *testing.T) {
	s := DefaultSettings()
	require.NotNil(t, s.Logger)
	require.NotNil(t, s.Clock)
	require.NotNil(t, s.Random)

	assert.EqualError(t, s.SetEncryptionKey("pkg", []byte{1}, 32), "pkg: WithEncryptionKey: need 32 bytes, got 1")
	assert.EqualError(t, s.SetLogger("pkg", nil), "pkg: WithLogger: nil logger")
	assert.EqualError(t, s.SetClock("pkg", nil), "pkg: WithClock: nil clock")
	assert.EqualError(t, s.SetRandom("pkg", nil), "pkg: WithRandom: nil reader")

	key := bytes.Repeat([]byte{7}, 32)
	require.NoError(t, s.SetEncryptionKey("pkg", key, 32))
	key[0] = 0
	assert.EqualValues(t, 7, s.EncKey[0], "the key is copied")
	l := slog.New(slog.DiscardHandler)
	require.NoError(t, s.SetLogger("pkg", l))
	assert.Same(t, l, s.Logger)
	r := bytes.NewReader(nil)
	require.NoError(t, s.SetRandom("pkg", r))
	assert.Same(t, r, s.Random)
	require.NoError(t, s.SetClock("pkg", SystemClock{}))
	assert.False(t, s.Clock.Now().IsZero())
}
