package wooconnect

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/loyalsync/loyalsync/internal/seal"
)

// EncryptionKeySize is the length of the key that encrypts credentials at rest (AES-256).
const EncryptionKeySize = seal.KeySize

// credentials are the secrets of a connection. They only ever exist in memory in this form;
// the ConnectionStore keeps them sealed.
type credentials struct {
	ConsumerKey    string `json:"ck"`
	ConsumerSecret string `json:"cs"`
	WebhookSecret  string `json:"ws"`
}

// sealer encrypts credentials with internal/seal (AES-256-GCM). The associated data binds each
// blob to its connection, so a blob copied into another connection's row does not decrypt.
type sealer struct{ s *seal.Sealer }

func newSealer(key []byte, random io.Reader) (*sealer, error) {
	s, err := seal.New(key, random)
	if err != nil {
		return nil, fmt.Errorf("wooconnect: encryption key: %w", err)
	}
	return &sealer{s: s}, nil
}

// associatedData names what a blob belongs to.
func associatedData(rec *ConnectionRecord) []byte {
	return fmt.Appendf(nil, "wooconnect/credentials/v1\x00%s\x00%s\x00%s", rec.ID, rec.ProgramID, rec.StoreURL)
}

// seal encrypts c for rec.
func (s *sealer) seal(rec *ConnectionRecord, c credentials) ([]byte, error) {
	plain, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	blob, err := s.s.Seal(plain, associatedData(rec))
	if err != nil {
		return nil, fmt.Errorf("wooconnect: %w", err)
	}
	return blob, nil
}

// errUnseal is returned for a blob that does not decrypt: the wrong key, a blob moved to another
// connection, or a corrupted column.
var errUnseal = errors.New("wooconnect: stored credentials do not decrypt with this encryption key")

// open decrypts rec.Credentials.
func (s *sealer) open(rec *ConnectionRecord) (credentials, error) {
	plain, err := s.s.Open(rec.Credentials, associatedData(rec))
	if err != nil {
		return credentials{}, errUnseal
	}
	var c credentials
	if err := json.Unmarshal(plain, &c); err != nil {
		return credentials{}, errUnseal
	}
	return c, nil
}
