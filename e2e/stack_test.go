package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"billing/activities"
	"billing/api"
	"billing/api/openapitest"
	"billing/asaassim"
	"billing/gateway"
	"billing/secret"
	"billing/tenant"
	"billing/testenv"
	"billing/webhooks"
	"billing/worker"
	"billing/workflows"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
)

func TestMain(m *testing.M) { os.Exit(testenv.Run(m)) }

var secretKey = bytes.Repeat([]byte{9}, 32)

// stack is the whole product in one test: API (served over HTTP so the
// simulator can deliver webhooks to it), worker, Temporal, PostgreSQL, simulator.
type stack struct {
	t       *testing.T
	pool    *pgxpool.Pool
	tc      client.Client
	sim     *asaassim.Server
	simURL  string
	apiURL  string
	token   string
	account uuid.UUID
	// the simulator's merchant account of this tenant, and a payee wallet
	merchant asaassim.Account
	wallet   asaassim.Account
	secret   string
}

func newStack(t *testing.T, simOpts asaassim.Options) *stack {
	return newStackWith(t, simOpts, 0)
}

// newStackWith sets how long contract actions wait before answering 202 (0: default).
func newStackWith(t *testing.T, simOpts asaassim.Options, actionWait time.Duration) *stack {
	return newStackOf(t, stackOptions{sim: simOpts, actionWait: actionWait})
}

// stackOptions: the simulator's options, how long contract actions wait before
// 202 (0: default), and what the API reaches PostgreSQL and Temporal through
// (nil: the same pool and client as the worker).
type stackOptions struct {
	sim         asaassim.Options
	actionWait  time.Duration
	apiPool     func(direct *pgxpool.Pool) *pgxpool.Pool
	apiTemporal func(direct client.Client) client.Client
	webhooks    webhooks.Options
	// simGate wraps the simulator's handler (to hold or fail some calls); healthURL
	// is what the queue watch asks before reactivating a queue ("": the API's /readyz).
	simGate   func(http.Handler) http.Handler
	healthURL string
}

func newStackOf(t *testing.T, o stackOptions) *stack {
	t.Helper()
	simOpts, actionWait := o.sim, o.actionWait
	s := &stack{t: t, pool: testenv.Postgres(t), tc: testenv.Temporal(t)}
	apiPool, apiTemporal := s.pool, s.tc
	if o.apiPool != nil {
		apiPool = o.apiPool(s.pool)
	}
	if o.apiTemporal != nil {
		apiTemporal = o.apiTemporal(s.tc)
	}
	s.sim = asaassim.New(simOpts)
	t.Cleanup(s.sim.Close)
	simHandler := s.sim.Handler()
	if o.simGate != nil {
		simHandler = o.simGate(simHandler)
	}
	simSrv := httptest.NewServer(simHandler)
	t.Cleanup(simSrv.Close)
	s.simURL = simSrv.URL

	connector := gateway.NewConnector(secretKey, s.simURL)
	logger := slog.New(slog.DiscardHandler)
	// A payment's split is read back a second after it, not an hour.
	engine := api.NewTemporalContracts(apiPool, apiTemporal).WithContractOptions(workflows.ContractOptions{SplitReadAfter: time.Second})
	if actionWait > 0 {
		engine.WithActionWait(actionWait)
	}
	srv := api.NewServer(api.Deps{Pool: apiPool, Temporal: apiTemporal, Logger: logger, SecretKey: secretKey,
		Asaas: connector, Gateway: connector, Contracts: engine, Webhooks: o.webhooks,
		QueueWatch: api.TemporalQueueWatch{Client: apiTemporal, Every: 10 * time.Minute}})
	// Every request to the API (the test's and the simulator's webhooks) and every
	// answer is checked against the OpenAPI document the API serves.
	apiSrv := httptest.NewServer(checkedAPI(t).Handler(srv.Handler(), t.Errorf))
	t.Cleanup(apiSrv.Close)
	relayCtx, stopRelay := context.WithCancel(context.Background())
	t.Cleanup(stopRelay)
	go srv.RunWebhookRelay(relayCtx)
	s.apiURL = apiSrv.URL

	healthURL := o.healthURL
	if healthURL == "" {
		healthURL = s.apiURL + "/readyz"
	}
	w := worker.New(s.tc, activities.Deps{Pool: s.pool, Logger: logger, Gateway: connector,
		Queue: activities.QueueWatchOptions{HealthURL: healthURL}})
	require.NoError(t, w.Start())
	t.Cleanup(w.Stop)

	p, err := tenant.CreateAccount(context.Background(), s.pool, "Acme", "ops@acme.test", "Ops", true)
	require.NoError(t, err)
	s.token, s.account = p.Token, p.Account.ID
	t.Cleanup(func() { // saving the settings scheduled the account's queue watch
		ctx := context.Background()
		_ = s.tc.ScheduleClient().GetHandle(ctx, workflows.QueueWatchScheduleID(s.account.String())).Delete(ctx)
	})
	s.merchant, err = s.sim.AddAccount(asaassim.Account{Name: "Acme at Asaas", APIKey: "$aact_hmlg_" + strings.ReplaceAll(uuid.NewString(), "-", "")})
	require.NoError(t, err)
	s.wallet = s.sim.CreateAccount("Agent's wallet")
	s.secret = secret.WebhookToken(s.account, "acme-webhook-"+uuid.NewString()) // what PUT /v1/settings/asaas makes of it
	require.NoError(t, s.sim.SetWebhook(s.merchant.ID, asaassim.WebhookConfig{URL: s.apiURL + "/webhooks/asaas", AuthToken: s.secret, Enabled: true}))
	return s
}

var openapiChecker = sync.OnceValues(func() (*openapitest.Checker, error) {
	doc, err := api.OpenAPI()
	if err != nil {
		return nil, err
	}
	return openapitest.New(doc)
})

func checkedAPI(t *testing.T) *openapitest.Checker {
	t.Helper()
	c, err := openapiChecker()
	require.NoError(t, err)
	return c
}

// call makes an API request and decodes the JSON answer.
func (s *stack) call(method, path string, body any, headers ...string) (int, map[string]any) {
	s.t.Helper()
	var reader io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		require.NoError(s.t, err)
		reader = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, s.apiURL+path, reader)
	require.NoError(s.t, err)
	req.Header.Set("Authorization", "Bearer "+s.token)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(s.t, err)
	out := map[string]any{}
	if len(raw) > 0 && raw[0] == '{' {
		require.NoError(s.t, json.Unmarshal(raw, &out), string(raw))
	} else {
		out["raw"] = string(raw)
	}
	return resp.StatusCode, out
}

func (s *stack) must(status int, method, path string, body any, headers ...string) map[string]any {
	s.t.Helper()
	code, out := s.call(method, path, body, headers...)
	require.Equal(s.t, status, code, "%s %s: %v", method, path, out)
	return out
}

// eventually polls cond until it holds (workflows run asynchronously).
func (s *stack) eventually(what string, cond func() bool) {
	s.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("timed out waiting until %s", what)
}

func (s *stack) count(query string, args ...any) int {
	s.t.Helper()
	var n int
	require.NoError(s.t, s.pool.QueryRow(context.Background(), query, args...).Scan(&n))
	return n
}
