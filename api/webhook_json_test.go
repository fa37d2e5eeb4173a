package api

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

var webhookJSONSeeds = []string{
	`{"id":"evt_1","event":"PAYMENT_CREATED","payment":{"object":"payment","id":"pay_1","value":100.5,"split":[{"walletId":"w","percentualValue":10}],"refunds":null,"deleted":false}}`,
	`{"a":1,"A":2}`, `{"payment":{"id":"x","ID":"y"}}`, `{"a":{"b":1},"a":{"b":2}}`, `{"s":[{"k":1,"K":2}]}`,
	`{"k":1,"\u212a":2}`, `{"s":1,"\u017f":2}`, `{"K":1,"\u212a":2}`, `{"ß":1,"ẞ":2}`, `{"pay\u006dent":1,"payment":2}`,
	`{"a":[[],[{}],[{"x":1,"X":[1,2,{"y":"\u0000"}]}]]}`, `{"name":"a\u0000b"}`, `{"a":["x","\u0000"]}`, `{"k\u0000":1}`,
	"{\"name\":\"a\xffb\"}", "{\"na\xffme\":1,\"na\xfeme\":2}", `{"name":"\ud800"}`, `{"name":"\udc00\ud800"}`,
	`{"name":"\ud83d\ude00"}`, `{"name":"\\u0000"}`, `{"name":"\ufffd"}`, "{\"name\":\"\xef\xbf\xbd\"}",
	`{"a":{"b":{"c":[[["\u0000"]]]}}}`, `{"a":"x","a":"\u0000"}`, `{"a.b":"\u0000"}`, `{"":1,"":2}`, `{"":[{"x":1,"x":2}]}`,
	`{"a\u0000":{"b":1,"B":2}}`, `{"x":"\u0000","y":1,"y":2}`, `{"y":1,"y":2,"x":"\u0000"}`, " {\n \"name\" : \t\"\\u0000\" } ",
	`{"a":true,"b":false,"c":null,"d":-1.5e+3,"e":"\"","f":"\\"}`, `{}`, `[]`, `"\u0000"`, `1`, `{"a":[1,2,3],"b":{}}`,
	`{"é":1,"É":2}`, `{"\u00e9":1,"é":2}`, `{"a":{"\ud800":1,"\udbff":2}}`,
}

// checkWebhookJSON answers exactly what badJSONText and duplicateKey do, for
// every valid JSON document.
func TestCheckWebhookJSONAnswersAsTheTokenizer(t *testing.T) {
	for _, body := range webhookJSONSeeds {
		assertChecksAgree(t, []byte(body))
	}
	got := checkWebhookJSON([]byte(`{"payment":{"split":[{"id":"a"},{"id":"b","Id":"c"}]}}`))
	assert.Equal(t, "payment.split[1].Id", got.dup)
	got = checkWebhookJSON([]byte(`{"payment":{"description":"a\u0000"},"x":1,"X":2}`))
	assert.Equal(t, jsonChecks{field: "payment.description", why: textNUL, dup: "X"}, got)
}

func FuzzCheckWebhookJSON(f *testing.F) {
	for _, seed := range webhookJSONSeeds {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if !json.Valid(body) {
			return // the handler answers 400 before it asks
		}
		assertChecksAgree(t, body)
	})
}

func assertChecksAgree(t *testing.T, body []byte) {
	t.Helper()
	field, why := badJSONText(body)
	want := jsonChecks{field: field, why: why, dup: duplicateKey(body)}
	if got := checkWebhookJSON(body); got != want {
		t.Fatalf("%q: checkWebhookJSON = %+v, the tokenizer says %+v", body, got, want)
	}
}

// The checks of a simulator-shaped delivery: checkWebhookJSON against the two
// tokenizer passes it replaces on the webhook path.
func BenchmarkWebhookJSONChecks(b *testing.B) {
	body := benchPaymentBody("evt_1", [16]byte{1}, 3)
	b.Run("tokenizer", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			badJSONText(body)
			duplicateKey(body)
		}
	})
	b.Run("one-pass", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			checkWebhookJSON(body)
		}
	})
}
