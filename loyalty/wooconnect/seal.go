package wooconnect

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// EncryptionKeySize is the length of the key that encrypts credentials at rest (AES-256).
const EncryptionKeySize = 32

// sealVersion is the first byte of every sealed blob, so the format can change later.
const sealVersion byte = 1

// credentials are the secrets of a connection. They only ever exist in memory in this form;
// the ConnectionStore keeps them sealed.
type credentials struct {
	ConsumerKey    string `json:"ck"`
	ConsumerSecret string `json:"cs"`
	WebhookSecret  string `json:"ws"`
}

// sealer encrypts credentials with AES-256-GCM. The associated data binds each blob to its
// connection, so a blob copied into another connection's row does not decrypt.
type sealer struct {
	aead cipher.AEAD
	rand io.Reader
}

func newSealer(key []byte, random io.Reader) (*sealer, error) {
	if len(key) != EncryptionKeySize {
		return nil, fmt.Errorf("wooconnect: encryption key must be %d bytes, got %d", EncryptionKeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("wooconnect: encryption key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("wooconnect: encryption key: %w", err)
	}
	if random == nil {
		random = rand.Reader
	}
	return &sealer{aead: aead, rand: random}, nil
}

// associatedData names what a blob belongs to.
func associatedData(rec *ConnectionRecord) []byte {
	return fmt.Appendf(nil, "wooconnect/credentials/v1\x00%s\x00%s\x00%s", rec.ID, rec.ProgramID, rec.StoreURL)
}

// seal encrypts c for rec: version byte, 12-byte random nonce, ciphertext with tag.
func (s *sealer) seal(rec *ConnectionRecord, c credentials) ([]byte, error) {
	plain, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 1+s.aead.NonceSize(), 1+s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	out[0] = sealVersion
	if _, err := io.ReadFull(s.rand, out[1:]); err != nil {
		return nil, fmt.Errorf("wooconnect: draw nonce: %w", err)
	}
	return s.aead.Seal(out, out[1:], plain, associatedData(rec)), nil
}

// errUnseal is returned for a blob that does not decrypt: the wrong key, a blob moved to another
// connection, or a corrupted column.
var errUnseal = errors.New("wooconnect: stored credentials do not decrypt with this encryption key")

// open decrypts rec.Credentials.
func (s *sealer) open(rec *ConnectionRecord) (credentials, error) {
	blob := rec.Credentials
	ns := s.aead.NonceSize()
	if len(blob) < 1+ns+s.aead.Overhead() || blob[0] != sealVersion {
		return credentials{}, errUnseal
	}
	plain, err := s.aead.Open(nil, blob[1:1+ns], blob[1+ns:], associatedData(rec))
	if err != nil {
		return credentials{}, errUnseal
	}
	var c credentials
	if err := json.Unmarshal(plain, &c); err != nil {
		return credentials{}, errUnseal
	}
	return c, nil
}
