package config

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadQueueWatchSettings(t *testing.T) {
	c, err := Load(env(nil))
	require.NoError(t, err)
	assert.Equal(t, 10*time.Minute, c.QueueWatchEvery)
	assert.Equal(t, 24*time.Hour, c.QueueSweepEvery)
	assert.Equal(t, "http://127.0.0.1:8080/readyz", c.APIHealthURL, "the API of make run")

	c, err = Load(env(map[string]string{"QUEUE_WATCH_EVERY": "90s", "QUEUE_SWEEP_EVERY": "6h", "API_HEALTH_URL": "https://billing.internal/readyz"}))
	require.NoError(t, err)
	assert.Equal(t, 90*time.Second, c.QueueWatchEvery)
	assert.Equal(t, 6*time.Hour, c.QueueSweepEvery)
	assert.Equal(t, "https://billing.internal/readyz", c.APIHealthURL)
}

func TestLoadRejectsBadQueueWatchSettings(t *testing.T) {
	cases := []struct{ name, key, value string }{
		{"watch interval not a duration", "QUEUE_WATCH_EVERY", "often"},
		{"watch interval under a second", "QUEUE_WATCH_EVERY", "10ms"},
		{"watch interval negative", "QUEUE_WATCH_EVERY", "-10m"},
		{"sweep interval zero", "QUEUE_SWEEP_EVERY", "0s"},
		{"sweep interval not a duration", "QUEUE_SWEEP_EVERY", "daily"},
		{"health URL without scheme", "API_HEALTH_URL", "127.0.0.1:8080/readyz"},
		{"health URL of another scheme", "API_HEALTH_URL", "ftp://127.0.0.1/readyz"},
		{"health URL without host", "API_HEALTH_URL", "http:///readyz"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(env(map[string]string{tc.key: tc.value}))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.key)
		})
	}
}
