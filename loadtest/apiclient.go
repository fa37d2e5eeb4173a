package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// apiClient speaks to the billing API as a user (bearer token) and as Asaas
// (webhooks with the account's token).
type apiClient struct {
	base          string
	token         string
	webhookSecret string
	http          *http.Client
}

func newHTTPClient() *http.Client {
	return &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{
		MaxIdleConns: 256, MaxIdleConnsPerHost: 256, IdleConnTimeout: 90 * time.Second}}
}

type apiError struct {
	Method, Path string
	Status       int
	Body         string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%s %s: HTTP %d: %s", e.Method, e.Path, e.Status, e.Body)
}

// call sends a JSON request; it fails unless the status is one of ok (default 200/201).
func (c *apiClient) call(ctx context.Context, method, path string, body, out any, ok ...int) (int, error) {
	return c.callWith(ctx, method, path, body, out, nil, ok...)
}

// callWith is call with extra headers (name, value pairs).
func (c *apiClient) callWith(ctx context.Context, method, path string, body, out any, headers []string, ok ...int) (int, error) {
	var reader io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		reader = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, reader)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if len(ok) == 0 {
		ok = []int{http.StatusOK, http.StatusCreated}
	}
	for _, s := range ok {
		if resp.StatusCode == s {
			if out != nil && len(raw) > 0 {
				if err := json.Unmarshal(raw, out); err != nil {
					return resp.StatusCode, fmt.Errorf("%s %s: decode: %w", method, path, err)
				}
			}
			return resp.StatusCode, nil
		}
	}
	return resp.StatusCode, &apiError{Method: method, Path: path, Status: resp.StatusCode, Body: string(raw)}
}

// webhook posts one Asaas delivery to /webhooks/asaas and returns the status.
func (c *apiClient) webhook(ctx context.Context, raw []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/webhooks/asaas", bytes.NewReader(raw))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("asaas-access-token", c.webhookSecret)
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// deliver posts a webhook and insists on 200, as Asaas counts only 200 delivered.
func (c *apiClient) deliver(ctx context.Context, raw []byte) error {
	status, err := c.webhook(ctx, raw)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("webhook answered HTTP %d", status)
	}
	return nil
}
