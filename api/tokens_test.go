package api

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func (e *apiEnv) tokenRows(t *testing.T) (tokens, revoked, audits int) {
	t.Helper()
	require.NoError(t, e.pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM api_tokens),
		(SELECT count(*) FROM api_tokens WHERE revoked_at IS NOT NULL), (SELECT count(*) FROM audit_events)`).Scan(&tokens, &revoked, &audits))
	return tokens, revoked, audits
}

func TestTokensCreateListRevoke(t *testing.T) {
	e := newAPIEnv(t)
	a := e.account(t, "Acme", true)
	b := e.account(t, "Other", true)

	expires := time.Now().Add(72 * time.Hour).UTC().Truncate(time.Second)
	created := e.must(t, http.StatusCreated, a.Token, "POST", "/v1/tokens", map[string]any{"name": "ci deploy", "expires_at": expires.Format(time.RFC3339)},
		"Idempotency-Key", "token-1")
	token, _ := created["token"].(string)
	require.True(t, strings.HasPrefix(token, "bil_"), "the token is shown in full at creation: %v", created)
	id := created["id"].(string)
	assert.Equal(t, "ci deploy", created["name"])
	assert.Equal(t, "active", created["status"])
	assert.Equal(t, a.UserID.String(), created["user_id"], "a token of the calling user")
	assert.Equal(t, expires.Format(time.RFC3339), created["expires_at"])
	assert.Nil(t, created["revoked_at"])
	e.must(t, http.StatusOK, token, "GET", "/v1/tokens", nil)

	// A repeat with the same key creates nothing and does not show the token again.
	tokens, _, audits := e.tokenRows(t)
	r := e.call(t, a.Token, "POST", "/v1/tokens", map[string]any{"name": "ci deploy", "expires_at": expires.Format(time.RFC3339)}, "Idempotency-Key", "token-1")
	require.Equal(t, http.StatusCreated, r.Code, "%s", r)
	assert.Equal(t, "true", r.Header.Get("Idempotent-Replayed"))
	assert.Nil(t, r.obj(t)["token"])
	assert.Equal(t, id, r.obj(t)["id"])
	assert.NotContains(t, r.String(), token)
	var stored int
	require.NoError(t, e.pool.QueryRow(context.Background(), "SELECT count(*) FROM idempotency_keys WHERE position($1 in convert_from(response_body, 'UTF8')) > 0", token).Scan(&stored))
	assert.Zero(t, stored, "the token is not stored with the idempotent answer")
	tokensAfter, _, auditsAfter := e.tokenRows(t)
	assert.Equal(t, tokens, tokensAfter)
	assert.Equal(t, audits, auditsAfter)

	list := e.call(t, a.Token, "GET", "/v1/tokens", nil)
	require.Equal(t, http.StatusOK, list.Code)
	assert.NotContains(t, list.String(), token, "lists never show a token")
	assert.NotContains(t, list.String(), a.Token)
	assert.NotContains(t, list.String(), "bil_")
	data := list.obj(t)["data"].([]any)
	require.Len(t, data, 2)
	assert.Equal(t, id, data[0].(map[string]any)["id"], "newest first")
	assert.Equal(t, "initial token", data[1].(map[string]any)["name"])
	assert.Equal(t, "ops@acme.test", data[1].(map[string]any)["user_email"])
	assert.NotContains(t, e.call(t, b.Token, "GET", "/v1/tokens", nil).String(), id, "another account's list")

	// Another account cannot revoke it (404, nothing changes); the owner can.
	e.must(t, http.StatusNotFound, b.Token, "DELETE", "/v1/tokens/"+id, nil)
	e.must(t, http.StatusOK, token, "GET", "/v1/tokens", nil)
	revoked := e.must(t, http.StatusOK, a.Token, "DELETE", "/v1/tokens/"+id, nil)
	assert.Equal(t, "revoked", revoked["status"])
	assert.NotNil(t, revoked["revoked_at"])
	assert.Nil(t, revoked["token"])
	e.must(t, http.StatusUnauthorized, token, "GET", "/v1/tokens", nil)
	again := e.must(t, http.StatusOK, a.Token, "DELETE", "/v1/tokens/"+id, nil)
	assert.Equal(t, revoked["revoked_at"], again["revoked_at"], "revoking again changes nothing")
	e.must(t, http.StatusOK, a.Token, "GET", "/v1/tokens", nil)

	assert.Equal(t, []string{"token.created", "token.revoked"}, e.auditActions(t, a.AccountID))
	assert.Empty(t, e.auditActions(t, b.AccountID))
}

func TestExpiredTokenIsRefused(t *testing.T) {
	e := newAPIEnv(t)
	a := e.account(t, "Acme", true)
	created := e.must(t, http.StatusCreated, a.Token, "POST", "/v1/tokens", map[string]any{"name": "short lived",
		"expires_at": time.Now().Add(time.Hour).Format(time.RFC3339)})
	token := created["token"].(string)
	e.must(t, http.StatusOK, token, "GET", "/v1/tokens", nil)

	// An hour passes.
	_, err := e.pool.Exec(context.Background(), `UPDATE api_tokens SET created_at = created_at - interval '2 hours',
		expires_at = expires_at - interval '2 hours' WHERE id = $1`, created["id"])
	require.NoError(t, err)
	r := e.call(t, token, "GET", "/v1/tokens", nil)
	assert.Equal(t, http.StatusUnauthorized, r.Code)
	assert.Contains(t, r.String(), "expired")
	statuses := map[string]any{}
	for _, row := range e.must(t, http.StatusOK, a.Token, "GET", "/v1/tokens", nil)["data"].([]any) {
		statuses[row.(map[string]any)["name"].(string)] = row.(map[string]any)["status"]
	}
	assert.Equal(t, map[string]any{"short lived": "expired", "initial token": "active"}, statuses)
}

func TestTokenInputIsValidated(t *testing.T) {
	e := newAPIEnv(t)
	a := e.account(t, "Acme", true)
	past := time.Now().Add(-time.Minute).Format(time.RFC3339)
	tests := []struct {
		name  string
		body  any
		code  int
		field string
	}{
		{"no name", map[string]any{}, http.StatusUnprocessableEntity, "name"},
		{"blank name", map[string]any{"name": "   "}, http.StatusUnprocessableEntity, "name"},
		{"long name", map[string]any{"name": strings.Repeat("n", 201)}, http.StatusUnprocessableEntity, "name"},
		{"name not text", map[string]any{"name": 12}, http.StatusUnprocessableEntity, "name"},
		{"expiry in the past", map[string]any{"name": "x", "expires_at": past}, http.StatusUnprocessableEntity, "expires_at"},
		{"expiry a date only", map[string]any{"name": "x", "expires_at": "2030-01-31"}, http.StatusUnprocessableEntity, "expires_at"},
		{"expiry not text", map[string]any{"name": "x", "expires_at": 1893456000}, http.StatusUnprocessableEntity, "expires_at"},
		{"unknown field", map[string]any{"name": "x", "scopes": []string{"admin"}}, http.StatusUnprocessableEntity, "scopes"},
		{"not JSON", "{", http.StatusBadRequest, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t1, r1, a1 := e.tokenRows(t)
			r := e.call(t, a.Token, "POST", "/v1/tokens", tt.body)
			require.Equal(t, tt.code, r.Code, "%s", r)
			if tt.field != "" {
				assert.Contains(t, r.String(), `"field":"`+tt.field+`"`)
			}
			assert.NotContains(t, r.String(), "bil_")
			t2, r2, a2 := e.tokenRows(t)
			assert.Equal(t, []int{t1, r1, a1}, []int{t2, r2, a2}, "nothing changed")
		})
	}
	e.must(t, http.StatusNotFound, a.Token, "DELETE", "/v1/tokens/not-a-uuid", nil)
}
