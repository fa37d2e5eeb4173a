package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"billing/asaassim"
	"billing/secret"
	"billing/tenant"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// configure stores the account's Asaas settings (the simulator's merchant key and
// the webhook secret the simulator sends).
func (s *stack) configure() {
	s.t.Helper()
	s.must(http.StatusOK, "PUT", "/v1/settings/asaas", map[string]any{"api_key": s.merchant.APIKey, "environment": "sandbox", "webhook_secret": s.secret})
}

// activeContract creates and activates a PIX contract of n installments (no split
// rules: the account keeps everything) and waits until every charge is issued; it
// returns the contract id and the Asaas payment id of each installment's charge.
func (s *stack) activeContract(n int, total string) (string, []string) {
	s.t.Helper()
	client := s.must(http.StatusCreated, "POST", "/v1/clients", map[string]any{"name": "Cliente", "cpf_cnpj": "24971563792"})["id"].(string)
	contract := s.must(http.StatusCreated, "POST", "/v1/contracts", map[string]any{"client_id": client, "billing_type": "PIX",
		"total_amount": total, "installment_count": n, "first_due_date": time.Now().AddDate(0, 0, 10).Format(time.DateOnly)})["id"].(string)
	s.must(http.StatusOK, "POST", "/v1/contracts/"+contract+"/activate", nil)
	var charges []string
	s.eventually("every charge is issued", func() bool {
		view := s.must(http.StatusOK, "GET", "/v1/contracts/"+contract, nil)
		charges = charges[:0]
		for i := 1; i <= n; i++ {
			if field(installment(view, i), "status") != "open" {
				return false
			}
			charges = append(charges, field(installment(view, i), "charge", "asaas_payment_id").(string))
		}
		return true
	})
	s.quiet()
	return contract, charges
}

// quiet waits until the simulator has delivered every webhook it queued and the
// product has finished processing every stored event.
func (s *stack) quiet() {
	s.t.Helper()
	s.eventually("every webhook is delivered and processed", func() bool {
		deliveries, err := s.sim.Deliveries(s.merchant.ID)
		require.NoError(s.t, err)
		for _, d := range deliveries {
			if d.Status == "queued" || d.Status == "held" {
				return false
			}
		}
		return s.count(`SELECT count(*) FROM webhook_events WHERE status = 'received'`) == 0
	})
}

