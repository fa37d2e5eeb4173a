package console

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Settings → API tokens: a new token's secret is shown once and works; a bad expiry
// is the API's field error; Revoke (after a confirmation) stops it; a forged form
// does nothing.
func TestAPITokens(t *testing.T) {
	s := newStack(t)
	v := s.visitor()
	v.signIn(s.token)
	form := v.get("/console/settings/tokens")
	require.Equal(t, http.StatusOK, form.Status, form.Body)
	assert.Contains(t, form.Body, "initial token")
	before := s.rows("api_tokens")

	cases := []struct {
		name   string
		values url.Values
		status int
		want   string
	}{
		{"an expiry that is not a date", url.Values{"name": {"ERP"}, "expires_on": {"amanhã"}}, http.StatusUnprocessableEntity, "must be a date like 31/01/2027"},
		{"an expiry in the past", url.Values{"name": {"ERP"}, "expires_on": {"01/01/2020"}}, http.StatusUnprocessableEntity, "must be in the future"},
		{"no name", url.Values{"name": {""}}, http.StatusUnprocessableEntity, `<small class="field-error">`},
		{"without the CSRF token", url.Values{"name": {"ERP"}, "_csrf": {"forged"}}, http.StatusForbidden, "did not come from this console"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.values.Get("_csrf") == "" {
				tc.values.Set("_csrf", form.csrf(t))
			}
			tc.values.Set("_idem", uuid.NewString())
			p := v.post("/console/settings/tokens", tc.values)
			assert.Equal(t, tc.status, p.Status, p.Body)
			assert.Contains(t, p.Body, tc.want)
			assert.Equal(t, before, s.rows("api_tokens"), "no token made")
		})
	}

	expires := time.Now().In(saoPaulo).AddDate(0, 1, 0).Format("02/01/2006")
	made := v.post("/console/settings/tokens", url.Values{"_csrf": {form.csrf(t)}, "_idem": {form.idem(t)}, "name": {"ERP"}, "expires_on": {expires}})
	require.Equal(t, http.StatusOK, made.Status, made.Body)
	secret := regexp.MustCompile(`id="token-secret">(bil_[^<]+)<`).FindStringSubmatch(made.Body)
	require.NotNil(t, secret, made.Body)
	assert.Contains(t, made.Body, expires+" 00:00")
	assert.NotContains(t, v.get("/console/settings/tokens").Body, secret[1], "shown once")
	other := s.visitor()
	assert.Equal(t, "/console/", other.signIn(secret[1]).URL, "the new token opens the console")

	var list listPage[apiToken]
	s.apiGet("/v1/tokens", &list)
	require.Equal(t, "ERP", list.Data[0].Name)
	id := list.Data[0].ID
	confirm := v.get("/console/settings/tokens/" + id + "/revoke")
	require.Equal(t, http.StatusOK, confirm.Status, confirm.Body)
	assert.Contains(t, confirm.Body, "Revoke the token “ERP”?")
	notFoundPage(t, v.get("/console/settings/tokens/"+uuid.NewString()+"/revoke"), "token")
	revoked := v.post("/console/settings/tokens/"+id+"/revoke", url.Values{"_csrf": {confirm.csrf(t)}, "_idem": {confirm.idem(t)}})
	require.Equal(t, http.StatusOK, revoked.Status, revoked.Body)
	assert.Contains(t, revoked.Body, "Token revoked")
	assert.Equal(t, "/console/sign-in", other.get("/console/").URL, "its session ended with it")
	assert.Equal(t, http.StatusOK, v.get("/console/settings/tokens").Status, "this session's own token still works")
}

// An expiry is typed as a day and sent as the start of that day in São Paulo;
// what is not a day goes to the API as typed, for it to refuse.
func TestTokenExpiryAsTheAPITakesIt(t *testing.T) {
	for typed, want := range map[string]any{
		"31/01/2027": "2027-01-31T00:00:00-03:00", "2027-01-31": "2027-01-31T00:00:00-03:00", " 1/2/2027 ": "2027-02-01T00:00:00-03:00",
		"": nil, "  ": nil, "amanhã": "amanhã",
	} {
		assert.Equal(t, want, expiresAt(typed), typed)
	}
	assert.Equal(t, "expires_at must be a date like 31/01/2027",
		localizeMessage("expires_at must be an RFC 3339 time such as 2027-01-31T00:00:00Z"))
}
