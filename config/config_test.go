package config

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(env(nil))
	require.NoError(t, err)
	assert.Equal(t, "postgres://postgres@127.0.0.1:5432/billing?sslmode=disable", c.DatabaseURL)
	assert.Equal(t, "127.0.0.1:7233", c.TemporalAddress)
	assert.Equal(t, "127.0.0.1:8080", c.APIAddr)
	assert.Equal(t, "127.0.0.1:8091", c.SimAddr)
	assert.Equal(t, "127.0.0.1:8092", c.WorkerMetricsAddr, "loopback unless told")
	assert.Equal(t, 8233, c.DevTemporalUIPort)
	assert.Equal(t, 2*time.Second, c.SimRetryBase)
	assert.Empty(t, c.SimStateFile, "the simulator keeps its state in memory unless told")
	assert.Equal(t, "http://127.0.0.1:8233", c.TemporalUIURL, "the console links to make run's Temporal UI")
	assert.Empty(t, c.PublicURL, "the console uses the URL the browser used")
	assert.Nil(t, c.SecretKey)
	assert.Error(t, c.RequireSecretKey())
	assert.Equal(t, 20, c.AuthFailureLimit, "throttling is on by default")
	assert.Equal(t, time.Minute, c.AuthFailureWindow)
	assert.Nil(t, c.TrustedProxies)
}

func TestLoadThrottleSettings(t *testing.T) {
	c, err := Load(env(map[string]string{"AUTH_FAILURE_LIMIT": "5", "AUTH_FAILURE_WINDOW": "30s", "TRUSTED_PROXIES": " 10.0.0.0/8, 192.0.2.7 ,2001:db8::/32"}))
	require.NoError(t, err)
	assert.Equal(t, 5, c.AuthFailureLimit)
	assert.Equal(t, 30*time.Second, c.AuthFailureWindow)
	assert.Equal(t, []string{"10.0.0.0/8", "192.0.2.7", "2001:db8::/32"}, c.TrustedProxies)
	c, err = Load(env(map[string]string{"AUTH_FAILURE_LIMIT": "0"}))
	require.NoError(t, err)
	assert.Zero(t, c.AuthFailureLimit, "0 turns throttling off")
}

func TestLoadRejectsBadValues(t *testing.T) {
	cases := []struct {
		name, key, value, wantErr string
	}{
		{"retry base not a duration", "ASAAS_SIM_RETRY_BASE", "soon", "ASAAS_SIM_RETRY_BASE"},
		{"duplicate rate above 1", "ASAAS_SIM_DUPLICATE_RATE", "1.5", "ASAAS_SIM_DUPLICATE_RATE"},
		{"reorder rate negative", "ASAAS_SIM_REORDER_RATE", "-0.1", "ASAAS_SIM_REORDER_RATE"},
		{"ui port", "DEV_TEMPORAL_UI_PORT", "http", "DEV_TEMPORAL_UI_PORT"},
		{"worker metrics address without a port", "WORKER_METRICS_ADDR", "127.0.0.1", "WORKER_METRICS_ADDR"},
		{"short secret", "BILLING_SECRET_KEY", "abcd", "BILLING_SECRET_KEY"},
		{"log level", "LOG_LEVEL", "loud", "LOG_LEVEL"},
		{"log format", "LOG_FORMAT", "xml", "LOG_FORMAT"},
		{"failure limit not a number", "AUTH_FAILURE_LIMIT", "many", "AUTH_FAILURE_LIMIT"},
		{"failure limit negative", "AUTH_FAILURE_LIMIT", "-1", "AUTH_FAILURE_LIMIT"},
		{"failure window not a duration", "AUTH_FAILURE_WINDOW", "60", "AUTH_FAILURE_WINDOW"},
		{"failure window zero", "AUTH_FAILURE_WINDOW", "0s", "AUTH_FAILURE_WINDOW"},
		{"proxy not an address", "TRUSTED_PROXIES", "10.0.0.0/8,proxy.local", "TRUSTED_PROXIES"},
		{"proxy CIDR malformed", "TRUSTED_PROXIES", "10.0.0.0/33", "TRUSTED_PROXIES"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(env(map[string]string{tc.key: tc.value}))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
		})
	}
}

func TestSecretKeyForms(t *testing.T) {
	hexKey := strings.Repeat("ab", 32)
	c, err := Load(env(map[string]string{"BILLING_SECRET_KEY": hexKey}))
	require.NoError(t, err)
	assert.Len(t, c.SecretKey, 32)
	assert.NoError(t, c.RequireSecretKey())

	b64 := "q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s="
	c2, err := Load(env(map[string]string{"BILLING_SECRET_KEY": b64}))
	require.NoError(t, err)
	assert.Equal(t, c.SecretKey, c2.SecretKey)
}

func TestEveryVarHasAMeaningAndIsUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, v := range Vars {
		assert.False(t, seen[v.Name], "duplicate %s", v.Name)
		seen[v.Name] = true
		assert.NotEmpty(t, v.Meaning, v.Name)
	}
}

func TestSimStateFile(t *testing.T) {
	c, err := Load(env(map[string]string{"ASAAS_SIM_STATE_FILE": " /var/lib/sim/state.json "}))
	require.NoError(t, err)
	assert.Equal(t, "/var/lib/sim/state.json", c.SimStateFile)
}
