package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
)

// KeySize is the length of a key (AES-256).
const KeySize = 32

// version is the first byte of every sealed blob, so the format can change later.
const version byte = 1

// ErrOpen is returned for a blob that does not decrypt: the wrong key, other associated data (a
// blob moved to another record), or a corrupted or truncated blob.
var ErrOpen = errors.New("seal: blob does not decrypt with this key")

// Sealer seals and opens blobs with one key. It is safe for concurrent use.
type Sealer struct {
	aead cipher.AEAD
	rand io.Reader
}

// New returns a Sealer for a KeySize-byte key. Nonces are drawn from random, or from
// crypto/rand when it is nil.
func New(key []byte, random io.Reader) (*Sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("seal: key must be %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("seal: key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("seal: key: %w", err)
	}
	if random == nil {
		random = rand.Reader
	}
	return &Sealer{aead: aead, rand: random}, nil
}

// Seal encrypts plain bound to ad: version byte, random nonce, ciphertext with tag.
func (s *Sealer) Seal(plain, ad []byte) ([]byte, error) {
	out := make([]byte, 1+s.aead.NonceSize(), 1+s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	out[0] = version
	if _, err := io.ReadFull(s.rand, out[1:]); err != nil {
		return nil, fmt.Errorf("seal: draw nonce: %w", err)
	}
	return s.aead.Seal(out, out[1:], plain, ad), nil
}

// Open decrypts a blob sealed with the same key and ad; any mismatch is ErrOpen.
func (s *Sealer) Open(blob, ad []byte) ([]byte, error) {
	ns := s.aead.NonceSize()
	if len(blob) < 1+ns+s.aead.Overhead() || blob[0] != version {
		return nil, ErrOpen
	}
	plain, err := s.aead.Open(nil, blob[1:1+ns], blob[1+ns:], ad)
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}
