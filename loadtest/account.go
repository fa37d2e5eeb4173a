package loadtest

import (
	"context"
	"fmt"
	"strings"
	"time"

	"billing/asaassim"
	"billing/secret"
	"billing/tenant"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// bench is a run's tenant: an account with the billing module on, connected to
// its own simulator account whose webhooks go to the collector, two payees (one
// with an Asaas wallet, so splits go to the gateway) and a pool of clients.
type bench struct {
	*stack
	api       *apiClient
	accountID uuid.UUID
	merchant  asaassim.Account
	agent     string // payee with a wallet: percentage split at Asaas
	partner   string // payee with a bank account: fixed + remainder, paid out by us
	clients   []string
	nextCPF   int
}

func newBench(ctx context.Context, s *stack, name string) (*bench, error) {
	p, err := tenant.CreateAccount(ctx, s.pool, name, "ops@bench.test", "Ops", true)
	if err != nil {
		return nil, err
	}
	b := &bench{stack: s, accountID: p.Account.ID}
	// The webhook token PUT /v1/settings/asaas makes of the secret (it ends with the account's id).
	token := secret.WebhookToken(p.Account.ID, "bench-webhook-"+uuid.NewString())
	b.api = &apiClient{base: s.apiURL, token: p.Token, webhookSecret: token, http: newHTTPClient()}
	if b.merchant, err = s.sim.AddAccount(asaassim.Account{Name: name + " at Asaas", APIKey: "$aact_hmlg_" + strings.ReplaceAll(uuid.NewString(), "-", "")}); err != nil {
		return nil, err
	}
	wallet := s.sim.CreateAccount("Agent's wallet")
	if err := s.sim.SetWebhook(b.merchant.ID, asaassim.WebhookConfig{URL: s.collector.url, AuthToken: token, Enabled: true}); err != nil {
		return nil, err
	}
	if _, err := b.api.call(ctx, "PUT", "/v1/settings/asaas", map[string]any{"api_key": b.merchant.APIKey, "environment": "sandbox", "webhook_secret": token}, nil); err != nil {
		return nil, err
	}
	var payee struct{ ID string }
	if _, err := b.api.call(ctx, "POST", "/v1/payees", map[string]any{"name": "Agente", "person_type": "person", "cpf_cnpj": "52998224725",
		"asaas_wallet_id": wallet.WalletID, "pix_key": "52998224725", "pix_key_type": "CPF"}, &payee); err != nil {
		return nil, err
	}
	b.agent = payee.ID
	if _, err := b.api.call(ctx, "POST", "/v1/payees", map[string]any{"name": "Franquia", "person_type": "company", "cpf_cnpj": "11222333000181",
		"bank_code": "001", "agency": "1234", "account": "56789", "account_digit": "0", "account_type": "CHECKING"}, &payee); err != nil {
		return nil, err
	}
	b.partner = payee.ID
	return b, nil
}

// newClients registers n more clients, each a distinct valid CPF.
func (b *bench) newClients(ctx context.Context, n int) ([]string, error) {
	ids := make([]string, n)
	first := b.nextCPF
	b.nextCPF += n
	err := parallel(ctx, n, 16, func(ctx context.Context, i int) error {
		var c struct{ ID string }
		_, err := b.api.call(ctx, "POST", "/v1/clients", map[string]any{"name": fmt.Sprintf("Cliente %d", first+i),
			"cpf_cnpj": cpf(first + i), "email": fmt.Sprintf("cliente%d@example.com", first+i)}, &c)
		ids[i] = c.ID
		return err
	})
	return ids, err
}

// contractSpec is what a phase sells: n monthly installments of 100.00 by PIX.
type contractSpec struct {
	installments int
	billingType  string
}

func (sp contractSpec) total() decimal.Decimal {
	return decimal.NewFromInt(int64(100 * sp.installments))
}

// createContract drafts a contract with the seed's split rules: the Asaas fee, 10%
// to the agent (at Asaas), 5.00 fixed and the remainder to the partner.
func (b *bench) createContract(ctx context.Context, clientID string, sp contractSpec) (string, error) {
	bt := sp.billingType
	if bt == "" {
		bt = "PIX"
	}
	var c struct{ ID string }
	_, err := b.api.call(ctx, "POST", "/v1/contracts", map[string]any{
		"client_id": clientID, "billing_type": bt, "total_amount": sp.total().StringFixed(2),
		"installment_count": sp.installments, "first_due_date": time.Now().AddDate(0, 0, 10).Format(time.DateOnly),
		"split_rules": []any{
			map[string]any{"kind": "fee"},
			map[string]any{"kind": "percentage", "payee_id": b.agent, "percent": "10"},
			map[string]any{"kind": "fixed", "payee_id": b.partner, "amount": "5.00"},
			map[string]any{"kind": "remainder", "payee_id": b.partner},
		}}, &c)
	return c.ID, err
}

// activate starts the contract's workflow; 202 means it goes on in the background.
func (b *bench) activate(ctx context.Context, contractID string) error {
	_, err := b.api.call(ctx, "POST", "/v1/contracts/"+contractID+"/activate", nil, nil, 200, 202)
	return err
}

// createAndActivate drafts and activates n contracts at conc, clients round-robin.
func (b *bench) createAndActivate(ctx context.Context, n, conc int, clients []string, sp contractSpec, started func(i int)) ([]string, error) {
	ids := make([]string, n)
	err := parallel(ctx, n, conc, func(ctx context.Context, i int) error {
		id, err := b.createContract(ctx, clients[i%len(clients)], sp)
		if err != nil {
			return err
		}
		ids[i] = id
		if started != nil {
			started(i)
		}
		return b.activate(ctx, id)
	})
	return ids, err
}

// chargesIssued counts the charges recorded for the contracts.
func (b *bench) chargesIssued(ctx context.Context, contracts []string) (int, error) {
	var n int
	err := b.pool.QueryRow(ctx, `SELECT count(*) FROM charges WHERE account_id = $1 AND contract_id = ANY($2::uuid[])`, b.accountID, contracts).Scan(&n)
	return n, err
}

// waitCharges waits until every contract has all its charges recorded.
func (b *bench) waitCharges(ctx context.Context, p *progress, what string, contracts []string, perContract int) error {
	want := len(contracts) * perContract
	return p.waitUntil(ctx, what, 200*time.Millisecond, func(ctx context.Context) (bool, string, error) {
		n, err := b.chargesIssued(ctx, contracts)
		return n >= want, fmt.Sprintf("%d/%d charges issued", n, want), err
	}, b.checkWorker)
}

// chargeOf is one issued charge of a phase's contracts.
type chargeOf struct {
	Contract  string
	Number    int
	PaymentID string
}

func (b *bench) charges(ctx context.Context, contracts []string) ([]chargeOf, error) {
	rows, err := b.pool.Query(ctx, `SELECT c.contract_id::text, i.number, c.asaas_payment_id FROM charges c
		JOIN installments i ON i.id = c.installment_id WHERE c.account_id = $1 AND c.contract_id = ANY($2::uuid[])
		ORDER BY c.contract_id, i.number`, b.accountID, contracts)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []chargeOf
	for rows.Next() {
		var c chargeOf
		if err := rows.Scan(&c.Contract, &c.Number, &c.PaymentID); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
