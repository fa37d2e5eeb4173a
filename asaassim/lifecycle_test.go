package asaassim

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func simWithAccount(t *testing.T, opts Options) (*Server, *client, Account, string) {
	s, ts := newSim(t, opts)
	acct := s.CreateAccount("A")
	c := newClient(t, ts, acct.APIKey)
	return s, c, acct, c.customer()
}

func TestDeleteRules(t *testing.T) {
	rc := newReceiver(t, nil)
	s, c, acct, cust := simWithAccount(t, Options{})
	require.NoError(t, s.SetWebhook(acct.ID, WebhookConfig{URL: rc.srv.URL, Enabled: true}))

	t.Run("a paid charge cannot be deleted", func(t *testing.T) {
		id := c.charge(cust, map[string]any{"billingType": "PIX", "value": 10})["id"].(string)
		require.NoError(t, s.Pay(id, PayOptions{}))
		code, _ := c.fail(http.StatusBadRequest, "DELETE", "/v3/payments/"+id, nil)
		assert.Equal(t, "invalid_action", code)
		assert.Equal(t, false, c.payment(id)["deleted"])
	})

	t.Run("an overdue charge can be deleted, keeps its status, leaves lists, and is restored", func(t *testing.T) {
		id := c.charge(cust, map[string]any{"billingType": "BOLETO", "value": 10, "externalReference": "del-1"})["id"].(string)
		require.NoError(t, s.MarkOverdue(id))
		status, raw := c.do("DELETE", "/v3/payments/"+id, nil)
		require.Equal(t, http.StatusOK, status)
		assert.Equal(t, `{"deleted":true,"id":"`+id+`"}`, string(raw))
		got := c.payment(id)
		assert.Equal(t, true, got["deleted"])
		assert.Equal(t, "OVERDUE", got["status"])
		assert.Equal(t, 0.0, c.ok("GET", "/v3/payments?externalReference=del-1", nil)["totalCount"])
		code, _ := c.fail(http.StatusNotFound, "DELETE", "/v3/payments/"+id, nil)
		assert.Equal(t, "not_found", code)

		restored := c.ok("POST", "/v3/payments/"+id+"/restore", nil)
		assert.Equal(t, false, restored["deleted"])
		assert.Equal(t, 1.0, c.ok("GET", "/v3/payments?externalReference=del-1", nil)["totalCount"])
		code, _ = c.fail(http.StatusBadRequest, "POST", "/v3/payments/"+id+"/restore", nil)
		assert.Equal(t, "invalid_action", code)
	})

	t.Run("plan parcels are deleted last to first", func(t *testing.T) {
		first := c.charge(cust, map[string]any{"billingType": "BOLETO", "installmentCount": 3, "totalValue": 90})
		plan := first["installment"].(string)
		parcels := map[float64]string{}
		for _, it := range c.ok("GET", "/v3/installments/"+plan+"/payments", nil)["data"].([]any) {
			p := it.(map[string]any)
			parcels[p["installmentNumber"].(float64)] = p["id"].(string)
		}
		require.Len(t, parcels, 3)
		for _, n := range []float64{1, 2} {
			code, desc := c.fail(http.StatusBadRequest, "DELETE", "/v3/payments/"+parcels[n], nil)
			assert.Equal(t, "invalid_action", code)
			assert.Contains(t, desc, "da última para a primeira")
		}
		// A later parcel that is paid is not open: it does not block.
		require.NoError(t, s.Pay(parcels[3], PayOptions{}))
		c.ok("DELETE", "/v3/payments/"+parcels[2], nil)
		c.ok("DELETE", "/v3/payments/"+parcels[1], nil)
		assert.Equal(t, 1.0, c.ok("GET", "/v3/payments?installment="+plan, nil)["totalCount"])
	})

	var events []string
	waitFor(t, "webhooks", func() bool {
		ds, _ := s.Deliveries(acct.ID)
		events = events[:0]
		for _, d := range ds {
			if d.Delivered {
				events = append(events, d.Event)
			}
		}
		return len(ds) > 0 && len(events) == len(ds)
	})
	assert.Contains(t, events, "PAYMENT_DELETED")
	assert.Contains(t, events, "PAYMENT_RESTORED")
}

