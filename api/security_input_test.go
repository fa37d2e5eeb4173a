package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"billing/secret"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// securityEnv is one account with the seed's business (settings, payees, template,
// client, a contract from the template with a paid installment and a payout) and a
// draft contract from scratch, for the hostile-input tests.
type securityEnv struct {
	*apiEnv
	paidBusiness
	draft string // a draft contract from scratch (PATCH target)
}

func newSecurityEnv(t *testing.T) *securityEnv {
	t.Helper()
	e := newAPIEnv(t)
	s := &securityEnv{apiEnv: e, paidBusiness: e.setUpPaidBusiness(t, e.account(t, "Acme", true))}
	// Routes that call Asaas (payment links, PIX) reach the simulator with the
	// account's stored key.
	e.useSimulator(t).adopt(t, sandboxKey)
	s.draft = e.must(t, http.StatusCreated, s.Token, "POST", "/v1/contracts", map[string]any{
		"client_id": s.client, "billing_type": "PIX", "total_amount": "300.00", "installment_count": 3,
		"first_due_date": time.Now().UTC().AddDate(0, 1, 0).Format(dateLayout),
	})["id"].(string)
	return s
}

// pathFor fills the path parameters of an OpenAPI pattern with this account's ids.
func (s *securityEnv) pathFor(pattern string) string {
	ids := map[string]string{
		"/v1/clients/": s.client, "/v1/payees/": s.walletPayee, "/v1/templates/": s.template,
		"/v1/contracts/": s.contract, "/v1/payouts/": s.payout,
	}
	path := strings.ReplaceAll(pattern, "{n}", "2")
	for prefix, id := range ids {
		if strings.HasPrefix(path, prefix) {
			path = strings.ReplaceAll(path, "{id}", id)
		}
	}
	if pattern == "/v1/contracts/{id}" {
		path = "/v1/contracts/" + s.draft // only a draft can be edited
	}
	return path
}

// writeRoute says how to call one writing operation validly: its valid bodies (the
// test picks the first one holding the field under test) and where a stored field
// can be read back.
type writeRoute struct {
	bodies []func(t *testing.T) map[string]any
	// stored returns what the server kept of field after a 2xx answer r; ok false
	// when there is no way to read it back.
	stored func(t *testing.T, field string, r resp) (v string, ok bool)
}

