package devstack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"billing/config"
	"billing/metrics/metricstest"
	"billing/temporaldev"
	"billing/testenv"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func freePort(t *testing.T) string {
	addr, err := temporaldev.FreeAddress()
	require.NoError(t, err)
	return addr
}

func answers(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
	if err == nil {
		c.Close()
	}
	return err == nil
}

var tokenLine = regexp.MustCompile(`API token\s+(bil_\S+)`)

// runStack runs `billing dev` in-process until it is ready, checks it, stops it
// as Ctrl-C would, and returns what it printed.
func runStack(t *testing.T, cfg config.Config, during func()) string {
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- Run(ctx, cfg, out) }()

	ready := false
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline) && !ready; time.Sleep(200 * time.Millisecond) {
		if resp, err := http.Get("http://" + cfg.APIAddr + "/readyz"); err == nil {
			ready = resp.StatusCode == http.StatusOK
			resp.Body.Close()
		}
		select {
		case err := <-done:
			t.Fatalf("dev stack exited early: %v\n%s", err, out.String())
		default:
		}
	}
	require.True(t, ready, "readyz never said ready:\n%s", out.String())

	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/", cfg.DevTemporalUIPort))
	require.NoError(t, err, "Temporal UI answers")
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	resp, err = http.Get("http://" + cfg.APIAddr + "/console/sign-in")
	require.NoError(t, err, "the console answers")
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the console's sign-in page")
	require.Eventually(t, func() bool {
		resp, err := http.Get("http://" + cfg.APIAddr + "/metrics")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode == http.StatusOK && strings.Contains(string(b), `operation="PollWorkflowTaskQueue"`)
	}, 30*time.Second, 200*time.Millisecond, "the API's /metrics serves the in-process worker's Temporal SDK metrics")
	metrics := metricstest.Fetch(t, "http://"+cfg.APIAddr+"/metrics")
	assert.Positive(t, metrics.Value("temporal_worker_start_total", "worker_type", "WorkflowWorker"))
	assert.Contains(t, metrics, "billing_http_request_duration_seconds")
	resp, err = http.Get("http://" + cfg.SimAddr + "/_sim/health")
	require.NoError(t, err, "simulator answers")
	resp.Body.Close()
	during()

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("dev stack did not stop within 30s")
	}
	for _, addr := range []string{cfg.APIAddr, cfg.TemporalAddress, fmt.Sprintf("127.0.0.1:%d", cfg.DevTemporalUIPort), cfg.SimAddr} {
		assert.False(t, answers(addr), "%s still answers after shutdown", addr)
	}
	return out.String()
}

func TestDevStackStartsStopsAndReusesItsData(t *testing.T) {
	base := testenv.DatabaseURL(t)
	pgcfg, err := pgx.ParseConfig(base)
	require.NoError(t, err)
	fresh := strings.Replace(base, "/"+pgcfg.Database+"?", "/"+pgcfg.Database+"_dev?", 1)
	t.Cleanup(func() {
		if conn, err := pgx.Connect(context.Background(), base); err == nil {
			_, _ = conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgcfg.Database+"_dev WITH (FORCE)")
			conn.Close(context.Background())
		}
	})
	_, uiPort, _ := net.SplitHostPort(freePort(t))
	env := map[string]string{
		"DATABASE_URL":         fresh,
		"TEMPORAL_ADDRESS":     freePort(t),
		"API_ADDR":             freePort(t),
		"ASAAS_SIM_ADDR":       freePort(t),
		"DEV_TEMPORAL_UI_PORT": uiPort,
		"DEV_DATA_DIR":         t.TempDir(),
		"DEV_TEMPORAL_CLI":     testenv.TemporalCLI(t),
		"LOG_LEVEL":            "warn",
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	require.NoError(t, err)

	ctx := context.Background()
	dial := func() client.Client {
		c, err := client.Dial(client.Options{HostPort: cfg.TemporalAddress, Logger: tlog.NewStructuredLogger(slog.New(slog.DiscardHandler))})
		require.NoError(t, err)
		return c
	}
	var charge string
	first := runStack(t, cfg, func() {
		c := dial()
		defer c.Close()
		_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "persist-check", TaskQueue: "nobody-polls"}, "PersistCheck")
		require.NoError(t, err)
		charge = simCharge(t, cfg)
	})
	assert.Contains(t, first, "Console      http://"+cfg.APIAddr+"/console/", "make run prints where the console is")
	assert.Contains(t, first, "Metrics      http://"+cfg.APIAddr+"/metrics", "and where its metrics are")
	m := tokenLine.FindStringSubmatch(first)
	require.NotNil(t, m, "first start prints a demo token:\n%s", first)

	second := runStack(t, cfg, func() {
		c := dial()
		defer c.Close()
		_, err := c.DescribeWorkflowExecution(ctx, "persist-check", "")
		assert.NoError(t, err, "a workflow started before the restart is still there")
		p := simGateway(t, cfg).get(t, "/v3/payments/"+charge)
		assert.Equal(t, "PENDING", p["status"], "a charge made before the restart is still at the gateway")
	})
	m2 := tokenLine.FindStringSubmatch(second)
	require.NotNil(t, m2)
	assert.Equal(t, m[1], m2[1], "second start reuses the demo account and its token")
	assert.FileExists(t, cfg.DevDataDir+"/temporal.db", "Temporal state is file-backed")
	assert.FileExists(t, cfg.DevDataDir+"/asaas-sim.json", "the simulator's state is file-backed")
}

// gatewayClient calls the dev stack's simulator as the demo merchant.
type gatewayClient struct{ base, key string }

func simGateway(t *testing.T, cfg config.Config) gatewayClient {
	ids, err := loadSimIdentities(cfg.DevDataDir)
	require.NoError(t, err)
	return gatewayClient{base: "http://" + cfg.SimAddr, key: ids.Merchant.APIKey}
}

func (g gatewayClient) call(t *testing.T, method, path string, body any) map[string]any {
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequest(method, g.base+path, bytes.NewReader(raw))
	require.NoError(t, err)
	req.Header.Set("access_token", g.key)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s %s: %v", method, path, out)
	return out
}

func (g gatewayClient) get(t *testing.T, path string) map[string]any {
	return g.call(t, http.MethodGet, path, nil)
}

// simCharge creates a charge at the simulator as the demo merchant.
func simCharge(t *testing.T, cfg config.Config) string {
	g := simGateway(t, cfg)
	cust := g.call(t, http.MethodPost, "/v3/customers", map[string]any{"name": "Cliente", "cpfCnpj": "24971563792"})["id"]
	due := time.Now().AddDate(0, 0, 10).Format(time.DateOnly)
	return g.call(t, http.MethodPost, "/v3/payments", map[string]any{"customer": cust, "billingType": "PIX", "value": 10, "dueDate": due})["id"].(string)
}
