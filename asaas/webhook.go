package asaas

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// WebhookEvent is one webhook delivery. Payment events carry Payment, bill
// events carry Bill; any other payload stays in Raw.
type WebhookEvent struct {
	// ID identifies the event; redeliveries of the same event repeat it. The
	// documentation's payment example has none, so callers need a fallback
	// (the design uses the SHA-256 of the body).
	ID          string          `json:"id,omitempty"`
	Event       string          `json:"event"`
	DateCreated string          `json:"dateCreated,omitempty"` // "YYYY-MM-DD HH:MM:SS"
	Account     *WebhookAccount `json:"account,omitempty"`
	Payment     *Payment        `json:"payment,omitempty"`
	Bill        *Bill           `json:"bill,omitempty"`

	// Raw is the body as received.
	Raw json.RawMessage `json:"-"`
	// PayloadError is set when the payment or bill object could not be read
	// (a known field of an unexpected type); that object is then nil. The
	// event itself is still valid and should be recorded, not rejected.
	PayloadError error `json:"-"`
}

// Key identifies the event for deduplication: its id, or, when the payload
// has none (the documentation's payment example), "sha256:" and the SHA-256
// of the raw body, so that a redelivery of the same bytes gets the same key.
func (e WebhookEvent) Key() string {
	if e.ID != "" {
		return e.ID
	}
	sum := sha256.Sum256(e.Raw)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// WebhookAccount is the Asaas account (or subaccount) the event belongs to.
type WebhookAccount struct {
	ID      string  `json:"id"`
	OwnerID *string `json:"ownerId"`
}

// Bill is a bill payment ("pagamento de contas") carried by BILL_* events.
type Bill struct {
	Object                string           `json:"object"`
	ID                    string           `json:"id"`
	Status                string           `json:"status"`
	Value                 Number           `json:"value"`
	Discount              Number           `json:"discount"`
	Interest              Number           `json:"interest"`
	Fine                  Number           `json:"fine"`
	IdentificationField   string           `json:"identificationField"`
	DueDate               Date             `json:"dueDate"`
	ScheduleDate          Date             `json:"scheduleDate"`
	PaymentDate           Date             `json:"paymentDate"`
	Fee                   Number           `json:"fee"`
	Description           *string          `json:"description"`
	CompanyName           *string          `json:"companyName"`
	TransactionReceiptURL *string          `json:"transactionReceiptUrl"`
	CanBeCancelled        bool             `json:"canBeCancelled"`
	ExternalReference     Optional[string] `json:"externalReference,omitzero"`
	FailReasons           FailReasons      `json:"failReasons"`
}

// Bill statuses. PAID, CANCELLED, FAILED and REFUNDED are terminal
// (REFUNDED may follow PAID).
const (
	BillPending        = "PENDING"
	BillBankProcessing = "BANK_PROCESSING"
	BillPaid           = "PAID"
	BillFailed         = "FAILED"
	BillCancelled      = "CANCELLED"
	BillRefunded       = "REFUNDED"
)

// FailReasons lists why a bill payment failed; nil is JSON null. The
// reference declares a list of strings; a lone string is accepted too.
type FailReasons []string

// UnmarshalJSON accepts null, a string or a list of strings.
func (f *FailReasons) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*f = nil
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = FailReasons{s}
		return nil
	}
	var l []string
	if err := json.Unmarshal(b, &l); err != nil {
		return fmt.Errorf("asaas: failReasons: %w", err)
	}
	*f = l
	return nil
}

// String joins the reasons with "; ".
func (f FailReasons) String() string { return strings.Join(f, "; ") }

// ParseWebhook reads a webhook body. It fails only when the body is not a
// JSON object or has no "event": unknown fields and events are fine (Asaas
// adds fields without notice, and a rejected delivery stalls its queue).
func ParseWebhook(body []byte) (WebhookEvent, error) {
	var env struct {
		ID          json.RawMessage `json:"id"`
		Event       json.RawMessage `json:"event"`
		DateCreated json.RawMessage `json:"dateCreated"`
		Account     json.RawMessage `json:"account"`
		Payment     json.RawMessage `json:"payment"`
		Bill        json.RawMessage `json:"bill"`
	}
	// JSON's whitespace only: bytes.TrimSpace would also drop Unicode spaces such as
	// U+00A0 and accept a body that is not JSON (which PostgreSQL's jsonb then refuses).
	trimmed := bytes.Trim(body, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return WebhookEvent{}, errors.New("asaas: webhook body is not a JSON object")
	}
	if err := json.Unmarshal(trimmed, &env); err != nil {
		return WebhookEvent{}, fmt.Errorf("asaas: webhook body is not a JSON object: %w", err)
	}
	ev := WebhookEvent{Raw: json.RawMessage(bytes.Clone(body))}
	ev.Event = looseString(env.Event)
	if ev.Event == "" {
		return WebhookEvent{}, errors.New("asaas: webhook body has no event")
	}
	ev.ID = looseString(env.ID)
	ev.DateCreated = looseString(env.DateCreated)

	var problems []error
	for name, raw := range map[string]json.RawMessage{"account": env.Account, "payment": env.Payment, "bill": env.Bill} {
		if !isObject(raw) && !isNull(raw) {
			problems = append(problems, fmt.Errorf("%s: not an object", name))
		}
	}
	if isObject(env.Account) {
		var a WebhookAccount
		if err := json.Unmarshal(env.Account, &a); err == nil {
			ev.Account = &a
		} else {
			problems = append(problems, fmt.Errorf("account: %w", err))
		}
	}
	if isObject(env.Payment) {
		var p Payment
		if err := json.Unmarshal(env.Payment, &p); err == nil {
			ev.Payment = &p
		} else {
			problems = append(problems, fmt.Errorf("payment: %w", err))
		}
	}
	if isObject(env.Bill) {
		var b Bill
		if err := json.Unmarshal(env.Bill, &b); err == nil {
			ev.Bill = &b
		} else {
			problems = append(problems, fmt.Errorf("bill: %w", err))
		}
	}
	if len(problems) > 0 {
		ev.PayloadError = fmt.Errorf("asaas: webhook %s: %w", ev.Event, errors.Join(problems...))
	}
	return ev, nil
}

// looseString reads a JSON string, or the literal text of a number, and ""
// for anything else: an id sent as a number still identifies the event.
func looseString(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// isNull is true for an absent key or a JSON null.
func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || bytes.Equal(raw, []byte("null"))
}

func isObject(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == '{'
}
