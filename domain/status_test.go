package domain_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"billing/domain"
)

func TestContractStatusTransitions(t *testing.T) {
	all := []domain.ContractStatus{domain.ContractDraft, domain.ContractActive, domain.ContractCompleted, domain.ContractCancelled}
	allowed := map[[2]domain.ContractStatus]bool{
		{domain.ContractDraft, domain.ContractActive}:        true,
		{domain.ContractDraft, domain.ContractCancelled}:     true,
		{domain.ContractActive, domain.ContractCompleted}:    true,
		{domain.ContractActive, domain.ContractCancelled}:    true,
		{domain.ContractCompleted, domain.ContractActive}:    false,
		{domain.ContractCancelled, domain.ContractActive}:    false,
		{domain.ContractDraft, domain.ContractCompleted}:     false,
		{domain.ContractActive, domain.ContractDraft}:        false,
		{domain.ContractCompleted, domain.ContractDraft}:     false,
		{domain.ContractCancelled, domain.ContractDraft}:     false,
		{domain.ContractCompleted, domain.ContractCancelled}: false,
	}
	// Every pair of the full matrix: pairs missing from the table are not allowed.
	for _, from := range all {
		for _, to := range all {
			assert.Equal(t, allowed[[2]domain.ContractStatus{from, to}], from.CanTransitionTo(to), "%s → %s", from, to)
		}
		assert.False(t, from.CanTransitionTo("bogus"), "%s → bogus", from)
		assert.False(t, domain.ContractStatus("bogus").CanTransitionTo(from), "bogus → %s", from)
	}

	terminal := map[domain.ContractStatus]bool{domain.ContractCompleted: true, domain.ContractCancelled: true}
	for _, s := range all {
		assert.Equal(t, terminal[s], s.Terminal(), "%s", s)
	}
}

func TestInstallmentStatusTransitions(t *testing.T) {
	const (
		scheduled = domain.InstallmentScheduled
		open      = domain.InstallmentOpen
		overdue   = domain.InstallmentOverdue
		paidS     = domain.InstallmentPaid
		cancelled = domain.InstallmentCancelled
		refunded  = domain.InstallmentRefunded
	)
	all := []domain.InstallmentStatus{scheduled, open, overdue, paidS, cancelled, refunded}
	allowed := map[domain.InstallmentStatus][]domain.InstallmentStatus{
		scheduled: {open, paidS, cancelled},
		open:      {overdue, paidS, cancelled},
		overdue:   {paidS, cancelled, open},
		paidS:     {refunded},
	}
	for _, from := range all {
		for _, to := range all {
			assert.Equal(t, contains(allowed[from], to), from.CanTransitionTo(to), "%s → %s", from, to)
		}
	}

	payable := map[domain.InstallmentStatus]bool{scheduled: true, open: true, overdue: true}
	for _, s := range all {
		assert.Equal(t, payable[s], s.Payable(), "%s", s)
	}
	assert.False(t, domain.InstallmentStatus("").Payable())
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func TestParseStatuses(t *testing.T) {
	t.Run("contract", func(t *testing.T) {
		for _, s := range []string{"draft", "active", "completed", "cancelled"} {
			got, err := domain.ParseContractStatus(s)
			require.NoError(t, err)
			assert.Equal(t, domain.ContractStatus(s), got)
		}
		for _, s := range []string{"", "Draft", "ACTIVE", "canceled", " draft"} {
			_, err := domain.ParseContractStatus(s)
			require.Error(t, err, s)
			assert.Equal(t, `unknown contract status "`+s+`": must be one of draft, active, completed, cancelled`, err.Error())
		}
	})
	t.Run("installment", func(t *testing.T) {
		for _, s := range []string{"scheduled", "open", "overdue", "paid", "cancelled", "refunded"} {
			got, err := domain.ParseInstallmentStatus(s)
			require.NoError(t, err)
			assert.Equal(t, domain.InstallmentStatus(s), got)
		}
		for _, s := range []string{"", "PAID", "pending", "received"} {
			_, err := domain.ParseInstallmentStatus(s)
			require.Error(t, err, s)
			assert.Equal(t, `unknown installment status "`+s+`": must be one of scheduled, open, overdue, paid, cancelled, refunded`, err.Error())
		}
	})
	t.Run("billing type", func(t *testing.T) {
		for _, s := range []string{"BOLETO", "PIX", "UNDEFINED"} {
			got, err := domain.ParseBillingType(s)
			require.NoError(t, err)
			assert.Equal(t, domain.BillingType(s), got)
		}
		for _, s := range []string{"", "pix", "CREDIT_CARD", "Boleto"} {
			_, err := domain.ParseBillingType(s)
			require.Error(t, err, s)
			assert.Equal(t, `unknown billing type "`+s+`": must be one of BOLETO, PIX, UNDEFINED`, err.Error())
		}
	})
}
