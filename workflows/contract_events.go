package workflows

import (
	"fmt"

	"billing/asaas"
	"billing/domain"

	"github.com/shopspring/decimal"
)

// Asaas payment events the contract acts on (ContractEvents lists them).
const (
	evConfirmed         = asaas.EventPaymentConfirmed
	evReceived          = asaas.EventPaymentReceived
	evReceivedInCash    = "PAYMENT_RECEIVED_IN_CASH" // named in the module's release notes; Asaas sends PAYMENT_RECEIVED
	evDunningReceived   = asaas.EventPaymentDunningReceived
	evOverdue           = asaas.EventPaymentOverdue
	evRefunded          = asaas.EventPaymentRefunded
	evDeleted           = asaas.EventPaymentDeleted
	evRestored          = asaas.EventPaymentRestored
	evCreated           = asaas.EventPaymentCreated
	asaasStatusInCash   = asaas.StatusReceivedInCash
	asaasStatusConfirmd = asaas.StatusConfirmed
)

// Installment statuses, as strings in the serialised state.
const (
	instScheduled = string(domain.InstallmentScheduled)
	instOpen      = string(domain.InstallmentOpen)
	instOverdue   = string(domain.InstallmentOverdue)
	instPaid      = string(domain.InstallmentPaid)
	instCancelled = string(domain.InstallmentCancelled)
	instRefunded  = string(domain.InstallmentRefunded)
)

func payable(status string) bool { return domain.InstallmentStatus(status).Payable() }

type eventAction int

const (
	actIgnore eventAction = iota
	actApply
	actSettle
	actOverdue
	actReverse
	actChargeDeleted
	actChargeRestored
	actRetireDuplicate
)

// eventDecision is what one payment event does to one installment.
type eventDecision struct {
	action        eventAction
	reason        string // why it is ignored, or what it did
	paymentStatus string // actApply: confirmed | received
	manual        bool   // actApply: received in cash (Asaas did not split it)
	notable       bool   // actIgnore: money that could not be applied (audited)
	hold          string // actHold: chargeback | refund
	// refunded (actReverse) is what a partial refund brings the payment's
	// refunded total to; zero for a whole refund.
	refunded decimal.Decimal
}

// moneyEvent: events that move money, which must never be dropped unnoticed.
func moneyEvent(event string) bool {
	switch event {
	case evConfirmed, evReceived, evReceivedInCash, evDunningReceived, evRefunded:
		return true
	}
	return false
}

// decidePaymentEvent is the first event path's decision (contract_events_v0.go):
// a cancelled contract closed at once, so it took nothing more.
func decidePaymentEvent(contractStatus string, inst *InstallmentState, ev PaymentEvent) eventDecision {
	if inst != nil && contractStatus == StatusCancelled {
		return eventDecision{action: actIgnore, reason: "the contract is cancelled", notable: moneyEvent(ev.Event)}
	}
	return decideForInstallment(inst, ev)
}