func (s *securityEnv) writeRoutes() map[string]writeRoute {
	due := time.Now().UTC().AddDate(0, 1, 0).Format(dateLayout)
	today := time.Now().UTC().Format(dateLayout)
	pct := func() map[string]any {
		return map[string]any{"kind": "percentage", "payee_id": s.walletPayee, "percent": "10", "via_gateway": false}
	}
	fixed := func() map[string]any {
		return map[string]any{"kind": "fixed", "payee_id": s.bankPayee, "amount": "5.00"}
	}
	body := func(kv ...any) func(t *testing.T) map[string]any {
		return func(*testing.T) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				if f, ok := kv[i+1].(func() map[string]any); ok {
					m[kv[i].(string)] = []any{f()}
				} else {
					m[kv[i].(string)] = kv[i+1]
				}
			}
			return m
		}
	}
	client := body("name", "Cliente", "cpf_cnpj", "24971563792", "email", "c@example.com", "phone", "(47) 99876-5432")
	payee := body("name", "Ana", "person_type", "person", "cpf_cnpj", "52998224725", "asaas_wallet_id", uuid.NewString(),
		"pix_key", "ana@example.com", "pix_key_type", "EMAIL", "bank_code", "341", "agency", "1234", "account", "567890",
		"account_digit", "1", "account_type", "CHECKING")
	// charge_terms, built afresh for every body (a test writes into the body it gets).
	withTerms := func(percentage bool, b func(*testing.T) map[string]any) func(*testing.T) map[string]any {
		return func(t *testing.T) map[string]any {
			m := b(t)
			m["charge_terms"] = map[string]any{"fine_percent": "2", "interest_percent_per_month": "1",
				"discount": map[string]any{"kind": "fixed", "amount": "1.00", "days_before_due": 2}}
			if percentage {
				m["charge_terms"] = map[string]any{"discount": map[string]any{"kind": "percentage", "percent": "5"}}
			}
			return m
		}
	}
	template := []func(t *testing.T) map[string]any{
		withTerms(false, body("name", "T", "description", "d", "installment_count", 3, "billing_type", "PIX", "interval_months", 1, "split_rules", pct)),
		withTerms(true, body("name", "T", "installment_count", 3, "billing_type", "PIX", "split_rules", fixed)),
	}
	return map[string]writeRoute{
		"PUT /v1/settings/asaas": {bodies: []func(*testing.T) map[string]any{
			body("api_key", sandboxKey, "environment", "sandbox", "webhook_secret", "whsec-security-0123456789")},
			stored: s.storedSecret},
		"POST /v1/clients":         {bodies: []func(*testing.T) map[string]any{client}},
		"PATCH /v1/clients/{id}":   {bodies: []func(*testing.T) map[string]any{client}},
		"POST /v1/payees":          {bodies: []func(*testing.T) map[string]any{payee}},
		"PATCH /v1/payees/{id}":    {bodies: []func(*testing.T) map[string]any{payee}},
		"POST /v1/templates":       {bodies: template},
		"PATCH /v1/templates/{id}": {bodies: template},
		"POST /v1/contracts": {bodies: []func(*testing.T) map[string]any{
			body("template_id", s.template, "client_id", s.client, "total_amount", "300.00", "first_due_date", due, "description", "d"),
			withTerms(false, body("client_id", s.client, "billing_type", "PIX", "total_amount", "300.00", "installment_count", 3,
				"first_due_date", due, "split_rules", pct)),
			withTerms(true, body("client_id", s.client, "billing_type", "PIX", "installments", func() map[string]any {
				return map[string]any{"value": "100.00", "due_date": due}
			}, "split_rules", fixed)),
		}},
		"PATCH /v1/contracts/{id}": {bodies: []func(*testing.T) map[string]any{
			withTerms(false, body("description", "d", "billing_type", "PIX", "total_amount", "300.00", "first_due_date", due, "split_rules", pct)),
			withTerms(true, body("installments", func() map[string]any { return map[string]any{"value": "100.00", "due_date": due} }, "split_rules", fixed)),
		}},
		"POST /v1/contracts/{id}/installments/{n}/mark-paid": {bodies: []func(*testing.T) map[string]any{
			body("amount", "29.16", "paid_on", today)}},
		"PATCH /v1/contracts/{id}/installments/{n}": {bodies: []func(*testing.T) map[string]any{
			body("value", "29.16", "due_date", due)}},
		"POST /v1/contracts/{id}/installments/{n}/reissue": {bodies: []func(*testing.T) map[string]any{
			body("due_date", due)}},
		"POST /v1/contracts/{id}/cancel": {bodies: []func(*testing.T) map[string]any{body("reason", "cliente desistiu")},
			stored: s.storedCancelReason},
		"POST /v1/payment-links": {bodies: []func(*testing.T) map[string]any{
			body("name", "Link", "value", "50.00", "billing_type", "PIX", "charge_type", "DETACHED", "description", "d"),
			body("name", "Link tied", "billing_type", "PIX", "charge_type", "DETACHED", "contract_id", s.contract, "installment", 2),
			body("name", "Monthly", "value", "50.00", "billing_type", "BOLETO", "charge_type", "RECURRENT", "subscription_cycle", "MONTHLY")}},
		"POST /v1/payouts": {bodies: []func(*testing.T) map[string]any{func(t *testing.T) map[string]any {
			return map[string]any{"entry_ids": []any{s.pendingEntry(t)}, "paid_on": today, "method": "PIX", "reference": "E2E"}
		}}},
		"POST /v1/tokens": {bodies: []func(*testing.T) map[string]any{
			body("name", "ci", "expires_at", time.Now().UTC().AddDate(1, 0, 0).Format(time.RFC3339))}},
		"POST /v1/payouts/bulk": {bodies: []func(*testing.T) map[string]any{func(t *testing.T) map[string]any {
			return map[string]any{"entry_ids": []any{s.pendingEntry(t)}, "paid_on": today, "method": "PIX", "reference": "E2E"}
		}}, stored: func(t *testing.T, field string, r resp) (string, bool) {
			v, ok := getPath(r.obj(t), "payouts[0]."+field)
			text, isText := v.(string)
			return text, ok && isText
		}},
		"POST /v1/payouts/{id}/void": {bodies: []func(*testing.T) map[string]any{func(t *testing.T) map[string]any {
			s.payout = s.freshPayout(t) // a payout voids once: each request gets its own
			return map[string]any{"reason": "pago em duplicidade"}
		}}, stored: func(t *testing.T, field string, r resp) (string, bool) {
			v, ok := r.obj(t)["void_reason"].(string)
			return v, ok && field == "reason"
		}},
		"POST /v1/split-rules/preview": {bodies: []func(*testing.T) map[string]any{
			body("split_rules", pct, "amount", "100.00", "net_amount", "98.01", "origin", "gateway"),
			body("split_rules", fixed, "amount", "100.00")}},
	}
}