func TestPixAndBoletoGoStraightToReceived(t *testing.T) {
	for _, bt := range []string{"PIX", "BOLETO"} {
		t.Run(bt, func(t *testing.T) {
			rc := newReceiver(t, nil)
			s, c, acct, cust := simWithAccount(t, Options{})
			require.NoError(t, s.SetWebhook(acct.ID, WebhookConfig{URL: rc.srv.URL, Enabled: true}))
			id := c.charge(cust, map[string]any{"billingType": bt, "value": 100})["id"].(string)
			require.NoError(t, s.Pay(id, PayOptions{Date: "2026-07-15"}))
			got := c.payment(id)
			assert.Equal(t, "RECEIVED", got["status"])
			assert.Equal(t, "2026-07-15", got["paymentDate"])
			assert.Equal(t, "2026-07-15", got["clientPaymentDate"])
			assert.Regexp(t, reReceiptURL, got["transactionReceiptUrl"])
			assert.Equal(t, []string{"PAYMENT_CREATED", "PAYMENT_RECEIVED"}, []string{eventName(rc.next(t)), eventName(rc.next(t))})
			code, _ := c.fail(http.StatusBadRequest, "POST", "/_sim/payments/"+id+"/pay", nil)
			assert.Equal(t, "invalid_action", code, "paid twice")
		})
	}
}

func TestOverdueThenReceived(t *testing.T) {
	rc := newReceiver(t, nil)
	now := captureDay
	s, ts := newSim(t, Options{Now: func() time.Time { return now }})
	acct := s.CreateAccount("A")
	require.NoError(t, s.SetWebhook(acct.ID, WebhookConfig{URL: rc.srv.URL, Enabled: true}))
	c := newClient(t, ts, acct.APIKey)
	id := c.charge(c.customer(), map[string]any{"billingType": "BOLETO", "value": 100, "dueDate": "2026-07-14"})["id"].(string)
	assert.Equal(t, 0, s.Tick().Overdue, "not overdue on its due date")
	now = captureDay.AddDate(0, 0, 1)
	assert.Equal(t, map[string]any{"overdue": 1.0, "transfersDone": 0.0}, newClient(t, ts, "").ok("POST", "/_sim/tick", nil))
	assert.Equal(t, "OVERDUE", c.payment(id)["status"])
	require.NoError(t, s.Pay(id, PayOptions{}))
	assert.Equal(t, "RECEIVED", c.payment(id)["status"])
	got := []string{eventName(rc.next(t)), eventName(rc.next(t)), eventName(rc.next(t))}
	assert.Equal(t, []string{"PAYMENT_CREATED", "PAYMENT_OVERDUE", "PAYMENT_RECEIVED"}, got)
}

