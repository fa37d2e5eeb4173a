package workflows

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"billing/activities"
	"billing/asaas"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// seedPayment is the payment object of seed 001's webhook example ("Eventos para
// cobranças"), with the split and chargeback keys it shows; the tests below
// change only what each event changes (status, chargeback, refunds, value, dueDate).
const seedPayment = `{
   "object":"payment", "id":"pay_080225913252", "dateCreated":"2021-01-01", "customer":"cus_G7Dvo4iphUNk",
   "paymentLink":null, "dueDate":"2021-01-01", "originalDueDate":"2021-01-01", "value":100, "netValue":94.51,
   "originalValue":null, "interestValue":null, "nossoNumero":null, "description":"Pedido 056984",
   "externalReference":"billing:11111111-1111-1111-1111-111111111111:1", "billingType":"CREDIT_CARD", "status":"%STATUS%",
   "pixTransaction":null, "confirmedDate":"2021-01-01", "paymentDate":"2021-01-01", "clientPaymentDate":"2021-01-01",
   "installmentNumber":null, "creditDate":"2021-02-01", "custody":null, "estimatedCreditDate":"2021-02-01",
   "invoiceUrl":"https://www.asaas.com/i/080225913252", "bankSlipUrl":null,
   "transactionReceiptUrl":"https://www.asaas.com/comprovantes/4937311816045162", "invoiceNumber":"00005101",
   "deleted":false, "anticipated":false, "anticipable":false, "lastInvoiceViewedDate":"2021-01-01 12:54:56",
   "lastBankSlipViewedDate":null, "postalService":false,
   "creditCard":{"creditCardNumber":"8829","creditCardBrand":"MASTERCARD","creditCardToken":"a75a1d98-c52d-4a6b-a413-71e00b193c99"},
   "discount":{"value":0.00,"dueDateLimitDays":0,"limitedDate":null,"type":"FIXED"},
   "fine":{"value":0.00,"type":"FIXED"}, "interest":{"value":0.00,"type":"PERCENTAGE"},
   "split":[{"walletId":"48548710-9baa-4ec1-a11f-9010193527c6","fixedValue":20,"status":"PENDING","refusalReason":null},
            {"walletId":"0b763922-aa88-4cbe-a567-e3fe8511fa06","percentualValue":10,"status":"PENDING","refusalReason":null}],
   "chargeback":%CHARGEBACK%, "refunds":%REFUNDS%
}`

// capturedEvent is a webhook in the seed's shape, parsed the way the handler
// parses it and reduced to the contract's signal as webhooks.signalOf does.
func capturedEvent(t *testing.T, event, status, chargeback, refunds string, edit func(string) string) PaymentEvent {
	t.Helper()
	body := strings.NewReplacer("%STATUS%", status, "%CHARGEBACK%", chargeback, "%REFUNDS%", refunds).Replace(seedPayment)
	if edit != nil {
		body = edit(body)
	}
	ev, err := asaas.ParseWebhook([]byte(`{"id":"evt_` + strings.ToLower(event) + `","event":"` + event + `","payment":` + body + `}`))
	require.NoError(t, err)
	p := ev.Payment
	gp := GatewayPayment{ID: p.ID, Status: p.Status, BillingType: p.BillingType, Value: p.Value.Decimal, NetValue: p.NetValue.Decimal,
		PaymentDate: p.PaymentDate.String(), ClientPaymentDate: p.ClientPaymentDate.String(), Deleted: p.Deleted, DueDate: p.DueDate.String()}
	if d, ok := p.ConfirmedDate.Get(); ok {
		gp.ConfirmedDate = d.String()
	}
	return PaymentEvent{EventKey: ev.Key(), Event: ev.Event, InstallmentNumber: 1, Payment: gp}
}

// verified is the event with what the verification GET read (the same shape):
// refunds[] says how much was refunded.
func verified(t *testing.T, ev PaymentEvent, status, refunds string) PaymentEvent {
	t.Helper()
	var p asaas.Payment
	body := strings.NewReplacer("%STATUS%", status, "%CHARGEBACK%", "null", "%REFUNDS%", refunds).Replace(seedPayment)
	require.NoError(t, jsonUnmarshal(body, &p))
	refunded, err := p.RefundedValue()
	require.NoError(t, err)
	ev.Payment.Status, ev.Payment.Refunded, ev.Verified = p.Status, refunded, true
	return ev
}

