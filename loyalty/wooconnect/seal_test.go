package wooconnect

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testSealer(t *testing.T, key byte) *sealer {
	t.Helper()
	s, err := newSealer(bytes.Repeat([]byte{key}, EncryptionKeySize), nil)
	require.NoError(t, err)
	return s
}

func TestSeal_RoundTripAndBinding(t *testing.T) {
	t.Parallel()
	s := testSealer(t, 1)
	rec := ConnectionRecord{ID: "wc_1", ProgramID: "card", StoreURL: "https://shop.example"}
	cr := credentials{ConsumerKey: "ck_abc", ConsumerSecret: "cs_def", WebhookSecret: "whs"}
	blob, err := s.seal(&rec, cr)
	require.NoError(t, err)
	assert.NotContains(t, string(blob), "ck_abc")
	rec.Credentials = blob
	got, err := s.open(&rec)
	require.NoError(t, err)
	assert.Equal(t, cr, got)

	again, err := s.seal(&rec, cr)
	require.NoError(t, err)
	assert.NotEqual(t, blob, again, "a fresh nonce every time")

	for name, mutate := range map[string]func(r *ConnectionRecord){
		"other connection": func(r *ConnectionRecord) { r.ID = "wc_2" },
		"other program":    func(r *ConnectionRecord) { r.ProgramID = "other" },
		"other store":      func(r *ConnectionRecord) { r.StoreURL = "https://evil.example" },
		"flipped bit":      func(r *ConnectionRecord) { r.Credentials = flip(r.Credentials, len(r.Credentials)-1) },
		"truncated":        func(r *ConnectionRecord) { r.Credentials = r.Credentials[:10] },
		"unknown version":  func(r *ConnectionRecord) { r.Credentials = flip(r.Credentials, 0) },
	} {
		r := rec
		r.Credentials = bytes.Clone(blob)
		mutate(&r)
		_, err := s.open(&r)
		assert.ErrorIs(t, err, errUnseal, name)
	}
	_, err = testSealer(t, 2).open(&rec)
	assert.ErrorIs(t, err, errUnseal, "another key")

	_, err = newSealer([]byte("short"), nil)
	assert.Error(t, err)
}

func flip(b []byte, i int) []byte {
	b = bytes.Clone(b)
	b[i] ^= 1
	return b
}

func FuzzSealOpen(f *testing.F) {
	f.Add([]byte{1, 2, 3})
	f.Add(append([]byte{1 /* the format version */}, make([]byte, 40)...))
	s, _ := newSealer(bytes.Repeat([]byte{3}, EncryptionKeySize), nil)
	f.Fuzz(func(t *testing.T, blob []byte) {
		rec := ConnectionRecord{ID: "wc_1", Credentials: blob}
		if _, err := s.open(&rec); err == nil {
			t.Fatalf("random blob %x opened", blob)
		}
	})
}

func BenchmarkSealOpen(b *testing.B) {
	s, _ := newSealer(bytes.Repeat([]byte{3}, EncryptionKeySize), nil)
	rec := ConnectionRecord{ID: "wc_1", ProgramID: "card", StoreURL: "https://shop.example"}
	rec.Credentials, _ = s.seal(&rec, credentials{ConsumerKey: "ck_0123456789", ConsumerSecret: "cs_0123456789", WebhookSecret: "whsec"})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.open(&rec); err != nil {
			b.Fatal(err)
		}
	}
}
