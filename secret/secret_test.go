package secret_test

import (
	"bytes"
	"strings"
	"testing"

	"billing/secret"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func key(b byte) []byte { return bytes.Repeat([]byte{b}, secret.KeySize) }

func TestSealOpenRoundTrip(t *testing.T) {
	aad := []byte("account-1")
	sealed, err := secret.Seal(key(1), []byte("$aact_abc"), aad)
	require.NoError(t, err)
	assert.NotContains(t, string(sealed), "$aact_abc")
	again, err := secret.Seal(key(1), []byte("$aact_abc"), aad)
	require.NoError(t, err)
	assert.NotEqual(t, sealed, again, "a fresh nonce per seal")

	plain, err := secret.Open(key(1), sealed, aad)
	require.NoError(t, err)
	assert.Equal(t, "$aact_abc", string(plain))
}

func TestOpenRejects(t *testing.T) {
	aad := []byte("account-1")
	sealed, err := secret.Seal(key(1), []byte("$aact_abc"), aad)
	require.NoError(t, err)
	tampered := bytes.Clone(sealed)
	tampered[len(tampered)-1] ^= 1
	tests := []struct {
		name       string
		key        []byte
		ciphertext []byte
		aad        []byte
	}{
		{"another server key", key(2), sealed, aad},
		{"another account", key(1), sealed, []byte("account-2")},
		{"tampered", key(1), tampered, aad},
		{"truncated", key(1), sealed[:10], aad},
		{"empty", key(1), nil, aad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := secret.Open(tt.key, tt.ciphertext, tt.aad)
			assert.ErrorIs(t, err, secret.ErrOpen)
		})
	}
}

func TestKeyMustBe32Bytes(t *testing.T) {
	for _, n := range []int{0, 16, 31, 33} {
		_, err := secret.Seal(make([]byte, n), []byte("x"), nil)
		assert.Error(t, err, "key of %d bytes", n)
		_, err = secret.Open(make([]byte, n), make([]byte, 64), nil)
		assert.Error(t, err, "key of %d bytes", n)
	}
}

func TestWebhookSecretHash(t *testing.T) {
	h := secret.WebhookSecretHash(key(1), "whsec-1")
	assert.Len(t, h, 32)
	assert.True(t, secret.Equal(h, secret.WebhookSecretHash(key(1), "whsec-1")), "deterministic: the handler looks accounts up by it")
	assert.False(t, secret.Equal(h, secret.WebhookSecretHash(key(1), "whsec-2")))
	assert.False(t, secret.Equal(h, secret.WebhookSecretHash(key(2), "whsec-1")), "keyed by the server key")
}

func TestWebhookTokenNeverClashesBetweenAccounts(t *testing.T) {
	a := uuid.MustParse("0f8fad5b-d9cb-469f-a165-70867728950e")
	b := uuid.MustParse("7c9e6679-7425-40de-944b-e07fc1f90ae7")
	tokenA := secret.WebhookToken(a, "minha-senha-webhook-123")
	assert.Equal(t, "minha-senha-webhook-123-0f8fad5bd9cb469fa16570867728950e", tokenA)
	assert.Len(t, tokenA, len("minha-senha-webhook-123")+secret.WebhookTokenSuffixLength)
	tests := []struct {
		name   string
		chosen string
	}{
		{"the same secret", "minha-senha-webhook-123"},
		{"the other account's token", tokenA},
		{"the other account's token minus its suffix's dash", "minha-senha-webhook-1230f8fad5bd9cb469fa16570867728950e"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tokenB := secret.WebhookToken(b, tt.chosen)
			assert.NotEqual(t, tokenA, tokenB)
			assert.True(t, strings.HasSuffix(tokenB, "-7c9e6679742540de944be07fc1f90ae7"))
		})
	}
	assert.Equal(t, tokenA, secret.WebhookToken(a, tokenA), "a token set again is kept as is")
}
