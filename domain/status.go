package domain

import (
	"fmt"
	"strings"
)

// ContractStatus is where a contract is in its life: draft → active →
// completed | cancelled (a draft may also be cancelled).
type ContractStatus string

const (
	ContractDraft     ContractStatus = "draft"
	ContractActive    ContractStatus = "active"
	ContractCompleted ContractStatus = "completed"
	ContractCancelled ContractStatus = "cancelled"
)

var contractTransitions = map[ContractStatus][]ContractStatus{
	ContractDraft:  {ContractActive, ContractCancelled},
	ContractActive: {ContractCompleted, ContractCancelled},
}

// CanTransitionTo reports whether a contract may move from s to t.
func (s ContractStatus) CanTransitionTo(t ContractStatus) bool {
	return contains(contractTransitions[s], t)
}

// Terminal reports whether no transition leaves s.
func (s ContractStatus) Terminal() bool {
	return s == ContractCompleted || s == ContractCancelled
}

// ParseContractStatus accepts exactly draft, active, completed or cancelled.
func ParseContractStatus(s string) (ContractStatus, error) {
	return parseEnum("contract status", s, ContractDraft, ContractActive, ContractCompleted, ContractCancelled)
}

// InstallmentStatus is where an installment is: scheduled → open (charge
// issued) → overdue → paid | cancelled | refunded.
type InstallmentStatus string

const (
	InstallmentScheduled InstallmentStatus = "scheduled"
	InstallmentOpen      InstallmentStatus = "open"
	InstallmentOverdue   InstallmentStatus = "overdue"
	InstallmentPaid      InstallmentStatus = "paid"
	InstallmentCancelled InstallmentStatus = "cancelled"
	InstallmentRefunded  InstallmentStatus = "refunded"
)

var installmentTransitions = map[InstallmentStatus][]InstallmentStatus{
	InstallmentScheduled: {InstallmentOpen, InstallmentPaid, InstallmentCancelled},
	InstallmentOpen:      {InstallmentOverdue, InstallmentPaid, InstallmentCancelled},
	// Back to open when the due date is moved past today.
	InstallmentOverdue: {InstallmentPaid, InstallmentCancelled, InstallmentOpen},
	InstallmentPaid:    {InstallmentRefunded},
}

// CanTransitionTo reports whether an installment may move from s to t.
func (s InstallmentStatus) CanTransitionTo(t InstallmentStatus) bool {
	return contains(installmentTransitions[s], t)
}

// Payable reports whether a payment may still be recorded for the
// installment (scheduled, open or overdue).
func (s InstallmentStatus) Payable() bool {
	return s == InstallmentScheduled || s == InstallmentOpen || s == InstallmentOverdue
}

// ParseInstallmentStatus accepts exactly one of the installment statuses.
func ParseInstallmentStatus(s string) (InstallmentStatus, error) {
	return parseEnum("installment status", s, InstallmentScheduled, InstallmentOpen, InstallmentOverdue,
		InstallmentPaid, InstallmentCancelled, InstallmentRefunded)
}

// BillingType is how the payer pays a contract's charges (Asaas billingType).
type BillingType string

const (
	BillingBoleto    BillingType = "BOLETO"
	BillingPix       BillingType = "PIX"
	BillingUndefined BillingType = "UNDEFINED" // the payer chooses
)

// ParseBillingType accepts exactly BOLETO, PIX or UNDEFINED.
func ParseBillingType(s string) (BillingType, error) {
	return parseEnum("billing type", s, BillingBoleto, BillingPix, BillingUndefined)
}

// parseEnum returns the value equal to s, or an error listing the choices.
func parseEnum[T ~string](what, s string, values ...T) (T, error) {
	names := make([]string, len(values))
	for i, v := range values {
		if string(v) == s {
			return v, nil
		}
		names[i] = string(v)
	}
	return "", fmt.Errorf("unknown %s %q: must be one of %s", what, s, strings.Join(names, ", "))
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
