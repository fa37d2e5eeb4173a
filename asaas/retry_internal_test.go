package asaas

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestRetryAfterHTTPDate(t *testing.T) {
	now := time.Date(2026, 7, 14, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name    string
		headers map[string]string
		want    time.Duration
	}{
		{"future date", map[string]string{"Retry-After": "Tue, 14 Jul 2026 12:01:30 GMT"}, 90 * time.Second},
		{"past date", map[string]string{"Retry-After": "Tue, 14 Jul 2026 11:00:00 GMT"}, 0},
		{"date and a longer reset", map[string]string{"Retry-After": "Tue, 14 Jul 2026 12:00:10 GMT", "RateLimit-Reset": "20"}, 20 * time.Second},
		{"zero seconds", map[string]string{"Retry-After": "0"}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tc.headers {
				h.Set(k, v)
			}
			assert.Equal(t, tc.want, retryAfter(h, now))
		})
	}
}

func TestNewDefaults(t *testing.T) {
	c := New(Options{BaseURL: SandboxURL, APIKey: "k"})
	assert.Equal(t, DefaultTimeout, c.timeout)
	assert.Equal(t, 20*time.Second, DefaultTimeout)
	assert.Equal(t, "billing/1.0", c.userAgent)
	assert.NotNil(t, c.http)
}
