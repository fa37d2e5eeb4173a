package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"billing/api"
	"billing/cmd/internal/cli"
	"billing/testenv"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// operatorEnv runs the billing CLI in process against a fresh database, and an API
// server on the same database to see what its tokens can do.
type operatorEnv struct {
	url  string
	pool *pgxpool.Pool
	api  http.Handler
}

func newOperatorEnv(t *testing.T) *operatorEnv {
	url := testenv.DatabaseURL(t)
	pool, err := pgxpool.New(context.Background(), url)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	srv := api.NewServer(api.Deps{Pool: pool, Logger: slog.New(slog.DiscardHandler)})
	return &operatorEnv{url: url, pool: pool, api: srv.Handler()}
}

// run is `billing args...`: exit status, stdout, stderr.
func (e *operatorEnv) run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := map[string]string{"DATABASE_URL": e.url}
	code := cli.Run(context.Background(), "billing", commands, args, func(k string) string { return env[k] }, &out, &errb)
	return code, out.String(), errb.String()
}

func (e *operatorEnv) mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errText := e.run(t, args...)
	require.Equal(t, 0, code, "billing %v: %s", args, errText)
	return out
}

// status is the HTTP status the API answers GET /v1/tokens with token.
func (e *operatorEnv) status(t *testing.T, token string) int {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/v1/tokens", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	e.api.ServeHTTP(rec, req)
	return rec.Code
}

type auditRow struct {
	ActorType  string
	ActorID    *uuid.UUID
	Action     string
	EntityType string
	EntityID   *uuid.UUID
	Data       map[string]any
}

func (e *operatorEnv) audit(t *testing.T, accountID string) []auditRow {
	rows, err := e.pool.Query(context.Background(), `SELECT actor_type, actor_id, action, entity_type, entity_id, data
		FROM audit_events WHERE account_id = $1 ORDER BY created_at, id`, accountID)
	require.NoError(t, err)
	defer rows.Close()
	var out []auditRow
	for rows.Next() {
		var r auditRow
		var raw []byte
		require.NoError(t, rows.Scan(&r.ActorType, &r.ActorID, &r.Action, &r.EntityType, &r.EntityID, &raw))
		require.NoError(t, json.Unmarshal(raw, &r.Data))
		out = append(out, r)
	}
	require.NoError(t, rows.Err())
	return out
}

var (
	accountLine = regexp.MustCompile(`(?m)^account (\S+)`)
	tokenLine   = regexp.MustCompile(`(?m)^token\s+(bil_\S+)`)
	idLine      = regexp.MustCompile(`(?m)^id\s+(\S+)`)
)

func (e *operatorEnv) account(t *testing.T, name string) (id, token string) {
	out := e.mustRun(t, "accounts", "create", "--name", name, "--email", "ops@"+strings.ToLower(name)+".test")
	return accountLine.FindStringSubmatch(out)[1], tokenLine.FindStringSubmatch(out)[1]
}

func TestTokensListCreateRevoke(t *testing.T) {
	e := newOperatorEnv(t)
	acct, first := e.account(t, "Acme")
	other, otherToken := e.account(t, "Other")

	expires := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	out := e.mustRun(t, "tokens", "create", "--account", acct, "--email", "ops@acme.test", "--name", "ci deploy", "--expires-at", expires.Format(time.RFC3339))
	assert.Contains(t, out, "shown only this once")
	assert.Contains(t, out, "expires "+expires.Format(time.RFC3339))
	ci, ciID := tokenLine.FindStringSubmatch(out)[1], idLine.FindStringSubmatch(out)[1]
	assert.Equal(t, http.StatusOK, e.status(t, ci), "the new token works at once")

	list := e.mustRun(t, "tokens", "list", "--account", acct)
	assert.Contains(t, list, ciID)
	assert.Contains(t, list, "ci deploy")
	assert.Contains(t, list, "initial token")
	assert.Contains(t, list, expires.Format(time.RFC3339))
	assert.Equal(t, 2, strings.Count(list, "active"), "both tokens are active: %s", list)
	for _, secret := range []string{first, ci, otherToken, "bil_"} {
		assert.NotContains(t, list, secret, "a list never shows a token")
	}
	assert.NotContains(t, e.mustRun(t, "tokens", "list", "--account", other), ciID, "another account's list")

	// Another account cannot revoke it; its owner can, at once.
	code, _, errText := e.run(t, "tokens", "revoke", "--account", other, "--id", ciID)
	assert.Equal(t, 1, code)
	assert.Contains(t, errText, "has no token "+ciID)
	assert.Equal(t, http.StatusOK, e.status(t, ci), "still valid after another account's attempt")
	assert.Contains(t, e.mustRun(t, "tokens", "revoke", "--account", acct, "--id", ciID), "revoked")
	assert.Equal(t, http.StatusUnauthorized, e.status(t, ci), "a revoked token authenticates nobody")
	assert.Equal(t, http.StatusOK, e.status(t, first), "the other token is untouched")
	assert.Contains(t, e.mustRun(t, "tokens", "revoke", "--account", acct, "--id", ciID), "already revoked")
	assert.Regexp(t, ciID+`.*revoked`, e.mustRun(t, "tokens", "list", "--account", acct))

	audit := e.audit(t, acct)
	require.Len(t, audit, 2, "created and revoked once (the second revoke changed nothing)")
	for i, action := range []string{"token.created", "token.revoked"} {
		assert.Equal(t, action, audit[i].Action)
		assert.Equal(t, "operator", audit[i].ActorType)
		assert.Nil(t, audit[i].ActorID)
		assert.Equal(t, "api_token", audit[i].EntityType)
		assert.Equal(t, ciID, audit[i].EntityID.String())
	}
	assert.Equal(t, "ci deploy", audit[0].Data["name"])
	assert.NotContains(t, audit[0].Data, "token")
	assert.Empty(t, e.audit(t, other))
}