// Each event of the charge's life, from a payload of the seed's shape, decided
// on each installment state it can meet.
func TestDecideWithLife(t *testing.T) {
	const id = "pay_080225913252"
	paid := func(status, origin, hold string, refunded string) *InstallmentState {
		return &InstallmentState{Number: 1, Status: instPaid, ChargeID: id, Value: dec("100"), DueDate: "2021-01-01",
			Payment: &PaymentState{ID: "p1", AsaasPaymentID: id, Origin: origin, Amount: dec("100"), Status: status, Hold: hold, Refunded: dec(refunded)}}
	}
	open := &InstallmentState{Number: 1, Status: instOpen, ChargeID: id, Value: dec("100"), DueDate: "2021-01-01"}
	received, confirmed := paid("received", "gateway", "", "0"), paid("confirmed", "gateway", "", "0")
	held, heldRefund := paid("confirmed", "gateway", "chargeback", "0"), paid("received", "gateway", "refund", "0")
	inCash, partly := paid("received", "manual", "", "0"), paid("received", "gateway", "", "30")
	refunded := &InstallmentState{Number: 1, Status: instRefunded, ChargeID: id, Payment: &PaymentState{ID: "p1", AsaasPaymentID: id, Amount: dec("100"), Status: "refunded"}}

	cb := `{"status":"REQUESTED","reason":"PROCESS_ERROR"}`
	refunds30 := `[{"dateCreated":"2021-01-05 10:28:40","status":"DONE","value":30.00,"description":"Desconto","transactionReceiptUrl":"https://www.asaas.com/comprovantes/6677732109104548"}]`
	refunds30and20pending := `[{"status":"DONE","value":30.00},{"status":"PENDING","value":20.00}]`
	requested := capturedEvent(t, evChargebackRequested, "CHARGEBACK_REQUESTED", cb, "null", nil)
	dispute := capturedEvent(t, evChargebackDispute, "CHARGEBACK_DISPUTE", cb, "null", nil)
	awaiting := capturedEvent(t, evAwaitingChargebackReversal, "AWAITING_CHARGEBACK_REVERSAL", cb, "null", nil)
	wonConfirmed := capturedEvent(t, evConfirmed, "CONFIRMED", `{"status":"REVERSED","reason":"PROCESS_ERROR"}`, "null", nil)
	wonReceived := capturedEvent(t, evReceived, "RECEIVED", `{"status":"REVERSED","reason":"PROCESS_ERROR"}`, "null", nil)
	lost := capturedEvent(t, evRefunded, "REFUNDED", `{"status":"DONE","reason":"PROCESS_ERROR"}`, "null", nil)
	inProgress := capturedEvent(t, evRefundInProgress, "REFUND_IN_PROGRESS", "null", "null", nil)
	denied := capturedEvent(t, evRefundDenied, "RECEIVED", "null", "null", nil)
	partial := capturedEvent(t, evPartiallyRefunded, "RECEIVED", "null", refunds30, nil)
	undone := capturedEvent(t, evReceivedInCashUndone, "PENDING", "null", "null", nil)
	updated := capturedEvent(t, evUpdated, "PENDING", "null", "null", func(b string) string {
		return strings.Replace(strings.Replace(b, `"value":100`, `"value":120.50`, 1), `"dueDate":"2021-01-01"`, `"dueDate":"2021-02-15"`, 1)
	})
	echo := capturedEvent(t, evUpdated, "PENDING", "null", "null", nil)

	cases := []struct {
		name     string
		inst     *InstallmentState
		ev       PaymentEvent
		want     eventAction
		hold     string
		refunded string
		notable  bool
	}{
		{"chargeback requested holds the payment", confirmed, requested, actHold, "chargeback", "", false},
		{"chargeback on a received payment too", received, requested, actHold, "chargeback", "", false},
		{"dispute of a held payment keeps it held", held, dispute, actIgnore, "", "", false},
		{"dispute without the request (lost event) holds it", received, dispute, actHold, "chargeback", "", false},
		{"awaiting reversal keeps it held", held, awaiting, actIgnore, "", "", false},
		{"won: confirmed again releases", held, wonConfirmed, actRelease, "", "", false},
		{"won: received again releases", held, wonReceived, actRelease, "", "", false},
		{"lost: refunded reverses all", held, verified(t, lost, "REFUNDED", "null"), actReverse, "", "", false},
		{"chargeback on an open installment is for a person", open, requested, actIgnore, "", "", true},
		{"chargeback of a refunded payment", refunded, requested, actIgnore, "", "", false},
		{"refund in progress holds", received, inProgress, actHold, "refund", "", false},
		{"refund in progress twice", heldRefund, inProgress, actIgnore, "", "", false},
		{"refund denied releases", heldRefund, denied, actRelease, "", "", false},
		{"refund denied of a payment not held", received, denied, actIgnore, "", "", false},
		{"partial refund before verification: asked", received, partial, actReverse, "", "", false},
		{"partial refund verified: 30 of 100", received, verified(t, partial, "RECEIVED", refunds30), actReverse, "", "30", false},
		{"a pending refund does not count", received, verified(t, partial, "RECEIVED", refunds30and20pending), actReverse, "", "30", false},
		{"partial refund already applied", partly, verified(t, partial, "RECEIVED", refunds30), actIgnore, "", "", false},
		{"the rest refunded after a partial refund", partly, verified(t, lost, "REFUNDED", refunds30), actReverse, "", "", false},
		{"partial refund of an open installment is for a person", open, partial, actIgnore, "", "", true},
		{"cash receipt undone reopens", inCash, undone, actUndoCash, "", "", false},
		{"undone of a gateway payment is for a person", received, undone, actIgnore, "", "", true},
		{"undone with nothing paid is for a person", open, undone, actIgnore, "", "", true},
		{"charge changed at Asaas is copied", open, updated, actChargeUpdated, "", "", false},
		{"our own change echoed: nothing to do", open, echo, actIgnore, "", "", false},
		{"a paid installment's charge does not change", received, updated, actIgnore, "", "", false},
		{"received of a payment not held is a duplicate, as before", received, wonReceived, actIgnore, "", "", false},
		{"card received after confirmed settles, as before", confirmed, wonReceived, actSettle, "", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := decideWithLife(tc.inst, tc.ev)
			assert.Equal(t, tc.want, d.action, d.reason)
			assert.Equal(t, tc.hold, d.hold)
			if tc.refunded != "" {
				assert.Equal(t, tc.refunded, d.refunded.String())
			} else {
				assert.True(t, d.refunded.IsZero(), "a whole refund: %s", d.refunded)
			}
			if d.action == actIgnore {
				assert.NotEmpty(t, d.reason)
				assert.Equal(t, tc.notable, d.notable, d.reason)
			}
		})
	}

	// Runs before changeChargeLife decide as they did: none of these events
	// changes a contract, and a refund is whole.
	for _, ev := range []PaymentEvent{requested, inProgress, undone, updated, partial} {
		assert.Equal(t, actIgnore, decideForInstallment(received, ev).action, ev.Event)
	}
}

