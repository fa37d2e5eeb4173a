package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"billing/testenv"
	"billing/workflows"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
)

// hostileWebhook is one delivery and what the receiver must answer.
type hostileWebhook struct {
	name   string
	token  string
	body   []byte
	status int
}

// eventBody is a PAYMENT_RECEIVED delivery with fields replaced or added: each value
// is a raw JSON literal.
func eventBody(fields map[string]string, payment map[string]string) []byte {
	top := map[string]string{"id": `"evt_` + uuid.NewString() + `"`, "event": `"PAYMENT_RECEIVED"`, "dateCreated": `"2026-07-20 10:00:00"`}
	pay := map[string]string{"object": `"payment"`, "id": `"pay_sec01"`, "value": "100", "netValue": "98.01", "status": `"RECEIVED"`,
		"billingType": `"PIX"`, "description": `"Pedido 1"`, "externalReference": `"billing:8f7c7c39-5c46-4d2e-9f4a-2a1d3c1e0b11:1"`}
	for k, v := range fields {
		top[k] = v
	}
	for k, v := range payment {
		pay[k] = v
	}
	join := func(m map[string]string) string {
		parts := make([]string, 0, len(m))
		for k, v := range m {
			if v != "" {
				parts = append(parts, fmt.Sprintf("%q:%s", k, v))
			}
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	if _, set := fields["payment"]; !set {
		top["payment"] = join(pay)
	}
	return []byte(join(top))
}

func quoted(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// Hostile tokens and bodies at the webhook receiver: a clear 4xx and nothing recorded
// anywhere (no event row in any account, no workflow), or a 200 with the delivery
// stored as sent; never a 5xx. Temporal is real; no worker runs (what the event
// workflow makes of an accepted event is the e2e tests' part).
func TestWebhookHostileDeliveries(t *testing.T) {
	e := newWebhookEnv(t, testenv.Temporal(t))
	const token = "acme-webhook-secret-0001"
	acct := e.account(t, "Acme", token, true)
	other := e.account(t, "Other", "other-webhook-secret-002", true)
	apiToken := (&apiEnv{pool: e.pool}).account(t, "Bystander", true).Token

	nested := func(depth int) string { return strings.Repeat("[", depth) + strings.Repeat("]", depth) }
	refused := []hostileWebhook{
		// Tokens: the body is a valid event each time.
		{"token of SQL", "' OR '1'='1", eventBody(nil, nil), http.StatusUnauthorized},
		{"token that drops a table", "x'; DROP TABLE webhook_events; --", eventBody(nil, nil), http.StatusUnauthorized},
		{"token with NUL", token + "\x00", eventBody(nil, nil), http.StatusUnauthorized},
		{"token of invalid UTF-8", "acme-\xff\xfe-secret", eventBody(nil, nil), http.StatusUnauthorized},
		{"token in upper case", strings.ToUpper(token), eventBody(nil, nil), http.StatusUnauthorized},
		{"token with a space more", token + " ", eventBody(nil, nil), http.StatusUnauthorized},
		{"an API bearer token", apiToken, eventBody(nil, nil), http.StatusUnauthorized},
		{"a very long token", strings.Repeat("t", 64<<10), eventBody(nil, nil), http.StatusUnauthorized},
		// Bodies PostgreSQL could not store as sent, or absurd identifiers.
		{"NUL in a description", token, eventBody(nil, map[string]string{"description": `"a\u0000b"`}), http.StatusBadRequest},
		{"NUL in the event name", token, eventBody(map[string]string{"event": `"PAYMENT_RECEIVED\u0000"`}, nil), http.StatusBadRequest},
		{"NUL in an unknown member name", token, []byte(`{"event":"PAYMENT_RECEIVED","id":"evt_nul_name","x\u0000":1}`), http.StatusBadRequest},
		{"invalid UTF-8 in a description", token, eventBody(nil, map[string]string{"description": "\"a\xff\xfeb\""}), http.StatusBadRequest},
		{"invalid UTF-8 in the event id", token, eventBody(map[string]string{"id": "\"evt_\xc3(\""}, nil), http.StatusBadRequest},
		{"lone surrogate in a description", token, eventBody(nil, map[string]string{"description": `"\ud800"`}), http.StatusBadRequest},
		{"a number no column can hold", token, eventBody(map[string]string{"extra": "1e1000000"}, nil), http.StatusBadRequest},
		{"a payment value no column can hold", token, eventBody(nil, map[string]string{"value": "1e-20000"}), http.StatusBadRequest},
		{"Unicode in the event id", token, eventBody(map[string]string{"id": quoted("evt_é🎉")}, nil), http.StatusBadRequest},
		{"a space in the event id", token, eventBody(map[string]string{"id": quoted("evt_1 OR 1=1")}, nil), http.StatusBadRequest},
		{"a 10,000-character event id", token, eventBody(map[string]string{"id": quoted(strings.Repeat("e", 10_000))}, nil), http.StatusBadRequest},
		{"a 10,000-character payment id", token, eventBody(nil, map[string]string{"id": quoted(strings.Repeat("p", 10_000))}), http.StatusBadRequest},
		{"a 10,000-character event name", token, eventBody(map[string]string{"event": quoted(strings.Repeat("E", 10_000))}, nil), http.StatusBadRequest},
		{"nested deeper than the decoder goes", token, eventBody(map[string]string{"extra": nested(10_001)}, nil), http.StatusBadRequest},
		{"an empty body", token, []byte{}, http.StatusBadRequest},
		{"a JSON string", token, []byte(`"PAYMENT_RECEIVED"`), http.StatusBadRequest},
		{"form encoding", token, []byte("event=PAYMENT_RECEIVED&id=evt_1"), http.StatusBadRequest},
		{"XML", token, []byte(`<event>PAYMENT_RECEIVED</event>`), http.StatusBadRequest},
		{"two objects", token, append(eventBody(nil, nil), eventBody(nil, nil)...), http.StatusBadRequest},
		{"event of the wrong type", token, eventBody(map[string]string{"event": `{"name":"PAYMENT_RECEIVED"}`}, nil), http.StatusBadRequest},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			rec := e.post(tc.token, tc.body)
			assert.Equal(t, tc.status, rec.Code, rec.Body.String())
			assert.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
			var p Problem
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
			assert.NotEmpty(t, p.Detail)
		})
	}
	var rows int
	require.NoError(t, e.pool.QueryRow(context.Background(), "SELECT count(*) FROM webhook_events").Scan(&rows))
	assert.Zero(t, rows, "a refused delivery is recorded nowhere")
	assert.Empty(t, e.events(t, acct))
	assert.Empty(t, e.events(t, other))

	// Odd but storable deliveries are acknowledged, stored as sent and handed over
	// once: to the contract their charge reference names when it acts on the event.
	contract := uuid.MustParse("8f7c7c39-5c46-4d2e-9f4a-2a1d3c1e0b11")
	e.contractWithID(t, contract)
	huge := strings.Repeat("Descrição longa 🧾 ", 40_000) // ~900 kB of free text
	accepted := []struct {
		name   string
		body   []byte
		status string
	}{
		{"SQL in the id, event and description", eventBody(map[string]string{"id": quoted("evt_';DROP/**/TABLE/**/webhook_events;--"),
			"event": quoted("PAYMENT_' OR '1'='1")}, map[string]string{"description": quoted("$$; DELETE FROM payments; $$")}), "ignored"},
		{"emoji, RTL marks, combining and zero-width characters", eventBody(map[string]string{"event": quoted("PAYMENT_🎉\u200d\u202e")},
			map[string]string{"description": quoted("Olá 👩‍👩‍👧 \u202eevil\u202c e\u0301\u0301 a\u200bb"), "id": quoted("pay_é\u0301")}), "ignored"},
		{"a 900 kB description", eventBody(nil, map[string]string{"description": quoted(huge)}), "accepted"},
		{"nested 5,000 deep in an unknown member", eventBody(map[string]string{"extra": nested(5_000)}, nil), "accepted"},
		{"wrong types inside the payment", eventBody(nil, map[string]string{"value": `"abc"`, "dueDate": `"2026-02-30"`, "deleted": `"yes"`}), "ignored"},
		{"a payment that is not an object", eventBody(map[string]string{"payment": `"pay_1"`}, nil), "ignored"},
		{"an unknown event", eventBody(map[string]string{"event": `"SOMETHING_NEW"`}, nil), "ignored"},
	}
	for _, tc := range accepted {
		t.Run(tc.name, func(t *testing.T) {
			before := e.events(t, acct)
			signalled := len(e.signals(t, contract))
			answer := answerOf(t, e.post(token, tc.body))
			assert.Equal(t, tc.status, answer.Status, answer.Reason)
			after := e.events(t, acct)
			assert.Len(t, after, len(before)+1, "one stored delivery")
			var raw []byte
			require.NoError(t, e.pool.QueryRow(context.Background(),
				"SELECT raw FROM webhook_events WHERE account_id = $1 AND event_key = $2", acct, answer.EventKey).Scan(&raw))
			assert.JSONEq(t, string(tc.body), string(raw), "stored as sent")
			want := signalled
			if tc.status == "accepted" {
				want++
			}
			e.settled()
			assert.Len(t, e.signals(t, contract), want, "handed to the contract once, or not at all")

			again := answerOf(t, e.post(token, tc.body))
			assert.Equal(t, "duplicate", again.Status)
			assert.Len(t, e.events(t, acct), len(after), "a redelivery stores nothing new")
			e.settled()
			assert.Len(t, e.signals(t, contract), want, "a redelivery signals nothing")
		})
	}
	assert.Empty(t, e.events(t, other), "nothing reached the other account")

	// Free text never enters Temporal: the 900 kB description is not in the
	// contract's history, whose signals hold ids and amounts only.
	iter := e.tc.GetWorkflowHistory(context.Background(), workflows.ContractWorkflowID(contract.String()), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	signals := 0
	for iter.HasNext() {
		ev, err := iter.Next()
		require.NoError(t, err)
		if attrs := ev.GetWorkflowExecutionSignaledEventAttributes(); attrs != nil {
			signals++
			for _, p := range attrs.GetInput().GetPayloads() {
				assert.Less(t, len(p.GetData()), 2000, "the signal holds ids and amounts only")
				assert.NotContains(t, string(p.GetData()), "Descri")
				assert.NotContains(t, string(p.GetData()), "billing:")
			}
		}
	}
	assert.Equal(t, 2, signals)
}
