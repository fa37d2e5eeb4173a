package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"billing/secret"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The seed's "How to use" steps 1-4, checked step by step through the API.
func TestHowToUseSteps1To4(t *testing.T) {
	e := newAPIEnv(t)
	u := e.account(t, "Acme", true)
	ctx := context.Background()

	t.Run("1 settings: Asaas key stored encrypted, shown masked, secrets never shown", func(t *testing.T) {
		got := e.must(t, http.StatusOK, u.Token, "GET", "/v1/settings/asaas", nil)
		assert.Equal(t, false, got["configured"])

		r := e.call(t, u.Token, "PUT", "/v1/settings/asaas", map[string]any{
			"api_key": sandboxKey, "environment": "sandbox", "webhook_secret": webhookSecret,
		})
		require.Equal(t, http.StatusOK, r.Code, r.String())
		token := secret.WebhookToken(u.AccountID, webhookSecret)
		assert.Equal(t, token, r.obj(t)["webhook_token"], "the token to paste in Asaas, shown by the PUT that set it")
		get := e.call(t, u.Token, "GET", "/v1/settings/asaas", nil).String()
		assert.NotContains(t, get, webhookSecret, "never shown again")
		assert.NotContains(t, get, "webhook_token")
		for _, body := range []string{r.String(), get} {
			assert.NotContains(t, body, sandboxKey[6:])
			assert.Contains(t, body, `"api_key":"$aact_****wxyz"`)
			assert.Contains(t, body, `"environment":"sandbox"`)
			assert.Contains(t, body, `"webhook_secret_configured":true`)
		}

		var ciphertext, hash []byte
		require.NoError(t, e.pool.QueryRow(ctx, "SELECT api_key_ciphertext, webhook_secret_hash FROM asaas_settings WHERE account_id = $1",
			u.AccountID).Scan(&ciphertext, &hash))
		assert.NotContains(t, string(ciphertext), sandboxKey[6:])
		plain, err := secret.Open(testSecretKey, ciphertext, u.AccountID[:])
		require.NoError(t, err)
		assert.Equal(t, sandboxKey, string(plain))
		assert.Equal(t, secret.WebhookSecretHash(testSecretKey, token), hash)

		// An update without the secrets keeps them.
		e.must(t, http.StatusOK, u.Token, "PUT", "/v1/settings/asaas", map[string]any{"environment": "sandbox"})
		var hashAfter []byte
		require.NoError(t, e.pool.QueryRow(ctx, "SELECT webhook_secret_hash FROM asaas_settings WHERE account_id = $1", u.AccountID).Scan(&hashAfter))
		assert.Equal(t, hash, hashAfter)

		ok := e.must(t, http.StatusOK, u.Token, "POST", "/v1/settings/asaas/test", nil)
		assert.Equal(t, true, ok["ok"])
		assert.Equal(t, []string{"sandbox " + sandboxKey}, e.tester.calls, "the tester gets the decrypted key")
		e.tester.err = errors.New("Asaas answered 401: invalid access_token")
		failed := e.must(t, http.StatusOK, u.Token, "POST", "/v1/settings/asaas/test", nil)
		assert.Equal(t, false, failed["ok"])
		assert.Equal(t, "Asaas answered 401: invalid access_token", failed["error"])

		var data string
		require.NoError(t, e.pool.QueryRow(ctx, "SELECT string_agg(data::text, ' ') FROM audit_events WHERE account_id = $1 AND action = 'settings.asaas_updated'",
			u.AccountID).Scan(&data))
		assert.NotContains(t, data, sandboxKey[6:])
		assert.NotContains(t, data, webhookSecret)
	})

	var ana, franchise, tmpl, client map[string]any
	t.Run("2 payees with PIX and bank details, with and without an Asaas walletId", func(t *testing.T) {
		ana = e.must(t, http.StatusCreated, u.Token, "POST", "/v1/payees", anaPayee)
		assert.Equal(t, "52998224725", ana["cpf_cnpj"], "punctuation stripped")
		assert.Equal(t, "48548710-9baa-4ec1-a11f-9010193527c6", ana["asaas_wallet_id"])
		assert.Equal(t, "EMAIL", ana["pix_key_type"])
		assert.Nil(t, ana["bank_code"])

		franchise = e.must(t, http.StatusCreated, u.Token, "POST", "/v1/payees", franchisePayee)
		assert.Equal(t, "11222333000181", franchise["cpf_cnpj"])
		assert.Nil(t, franchise["asaas_wallet_id"])
		for k, v := range map[string]string{"bank_code": "341", "agency": "1234", "account": "567890", "account_digit": "1", "account_type": "CHECKING"} {
			assert.Equal(t, v, franchise[k], k)
		}
		list := e.must(t, http.StatusOK, u.Token, "GET", "/v1/payees", nil)
		assert.Len(t, list["data"], 2)
		assert.Nil(t, list["next_cursor"])
	})

	t.Run("3 template with percentage, fixed, fee and remainder rules", func(t *testing.T) {
		tmpl = e.must(t, http.StatusCreated, u.Token, "POST", "/v1/templates", map[string]any{
			"name": "Padrão 12x", "installment_count": 12, "billing_type": "BOLETO",
			"split_rules": []any{
				map[string]any{"kind": "fee"},
				map[string]any{"kind": "percentage", "payee_id": ana["id"], "percent": "10"},
				map[string]any{"kind": "fixed", "payee_id": franchise["id"], "amount": 5},
				map[string]any{"kind": "remainder", "payee_id": franchise["id"]},
			},
		})
		assert.EqualValues(t, 1, tmpl["interval_months"], "monthly by default")
		rules := tmpl["split_rules"].([]any)
		require.Len(t, rules, 4)
		want := []map[string]any{
			{"position": 1.0, "kind": "fee", "payee_id": nil, "percent": nil, "amount": nil, "via_gateway": false},
			{"position": 2.0, "kind": "percentage", "payee_id": ana["id"], "percent": "10.00", "amount": nil, "via_gateway": true},
			{"position": 3.0, "kind": "fixed", "payee_id": franchise["id"], "percent": nil, "amount": "5.00", "via_gateway": false},
			{"position": 4.0, "kind": "remainder", "payee_id": franchise["id"], "percent": nil, "amount": nil, "via_gateway": false},
		}
		for i, w := range want {
			assert.Equal(t, w, rules[i], "rule %d (via_gateway defaults to whether the payee has a walletId)", i)
		}
	})

	t.Run("4 contract generated from the template for a client", func(t *testing.T) {
		client = e.must(t, http.StatusCreated, u.Token, "POST", "/v1/clients", map[string]any{
			"name": "Cliente Exemplo", "cpf_cnpj": "249.715.637-92", "email": "Cliente@Example.com", "phone": "(47) 99876-5432",
		})
		assert.Equal(t, "24971563792", client["cpf_cnpj"])
		assert.Equal(t, "cliente@example.com", client["email"])
		assert.Equal(t, "47998765432", client["phone"])

		c := e.must(t, http.StatusCreated, u.Token, "POST", "/v1/contracts", map[string]any{
			"template_id": tmpl["id"], "client_id": client["id"], "total_amount": 350, "first_due_date": "2026-07-24",
		})
		assert.Equal(t, "draft", c["status"])
		assert.Equal(t, "BOLETO", c["billing_type"])
		assert.Equal(t, "350.00", c["total_amount"])
		assert.EqualValues(t, 12, c["installment_count"])
		assert.Equal(t, tmpl["id"], c["template_id"])
		assert.Equal(t, tmpl["split_rules"], c["split_rules"], "the rules are copied from the template")

		installments := c["installments"].([]any)
		require.Len(t, installments, 12)
		sum := decimal.Zero
		for i, raw := range installments {
			in := raw.(map[string]any)
			want := "29.16"
			if i == 11 {
				want = "29.24"
			}
			assert.Equal(t, want, in["value"], "installment %d", i+1)
			assert.EqualValues(t, i+1, in["number"])
			assert.Equal(t, "scheduled", in["status"])
			assert.Nil(t, in["charge"])
			assert.Nil(t, in["payment"])
			sum = sum.Add(dec(in["value"].(string)))
		}
		assert.Equal(t, "350.00", sum.StringFixed(2), "the installments add up to the total")
		assert.Equal(t, "2026-07-24", installments[0].(map[string]any)["due_date"])
		assert.Equal(t, "2027-06-24", installments[11].(map[string]any)["due_date"])
		assert.Equal(t, map[string]any{"total": "350.00", "paid": "0.00", "refunded": "0.00", "outstanding": "350.00", "paid_installments": 0.0}, c["totals"])

		got := e.must(t, http.StatusOK, u.Token, "GET", "/v1/contracts/"+c["id"].(string), nil)
		assert.Equal(t, c, got)
		listed := e.must(t, http.StatusOK, u.Token, "GET", "/v1/contracts?status=draft&due_from=2027-06-01&due_to=2027-06-30&client_id="+client["id"].(string), nil)
		require.Len(t, listed["data"], 1)
		none := e.must(t, http.StatusOK, u.Token, "GET", "/v1/contracts?due_from=2027-07-01", nil)
		assert.Empty(t, none["data"])

		trail := e.must(t, http.StatusOK, u.Token, "GET", "/v1/contracts/"+c["id"].(string)+"/audit-events", nil)["data"].([]any)
		require.Len(t, trail, 1)
		ev := trail[0].(map[string]any)
		assert.Equal(t, "contract.created", ev["action"])
		assert.Equal(t, "user", ev["actor_type"])
		assert.Equal(t, u.UserID.String(), ev["actor_id"])
	})

	assert.Equal(t, []string{"settings.asaas_updated", "settings.asaas_updated", "payee.created", "payee.created",
		"template.created", "client.created", "contract.created"}, e.auditActions(t, u.AccountID),
		"every change wrote its audit event")
	all := e.call(t, u.Token, "GET", "/v1/audit-events?limit=200", nil).String()
	assert.False(t, strings.Contains(all, webhookSecret) || strings.Contains(all, sandboxKey[6:]))
}
