package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"billing/asaas"
	"billing/db/dbgen"
	"billing/domain"
	"billing/secret"
	"billing/temporaldev"
	"billing/testenv"
	"billing/webhooks"
	"billing/workflows"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
)

// webhookEnv is the receiver with real PostgreSQL and a real Temporal server. No
// worker runs: a contract is a workflow nobody polls, so what the handler hands
// over stays in its history for the test to read (deciding it is the contract's
// part, tested in workflows/ and e2e/).
type webhookEnv struct {
	t    *testing.T
	pool *pgxpool.Pool
	tc   client.Client
	srv  *Server
}

func newWebhookEnv(t *testing.T, tc client.Client) *webhookEnv {
	e := &webhookEnv{t: t, pool: testenv.Postgres(t), tc: tc}
	e.srv = NewServer(Deps{Pool: e.pool, Temporal: tc, Logger: slog.New(slog.DiscardHandler), SecretKey: testSecretKey,
		Webhooks: webhooks.Options{SignalTimeout: time.Second}})
	return e
}

// account creates an account whose Asaas webhook secret is webhookSecret.
func (e *webhookEnv) account(t *testing.T, name, webhookSecret string, enabled bool) uuid.UUID {
	u := (&apiEnv{pool: e.pool}).account(t, name, enabled)
	e.setSecret(t, u, webhookSecret)
	return u.AccountID
}

func (e *webhookEnv) setSecret(t *testing.T, u tenantUser, webhookSecret string) {
	sealed, err := secret.Seal(testSecretKey, []byte("$aact_hmlg_"+u.AccountID.String()), u.AccountID[:])
	require.NoError(t, err)
	_, err = dbgen.New(e.pool).UpsertAsaasSettings(context.Background(), dbgen.UpsertAsaasSettingsParams{
		AccountID: u.AccountID, ApiKeyCiphertext: sealed, ApiKeyLast4: "1234", Environment: "sandbox",
		WebhookSecretHash: secret.WebhookSecretHash(testSecretKey, webhookSecret), UpdatedBy: u.UserID})
	require.NoError(t, err)
}

func (e *webhookEnv) post(token string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/webhooks/asaas", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set(webhookTokenHeader, token)
	}
	rec := httptest.NewRecorder()
	checked(e.t, e.srv.Handler()).ServeHTTP(rec, req)
	return rec
}

type webhookAnswer struct {
	Status   string `json:"status"`
	EventKey string `json:"event_key"`
	Reason   string `json:"reason"`
}

func answerOf(t *testing.T, rec *httptest.ResponseRecorder) webhookAnswer {
	t.Helper()
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var a webhookAnswer
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &a))
	return a
}

func (e *webhookEnv) events(t *testing.T, account uuid.UUID) map[string]string {
	rows, err := e.pool.Query(context.Background(), "SELECT event_key, status FROM webhook_events WHERE account_id = $1", account)
	require.NoError(t, err)
	out := map[string]string{}
	for rows.Next() {
		var k, s string
		require.NoError(t, rows.Scan(&k, &s))
		out[k] = s
	}
	return out
}

// contract stands a running workflow contract/<id> up, of a type no worker polls.
func (e *webhookEnv) contract(t *testing.T) uuid.UUID {
	return e.contractWithID(t, uuid.New())
}

func (e *webhookEnv) contractWithID(t *testing.T, id uuid.UUID) uuid.UUID {
	_, err := e.tc.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{
		ID: workflows.ContractWorkflowID(id.String()), TaskQueue: "nobody-polls-" + id.String()}, "ContractWorkflow")
	require.NoError(t, err)
	return id
}

// signalled waits until the contract's workflow has received n payment events
// (the handler signals after answering) and returns them.
func (e *webhookEnv) signalled(t *testing.T, contract uuid.UUID, n int) []workflows.PaymentEvent {
	t.Helper()
	var got []workflows.PaymentEvent
	require.Eventually(t, func() bool {
		got = e.signals(t, contract)
		return len(got) >= n
	}, 10*time.Second, 20*time.Millisecond, "%d signals expected", n)
	return got
}

// settled waits until the handler has no signal in flight any more.
func (e *webhookEnv) settled() { e.srv.webhooks.Wait() }

