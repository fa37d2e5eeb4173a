package asaassim

import (
	"net/http"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBillLifecycle(t *testing.T) {
	rc := newReceiver(t, nil)
	s, ts := newSim(t, Options{})
	acct := s.CreateAccount("A")
	require.NoError(t, s.SetWebhook(acct.ID, WebhookConfig{URL: rc.srv.URL, AuthToken: "tk", Enabled: true}))
	ctl := newClient(t, ts, "")

	bill := ctl.ok("POST", "/_sim/bills", map[string]any{"accountId": acct.ID, "value": 29.9, "description": "Conta de luz"})
	id := bill["id"].(string)
	assert.Equal(t, "PENDING", bill["status"])
	assert.Equal(t, true, bill["canBeCancelled"])
	h := rc.next(t)
	assert.Equal(t, "BILL_CREATED", eventName(h))
	assert.Equal(t, "tk", h.token)
	b := parseOrdered(t, h.raw)
	assert.Equal(t, []string{"id", "event", "dateCreated", "account", "bill"}, b.keys)
	assert.Equal(t, []string{"object", "id", "status", "value", "discount", "interest", "fine", "identificationField",
		"dueDate", "scheduleDate", "paymentDate", "fee", "description", "companyName", "transactionReceiptUrl",
		"canBeCancelled", "failReasons"}, b.vals[4].keys, "seed 002 bill keys")

	code, _ := ctl.fail(http.StatusBadRequest, "POST", "/_sim/bills/"+id+"/status", map[string]any{"status": "BILL_PAID"})
	assert.Equal(t, "invalid_status", code, "cannot skip PENDING and BANK_PROCESSING")
	for _, st := range []string{"BILL_PENDING", "BANK_PROCESSING", "BILL_PAID", "BILL_REFUNDED"} {
		ctl.ok("POST", "/_sim/bills/"+id+"/status", map[string]any{"status": st})
	}
	var got []string
	for range 4 {
		got = append(got, eventName(rc.next(t)))
	}
	assert.Equal(t, []string{"BILL_PENDING", "BILL_BANK_PROCESSING", "BILL_PAID", "BILL_REFUNDED"}, got)
	code, _ = ctl.fail(http.StatusBadRequest, "POST", "/_sim/bills/"+id+"/status", map[string]any{"status": "CANCELLED"})
	assert.Equal(t, "invalid_status", code, "REFUNDED is terminal")
	assert.Equal(t, "0.00", balance(t, s, acct.ID), "paid then refunded")

	c := newClient(t, ts, acct.APIKey)
	final := c.ok("GET", "/v3/bill/"+id, nil)
	assert.Equal(t, "REFUNDED", final["status"])
	assert.Equal(t, "2026-07-14", final["paymentDate"])
	assert.Regexp(t, reReceiptURL, final["transactionReceiptUrl"])

	failing, err := s.CreateBill(acct.ID, BillInput{Value: decimal.RequireFromString("10")})
	require.NoError(t, err)
	require.NoError(t, s.SetBillStatus(failing, "PENDING", nil))
	require.NoError(t, s.SetBillStatus(failing, "FAILED", []string{"Saldo insuficiente"}))
	assert.Equal(t, []any{"Saldo insuficiente"}, c.ok("GET", "/v3/bill/"+failing, nil)["failReasons"])
	assert.Error(t, s.SetBillStatus(failing, "PENDING", nil), "FAILED is terminal")
}

func TestTransfers(t *testing.T) {
	rc := newReceiver(t, nil)
	s, c, acct, cust := simWithAccount(t, Options{})
	require.NoError(t, s.SetWebhook(acct.ID, WebhookConfig{URL: rc.srv.URL, Enabled: true}))
	other := s.CreateAccount("B")
	pix := map[string]any{"value": 50, "pixAddressKey": "payee@example.com", "pixAddressKeyType": "EMAIL"}

	code, _ := c.fail(http.StatusBadRequest, "POST", "/v3/transfers", pix)
	assert.Equal(t, "invalid_value", code, "no balance yet")

	id := c.charge(cust, map[string]any{"billingType": "PIX", "value": 100})["id"].(string)
	require.NoError(t, s.Pay(id, PayOptions{}))
	assert.Equal(t, "98.01", balance(t, s, acct.ID))

	tr := c.ok("POST", "/v3/transfers", pix)
	assert.Equal(t, "PENDING", tr["status"])
	assert.Equal(t, "PIX", tr["operationType"])
	assert.Equal(t, "48.01", balance(t, s, acct.ID), "debited at creation")
	require.NoError(t, s.SetTransferStatus(tr["id"].(string), "FAILED", "Chave inexistente"))
	assert.Equal(t, "98.01", balance(t, s, acct.ID), "a failed transfer returns the money")
	assert.Equal(t, "FAILED", c.ok("GET", "/v3/transfers/"+tr["id"].(string), nil)["status"])

	internal := c.ok("POST", "/v3/transfers", map[string]any{"value": 8.01, "walletId": other.WalletID})
	assert.Equal(t, "DONE", internal["status"])
	assert.Equal(t, "90.00", balance(t, s, acct.ID))
	assert.Equal(t, "8.01", balance(t, s, other.ID))

	ted := c.ok("POST", "/v3/transfers", map[string]any{"value": 10, "bankAccount": map[string]any{
		"bank": map[string]any{"code": "237"}, "ownerName": "Fulano", "cpfCnpj": "24971563792", "agency": "0001", "account": "12345", "accountDigit": "6"}})
	assert.Equal(t, "TED", ted["operationType"])
	assert.Equal(t, TickResult{TransfersDone: 1}, s.Tick(), "the daily batch completes due transfers")
	assert.Equal(t, "DONE", c.ok("GET", "/v3/transfers/"+ted["id"].(string), nil)["status"])
	assert.Error(t, s.SetTransferStatus(ted["id"].(string), "FAILED", ""), "DONE is final")
	assert.Equal(t, "80.00", balance(t, s, acct.ID))

	var events []string
	for _, d := range delivered(t, s, acct.ID, 8) {
		events = append(events, d.Event)
	}
	assert.Equal(t, []string{"PAYMENT_CREATED", "PAYMENT_RECEIVED", "TRANSFER_CREATED", "TRANSFER_FAILED",
		"TRANSFER_CREATED", "TRANSFER_DONE", "TRANSFER_CREATED", "TRANSFER_DONE"}, events)
}

func TestPaymentLinks(t *testing.T) {
	s, c, _, _ := simWithAccount(t, Options{})
	code, _ := c.fail(http.StatusBadRequest, "POST", "/v3/paymentLinks", map[string]any{"billingType": "PIX", "chargeType": "DETACHED"})
	assert.Equal(t, "invalid_name", code)
	link := c.ok("POST", "/v3/paymentLinks", map[string]any{"name": "Curso", "billingType": "UNDEFINED", "chargeType": "DETACHED", "value": 150, "externalReference": "link-1"})
	id := link["id"].(string)
	assert.Regexp(t, `^\d{12}$`, id)
	assert.Equal(t, sandboxBase+"/c/"+id, link["url"])
	assert.Equal(t, link, c.ok("GET", "/v3/paymentLinks/"+id, nil))

	payID, err := s.PayLink(id, LinkPayOptions{})
	require.NoError(t, err)
	p := c.payment(payID)
	assert.Equal(t, id, p["paymentLink"])
	assert.Equal(t, "RECEIVED", p["status"])
	assert.Equal(t, "PIX", p["billingType"])
	assert.Equal(t, 150.0, p["value"])
	assert.Equal(t, "link-1", p["externalReference"])
}

func TestFaultInjectionIsDeterministic(t *testing.T) {
	run := func(seed int64) []int {
		s, ts := newSim(t, Options{Seed: seed, FailRate: 0.3})
		acct := s.CreateAccount("A")
		c := newClient(t, ts, acct.APIKey)
		var statuses []int
		for range 60 {
			status, _ := c.do("POST", "/v3/customers", map[string]any{"name": "X"})
			statuses = append(statuses, status)
		}
		// Every 500 "after" still created its customer: the list shows all the
		// customers the gateway committed.
		s.SetFaults(Faults{})
		created := c.ok("GET", "/v3/customers?limit=100", nil)["totalCount"].(float64)
		ok := 0
		for _, st := range statuses {
			if st == http.StatusOK {
				ok++
			}
		}
		assert.Greater(t, int(created), ok, "some failed calls were applied before failing")
		assert.Less(t, int(created), len(statuses), "some failed calls were not applied")
		return statuses
	}
	a, b := run(7), run(7)
	assert.Equal(t, a, b, "same seed, same faults")
	fails := 0
	for _, st := range a {
		if st == http.StatusInternalServerError {
			fails++
		} else {
			assert.Equal(t, http.StatusOK, st)
		}
	}
	assert.Greater(t, fails, 5)
	assert.Less(t, fails, 35)
	assert.NotEqual(t, a, run(8), "another seed, other faults")
}

func TestFaultRatesAtRuntime(t *testing.T) {
	_, ts := newSim(t, Options{})
	ctl := newClient(t, ts, "")
	acct := ctl.ok("POST", "/_sim/accounts", map[string]any{"name": "A"})
	c := newClient(t, ts, acct["apiKey"].(string))

	got := ctl.ok("PUT", "/_sim/faults", map[string]any{"failRate": 1})
	assert.Equal(t, 1.0, got["failRate"])
	code, _ := c.fail(http.StatusInternalServerError, "GET", "/v3/payments", nil)
	assert.Equal(t, "internal_error", code)
	ctl.ok("GET", "/_sim/health", nil) // control routes are never faulted

	ctl.ok("PUT", "/_sim/faults", map[string]any{"timeoutRate": 1, "timeoutDelay": "20ms"})
	assert.Equal(t, "20ms", ctl.ok("GET", "/_sim/faults", nil)["timeoutDelay"])
	c.ok("GET", "/v3/payments", nil) // hangs 20ms, then answers

	ctl.fail(http.StatusBadRequest, "PUT", "/_sim/faults", map[string]any{"failRate": 0.8, "timeoutRate": 0.5})
	ctl.ok("PUT", "/_sim/faults", map[string]any{})
	c.ok("GET", "/v3/payments", nil)
}

func TestTimedOutCallIsStillApplied(t *testing.T) {
	s, ts := newSim(t, Options{TimeoutRate: 1, TimeoutDelay: 50 * time.Millisecond})
	acct := s.CreateAccount("A")
	impatient := &http.Client{Timeout: 5 * time.Millisecond}
	req, err := http.NewRequest("POST", ts.URL+"/v3/customers", jsonBody(t, map[string]any{"name": "Late"}))
	require.NoError(t, err)
	req.Header.Set("access_token", acct.APIKey)
	_, err = impatient.Do(req)
	require.Error(t, err, "the client gave up")
	s.SetFaults(Faults{})
	c := newClient(t, ts, acct.APIKey)
	waitFor(t, "the hung call to be applied", func() bool {
		return c.ok("GET", "/v3/customers", nil)["totalCount"].(float64) == 1
	})
}
