// Package tenant provisions accounts, their users and API tokens: the operator CLI
// (`billing accounts create`, `billing tokens create`) and the dev demo account use it.
package tenant

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// TokenPrefix marks our bearer tokens so a leaked one is recognisable in logs and scanners.
const TokenPrefix = "bil_"

// NewToken returns a fresh 256-bit bearer token and the hash to store; the token
// itself is shown once and never stored.
func NewToken() (token string, hash []byte) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on Linux (Go 1.24+ panics instead)
	token = TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken is the stored form of a token. Tokens are high-entropy, so SHA-256 is
// enough: no dictionary attack can reach them.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(strings.TrimSpace(token)))
	return h[:]
}
