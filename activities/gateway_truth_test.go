package activities_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"billing/activities"
	"billing/db/dbgen"
	"billing/domain"
	"billing/gateway"
	"billing/secret"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withAsaasPayments points the fixture's activities at a server that answers GET
// /v3/payments/{id} with the given bodies (404 when absent) and the list by
// externalReference with the payments whose body holds that reference.
func (f *fixture) withAsaasPayments(bodies map[string]string) {
	f.t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/v3/payments" {
			ref := r.URL.Query().Get("externalReference")
			var data []string
			for _, b := range bodies {
				if strings.Contains(b, fmt.Sprintf(`"externalReference":%q`, ref)) && !strings.Contains(b, `"deleted":true`) {
					data = append(data, b)
				}
			}
			fmt.Fprintf(w, `{"object":"list","hasMore":false,"totalCount":%d,"limit":100,"offset":0,"data":[%s]}`, len(data), strings.Join(data, ","))
			return
		}
		b, ok := bodies[strings.TrimPrefix(r.URL.Path, "/v3/payments/")]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"errors":[{"code":"not_found","description":"Cobrança não encontrada."}]}`))
			return
		}
		_, _ = w.Write([]byte(b))
	}))
	f.t.Cleanup(srv.Close)
	key := bytes.Repeat([]byte{7}, 32)
	sealed, err := secret.Seal(key, []byte("$aact_hmlg_scripted_key_0001"), f.account[:])
	require.NoError(f.t, err)
	_, err = dbgen.New(f.pool).UpsertAsaasSettings(context.Background(), dbgen.UpsertAsaasSettingsParams{AccountID: f.account,
		ApiKeyCiphertext: sealed, ApiKeyLast4: "0001", Environment: "sandbox", UpdatedBy: f.user})
	require.NoError(f.t, err)
	f.acts = activities.New(activities.Deps{Pool: f.pool, Gateway: gateway.NewConnector(key, srv.URL)})
	f.env.RegisterActivity(f.acts)
}

func asaasPayment(id, ref, status string, value, net string, extra string) string {
	return fmt.Sprintf(`{"object":"payment","id":%q,"status":%q,"value":%s,"netValue":%s,"billingType":"PIX","externalReference":%q,"paymentDate":"2030-01-05"%s}`,
		id, status, value, net, ref, extra)
}

// VerifyPayment confirms an event's claim only when Asaas holds the payment for
// this installment, not deleted, in the claimed state; it returns Asaas's amounts.
func TestVerifyPaymentAsksAsaas(t *testing.T) {
	f := newFixture(t, "100.00", "100.00")
	ref1 := domain.ChargeReference(f.contract.String(), 1)
	f.withAsaasPayments(map[string]string{
		"pay_1":     asaasPayment("pay_1", ref1, "PENDING", "100", "98.01", ""),
		"pay_paid":  asaasPayment("pay_paid", ref1, "RECEIVED", "103.47", "101.48", ""),
		"pay_other": asaasPayment("pay_other", domain.ChargeReference(f.contract.String(), 2), "RECEIVED", "100", "98.01", ""),
		"pay_gone":  asaasPayment("pay_gone", ref1, "RECEIVED", "100", "98.01", `,"deleted":true`),
		"pay_back":  asaasPayment("pay_back", ref1, "REFUNDED", "100", "98.01", ""),
		"pay_link":  asaasPayment("pay_link", ref1, "CONFIRMED", "100", "96.52", `,"paymentLink":"lnk_1"`),
	})
	cases := []struct {
		name, id, event string
		confirmed       bool
		reason          string
		value           string
	}{
		{"still pending", "pay_1", "PAYMENT_RECEIVED", false, "is PENDING", ""},
		{"received, with fine and interest", "pay_paid", "PAYMENT_RECEIVED", true, "", "103.47"},
		{"unknown at Asaas", "pay_nobody", "PAYMENT_RECEIVED", false, "does not know", ""},
		{"another installment's payment", "pay_other", "PAYMENT_RECEIVED", false, "is not installment 1's", ""},
		{"deleted", "pay_gone", "PAYMENT_RECEIVED", false, "deleted", ""},
		{"a refund Asaas holds", "pay_back", "PAYMENT_REFUNDED", true, "", "100"},
		{"a refund Asaas does not hold", "pay_paid", "PAYMENT_REFUNDED", false, "is RECEIVED", ""},
		{"through a payment link tied to the installment", "pay_link", "PAYMENT_CONFIRMED", true, "", "100"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var v activities.PaymentVerdict
			require.NoError(t, f.run(f.acts.VerifyPayment, activities.VerifyPaymentInput{ContractRef: f.ref(), Number: 1,
				AsaasPaymentID: tc.id, ChargeID: "pay_1", Event: tc.event}, &v))
			assert.Equal(t, tc.confirmed, v.Confirmed, v.Reason)
			if !tc.confirmed {
				assert.Contains(t, v.Reason, tc.reason)
				return
			}
			require.NotNil(t, v.Payment)
			assert.Equal(t, tc.value, v.Payment.Value.String())
			assert.Equal(t, tc.id == "pay_link", v.Payment.FromLink)
		})
	}
}

// CheckInstallments lists what Asaas holds for each installment by its
// externalReference, and reads the installment's own charge when the list leaves
// it out (deleted).
func TestCheckInstallmentsListsByReference(t *testing.T) {
	f := newFixture(t, "100.00", "100.00")
	ref1, ref2 := domain.ChargeReference(f.contract.String(), 1), domain.ChargeReference(f.contract.String(), 2)
	f.withAsaasPayments(map[string]string{
		"pay_1":       asaasPayment("pay_1", ref1, "RECEIVED", "100", "98.01", ""),
		"pay_stray_1": asaasPayment("pay_stray_1", ref1, "PENDING", "100", "98.01", ""),
		"pay_2":       asaasPayment("pay_2", ref2, "PENDING", "100", "98.01", `,"deleted":true`),
	})
	var found []activities.FoundPayment
	require.NoError(t, f.run(f.acts.CheckInstallments, activities.CheckInstallmentsInput{ContractRef: f.ref(),
		Installments: []activities.InstallmentToCheck{{Number: 1, ChargeID: "pay_1"}, {Number: 2, ChargeID: "pay_2"}}}, &found))
	got := map[string]string{}
	for _, p := range found {
		got[p.Payment.ID] = fmt.Sprintf("%d:%s:%v", p.Number, p.Payment.Status, p.Payment.Deleted)
	}
	assert.Equal(t, map[string]string{"pay_1": "1:RECEIVED:false", "pay_stray_1": "1:PENDING:false", "pay_2": "2:PENDING:true"}, got)
}
