package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"billing/tenant"
	"billing/testenv"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

var testSecretKey = bytes.Repeat([]byte{7}, 32)

// apiEnv is one server on a fresh database, with fakes for the parts other engineers own.
type apiEnv struct {
	pool      *pgxpool.Pool
	srv       *Server
	tester    *fakeTester
	engine    *fakeEngine
	unchecked bool // requests and answers are not checked against the OpenAPI document
}

func newAPIEnv(t *testing.T) *apiEnv {
	t.Helper()
	e := &apiEnv{pool: testenv.Postgres(t), tester: &fakeTester{}, engine: &fakeEngine{}}
	e.srv = NewServer(Deps{Pool: e.pool, Logger: slog.New(slog.DiscardHandler), SecretKey: testSecretKey, Asaas: e.tester, Contracts: e.engine})
	return e
}

// tenantUser is an account with its first user and token.
type tenantUser struct {
	AccountID uuid.UUID
	UserID    uuid.UUID
	Token     string
}

func (e *apiEnv) account(t *testing.T, name string, billingEnabled bool) tenantUser {
	t.Helper()
	p, err := tenant.CreateAccount(context.Background(), e.pool, name, "ops@"+strings.ToLower(name)+".test", "Ops", billingEnabled)
	require.NoError(t, err)
	return tenantUser{p.Account.ID, p.User.ID, p.Token}
}

type resp struct {
	Code   int
	Header http.Header
	Body   []byte
}

// obj decodes the answer as a JSON object.
func (r resp) obj(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.Body, &m), "body: %s", r.Body)
	return m
}

func (r resp) String() string { return string(r.Body) }

// call sends one request; body is sent as-is when it is a string or []byte, JSON-encoded
// otherwise (nil: no body). headers are name, value pairs.
func (e *apiEnv) call(t *testing.T, token, method, path string, body any, headers ...string) resp {
	t.Helper()
	var reader io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		reader = strings.NewReader(b)
	case []byte:
		reader = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		require.NoError(t, err)
		reader = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, reader)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if reader != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	handler := e.srv.Handler()
	if !e.unchecked {
		handler = checked(t, handler)
	}
	handler.ServeHTTP(rec, req)
	return resp{rec.Code, rec.Header(), rec.Body.Bytes()}
}

// callOutsideTheDocument is call for a route a test adds to the server, which the
// OpenAPI document does not (and must not) describe.
func (e *apiEnv) callOutsideTheDocument(t *testing.T, token, method, path string, body any, headers ...string) resp {
	t.Helper()
	raw := *e
	raw.unchecked = true
	return raw.call(t, token, method, path, body, headers...)
}

// must sends a request and requires the status; it returns the JSON object answered.
func (e *apiEnv) must(t *testing.T, status int, token, method, path string, body any, headers ...string) map[string]any {
	t.Helper()
	r := e.call(t, token, method, path, body, headers...)
	require.Equal(t, status, r.Code, "%s %s: %s", method, path, r.Body)
	return r.obj(t)
}

// counts is the number of rows of every table the API writes, per table.
func (e *apiEnv) counts(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"asaas_settings", "clients", "payees", "templates", "template_split_rules", "contracts",
		"installments", "contract_split_rules", "charges", "payments", "split_entries", "payouts", "audit_events", "idempotency_keys", "payment_links",
		"voided_payout_entries", "charge_payment_instructions"} {
		var n int
		require.NoError(t, e.pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n))
		out[table] = n
	}
	return out
}

