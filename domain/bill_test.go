package domain

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBillStatusAdvances(t *testing.T) {
	cases := []struct {
		current, next string
		want          bool
	}{
		{"", BillPending, true},
		{BillPending, BillBankProcessing, true},
		{BillBankProcessing, BillPaid, true},
		{BillPending, BillFailed, true},
		{BillPending, BillCancelled, true},
		{BillPaid, BillRefunded, true},
		{BillPaid, BillBankProcessing, false}, // late older event
		{BillPaid, BillPending, false},
		{BillBankProcessing, BillPending, false},
		{BillPaid, BillFailed, false},     // terminal stays
		{BillCancelled, BillPaid, false},  // terminal stays
		{BillRefunded, BillPaid, false},   // refund is last
		{BillPending, BillPending, false}, // duplicate
		{BillPending, "SOMETHING_NEW", false},
		{"", "", false},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, BillStatusAdvances(tc.current, tc.next), "%s → %s", tc.current, tc.next)
	}
}

func TestBillStatusOfEvent(t *testing.T) {
	assert.Equal(t, BillPaid, BillStatusOfEvent("BILL_PAID"))
	assert.Equal(t, BillBankProcessing, BillStatusOfEvent("BILL_BANK_PROCESSING"))
	assert.Equal(t, BillPending, BillStatusOfEvent("BILL_CREATED"))
	assert.Equal(t, "", BillStatusOfEvent("PAYMENT_RECEIVED"))
	assert.Equal(t, "", BillStatusOfEvent("BILL_"))
}