// signals are the payment events the contract's workflow received, in order.
func (e *webhookEnv) signals(t *testing.T, contract uuid.UUID) []workflows.PaymentEvent {
	iter := e.tc.GetWorkflowHistory(context.Background(), workflows.ContractWorkflowID(contract.String()), "", false,
		enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var out []workflows.PaymentEvent
	for iter.HasNext() {
		ev, err := iter.Next()
		require.NoError(t, err)
		if a := ev.GetWorkflowExecutionSignaledEventAttributes(); a != nil {
			require.Equal(t, workflows.PaymentEventSignal, a.GetSignalName())
			for _, p := range a.GetInput().GetPayloads() {
				var pe workflows.PaymentEvent
				require.NoError(t, json.Unmarshal(p.GetData(), &pe))
				out = append(out, pe)
			}
		}
	}
	return out
}

func paymentBody(id, event string, contract uuid.UUID, n int) []byte {
	return []byte(fmt.Sprintf(`{"id":%q,"event":%q,"dateCreated":"2026-07-20 10:00:00","newTopLevelField":{"x":1},
		"payment":{"object":"payment","id":"pay_abc","value":100,"netValue":98.01,"status":"RECEIVED","billingType":"PIX",
		"externalReference":%q,"someNewField":"ignored"}}`, id, event, domain.ChargeReference(contract.String(), n)))
}

// The handler signals the contract its charge reference names, with the event
// key and the payment fields; a redelivery of the same event is a duplicate and
// reaches no workflow again.
func TestWebhookSignalsTheContractOnceAndDedupes(t *testing.T) {
	e := newWebhookEnv(t, testenv.Temporal(t))
	acct := e.account(t, "Acme", "acme-webhook-secret-0001", true)
	other := e.account(t, "Other", "other-webhook-secret-002", true)
	contract := e.contract(t)

	body := paymentBody("evt_"+uuid.NewString(), "PAYMENT_RECEIVED", contract, 2)
	first := answerOf(t, e.post("acme-webhook-secret-0001", body))
	assert.Equal(t, "accepted", first.Status)
	second := answerOf(t, e.post("acme-webhook-secret-0001", body)) // Asaas redelivers (at least once)
	assert.Equal(t, "duplicate", second.Status)
	assert.Equal(t, first.EventKey, second.EventKey)

	assert.Equal(t, map[string]string{first.EventKey: "received"}, e.events(t, acct), "one stored event for two deliveries, for the contract to decide")
	e.settled()
	sent := e.signalled(t, contract, 1)
	require.Len(t, sent, 1)
	assert.Equal(t, workflows.PaymentEvent{EventKey: first.EventKey, Event: "PAYMENT_RECEIVED", AccountID: acct.String(), InstallmentNumber: 2,
		Payment: workflows.GatewayPayment{ID: "pay_abc", Status: "RECEIVED", BillingType: "PIX",
			Value: decimal.RequireFromString("100"), NetValue: decimal.RequireFromString("98.01")}}, sent[0])
	assert.Empty(t, e.events(t, other), "nothing reaches another account")

	// No id in the payload (the seed's example): the body's hash is the key.
	anonymous := []byte(fmt.Sprintf(`{"event":"PAYMENT_CREATED","payment":{"id":"pay_x","value":10,"netValue":8.01,"status":"PENDING","externalReference":%q}}`,
		domain.ChargeReference(contract.String(), 1)))
	assert.Equal(t, "accepted", answerOf(t, e.post("acme-webhook-secret-0001", anonymous)).Status)
	assert.Equal(t, "duplicate", answerOf(t, e.post("acme-webhook-secret-0001", anonymous)).Status)
	assert.Len(t, e.events(t, acct), 2)
	e.settled()
	assert.Len(t, e.signalled(t, contract, 2), 2)
}

// Concurrent copies of one delivery store one row and signal once.
func TestWebhookConcurrentDuplicatesSignalOnce(t *testing.T) {
	e := newWebhookEnv(t, testenv.Temporal(t))
	acct := e.account(t, "Acme", "acme-webhook-secret-0001", true)
	contract := e.contract(t)
	body := paymentBody("evt_"+uuid.NewString(), "PAYMENT_RECEIVED", contract, 1)
	const copies = 8
	statuses := make([]string, copies)
	var wg sync.WaitGroup
	for i := range copies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := e.post("acme-webhook-secret-0001", body)
			if rec.Code == http.StatusOK {
				var a webhookAnswer
				_ = json.Unmarshal(rec.Body.Bytes(), &a)
				statuses[i] = a.Status
			}
		}()
	}
	wg.Wait()
	count := map[string]int{}
	for _, s := range statuses {
		count[s]++
	}
	assert.Equal(t, map[string]int{"accepted": 1, "duplicate": copies - 1}, count)
	assert.Len(t, e.events(t, acct), 1)
	e.settled()
	assert.Len(t, e.signalled(t, contract, 1), 1)
}