// A chargeback holds the payment's entries, its dispute keeps them held, and
// winning it (the payment confirmed again, seed 001) releases them; every step
// is checked with Asaas first, and a release claimed while Asaas still shows the
// dispute is rejected.
func TestChargebackWonReleasesTheHold(t *testing.T) {
	fake := newFake("100.00")
	env := newContractEnv(t, fake)
	card := payment(evConfirmed, 1, "CONFIRMED", "100.00", "96.52")
	signal(env, time.Hour, card)
	cb := func(key, event, status string, d time.Duration) {
		at(env, d-time.Minute, func() {
			fake.atAsaas(1, activities.GatewayPaymentInfo{ID: "pay_1", Status: status, Value: dec("100.00"), NetValue: dec("96.52")})
		})
		ev := payment(event, 1, status, "100.00", "96.52")
		ev.EventKey = key
		signal(env, d, ev)
	}
	cb("evt_cb_1", evChargebackRequested, "CHARGEBACK_REQUESTED", 2*time.Hour)
	cb("evt_cb_2", evChargebackDispute, "CHARGEBACK_DISPUTE", 3*time.Hour)
	forged := payment(evConfirmed, 1, "CONFIRMED", "100.00", "96.52")
	forged.EventKey = "evt_forged_win"
	signal(env, 4*time.Hour, forged) // Asaas still says CHARGEBACK_DISPUTE
	var heldView ContractView
	at(env, 4*time.Hour+time.Minute, func() { heldView = query(t, env) })
	cb("evt_cb_3", evAwaitingChargebackReversal, "AWAITING_CHARGEBACK_REVERSAL", 5*time.Hour)
	cb("evt_cb_won", evConfirmed, "CONFIRMED", 6*time.Hour)
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	assert.Equal(t, []string{"Hold:1:chargeback:CHARGEBACK_REQUESTED", "Release:1:"}, append(fake.callsWith("Hold"), fake.callsWith("Release")...))
	assert.Equal(t, "chargeback", heldView.Installments[0].Payment.Hold)
	assert.Equal(t, []string{"VerifyPayment:1:pay_1", "VerifyPayment:1:pay_1", "VerifyPayment:1:pay_1"}, fake.callsWith("VerifyPayment"),
		"the request, the forged win and the real win are asked about; the dispute and the reversal of a held payment change nothing")
	v := query(t, env)
	assert.Empty(t, v.Installments[0].Payment.Hold)
	assert.Equal(t, instPaid, v.Installments[0].Status)
	rejected := 0
	for _, o := range fake.outcomes {
		if o.EventKey == "evt_forged_win" {
			assert.Equal(t, activities.EventRejected, o.Status)
			assert.Contains(t, o.Reason, "CHARGEBACK_DISPUTE")
			rejected++
		}
	}
	assert.Equal(t, 1, rejected)
	assert.Empty(t, fake.callsWith("ReversePayment"))
}

// A lost chargeback ends in PAYMENT_REFUNDED: the held entries are reversed and
// the installment refunded.
func TestChargebackLostReversesTheHeldPayment(t *testing.T) {
	fake := newFake("100.00", "100.00")
	env := newContractEnv(t, fake)
	signal(env, time.Hour, payment(evReceived, 1, "RECEIVED", "100.00", "98.01"))
	at(env, 2*time.Hour-time.Minute, func() {
		fake.atAsaas(1, activities.GatewayPaymentInfo{ID: "pay_1", Status: "CHARGEBACK_REQUESTED", Value: dec("100.00"), NetValue: dec("98.01")})
	})
	signal(env, 2*time.Hour, payment(evChargebackRequested, 1, "CHARGEBACK_REQUESTED", "100.00", "98.01"))
	at(env, 3*time.Hour-time.Minute, func() {
		fake.atAsaas(1, activities.GatewayPaymentInfo{ID: "pay_1", Status: "REFUNDED", Value: dec("100.00"), NetValue: dec("98.01"), Refunded: dec("100.00")})
	})
	signal(env, 3*time.Hour, payment(evRefunded, 1, "REFUNDED", "100.00", "98.01"))
	signal(env, 4*time.Hour, payment(evReceived, 2, "RECEIVED", "100.00", "98.01"))
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	assert.Equal(t, []string{"Hold:1:chargeback:CHARGEBACK_REQUESTED"}, fake.callsWith("Hold"))
	assert.Equal(t, []string{"ReversePayment:1"}, fake.callsWith("ReversePayment"), "a whole reversal")
	v := query(t, env)
	assert.Equal(t, instRefunded, v.Installments[0].Status)
	assert.Empty(t, v.Installments[0].Payment.Hold)
	assert.Equal(t, "100", v.Installments[0].Payment.Refunded.String())
}