// storedSecret reads the write-only settings back: the API key decrypted, the
// webhook secret as its hash (equal to the hash of what was sent when stored exactly).
func (s *securityEnv) storedSecret(t *testing.T, field string, _ resp) (string, bool) {
	var sealed, hash []byte
	require.NoError(t, s.pool.QueryRow(context.Background(),
		"SELECT api_key_ciphertext, webhook_secret_hash FROM asaas_settings WHERE account_id = $1", s.AccountID).Scan(&sealed, &hash))
	switch field {
	case "api_key":
		key, err := secret.Open(testSecretKey, sealed, s.AccountID[:])
		require.NoError(t, err)
		return string(key), true
	case "webhook_secret":
		return string(hash), true // compared with the hash of the value sent, below
	}
	return "", false
}

// storedCancelReason is the reason the contract engine received.
func (s *securityEnv) storedCancelReason(t *testing.T, _ string, _ resp) (string, bool) {
	s.engine.mu.Lock()
	defer s.engine.mu.Unlock()
	last := s.engine.calls[len(s.engine.calls)-1]
	reason, ok := strings.CutPrefix(last, "cancel ")
	require.True(t, ok, last)
	return strings.TrimSuffix(reason, " "+s.contract), true
}

// freshPayout records a payout of a pending entry and returns its id.
func (s *securityEnv) freshPayout(t *testing.T) string {
	return s.must(t, http.StatusCreated, s.Token, "POST", "/v1/payouts", map[string]any{
		"entry_ids": []any{s.pendingEntry(t)}, "paid_on": time.Now().UTC().Format(dateLayout), "method": "PIX"})["id"].(string)
}

// pendingEntry is a split entry waiting for a payout: the last one made, or a new
// one on the next installment (payouts use them up).
func (s *securityEnv) pendingEntry(t *testing.T) string {
	var id uuid.UUID
	err := s.pool.QueryRow(context.Background(), `SELECT id FROM split_entries WHERE account_id = $1 AND status = 'pending'
		AND payee_id IS NOT NULL ORDER BY occurred_on, id LIMIT 1`, s.AccountID).Scan(&id)
	if err == nil {
		return id.String()
	}
	var contract uuid.UUID
	var next *int
	require.NoError(t, s.pool.QueryRow(context.Background(), `SELECT contract_id, min(number) FROM installments
		WHERE account_id = $1 AND status <> 'paid' GROUP BY contract_id ORDER BY contract_id = $2 DESC LIMIT 1`,
		s.AccountID, s.contract).Scan(&contract, &next))
	franchise := mustUUID(t, s.bankPayee)
	ids := s.paidInstallment(t, s.AccountID, contract, *next, "29.16", "29.16",
		seedEntry{&franchise, pos(4), "remainder", "29.16", "pending"})
	return ids[0].String()
}