// What reaches no running contract is recorded as ignored, with the reason, in
// one place: a contract of another account (or none), a draft, a closed one, an
// event a contract does not act on, a payment we did not create, a disabled
// account. The answer is 200 (Asaas must not retry what will never apply); for a
// contract without a running workflow the reason is known once the handover is
// tried, after the answer.
func TestWebhookEventsThatReachNoRunningContract(t *testing.T) {
	e := newWebhookEnv(t, testenv.Temporal(t))
	acct := e.account(t, "Acme", "acme-webhook-secret-0001", true)
	sleepy := e.account(t, "Sleepy", "sleepy-webhook-secret-01", false)
	closed := e.storedContract(t, acct, "completed")
	draft := e.storedContract(t, acct, "draft")
	foreign := e.storedContract(t, sleepy, "active")
	ours := e.contract(t)
	cases := []struct {
		name, token string
		body        []byte
		answer      string
		reason      string
	}{
		{"a closed contract", "acme-webhook-secret-0001", paymentBody("evt_closed", "PAYMENT_RECEIVED", closed, 1), "accepted", "is closed"},
		{"a draft", "acme-webhook-secret-0001", paymentBody("evt_draft", "PAYMENT_RECEIVED", draft, 1), "accepted", "is a draft"},
		{"no such contract", "acme-webhook-secret-0001", paymentBody("evt_none", "PAYMENT_RECEIVED", uuid.New(), 1), "accepted", "does not exist in this account"},
		{"another account's contract", "acme-webhook-secret-0001", paymentBody("evt_foreign", "PAYMENT_RECEIVED", foreign, 1), "accepted", "does not exist in this account"},
		{"an event no contract acts on", "acme-webhook-secret-0001", paymentBody("evt_viewed", "PAYMENT_BANK_SLIP_VIEWED", ours, 1), "ignored", "does not change a contract"},
		{"a payment we did not create", "acme-webhook-secret-0001", []byte(`{"id":"evt_theirs","event":"PAYMENT_RECEIVED","payment":{"id":"pay_t","value":1,"externalReference":"PEDIDO-77"}}`), "ignored", "not created by billing"},
		{"an event billing does not handle", "acme-webhook-secret-0001", []byte(`{"id":"evt_transfer","event":"TRANSFER_DONE","transfer":{"id":"tra_1"}}`), "ignored", "not handled by billing"},
		{"the billing module disabled", "sleepy-webhook-secret-01", paymentBody("evt_off", "PAYMENT_RECEIVED", ours, 1), "ignored", "disabled"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := answerOf(t, e.post(tc.token, tc.body))
			assert.Equal(t, tc.answer, a.Status)
			e.settled()
			var status, reason string
			require.NoError(t, e.pool.QueryRow(context.Background(), `SELECT status, coalesce(reason, '') FROM webhook_events WHERE event_key = $1`, a.EventKey).Scan(&status, &reason))
			assert.Equal(t, "ignored", status)
			assert.Contains(t, reason, tc.reason)
			if tc.answer == "ignored" {
				assert.Equal(t, a.Reason, reason)
			}
		})
	}
	assert.Empty(t, e.signals(t, ours), "an event that reaches no contract signals nothing")
	var audited int
	require.NoError(t, e.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_events WHERE action = 'webhook.ignored' AND contract_id = $1`, closed).Scan(&audited))
	assert.Equal(t, 1, audited, "money for a closed contract is in its audit trail")
	require.NoError(t, e.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_events WHERE account_id = $1`, sleepy).Scan(&audited))
	assert.Zero(t, audited, "nothing is written to the other account's trail")
}