// Partial refunds reverse the refunded share (what Asaas's refunds[] say, not
// the event), each once; the refund of the rest reverses the whole payment.
func TestPartialRefundsAsAsaasSays(t *testing.T) {
	fake := newFake("100.00", "100.00")
	env := newContractEnv(t, fake)
	signal(env, time.Hour, payment(evReceived, 1, "RECEIVED", "100.00", "98.01"))
	refund := func(key, event, status, refunded string, d time.Duration) {
		at(env, d-time.Minute, func() {
			fake.atAsaas(1, activities.GatewayPaymentInfo{ID: "pay_1", Status: status, Value: dec("100.00"), NetValue: dec("98.01"), Refunded: dec(refunded)})
		})
		ev := payment(event, 1, status, "100.00", "98.01")
		ev.EventKey = key
		signal(env, d, ev)
	}
	refund("evt_forged_partial", evPartiallyRefunded, "RECEIVED", "0", 2*time.Hour) // Asaas refunded nothing
	refund("evt_partial_30", evPartiallyRefunded, "RECEIVED", "30.00", 3*time.Hour)
	refund("evt_partial_30_again", evPartiallyRefunded, "RECEIVED", "30.00", 4*time.Hour)
	var partly ContractView
	at(env, 4*time.Hour+time.Minute, func() { partly = query(t, env) })
	refund("evt_partial_50", evRefunded, "RECEIVED", "50.00", 5*time.Hour) // a partial refund told as PAYMENT_REFUNDED
	refund("evt_rest", evRefunded, "REFUNDED", "100.00", 6*time.Hour)
	signal(env, 7*time.Hour, payment(evReceived, 2, "RECEIVED", "100.00", "98.01"))
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	assert.Equal(t, []string{"ReversePayment:1:partial:30", "ReversePayment:1:partial:50", "ReversePayment:1"}, fake.callsWith("ReversePayment"))
	assert.Equal(t, instPaid, partly.Installments[0].Status, "still paid, in part")
	assert.Equal(t, "70", partly.TotalPaid.String())
	v := query(t, env)
	assert.Equal(t, instRefunded, v.Installments[0].Status)
	statuses := map[string]string{}
	for _, o := range fake.outcomes {
		statuses[o.EventKey] = o.Status
	}
	assert.Equal(t, activities.EventRejected, statuses["evt_forged_partial"])
	assert.Equal(t, activities.EventIgnored, statuses["evt_partial_30_again"])
}

// A refund in progress holds the payment; denied, it is released; done, reversed.
func TestRefundInProgressHoldsUntilDeniedOrDone(t *testing.T) {
	fake := newFake("100.00", "100.00")
	env := newContractEnv(t, fake)
	signal(env, time.Hour, payment(evReceived, 1, "RECEIVED", "100.00", "98.01"))
	signal(env, time.Hour, payment(evReceived, 2, "RECEIVED", "100.00", "98.01"))
	step := func(n int, key, event, status string, d time.Duration) {
		at(env, d-time.Minute, func() {
			info := activities.GatewayPaymentInfo{ID: "pay_" + itoa(n), Status: status, Value: dec("100.00"), NetValue: dec("98.01")}
			if status == "REFUNDED" {
				info.Refunded = dec("100.00")
			}
			fake.atAsaas(n, info)
		})
		ev := payment(event, n, status, "100.00", "98.01")
		ev.EventKey = key
		signal(env, d, ev)
	}
	step(1, "evt_rip_1", evRefundInProgress, "REFUND_IN_PROGRESS", 2*time.Hour)
	step(2, "evt_rip_2", evRefundInProgress, "REFUND_IN_PROGRESS", 2*time.Hour)
	step(1, "evt_denied_1", evRefundDenied, "RECEIVED", 3*time.Hour)
	step(2, "evt_refunded_2", evRefunded, "REFUNDED", 3*time.Hour)
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	assert.Equal(t, []string{"Hold:1:refund:REFUND_IN_PROGRESS", "Hold:2:refund:REFUND_IN_PROGRESS"}, fake.callsWith("Hold"))
	assert.Equal(t, []string{"Release:1:"}, fake.callsWith("Release"))
	assert.Equal(t, []string{"ReversePayment:2"}, fake.callsWith("ReversePayment"))
	v := query(t, env)
	assert.Equal(t, instPaid, v.Installments[0].Status)
	assert.Empty(t, v.Installments[0].Payment.Hold)
	assert.Equal(t, instRefunded, v.Installments[1].Status)
}

// A cash receipt undone at Asaas reopens the installment (its entries reversed),
// which is then paid by PIX; undone in a completed contract, the contract is
// active again.
func TestCashReceiptUndoneReopensTheInstallment(t *testing.T) {
	fake := newFake("100.00", "100.00")
	env := newContractEnv(t, fake)
	var mark updateResult
	update(env, time.Hour, MarkPaidUpdate, MarkPaidRequest{InstallmentNumber: 1, Amount: dec("100.00"), PaidOn: "2030-01-02", RecordedBy: "user-1"}, &mark)
	signal(env, 2*time.Hour, payment(evReceived, 2, "RECEIVED", "100.00", "98.01"))
	var completed, reopened ContractView
	at(env, 3*time.Hour, func() { completed = query(t, env) })
	at(env, 4*time.Hour-time.Minute, func() {
		fake.atAsaas(1, activities.GatewayPaymentInfo{ID: "pay_1", Status: "PENDING", Value: dec("100.00"), NetValue: dec("98.01")})
	})
	signal(env, 4*time.Hour, payment(evReceivedInCashUndone, 1, "PENDING", "100.00", "98.01"))
	at(env, 5*time.Hour, func() { reopened = query(t, env) })
	pix := payment(evReceived, 1, "RECEIVED", "100.00", "98.01")
	pix.EventKey = "evt_pix_after_undo"
	signal(env, 6*time.Hour, pix)
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	require.NoError(t, mark.err)
	assert.Equal(t, StatusCompleted, completed.Status)
	assert.Equal(t, []string{"UndoCash:1:open:true"}, fake.callsWith("UndoCash"), "reopening the completed contract")
	assert.Equal(t, StatusActive, reopened.Status)
	assert.Equal(t, instOpen, reopened.Installments[0].Status)
	assert.Nil(t, reopened.Installments[0].Payment)
	assert.Equal(t, 1, reopened.PaidInstallments)
	assert.Equal(t, []string{"ApplyPayment:1:manual:100:received", "ApplyPayment:2:gateway:100:received", "ApplyPayment:1:gateway:100:received"},
		fake.callsWith("ApplyPayment"))
	assert.Equal(t, []string{"CompleteContract", "CompleteContract"}, fake.callsWith("CompleteContract"), "completed again")
	assert.Equal(t, StatusCompleted, query(t, env).Status)
}

