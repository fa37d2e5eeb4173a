package api

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"

	"billing/db/dbgen"
	"billing/domain"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCreatePaymentLink(t *testing.T) {
	e := newAPIEnv(t)
	g := e.useSimulator(t)
	u := e.account(t, "Acme", true)
	cl := g.connect(t, e, u)
	contract := e.activeContract(t, u, "BOLETO", 3, "120.00")
	ctx := context.Background()

	cases := []struct {
		name     string
		body     map[string]any
		value    string
		maxParts int
		ref      *string
	}{
		{"tied to installment 2: the installment's value and charge reference", map[string]any{
			"name": "Parcela 2 no cartão", "billing_type": "CREDIT_CARD", "charge_type": "DETACHED",
			"contract_id": contract.String(), "installment": 2, "description": "Pague a parcela 2",
		}, "120.00", 1, ptr(domain.ChargeReference(contract.String(), 2))},
		{"tied, with the installment's value given", map[string]any{
			"name": "Parcela 3", "billing_type": "PIX", "charge_type": "DETACHED", "value": 120,
			"contract_id": contract.String(), "installment": 3, "due_date_limit_days": 5,
		}, "120.00", 1, ptr(domain.ChargeReference(contract.String(), 3))},
		{"standalone PIX", map[string]any{"name": "Avulso", "billing_type": "PIX", "charge_type": "DETACHED", "value": "49.90"},
			"49.90", 1, nil},
		{"card in up to 6 parcels", map[string]any{"name": "Curso", "billing_type": "CREDIT_CARD", "charge_type": "INSTALLMENT",
			"value": "600.00", "max_installment_count": 6}, "600.00", 6, nil},
		{"monthly subscription", map[string]any{"name": "Mensalidade", "billing_type": "UNDEFINED", "charge_type": "RECURRENT",
			"value": 99.9, "subscription_cycle": "MONTHLY"}, "99.90", 1, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := g.linkCreates.Load()
			got := e.must(t, http.StatusCreated, u.Token, "POST", "/v1/payment-links", tc.body)
			assert.Equal(t, before+1, g.linkCreates.Load(), "one link created in Asaas")
			assert.Equal(t, tc.value, got["value"])
			assert.Equal(t, tc.body["billing_type"], got["billing_type"])
			assert.Equal(t, tc.body["charge_type"], got["charge_type"])

			inAsaas, err := cl.GetPaymentLink(ctx, got["asaas_payment_link_id"].(string))
			require.NoError(t, err, "the link exists in the account's Asaas")
			assert.Equal(t, inAsaas.URL, got["url"])
			assert.NotEmpty(t, inAsaas.URL)
			assert.Equal(t, tc.body["name"], inAsaas.Name)
			assert.True(t, dec(tc.value).Equal(inAsaas.Value.Decimal), "value in Asaas: %s", inAsaas.Value.Decimal)
			assert.Equal(t, tc.ref, inAsaas.ExternalReference)
			require.NotNil(t, inAsaas.MaxInstallmentCount)
			assert.Equal(t, tc.maxParts, *inAsaas.MaxInstallmentCount)
			if tc.ref != nil {
				assert.Equal(t, *tc.ref, got["external_reference"])
				assert.Equal(t, contract.String(), got["contract_id"])
				assert.EqualValues(t, tc.body["installment"], got["installment"])
			} else {
				assert.Nil(t, got["external_reference"])
				assert.Nil(t, got["contract_id"])
				assert.Nil(t, got["installment"])
			}

			assert.Equal(t, got, e.must(t, http.StatusOK, u.Token, "GET", "/v1/payment-links/"+got["id"].(string), nil))
			events := e.must(t, http.StatusOK, u.Token, "GET", "/v1/audit-events?action=payment_link.created&limit=1", nil)["data"].([]any)
			require.Len(t, events, 1)
			ev := events[0].(map[string]any)
			assert.Equal(t, got["id"], ev["entity_id"])
			assert.Equal(t, got["contract_id"], ev["contract_id"])
			assert.Equal(t, got["asaas_payment_link_id"], ev["data"].(map[string]any)["asaas_payment_link_id"])
		})
	}

	t.Run("list, newest first, paginated, filtered by contract", func(t *testing.T) {
		var names []string
		cursor := ""
		for page := 0; page < 5; page++ {
			l := e.must(t, http.StatusOK, u.Token, "GET", "/v1/payment-links?limit=2"+cursor, nil)
			for _, d := range l["data"].([]any) {
				names = append(names, d.(map[string]any)["name"].(string))
			}
			if l["next_cursor"] == nil {
				break
			}
			cursor = "&cursor=" + l["next_cursor"].(string)
		}
		assert.Equal(t, []string{"Mensalidade", "Curso", "Avulso", "Parcela 3", "Parcela 2 no cartão"}, names)
		tied := e.must(t, http.StatusOK, u.Token, "GET", "/v1/payment-links?contract_id="+contract.String(), nil)["data"].([]any)
		assert.Len(t, tied, 2)
	})
}