// storedContract is a contract row of the account with the given status (no workflow).
func (e *webhookEnv) storedContract(t *testing.T, acct uuid.UUID, status string) uuid.UUID {
	ctx := context.Background()
	q := dbgen.New(e.pool)
	var user uuid.UUID
	require.NoError(t, e.pool.QueryRow(ctx, `SELECT id FROM users WHERE account_id = $1 LIMIT 1`, acct).Scan(&user))
	cl, err := q.CreateClient(ctx, dbgen.CreateClientParams{AccountID: acct, Name: "Cliente", CpfCnpj: "24971563792"})
	require.NoError(t, err)
	c, err := q.CreateContract(ctx, dbgen.CreateContractParams{AccountID: acct, ClientID: cl.ID, BillingType: "PIX",
		TotalAmount: decimal.RequireFromString("100"), InstallmentCount: 1, IntervalMonths: 1,
		FirstDueDate: time.Date(2030, 1, 10, 0, 0, 0, 0, time.UTC), CreatedBy: user})
	require.NoError(t, err)
	_, err = e.pool.Exec(ctx, `UPDATE contracts SET status = $2,
		activated_at = CASE WHEN $2 = 'draft' THEN NULL ELSE now() END,
		completed_at = CASE WHEN $2 = 'completed' THEN now() END,
		cancelled_at = CASE WHEN $2 = 'cancelled' THEN now() END WHERE id = $1`, c.ID, status)
	require.NoError(t, err)
	return c.ID
}

func TestWebhookRejectsAndRecordsNothing(t *testing.T) {
	e := newWebhookEnv(t, testenv.Temporal(t))
	acct := e.account(t, "Acme", "acme-webhook-secret-0001", true)
	contract := e.contract(t)
	huge := append([]byte(`{"event":"PAYMENT_RECEIVED","pad":"`), bytes.Repeat([]byte("x"), 1<<20)...)
	huge = append(huge, `"}`...)
	deep := []byte(`{"event":"PAYMENT_RECEIVED","payment":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`)
	cases := []struct {
		name   string
		token  string
		body   []byte
		status int
	}{
		{"no token", "", paymentBody("evt_1", "PAYMENT_RECEIVED", contract, 1), http.StatusUnauthorized},
		{"wrong token", "not-the-secret-at-all-000", paymentBody("evt_2", "PAYMENT_RECEIVED", contract, 1), http.StatusUnauthorized},
		{"over 1 MiB", "acme-webhook-secret-0001", huge, http.StatusRequestEntityTooLarge},
		{"not JSON", "acme-webhook-secret-0001", []byte("event=PAYMENT_RECEIVED"), http.StatusBadRequest},
		{"no event", "acme-webhook-secret-0001", []byte(`{"id":"evt_3","payment":{}}`), http.StatusBadRequest},
		{"a JSON array", "acme-webhook-secret-0001", []byte(`[{"event":"PAYMENT_RECEIVED"}]`), http.StatusBadRequest},
		{"deeply nested", "acme-webhook-secret-0001", deep, http.StatusBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := e.post(tc.token, tc.body)
			assert.Equal(t, tc.status, rec.Code, rec.Body.String())
			assert.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
		})
	}
	assert.Empty(t, e.events(t, acct), "a rejected delivery records nothing")
	assert.Empty(t, e.signals(t, contract))
}

// A body with a key twice (also in another letter case, which encoding/json
// reads as the same key) is refused with 400, stored for inspection as sent, and
// never applied; the real event with the same id still goes through.
func TestWebhookWithDuplicateKeysIsStoredNeverApplied(t *testing.T) {
	e := newWebhookEnv(t, testenv.Temporal(t))
	acct := e.account(t, "Acme", "acme-webhook-secret-0001", true)
	contract := e.contract(t)
	ref := domain.ChargeReference(contract.String(), 1)
	cases := map[string]string{
		"top level, other case": `{"id":"evt_dup","event":"PAYMENT_RECEIVED","payment":{"id":"pay_1","value":100,"externalReference":%q},"PAYMENT":{"id":"pay_1","value":0.01,"externalReference":%q}}`,
		"inside the payment":    `{"id":"evt_dup","event":"PAYMENT_RECEIVED","payment":{"id":"pay_1","value":100,"Value":0.01,"externalReference":%q,"x":%q}}`,
	}
	for name, format := range cases {
		t.Run(name, func(t *testing.T) {
			body := fmt.Sprintf(format, ref, ref)
			rec := e.post("acme-webhook-secret-0001", []byte(body))
			require.Equal(t, http.StatusBadRequest, rec.Code, rec.Body.String())
			assert.Contains(t, rec.Body.String(), "twice")
			var raw []byte
			require.NoError(t, e.pool.QueryRow(context.Background(),
				`SELECT raw FROM webhook_events WHERE account_id = $1 AND status = 'rejected' AND raw->>'body_as_sent' = $2`, acct, body).Scan(&raw))
		})
	}
	e.settled()
	assert.Empty(t, e.signals(t, contract), "never applied")
	a := answerOf(t, e.post("acme-webhook-secret-0001", paymentBody("evt_dup", "PAYMENT_RECEIVED", contract, 1)))
	assert.Equal(t, "accepted", a.Status, "a rejected body does not shadow the real event's id")
	e.signalled(t, contract, 1)
}

