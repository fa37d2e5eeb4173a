package console

import (
	"crypto/subtle"
	"net/http"
)

// CSRF. Every form carries a token in the hidden field csrfField: the session's own
// (a synchronizer token kept in console_sessions) once signed in, and on the
// sign-in form a random value that must match the signInCookie (double submit),
// since there is no session yet. SameSite=Strict cookies already keep other sites'
// forms from arriving signed in; the token refuses them even where that fails.

const (
	csrfField    = "_csrf"
	signInCookie = "billing_console_signin"
)

func sameToken(a, b string) bool {
	return a != "" && b != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// validCSRF checks a signed-in POST.
func validCSRF(r *http.Request, s *session) bool {
	return sameToken(r.PostFormValue(csrfField), s.CSRF)
}

// signInToken returns the sign-in form's token, setting its cookie when missing.
func signInToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(signInCookie); err == nil && len(c.Value) >= 32 && len(c.Value) <= 100 {
		return c.Value
	}
	token := randomToken()
	http.SetCookie(w, &http.Cookie{Name: signInCookie, Value: token, Path: "/console/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: secureRequest(r), MaxAge: 3600})
	return token
}

// validSignInCSRF checks the sign-in POST against its cookie.
func validSignInCSRF(r *http.Request) bool {
	c, err := r.Cookie(signInCookie)
	return err == nil && sameToken(r.PostFormValue(csrfField), c.Value)
}
