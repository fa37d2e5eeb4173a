package api

import (
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// paidBusiness is a business whose first installment was paid through the gateway and
// split (fee, percentage via gateway, fixed and remainder pending), with one payout.
type paidBusiness struct {
	business
	entries []uuid.UUID // fee, percentage, fixed, remainder
	payout  string
}

func (e *apiEnv) setUpPaidBusiness(t *testing.T, u tenantUser) paidBusiness {
	t.Helper()
	b := paidBusiness{business: e.setUpBusiness(t, u)}
	ana, franchise := mustUUID(t, b.walletPayee), mustUUID(t, b.bankPayee)
	b.entries = e.paidInstallment(t, u.AccountID, mustUUID(t, b.contract), 1, "29.16", "27.17",
		seedEntry{nil, pos(1), "fee", "1.99", "paid"},
		seedEntry{&ana, pos(2), "percentage", "2.71", "sent_to_gateway"},
		seedEntry{&franchise, pos(3), "fixed", "5.00", "pending"},
		seedEntry{&franchise, pos(4), "remainder", "19.46", "pending"},
	)
	b.payout = e.must(t, http.StatusCreated, u.Token, "POST", "/v1/payouts", map[string]any{
		"entry_ids": []string{b.entries[2].String()}, "paid_on": "2026-07-25", "method": "PIX", "reference": "E123",
	})["id"].(string)
	return b
}

// Every route of the OpenAPI document, called by another account with the first
// account's real ids: 404 for every resource, nothing of the first account in any
// answer, nothing of it changed.
func TestAnotherAccountSeesNothingOnAnyRoute(t *testing.T) {
	e := newAPIEnv(t)
	g := e.useSimulator(t)
	a := e.setUpPaidBusiness(t, e.account(t, "Acme", true))
	b := e.account(t, "Rival", true)
	// What the gateway routes and the workflows give the first account: a live charge
	// of installment 2 in Asaas, a payment link, a stored delivery and a bill.
	charge := e.issueCharge(t, g.adopt(t, sandboxKey), a.AccountID, mustUUID(t, a.contract), 2, "BOLETO")
	link := e.must(t, http.StatusCreated, a.Token, "POST", "/v1/payment-links", map[string]any{
		"name": "Link Acme", "billing_type": "PIX", "charge_type": "DETACHED", "value": "50.00"})
	event := e.storeWebhookEvent(t, a.AccountID, storedEvent{"evt_acme_1", "PAYMENT_RECEIVED", "processed", 1}).String()
	bill := e.storeBill(t, a.AccountID, "bill_acme", 1, "150.00", billEvent{"PAID", 1}).String()
	recon := e.storeReconciliation(t, a.AccountID, time.Now(), nil).String()

	tokenID := e.must(t, http.StatusOK, a.Token, "GET", "/v1/tokens", nil)["data"].([]any)[0].(map[string]any)["id"].(string)
	secrets := []string{tokenID, a.Token, "ops@acme.test", a.AccountID.String(), a.UserID.String(), a.client, a.walletPayee, a.bankPayee, a.template,
		a.contract, a.payout, "Cliente Exemplo", "Ana Souza", "Franquia", "Padrão 12x", "wxyz",
		charge.ID, link["id"].(string), link["asaas_payment_link_id"].(string), "Link Acme", event, "evt_acme_1", bill, "bill_acme", recon}
	for _, id := range a.entries {
		secrets = append(secrets, id.String())
	}
	for _, in := range a.installments {
		secrets = append(secrets, in.(map[string]any)["id"].(string))
	}
	ownerViews := func() []string {
		var views []string
		for _, path := range []string{"/v1/clients/" + a.client, "/v1/payees/" + a.walletPayee, "/v1/payees/" + a.bankPayee,
			"/v1/templates/" + a.template, "/v1/contracts/" + a.contract, "/v1/payouts/" + a.payout, "/v1/settings/asaas",
			"/v1/audit-events?limit=200", "/v1/payment-links/" + link["id"].(string), "/v1/webhook-events/" + event,
			"/v1/bills/" + bill, "/v1/tokens", "/v1/reconciliations/" + recon} {
			r := e.call(t, a.Token, "GET", path, nil)
			require.Equal(t, http.StatusOK, r.Code, "the owner reads %s: %s", path, r)
			views = append(views, r.String())
		}
		return views
	}
	before := ownerViews()

	resourceOf := map[string]string{
		"/v1/clients/": a.client, "/v1/payees/": a.walletPayee, "/v1/templates/": a.template,
		"/v1/contracts/": a.contract, "/v1/payouts/": a.payout,
		"/v1/payment-links/": link["id"].(string), "/v1/webhook-events/": event, "/v1/bills/": bill,
		"/v1/tokens/": tokenID, "/v1/reconciliations/": recon,
	}
	// The installment {n} a route is called with: 1 (paid) unless it needs a live charge.
	installmentFor := map[string]string{"GET /v1/contracts/{id}/installments/{n}/pix": "2", "GET /v1/contracts/{id}/installments/{n}/boleto": "2"}
	bodyFor := map[string]any{
		"PATCH /v1/clients/{id}":                             map[string]any{"name": "Hijacked"},
		"PATCH /v1/payees/{id}":                              map[string]any{"name": "Hijacked"},
		"PATCH /v1/templates/{id}":                           map[string]any{"name": "Hijacked"},
		"PATCH /v1/contracts/{id}":                           map[string]any{"description": "Hijacked"},
		"POST /v1/contracts/{id}/installments/{n}/mark-paid": map[string]any{"amount": "29.16", "paid_on": "2026-07-24"},
		"POST /v1/contracts/{id}/cancel":                     map[string]any{"reason": "hijack"},
		"PATCH /v1/contracts/{id}/installments/{n}":          map[string]any{"value": "1.00"},
		"POST /v1/contracts/{id}/installments/{n}/reissue":   map[string]any{},
		"POST /v1/payouts/{id}/void":                         map[string]any{"reason": "hijack"},
	}
	// Routes without an id in the path: what the other account sends, and the answer.
	collection := map[string]struct {
		path   string
		body   any
		status int
	}{
		"GET /v1/settings/asaas":       {"/v1/settings/asaas", nil, http.StatusOK},
		"PUT /v1/settings/asaas":       {"/v1/settings/asaas", map[string]any{"api_key": "$aact_hmlg_rivalrivalrival1234", "environment": "sandbox"}, http.StatusOK},
		"POST /v1/settings/asaas/test": {"/v1/settings/asaas/test", nil, http.StatusConflict}, // runs before the PUT: not configured
		"GET /v1/clients":              {"/v1/clients?archived=all&q=Cliente", nil, http.StatusOK},
		"POST /v1/clients":             {"/v1/clients", map[string]any{"name": "Rival client", "cpf_cnpj": "52998224725"}, http.StatusCreated},
		"GET /v1/payees":               {"/v1/payees?archived=all", nil, http.StatusOK},
		"POST /v1/payees":              {"/v1/payees", map[string]any{"name": "Rival payee", "person_type": "person", "cpf_cnpj": "52998224725"}, http.StatusCreated},
		"GET /v1/templates":            {"/v1/templates?archived=all", nil, http.StatusOK},
		"POST /v1/templates": {"/v1/templates", map[string]any{"name": "T", "installment_count": 1, "billing_type": "PIX",
			"split_rules": []any{map[string]any{"kind": "remainder", "payee_id": a.bankPayee}}}, http.StatusUnprocessableEntity},
		"GET /v1/contracts": {"/v1/contracts?client_id=" + a.client, nil, http.StatusOK},
		"POST /v1/contracts": {"/v1/contracts", map[string]any{"template_id": a.template, "client_id": a.client,
			"total_amount": "10", "first_due_date": "2026-08-01"}, http.StatusUnprocessableEntity},
		"GET /v1/payouts/report": {"/v1/payouts/report?format=csv", nil, http.StatusOK},
		"GET /v1/payouts":        {"/v1/payouts?payee_id=" + a.bankPayee, nil, http.StatusOK},
		"POST /v1/payouts": {"/v1/payouts", map[string]any{"entry_ids": []string{a.entries[3].String()}, "paid_on": "2026-07-25",
			"method": "PIX"}, http.StatusUnprocessableEntity},
		"POST /v1/payouts/bulk": {"/v1/payouts/bulk", map[string]any{"entry_ids": []string{a.entries[3].String(), a.entries[2].String()},
			"paid_on": "2026-07-25", "method": "PIX"}, http.StatusUnprocessableEntity},
		"POST /v1/split-rules/preview": {"/v1/split-rules/preview", map[string]any{"amount": "10.00",
			"split_rules": []any{map[string]any{"kind": "remainder", "payee_id": a.bankPayee}}}, http.StatusUnprocessableEntity},
		"GET /v1/users":         {"/v1/users", nil, http.StatusOK},
		"GET /v1/audit-events":  {"/v1/audit-events?contract_id=" + a.contract, nil, http.StatusOK},
		"GET /v1/payment-links": {"/v1/payment-links?contract_id=" + a.contract, nil, http.StatusOK},
		"POST /v1/payment-links": {"/v1/payment-links", map[string]any{"name": "Hijack", "billing_type": "PIX", "charge_type": "DETACHED",
			"contract_id": a.contract, "installment": 2}, http.StatusUnprocessableEntity},
		"GET /v1/webhook-events":  {"/v1/webhook-events?type=PAYMENT_RECEIVED", nil, http.StatusOK},
		"GET /v1/bills":           {"/v1/bills?status=PAID", nil, http.StatusOK},
		"GET /v1/tokens":          {"/v1/tokens", nil, http.StatusOK},
		"POST /v1/tokens":         {"/v1/tokens", map[string]any{"name": "Rival token"}, http.StatusCreated},
		"GET /v1/reconciliations": {"/v1/reconciliations", nil, http.StatusOK},
		// Runs before the PUT (routes in order): the other account has no Asaas settings yet.
		"POST /v1/reconciliations": {"/v1/reconciliations", nil, http.StatusConflict},
	}
	// The webhook receiver has no bearer token at all: its own tests (webhook_asaas_test.go)
	// check that another account's webhook secret reaches nothing of this one.
	unauthenticated := map[string]bool{"GET /healthz": true, "GET /readyz": true, "GET /v1/openapi.json": true, "POST /webhooks/asaas": true}

	routes := openapiRoutes(openapiDoc(t))
	sort.Strings(routes)
	tested := 0
	for _, route := range routes {
		if unauthenticated[route] {
			continue
		}
		t.Run(route, func(t *testing.T) {
			method, pattern, _ := strings.Cut(route, " ")
			if !strings.Contains(pattern, "{") {
				c, ok := collection[route]
				require.True(t, ok, "add %s to this test's collection table", route)
				r := e.call(t, b.Token, method, c.path, c.body)
				assert.Equal(t, c.status, r.Code, r.String())
				for _, s := range secrets {
					assert.NotContains(t, r.String(), s, "the other account's answer leaks %s", s)
				}
				tested++
				return
			}
			n, ok := installmentFor[route]
			if !ok {
				n = "1"
			}
			path := strings.ReplaceAll(pattern, "{n}", n)
			for prefix, id := range resourceOf {
				if strings.HasPrefix(path, prefix) {
					path = strings.ReplaceAll(path, "{id}", id)
				}
			}
			require.NotContains(t, path, "{", "no id of the first account for %s", route)
			r := e.call(t, b.Token, method, path, bodyFor[route])
			assert.Equal(t, http.StatusNotFound, r.Code, r.String())
			assert.Equal(t, "application/problem+json", r.Header.Get("Content-Type"))
			for _, s := range secrets {
				assert.NotContains(t, r.String(), s)
			}
			if method == "GET" {
				assert.Equal(t, http.StatusOK, e.call(t, a.Token, method, path, nil).Code, "the owner can read %s", path)
			}
			tested++
		})
	}
	assert.Equal(t, len(collection), len(routes)-len(unauthenticated)-countWithID(routes), "every collection route was exercised")
	assert.Greater(t, tested, 25)
	assert.Equal(t, before, ownerViews(), "nothing of the first account changed")
	assert.Zero(t, e.engine.callCount(), "no contract action reached the engine")
	assert.EqualValues(t, 1, g.linkCreates.Load(), "only the first account's own link reached Asaas")
	for _, call := range e.tester.calls {
		assert.NotContains(t, call, sandboxKey, "the first account's key was never used for the other")
	}
}

func countWithID(routes []string) int {
	n := 0
	for _, r := range routes {
		if strings.Contains(r, "{") {
			n++
		}
	}
	return n
}
