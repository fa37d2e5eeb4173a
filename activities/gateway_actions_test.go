package activities_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"billing/activities"
	"billing/db/dbgen"
	"billing/gateway"
	"billing/secret"

	"github.com/shopspring/decimal"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
)

// withScriptedAsaas points the fixture's activities at a server answering the
// action on one charge (any POST or DELETE) and its GET with the given status and body.
func (f *fixture) withScriptedAsaas(actionStatus int, actionBody string, getStatus int, getBody string) {
	f.t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method != http.MethodGet {
			w.WriteHeader(actionStatus)
			_, _ = w.Write([]byte(actionBody))
			return
		}
		w.WriteHeader(getStatus)
		_, _ = w.Write([]byte(getBody))
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

// A delete refused because the charge was paid a moment before is a payment to
// keep; a failed re-read must be retried, never turned into the refusal (which
// would stop a cancellation for good).
func TestDeleteChargeRefusedUnderstandsTheChargeFirst(t *testing.T) {
	const refused = `{"errors":[{"code":"invalid_action","description":"Só é possível remover cobranças aguardando pagamento ou vencidas"}]}`
	const unavailable = `{"errors":[{"code":"internal","description":"Erro interno"}]}`
	cases := []struct {
		name        string
		getStatus   int
		getBody     string
		wantOutcome string
		retryable   bool
	}{
		{"paid meanwhile", 200, `{"object":"payment","id":"pay_1","status":"RECEIVED","value":100,"netValue":99.01,"paymentDate":"2026-11-20"}`, activities.OutcomePaidAtGateway, false},
		{"re-read fails with 500", 500, unavailable, "", true},
		{"still pending: the refusal stands", 200, `{"object":"payment","id":"pay_1","status":"PENDING","value":100,"netValue":99.01}`, "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, "100.00")
			f.withScriptedAsaas(400, refused, tc.getStatus, tc.getBody)
			var out activities.GatewayOutcome
			err := f.run(f.acts.DeleteCharge, activities.DeleteChargeInput{ContractRef: f.ref(), Number: 1, AsaasPaymentID: "pay_1"}, &out)
			if tc.wantOutcome != "" {
				require.NoError(t, err)
				assert.Equal(t, tc.wantOutcome, out.Outcome)
				return
			}
			require.Error(t, err)
			var appErr *temporal.ApplicationError
			require.ErrorAs(t, err, &appErr)
			assert.Equal(t, !tc.retryable, appErr.NonRetryable(), "%v", err)
		})
	}
}

// receiveInCash refused because the customer paid through Asaas a moment before
// is that payment (the API answers 409); a failed re-read is retried, never
// turned into the refusal (which the API would answer 422: the chaos run found it).
func TestReceiveInCashRefusedUnderstandsTheChargeFirst(t *testing.T) {
	const refused = `{"errors":[{"code":"invalid_action","description":"Esta cobrança já foi recebida"}]}`
	const unavailable = `{"errors":[{"code":"internal","description":"Erro interno"}]}`
	cases := []struct {
		name        string
		getStatus   int
		getBody     string
		wantOutcome string
		retryable   bool
	}{
		{"paid meanwhile", 200, `{"object":"payment","id":"pay_1","status":"RECEIVED","value":100,"netValue":98.01,"paymentDate":"2026-11-20"}`, activities.OutcomePaidAtGateway, false},
		{"an earlier attempt did it", 200, `{"object":"payment","id":"pay_1","status":"RECEIVED_IN_CASH","value":100,"netValue":100}`, activities.OutcomeAlreadyDone, false},
		{"re-read fails with 500", 500, unavailable, "", true},
		{"still pending: the refusal stands", 200, `{"object":"payment","id":"pay_1","status":"PENDING","value":100,"netValue":98.01}`, "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, "100.00")
			f.withScriptedAsaas(400, refused, tc.getStatus, tc.getBody)
			var out activities.GatewayOutcome
			err := f.run(f.acts.ReceiveInCash, activities.ReceiveInCashInput{ContractRef: f.ref(), Number: 1, AsaasPaymentID: "pay_1",
				Amount: decimal.RequireFromString("100.00"), PaidOn: "2026-11-20"}, &out)
			if tc.wantOutcome != "" {
				require.NoError(t, err)
				assert.Equal(t, tc.wantOutcome, out.Outcome)
				return
			}
			require.Error(t, err)
			var appErr *temporal.ApplicationError
			require.ErrorAs(t, err, &appErr)
			assert.Equal(t, !tc.retryable, appErr.NonRetryable(), "%v", err)
		})
	}
}
