package api

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"billing/temporaldev"
	"billing/testenv"

	"github.com/jackc/pgx/v5/pgxpool"
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
	assert.Equal(t, "unavailable", checks["temporal"])
	code, _ = get(t, srv.Handler(), "/healthz")
	assert.Equal(t, http.StatusOK, code, "liveness does not depend on Temporal")
}

// /readyz is unauthenticated: when PostgreSQL and Temporal do not answer, it says
// so and nothing more; who and where they are (user, database, host:port) and the
// errors go to the log.
func TestNotReadyShowsNoDetails(t *testing.T) {
	deadTemporal, err := temporaldev.FreeAddress()
	require.NoError(t, err)
	deadPostgres, err := temporaldev.FreeAddress()
	require.NoError(t, err)
	tc, err := client.NewLazyClient(client.Options{HostPort: deadTemporal})
	require.NoError(t, err)
	defer tc.Close()
	pool, err := pgxpool.New(context.Background(), "postgres://ready_probe_user@"+deadPostgres+"/ready_probe_db?connect_timeout=1")
	require.NoError(t, err)
	defer pool.Close()
	var logs bytes.Buffer
	srv := NewServer(Deps{Pool: pool, Temporal: tc, Logger: slog.New(slog.NewTextHandler(&logs, nil))})

	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.JSONEq(t, `{"status":"not ready","checks":{"postgres":"unavailable","temporal":"unavailable"}}`, rec.Body.String())
	_, deadPort, _ := net.SplitHostPort(deadPostgres)
	for _, detail := range []string{"ready_probe_user", "ready_probe_db", deadPort, deadTemporal} {
		assert.NotContains(t, rec.Body.String(), detail)
	}
	assert.Contains(t, logs.String(), deadTemporal, "the Temporal error is logged")
	assert.Contains(t, logs.String(), deadPort, "the PostgreSQL error is logged")
	assert.Contains(t, logs.String(), "not ready: PostgreSQL does not answer")
}
