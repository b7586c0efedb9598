package loyalty

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"strconv"
	"sync"
)

// CouponCode derives the coupon code of a redemption: "<prefix>-" and 8 characters from the
// HMAC-SHA256 under the installation secret of the redemption id and attempt (attempt > 0 only
// after a code collision).
func CouponCode(secret []byte, prefix, redemptionID string, attempt int) string {
	return newCodeKey(secret).couponCode(prefix, redemptionID, attempt)
}

// RedemptionID derives the id of the redemption a member asks for with an idempotency key:
// "rdm_" and 24 hex digits of the HMAC-SHA256 under the installation secret of the program,
// the member and the key.
func RedemptionID(secret []byte, programID, memberID, key string) string {
	return newCodeKey(secret).redemptionID(programID, memberID, key)
}

// codeKey derives redemption ids and coupon codes under an installation secret. It keeps one
// HMAC state, reset for each derivation, so that a derivation allocates little more than its
// result. It is safe for concurrent use.
type codeKey struct {
	mu  sync.Mutex
	mac hash.Hash
	msg []byte
	sum [sha256.Size]byte
}

func newCodeKey(secret []byte) *codeKey { return &codeKey{mac: hmac.New(sha256.New, secret)} }

// derive returns the HMAC of label and the parts, each ended by a zero byte; the result is
// valid until the caller unlocks k.mu.
func (k *codeKey) derive(label string, parts ...string) []byte {
	k.msg = append(k.msg[:0], label...)
	for _, p := range parts {
		k.msg = append(append(k.msg, 0), p...)
	}
	k.mac.Reset()
	k.mac.Write(k.msg)
	return k.mac.Sum(k.sum[:0])
}

func (k *codeKey) couponCode(prefix, redemptionID string, attempt int) string {
	k.mu.Lock()
	defer k.mu.Unlock()
	var n [20]byte
	return prefix + "-" + code8(k.derive("coupon", redemptionID, string(strconv.AppendInt(n[:0], int64(attempt), 10))))
}

func (k *codeKey) redemptionID(programID, memberID, key string) string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return "rdm_" + hex.EncodeToString(k.derive("redemption", programID, memberID, key)[:12])
}

// legacyRedemptionID is the id earlier versions derived from the program and key alone; a
// retry of such a redemption still finds it.
func legacyRedemptionID(programID, key string) string {
	sum := sha256.Sum256([]byte(programID + "\x00" + key))
	return "rdm_" + hex.EncodeToString(sum[:12])
}

// codeSecretSetting names the installation secret in the Store.
const codeSecretSetting = "loyalty.code_secret"

// codeKey returns the deriver under the installation secret: the WithCodeSecret one, or the
// Store's, drawn and stored by the first call on a new Store.
func (e *Engine) codeKey(ctx context.Context) (*codeKey, error) {
	e.codesMu.Lock()
	defer e.codesMu.Unlock()
	if e.codes != nil {
		return e.codes, nil
	}
	if e.secret != nil {
		e.codes = newCodeKey(e.secret)
		return e.codes, nil
	}
	var secret []byte
	err := e.store.View(ctx, func(tx ReadTx) (err error) {
		secret, err = tx.Setting(ctx, codeSecretSetting)
		return err
	})
	if isNotFound(err) {
		// Always from crypto/rand, not WithRandom's reader: installations seeded alike must
		// still derive different codes.
		fresh := make([]byte, 32)
		if _, err := rand.Read(fresh); err != nil {
			return nil, fmt.Errorf("loyalty: installation secret: %w", err)
		}
		err = e.update(ctx, func(tx Tx) error {
			// Another engine may have stored one meanwhile: it wins.
			v, err := tx.Setting(ctx, codeSecretSetting)
			if err == nil || !isNotFound(err) {
				secret = v
				return err
			}
			secret = fresh
			return tx.CreateSetting(ctx, codeSecretSetting, fresh)
		})
	}
	if err != nil {
		return nil, fmt.Errorf("loyalty: installation secret: %w", err)
	}
	e.codes = newCodeKey(secret)
	return e.codes, nil
}
