package asaas_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"billing/asaas"
)

func TestIsRetryableByStatus(t *testing.T) {
	cases := []struct {
		status    int
		body      string
		retryable bool
	}{
		{400, `{"errors":[{"code":"invalid_customer","description":"Customer inválido ou não informado."}]}`, false},
		{401, `{"errors":[{"code":"invalid_access_token","description":"A chave de API fornecida é inválida"}]}`, false},
		{401, ``, false},
		{403, `{"errors":[{"code":"forbidden","description":"x"}]}`, false},
		{404, `{"errors":[{"code":"not_found","description":"x"}]}`, false},
		{409, `{"errors":[{"code":"conflict","description":"x"}]}`, false},
		{422, `{"errors":[{"code":"invalid","description":"x"}]}`, false},
		{408, ``, true},
		{429, `{"errors":[{"code":"rate_limit","description":"x"}]}`, true},
		{500, `{"errors":[{"code":"internal","description":"x"}]}`, true},
		{500, `<html>Internal Server Error</html>`, true},
		{502, `<html><body>Bad Gateway</body></html>`, true},
		{503, ``, true},
		{504, `not json`, true},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%d %.20s", tc.status, tc.body), func(t *testing.T) {
			_, srv := newRecorder(t, cannedResponse{status: tc.status, body: tc.body})
			_, err := newClient(srv).GetPayment(context.Background(), "pay_1")
			require.Error(t, err)
			var e *asaas.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.status, e.StatusCode)
			assert.Equal(t, tc.retryable, asaas.IsRetryable(err))
			assert.Contains(t, err.Error(), fmt.Sprintf("HTTP %d", tc.status))
		})
	}
}

func TestIsRetryableWithoutAnAnswer(t *testing.T) {
	t.Run("connection refused", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := l.Addr().String()
		require.NoError(t, l.Close())
		c := asaas.New(asaas.Options{BaseURL: "http://" + addr, APIKey: testKey})
		err = c.TestConnection(context.Background())
		require.Error(t, err)
		var e *asaas.Error
		require.ErrorAs(t, err, &e)
		assert.Zero(t, e.StatusCode)
		assert.True(t, asaas.IsRetryable(err))
		assert.Contains(t, err.Error(), "asaas: test connection: ")
	})
	t.Run("caller deadline", func(t *testing.T) {
		srv := hangingServer(t)
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		_, err := newClient(srv).GetPayment(ctx, "pay_1")
		require.Error(t, err)
		assert.ErrorIs(t, err, context.DeadlineExceeded, "the caller's deadline ended the call")
		assert.True(t, asaas.IsRetryable(err))
	})
	t.Run("default timeout when the context has no deadline", func(t *testing.T) {
		srv := hangingServer(t)
		c := asaas.New(asaas.Options{BaseURL: srv.URL, APIKey: testKey, Timeout: 50 * time.Millisecond})
		_, err := c.GetPayment(context.Background(), "pay_1")
		require.Error(t, err)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.True(t, asaas.IsRetryable(err))
	})
	t.Run("own timeout inside a longer caller deadline", func(t *testing.T) {
		srv := hangingServer(t)
		c := asaas.New(asaas.Options{BaseURL: srv.URL, APIKey: testKey, Timeout: 50 * time.Millisecond})
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		start := time.Now()
		_, err := c.GetPayment(ctx, "pay_1")
		require.Error(t, err)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, time.Since(start), 30*time.Second, "the request's own timeout cut it, not the caller's minute")
		assert.True(t, asaas.IsRetryable(err))
	})
	t.Run("http.Client timeout", func(t *testing.T) {
		srv := hangingServer(t)
		c := asaas.New(asaas.Options{BaseURL: srv.URL, APIKey: testKey, HTTPClient: &http.Client{Timeout: 50 * time.Millisecond}})
		_, err := c.GetPayment(context.Background(), "pay_1")
		require.Error(t, err)
		var ne net.Error
		require.ErrorAs(t, err, &ne)
		assert.True(t, ne.Timeout())
		assert.True(t, asaas.IsRetryable(err))
	})
	t.Run("caller cancelled", func(t *testing.T) {
		srv := hangingServer(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := newClient(srv).GetPayment(ctx, "pay_1")
		require.Error(t, err)
		assert.ErrorIs(t, err, context.Canceled)
		assert.False(t, asaas.IsRetryable(err), "a cancelled caller does not want a retry")
	})
}

// hangingServer answers nothing until the client gives up.
func hangingServer(t *testing.T) *httptest.Server {
	t.Helper()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs first: unblocks handlers so Close returns
	return srv
}

func TestIsRetryableOtherErrors(t *testing.T) {
	cases := []struct {
		name      string
		err       error
		retryable bool
	}{
		{"nil", nil, false},
		{"plain error", errors.New("boom"), false},
		{"invalid request", fmt.Errorf("%w: x", asaas.ErrInvalidRequest), false},
		{"bare deadline", context.DeadlineExceeded, true},
		{"wrapped deadline", fmt.Errorf("call: %w", context.DeadlineExceeded), true},
		{"bare cancel", context.Canceled, false},
		{"transport error", &asaas.Error{Op: "get payment", Err: errors.New("connection reset by peer")}, true},
		{"transport cancel", &asaas.Error{Op: "get payment", Err: fmt.Errorf("x: %w", context.Canceled)}, false},
		{"undecodable 200", &asaas.Error{Op: "get payment", StatusCode: 200, Err: errors.New("decode")}, true},
		{"unexpected 304", &asaas.Error{Op: "get payment", StatusCode: 304}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.retryable, asaas.IsRetryable(tc.err))
		})
	}
}

func TestUndecodableSuccessIsRetryable(t *testing.T) {
	_, srv := newRecorder(t, cannedResponse{status: 200, body: `<html>maintenance</html>`})
	_, err := newClient(srv).GetPayment(context.Background(), "pay_1")
	require.Error(t, err)
	var e *asaas.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 200, e.StatusCode)
	assert.Contains(t, err.Error(), "decode response")
	assert.True(t, asaas.IsRetryable(err))
}

func TestRetryAfterHeaders(t *testing.T) {
	cases := []struct {
		name    string
		status  int
		headers map[string]string
		want    time.Duration
	}{
		{"Retry-After seconds", 429, map[string]string{"Retry-After": "7"}, 7 * time.Second},
		{"RateLimit-Reset seconds", 429, map[string]string{"RateLimit-Reset": "42"}, 42 * time.Second},
		{"both: the longer wins", 429, map[string]string{"Retry-After": "5", "RateLimit-Reset": "30"}, 30 * time.Second},
		{"both: the longer wins (other way)", 429, map[string]string{"Retry-After": "60", "RateLimit-Reset": "30"}, 60 * time.Second},
		{"503 with Retry-After", 503, map[string]string{"Retry-After": "120"}, 2 * time.Minute},
		{"garbage", 429, map[string]string{"Retry-After": "soon", "RateLimit-Reset": "-3"}, 0},
		{"none", 429, nil, 0},
		{"ignored on 400", 400, map[string]string{"Retry-After": "7"}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, srv := newRecorder(t, cannedResponse{status: tc.status, body: `{"errors":[{"code":"x","description":"y"}]}`, headers: tc.headers})
			_, err := newClient(srv).GetPayment(context.Background(), "pay_1")
			var e *asaas.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.want, e.RetryAfter)
		})
	}
}