func (e *apiEnv) auditActions(t *testing.T, accountID uuid.UUID) []string {
	t.Helper()
	rows, err := e.pool.Query(context.Background(), "SELECT action FROM audit_events WHERE account_id = $1 ORDER BY created_at, id", accountID)
	require.NoError(t, err)
	var out []string
	for rows.Next() {
		var a string
		require.NoError(t, rows.Scan(&a))
		out = append(out, a)
	}
	require.NoError(t, rows.Err())
	return out
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// paidInstallment records, as the contract workflow would, a payment of one installment
// of a contract and its split entries (amount, payee, status, kind), for the payout tests.
func (e *apiEnv) paidInstallment(t *testing.T, accountID, contractID uuid.UUID, number int, amount, net string, entries ...seedEntry) []uuid.UUID {
	t.Helper()
	ctx := context.Background()
	var installmentID uuid.UUID
	require.NoError(t, e.pool.QueryRow(ctx, `UPDATE installments SET status = 'paid', paid_at = now()
		WHERE account_id = $1 AND contract_id = $2 AND number = $3 RETURNING id`, accountID, contractID, number).Scan(&installmentID))
	var chargeID, paymentID uuid.UUID
	require.NoError(t, e.pool.QueryRow(ctx, `INSERT INTO charges (account_id, contract_id, installment_id, asaas_payment_id,
		external_reference, billing_type, status, value, net_value, due_date, invoice_url, bank_slip_url)
		VALUES ($1, $2, $3, $4, 'ref', 'BOLETO', 'RECEIVED', $5, $6, '2026-07-24', 'https://sandbox.asaas.com/i/x', 'https://sandbox.asaas.com/b/pdf/x')
		RETURNING id`, accountID, contractID, installmentID, "pay_"+uuid.NewString()[:16], dec(amount), dec(net)).Scan(&chargeID))
	require.NoError(t, e.pool.QueryRow(ctx, `INSERT INTO payments (account_id, contract_id, installment_id, charge_id, origin,
		amount, net_amount, fee_amount, paid_on, status) VALUES ($1, $2, $3, $4, 'gateway', $5, $6, $7, '2026-07-24', 'received')
		RETURNING id`, accountID, contractID, installmentID, chargeID, dec(amount), dec(net), dec(amount).Sub(dec(net))).Scan(&paymentID))
	ids := make([]uuid.UUID, len(entries))
	for i, en := range entries {
		require.NoError(t, e.pool.QueryRow(ctx, `INSERT INTO split_entries (account_id, payment_id, contract_id, payee_id,
			rule_position, kind, amount, status, occurred_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '2026-07-24') RETURNING id`,
			accountID, paymentID, contractID, en.payee, en.position, en.kind, dec(en.amount), en.status).Scan(&ids[i]))
	}
	return ids
}

type seedEntry struct {
	payee    *uuid.UUID
	position *int32
	kind     string
	amount   string
	status   string
}

func pos(n int32) *int32 { return &n }

type fakeTester struct {
	mu    sync.Mutex
	calls []string // environment + " " + key
	err   error
}

func (f *fakeTester) TestConnection(_ context.Context, environment, apiKey string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, environment+" "+apiKey)
	return f.err
}

// fakeEngine records the actions it receives and answers with result or err.
type fakeEngine struct {
	mu    sync.Mutex
	calls []string
	keys  []string
	err   error
}

func (f *fakeEngine) record(call, key string, id uuid.UUID) (ContractActionResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call+" "+id.String())
	f.keys = append(f.keys, key)
	if f.err != nil {
		return ContractActionResult{}, f.err
	}
	return ContractActionResult{ContractID: id, WorkflowID: "contract/" + id.String(), Status: "active"}, nil
}

func (f *fakeEngine) Activate(_ context.Context, _ Actor, id uuid.UUID) (ContractActionResult, error) {
	return f.record("activate", "", id)
}

func (f *fakeEngine) MarkPaid(_ context.Context, _ Actor, id uuid.UUID, n int, in MarkPaidInput, key string) (ContractActionResult, error) {
	return f.record("mark-paid "+in.Amount.String()+" "+in.PaidOn.Format(dateLayout), key, id)
}

func (f *fakeEngine) Cancel(_ context.Context, _ Actor, id uuid.UUID, reason, key string) (ContractActionResult, error) {
	return f.record("cancel "+reason, key, id)
}

func (f *fakeEngine) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

var errEngineDown = errors.New("temporal unavailable")