// PAYMENT_UPDATED (a change made in the Asaas panel) is checked with Asaas and
// copied; the echo of a change already known is not even asked about.
func TestPaymentUpdatedAtAsaasIsCopied(t *testing.T) {
	fake := newFake("100.00", "100.00")
	fake.atAsaas(1, activities.GatewayPaymentInfo{ID: "pay_1", Status: "PENDING", Value: dec("120.50"), NetValue: dec("118.51"), DueDate: "2030-01-25"})
	env := newContractEnv(t, fake)
	ev := payment(evUpdated, 1, "PENDING", "120.50", "118.51")
	ev.Payment.DueDate = "2030-01-25"
	signal(env, time.Hour, ev)
	echo := ev
	echo.EventKey = "evt_updated_echo"
	signal(env, 2*time.Hour, echo)
	var v ContractView
	at(env, 3*time.Hour, func() { v = query(t, env) })
	signal(env, 4*time.Hour, payment(evReceived, 1, "RECEIVED", "120.50", "118.51")) // the new value: no need to ask
	signal(env, 5*time.Hour, payment(evReceived, 2, "RECEIVED", "100.00", "98.01"))
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	assert.Equal(t, []string{"ChargeUpdated:1:120.5:2030-01-25:open"}, fake.callsWith("ChargeUpdated"))
	assert.Equal(t, []string{"VerifyPayment:1:pay_1"}, fake.callsWith("VerifyPayment"))
	assert.Equal(t, "120.5", v.Installments[0].Value.String())
	assert.Equal(t, "2030-01-25", v.Installments[0].DueDate)
	assert.Equal(t, "2030-01-25", v.NextDueDate)
}

// PATCH of an installment: its charge is changed at Asaas; where Asaas refuses,
// it is deleted and issued again; a charge paid meanwhile is recorded and the
// change refused; the overdue check follows the new due date.
func TestChangeInstallment(t *testing.T) {
	fake := newFake("100.00", "100.00", "100.00")
	fake.updates = map[int]activities.GatewayOutcome{
		2: {Outcome: activities.OutcomeRefused},
		3: {Outcome: activities.OutcomePaidAtGateway, Payment: &activities.GatewayPaymentInfo{ID: "pay_3", Status: "RECEIVED", Value: dec("100.00"), NetValue: dec("98.01"), PaymentDate: "2030-01-02"}},
	}
	env := newContractEnv(t, fake)
	var one, two, three updateResult
	update(env, time.Hour, ChangeInstallmentUpdate, ChangeInstallmentRequest{InstallmentNumber: 1, Value: dec("150.00"), DueDate: "2030-01-05", RequestedBy: "user-1"}, &one)
	update(env, 2*time.Hour, ChangeInstallmentUpdate, ChangeInstallmentRequest{InstallmentNumber: 2, DueDate: "2030-03-01", RequestedBy: "user-1"}, &two)
	update(env, 3*time.Hour, ChangeInstallmentUpdate, ChangeInstallmentRequest{InstallmentNumber: 3, Value: dec("90.00"), RequestedBy: "user-1"}, &three)
	var after ContractView
	at(env, 4*time.Hour, func() { after = query(t, env) })
	var overdue ContractView
	at(env, 4*24*time.Hour+18*time.Hour, func() { overdue = query(t, env) }) // 2030-01-06 06:00 UTC: past #1's new due date + grace
	signal(env, 6*24*time.Hour, payment(evReceived, 1, "RECEIVED", "150.00", "148.01"))
	second := payment(evReceived, 2, "RECEIVED", "100.00", "98.01")
	second.Payment.ID = "pay_2_r1"
	signal(env, 6*24*time.Hour, second)
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	require.NoError(t, one.err)
	assertChange(t, InstallmentChangeResult{InstallmentNumber: 1, ChargeID: "pay_1", How: "updated", Value: dec("150.00"), DueDate: "2030-01-05", Status: instOpen}, one.value)
	require.NoError(t, two.err)
	assertChange(t, InstallmentChangeResult{InstallmentNumber: 2, ChargeID: "pay_2_r1", How: "reissued", Value: dec("100.00"), DueDate: "2030-03-01", Status: instOpen}, two.value)
	var appErr *temporal.ApplicationError
	require.True(t, errors.As(three.err, &appErr), "%v", three.err)
	assert.Equal(t, ErrTypeAlreadyPaid, appErr.Type())

	assert.Equal(t, []string{"UpdateCharge:1:150:2030-01-05:open", "UpdateCharge:2:100:2030-03-01:open", "UpdateCharge:3:90:2030-03-10:open"}, fake.callsWith("UpdateCharge"))
	assert.Equal(t, []string{"DeleteCharge:2"}, fake.callsWith("DeleteCharge"))
	assert.Equal(t, []string{"ReissueCharge:2:pay_2:100:2030-03-01:changed"}, fake.callsWith("ReissueCharge"))
	assert.Equal(t, "ApplyPayment:3:gateway:100:received", fake.callsWith("ApplyPayment")[0], "the payment Asaas holds")
	assert.Equal(t, "2030-01-05", after.NextDueDate)
	assert.Equal(t, "pay_2_r1", after.Installments[1].ChargeID)
	assert.False(t, after.Installments[1].ChargeDeleted)
	assert.Equal(t, instOverdue, overdue.Installments[0].Status, "the wake timer followed the earlier due date")
	assert.Equal(t, []string{"MarkOverdue:[1]:timer"}, fake.callsWith("MarkOverdue"))
}

