package woocommercetest

import (
	"crypto/rand"
	"encoding/hex"
)

// Permission is what a REST API key may do, as set in WooCommerce → Settings → Advanced → REST API.
type Permission string

// The permissions of a WooCommerce API key. HEAD and GET need Read; POST, PUT, PATCH and DELETE need
// Write; ReadWrite allows both.
const (
	Read      Permission = "read"
	Write     Permission = "write"
	ReadWrite Permission = "read_write"
)

// Key is a REST API key of the fake store.
type Key struct {
	// ID is the key_id.
	ID int64
	// ConsumerKey ("ck_…") and ConsumerSecret ("cs_…") are the credentials a client sends.
	ConsumerKey    string
	ConsumerSecret string
	// Permissions is the key's permission level.
	Permissions Permission
	// Privileged is false for a key whose WordPress user lacks the manage_woocommerce capability:
	// it authenticates, but every resource answers 403 woocommerce_rest_cannot_*.
	Privileged bool
}

type apiKey struct {
	Key
	nonces map[int64]string // timestamp → nonce, like the woocommerce_api_keys.nonces column
}

// AddKey creates an API key with the given permission, owned by an administrator.
func (s *Server) AddKey(p Permission) Key { return s.addKey(p, true) }

// AddUnprivilegedKey creates an API key owned by a user without shop-manager capabilities (a
// customer account): requests authenticate, but the resources answer 403 instead of 401.
func (s *Server) AddUnprivilegedKey(p Permission) Key { return s.addKey(p, false) }

func (s *Server) addKey(p Permission, privileged bool) Key {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keyID++
	k := &apiKey{
		Key: Key{
			ID:             s.keyID,
			ConsumerKey:    "ck_" + randomHex(20),
			ConsumerSecret: "cs_" + randomHex(20),
			Permissions:    p,
			Privileged:     privileged,
		},
		nonces: map[int64]string{},
	}
	s.keys[k.ConsumerKey] = k
	return k.Key
}

// RevokeKey deletes an API key; later requests with it fail like requests with an unknown key.
func (s *Server) RevokeKey(consumerKey string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.keys, consumerKey)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
