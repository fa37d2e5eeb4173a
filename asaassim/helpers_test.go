package asaassim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// captureDay is the anchor date of every sandbox capture.
var captureDay = time.Date(2026, 7, 14, 10, 30, 0, 0, saoPaulo)

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

// newSim starts a simulator with the clock pinned to the capture day (unless
// opts sets one) behind an httptest server.
func newSim(t *testing.T, opts Options) (*Server, *httptest.Server) {
	t.Helper()
	if opts.Now == nil {
		opts.Now = fixedClock(captureDay)
	}
	if opts.Seed == 0 {
		opts.Seed = 42
	}
	s := New(opts)
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		ts.Close()
		s.Close()
	})
	return s, ts
}

// client calls the simulator as one account.
type client struct {
	t    *testing.T
	base string
	key  string
}

func newClient(t *testing.T, ts *httptest.Server, key string) *client {
	return &client{t: t, base: ts.URL, key: key}
}

// do sends a JSON request and returns the status and raw body.
func (c *client) do(method, path string, body any) (int, []byte) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		require.NoError(c.t, err)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	require.NoError(c.t, err)
	req.Header.Set("Content-Type", "application/json")
	if c.key != "" {
		req.Header.Set("access_token", c.key)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	return resp.StatusCode, raw
}

// ok sends a request that must answer 200 and decodes the body into a map.
func (c *client) ok(method, path string, body any) map[string]any {
	c.t.Helper()
	status, raw := c.do(method, path, body)
	require.Equal(c.t, http.StatusOK, status, "%s %s: %s", method, path, raw)
	var out map[string]any
	require.NoError(c.t, json.Unmarshal(raw, &out))
	return out
}

// fail sends a request that must fail with status and returns the error code.
func (c *client) fail(status int, method, path string, body any) (code, description string) {
	c.t.Helper()
	got, raw := c.do(method, path, body)
	require.Equal(c.t, status, got, "%s %s: %s", method, path, raw)
	var out struct {
		Errors []struct{ Code, Description string }
	}
	require.NoError(c.t, json.Unmarshal(raw, &out), string(raw))
	require.Len(c.t, out.Errors, 1, string(raw))
	return out.Errors[0].Code, out.Errors[0].Description
}

// customer creates a customer with a valid CPF and returns its id.
func (c *client) customer() string {
	c.t.Helper()
	return c.ok("POST", "/v3/customers", map[string]any{"name": "Cliente Teste", "cpfCnpj": "24971563792"})["id"].(string)
}

// charge creates a charge from body (customer filled in) and returns it.
func (c *client) charge(customer string, body map[string]any) map[string]any {
	c.t.Helper()
	body["customer"] = customer
	if _, ok := body["dueDate"]; !ok {
		body["dueDate"] = "2026-07-24"
	}
	return c.ok("POST", "/v3/payments", body)
}

func (c *client) payment(id string) map[string]any {
	c.t.Helper()
	return c.ok("GET", "/v3/payments/"+id, nil)
}

// splitsOf returns the split[] items of a decoded payment.
func splitsOf(t *testing.T, p map[string]any) []map[string]any {
	t.Helper()
	raw, ok := p["split"].([]any)
	require.True(t, ok, "payment has no split: %v", p)
	out := make([]map[string]any, len(raw))
	for i, r := range raw {
		out[i] = r.(map[string]any)
	}
	return out
}

func splitStatuses(t *testing.T, p map[string]any) []string {
	t.Helper()
	var out []string
	for _, sp := range splitsOf(t, p) {
		out = append(out, sp["status"].(string))
	}
	return out
}

func jsonBody(t *testing.T, v any) io.Reader {
	t.Helper()
	raw, err := json.Marshal(v)
	require.NoError(t, err)
	return bytes.NewReader(raw)
}