func TestTokensCommandsRefuseBadInput(t *testing.T) {
	e := newOperatorEnv(t)
	acct, _ := e.account(t, "Acme")
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no subcommand", []string{"tokens"}, "usage: billing tokens list"},
		{"unknown subcommand", []string{"tokens", "rotate", "--account", acct}, "usage: billing tokens list"},
		{"no account", []string{"tokens", "list"}, "--account (a uuid) is required"},
		{"malformed account", []string{"tokens", "list", "--account", "acme"}, "--account (a uuid) is required"},
		{"unknown account", []string{"tokens", "list", "--account", uuid.NewString()}, "does not exist"},
		{"no email", []string{"tokens", "create", "--account", acct}, "--email is required"},
		{"user of no account", []string{"tokens", "create", "--account", acct, "--email", "x@y.test"}, "has no user x@y.test"},
		{"expiry in the past", []string{"tokens", "create", "--account", acct, "--email", "ops@acme.test", "--expires-at", past}, "must be in the future"},
		{"expiry not RFC 3339", []string{"tokens", "create", "--account", acct, "--email", "ops@acme.test", "--expires-at", "31/01/2027"}, "RFC 3339"},
		{"empty name", []string{"tokens", "create", "--account", acct, "--email", "ops@acme.test", "--name", ""}, "--name must be"},
		{"unknown flag", []string{"tokens", "list", "--account", acct, "--all"}, "flag provided but not defined"},
		{"stray argument", []string{"tokens", "list", "--account", acct, "extra"}, `unexpected argument "extra"`},
		{"revoke without id", []string{"tokens", "revoke", "--account", acct}, "--id"},
		{"revoke unknown id", []string{"tokens", "revoke", "--account", acct, "--id", uuid.NewString()}, "has no token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before int
			require.NoError(t, e.pool.QueryRow(context.Background(), "SELECT (SELECT count(*) FROM api_tokens) + (SELECT count(*) FROM audit_events) + (SELECT count(*) FROM api_tokens WHERE revoked_at IS NOT NULL)").Scan(&before))
			code, out, errText := e.run(t, tt.args...)
			assert.NotEqual(t, 0, code)
			assert.Contains(t, errText, tt.want)
			assert.NotContains(t, out, "bil_")
			var after int
			require.NoError(t, e.pool.QueryRow(context.Background(), "SELECT (SELECT count(*) FROM api_tokens) + (SELECT count(*) FROM audit_events) + (SELECT count(*) FROM api_tokens WHERE revoked_at IS NOT NULL)").Scan(&after))
			assert.Equal(t, before, after, "nothing changed")
		})
	}
}

func TestEnablingAndDisablingBillingIsAudited(t *testing.T) {
	e := newOperatorEnv(t)
	acct, token := e.account(t, "Acme")
	assert.Contains(t, e.mustRun(t, "accounts", "disable-billing", "--account", acct), "billing module disabled")
	assert.Equal(t, http.StatusForbidden, e.status(t, token))
	assert.Contains(t, e.mustRun(t, "accounts", "enable-billing", "--account", acct), "billing module enabled")
	assert.Equal(t, http.StatusOK, e.status(t, token))

	audit := e.audit(t, acct)
	require.Len(t, audit, 2)
	for i, want := range []struct {
		action      string
		now, before bool
	}{{"account.billing_disabled", false, true}, {"account.billing_enabled", true, false}} {
		assert.Equal(t, want.action, audit[i].Action)
		assert.Equal(t, "operator", audit[i].ActorType)
		assert.Equal(t, "account", audit[i].EntityType)
		assert.Equal(t, acct, audit[i].EntityID.String())
		assert.Equal(t, want.now, audit[i].Data["billing_enabled"])
		assert.Equal(t, want.before, audit[i].Data["was_enabled"])
	}

	code, _, errText := e.run(t, "accounts", "disable-billing", "--account", uuid.NewString())
	assert.Equal(t, 1, code)
	assert.Contains(t, errText, "does not exist")
	assert.Len(t, e.audit(t, acct), 2)
}
