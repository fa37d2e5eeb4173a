package asaas

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Base URLs of the two Asaas environments. API paths start with /v3.
const (
	SandboxURL    = "https://api-sandbox.asaas.com"
	ProductionURL = "https://api.asaas.com"
)

// Environments, as stored in an account's Asaas settings.
const (
	EnvironmentSandbox    = "sandbox"
	EnvironmentProduction = "production"
)

// DefaultUserAgent is sent when Options.UserAgent is empty.
const DefaultUserAgent = "billing/1.0"

// DefaultTimeout bounds every request, also inside a longer caller deadline (an
// activity's minute): a call that hangs is cut and retried rather than eating the
// whole attempt. Asaas answers in well under a second; 20 s leaves room for its
// slow moments.
const DefaultTimeout = 20 * time.Second

// maxBodyBytes caps how much of a response is read (a list of 100 payments is ~150 KB).
const maxBodyBytes = 10 << 20

// ErrInvalidRequest marks a request refused before it was sent (missing id,
// missing externalReference, bad options). It is never retryable.
var ErrInvalidRequest = errors.New("asaas: invalid request")

// BaseURLFor returns the base URL of an environment: "sandbox" or "production".
func BaseURLFor(environment string) (string, error) {
	switch environment {
	case EnvironmentSandbox:
		return SandboxURL, nil
	case EnvironmentProduction:
		return ProductionURL, nil
	}
	return "", fmt.Errorf("%w: unknown environment %q (want %q or %q)",
		ErrInvalidRequest, environment, EnvironmentSandbox, EnvironmentProduction)
}

// Options configure a Client.
type Options struct {
	BaseURL    string // SandboxURL, ProductionURL or the simulator's URL
	APIKey     string // sent as the access_token header
	UserAgent  string // default DefaultUserAgent
	HTTPClient *http.Client
	// Timeout bounds each request (the caller's deadline still applies when earlier); default DefaultTimeout.
	Timeout time.Duration
}

// Client calls the Asaas v3 API of one account. It is safe for concurrent use.
type Client struct {
	baseURL   string
	apiKey    string
	userAgent string
	http      *http.Client
	timeout   time.Duration
}

// New returns a client. Options are checked when a request is made, so that
// a misconfigured account fails its calls with a clear, non-retryable error.
func New(o Options) *Client {
	c := &Client{
		baseURL:   strings.TrimRight(o.BaseURL, "/"),
		apiKey:    o.APIKey,
		userAgent: o.UserAgent,
		http:      o.HTTPClient,
		timeout:   o.Timeout,
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}
	if c.http == nil {
		c.http = &http.Client{}
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	return c
}

// TestConnection checks the base URL and the API key with the cheapest
// authenticated call there is (GET /v3/customers?limit=1).
func (c *Client) TestConnection(ctx context.Context) error {
	q := url.Values{"limit": {"1"}}
	return c.do(ctx, "test connection", http.MethodGet, "/v3/customers", q, nil, nil)
}

// do sends one request and decodes a 2xx answer into out (when not nil).
// Every failure is an *Error, except requests refused before sending
// (ErrInvalidRequest).
func (c *Client) do(ctx context.Context, op, method, path string, query url.Values, body, out any) error {
	target, err := c.url(path, query)
	if err != nil {
		return err
	}
	if c.apiKey == "" {
		return fmt.Errorf("%w: %s: no API key", ErrInvalidRequest, op)
	}
	var reqBody io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("%w: %s: encode body: %v", ErrInvalidRequest, op, err)
		}
		reqBody = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout) // the earlier of the two deadlines wins
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, target, reqBody)
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrInvalidRequest, op, err)
	}
	req.Header.Set("access_token", c.apiKey)
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")

	resp, err := c.http.Do(req)
	if err != nil {
		return &Error{Op: op, Err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes))
	if err != nil {
		return &Error{Op: op, Err: fmt.Errorf("read response: %w", err)}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return responseError(op, resp, raw, time.Now())
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return &Error{Op: op, StatusCode: resp.StatusCode, Err: fmt.Errorf("decode response: %w", err), Body: snippet(raw)}
	}
	return nil
}

func (c *Client) url(path string, query url.Values) (string, error) {
	if c.baseURL == "" {
		return "", fmt.Errorf("%w: no base URL", ErrInvalidRequest)
	}
	u, err := url.Parse(c.baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%w: base URL %q is not an http(s) URL", ErrInvalidRequest, c.baseURL)
	}
	s := c.baseURL + path
	if len(query) > 0 {
		s += "?" + query.Encode()
	}
	return s, nil
}

// pathID escapes an id for a path segment and refuses an empty one, which
// would silently turn "get payment X" into "list payments".
func pathID(op, what, id string) (string, error) {
	if strings.TrimSpace(id) == "" {
		return "", fmt.Errorf("%w: %s: empty %s id", ErrInvalidRequest, op, what)
	}
	return url.PathEscape(id), nil
}

func setString(v url.Values, key, val string) {
	if val != "" {
		v.Set(key, val)
	}
}

func setPage(v url.Values, offset, limit int) {
	if offset > 0 {
		v.Set("offset", strconv.Itoa(offset))
	}
	if limit > 0 {
		v.Set("limit", strconv.Itoa(limit))
	}
}
