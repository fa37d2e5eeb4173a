package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// HTMLContentSecurityPolicy is the policy of every HTML answer: only this origin's
// own scripts, styles, images, fonts and fetches; no plugins, no inline script, no
// framing, forms post only here. Pages (the console under /console/) serve their
// scripts and styles as files.
const HTMLContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// SetHTMLSecurityHeaders sets what an HTML answer needs besides securityHeaders:
// the CSP, no framing (for browsers without frame-ancestors) and no referrer.
// securityHeaders calls it for any text/html answer that did not set its own CSP.
func SetHTMLSecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", HTMLContentSecurityPolicy)
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
}

// securityHeaders is the first middleware of every route: X-Content-Type-Options:
// nosniff and Cache-Control: no-store (every answer of this API is one account's
// data or a check of the moment; a route serving cacheable files may override it),
// and the HTML headers on any answer whose Content-Type is text/html.
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	c.Writer = &htmlGuard{ResponseWriter: c.Writer}
	c.Next()
}

// htmlGuard adds the HTML headers just before the headers are sent, when the answer
// turns out to be HTML.
type htmlGuard struct {
	gin.ResponseWriter
	checked bool
}

func (w *htmlGuard) beforeHeaders() {
	if w.checked || w.Written() {
		return
	}
	w.checked = true
	h := w.Header()
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(h.Get("Content-Type"))), "text/html") && h.Get("Content-Security-Policy") == "" {
		SetHTMLSecurityHeaders(h)
	}
}

func (w *htmlGuard) WriteHeaderNow() {
	w.beforeHeaders()
	w.ResponseWriter.WriteHeaderNow()
}

func (w *htmlGuard) Write(b []byte) (int, error) {
	w.beforeHeaders()
	return w.ResponseWriter.Write(b)
}

func (w *htmlGuard) WriteString(s string) (int, error) {
	w.beforeHeaders()
	return w.ResponseWriter.WriteString(s)
}

func (w *htmlGuard) Flush() {
	w.beforeHeaders()
	w.ResponseWriter.Flush()
}
