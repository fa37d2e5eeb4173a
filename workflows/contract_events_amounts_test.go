package workflows

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
)

// A payment event whose amounts the ledger cannot hold is ignored (and audited as
// money not applied) instead of failing the activity, which would end the contract's
// workflow, or overflowing numeric(14,2), which would retry for ever.
func TestDecidePaymentEventRefusesImpossibleAmounts(t *testing.T) {
	open := &InstallmentState{Number: 1, Status: instOpen, ChargeID: "pay_1"}
	for _, tc := range []struct {
		value, net string
		apply      bool
	}{
		{"100", "98.01", true},
		{"100", "0", true},     // no fee reported: the net is taken as the value
		{"100", "120", true},   // likewise
		{"100", "-1", true},    // likewise
		{"0.01", "0.01", true}, // the smallest payment
		{"999999999999.99", "999999999999.99", true},
		{"0", "0", false},
		{"-100", "-100", false},
		{"100.005", "99", false},
		{"100", "98.015", false},
		{"1000000000000", "1000000000000", false},
		{"100", "1000000000000", false},
	} {
		t.Run(tc.value+"/"+tc.net, func(t *testing.T) {
			ev := PaymentEvent{Event: evReceived, InstallmentNumber: 1, Payment: GatewayPayment{ID: "pay_1", Status: "RECEIVED",
				Value: decimal.RequireFromString(tc.value), NetValue: decimal.RequireFromString(tc.net)}}
			d := decidePaymentEvent(StatusActive, open, ev)
			if tc.apply {
				assert.Equal(t, actApply, d.action, d.reason)
				return
			}
			assert.Equal(t, actIgnore, d.action)
			assert.True(t, d.notable, "money not applied is audited")
			assert.Contains(t, d.reason, "cannot be applied")
		})
	}
}
