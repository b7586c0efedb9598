// Package seal encrypts small secrets at rest (stored API credentials) with AES-256-GCM.
//
// A sealed blob is a version byte, a 12-byte random nonce and the ciphertext with its tag. The
// associated data given to Seal must be given again to Open: it binds a blob to the record it
// belongs to, so a blob copied into another record's row does not decrypt. Integration packages
// (loyalty/wooconnect, sitoo/woosync) use it so the encryption code exists once.
package seal
