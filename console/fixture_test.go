package console

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"billing/tenant"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// Data for the page tests, made through the REST API as the stack's account (what
// the console shows is then what the API holds), or, for another account's records
// the console must not show, written straight to PostgreSQL.

// apiSend makes one API request with the stack's token and returns the status;
// out (when not nil) receives the JSON answer.
func (s *stack) apiSend(method, path string, body, out any) int {
	s.t.Helper()
	var raw []byte
	if body != nil {
		var err error
		raw, err = json.Marshal(body)
		require.NoError(s.t, err)
	}
	req, err := http.NewRequest(method, s.url+path, bytes.NewReader(raw))
	require.NoError(s.t, err)
	req.Header.Set("Authorization", "Bearer "+s.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	if out != nil {
		require.NoError(s.t, json.NewDecoder(resp.Body).Decode(out))
	}
	return resp.StatusCode
}

// must is apiSend that requires a 2xx answer.
func (s *stack) must(method, path string, body, out any) {
	s.t.Helper()
	var problem map[string]any
	if out == nil {
		out = &problem
	}
	status := s.apiSend(method, path, body, out)
	require.Less(s.t, status, 300, "%s %s: %d %v", method, path, status, out)
}

// paidFixture is an active PIX contract of three installments of R$ 100,00 with a
// fixed R$ 10,00 to a payee paid by us (no walletId); installment 1 marked paid, so
// its R$ 10,00 entry is pending, and a payout recorded for it.
type paidFixture struct {
	contract, payee, entry, payout string
}

func (s *stack) paidFixture() paidFixture {
	s.t.Helper()
	var f paidFixture
	s.must(http.MethodPut, "/v1/settings/asaas", map[string]any{"api_key": s.merchant.APIKey, "environment": "sandbox",
		"webhook_secret": s.secret}, nil)
	var made struct {
		ID string `json:"id"`
	}
	s.must(http.MethodPost, "/v1/payees", map[string]any{"name": "Agente", "person_type": "person", "cpf_cnpj": "52998224725",
		"pix_key_type": "CPF", "pix_key": "52998224725"}, &made)
	f.payee = made.ID
	s.must(http.MethodPost, "/v1/clients", map[string]any{"name": "Cliente", "cpf_cnpj": "24971563792"}, &made)
	s.must(http.MethodPost, "/v1/contracts", map[string]any{"client_id": made.ID, "billing_type": "PIX", "total_amount": "300.00",
		"installment_count": 3, "first_due_date": time.Now().In(saoPaulo).AddDate(0, 0, 10).Format(time.DateOnly),
		"split_rules": []map[string]any{{"kind": "fixed", "payee_id": f.payee, "amount": "10.00"}}}, &made)
	f.contract = made.ID
	s.must(http.MethodPost, "/v1/contracts/"+f.contract+"/activate", nil, nil)
	eventually(s.t, "every installment has its charge", func() bool {
		c := s.contract(f.contract)
		for _, in := range c.Installments {
			if in.Status != "open" {
				return false
			}
		}
		return true
	})
	s.must(http.MethodPost, "/v1/contracts/"+f.contract+"/installments/1/mark-paid",
		map[string]any{"amount": "100.00", "paid_on": time.Now().In(saoPaulo).Format(time.DateOnly)}, nil)
	eventually(s.t, "installment 1 is paid", func() bool { return s.contract(f.contract).Installments[0].Status == "paid" })
	for _, e := range s.contract(f.contract).Installments[0].SplitEntries {
		if e.PayeeID != nil && *e.PayeeID == f.payee {
			f.entry = e.ID
		}
	}
	require.NotEmpty(s.t, f.entry)
	s.must(http.MethodPost, "/v1/payouts", map[string]any{"entry_ids": []string{f.entry}, "paid_on": time.Now().UTC().Format(time.DateOnly),
		"method": "PIX", "reference": "PIX lote 7"}, &made)
	f.payout = made.ID
	return f
}

func (s *stack) contract(id string) contractDetail {
	s.t.Helper()
	var c contractDetail
	s.apiGet("/v1/contracts/"+id, &c)
	return c
}

func (s *stack) entryStatus(contract, entry string) string {
	s.t.Helper()
	for _, in := range s.contract(contract).Installments {
		for _, e := range in.SplitEntries {
			if e.ID == entry {
				return e.Status
			}
		}
	}
	return ""
}

// rival is another account with a payout and a reconciliation of its own, written
// straight to PostgreSQL: ids the console must answer with its 404 page.
type rival struct {
	payout, reconciliation string
}

func (s *stack) rival() rival {
	s.t.Helper()
	ctx := context.Background()
	p, err := tenant.CreateAccount(ctx, s.pool, "Rival", "ops@rival.test", "Rival", true)
	require.NoError(s.t, err)
	var r rival
	var payee uuid.UUID
	require.NoError(s.t, s.pool.QueryRow(ctx, `INSERT INTO payees (account_id, name, person_type, cpf_cnpj) VALUES ($1, 'Rival payee', 'person', '52998224725') RETURNING id`,
		p.Account.ID).Scan(&payee))
	require.NoError(s.t, s.pool.QueryRow(ctx, `INSERT INTO payouts (account_id, payee_id, paid_on, method, amount, recorded_by)
		VALUES ($1, $2, current_date, 'PIX', 12.34, $3) RETURNING id::text`, p.Account.ID, payee, p.User.ID).Scan(&r.payout))
	require.NoError(s.t, s.pool.QueryRow(ctx, `INSERT INTO reconciliations (id, account_id, source, workflow_id)
		VALUES (gen_random_uuid(), $1, 'queue-sweep', 'reconciliation/rival') RETURNING id::text`, p.Account.ID).Scan(&r.reconciliation))
	return r
}

// notFoundPage: the console's 404 page, worded as for an id that does not exist.
func notFoundPage(t *testing.T, p page, what string) {
	t.Helper()
	require.Equal(t, http.StatusNotFound, p.Status, p.Body)
	require.Contains(t, p.Body, `id="error-detail">`+what+` was not found.</p>`)
}