func TestCardChargeConfirmedThenReceived(t *testing.T) {
	rc := newReceiver(t, nil)
	s, c, acct, cust := simWithAccount(t, Options{})
	require.NoError(t, s.SetWebhook(acct.ID, WebhookConfig{URL: rc.srv.URL, Enabled: true}))
	id := c.charge(cust, map[string]any{"billingType": "CREDIT_CARD", "value": 100, "dueDate": "2026-07-19"})["id"].(string)

	ctl := &client{t: t, base: c.base}
	got := ctl.ok("POST", "/_sim/payments/"+id+"/pay", map[string]any{})
	assert.Equal(t, "CONFIRMED", got["status"])
	assert.Equal(t, "2026-07-14", got["confirmedDate"])
	assert.Equal(t, "2026-07-14", got["clientPaymentDate"])
	assert.Nil(t, got["paymentDate"], "paymentDate stays null while CONFIRMED")
	assert.Equal(t, "2026-08-17", got["creditDate"], "D+32 = Sat 08-15 -> Mon 08-17")
	assert.Equal(t, "2026-08-17", got["estimatedCreditDate"])
	assert.Equal(t, 96.52, got["netValue"])
	card := got["creditCard"].(map[string]any)
	assert.Equal(t, "4444", card["creditCardNumber"])
	assert.Equal(t, "VISA", card["creditCardBrand"])
	assert.Regexp(t, reUUID, card["creditCardToken"])
	assert.Equal(t, false, got["anticipable"])

	require.NoError(t, s.Settle(id, ""))
	got = c.payment(id)
	assert.Equal(t, "RECEIVED", got["status"])
	assert.Equal(t, "2026-08-17", got["paymentDate"])
	assert.Equal(t, []string{"PAYMENT_CREATED", "PAYMENT_CONFIRMED", "PAYMENT_RECEIVED"},
		[]string{eventName(rc.next(t)), eventName(rc.next(t)), eventName(rc.next(t))})
	assert.Error(t, s.Settle(id, ""), "settled twice")
}

func TestCardPlanWithCardDataIsBornConfirmed(t *testing.T) {
	_, c, _, cust := simWithAccount(t, Options{})
	body := map[string]any{
		"customer": cust, "billingType": "CREDIT_CARD", "installmentCount": 3, "totalValue": 300, "dueDate": "2026-07-24",
		"creditCard":           map[string]any{"holderName": "Maria Silva", "number": "4444444444444444", "expiryMonth": "12", "expiryYear": "2030", "ccv": "123"},
		"creditCardHolderInfo": map[string]any{"name": "Maria Silva", "email": "m@example.com", "cpfCnpj": "24971563792", "postalCode": "89010-000", "addressNumber": "100", "phone": "47999999999"},
		"remoteIp":             "127.0.0.1",
	}
	first := c.ok("POST", "/v3/payments", body)
	assert.Equal(t, "CONFIRMED", first["status"])
	plan := c.ok("GET", "/v3/installments/"+first["installment"].(string), nil)
	assert.Equal(t, "2026-07-14", plan["paymentDate"])
	assert.Equal(t, 289.05, plan["netValue"], "FACTS: 3x of 300 -> 3 x 96.35")
	assert.Equal(t, 100.0, plan["paymentValue"])
	assert.Equal(t, first["creditCard"], plan["creditCard"])
	assert.Regexp(t, reReceiptURL, plan["transactionReceiptUrl"])

	wantCredit := map[float64]string{1: "2026-08-17", 2: "2026-09-16", 3: "2026-10-19"}
	list := c.ok("GET", "/v3/installments/"+first["installment"].(string)+"/payments", nil)
	require.Equal(t, 3.0, list["totalCount"])
	for _, it := range list["data"].([]any) {
		p := it.(map[string]any)
		n := p["installmentNumber"].(float64)
		assert.Equal(t, "CONFIRMED", p["status"])
		assert.Equal(t, 96.35, p["netValue"])
		assert.Equal(t, wantCredit[n], p["creditDate"], "parcel %v: D+32 x n, next business day", n)
		assert.Equal(t, plan["transactionReceiptUrl"], p["transactionReceiptUrl"])
		assert.Equal(t, "Parcela "+strconv.Itoa(int(n))+" de 3.", p["description"])
	}

	// The token alone pays a second charge.
	token := first["creditCard"].(map[string]any)["creditCardToken"]
	single := c.ok("POST", "/v3/payments", map[string]any{"customer": cust, "billingType": "CREDIT_CARD", "value": 50, "dueDate": "2026-07-20", "creditCardToken": token})
	assert.Equal(t, "CONFIRMED", single["status"])
	code, _ := c.fail(http.StatusBadRequest, "POST", "/v3/payments", map[string]any{"customer": cust, "billingType": "CREDIT_CARD", "value": 50, "dueDate": "2026-07-20", "creditCardToken": "nope"})
	assert.Equal(t, "invalid_creditCardToken", code)
}

