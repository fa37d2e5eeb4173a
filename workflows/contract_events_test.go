package workflows

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
)

func TestDecidePaymentEvent(t *testing.T) {
	open := &InstallmentState{Number: 1, Status: instOpen, ChargeID: "pay_1"}
	overdue := &InstallmentState{Number: 1, Status: instOverdue, ChargeID: "pay_1"}
	confirmed := &InstallmentState{Number: 1, Status: instPaid, ChargeID: "pay_1",
		Payment: &PaymentState{ID: "p1", AsaasPaymentID: "pay_1", Origin: "gateway", Status: "confirmed"}}
	received := &InstallmentState{Number: 1, Status: instPaid, ChargeID: "pay_1",
		Payment: &PaymentState{ID: "p1", AsaasPaymentID: "pay_1", Origin: "gateway", Status: "received"}}
	manual := &InstallmentState{Number: 1, Status: instPaid, ChargeID: "pay_1",
		Payment: &PaymentState{ID: "p1", AsaasPaymentID: "pay_1", Origin: "manual", Status: "received"}}
	paidElsewhere := &InstallmentState{Number: 1, Status: instPaid, ChargeID: "pay_1",
		Payment: &PaymentState{ID: "p1", Origin: "manual", Status: "received"}}
	refunded := &InstallmentState{Number: 1, Status: instRefunded, ChargeID: "pay_1",
		Payment: &PaymentState{ID: "p1", AsaasPaymentID: "pay_1", Status: "refunded"}}
	deleted := &InstallmentState{Number: 1, Status: instOpen, ChargeID: "pay_1", ChargeDeleted: true}

	ev := func(event, status string) PaymentEvent {
		return PaymentEvent{Event: event, InstallmentNumber: 1, Payment: GatewayPayment{ID: "pay_1", Status: status, Value: decimal.RequireFromString("100")}}
	}
	other := func(e PaymentEvent) PaymentEvent { e.Payment.ID = "pay_2"; return e }
	cases := []struct {
		name     string
		contract string
		inst     *InstallmentState
		ev       PaymentEvent
		want     eventAction
		status   string
		manual   bool
	}{
		{"pix received on open", StatusActive, open, ev(evReceived, "RECEIVED"), actApply, "received", false},
		{"boleto received late", StatusActive, overdue, ev(evReceived, "RECEIVED"), actApply, "received", false},
		{"card confirmed", StatusActive, open, ev(evConfirmed, "CONFIRMED"), actApply, "confirmed", false},
		{"card received after confirmed settles", StatusActive, confirmed, ev(evReceived, "RECEIVED"), actSettle, "", false},
		{"confirmed again is a duplicate", StatusActive, confirmed, ev(evConfirmed, "CONFIRMED"), actIgnore, "", false},
		{"received twice is a duplicate", StatusActive, received, ev(evReceived, "RECEIVED"), actIgnore, "", false},
		{"late confirmed after received is ignored", StatusActive, received, ev(evConfirmed, "CONFIRMED"), actIgnore, "", false},
		{"cash receipt in the Asaas panel", StatusActive, open, ev(evReceived, "RECEIVED_IN_CASH"), actApply, "received", true},
		{"our own receiveInCash echoed back", StatusActive, manual, ev(evReceived, "RECEIVED_IN_CASH"), actIgnore, "", false},
		{"money for an installment paid otherwise", StatusActive, paidElsewhere, ev(evReceived, "RECEIVED"), actIgnore, "", false},
		{"payment after cancellation", StatusCancelled, open, ev(evReceived, "RECEIVED"), actIgnore, "", false},
		{"overdue on open", StatusActive, open, ev(evOverdue, "OVERDUE"), actOverdue, "", false},
		{"overdue twice", StatusActive, overdue, ev(evOverdue, "OVERDUE"), actIgnore, "", false},
		{"overdue after payment (out of order)", StatusActive, received, ev(evOverdue, "OVERDUE"), actIgnore, "", false},
		{"refund of applied payment", StatusActive, received, ev(evRefunded, "REFUNDED"), actReverse, "", false},
		{"refund while only confirmed", StatusActive, confirmed, ev(evRefunded, "REFUNDED"), actReverse, "", false},
		{"refund twice", StatusActive, refunded, ev(evRefunded, "REFUNDED"), actIgnore, "", false},
		{"refund before any payment", StatusActive, open, ev(evRefunded, "REFUNDED"), actIgnore, "", false},
		{"received after refund", StatusActive, refunded, ev(evReceived, "RECEIVED"), actIgnore, "", false},
		{"charge deleted at Asaas", StatusActive, open, ev(evDeleted, "PENDING"), actChargeDeleted, "", false},
		{"deleted twice", StatusActive, deleted, ev(evDeleted, "PENDING"), actIgnore, "", false},
		{"restored", StatusActive, deleted, ev(evRestored, "PENDING"), actChargeRestored, "", false},
		{"viewed is not a change", StatusActive, open, ev("PAYMENT_CHECKOUT_VIEWED", "PENDING"), actIgnore, "", false},
		{"unknown event", StatusActive, open, ev("PAYMENT_SOMETHING_NEW", "PENDING"), actIgnore, "", false},
		{"unknown installment", StatusActive, nil, ev(evReceived, "RECEIVED"), actIgnore, "", false},
		{"completed contract still takes refunds", StatusCompleted, received, ev(evRefunded, "REFUNDED"), actReverse, "", false},
		{"refund of another payment than the applied one", StatusActive, received, other(ev(evRefunded, "REFUNDED")), actIgnore, "", false},
		{"refund of another payment of a card installment", StatusActive, confirmed, other(ev(evRefunded, "REFUNDED")), actIgnore, "", false},
		{"refund of another payment than a manual one", StatusActive, manual, other(ev(evRefunded, "REFUNDED")), actIgnore, "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := decidePaymentEvent(tc.contract, tc.inst, tc.ev)
			assert.Equal(t, tc.want, d.action, d.reason)
			if tc.want == actIgnore {
				assert.NotEmpty(t, d.reason, "an ignored event says why")
				wantNotable := moneyEvent(tc.ev.Event) && !strings.Contains(d.reason, "already applied")
				assert.Equal(t, wantNotable, d.notable, "money not applied is audited; duplicates and informational events are not")
			}
			if tc.want == actApply {
				assert.Equal(t, tc.status, d.paymentStatus)
				assert.Equal(t, tc.manual, d.manual)
			}
		})
	}
}

