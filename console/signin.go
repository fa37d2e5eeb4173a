package console

import (
	"net/http"
	"strings"

	"billing/db/dbgen"
	"billing/tenant"
)

// Sign-in with an API token. The token is checked by the API itself (a request
// with it as bearer: 401 and 403 are the API's answers, shown as they come), then a
// session is opened that names the token; the token is not kept anywhere.

type signInData struct {
	Next, Reason string
}

var signInReasons = map[string]string{
	"ended": "Your session ended: its API token was revoked or has expired. Sign in again.",
}

func (c *Console) signInForm(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if s, err := c.currentSession(r); err == nil && s != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	v := &view{Title: "Sign in", CSRF: signInToken(w, r), Flash: flashMessages[r.URL.Query().Get("flash")],
		Data: signInData{Next: safeNext(r.URL.Query().Get("next")), Reason: signInReasons[r.URL.Query().Get("reason")]}}
	c.write(w, http.StatusOK, "signin", v)
}

func (c *Console) signIn(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil || !validSignInCSRF(r) {
		c.errorPage(w, r, nil, http.StatusForbidden, "This form expired or did not come from this console, so nothing was changed. Reload the page and try again.")
		return
	}
	token := strings.TrimSpace(r.PostFormValue("token"))
	next := safeNext(r.PostFormValue("next"))
	refuse := func(status int, msg string) {
		v := &view{Title: "Sign in", CSRF: signInToken(w, r), Fields: map[string]string{"token": msg}, Data: signInData{Next: next}}
		c.write(w, status, "signin", v)
	}
	if token == "" {
		refuse(http.StatusUnprocessableEntity, "Paste your API token (it starts with bil_).")
		return
	}
	// The API decides whether the token may be used (valid, not revoked, billing enabled).
	a, err := c.callAs(r, r.Context(), token, http.MethodGet, "/v1/users?limit=1", nil, "")
	if err != nil {
		c.opts.Logger.Error("console sign-in", "err", err)
		c.errorPage(w, r, nil, http.StatusInternalServerError, "Something went wrong on our side; try again later.")
		return
	}
	if !a.ok() {
		msg := http.StatusText(a.Status)
		if a.Problem != nil {
			msg = a.Problem.Detail
		}
		refuse(a.Status, msg)
		return
	}
	owner, err := dbgen.New(c.opts.Pool).AuthenticateToken(r.Context(), tenant.HashToken(token))
	if err != nil { // revoked between the two reads: as if it had been before
		refuse(http.StatusUnauthorized, "The API token is not valid or was revoked.")
		return
	}
	id, err := c.openSession(r.Context(), owner)
	if err != nil {
		c.opts.Logger.Error("console sign-in", "err", err)
		c.errorPage(w, r, nil, http.StatusInternalServerError, "Something went wrong on our side; try again later.")
		return
	}
	c.setSessionCookie(w, r, id)
	clearCookie(w, r, signInCookie)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func signOut(x *exchange) error {
	if err := x.c.closeSession(x.r.Context(), x.s); err != nil {
		return err
	}
	clearCookie(x.w, x.r, sessionCookie)
	http.Redirect(x.w, x.r, "/console/sign-in?flash=signed-out", http.StatusSeeOther)
	return nil
}
