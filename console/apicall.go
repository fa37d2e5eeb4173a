package console

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"billing/api"
)

// The console's only way to read or change anything: a request to the REST API,
// served in process by the API's own handler as the signed-in user's token
// (api.WithTokenHash). Nothing here decides anything; the answer is the API's.

// answer is the API's response to one in-process request.
type answer struct {
	Status  int
	Header  http.Header
	Body    []byte
	Problem *problem // set when the API answered application/problem+json
}

func (a *answer) ok() bool { return a.Status >= 200 && a.Status < 300 }

// decode reads a JSON answer into out.
func (a *answer) decode(out any) error {
	if err := json.Unmarshal(a.Body, out); err != nil {
		return fmt.Errorf("console: decode API answer (%d): %w", a.Status, err)
	}
	return nil
}

// problem is an RFC 9457 answer of the API, with its field-level errors.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

// fields maps each field the problem names to its message(s).
func (p *problem) fields() map[string]string {
	out := map[string]string{}
	if p == nil {
		return out
	}
	for _, e := range p.Errors {
		msg := localizeMessage(e.Message)
		if prev, ok := out[e.Field]; ok {
			msg = prev + "; " + msg
		}
		out[e.Field] = msg
	}
	return out
}

// Error makes a problem an error (a page that cannot be rendered because of it).
func (p *problem) Error() string { return fmt.Sprintf("%d %s: %s", p.Status, p.Title, p.Detail) }

// recorder is the http.ResponseWriter the API writes an in-process answer to.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(b)
}
func (r *recorder) Flush() {}

// call sends one request to the API as the session's user. body is JSON-encoded
// (nil: none); idempotencyKey, when set, is sent as Idempotency-Key. from is the
// browser's request: its context and client address go along.
func (c *Console) call(from *http.Request, s *session, method, path string, body any, idempotencyKey string) (*answer, error) {
	return c.callAs(from, api.WithTokenHash(from.Context(), s.tokenHash), "", method, path, body, idempotencyKey)
}

// callAs is call with an explicit context and bearer token (sign-in checks a token
// the user typed, before any session exists).
func (c *Console) callAs(from *http.Request, ctx context.Context, bearer, method, path string, body any, idempotencyKey string) (*answer, error) {
	var reader io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		reader = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, path, reader)
	if err != nil {
		return nil, err
	}
	if req.Body == nil {
		req.Body = http.NoBody // as a server request has
	}
	req.RemoteAddr = from.RemoteAddr
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	if idempotencyKey != "" {
		req.Header.Set("Idempotency-Key", idempotencyKey)
	}
	rec := &recorder{header: http.Header{}}
	c.opts.API.ServeHTTP(rec, req)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	a := &answer{Status: rec.status, Header: rec.header, Body: rec.body.Bytes()}
	if strings.HasPrefix(rec.header.Get("Content-Type"), "application/problem+json") {
		var p problem
		if err := json.Unmarshal(a.Body, &p); err != nil {
			return nil, fmt.Errorf("console: decode API problem (%d): %w", a.Status, err)
		}
		a.Problem = &p
	}
	return a, nil
}
