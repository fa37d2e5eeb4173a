package main

import (
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"billing/api"
	"billing/config"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The production binary must not carry the Asaas simulator (anyone reaching it
// could fake payments), the load tester or `dev`: they live in cmd/billing-dev.
func TestProductionBinaryImportsNoDevelopmentPackage(t *testing.T) {
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(goBin, "list", "-deps", "-f", "{{.ImportPath}}", ".").CombinedOutput()
	require.NoError(t, err, "go list: %s", out)
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "billing/api", "the list is cmd/billing's import graph")
	require.Contains(t, deps, "billing/worker")
	for _, dep := range deps {
		for _, banned := range []string{"billing/asaassim", "billing/loadtest", "billing/devstack", "billing/testenv"} {
			assert.False(t, dep == banned || strings.HasPrefix(dep, banned+"/"), "cmd/billing imports %s", dep)
		}
	}
}

// The production image builds cmd/billing and nothing else.
func TestDockerfileBuildsOnlyTheProductionBinary(t *testing.T) {
	raw, err := os.ReadFile("../../Dockerfile")
	require.NoError(t, err)
	builds := regexp.MustCompile(`(?m)\bgo build\b.*$`).FindAllString(string(raw), -1)
	require.NotEmpty(t, builds)
	for _, line := range builds {
		assert.True(t, strings.HasSuffix(strings.TrimSpace(line), " ./cmd/billing"), "Dockerfile builds: %s", line)
	}
	assert.NotContains(t, string(raw), "billing-dev")
}

// The commands of the production binary: the development ones are not among them.
func TestProductionCommands(t *testing.T) {
	for _, name := range []string{"api", "worker", "migrate", "accounts", "tokens"} {
		assert.Contains(t, commands, name)
	}
	for _, name := range []string{"dev", "asaas-sim", "loadtest"} {
		assert.NotContains(t, commands, name)
	}
}

// `billing api` throttles authentication failures by default, with the configured limits.
func TestAPIThrottlesWithTheConfiguredLimits(t *testing.T) {
	cfg, err := config.Load(func(string) string { return "" })
	require.NoError(t, err)
	deps := apiDeps(cfg, nil, nil, slog.New(slog.DiscardHandler))
	assert.Equal(t, api.ThrottleLimits{Failures: 20, Window: time.Minute}, deps.Throttle)
	assert.Nil(t, deps.TrustedProxies)

	cfg, err = config.Load(func(k string) string {
		return map[string]string{"AUTH_FAILURE_LIMIT": "3", "AUTH_FAILURE_WINDOW": "10s", "TRUSTED_PROXIES": "10.0.0.0/8"}[k]
	})
	require.NoError(t, err)
	deps = apiDeps(cfg, nil, nil, slog.New(slog.DiscardHandler))
	assert.Equal(t, api.ThrottleLimits{Failures: 3, Window: 10 * time.Second}, deps.Throttle)
	assert.Equal(t, []string{"10.0.0.0/8"}, deps.TrustedProxies)
}