// The validator refuses changes that cannot be made, before anything runs.
func TestChangeInstallmentValidator(t *testing.T) {
	fake := newFake("100.00", "100.00")
	env := newContractEnv(t, fake)
	signal(env, time.Minute, payment(evReceived, 2, "RECEIVED", "100.00", "98.01"))
	cases := map[string]ChangeInstallmentRequest{
		"nothing to change":   {InstallmentNumber: 1},
		"the same values":     {InstallmentNumber: 1, Value: dec("100.00"), DueDate: "2030-01-10"},
		"a due date past":     {InstallmentNumber: 1, DueDate: "2029-12-31"},
		"a bad date":          {InstallmentNumber: 1, DueDate: "10/01/2030"},
		"three decimals":      {InstallmentNumber: 1, Value: dec("10.001")},
		"negative":            {InstallmentNumber: 1, Value: dec("-10")},
		"a paid installment":  {InstallmentNumber: 2, Value: dec("90")},
		"unknown installment": {InstallmentNumber: 9, Value: dec("90")},
	}
	results := map[string]*updateResult{}
	i := 0
	for name, req := range cases {
		results[name] = &updateResult{}
		i++
		update(env, time.Hour+time.Duration(i)*time.Minute, ChangeInstallmentUpdate, req, results[name])
	}
	var reissueOpen updateResult
	update(env, 2*time.Hour, ReissueChargeUpdate, ReissueChargeRequest{InstallmentNumber: 1}, &reissueOpen)
	signal(env, 3*time.Hour, payment(evReceived, 1, "RECEIVED", "100.00", "98.01"))
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	for name, r := range results {
		assert.Error(t, r.rejected, name)
	}
	assert.ErrorContains(t, results["a due date past"].rejected, "in the past")
	assert.ErrorContains(t, results["a paid installment"].rejected, "paid")
	assert.ErrorContains(t, reissueOpen.rejected, "PATCH", "an open charge is changed, not re-issued")
	assert.Empty(t, fake.callsWith("UpdateCharge"))
	assert.Empty(t, fake.callsWith("ReissueCharge"))
}

// Re-issue: a charge deleted at Asaas is issued again (nothing to delete); an
// expired (overdue) charge is deleted first and issued with a new due date;
// Asaas refusing the new charge leaves the installment scheduled, surfaced.
func TestReissueCharge(t *testing.T) {
	fake := newFake("100.00", "100.00", "100.00")
	fake.reissueErr = map[int]string{3: "O cliente está inativo."}
	env := newContractEnv(t, fake) // #1 due 2030-01-10, #2 2030-02-10, #3 2030-03-10
	signal(env, time.Hour, payment(evDeleted, 2, "PENDING", "100.00", "98.01"))
	var noDate, deleted, expired, refused updateResult
	update(env, 2*time.Hour, ReissueChargeUpdate, ReissueChargeRequest{InstallmentNumber: 2, RequestedBy: "user-1"}, &deleted)
	update(env, 11*24*time.Hour, ReissueChargeUpdate, ReissueChargeRequest{InstallmentNumber: 1}, &noDate) // 2030-01-12: #1 overdue
	update(env, 11*24*time.Hour+time.Hour, ReissueChargeUpdate, ReissueChargeRequest{InstallmentNumber: 1, DueDate: "2030-01-20", RequestedBy: "user-1"}, &expired)
	signal(env, 11*24*time.Hour+2*time.Hour, payment(evDeleted, 3, "PENDING", "100.00", "98.01"))
	update(env, 11*24*time.Hour+3*time.Hour, ReissueChargeUpdate, ReissueChargeRequest{InstallmentNumber: 3}, &refused)
	var v ContractView
	at(env, 11*24*time.Hour+4*time.Hour, func() { v = query(t, env) })
	for n, id := range map[int]string{1: "pay_1_r2", 2: "pay_2_r1"} {
		ev := payment(evReceived, n, "RECEIVED", "100.00", "98.01")
		ev.Payment.ID = id
		signal(env, 12*24*time.Hour, ev)
	}
	var manual updateResult
	update(env, 12*24*time.Hour+time.Hour, MarkPaidUpdate, MarkPaidRequest{InstallmentNumber: 3, Amount: dec("100.00"), PaidOn: "2030-01-13", RecordedBy: "user-1"}, &manual)
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	require.NoError(t, deleted.err)
	assert.Equal(t, "pay_2_r1", deleted.value.(InstallmentChangeResult).ChargeID)
	assert.ErrorContains(t, noDate.rejected, "due_date", "an expired charge needs a new due date")
	require.NoError(t, expired.err)
	assertChange(t, InstallmentChangeResult{InstallmentNumber: 1, ChargeID: "pay_1_r2", How: "reissued", Value: dec("100.00"), DueDate: "2030-01-20", Status: instOpen}, expired.value)
	var appErr *temporal.ApplicationError
	require.True(t, errors.As(refused.err, &appErr), "%v", refused.err)
	assert.Equal(t, ErrTypeGateway, appErr.Type())

	assert.Equal(t, []string{"DeleteCharge:1"}, fake.callsWith("DeleteCharge"), "only the live (expired) charge is deleted")
	assert.Equal(t, []string{"ReissueCharge:2:pay_2:100:2030-02-10:reissued", "ReissueCharge:1:pay_1:100:2030-01-20:reissued", "ReissueCharge:3:pay_3:100:2030-03-10:reissued"},
		fake.callsWith("ReissueCharge"))
	assert.Equal(t, instOpen, v.Installments[0].Status, "due again in the future")
	assert.Equal(t, instScheduled, v.Installments[2].Status)
	assert.Empty(t, v.Installments[2].ChargeID)
	assert.Contains(t, v.LastError, "O cliente está inativo.")
}

