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

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
)

// withScriptedAsaas points the fixture's activities at a server answering DELETE
// and GET of one charge with the given status and body.
func (f *fixture) withScriptedAsaas(deleteStatus int, deleteBody string, getStatus int, getBody string) {
	f.t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodDelete {
			w.WriteHeader(deleteStatus)
			_, _ = w.Write([]byte(deleteBody))
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