// decideForInstallment is what one payment event does to one installment. The
// decision depends only on the installment's current state, so a duplicate, late
// or out-of-order event finds nothing left to do (the dedupe of last resort,
// after the webhook row and the contract's seen event keys). A cancelled
// contract's paid installments still take their refunds, and its stray charges
// are still retired.
func decideForInstallment(inst *InstallmentState, ev PaymentEvent) eventDecision {
	ignore := func(format string, args ...any) eventDecision {
		return eventDecision{action: actIgnore, reason: fmt.Sprintf(format, args...), notable: moneyEvent(ev.Event)}
	}
	if inst == nil {
		return ignore("the contract has no installment %d", ev.InstallmentNumber)
	}
	p := ev.Payment
	switch ev.Event {
	case evConfirmed, evReceived, evReceivedInCash, evDunningReceived:
		switch {
		case payable(inst.Status):
			if why := unusableAmounts(p); why != "" {
				// Applying it would fail for good and end this workflow (or, past
				// numeric(14,2), retry for ever): the money is recorded as not applied.
				return ignore("payment %s cannot be applied: %s", p.ID, why)
			}
			d := eventDecision{action: actApply, paymentStatus: "received"}
			if ev.Event == evConfirmed || p.Status == asaasStatusConfirmd {
				d.paymentStatus = "confirmed"
			}
			d.manual = p.Status == asaasStatusInCash || ev.Event == evReceivedInCash
			return d
		case inst.Status == instPaid && inst.Payment != nil && inst.Payment.AsaasPaymentID == p.ID:
			if inst.Payment.Status == "confirmed" && ev.Event != evConfirmed && p.Status != asaasStatusConfirmd {
				return eventDecision{action: actSettle, reason: "card payment credited"}
			}
			d := ignore("payment %s is already applied to installment %d", p.ID, inst.Number)
			d.notable = false // a duplicate: nothing to look at
			return d
		case inst.Status == instPaid && inst.Payment != nil:
			return ignore("installment %d is already paid by %s payment %s; payment %s needs a refund",
				inst.Number, inst.Payment.Origin, paymentLabel(inst.Payment), p.ID)
		default:
			return ignore("installment %d is %s", inst.Number, inst.Status)
		}
	case evOverdue:
		if inst.Status == instOpen && inst.ChargeID == p.ID {
			return eventDecision{action: actOverdue, reason: "charge overdue"}
		}
		return ignore("installment %d is %s", inst.Number, inst.Status)
	case evRefunded:
		if inst.Status == instPaid && inst.Payment != nil && inst.Payment.AsaasPaymentID == p.ID {
			return eventDecision{action: actReverse, reason: "payment refunded"}
		}
		return ignore("no applied payment %s on installment %d to refund", p.ID, inst.Number)
	case evDeleted:
		if payable(inst.Status) && inst.ChargeID == p.ID && !inst.ChargeDeleted {
			return eventDecision{action: actChargeDeleted, reason: "charge deleted at Asaas"}
		}
		return ignore("charge %s of installment %d needs no change", p.ID, inst.Number)
	case evCreated:
		// Asaas has no idempotency key: a create that timed out may still land
		// after its retry created the charge we recorded. That second charge is
		// ours (our externalReference, no payment link) and must go.
		if inst.ChargeID != "" && p.ID != inst.ChargeID && !p.FromLink && !p.Deleted && (p.Status == "PENDING" || p.Status == "OVERDUE") {
			return eventDecision{action: actRetireDuplicate, reason: fmt.Sprintf("second charge %s of installment %d (a timed-out create that landed after its retry); deleted at Asaas", p.ID, inst.Number)}
		}
		return ignore("charge %s of installment %d needs no change", p.ID, inst.Number)
	case evRestored:
		if payable(inst.Status) && inst.ChargeID == p.ID && inst.ChargeDeleted {
			return eventDecision{action: actChargeRestored, reason: "charge restored at Asaas"}
		}
		return ignore("charge %s of installment %d needs no change", p.ID, inst.Number)
	}
	return ignore("%s does not change a contract", ev.Event)
}

// unusableAmounts says why a gateway payment's amounts cannot be recorded (the
// ledger's amounts are positive numeric(14,2)), or "" when they can. A netValue
// that is zero, negative or above the value is fine: the payment is then taken
// as having no fee.
func unusableAmounts(p GatewayPayment) string {
	if !p.Value.IsPositive() {
		return fmt.Sprintf("its value %s is not greater than 0", p.Value)
	}
	if why := domain.AmountProblem(p.Value); why != "" {
		return fmt.Sprintf("its value %s %s", p.Value, why)
	}
	if why := domain.AmountProblem(p.NetValue.Abs()); why != "" {
		return fmt.Sprintf("its netValue %s %s", p.NetValue, why)
	}
	return ""
}

func paymentLabel(p *PaymentState) string {
	if p.AsaasPaymentID != "" {
		return p.AsaasPaymentID
	}
	return p.ID
}
