package console

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"billing/tenant"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Sign-in asks the API about the token: its refusals are shown as the API words
// them, and nothing is stored for a refused token.
func TestSignInRefusals(t *testing.T) {
	s := newStack(t)
	off, err := tenant.CreateAccount(context.Background(), s.pool, "Off", "ops@off.test", "Ops", false)
	require.NoError(t, err)
	cases := []struct {
		name, token string
		status      int
		message     string
	}{
		{"no token", "", http.StatusUnprocessableEntity, "Paste your API token"},
		{"unknown token", "bil_not-a-token", http.StatusUnauthorized, "The API token is not valid"},
		{"billing module disabled", off.Token, http.StatusForbidden, "billing module is not enabled"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := s.visitor()
			form := v.get("/console/sign-in")
			p := v.post("/console/sign-in", url.Values{"_csrf": {form.csrf(t)}, "token": {tc.token}})
			assert.Equal(t, tc.status, p.Status)
			assert.Contains(t, p.Body, tc.message)
			assert.Equal(t, 0, s.rows("console_sessions"))
		})
	}
	t.Run("a sign-in form without its CSRF token", func(t *testing.T) {
		v := s.visitor()
		v.get("/console/sign-in")
		p := v.post("/console/sign-in", url.Values{"_csrf": {"forged"}, "token": {s.token}})
		assert.Equal(t, http.StatusForbidden, p.Status)
		assert.Equal(t, 0, s.rows("console_sessions"))
	})
}

// The session: a random id in an HttpOnly, SameSite=Strict cookie (Secure behind
// TLS), only its hash stored; it ends with sign-out, with its token, and at expiry.
func TestSessions(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()

	t.Run("the cookie and what is stored", func(t *testing.T) {
		form, err := http.Get(s.url + "/console/sign-in")
		require.NoError(t, err)
		form.Body.Close()
		pre := form.Cookies()[0]
		assert.Equal(t, signInCookie, pre.Name)
		req, _ := http.NewRequest("POST", s.url+"/console/sign-in", strings.NewReader(url.Values{"_csrf": {pre.Value}, "token": {s.token}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-Proto", "https")
		req.AddCookie(pre)
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		var session *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == sessionCookie {
				session = c
			}
		}
		require.NotNil(t, session)
		assert.True(t, session.HttpOnly)
		assert.True(t, session.Secure, "Secure behind TLS")
		assert.Equal(t, http.SameSiteStrictMode, session.SameSite)
		assert.Equal(t, "/console/", session.Path)
		assert.NotContains(t, session.Value, s.token)
		var stored int
		require.NoError(t, s.pool.QueryRow(ctx, "SELECT count(*) FROM console_sessions WHERE id_hash = $1", hashSessionID(session.Value)).Scan(&stored))
		assert.Equal(t, 1, stored, "only the hash of the id is stored")
		var raw int
		require.NoError(t, s.pool.QueryRow(ctx, "SELECT count(*) FROM console_sessions WHERE position($1 in id_hash::text) > 0 OR csrf_token = $1", session.Value).Scan(&raw))
		assert.Equal(t, 0, raw)
	})

	t.Run("sign-out ends it", func(t *testing.T) {
		v := s.visitor()
		home := v.signIn(s.token)
		out := v.post("/console/sign-out", url.Values{"_csrf": {home.csrf(t)}})
		assert.Equal(t, "/console/sign-in", out.URL)
		assert.Contains(t, out.Body, "You are signed out")
		assert.Equal(t, "/console/sign-in", v.get("/console/payees").URL)
	})

	t.Run("a revoked token ends it", func(t *testing.T) {
		other, err := tenant.CreateAccount(ctx, s.pool, "Revoked", "ops@revoked.test", "Ops", true)
		require.NoError(t, err)
		v := s.visitor()
		require.Equal(t, "/console/", v.signIn(other.Token).URL)
		_, err = s.pool.Exec(ctx, "UPDATE api_tokens SET revoked_at = now() WHERE account_id = $1", other.Account.ID)
		require.NoError(t, err)
		p := v.get("/console/payees")
		assert.Equal(t, "/console/sign-in", p.URL)
		assert.Contains(t, p.Body, "its API token was revoked")
		var left int
		require.NoError(t, s.pool.QueryRow(ctx, "SELECT count(*) FROM console_sessions WHERE account_id = $1", other.Account.ID).Scan(&left))
		assert.Equal(t, 0, left)
	})

	t.Run("an expired session is no session", func(t *testing.T) {
		v := s.visitor()
		v.signIn(s.token)
		_, err := s.pool.Exec(ctx, "UPDATE console_sessions SET expires_at = now() - interval '1 second'")
		require.NoError(t, err)
		assert.Equal(t, "/console/sign-in", v.get("/console/contracts").URL)
	})

	t.Run("after sign-in it goes back where it was asked, inside the console only", func(t *testing.T) {
		for next, want := range map[string]string{"/console/payees?q=x": "/console/payees", "//evil.example/": "/console/", "https://evil.example/": "/console/"} {
			v := s.visitor()
			form := v.get("/console/sign-in")
			p := v.post("/console/sign-in", url.Values{"_csrf": {form.csrf(t)}, "token": {s.token}, "next": {next}})
			assert.Equal(t, want, p.URL, next)
		}
	})

	t.Run("a signed-in form without the session's CSRF token changes nothing", func(t *testing.T) {
		v := s.visitor()
		v.signIn(s.token)
		before := s.rows("payees")
		for _, token := range []string{"", "forged"} {
			p := v.post("/console/payees", url.Values{"_csrf": {token}, "name": {"Forjado"}, "person_type": {"person"}, "cpf_cnpj": {"52998224725"}})
			assert.Equal(t, http.StatusForbidden, p.Status)
		}
		assert.Equal(t, before, s.rows("payees"))
	})
}

// Another account's ids are the same 404 page as ids that do not exist, on every
// screen that shows one thing.
func TestAnotherAccountsIDsAreNotFound(t *testing.T) {
	s := newStack(t)
	rival := s.rivalContract()
	v := s.visitor()
	v.signIn(s.token)
	var rivalClient string
	require.NoError(t, s.pool.QueryRow(context.Background(), "SELECT client_id::text FROM contracts WHERE id = $1", rival).Scan(&rivalClient))
	for _, path := range []string{"/console/contracts/" + rival, "/console/contracts/" + rival + "/cancel",
		"/console/contracts/" + rival + "/installments/1", "/console/contracts/" + rival + "/installments/1/mark-paid",
		"/console/clients/" + rivalClient, "/console/contracts/not-a-uuid"} {
		p := v.get(path)
		assert.Equal(t, http.StatusNotFound, p.Status, path)
		assert.Contains(t, p.Body, "was not found.", path)
		assert.NotContains(t, p.Body, "Rival", path)
	}
}
