package asaas_test

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
)

// FuzzParseWebhook checks ParseWebhook against an oracle written without it: it
// fails exactly for bodies that are not a JSON object or carry no usable event;
// an accepted event keeps the body, has the event and id the body names, a key
// that depends only on the bytes, and re-encodes to JSON that parses again into
// the same event (encoding is a fixpoint after one round).
func FuzzParseWebhook(f *testing.F) {
	for _, name := range []string{"webhook-payment-received.json", "webhook-bill-paid.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, seed := range []string{
		`{"event":"PAYMENT_RECEIVED"}`,
		`{"id":"evt_1","event":"PAYMENT_CONFIRMED","payment":{"id":"pay_1","value":10.5,"netValue":"9.51","externalReference":"billing:8f7c7c39-5c46-4d2e-9f4a-2a1d3c1e0b11:1"}}`,
		`{"id":42,"event":7,"dateCreated":"2026-07-20 10:00:00"}`,
		`{"event":"PAYMENT_RECEIVED","payment":{"value":"abc","dueDate":"2026-02-30"}}`,
		`{"event":"PAYMENT_RECEIVED","payment":[],"bill":"x","account":1}`,
		`{"event":"BILL_FAILED","bill":{"id":"b","failReasons":"one reason","value":1e3}}`,
		`{"event":"X","EVENT":"Y","Event":null}`,
		`{"event":"  "}`, `{"event":null}`, `{"event":{}}`, `{}`, `[]`, `null`, `"event"`, ``, ` `,
		`{"event":"A"} {"event":"B"}`, `{"event":"A"`, "\xef\xbb\xbf{\"event\":\"A\"}",
		`{"event":"PAYMENT_RECEIVED","payment":{"description":"a\u0000b","value":1e10000}}`,
		"{\"event\":\"PAYMENT_RECEIVED\",\"payment\":{\"description\":\"\xff\xfe\"}}",
		`{"event":"PAYMENT_RECEIVED","id":"\ud800"}`,
		`{"event":"PAYMENT_RECEIVED","payment":{"confirmedDate":null,"creditCard":{"creditCardNumber":"1234"},"split":[{"walletId":"w","fixedValue":1}]}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := asaas.ParseWebhook(body)
		wantEvent, wantID, isEvent := webhookOracle(body)
		if !isEvent {
			if err == nil {
				t.Fatalf("accepted %q (event %q)", body, ev.Event)
			}
			return
		}
		if err != nil {
			t.Fatalf("rejected %q: %v", body, err)
		}
		if ev.Event != wantEvent || ev.ID != wantID {
			t.Fatalf("%q: event %q id %q, want %q %q", body, ev.Event, ev.ID, wantEvent, wantID)
		}
		if !bytes.Equal(ev.Raw, body) {
			t.Fatalf("Raw %q is not the body %q", ev.Raw, body)
		}
		wantKey := wantID
		if wantKey == "" {
			sum := sha256.Sum256(body)
			wantKey = "sha256:" + hex.EncodeToString(sum[:])
		}
		again, err := asaas.ParseWebhook(bytes.Clone(body))
		if err != nil || again.Key() != ev.Key() || ev.Key() != wantKey {
			t.Fatalf("%q: key %q, again %q (%v), want %q", body, ev.Key(), again.Key(), err, wantKey)
		}

		out, err := json.Marshal(ev)
		if err != nil {
			t.Fatalf("%q: event does not encode: %v", body, err)
		}
		back, err := asaas.ParseWebhook(out)
		if err != nil {
			t.Fatalf("%q re-encoded as %q, which does not parse: %v", body, out, err)
		}
		if back.Event != ev.Event || back.ID != ev.ID || back.DateCreated != ev.DateCreated {
			t.Fatalf("%q re-encoded as %q: event %q id %q date %q", body, out, back.Event, back.ID, back.DateCreated)
		}
		if (back.Payment == nil) != (ev.Payment == nil) || (back.Bill == nil) != (ev.Bill == nil) || (back.Account == nil) != (ev.Account == nil) {
			t.Fatalf("%q re-encoded as %q lost or gained an object", body, out)
		}
		if back.PayloadError != nil {
			t.Fatalf("%q re-encoded as %q, whose objects no longer read: %v", body, out, back.PayloadError)
		}
		out2, err := json.Marshal(back)
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("encoding is not stable:\n%s\n%s (%v)", out, out2, err)
		}
	})
}

// webhookOracle says what ParseWebhook must make of body, reading it with a
// token decoder instead of struct decoding: a JSON object (nothing but JSON
// whitespace around it) whose "event" member (matched case-insensitively, the
// last one wins, as encoding/json does) is a non-blank string or a number.
func webhookOracle(body []byte) (event, id string, ok bool) {
	if !json.Valid(body) {
		return "", "", false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return "", "", false
	}
	for dec.More() {
		keyTok, err := dec.Token()
		if err != nil {
			return "", "", false
		}
		key := keyTok.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			return "", "", false
		}
		switch {
		case strings.EqualFold(key, "event"):
			event = scalarText(v)
		case strings.EqualFold(key, "id"):
			id = scalarText(v)
		}
	}
	return event, id, event != ""
}

// scalarText is a string member trimmed, a number's literal, "" for anything else.
func scalarText(v any) string {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v)
	case json.Number:
		return v.String()
	}
	return ""
}
