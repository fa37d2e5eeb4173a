// Package secret protects the per-account secrets we store: Asaas API keys are sealed
// with AES-256-GCM under the server key (BILLING_SECRET_KEY); webhook secrets are kept
// only as an HMAC-SHA256 under the same key, so they can be looked up and compared but
// never shown again.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// KeySize is the length of the server key: AES-256.
const KeySize = 32

// ErrOpen means the ciphertext was not sealed by this key with this additional data
// (wrong key, another account's row, or tampering).
var ErrOpen = errors.New("secret: cannot open ciphertext")

func aead(key []byte) (cipher.AEAD, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("secret: key must be %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// Seal encrypts plaintext and returns nonce || ciphertext. aad (the account id) is
// authenticated but not stored: the same aad is needed to open it.
func Seal(key, plaintext, aad []byte) ([]byte, error) {
	gcm, err := aead(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return gcm.Seal(nonce, nonce, plaintext, aad), nil
}

// Open reverses Seal.
func Open(key, ciphertext, aad []byte) ([]byte, error) {
	gcm, err := aead(key)
	if err != nil {
		return nil, err
	}
	if len(ciphertext) < gcm.NonceSize()+gcm.Overhead() {
		return nil, ErrOpen
	}
	nonce, sealed := ciphertext[:gcm.NonceSize()], ciphertext[gcm.NonceSize():]
	plain, err := gcm.Open(nil, nonce, sealed, aad)
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}

// WebhookToken is the token an account's Asaas webhook must send (asaas-access-token):
// the secret the account chose, "-", and the account id in 32 hex digits. The one
// webhook URL finds the account by its token, so two accounts must never share one:
// with the account's own id at its end, no token of one account can be another's,
// whatever secrets they choose (and choosing another account's secret reveals
// nothing). A secret that already ends with this account's suffix is the token as is.
func WebhookToken(accountID uuid.UUID, chosen string) string {
	suffix := "-" + hex.EncodeToString(accountID[:])
	if strings.HasSuffix(chosen, suffix) {
		return chosen
	}
	return chosen + suffix
}

// WebhookTokenSuffixLength is what WebhookToken adds to a chosen secret.
const WebhookTokenSuffixLength = 33

// WebhookSecretHash is the stored form of a webhook secret: HMAC-SHA256 keyed with the
// server key, so a leaked table alone cannot be brute-forced offline. It is
// deterministic, so the webhook handler finds the account by it.
func WebhookSecretHash(key []byte, secret string) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(secret))
	return mac.Sum(nil)
}

// Equal compares two hashes in constant time.
func Equal(a, b []byte) bool { return hmac.Equal(a, b) }