// After a gateway payment is received, the charge's split is read back from
// Asaas: a split not settled yet is asked about again a day later; a card
// payment is read back when it is credited, not when it is confirmed.
func TestSplitReadBackAfterPayment(t *testing.T) {
	fake := newFake("100.00", "100.00")
	fake.gateway = 1
	fake.splitAnswers = map[int][]activities.SplitsChecked{1: {{Waiting: 1}, {NotPaid: 1}}}
	env := newContractEnv(t, fake)
	signal(env, time.Hour, payment(evReceived, 1, "RECEIVED", "100.00", "98.01"))
	signal(env, 2*time.Hour, payment(evConfirmed, 2, "CONFIRMED", "100.00", "96.52"))
	var confirmed ContractView
	at(env, 3*time.Hour, func() { confirmed = query(t, env) })
	signal(env, 4*time.Hour, payment(evReceived, 2, "RECEIVED", "100.00", "96.52"))
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	assert.Equal(t, []string{"CheckSplitOutcome:1:pay_1", "CheckSplitOutcome:2:pay_2", "CheckSplitOutcome:1:pay_1"}, fake.callsWith("CheckSplitOutcome"),
		"#1 at payment and a day later (still waiting then), #2 when credited")
	assert.Equal(t, 1, confirmed.Installments[0].Payment.SplitChecks)
	assert.False(t, confirmed.Installments[0].Payment.SplitCheckAt.IsZero(), "a second read-back is due")
	v := query(t, env)
	assert.True(t, v.Installments[0].Payment.SplitCheckAt.IsZero(), "settled: no more read-backs")
}

// The split is read back SplitReadAfter (1 h) after the payment, off the path
// that applies a burst; runs of charge-life version 1 read it at the next turn.
func TestSplitReadBackWaitsAnHour(t *testing.T) {
	for _, tc := range []struct {
		name      string
		version   workflow.Version
		readAfter time.Duration
	}{
		{"split read later", splitReadLater, DefaultSplitReadAfter},
		{"charge-life version 1", chargeLife, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := newFake("100.00", "100.00")
			fake.gateway = 1
			env := newContractEnv(t, fake)
			env.OnGetVersion(changeChargeLife, workflow.DefaultVersion, splitReadLater).Return(tc.version)
			signal(env, time.Hour, payment(evReceived, 1, "RECEIVED", "100.00", "98.01"))
			var paid, later ContractView
			at(env, time.Hour+time.Minute, func() { paid = query(t, env) })
			at(env, 2*time.Hour+time.Minute, func() { later = query(t, env) })
			signal(env, 3*time.Hour, payment(evReceived, 2, "RECEIVED", "100.00", "98.01")) // the contract completes
			env.ExecuteWorkflow(ContractWorkflow, input())

			require.NoError(t, env.GetWorkflowError())
			if tc.readAfter > 0 {
				assert.Zero(t, paid.Installments[0].Payment.SplitChecks, "not read back with the payment")
				assert.True(t, start.Add(time.Hour+tc.readAfter).Equal(paid.Installments[0].Payment.SplitCheckAt), "due an hour after the payment: %s", paid.Installments[0].Payment.SplitCheckAt)
			} else {
				assert.Equal(t, 1, paid.Installments[0].Payment.SplitChecks, "read back at the next turn")
			}
			assert.Equal(t, 1, later.Installments[0].Payment.SplitChecks)
		})
	}
}