// A rotated webhook secret stops working at once; the new one works at once.
func TestWebhookSecretRotationTakesEffectAtOnce(t *testing.T) {
	e := newWebhookEnv(t, testenv.Temporal(t))
	u := (&apiEnv{pool: e.pool}).account(t, "Acme", true)
	e.setSecret(t, u, "old-webhook-secret-00001")
	contract := e.contract(t)
	assert.Equal(t, "accepted", answerOf(t, e.post("old-webhook-secret-00001", paymentBody("evt_a", "PAYMENT_RECEIVED", contract, 1))).Status)
	e.setSecret(t, u, "new-webhook-secret-00001")
	e.settled()
	assert.Equal(t, http.StatusUnauthorized, e.post("old-webhook-secret-00001", paymentBody("evt_b", "PAYMENT_RECEIVED", contract, 1)).Code)
	assert.Equal(t, "accepted", answerOf(t, e.post("new-webhook-secret-00001", paymentBody("evt_c", "PAYMENT_RECEIVED", contract, 1))).Status)
	e.settled()
	var keys []string
	for _, s := range e.signalled(t, contract, 2) {
		keys = append(keys, s.EventKey)
	}
	assert.Equal(t, []string{"evt_a", "evt_c"}, keys, "the old secret's delivery reached nothing")
}

// The answer does not wait for Temporal: the event is stored queued for the
// relay before it; when Temporal does not take the signal, the event is due to
// the relay at once, which hands it over once Temporal is back, once. Asaas's
// retry of that delivery meanwhile is a duplicate.
func TestWebhookLeavesTheEventToTheRelayWhenTemporalIsDown(t *testing.T) {
	dead, err := temporaldev.FreeAddress()
	require.NoError(t, err)
	down, err := client.NewLazyClient(client.Options{HostPort: dead})
	require.NoError(t, err)
	defer down.Close()
	up := testenv.Temporal(t)
	e := newWebhookEnv(t, up)
	acct := e.account(t, "Acme", "acme-webhook-secret-0001", true)
	contract := e.contract(t)
	e.srv = NewServer(Deps{Pool: e.pool, Temporal: down, Logger: slog.New(slog.DiscardHandler), SecretKey: testSecretKey,
		Webhooks: webhooks.Options{SignalTimeout: 500 * time.Millisecond}})

	body := paymentBody("evt_retry", "PAYMENT_RECEIVED", contract, 1)
	a := answerOf(t, e.post("acme-webhook-secret-0001", body))
	assert.Equal(t, "accepted", a.Status, "stored queued for the relay: it can no longer be lost")
	e.settled()
	var due bool
	require.NoError(t, e.pool.QueryRow(context.Background(), `SELECT relay_at <= now() FROM webhook_events WHERE event_key = 'evt_retry'`).Scan(&due))
	assert.True(t, due, "Temporal did not take it: due to the relay at once")
	assert.Equal(t, "duplicate", answerOf(t, e.post("acme-webhook-secret-0001", body)).Status)
	e.settled()

	relay := webhooks.New(e.pool, up, slog.New(slog.DiscardHandler), webhooks.Options{})
	n, err := relay.RelayOnce(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	n, err = relay.RelayOnce(context.Background())
	require.NoError(t, err)
	assert.Zero(t, n, "the claim pushed the next attempt out")
	sent := e.signals(t, contract)
	require.Len(t, sent, 1)
	assert.Equal(t, "evt_retry", sent[0].EventKey)
	assert.Equal(t, acct.String(), sent[0].AccountID)

	e.srv = NewServer(Deps{Pool: e.pool, Temporal: up, Logger: slog.New(slog.DiscardHandler), SecretKey: testSecretKey})
	assert.Equal(t, "duplicate", answerOf(t, e.post("acme-webhook-secret-0001", body)).Status)
	e.settled()
	assert.Len(t, e.signals(t, contract), 1)
}

// When PostgreSQL does not answer, nothing is acknowledged: 503, Asaas retries.
func TestWebhookAnswers503WhenPostgresIsDown(t *testing.T) {
	e := newWebhookEnv(t, testenv.Temporal(t))
	e.account(t, "Acme", "acme-webhook-secret-0001", true)
	contract := e.contract(t)
	e.pool.Close()
	rec := e.post("acme-webhook-secret-0001", paymentBody("evt_pg", "PAYMENT_RECEIVED", contract, 1))
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code, rec.Body.String())
	assert.Empty(t, e.signals(t, contract))
}

