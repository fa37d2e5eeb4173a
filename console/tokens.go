package console

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Settings → API tokens (GET/POST /v1/tokens, DELETE /v1/tokens/{id}): the
// account's tokens without their secrets, a new one for the signed-in user with its
// secret shown once (on the answer to the form, never in a URL), and Revoke after a
// confirmation. Revoking the token this session was opened with ends the session.

type apiToken struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	UserEmail string     `json:"user_email"`
	Status    string     `json:"status"` // active | expired | revoked
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt *time.Time `json:"expires_at"`
	RevokedAt *time.Time `json:"revoked_at"`
	// Token is the secret, set only in the answer that created it (null on a replay).
	Token *string `json:"token"`
}

type tokensPage struct {
	Tokens  []apiToken
	Next    string
	Key     string
	Values  map[string]string
	Created *apiToken // just created: its secret is shown this once
}

func listTokens(x *exchange) error {
	return x.renderTokens(http.StatusOK, &tokensPage{Key: newKeyString(), Values: map[string]string{}}, nil)
}

func (x *exchange) renderTokens(status int, d *tokensPage, p *problem) error {
	var page listPage[apiToken]
	if err := x.get("/v1/tokens?"+x.query().Encode(), &page); err != nil {
		return err
	}
	d.Tokens, d.Next = page.Data, x.nextURL(page.NextCursor)
	x.render(status, "tokens", &view{Title: "API tokens", Nav: "settings", Data: d, Problem: p})
	return nil
}

// expiresAt is the API's form of an expiry typed as a day: the start of that day
// in São Paulo; anything else is passed on as typed, for the API to judge.
func expiresAt(typed string) any {
	v := strings.TrimSpace(typed)
	if v == "" {
		return nil
	}
	day, err := time.ParseInLocation(time.DateOnly, parseDateInput(v), saoPaulo)
	if err != nil {
		return v
	}
	return day.Format(time.RFC3339)
}

func createToken(x *exchange) error {
	values := formValues(x.r, []string{"name", "expires_on"})
	a, err := x.send(http.MethodPost, "/v1/tokens", map[string]any{"name": values["name"], "expires_at": expiresAt(values["expires_on"])})
	if err != nil {
		return err
	}
	if a.ok() {
		var t apiToken
		if err := a.decode(&t); err != nil {
			return err
		}
		return x.renderTokens(http.StatusOK, &tokensPage{Key: newKeyString(), Values: map[string]string{}, Created: &t}, nil)
	}
	if a.Problem == nil || (a.Status != http.StatusUnprocessableEntity && a.Status != http.StatusBadRequest) {
		return a.failure()
	}
	if errs := a.Problem.Errors; len(errs) > 0 {
		for i := range errs {
			if errs[i].Field == "expires_at" { // the form's field
				errs[i].Field = "expires_on"
			}
		}
	}
	return x.renderTokens(a.Status, &tokensPage{Key: x.r.PostFormValue(idempotencyField), Values: values}, a.Problem)
}

// tokenOf finds a token of the account by id in its list (the API has no GET of
// one token); a missing id is the 404 page.
func (x *exchange) tokenOf(id string) (*apiToken, error) {
	q := url.Values{"limit": {"200"}}
	for {
		var page listPage[apiToken]
		if err := x.get("/v1/tokens?"+q.Encode(), &page); err != nil {
			return nil, err
		}
		for i := range page.Data {
			if page.Data[i].ID == id {
				return &page.Data[i], nil
			}
		}
		if page.NextCursor == nil {
			return nil, &problem{Status: http.StatusNotFound, Title: "Not found", Detail: "token was not found."}
		}
		q.Set("cursor", *page.NextCursor)
	}
}

func revokeTokenForm(x *exchange) error {
	t, err := x.tokenOf(x.r.PathValue("id"))
	if err != nil {
		return err
	}
	x.render(http.StatusOK, "token_revoke", &view{Title: "Revoke token", Nav: "settings", Data: map[string]any{"T": t, "Key": newKeyString()}})
	return nil
}

func revokeToken(x *exchange) error {
	a, err := x.send(http.MethodDelete, "/v1/tokens/"+url.PathEscape(x.r.PathValue("id")), nil)
	if err != nil {
		return err
	}
	if !a.ok() {
		return a.failure()
	}
	x.redirect("/console/settings/tokens", "token-revoked")
	return nil
}