// From the one-hop event path on, a cancelled contract keeps listening for its
// late-event window: its paid installments take their refunds and a stray
// charge of ours is retired, but no money is applied to a cancelled installment.
func TestDecideForACancelledContractsInstallments(t *testing.T) {
	cancelled := &InstallmentState{Number: 2, Status: instCancelled, ChargeID: "pay_2", ChargeDeleted: true}
	kept := &InstallmentState{Number: 1, Status: instPaid, ChargeID: "pay_1",
		Payment: &PaymentState{ID: "p1", AsaasPaymentID: "pay_1", Origin: "gateway", Status: "received"}}
	ev := func(event, id, status string) PaymentEvent {
		return PaymentEvent{Event: event, InstallmentNumber: 1, Payment: GatewayPayment{ID: id, Status: status, Value: decimal.RequireFromString("100")}}
	}
	cases := []struct {
		name    string
		inst    *InstallmentState
		ev      PaymentEvent
		want    eventAction
		notable bool
	}{
		{"a kept payment's refund reverses it", kept, ev(evRefunded, "pay_1", "REFUNDED"), actReverse, false},
		{"money for a cancelled installment is for a person", cancelled, ev(evReceived, "pay_2", "RECEIVED"), actIgnore, true},
		{"a stray charge created after the cancel is retired", cancelled, ev(evCreated, "pay_9", "PENDING"), actRetireDuplicate, false},
		{"the deleted charge's own late creation event", cancelled, ev(evCreated, "pay_2", "PENDING"), actIgnore, false},
		{"its deletion event", cancelled, ev(evDeleted, "pay_2", "PENDING"), actIgnore, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := decideForInstallment(tc.inst, tc.ev)
			assert.Equal(t, tc.want, d.action, d.reason)
			assert.Equal(t, tc.notable, d.notable)
		})
	}
	assert.Equal(t, actIgnore, decidePaymentEvent(StatusCancelled, kept, ev(evRefunded, "pay_1", "REFUNDED")).action,
		"runs on the first event path closed at once and took nothing")
}