// Bill events are applied in the handler's own transaction, so a bill's timeline
// is in the order Asaas sent its events, also when they share one dateCreated
// second (and an older event that arrives late never moves the status back).
func TestWebhookBillTimelineFollowsTheOrderSent(t *testing.T) {
	e := newWebhookEnv(t, testenv.Temporal(t))
	u := (&apiEnv{pool: e.pool}).account(t, "Acme", true)
	e.setSecret(t, u, "acme-webhook-secret-0001")
	bill := func(id, event, status, at string) []byte {
		return []byte(fmt.Sprintf(`{"id":%q,"event":%q,"dateCreated":%q,"bill":{"object":"bill","id":"bill_1","status":%q,"value":29.90,"dueDate":"2026-07-31"}}`,
			id, event, at, status))
	}
	sent := [][]byte{
		bill("evt_b1", "BILL_CREATED", "PENDING", "2026-07-24 12:00:05"),
		bill("evt_b2", "BILL_PENDING", "PENDING", "2026-07-24 12:00:05"),
		bill("evt_b3", "BILL_BANK_PROCESSING", "BANK_PROCESSING", "2026-07-24 12:00:05"),
		bill("evt_b4", "BILL_PAID", "PAID", "2026-07-24 12:00:05"),
		bill("evt_b0", "BILL_PENDING", "PENDING", "2026-07-24 12:00:01"), // an older one, late
	}
	for _, b := range sent {
		assert.Equal(t, "processed", answerOf(t, e.post("acme-webhook-secret-0001", b)).Status)
	}
	assert.Equal(t, "duplicate", answerOf(t, e.post("acme-webhook-secret-0001", sent[3])).Status)

	var id uuid.UUID
	require.NoError(t, e.pool.QueryRow(context.Background(), `SELECT id FROM bills WHERE account_id = $1`, u.AccountID).Scan(&id))
	req := httptest.NewRequest(http.MethodGet, "/v1/bills/"+id.String(), nil)
	req.Header.Set("Authorization", "Bearer "+u.Token)
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var detail struct {
		Status   string `json:"status"`
		Timeline []struct {
			Status       string `json:"status"`
			AsaasEventID string `json:"asaas_event_id"`
		} `json:"timeline"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &detail))
	assert.Equal(t, "PAID", detail.Status)
	var order []string
	for _, s := range detail.Timeline {
		order = append(order, s.AsaasEventID+":"+s.Status)
	}
	assert.Equal(t, []string{"evt_b0:PENDING", "evt_b1:PENDING", "evt_b2:PENDING", "evt_b3:BANK_PROCESSING", "evt_b4:PAID"}, order)
}

// An event for a contract is stored already due to the relay (relay_at), so it
// is safe before the answer; the handover after the answer is what signals it.
func TestWebhookStoresTheEventDueToTheRelay(t *testing.T) {
	e := newWebhookEnv(t, testenv.Temporal(t))
	acct := e.account(t, "Acme", "acme-webhook-secret-0001", true)
	contract := e.contract(t)
	ev, err := asaas.ParseWebhook(paymentBody("evt_due", "PAYMENT_RECEIVED", contract, 1))
	require.NoError(t, err)
	stored, err := dbgen.New(e.pool).StoreWebhookDelivery(context.Background(), dbgen.StoreWebhookDeliveryParams{AccountID: acct,
		SecretHash: secret.WebhookSecretHash(testSecretKey, "acme-webhook-secret-0001"), EventKey: ev.Key(), EventType: ev.Event,
		ContractID: &contract, Status: "received", Raw: ev.Raw, RelayAt: ptr(time.Now().Add(webhooks.DefaultDecideWithin))})
	require.NoError(t, err)
	require.True(t, stored.Authorized)
	var later bool
	require.NoError(t, e.pool.QueryRow(context.Background(), `SELECT relay_at > now() + interval '20 seconds' FROM webhook_events WHERE event_key = 'evt_due'`).Scan(&later))
	assert.True(t, later, "due to the relay only if its contract has not decided it in time")
	n, err := webhooks.New(e.pool, e.tc, slog.New(slog.DiscardHandler), webhooks.Options{}).RelayOnce(context.Background())
	require.NoError(t, err)
	assert.Zero(t, n, "not due yet: the handover signals it")
}
