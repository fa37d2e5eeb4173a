package asaas

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrorItem is one entry of Asaas' error body {"errors":[{code,description}]}.
// Descriptions are in Portuguese.
type ErrorItem struct {
	Code        string `json:"code"`
	Description string `json:"description"`
}

// Error is a failed call: an HTTP answer outside 2xx (StatusCode and, when
// the body had them, Errors), an undecodable 2xx body (StatusCode 2xx, Err),
// or a transport failure (StatusCode 0, Err: timeout, connection refused...).
type Error struct {
	Op         string        // what was attempted, e.g. "create payment"
	StatusCode int           // 0 when no answer was received
	Errors     []ErrorItem   // Asaas' own error items, if the body had them
	RetryAfter time.Duration // from Retry-After / RateLimit-Reset; 0 if none
	Body       string        // start of a body that was not Asaas' error shape
	Err        error         // transport or decoding failure
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("asaas: ")
	b.WriteString(e.Op)
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, ": HTTP %d", e.StatusCode)
	}
	for i, it := range e.Errors {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(it.Code)
		if it.Description != "" {
			b.WriteString(": ")
			b.WriteString(it.Description)
		}
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	if len(e.Errors) == 0 && e.Body != "" {
		fmt.Fprintf(&b, " (body: %q)", e.Body)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// HasCode reports whether Asaas returned the error code (e.g. "invalid_customer").
func (e *Error) HasCode(code string) bool {
	for _, it := range e.Errors {
		if it.Code == code {
			return true
		}
	}
	return false
}

// Retryable reports whether sending the same request again may succeed.
func (e *Error) Retryable() bool {
	switch {
	case e.StatusCode == 0:
		// No answer: a timeout, a refused or reset connection. Only a caller
		// that cancelled on purpose should not try again.
		return !errors.Is(e.Err, context.Canceled)
	case e.StatusCode >= 200 && e.StatusCode <= 299:
		// The call worked but its answer did not decode: a truncated body or
		// a proxy page is transient, and a schema change is fixed by a deploy
		// that the retry then picks up. Reads are idempotent; creations go
		// through Ensure*, which finds what the first attempt created.
		return true
	case e.StatusCode == http.StatusTooManyRequests, e.StatusCode == http.StatusRequestTimeout:
		return true
	case e.StatusCode >= 500:
		return true
	}
	// 400 validation, 401 bad key, 403, 404, 409, 422...: the same request
	// gets the same answer.
	return false
}

// IsRetryable reports whether err is worth retrying: HTTP 408, 429 and 5xx,
// timeouts, connection failures and undecodable answers are; 4xx validation
// errors, requests refused before sending and cancellations are not.
func IsRetryable(err error) bool {
	if err == nil {
		return false
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Retryable()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	return false
}

// IsNotFound reports whether Asaas answered 404 (unknown or foreign id).
func IsNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.StatusCode == http.StatusNotFound
}

// responseError builds the *Error of a non-2xx answer.
func responseError(op string, resp *http.Response, raw []byte, now time.Time) *Error {
	e := &Error{Op: op, StatusCode: resp.StatusCode}
	var body struct {
		Errors []ErrorItem `json:"errors"`
	}
	if err := json.Unmarshal(raw, &body); err == nil && len(body.Errors) > 0 {
		e.Errors = body.Errors
	} else {
		e.Body = snippet(raw)
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		e.RetryAfter = retryAfter(resp.Header, now)
	}
	return e
}

// retryAfter reads the wait Asaas asks for: Retry-After (seconds or an HTTP
// date) and RateLimit-Reset (seconds until the window resets). With both,
// the longer wins, so that a retry never lands inside the window.
func retryAfter(h http.Header, now time.Time) time.Duration {
	var d time.Duration
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if secs, err := strconv.ParseInt(v, 10, 64); err == nil && secs > 0 {
			d = time.Duration(secs) * time.Second
		} else if t, err := http.ParseTime(v); err == nil && t.After(now) {
			d = t.Sub(now)
		}
	}
	if v := strings.TrimSpace(h.Get("RateLimit-Reset")); v != "" {
		if secs, err := strconv.ParseInt(v, 10, 64); err == nil && secs > 0 {
			d = max(d, time.Duration(secs)*time.Second)
		}
	}
	return d
}

// snippet is the start of a body, for error messages.
func snippet(raw []byte) string {
	const n = 200
	s := strings.TrimSpace(string(raw))
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
