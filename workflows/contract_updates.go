package workflows

import (
	"fmt"
	"time"

	"billing/activities"
	"billing/domain"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

func invalidState(format string, args ...any) error {
	return temporal.NewApplicationError(fmt.Sprintf(format, args...), ErrTypeInvalidState)
}

func invalidInput(format string, args ...any) error {
	return temporal.NewApplicationError(fmt.Sprintf(format, args...), ErrTypeInvalidInput)
}

// invalidField is invalidInput about one field of the request: the field's name
// travels as the error's detail, so the API can say which field is wrong.
func invalidField(field, format string, args ...any) error {
	return temporal.NewApplicationError(fmt.Sprintf(format, args...), ErrTypeInvalidInput, field)
}

// checkMarkPaid is the validator's rule set, checked again under the lock because
// the state may change while the handler waits for it.
func (w *contractWorkflow) checkMarkPaid(req MarkPaidRequest) error {
	if w.state.Status != StatusActive || w.state.Cancelling {
		return invalidState("the contract is %s", w.statusWord())
	}
	inst := w.installment(req.InstallmentNumber)
	if inst == nil {
		return invalidInput("the contract has no installment %d", req.InstallmentNumber)
	}
	if !payable(inst.Status) {
		return invalidState("installment %d is %s", inst.Number, inst.Status)
	}
	if !req.Amount.IsPositive() || !req.Amount.Equal(req.Amount.Truncate(2)) {
		return invalidField("amount", "must be a positive value with at most 2 decimals")
	}
	if !req.AllowDifference && !req.Amount.Equal(inst.Value) {
		return invalidField("amount", "%s is not installment %d's value %s: send allow_difference: true to record another amount",
			domain.FormatMoney(req.Amount), inst.Number, domain.FormatMoney(inst.Value))
	}
	if _, err := time.Parse(time.DateOnly, req.PaidOn); err != nil {
		return invalidField("paid_on", "must be a date (YYYY-MM-DD)")
	}
	return nil
}

func (w *contractWorkflow) statusWord() string {
	if w.state.Cancelling {
		return "being cancelled"
	}
	return w.state.Status
}

func (w *contractWorkflow) validateMarkPaid(_ workflow.Context, req MarkPaidRequest) error {
	return w.checkMarkPaid(req)
}

// markPaid records a payment made outside the gateway: Asaas receiveInCash first
// (which cancels the Asaas split), then the same pipeline as a webhook payment.
// When Asaas refuses because the customer already paid through it, that payment
// is recorded instead (paidMeanwhile) and the request refused (409).
func (w *contractWorkflow) markPaid(ctx workflow.Context, req MarkPaidRequest) (MarkPaidResult, error) {
	var out MarkPaidResult
	err := w.locked(ctx, func(ctx workflow.Context) error {
		if err := w.checkMarkPaid(req); err != nil {
			return err
		}
		inst := w.installment(req.InstallmentNumber)
		if inst.ChargeID != "" && !inst.ChargeDeleted {
			var gw activities.GatewayOutcome
			if err := workflow.ExecuteActivity(interactiveGatewayActivity(ctx), a.ReceiveInCash, activities.ReceiveInCashInput{
				ContractRef: w.ref(), Number: inst.Number, AsaasPaymentID: inst.ChargeID, Amount: req.Amount, PaidOn: req.PaidOn,
			}).Get(ctx, &gw); err != nil {
				return err
			}
			if gw.Outcome == activities.OutcomePaidAtGateway {
				// The customer paid through Asaas first: that payment is the real one.
				return w.paidMeanwhile(ctx, inst, gw, "it is recorded as a gateway payment")
			}
		}
		manual := activities.ApplyPaymentInput{
			ContractRef: w.ref(), Number: inst.Number, Origin: activities.OriginManual,
			AsaasPaymentID: chargeIfLive(inst), Amount: req.Amount, Net: req.Amount,
			PaidOn: req.PaidOn, Status: activities.PaymentReceived, SettledOn: req.PaidOn, RecordedBy: req.RecordedBy,
		}
		if req.AllowDifference {
			manual.Expected = inst.Value
		}
		res, err := w.recordPayment(ctx, manual, false, "")
		if err != nil {
			return err
		}
		w.upsertSearchAttributes(ctx)
		if err := w.maybeComplete(ctx); err != nil {
			return err
		}
		out = MarkPaidResult{PaymentID: res.PaymentID, InstallmentNumber: inst.Number, Shortfall: res.Shortfall, ContractStatus: w.state.Status}
		return nil
	})
	return out, err
}

func chargeIfLive(inst *InstallmentState) string {
	if inst.ChargeDeleted {
		return ""
	}
	return inst.ChargeID
}

func gatewayPaymentInput(ref activities.ContractRef, number int, p activities.GatewayPaymentInfo) activities.ApplyPaymentInput {
	status := activities.PaymentReceived
	if p.Status == asaasStatusConfirmd {
		status = activities.PaymentConfirmed
	}
	in := activities.ApplyPaymentInput{
		ContractRef: ref, Number: number, Origin: activities.OriginGateway, AsaasPaymentID: p.ID,
		Amount: p.Value, Net: p.NetValue, PaidOn: p.PaymentDate, Status: status,
	}
	if p.Status == asaasStatusInCash {
		in.Origin, in.Net = activities.OriginManual, p.Value
	}
	if status == activities.PaymentReceived {
		in.SettledOn = p.PaymentDate
	}
	return in
}

func (w *contractWorkflow) validateCancel(_ workflow.Context, _ CancelRequest) error {
	if w.state.Status != StatusActive || w.state.Cancelling {
		return invalidState("the contract is %s", w.statusWord())
	}
	return nil
}

// cancel deletes every open charge from the last installment to the first (the
// order Asaas requires for installment plans), keeps paid installments, cancels
// the rest and closes the contract. A charge that turns out to be paid at Asaas is
// recorded as paid and kept (recordFoundPayment: its split is read back too). If
// Asaas refuses a deletion, nothing is cancelled and the error is returned: the
// caller may retry (deleted charges stay deleted).
func (w *contractWorkflow) cancel(ctx workflow.Context, req CancelRequest) (CancelResult, error) {
	var out CancelResult
	err := w.locked(ctx, func(ctx workflow.Context) error {
		if err := w.validateCancel(ctx, req); err != nil {
			return err
		}
		w.state.Cancelling = true
		defer func() { w.state.Cancelling = false }()
		var cancelled []int
		for i := len(w.state.Installments) - 1; i >= 0; i-- {
			inst := &w.state.Installments[i]
			if !payable(inst.Status) {
				if inst.Status == instPaid {
					out.Kept = append(out.Kept, inst.Number)
				}
				continue
			}
			if inst.ChargeID != "" && !inst.ChargeDeleted {
				gw, err := w.deleteLiveCharge(ctx, inst, "delete charge", "the contract stays active")
				if err != nil {
					return err
				}
				if gw.Outcome == activities.OutcomePaidAtGateway && gw.Payment != nil {
					if err := w.recordFoundPayment(ctx, inst, *gw.Payment); err != nil {
						return err
					}
					out.Kept = append(out.Kept, inst.Number)
					continue
				}
				inst.ChargeDeleted = true
				out.DeletedCharges++
			}
			cancelled = append(cancelled, inst.Number)
		}
		if err := workflow.ExecuteActivity(dbActivity(ctx), a.FinishCancellation, activities.FinishCancellationInput{
			ContractRef: w.ref(), Cancelled: cancelled, ReasonID: req.ReasonID, Reason: req.Reason, RequestedBy: req.RequestedBy, DeletedCharges: out.DeletedCharges,
		}).Get(ctx, nil); err != nil {
			return err
		}
		for _, n := range cancelled {
			w.installment(n).Status = instCancelled
		}
		w.state.Status = StatusCancelled
		w.state.CancelledAt = workflow.Now(ctx)
		out.Cancelled = cancelled
		if _, err := w.reconcileBeforeClosing(ctx); err != nil {
			return err
		}
		w.upsertSearchAttributes(ctx)
		return nil
	})
	return out, err
}