// The installment a link is tied to must be payable; Asaas's refusals and a missing
// configuration change nothing here.
func TestPaymentLinkRefusals(t *testing.T) {
	e := newAPIEnv(t)
	g := e.useSimulator(t)
	u := e.account(t, "Acme", true)
	g.connect(t, e, u)
	active := e.activeContract(t, u, "PIX", 2, "80.00")
	_, err := dbgen.New(e.pool).MarkInstallmentPaid(context.Background(), dbgen.MarkInstallmentPaidParams{
		AccountID: u.AccountID, ID: e.installment(t, u.AccountID, active, 1).ID})
	require.NoError(t, err)
	client := e.must(t, http.StatusCreated, u.Token, "POST", "/v1/clients", map[string]any{"name": "Outro", "cpf_cnpj": "52998224725"})
	draft := e.must(t, http.StatusCreated, u.Token, "POST", "/v1/contracts", map[string]any{"client_id": client["id"], "billing_type": "PIX",
		"total_amount": "100", "installment_count": 1, "first_due_date": "2030-01-10", "split_rules": []any{}})["id"].(string)
	wallet := e.must(t, http.StatusCreated, u.Token, "POST", "/v1/payees", anaPayee)["id"]
	splitting := e.must(t, http.StatusCreated, u.Token, "POST", "/v1/contracts", map[string]any{"client_id": client["id"], "billing_type": "PIX",
		"total_amount": "100", "installment_count": 1, "first_due_date": "2030-01-10",
		"split_rules": []any{map[string]any{"kind": "percentage", "payee_id": wallet, "percent": 10, "via_gateway": true}}})["id"].(string)
	workflowID := "contract/" + splitting
	_, err = dbgen.New(e.pool).ActivateDraftContract(context.Background(), dbgen.ActivateDraftContractParams{
		AccountID: u.AccountID, ID: mustUUID(t, splitting), WorkflowID: &workflowID})
	require.NoError(t, err)
	unconfigured := e.account(t, "Nokey", true)
	unconfiguredContract := e.activeContract(t, unconfigured, "PIX", 1, "80.00")

	link := func(kv ...any) map[string]any {
		m := map[string]any{"name": "Link", "billing_type": "PIX", "charge_type": "DETACHED"}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	cases := []struct {
		name   string
		token  string
		body   map[string]any
		status int
		detail string
		calls  int32 // links Asaas is asked to create per attempt
	}{
		{"draft contract", u.Token, link("contract_id", draft, "installment", 1), http.StatusConflict, "The contract is draft", 0},
		{"contract splitting through Asaas", u.Token, link("contract_id", splitting, "installment", 1), http.StatusConflict, "carries no split", 0},
		{"paid installment", u.Token, link("contract_id", active.String(), "installment", 1), http.StatusConflict, "Installment 1 is paid", 0},
		{"value other than the installment's", u.Token, link("contract_id", active.String(), "installment", 2, "value", "79.99"),
			http.StatusUnprocessableEntity, "must be the installment's value, 80.00", 0},
		{"Asaas refuses a value under its minimum", u.Token, link("value", "1.00"), http.StatusUnprocessableEntity, "Asaas refused to create the payment link", 1},
		{"Asaas not configured", unconfigured.Token, link("contract_id", unconfiguredContract.String(), "installment", 1), http.StatusConflict, "configure Asaas first", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before, calls := e.counts(t), g.linkCreates.Load()
			for attempt := range 2 { // the failed request freed its key: the retry runs again
				r := e.call(t, tc.token, "POST", "/v1/payment-links", tc.body, idempotencyHeader, "refusal-"+tc.name)
				require.Equal(t, tc.status, r.Code, "attempt %d: %s", attempt, r)
				assert.Contains(t, r.obj(t)["detail"], tc.detail)
				assert.Empty(t, r.Header.Get("Idempotent-Replayed"))
			}
			assert.Equal(t, before, e.counts(t), "nothing stored, no key kept")
			assert.Equal(t, calls+2*tc.calls, g.linkCreates.Load(), "Asaas is called only for a request that is valid here")
			assert.Equal(t, 0, e.paymentLinkCount(t))
		})
	}
}

