package api

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"billing/temporaldev"
	"billing/testenv"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
)

func get(t *testing.T, h http.Handler, path string) (int, map[string]any) {
	rec := httptest.NewRecorder()
	checked(t, h).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	var body map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
	return rec.Code, body
}

func TestReadyWithRealPostgresAndTemporal(t *testing.T) {
	srv := NewServer(Deps{Pool: testenv.Postgres(t), Temporal: testenv.Temporal(t), Logger: slog.New(slog.DiscardHandler)})
	code, body := get(t, srv.Handler(), "/readyz")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "ready", body["status"])
	code, _ = get(t, srv.Handler(), "/healthz")
	assert.Equal(t, http.StatusOK, code)
}

func TestNotReadyWhenTemporalIsUnreachable(t *testing.T) {
	dead, err := temporaldev.FreeAddress() // nothing listens there
	require.NoError(t, err)
	tc, err := client.NewLazyClient(client.Options{HostPort: dead})
	require.NoError(t, err)
	defer tc.Close()
	srv := NewServer(Deps{Pool: testenv.Postgres(t), Temporal: tc, Logger: slog.New(slog.DiscardHandler)})
	code, body := get(t, srv.Handler(), "/readyz")
	assert.Equal(t, http.StatusServiceUnavailable, code)
	checks := body["checks"].(map[string]any)
	assert.Equal(t, "ok", checks["postgres"])
	assert.NotEqual(t, "ok", checks["temporal"])
	code, _ = get(t, srv.Handler(), "/healthz")
	assert.Equal(t, http.StatusOK, code, "liveness does not depend on Temporal")
}