func TestCardPlanFeeIsTruncatedPerParcel(t *testing.T) {
	_, c, _, cust := simWithAccount(t, Options{})
	first := c.ok("POST", "/v3/installments", map[string]any{"customer": cust, "billingType": "CREDIT_CARD", "installmentCount": 12, "totalValue": 350, "dueDate": "2026-07-24"})
	// FACTS: total fee 14.46 -> 1.205 per parcel -> 1.20 (truncated, not 1.21).
	assert.Equal(t, 335.6, first["netValue"], "11 x (29.16-1.20) + (29.24-1.20)")
	assert.Equal(t, 29.24, first["paymentValue"])
}

func TestCardPlanPaidOnInvoiceConfirmsEveryParcel(t *testing.T) {
	s, c, _, cust := simWithAccount(t, Options{})
	first := c.charge(cust, map[string]any{"billingType": "CREDIT_CARD", "installmentCount": 2, "installmentValue": 50})
	require.NoError(t, s.Pay(first["id"].(string), PayOptions{}))
	list := c.ok("GET", "/v3/payments?installment="+first["installment"].(string), nil)
	for _, it := range list["data"].([]any) {
		assert.Equal(t, "CONFIRMED", it.(map[string]any)["status"])
	}
}

func TestChargebackFlows(t *testing.T) {
	s, c, _, cust := simWithAccount(t, Options{})
	card := func() string {
		id := c.charge(cust, map[string]any{"billingType": "CREDIT_CARD", "value": 100})["id"].(string)
		require.NoError(t, s.Pay(id, PayOptions{}))
		return id
	}
	t.Run("dispute won returns to CONFIRMED", func(t *testing.T) {
		id := card()
		require.NoError(t, s.Chargeback(id, "FRAUD"))
		got := c.payment(id)
		assert.Equal(t, "CHARGEBACK_REQUESTED", got["status"])
		assert.Equal(t, map[string]any{"status": "REQUESTED", "reason": "FRAUD"}, got["chargeback"])
		require.NoError(t, s.ChargebackDispute(id))
		assert.Equal(t, "CHARGEBACK_DISPUTE", c.payment(id)["status"])
		require.NoError(t, s.ChargebackResolve(id, true))
		assert.Equal(t, "AWAITING_CHARGEBACK_REVERSAL", c.payment(id)["status"])
		require.NoError(t, s.ChargebackReversal(id))
		got = c.payment(id)
		assert.Equal(t, "CONFIRMED", got["status"])
		assert.Equal(t, "REVERSED", got["chargeback"].(map[string]any)["status"])
	})
	t.Run("no dispute ends REFUNDED", func(t *testing.T) {
		id := card()
		require.NoError(t, s.Settle(id, ""))
		require.NoError(t, s.Chargeback(id, ""))
		require.NoError(t, s.ChargebackResolve(id, false))
		got := c.payment(id)
		assert.Equal(t, "REFUNDED", got["status"])
		assert.Equal(t, "DONE", got["chargeback"].(map[string]any)["status"])
	})
	t.Run("only card charges", func(t *testing.T) {
		id := c.charge(cust, map[string]any{"billingType": "PIX", "value": 100})["id"].(string)
		require.NoError(t, s.Pay(id, PayOptions{}))
		assert.Error(t, s.Chargeback(id, ""))
		assert.Error(t, s.ChargebackDispute(id))
	})
}