// postWebhook delivers body to the receiver with the asaas-access-token header.
func (s *stack) postWebhook(token string, body []byte) (int, string) {
	s.t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.apiURL+"/webhooks/asaas", bytes.NewReader(body))
	require.NoError(s.t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("asaas-access-token", token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(s.t, err)
	return resp.StatusCode, string(raw)
}

// paymentEvent is a webhook for the simulator's current view of a charge, with
// changes applied to its payment object (values are Go values, nil deletes).
func (s *stack) paymentEvent(eventID, event, chargeID string, changes map[string]any) []byte {
	s.t.Helper()
	raw, err := s.sim.Payment(chargeID)
	require.NoError(s.t, err)
	var payment map[string]any
	require.NoError(s.t, json.Unmarshal(raw, &payment))
	for k, v := range changes {
		if v == nil {
			delete(payment, k)
		} else {
			payment[k] = v
		}
	}
	body, err := json.Marshal(map[string]any{"id": eventID, "event": event, "dateCreated": time.Now().Format(time.DateTime), "payment": payment})
	require.NoError(s.t, err)
	return body
}

// ledger is what an account's money looks like in PostgreSQL: contracts,
// installments, charges, payments, split entries and payouts, plus the money audit
// lines. Equal ledgers: nothing of the account changed.
func (s *stack) ledger(account uuid.UUID) string {
	s.t.Helper()
	var out strings.Builder
	for _, q := range []string{
		`SELECT id, status, cancel_reason, completed_at, cancelled_at FROM contracts`,
		`SELECT id, status, paid_at FROM installments`,
		`SELECT id, status, net_value, deleted_at FROM charges`,
		`SELECT id, origin, amount, net_amount, fee_amount, status, paid_on, settled_on FROM payments`,
		`SELECT id, payment_id, kind, amount, status, payout_id FROM split_entries`,
		`SELECT id, amount FROM payouts`,
		`SELECT id, action FROM audit_events WHERE action IN ('payment.recorded', 'split.processed', 'split.reversed', 'contract.cancelled', 'contract.completed')`,
	} {
		var rows string
		table := q[strings.Index(q, "FROM ")+5:]
		query := `SELECT coalesce(json_agg(t ORDER BY t.id), '[]')::text FROM (` + q + ` WHERE account_id = $1`
		if strings.Contains(table, " WHERE ") {
			query = `SELECT coalesce(json_agg(t ORDER BY t.id), '[]')::text FROM (` + q + ` AND account_id = $1`
		}
		require.NoError(s.t, s.pool.QueryRow(context.Background(), query+`) t`, account).Scan(&rows))
		out.WriteString(table + ": " + rows + "\n")
	}
	return out.String()
}

// otherAccount is a second tenant of the same product, with its own token, Asaas
// key and webhook secret.
type otherAccount struct {
	id            uuid.UUID
	token, secret string
}

func (s *stack) otherAccount(name string) otherAccount {
	s.t.Helper()
	p, err := tenant.CreateAccount(context.Background(), s.pool, name, "ops@"+strings.ToLower(name)+".test", "Ops", true)
	require.NoError(s.t, err)
	merchant, err := s.sim.AddAccount(asaassim.Account{Name: name + " at Asaas", APIKey: "$aact_hmlg_" + strings.ReplaceAll(uuid.NewString(), "-", "")})
	require.NoError(s.t, err)
	o := otherAccount{id: p.Account.ID, token: p.Token, secret: secret.WebhookToken(p.Account.ID, strings.ToLower(name)+"-webhook-"+uuid.NewString())}
	as := *s
	as.token = o.token
	as.must(http.StatusOK, "PUT", "/v1/settings/asaas", map[string]any{"api_key": merchant.APIKey, "environment": "sandbox", "webhook_secret": o.secret})
	return o
}

func (s *stack) eventOutcome(account uuid.UUID, eventID string) (status, reason string) {
	s.t.Helper()
	var r *string
	err := s.pool.QueryRow(context.Background(), `SELECT status, reason FROM webhook_events WHERE account_id = $1 AND event_key = $2`,
		account, eventID).Scan(&status, &r)
	if err != nil {
		return "", ""
	}
	if r != nil {
		reason = *r
	}
	return status, reason
}

// waitOutcome waits until the event workflow has recorded what became of the event.
func (s *stack) waitOutcome(account uuid.UUID, eventID string) (string, string) {
	s.t.Helper()
	var status, reason string
	s.eventually("event "+eventID+" is processed", func() bool {
		status, reason = s.eventOutcome(account, eventID)
		return status != "" && status != "received"
	})
	return status, reason
}

// A real charge of account A, its PAYMENT_RECEIVED sent with account B's valid webhook
// secret: B records it as ignored (the externalReference names a contract B does not
// own) and nothing of A changes. The same body with A's secret does pay A's
// installment: the refusal was about the token.
func TestWebhookWithAnotherAccountsTokenChangesNothing(t *testing.T) {
	s := newStack(t, asaassim.Options{RetryBase: 20 * time.Millisecond})
	s.configure()
	contract, charges := s.activeContract(2, "200.00")
	rival := s.otherAccount("Rival")
	before, rivalBefore := s.ledger(s.account), s.ledger(rival.id)

	eventID := "evt_cross_" + uuid.NewString()
	today := time.Now().Format(time.DateOnly)
	body := s.paymentEvent(eventID, "PAYMENT_RECEIVED", charges[0], map[string]any{
		"status": "RECEIVED", "paymentDate": today, "clientPaymentDate": today, "confirmedDate": today})
	code, answer := s.postWebhook(rival.secret, body)
	require.Equal(t, http.StatusOK, code, answer) // a valid token of a real account: acknowledged...
	status, reason := s.waitOutcome(rival.id, eventID)
	assert.Equal(t, "ignored", status) // ...and ignored there
	assert.Contains(t, reason, "contract "+contract+" does not exist in this account")

	assert.Equal(t, before, s.ledger(s.account), "nothing of account A changed")
	assert.Equal(t, rivalBefore, s.ledger(rival.id), "nothing of account B changed")
	assert.Zero(t, s.count(`SELECT count(*) FROM webhook_events WHERE account_id = $1 AND event_key = $2`, s.account, eventID))
	assert.Equal(t, "open", field(installment(s.must(http.StatusOK, "GET", "/v1/contracts/"+contract, nil), 1), "status"))

	code, answer = s.postWebhook(s.secret, body)
	require.Equal(t, http.StatusOK, code, answer)
	status, _ = s.waitOutcome(s.account, eventID)
	assert.Equal(t, "processed", status)
	assert.Equal(t, "paid", field(installment(s.must(http.StatusOK, "GET", "/v1/contracts/"+contract, nil), 1), "status"),
		"the same body with the owner's secret pays the installment")
	assert.Equal(t, 1, s.count(`SELECT count(*) FROM payments WHERE account_id = $1`, s.account))
	assert.Zero(t, s.count(`SELECT count(*) FROM payments WHERE account_id = $1`, rival.id))
}

// An already processed PAYMENT_RECEIVED replayed after the contract moved on
// (cancelled; completed), as is and with a new event id or none: never a second
// payment, never a changed entry.
func TestReplayedOldPaymentEventsChangeNothing(t *testing.T) {
	s := newStack(t, asaassim.Options{RetryBase: 20 * time.Millisecond})
	s.configure()

	replays := func(t *testing.T, processed []byte, wantReason string) {
		before := s.ledger(s.account)
		code, answer := s.postWebhook(s.secret, processed)
		require.Equal(t, http.StatusOK, code, answer)
		assert.Contains(t, answer, `"duplicate"`, "the same delivery again is a duplicate")

		var event map[string]any
		require.NoError(t, json.Unmarshal(processed, &event))
		event["id"] = "evt_replay_" + uuid.NewString()
		renamed, err := json.Marshal(event)
		require.NoError(t, err)
		delete(event, "id")
		event["replayedAt"] = uuid.NewString() // without an id the body's hash is the key: other bytes, another delivery
		anonymous, err := json.Marshal(event)
		require.NoError(t, err)
		for _, body := range [][]byte{renamed, anonymous} {
			code, answer := s.postWebhook(s.secret, body)
			require.Equal(t, http.StatusOK, code, answer)
			var ack struct {
				Status   string `json:"status"`
				EventKey string `json:"event_key"`
			}
			require.NoError(t, json.Unmarshal([]byte(answer), &ack))
			assert.Equal(t, "accepted", ack.Status, "a new event id is a new delivery")
			status, reason := s.waitOutcome(s.account, ack.EventKey)
			assert.Equal(t, "ignored", status)
			assert.Contains(t, reason, wantReason)
		}
		assert.Equal(t, before, s.ledger(s.account), "no second payment, no changed entry")
	}
	processedEvent := func(contract string) []byte {
		var raw []byte
		require.NoError(t, s.pool.QueryRow(context.Background(), `SELECT w.raw FROM webhook_events w
			JOIN payments p ON p.asaas_payment_id = w.payment_id AND p.account_id = w.account_id
			WHERE w.account_id = $1 AND p.contract_id = $2 AND w.status = 'processed'
			  AND w.event_type IN ('PAYMENT_RECEIVED', 'PAYMENT_CONFIRMED') LIMIT 1`, s.account, contract).Scan(&raw))
		return raw
	}

	t.Run("after cancellation", func(t *testing.T) {
		contract, charges := s.activeContract(3, "300.00")
		require.NoError(t, s.sim.Pay(charges[0], asaassim.PayOptions{BillingType: "PIX"}))
		s.eventually("installment 1 is paid", func() bool {
			return field(installment(s.must(http.StatusOK, "GET", "/v1/contracts/"+contract, nil), 1), "status") == "paid"
		})
		s.quiet()
		processed := processedEvent(contract)
		replays(t, processed, "already applied")

		// The contract moves on: #2 paid by hand, then cancelled with a hostile reason.
		s.must(http.StatusOK, "POST", "/v1/contracts/"+contract+"/installments/2/mark-paid",
			map[string]any{"amount": "100.00", "paid_on": time.Now().Format(time.DateOnly)})
		code, problem := s.call("POST", "/v1/contracts/"+contract+"/cancel", map[string]any{"reason": "nul-\u0000-reason"})
		assert.Equal(t, http.StatusUnprocessableEntity, code, "a NUL never reaches the workflow: %v", problem)
		reason := "'; DROP TABLE contracts; -- 👩‍👩‍👧 \u202edesistiu\u202c e\u0301"
		s.must(http.StatusOK, "POST", "/v1/contracts/"+contract+"/cancel", map[string]any{"reason": reason})
		view := s.must(http.StatusOK, "GET", "/v1/contracts/"+contract, nil)
		assert.Equal(t, "cancelled", view["status"])
		assert.Equal(t, reason, view["cancel_reason"], "the reason went through the workflow and is stored exactly")
		s.quiet()
		replays(t, processed, "already applied") // a cancelled contract still listens (late refunds), and still dedupes
		assert.Equal(t, 2, s.count(`SELECT count(*) FROM payments WHERE contract_id = $1`, contract))
	})

	t.Run("after completion", func(t *testing.T) {
		contract, charges := s.activeContract(1, "50.00")
		require.NoError(t, s.sim.Pay(charges[0], asaassim.PayOptions{BillingType: "PIX"}))
		s.eventually("the contract completes", func() bool {
			return s.must(http.StatusOK, "GET", "/v1/contracts/"+contract, nil)["status"] == "completed"
		})
		s.quiet()
		replays(t, processedEvent(contract), "")
		assert.Equal(t, 1, s.count(`SELECT count(*) FROM payments WHERE contract_id = $1`, contract))
		assert.Equal(t, "completed", s.must(http.StatusOK, "GET", "/v1/contracts/"+contract, nil)["status"])
	})
}

// PAYMENT_RECEIVED events for a real open charge, with the owner's valid secret but
// amounts no payment can have: acknowledged, recorded as ignored, nothing applied;
// the contract's workflow lives on and applies the real payment afterwards.
func TestPaymentEventsWithImpossibleAmountsAreIgnored(t *testing.T) {
	s := newStack(t, asaassim.Options{RetryBase: 20 * time.Millisecond})
	s.configure()
	contract, charges := s.activeContract(2, "200.00")
	before := s.ledger(s.account)
	today := time.Now().Format(time.DateOnly)
	for _, tc := range []struct {
		name    string
		changes map[string]any
	}{
		{"value not a number", map[string]any{"value": "abc"}},
		{"value zero", map[string]any{"value": 0, "netValue": 0}},
		{"value negative", map[string]any{"value": -100, "netValue": -100}},
		{"value with 3 decimals", map[string]any{"value": json.Number("100.005"), "netValue": json.Number("99.005")}},
		{"value no column holds", map[string]any{"value": json.Number("10000000000000"), "netValue": json.Number("10000000000000")}},
		{"net value with 3 decimals", map[string]any{"netValue": json.Number("99.015")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			changes := map[string]any{"status": "RECEIVED", "paymentDate": today, "clientPaymentDate": today}
			for k, v := range tc.changes {
				changes[k] = v
			}
			eventID := "evt_bad_" + uuid.NewString()
			code, answer := s.postWebhook(s.secret, s.paymentEvent(eventID, "PAYMENT_RECEIVED", charges[0], changes))
			require.Equal(t, http.StatusOK, code, answer)
			status, reason := s.waitOutcome(s.account, eventID)
			assert.Equal(t, "ignored", status, reason)
			assert.Equal(t, before, s.ledger(s.account), "nothing applied")
		})
	}
	assert.Equal(t, 5, s.count(`SELECT count(*) FROM audit_events WHERE contract_id = $1 AND action = 'webhook.ignored'`, contract),
		"money that could not be applied is in the contract's audit trail (the unreadable one names no contract)")
	require.NoError(t, s.sim.Pay(charges[0], asaassim.PayOptions{BillingType: "PIX"}))
	s.eventually("the real payment is applied", func() bool {
		return field(installment(s.must(http.StatusOK, "GET", "/v1/contracts/"+contract, nil), 1), "status") == "paid"
	})
	assert.Equal(t, 1, s.count(`SELECT count(*) FROM payments WHERE contract_id = $1 AND amount = 100`, contract))
}

// A PAYMENT_RECEIVED whose externalReference names installment 2 but whose payment
// is the one already applied to installment 1 (a payment cannot pay two
// installments): recorded as not applied; the contract's workflow lives on and
// applies installment 2's real payment.
func TestPaymentEventForAnotherInstallmentsPaymentKeepsTheContractAlive(t *testing.T) {
	s := newStack(t, asaassim.Options{RetryBase: 20 * time.Millisecond})
	s.configure()
	contract, charges := s.activeContract(2, "200.00")
	require.NoError(t, s.sim.Pay(charges[0], asaassim.PayOptions{BillingType: "PIX"}))
	s.eventually("installment 1 is paid", func() bool {
		return field(installment(s.must(http.StatusOK, "GET", "/v1/contracts/"+contract, nil), 1), "status") == "paid"
	})
	s.quiet()
	before := s.ledger(s.account)

	eventID := "evt_crossed_" + uuid.NewString()
	body := s.paymentEvent(eventID, "PAYMENT_RECEIVED", charges[0], map[string]any{"externalReference": "billing:" + contract + ":2"})
	code, answer := s.postWebhook(s.secret, body)
	require.Equal(t, http.StatusOK, code, answer)
	status, reason := s.waitOutcome(s.account, eventID)
	assert.Equal(t, "rejected", status, reason)
	assert.Contains(t, reason, "is not installment 2's", "Asaas says whose payment it is")
	assert.Equal(t, before, s.ledger(s.account), "nothing applied")
	assert.Equal(t, 1, s.count(`SELECT count(*) FROM audit_events WHERE contract_id = $1 AND action = 'webhook.rejected'`, contract))

	require.NoError(t, s.sim.Pay(charges[1], asaassim.PayOptions{BillingType: "PIX"}))
	s.eventually("installment 2's real payment is applied and the contract completes", func() bool {
		return s.must(http.StatusOK, "GET", "/v1/contracts/"+contract, nil)["status"] == "completed"
	})
	assert.Equal(t, 2, s.count(`SELECT count(*) FROM payments WHERE contract_id = $1`, contract))
}
