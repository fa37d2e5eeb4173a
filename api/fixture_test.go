package api

import (
	"net/http"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

const (
	sandboxKey    = "$aact_hmlg_000MzkwODA2MWY2OGM3MWRlMDU2NWM3MzJlNzZmNGZhZGY6OmZha2Vfa2V5X2Zvcl90ZXN0c19vbmx5Ojo$wxyz"
	webhookSecret = "whsec-7f3a9c2e41b84d6fa0c5"
)

// business is what "How to use" steps 1-4 create for one account.
type business struct {
	tenantUser
	walletPayee  string // Ana: person, PIX key, Asaas walletId
	bankPayee    string // Franchise: company, bank account, no walletId
	template     string
	client       string
	contract     string
	installments []any
}

var (
	anaPayee = map[string]any{
		"name": "Ana Souza", "person_type": "person", "cpf_cnpj": "529.982.247-25",
		"asaas_wallet_id": "48548710-9baa-4ec1-a11f-9010193527c6",
		"pix_key":         "ana@example.com", "pix_key_type": "EMAIL",
	}
	franchisePayee = map[string]any{
		"name": "Franquia Centro Ltda", "person_type": "company", "cpf_cnpj": "11.222.333/0001-81",
		"pix_key": "11222333000181", "pix_key_type": "CNPJ",
		"bank_code": "341", "agency": "1234", "account": "567890", "account_digit": "1", "account_type": "CHECKING",
	}
)

// setUpBusiness walks the seed's steps 1-4 through the API: Asaas settings, two payees,
// a template with all four rule kinds, a client, and a contract generated from the
// template (350.00 in 12 installments).
func (e *apiEnv) setUpBusiness(t *testing.T, u tenantUser) business {
	t.Helper()
	b := business{tenantUser: u}
	e.must(t, http.StatusOK, u.Token, "PUT", "/v1/settings/asaas", map[string]any{
		"api_key": sandboxKey, "environment": "sandbox", "webhook_secret": webhookSecret + u.AccountID.String()[:8],
	})
	b.walletPayee = e.must(t, http.StatusCreated, u.Token, "POST", "/v1/payees", anaPayee)["id"].(string)
	b.bankPayee = e.must(t, http.StatusCreated, u.Token, "POST", "/v1/payees", franchisePayee)["id"].(string)
	b.template = e.must(t, http.StatusCreated, u.Token, "POST", "/v1/templates", map[string]any{
		"name": "Padrão 12x", "description": "Boleto mensal", "installment_count": 12, "billing_type": "BOLETO",
		"split_rules": []any{
			map[string]any{"kind": "fee"},
			map[string]any{"kind": "percentage", "payee_id": b.walletPayee, "percent": "10"},
			map[string]any{"kind": "fixed", "payee_id": b.bankPayee, "amount": 5},
			map[string]any{"kind": "remainder", "payee_id": b.bankPayee},
		},
	})["id"].(string)
	b.client = e.must(t, http.StatusCreated, u.Token, "POST", "/v1/clients", map[string]any{
		"name": "Cliente Exemplo", "cpf_cnpj": "24971563792", "email": "Cliente@Example.com", "phone": "(47) 99876-5432",
	})["id"].(string)
	contract := e.must(t, http.StatusCreated, u.Token, "POST", "/v1/contracts", map[string]any{
		"template_id": b.template, "client_id": b.client, "total_amount": "350.00", "first_due_date": "2026-07-24",
		"description": "Plano anual",
	})
	b.contract = contract["id"].(string)
	b.installments = contract["installments"].([]any)
	require.Len(t, b.installments, 12)
	return b
}

func mustUUID(t *testing.T, s string) uuid.UUID {
	t.Helper()
	id, err := uuid.Parse(s)
	require.NoError(t, err)
	return id
}