func TestRefundRules(t *testing.T) {
	s, c, _, cust := simWithAccount(t, Options{})
	pending := c.charge(cust, map[string]any{"billingType": "PIX", "value": 100})["id"].(string)
	code, _ := c.fail(http.StatusBadRequest, "POST", "/v3/payments/"+pending+"/refund", nil)
	assert.Equal(t, "invalid_action", code, "nothing to refund before payment")

	cardID := c.charge(cust, map[string]any{"billingType": "CREDIT_CARD", "value": 100})["id"].(string)
	require.NoError(t, s.Pay(cardID, PayOptions{}))
	code, _ = c.fail(http.StatusBadRequest, "POST", "/v3/payments/"+cardID+"/refund", map[string]any{"value": 150})
	assert.Equal(t, "invalid_value", code, "no more than the value")
	got := c.ok("POST", "/v3/payments/"+cardID+"/refund", map[string]any{})
	assert.Equal(t, "REFUNDED", got["status"], "a card charge can be refunded while CONFIRMED")
}

func TestUndefinedChargePaidByPixBecomesPix(t *testing.T) {
	s, c, _, cust := simWithAccount(t, Options{})
	p := c.charge(cust, map[string]any{"billingType": "UNDEFINED", "value": 100})
	assert.Equal(t, true, p["canBePaidAfterDueDate"])
	assert.Regexp(t, reEightDigits, p["nossoNumero"])
	require.NoError(t, s.Pay(p["id"].(string), PayOptions{BillingType: "PIX"}))
	got := c.payment(p["id"].(string))
	assert.Equal(t, "PIX", got["billingType"])
	assert.NotContains(t, got, "canBePaidAfterDueDate")
	assert.Equal(t, 98.01, got["netValue"])

	pix := c.charge(cust, map[string]any{"billingType": "PIX", "value": 100})["id"].(string)
	assert.Error(t, s.Pay(pix, PayOptions{BillingType: "BOLETO"}), "a PIX charge has no boleto")
}

func TestPixQrCodeAndIdentificationField(t *testing.T) {
	_, c, _, cust := simWithAccount(t, Options{})
	boleto := c.charge(cust, map[string]any{"billingType": "BOLETO", "value": 350, "dueDate": "2026-07-24"})
	id := boleto["id"].(string)

	qr := c.ok("GET", "/v3/payments/"+id+"/pixQrCode", nil)
	assert.Equal(t, "2027-07-24 23:59:59", qr["expirationDate"], "FACTS: dueDate + 1 year, 23:59:59")
	payload := qr["payload"].(string)
	assert.Regexp(t, `^000201`, payload)
	assert.Contains(t, payload, "br.gov.bcb.pix")
	assert.Contains(t, payload, "5406350.00")
	assert.Equal(t, fmt.Sprintf("%04X", crc16(payload[:len(payload)-4])), payload[len(payload)-4:], "CRC16 of the BR Code")
	img, err := base64.StdEncoding.DecodeString(qr["encodedImage"].(string))
	require.NoError(t, err)
	assert.Equal(t, "\x89PNG", string(img[:4]))

	f := c.ok("GET", "/v3/payments/"+id+"/identificationField", nil)
	assert.Equal(t, boleto["nossoNumero"], f["nossoNumero"])
	line, bar := f["identificationField"].(string), f["barCode"].(string)
	require.Regexp(t, `^\d{47}$`, line)
	require.Regexp(t, `^\d{44}$`, bar)
	assert.Equal(t, "0000035000", bar[9:19], "value in cents")
	assert.Equal(t, strconv.Itoa(mod11(bar[:4]+bar[5:])), bar[4:5], "barcode check digit")

	cardID := c.charge(cust, map[string]any{"billingType": "CREDIT_CARD", "value": 10})["id"].(string)
	code, _ := c.fail(http.StatusBadRequest, "GET", "/v3/payments/"+cardID+"/pixQrCode", nil)
	assert.Equal(t, "invalid_billingType", code)
	pixID := c.charge(cust, map[string]any{"billingType": "PIX", "value": 10})["id"].(string)
	code, _ = c.fail(http.StatusBadRequest, "GET", "/v3/payments/"+pixID+"/identificationField", nil)
	assert.Equal(t, "invalid_billingType", code)
}
