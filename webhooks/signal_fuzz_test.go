package webhooks

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"billing/asaas"
	"billing/workflows"

	"github.com/google/uuid"
)

var fuzzAccount = uuid.MustParse("0b0e4c2a-6a55-4c1e-9a55-0d1f2e3a4b5c")

// FuzzSignalOf checks the reduction of a parsed payment webhook to the contract's
// signal (what enters Temporal histories): it never panics, keeps the event's
// identity (account, key, event) and amounts, gives the same payload for the same
// bytes, survives Temporal's JSON encoding, and lets no free text through:
// descriptions, company names, card data, the externalReference and unknown
// fields planted in the body never reach it.
func FuzzSignalOf(f *testing.F) {
	for _, name := range []string{"webhook-payment-received.json", "webhook-bill-paid.json"} {
		b, err := os.ReadFile(filepath.Join("..", "asaas", "testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, seed := range []string{
		`{"id":"evt_1","event":"PAYMENT_RECEIVED","payment":{"id":"pay_1","value":100,"netValue":98.01,"status":"RECEIVED",
			"externalReference":"billing:8F7C7C39-5C46-4D2E-9F4A-2A1D3C1E0B11:3","confirmedDate":"2026-07-20","paymentDate":"2026-07-21 10:00:00"}}`,
		`{"event":"PAYMENT_OVERDUE","payment":{"id":"pay_2","value":"10.5","externalReference":"billing:not-a-uuid:1","description":"Pedido 1"}}`,
		`{"event":"BILL_FAILED","bill":{"id":"b1","status":"FAILED","failReasons":["sem saldo"],"companyName":"ACME","description":"conta","transactionReceiptUrl":"https://x"}}`,
		`{"event":"PAYMENT_RECEIVED","payment":{"creditCard":{"creditCardNumber":"8829","creditCardToken":"tok"},"value":1e10000}}`,
		`{"event":"PAYMENT_RECEIVED","Payment":{"DESCRIPTION":"upper"},"payment":{"description":"lower"}}`,
		`{"event":"PAYMENT_DELETED","payment":{"id":"pay_3","deleted":true,"value":-1,"netValue":0}}`,
		`{"event":"X","payment":null,"bill":null}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := asaas.ParseWebhook(body)
		if err != nil {
			return // FuzzParseWebhook owns the parser's errors
		}
		if ev.Payment == nil {
			return // only payment events are signalled
		}
		got := signalOf(fuzzAccount, ev.Key(), ev, 3)
		if got.AccountID != fuzzAccount.String() || got.EventKey != ev.Key() || got.Event != ev.Event || got.InstallmentNumber != 3 {
			t.Fatalf("%q: identity changed: %+v", body, got)
		}
		if p := got.Payment; !p.Value.Equal(ev.Payment.Value.Decimal) || !p.NetValue.Equal(ev.Payment.NetValue.Decimal) || p.ID != ev.Payment.ID {
			t.Fatalf("%q: payment amounts or id changed: %+v", body, p)
		}
		encoded := encodeReduced(t, got)
		var decoded workflows.PaymentEvent
		if err := json.Unmarshal(encoded, &decoded); err != nil {
			t.Fatalf("%q: the workflow input %s does not decode: %v", body, encoded, err)
		}
		if again := encodeReduced(t, decoded); !bytes.Equal(encoded, again) {
			t.Fatalf("the workflow input changes through JSON:\n%s\n%s", encoded, again)
		}
		ev2, err := asaas.ParseWebhook(bytes.Clone(body))
		if err != nil || !bytes.Equal(encodeReduced(t, signalOf(fuzzAccount, ev2.Key(), ev2, 3)), encoded) {
			t.Fatalf("%q: the same bytes gave another workflow input (%v)", body, err)
		}

		planted, canary, ok := plantFreeText(body)
		if !ok {
			return
		}
		pev, err := asaas.ParseWebhook(planted)
		if err != nil || pev.Payment == nil {
			return // the object was reordered into one without a usable payment event
		}
		if out := encodeReduced(t, signalOf(fuzzAccount, pev.Key(), pev, 3)); bytes.Contains(out, []byte(canary)) {
			t.Fatalf("free text reached the workflow input:\nbody %s\ninput %s", planted, out)
		}
	})
}

// encodeReduced is the signal as Temporal's JSON payload converter writes it.
func encodeReduced(t *testing.T, ev workflows.PaymentEvent) []byte {
	t.Helper()
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatalf("the workflow input %+v does not encode: %v", ev, err)
	}
	return b
}

// plantFreeText returns body with a canary written into every free-text place of
// its payment and bill objects (description, companyName, card data, an unknown
// field) and into an unknown top-level field. ok is false when body is not an
// object, or already holds the canary's prefix.
func plantFreeText(body []byte) (planted []byte, canary string, ok bool) {
	const prefix = "CANARY-"
	if bytes.Contains(bytes.ToUpper(body), []byte(prefix)) {
		return nil, "", false
	}
	var top map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if dec.Decode(&top) != nil || top == nil {
		return nil, "", false
	}
	sum := sha256.Sum256(body)
	canary = prefix + hex.EncodeToString(sum[:6])
	for key, v := range top {
		obj, isObj := v.(map[string]any)
		if !isObj {
			continue
		}
		switch {
		case strings.EqualFold(key, "payment"):
			setFolded(obj, "description", canary)
			setFolded(obj, "creditCard", map[string]any{"creditCardNumber": canary, "creditCardBrand": canary, "creditCardToken": canary})
			setFolded(obj, "externalReference", canary)
			obj["customerName"] = canary
		case strings.EqualFold(key, "bill"):
			setFolded(obj, "description", canary)
			setFolded(obj, "companyName", canary)
			obj["payerName"] = canary
		}
	}
	top["freeText"] = canary
	planted, err := json.Marshal(top)
	return planted, canary, err == nil
}

// setFolded sets every key of obj that matches name case-insensitively (the
// decoder reads any of them), or name itself when there is none.
func setFolded(obj map[string]any, name string, v any) {
	found := false
	for k := range obj {
		if strings.EqualFold(k, name) {
			obj[k], found = v, true
		}
	}
	if !found {
		obj[name] = v
	}
}
