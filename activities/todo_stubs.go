package activities

import (
	"context"
	"errors"
)

var errTODO = errors.New("not implemented yet")

func (a *Activities) ActivateContract(ctx context.Context, in ActivateContractInput) (ContractPlan, error) {
	return ContractPlan{}, errTODO
}
func (a *Activities) EnsureCustomer(ctx context.Context, ref ContractRef) (string, error) {
	return "", errTODO
}
func (a *Activities) IssueCharge(ctx context.Context, in IssueChargeInput) (ChargeIssued, error) {
	return ChargeIssued{}, errTODO
}
func (a *Activities) RecordContractError(ctx context.Context, in ContractErrorInput) error {
	return errTODO
}
func (a *Activities) ApplyPayment(ctx context.Context, in ApplyPaymentInput) (PaymentApplied, error) {
	return PaymentApplied{}, errTODO
}
func (a *Activities) SettlePayment(ctx context.Context, in SettlePaymentInput) error { return errTODO }
func (a *Activities) MarkOverdue(ctx context.Context, in MarkOverdueInput) error     { return errTODO }
func (a *Activities) ReversePayment(ctx context.Context, in ReversePaymentInput) error {
	return errTODO
}
func (a *Activities) RecordChargeDeleted(ctx context.Context, in ChargeDeletedInput) error {
	return errTODO
}
func (a *Activities) RecordEventOutcome(ctx context.Context, in EventOutcomeInput) error {
	return errTODO
}
func (a *Activities) ReceiveInCash(ctx context.Context, in ReceiveInCashInput) (GatewayOutcome, error) {
	return GatewayOutcome{}, errTODO
}
func (a *Activities) DeleteCharge(ctx context.Context, in DeleteChargeInput) (GatewayOutcome, error) {
	return GatewayOutcome{}, errTODO
}
func (a *Activities) FinishCancellation(ctx context.Context, in FinishCancellationInput) error {
	return errTODO
}
func (a *Activities) CompleteContract(ctx context.Context, in CompleteContractInput) error {
	return errTODO
}
func (a *Activities) RouteWebhookEvent(ctx context.Context, ev WebhookEvent) (EventRoute, error) {
	return EventRoute{}, errTODO
}
