package console

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"billing/activities"
	"billing/api"
	"billing/asaassim"
	"billing/gateway"
	"billing/secret"
	"billing/tenant"
	"billing/testenv"
	"billing/worker"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) { os.Exit(testenv.Run(m)) }

var secretKey = bytes.Repeat([]byte{5}, 32)

// stack is the whole product with the console mounted: the API and console on one
// real HTTP listener (the simulator delivers webhooks to it, the browser opens it),
// the worker, Temporal, PostgreSQL and the Asaas simulator.
type stack struct {
	t        *testing.T
	pool     *pgxpool.Pool
	sim      *asaassim.Server
	simURL   string
	url      string // the API and console
	token    string
	account  uuid.UUID
	merchant asaassim.Account
	wallet   asaassim.Account
	secret   string
}

func newStack(t *testing.T) *stack {
	t.Helper()
	s := &stack{t: t, pool: testenv.Postgres(t)}
	tc := testenv.Temporal(t)
	s.sim = asaassim.New(asaassim.Options{RetryBase: 50 * time.Millisecond})
	t.Cleanup(s.sim.Close)
	simSrv := httptest.NewServer(s.sim.Handler())
	t.Cleanup(simSrv.Close)
	s.simURL = simSrv.URL

	connector := gateway.NewConnector(secretKey, s.simURL)
	logger := slog.New(slog.DiscardHandler)
	if os.Getenv("TEST_CONSOLE_LOGS") != "" {
		logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	srv := api.NewServer(api.Deps{Pool: s.pool, Temporal: tc, Logger: logger, SecretKey: secretKey,
		Asaas: connector, Gateway: connector, Contracts: api.NewTemporalContracts(s.pool, tc)})
	con, err := New(Options{API: srv.Handler(), Pool: s.pool, Logger: logger,
		TemporalUIURL: "http://127.0.0.1:8233", TemporalNamespace: "default"})
	require.NoError(t, err)
	con.MountOn(srv)
	web := httptest.NewServer(srv.Root())
	t.Cleanup(web.Close)
	s.url = web.URL
	relayCtx, stopRelay := context.WithCancel(context.Background())
	t.Cleanup(stopRelay)
	go srv.RunWebhookRelay(relayCtx)

	w := worker.New(tc, activities.Deps{Pool: s.pool, Logger: logger, Gateway: connector})
	require.NoError(t, w.Start())
	t.Cleanup(w.Stop)

	p, err := tenant.CreateAccount(context.Background(), s.pool, "Acme", "ops@acme.test", "Ops", true)
	require.NoError(t, err)
	s.token, s.account = p.Token, p.Account.ID
	s.merchant, err = s.sim.AddAccount(asaassim.Account{Name: "Acme at Asaas", APIKey: "$aact_hmlg_" + strings.ReplaceAll(uuid.NewString(), "-", "")})
	require.NoError(t, err)
	s.wallet = s.sim.CreateAccount("Agent's wallet")
	s.secret = secret.WebhookToken(s.account, "acme-webhook-"+uuid.NewString()) // what PUT /v1/settings/asaas makes of it
	require.NoError(t, s.sim.SetWebhook(s.merchant.ID, asaassim.WebhookConfig{URL: s.url + "/webhooks/asaas", AuthToken: s.secret, Enabled: true}))
	return s
}

// browserless is a plain HTTP client with a cookie jar: a person without JavaScript.
type browserless struct {
	t      *testing.T
	base   string
	client *http.Client
}

func (s *stack) visitor() *browserless {
	jar, err := cookiejar.New(nil)
	require.NoError(s.t, err)
	return &browserless{t: s.t, base: s.url, client: &http.Client{Jar: jar}}
}

type page struct {
	Status int
	Header http.Header
	Body   string
	URL    string
}

func (b *browserless) get(path string) page {
	b.t.Helper()
	resp, err := b.client.Get(b.base + path)
	require.NoError(b.t, err)
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	return page{resp.StatusCode, resp.Header, buf.String(), resp.Request.URL.Path}
}

func (b *browserless) post(path string, form url.Values) page {
	b.t.Helper()
	resp, err := b.client.PostForm(b.base+path, form)
	require.NoError(b.t, err)
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	return page{resp.StatusCode, resp.Header, buf.String(), resp.Request.URL.Path}
}

var (
	csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	idemInput = regexp.MustCompile(`name="_idem" value="([^"]+)"`)
)

// csrf is the CSRF token of a rendered page.
func (p page) csrf(t *testing.T) string {
	t.Helper()
	m := csrfInput.FindStringSubmatch(p.Body)
	require.NotNil(t, m, "the page has a CSRF field: %s", p.Body)
	return m[1]
}

// idem is the idempotency key of the page's (first) form.
func (p page) idem(t *testing.T) string {
	t.Helper()
	m := idemInput.FindStringSubmatch(p.Body)
	require.NotNil(t, m, "the page has an idempotency key: %s", p.Body)
	return m[1]
}

// signIn signs the visitor in with token and returns the console's first page.
func (b *browserless) signIn(token string) page {
	b.t.Helper()
	form := b.get("/console/sign-in")
	require.Equal(b.t, http.StatusOK, form.Status)
	return b.post("/console/sign-in", url.Values{"_csrf": {form.csrf(b.t)}, "token": {token}, "next": {"/console/"}})
}

// eventually polls cond until it holds (workflows run asynchronously).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("timed out waiting until %s", what)
}