// A run that started before changeChargeLife decides as before: the events of
// the charge's life are recorded as not changing a contract, refunds are asked
// about as whole refunds, no split is read back.
func TestRunsBeforeChargeLifeDecideAsBefore(t *testing.T) {
	fake := newFake("100.00", "100.00")
	fake.gateway = 1
	fake.atAsaas(1, activities.GatewayPaymentInfo{ID: "pay_1", Status: "RECEIVED", Value: dec("100.00"), NetValue: dec("98.01"), Refunded: dec("30.00")})
	env := newContractEnv(t, fake)
	env.OnGetVersion(changeChargeLife, workflow.DefaultVersion, splitReadLater).Return(workflow.DefaultVersion)
	signal(env, time.Hour, payment(evReceived, 1, "RECEIVED", "100.00", "98.01"))
	signal(env, 2*time.Hour, payment(evChargebackRequested, 1, "CHARGEBACK_REQUESTED", "100.00", "98.01"))
	signal(env, 3*time.Hour, payment(evPartiallyRefunded, 1, "RECEIVED", "100.00", "98.01"))
	signal(env, 4*time.Hour, payment(evRefunded, 1, "RECEIVED", "100.00", "98.01"))
	signal(env, 5*time.Hour, payment(evReceived, 2, "RECEIVED", "100.00", "98.01"))
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	assert.Empty(t, fake.callsWith("Hold"))
	assert.Empty(t, fake.callsWith("ReversePayment"), "Asaas does not say REFUNDED: a run before the change takes no partial refund")
	assert.Empty(t, fake.callsWith("CheckSplitOutcome"))
	reasons := map[string]string{}
	for _, o := range fake.outcomes {
		reasons[o.EventKey] = o.Status + ": " + o.Reason
	}
	assert.Contains(t, reasons["evt_PAYMENT_CHARGEBACK_REQUESTED_CHARGEBACK_REQUESTED_1"], "does not change a contract")
	assert.Contains(t, reasons["evt_PAYMENT_PARTIALLY_REFUNDED_RECEIVED_1"], "does not change a contract")
	assert.Contains(t, reasons["evt_PAYMENT_REFUNDED_RECEIVED_1"], "rejected")
}

func assertChange(t *testing.T, want InstallmentChangeResult, got any) {
	t.Helper()
	g, ok := got.(InstallmentChangeResult)
	require.True(t, ok, "%v", got)
	assert.True(t, want.Value.Equal(g.Value), "value %s, want %s", g.Value, want.Value)
	want.Value, g.Value = decimal.Zero, decimal.Zero
	assert.Equal(t, want, g)
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

// What the contract finds at Asaas about an installment stands for the event of
// the charge's life it missed; the same state found again after the contract
// moved on is a new key; what it already knows stands for nothing new.
func TestReconciledEventLife(t *testing.T) {
	pay := func(hold, refunded, origin string, holds int) *InstallmentState {
		return &InstallmentState{Number: 1, Status: instPaid, ChargeID: "pay_1", Value: dec("100"), DueDate: "2030-01-10",
			Payment: &PaymentState{ID: "p1", AsaasPaymentID: "pay_1", Origin: origin, Amount: dec("100"), Status: "received", Hold: hold, Holds: holds, Refunded: dec(refunded)}}
	}
	open := &InstallmentState{Number: 1, Status: instOpen, ChargeID: "pay_1", Value: dec("100"), DueDate: "2030-01-10"}
	found := func(status, value, refunded, due string) activities.FoundPayment {
		return activities.FoundPayment{Number: 1, Payment: activities.GatewayPaymentInfo{ID: "pay_1", Status: status, Value: dec(value),
			NetValue: dec(value), Refunded: dec(refunded), DueDate: due}}
	}
	cases := []struct {
		name  string
		inst  *InstallmentState
		f     activities.FoundPayment
		event string // "" for nothing
	}{
		{"a chargeback no webhook told", pay("", "0", "gateway", 0), found("CHARGEBACK_DISPUTE", "100", "0", "2030-01-10"), evChargebackRequested},
		{"a chargeback already held", pay("chargeback", "0", "gateway", 1), found("CHARGEBACK_DISPUTE", "100", "0", "2030-01-10"), ""},
		{"a hold that ended (won)", pay("chargeback", "0", "gateway", 1), found("RECEIVED", "100", "0", "2030-01-10"), evReceived},
		{"a refund in progress", pay("", "0", "gateway", 0), found("REFUND_IN_PROGRESS", "100", "0", "2030-01-10"), evRefundInProgress},
		{"a partial refund", pay("", "0", "gateway", 0), found("RECEIVED", "100", "30", "2030-01-10"), evPartiallyRefunded},
		{"a partial refund already applied: as before (a duplicate)", pay("", "30", "gateway", 0), found("RECEIVED", "100", "30", "2030-01-10"), evReceived},
		{"a cash receipt undone", pay("", "0", "manual", 0), found("PENDING", "100", "0", "2030-01-10"), evReceivedInCashUndone},
		{"a whole refund: as before", pay("", "0", "gateway", 0), found("REFUNDED", "100", "100", "2030-01-10"), evRefunded},
		{"a charge changed in the panel", open, found("PENDING", "120", "0", "2030-02-01"), evUpdated},
		{"an open charge as we know it", open, found("PENDING", "100", "0", "2030-01-10"), ""},
	}
	keys := map[string]bool{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ev, ok := reconciledEventLife("acct-1", tc.inst, tc.f)
			if tc.event == "" {
				assert.False(t, ok, ev.Event)
				return
			}
			require.True(t, ok)
			assert.Equal(t, tc.event, ev.Event)
			assert.True(t, ev.Verified && ev.Reconciled)
			keys[ev.EventKey] = true
		})
	}
	held, _ := reconciledEventLife("acct-1", pay("", "0", "gateway", 0), found("CHARGEBACK_DISPUTE", "100", "0", "2030-01-10"))
	again, _ := reconciledEventLife("acct-1", pay("", "0", "gateway", 1), found("CHARGEBACK_DISPUTE", "100", "0", "2030-01-10"))
	assert.NotEqual(t, held.EventKey, again.EventKey, "a second chargeback after the first was released is a new event")
}
