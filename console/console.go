package console

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Options configure the console.
type Options struct {
	// API is the REST API's handler (api.Server.Handler()): every page is rendered
	// from it and every form posted to it, in process.
	API http.Handler
	// Pool holds the sessions (console_sessions).
	Pool   *pgxpool.Pool
	Logger *slog.Logger
	// TemporalUIURL is the Temporal Web UI's base URL, for each contract's
	// workflow link; TemporalNamespace its namespace.
	TemporalUIURL     string
	TemporalNamespace string
	// PublicURL is the base URL Asaas reaches this service at, for the webhook URL
	// the Settings page shows; empty: the URL the browser used.
	PublicURL string
	// SessionTTL is how long a sign-in lasts (default 12 h).
	SessionTTL time.Duration
}

// Console serves the screens.
type Console struct {
	opts  Options
	pages *pages
	mux   *http.ServeMux
}

// New builds the console; it fails only if its embedded templates do not parse.
func New(opts Options) (*Console, error) {
	if opts.SessionTTL <= 0 {
		opts.SessionTTL = 12 * time.Hour
	}
	if opts.TemporalNamespace == "" {
		opts.TemporalNamespace = "default"
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	c := &Console{opts: opts, pages: p, mux: http.NewServeMux()}
	c.routes()
	return c, nil
}

// Mounter is where the console is served: api.Server.
type Mounter interface {
	Mount(path string, h http.Handler)
}

// MountOn serves the console under /console/ of srv, and the root page "/" as a
// redirect to it.
func (c *Console) MountOn(srv Mounter) {
	srv.Mount("/console/", c)
	srv.Mount("/console", http.RedirectHandler("/console/", http.StatusSeeOther))
	srv.Mount("/", http.RedirectHandler("/console/", http.StatusSeeOther))
}

// ServeHTTP serves every /console/ path, with the security headers on every answer.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	c.mux.ServeHTTP(w, r)
}

// ContentSecurityPolicy is every console answer's policy: only this origin's own
// scripts, styles, images (and the PIX QR code's data: image), fetches to this
// origin, forms posted here, no framing. No inline script or style is allowed, so
// the pages have none.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// exchange is one request of a signed-in user.
type exchange struct {
	c *Console
	w http.ResponseWriter
	r *http.Request
	s *session
}

// handlerFunc serves one page; an error it returns is rendered as the error page
// (a *problem from the API with its status: 404 is the same page for a missing id
// and another account's).
type handlerFunc func(x *exchange) error

// page registers a signed-in route: GET renders, POST must carry the session's CSRF
// token.
func (c *Console) page(pattern string, h handlerFunc) {
	c.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		s, err := c.currentSession(r)
		if err != nil {
			c.opts.Logger.Error("console session", "err", err)
			c.errorPage(w, r, nil, http.StatusInternalServerError, "Something went wrong on our side; nothing was changed. Try again later.")
			return
		}
		if s == nil {
			c.toSignIn(w, r, "")
			return
		}
		x := &exchange{c: c, w: w, r: r, s: s}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
			if err := r.ParseForm(); err != nil || !validCSRF(r, s) {
				c.errorPage(w, r, s, http.StatusForbidden, "This form expired or did not come from this console, so nothing was changed. Reload the page and try again.")
				return
			}
		}
		if err := h(x); err != nil {
			c.fail(x, err)
		}
	})
}

// fail renders what went wrong: the API's problem, or a logged 500.
func (c *Console) fail(x *exchange, err error) {
	var p *problem
	if !errors.As(err, &p) {
		c.opts.Logger.Error("console page", "method", x.r.Method, "path", x.r.URL.Path, "err", err)
		c.errorPage(x.w, x.r, x.s, http.StatusInternalServerError, "Something went wrong on our side; nothing was changed. Try again later.")
		return
	}
	if p.Status == http.StatusUnauthorized { // the token was revoked or expired: the session is over
		_ = c.closeSession(x.r.Context(), x.s)
		clearCookie(x.w, x.r, sessionCookie)
		c.toSignIn(x.w, x.r, "ended")
		return
	}
	detail := p.Detail
	if detail == "" {
		detail = p.Title
	}
	c.errorPage(x.w, x.r, x.s, p.Status, detail)
}

// toSignIn sends the browser to the sign-in page, back here afterwards.
func (c *Console) toSignIn(w http.ResponseWriter, r *http.Request, reason string) {
	q := url.Values{}
	if r.Method == http.MethodGet && r.URL.Path != "/console/" {
		q.Set("next", r.URL.RequestURI())
	}
	if reason != "" {
		q.Set("reason", reason)
	}
	target := "/console/sign-in"
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// safeNext keeps a post-sign-in redirect inside the console.
func safeNext(next string) string {
	if strings.HasPrefix(next, "/console/") && !strings.HasPrefix(next, "//") && !strings.ContainsAny(next, "\\\r\n") {
		return next
	}
	return "/console/"
}

// redirect answers a successful POST with a GET of target (post/redirect/get),
// carrying a flash message key.
func (x *exchange) redirect(target, flash string) {
	if flash != "" {
		sep := "?"
		if strings.Contains(target, "?") {
			sep = "&"
		}
		target += sep + "flash=" + url.QueryEscape(flash)
	}
	http.Redirect(x.w, x.r, target, http.StatusSeeOther)
}

// get reads path from the API into out; an answer other than 2xx is returned as
// its *problem.
func (x *exchange) get(path string, out any) error {
	a, err := x.c.call(x.r, x.s, http.MethodGet, path, nil, "")
	if err != nil {
		return err
	}
	if !a.ok() {
		return a.failure()
	}
	return a.decode(out)
}

// send makes a writing request; the caller looks at the answer (a 422 goes back to
// the form, field by field).
func (x *exchange) send(method, path string, body any) (*answer, error) {
	return x.c.call(x.r, x.s, method, path, body, x.r.PostFormValue(idempotencyField))
}

// failure is the error of a non-2xx answer.
func (a *answer) failure() error {
	if a.Problem != nil {
		if a.Problem.Status == 0 {
			a.Problem.Status = a.Status
		}
		return a.Problem
	}
	return &problem{Status: a.Status, Title: http.StatusText(a.Status), Detail: http.StatusText(a.Status)}
}

// idempotencyField carries a key generated when a form is rendered; the console
// sends it as the Idempotency-Key of what the form does, so a form submitted twice
// (a double click, a reload) acts once.
const idempotencyField = "_idem"
