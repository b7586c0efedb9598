package pointsync_test

import (
	"encoding/hex"
	"errors"
)

func hexString(b []byte) string { return hex.EncodeToString(b) }

func isOneOf(err error, targets ...error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}