// A retried request with the same Idempotency-Key never creates a second link.
func TestPaymentLinkIdempotency(t *testing.T) {
	e := newAPIEnv(t)
	g := e.useSimulator(t)
	u := e.account(t, "Acme", true)
	g.connect(t, e, u)
	body := map[string]any{"name": "Avulso", "billing_type": "BOLETO", "charge_type": "DETACHED", "value": "75.00"}

	t.Run("a repeat replays the first answer", func(t *testing.T) {
		first := e.call(t, u.Token, "POST", "/v1/payment-links", body, idempotencyHeader, "k1")
		require.Equal(t, http.StatusCreated, first.Code, first.String())
		again := e.call(t, u.Token, "POST", "/v1/payment-links", body, idempotencyHeader, "k1")
		require.Equal(t, http.StatusCreated, again.Code, again.String())
		assert.Equal(t, "true", again.Header.Get("Idempotent-Replayed"))
		assert.JSONEq(t, first.String(), again.String())
		assert.EqualValues(t, 1, g.linkCreates.Load())
		assert.Equal(t, 1, e.paymentLinkCount(t))

		other := e.call(t, u.Token, "POST", "/v1/payment-links", map[string]any{"name": "Outro", "billing_type": "PIX", "charge_type": "DETACHED", "value": 5}, idempotencyHeader, "k1")
		assert.Equal(t, http.StatusUnprocessableEntity, other.Code, "the key was used for another request: %s", other)
		assert.EqualValues(t, 1, g.linkCreates.Load())
	})

	t.Run("while the first request runs, a twin waits for its answer and calls nothing", func(t *testing.T) {
		// The first request has claimed its key and is waiting for Asaas.
		idem := &idempotency{actor: Actor{AccountID: u.AccountID, UserID: u.UserID}, key: "k2", method: "POST",
			path: "/v1/payment-links", hash: requestHash(t, "POST", "/v1/payment-links", body)}
		stored, err := idem.claimFirst(context.Background(), e.pool, 0)
		require.NoError(t, err)
		require.Nil(t, stored)
		first := e.call(t, u.Token, "POST", "/v1/payment-links", body) // the answer the first request will store
		require.Equal(t, http.StatusCreated, first.Code, first.String())
		calls := g.linkCreates.Load()

		go func() {
			time.Sleep(300 * time.Millisecond)
			assert.NoError(t, idem.save(context.Background(), dbgen.New(e.pool), http.StatusCreated, first.Body))
		}()
		r := e.call(t, u.Token, "POST", "/v1/payment-links", body, idempotencyHeader, "k2")
		require.Equal(t, http.StatusCreated, r.Code, r.String())
		assert.Equal(t, "true", r.Header.Get("Idempotent-Replayed"))
		assert.JSONEq(t, first.String(), r.String())
		assert.Equal(t, calls, g.linkCreates.Load(), "the twin called nothing")
	})

	t.Run("a claim left by a request that died is taken over after its lease", func(t *testing.T) {
		idem := &idempotency{actor: Actor{AccountID: u.AccountID, UserID: u.UserID}, key: "k4", method: "POST",
			path: "/v1/payment-links", hash: requestHash(t, "POST", "/v1/payment-links", body)}
		_, err := idem.claimFirst(context.Background(), e.pool, 0)
		require.NoError(t, err)
		calls := g.linkCreates.Load()
		_, err = e.pool.Exec(context.Background(), `UPDATE idempotency_keys SET claimed_at = now() - interval '3 minutes' WHERE key = 'k4'`)
		require.NoError(t, err)

		r := e.call(t, u.Token, "POST", "/v1/payment-links", body, idempotencyHeader, "k4")
		require.Equal(t, http.StatusCreated, r.Code, r.String())
		assert.Empty(t, r.Header.Get("Idempotent-Replayed"))
		assert.Equal(t, calls+1, g.linkCreates.Load())
		again := e.call(t, u.Token, "POST", "/v1/payment-links", body, idempotencyHeader, "k4")
		assert.Equal(t, "true", again.Header.Get("Idempotent-Replayed"))
		assert.JSONEq(t, r.String(), again.String())

		other := e.call(t, u.Token, "POST", "/v1/payment-links", map[string]any{"name": "Outro", "billing_type": "PIX", "charge_type": "DETACHED", "value": 5}, idempotencyHeader, "k5")
		require.Equal(t, http.StatusCreated, other.Code)
		_, err = e.pool.Exec(context.Background(), `UPDATE idempotency_keys SET claimed_at = now() - interval '3 minutes' WHERE key = 'k5'`)
		require.NoError(t, err)
		replayed := e.call(t, u.Token, "POST", "/v1/payment-links", map[string]any{"name": "Outro", "billing_type": "PIX", "charge_type": "DETACHED", "value": 5}, idempotencyHeader, "k5")
		assert.Equal(t, "true", replayed.Header.Get("Idempotent-Replayed"), "an answered key is never taken over, however old")
	})

	t.Run("concurrent twins create one link", func(t *testing.T) {
		calls, links := g.linkCreates.Load(), e.paymentLinkCount(t)
		const twins = 6
		answers := make([]resp, twins)
		var wg sync.WaitGroup
		for i := range twins {
			wg.Add(1)
			go func() {
				defer wg.Done()
				answers[i] = e.call(t, u.Token, "POST", "/v1/payment-links", body, idempotencyHeader, "k3")
			}()
		}
		wg.Wait()
		ids := map[string]bool{}
		for _, a := range answers {
			switch a.Code {
			case http.StatusCreated:
				ids[a.obj(t)["id"].(string)] = true
			case http.StatusConflict:
			default:
				t.Errorf("unexpected answer %d: %s", a.Code, a)
			}
		}
		assert.Len(t, ids, 1, "every 201 is the same link")
		assert.Equal(t, calls+1, g.linkCreates.Load(), "Asaas was called once")
		assert.Equal(t, links+1, e.paymentLinkCount(t))
	})
}

func (e *apiEnv) paymentLinkCount(t *testing.T) int {
	t.Helper()
	var n int
	require.NoError(t, e.pool.QueryRow(context.Background(), "SELECT count(*) FROM payment_links").Scan(&n))
	return n
}

// requestHash is the Idempotency-Key fingerprint of a JSON request (see idempotencyOf).
func requestHash(t *testing.T, method, path string, body any) []byte {
	t.Helper()
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	h := sha256.Sum256(append([]byte(method+"\n"+path+"\n"), raw...))
	return h[:]
}

func ptr[T any](v T) *T { return &v }