// Every text field of every writing route (walked from openapi.yaml) gets every
// hostile value: never a 500; a 422 naming the field with nothing written, or the
// value stored and returned exactly. NUL, invalid UTF-8 and lone surrogates are
// always a 422.
func TestHostileTextInEveryBodyField(t *testing.T) {
	s := newSecurityEnv(t)
	doc := openapiDoc(t)
	routes := s.writeRoutes()
	covered, stored := 0, 0
	for _, op := range openapiOperations(t, doc) {
		schema := op.requestSchema(doc)
		if schema == nil || op.pattern == "/webhooks/asaas" { // the webhook has its own tests
			continue
		}
		wr, ok := routes[op.route()]
		require.True(t, ok, "add %s to writeRoutes: it takes a body", op.route())
		for _, field := range textFields(doc, schema, "") {
			base := -1
			for i, b := range wr.bodies {
				if _, has := getPath(b(t), field); has {
					base = i
					break
				}
			}
			require.GreaterOrEqual(t, base, 0, "%s: no valid body of writeRoutes holds %s", op.route(), field)
			covered++
			for _, h := range hostileTexts {
				t.Run(op.route()+" "+field+" "+h.name, func(t *testing.T) {
					if s.checkHostileField(t, op, wr, wr.bodies[base](t), field, h) {
						stored++
					}
				})
			}
		}
	}
	assert.Greater(t, covered, 60, "text fields exercised")
	assert.Greater(t, stored, 50, "values stored and read back")
}

// checkHostileField sends one hostile value in one field; true when it was stored.
func (s *securityEnv) checkHostileField(t *testing.T, op operation, wr writeRoute, body map[string]any, field string, h hostile) bool {
	raw := withHostile(t, body, field, h)
	before := rowCounts(t, s.apiEnv)
	r := s.call(t, s.Token, op.method, s.pathFor(op.pattern), raw)
	require.Less(t, r.Code, 500, "%s", r)
	if r.Code == http.StatusUnprocessableEntity {
		assert.Equal(t, "application/problem+json", r.Header.Get("Content-Type"))
		assert.Contains(t, problemFields(t, r), field, "the 422 names the field: %s", r)
		assert.Equal(t, before, rowCounts(t, s.apiEnv), "a refused request writes nothing")
		return false
	}
	require.False(t, h.reject, "%s must be refused with a 422 naming %s; got %d %s", h.name, field, r.Code, r)
	require.True(t, r.Code >= 200 && r.Code < 300, "neither stored nor refused: %d %s", r.Code, r)
	got, ok := "", false
	if wr.stored != nil {
		got, ok = wr.stored(t, field, r)
	} else {
		var answer any
		require.NoError(t, json.Unmarshal(r.Body, &answer))
		var v any
		if v, ok = getPath(answer, field); ok {
			got, ok = v.(string)
		}
	}
	require.True(t, ok, "the answer does not show %s: %s", field, r)
	want := h.raw
	if op.route() == "PUT /v1/settings/asaas" && field == "webhook_secret" {
		want = string(secret.WebhookSecretHash(testSecretKey, secret.WebhookToken(s.AccountID, h.raw)))
	}
	assert.Equal(t, want, got, "%s is stored and returned exactly", field)
	return true
}

// Every query parameter of every route (from openapi.yaml) gets every hostile value:
// a 422 naming the parameter, or an answer that matches nothing; never a 500, and
// nothing written.
func TestHostileTextInEveryQueryParameter(t *testing.T) {
	s := newSecurityEnv(t)
	// The filters do find rows: an empty answer below is not for want of data.
	found := s.must(t, http.StatusOK, s.Token, "GET", "/v1/clients?q=Cliente", nil)["data"].([]any)
	require.Len(t, found, 1)
	found = s.must(t, http.StatusOK, s.Token, "GET", "/v1/audit-events?action=client.created", nil)["data"].([]any)
	require.Len(t, found, 1)

	exercised := 0
	for _, op := range openapiOperations(t, openapiDoc(t)) {
		for _, name := range op.paramsIn("query") {
			exercised++
			for _, h := range hostileTexts {
				t.Run(op.route()+" ?"+name+" "+h.name, func(t *testing.T) {
					before := rowCounts(t, s.apiEnv)
					path := s.pathFor(op.pattern) + "?" + url.QueryEscape(name) + "=" + url.QueryEscape(h.raw)
					r := s.call(t, s.Token, op.method, path, nil)
					require.Less(t, r.Code, 500, "%s", r)
					assert.Equal(t, before, rowCounts(t, s.apiEnv), "nothing written")
					if r.Code == http.StatusUnprocessableEntity {
						assert.Contains(t, problemFields(t, r), name, "the 422 names the parameter: %s", r)
						return
					}
					require.False(t, h.reject, "%s in ?%s must be a 422; got %d %s", h.name, name, r.Code, r)
					require.Equal(t, http.StatusOK, r.Code, "%s", r)
					if data, ok := r.obj(t)["data"]; ok {
						assert.Empty(t, data, "a hostile filter matches nothing")
					}
				})
			}
		}
	}
	assert.Greater(t, exercised, 30, "query parameters exercised")
}

