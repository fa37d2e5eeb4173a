package loadtest

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
)

func paidInstallment(n int, origin, gatewayStatus string) installmentFact {
	return installmentFact{Number: n, Status: "paid",
		Payments: []paymentFact{{ID: "pmt", Origin: origin, Amount: decimal.RequireFromString("100.00"), SplitSum: decimal.RequireFromString("100.00")}},
		Live:     []gatewayCharge{{ID: "pay", Status: gatewayStatus}}}
}

func TestAuditFindsEveryKindOfViolation(t *testing.T) {
	good := contractFact{ID: "c1", Plan: planPaid, Status: "completed", Installments: []installmentFact{
		paidInstallment(1, "gateway", "RECEIVED"), paidInstallment(2, "manual", "RECEIVED_IN_CASH"), paidInstallment(3, "reconciled", "CONFIRMED")}}
	cancelled := contractFact{ID: "c2", Plan: planCancel, Status: "cancelled", Installments: []installmentFact{
		paidInstallment(1, "gateway", "RECEIVED"), {Number: 2, Status: "cancelled"}}}
	cases := []struct {
		name   string
		facts  auditFacts
		check  string
		counts func(Audit) int
	}{
		{"clean", auditFacts{Events: []eventFact{{ID: "e", Stored: true, Status: "processed"}}, Contracts: []contractFact{good, cancelled}}, "", nil},
		{"event never stored", auditFacts{Events: []eventFact{{ID: "e"}}}, checkEventLost, func(a Audit) int { return a.EventsLost }},
		{"event stuck", auditFacts{Events: []eventFact{{ID: "e", Stored: true, Status: "received"}}}, checkEventLost, func(a Audit) int { return a.EventsLost }},
		{"event failed", auditFacts{Events: []eventFact{{ID: "e", Stored: true, Status: "failed"}}}, checkEventLost, func(a Audit) int { return a.EventsLost }},
		{"two payments", auditFacts{Contracts: []contractFact{func() contractFact {
			c := good
			in := paidInstallment(1, "gateway", "RECEIVED")
			in.Payments = append(in.Payments, in.Payments[0])
			c.Installments = []installmentFact{in}
			return c
		}()}}, checkAppliedTwice, func(a Audit) int { return a.PaymentsAppliedTwice }},
		{"split off by a cent", auditFacts{Contracts: []contractFact{func() contractFact {
			c := good
			in := paidInstallment(1, "gateway", "RECEIVED")
			in.Payments[0].SplitSum = decimal.RequireFromString("99.99")
			c.Installments = []installmentFact{in}
			return c
		}()}}, checkSplitSum, func(a Audit) int { return a.SplitMismatches }},
		{"contract still active", auditFacts{Contracts: []contractFact{func() contractFact { c := good; c.Status = "active"; return c }()}},
			checkFinalState, func(a Audit) int { return a.WrongFinalState }},
		{"paid at the gateway, not recorded", auditFacts{Contracts: []contractFact{{ID: "c", Plan: planPaid, Status: "completed",
			Installments: []installmentFact{{Number: 1, Status: "open", Live: []gatewayCharge{{ID: "pay", Status: "RECEIVED"}}}}}}},
			checkFinalState, func(a Audit) int { return a.WrongFinalState }},
		{"manual recorded, gateway says received", auditFacts{Contracts: []contractFact{{ID: "c", Plan: planManual, Status: "completed",
			Installments: []installmentFact{paidInstallment(2, "manual", "RECEIVED")}}}},
			checkFinalState, func(a Audit) int { return a.WrongFinalState }},
		{"in cash at the gateway, recorded as reconciled", auditFacts{Contracts: []contractFact{{ID: "c", Plan: planManual, Status: "completed",
			Installments: []installmentFact{paidInstallment(2, "reconciled", "RECEIVED_IN_CASH")}}}},
			checkFinalState, func(a Audit) int { return a.WrongFinalState }},
		{"cancelled contract's charge still open", auditFacts{Contracts: []contractFact{{ID: "c", Plan: planCancel, Status: "cancelled",
			Installments: []installmentFact{{Number: 3, Status: "cancelled", Live: []gatewayCharge{{ID: "pay", Status: "PENDING"}}}}}}},
			checkNotDeleted, func(a Audit) int { return a.ChargesNotDeleted }},
		{"duplicate open charge of a paid installment", auditFacts{Contracts: []contractFact{func() contractFact {
			c := good
			in := paidInstallment(1, "gateway", "RECEIVED")
			in.Live = append(in.Live, gatewayCharge{ID: "pay_dup", Status: "PENDING"})
			c.Installments = []installmentFact{in}
			return c
		}()}}, checkStrayCharge, func(a Audit) int { return a.StrayCharges }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := runAudit(tc.facts)
			if tc.check == "" {
				assert.True(t, a.Passed(), "%+v", a.Violations)
				assert.Equal(t, 4, a.Checked.Charges)
				return
			}
			assert.False(t, a.Passed())
			assert.Equal(t, 1, tc.counts(a), "%+v", a.Violations)
			assert.Equal(t, tc.check, a.Violations[0].Check)
		})
	}
}