// Every path parameter of every route gets every hostile value: 404 (nothing of this
// account has such an id), never a 500, nothing written.
func TestHostileTextInEveryPathParameter(t *testing.T) {
	s := newSecurityEnv(t)
	routes := s.writeRoutes()
	exercised := 0
	for _, op := range openapiOperations(t, openapiDoc(t)) {
		for _, name := range op.paramsIn("path") {
			exercised++
			var body any
			if wr, ok := routes[op.route()]; ok {
				body = wr.bodies[0](t)
			}
			for _, h := range hostileTexts {
				t.Run(op.route()+" {"+name+"} "+h.name, func(t *testing.T) {
					before := rowCounts(t, s.apiEnv)
					path := strings.ReplaceAll(op.pattern, "{"+name+"}", url.PathEscape(h.raw))
					r := s.call(t, s.Token, op.method, s.pathFor(path), body)
					assert.Equal(t, http.StatusNotFound, r.Code, "%s", r)
					assert.Equal(t, "application/problem+json", r.Header.Get("Content-Type"))
					assert.Equal(t, before, rowCounts(t, s.apiEnv), "nothing written")
				})
			}
		}
	}
	assert.Greater(t, exercised, 15, "path parameters exercised")
	assert.Zero(t, s.engine.callCount(), "no contract action reached the engine")
}

// The Idempotency-Key header of every POST that honours it gets every hostile value:
// a 422 naming the header, or the request served and the key stored exactly (the
// same request again is replayed).
func TestHostileIdempotencyKeys(t *testing.T) {
	s := newSecurityEnv(t)
	routes := s.writeRoutes()
	for _, op := range openapiOperations(t, openapiDoc(t)) {
		if !contains(op.paramsIn("header"), idempotencyHeader) {
			continue
		}
		for _, h := range hostileTexts {
			t.Run(op.route()+" "+h.name, func(t *testing.T) {
				var body any
				if wr, ok := routes[op.route()]; ok {
					raw, err := json.Marshal(wr.bodies[0](t))
					require.NoError(t, err)
					body = raw
				}
				path := s.pathFor(op.pattern)
				before := rowCounts(t, s.apiEnv)
				r := s.call(t, s.Token, op.method, path, body, idempotencyHeader, h.raw)
				require.Less(t, r.Code, 500, "%s", r)
				if r.Code == http.StatusUnprocessableEntity {
					assert.Contains(t, problemFields(t, r), idempotencyHeader, "%s", r)
					assert.Equal(t, before, rowCounts(t, s.apiEnv), "nothing written")
					return
				}
				require.False(t, h.reject, "%s as Idempotency-Key must be a 422; got %d %s", h.name, r.Code, r)
				require.True(t, r.Code >= 200 && r.Code < 300, "%d %s", r.Code, r)
				again := s.call(t, s.Token, op.method, path, body, idempotencyHeader, h.raw)
				assert.Equal(t, r.Code, again.Code)
				assert.Equal(t, "true", again.Header.Get("Idempotent-Replayed"), "the key was stored as sent")
				first := r.obj(t)
				if op.route() == "POST /v1/tokens" { // a new token is shown once: the replay has it null
					require.NotNil(t, first["token"])
					first["token"] = nil
				}
				assert.Equal(t, first, again.obj(t))
			})
		}
	}
}
