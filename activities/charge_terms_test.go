package activities_test

import (
	"context"
	"encoding/json"
	"testing"

	"billing/activities"
	"billing/asaas"
	"billing/db/dbgen"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every charge carries the contract's terms to Asaas, which answers them in the
// captured shapes (FACTS.md): discount {value, limitDate, dueDateLimitDays, type},
// fine {value, type}, interest {value, type}; a contract without terms sends none
// and gets Asaas's defaults.
func TestIssueChargeSendsTheChargeTerms(t *testing.T) {
	num := func(s string) asaas.Number { return asaas.MustNumber(s) }
	cases := []struct {
		name                string
		fine, interest      string
		discountKind        *string
		discountAmount, pct decimal.NullDecimal
		days                int32
		wantFine            asaas.Fine
		wantInterest        asaas.Interest
		wantDiscount        asaas.Discount
	}{
		{name: "none: Asaas's defaults", fine: "0", interest: "0",
			wantFine: asaas.Fine{Value: num("0"), Type: "FIXED"}, wantInterest: asaas.Interest{Value: num("0"), Type: "PERCENTAGE"},
			wantDiscount: asaas.Discount{Value: num("0"), Type: "FIXED"}},
		{name: "the captured boleto's: 2% fine, 1% a month, 5% off up to the due date", fine: "2", interest: "1",
			discountKind: ptr("percentage"), pct: decimal.NullDecimal{Decimal: dec("5"), Valid: true},
			wantFine: asaas.Fine{Value: num("2"), Type: "PERCENTAGE"}, wantInterest: asaas.Interest{Value: num("1"), Type: "PERCENTAGE"},
			wantDiscount: asaas.Discount{Value: num("5"), Type: "PERCENTAGE"}},
		{name: "a fixed discount until 3 days before the due date", fine: "0", interest: "0.5",
			discountKind: ptr("fixed"), discountAmount: decimal.NullDecimal{Decimal: dec("7.50"), Valid: true}, days: 3,
			wantFine: asaas.Fine{Value: num("0"), Type: "FIXED"}, wantInterest: asaas.Interest{Value: num("0.5"), Type: "PERCENTAGE"},
			wantDiscount: asaas.Discount{Value: num("7.5"), DueDateLimitDays: 3, Type: "FIXED"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, "100.00")
			sim := f.withSim()
			_, err := dbgen.New(f.pool).SetDraftContractChargeTerms(context.Background(), dbgen.SetDraftContractChargeTermsParams{
				AccountID: f.account, ID: f.contract, FinePercent: dec(tc.fine), InterestPercent: dec(tc.interest),
				DiscountKind: tc.discountKind, DiscountAmount: tc.discountAmount, DiscountPercent: tc.pct, DiscountDaysBeforeDue: tc.days})
			require.NoError(t, err)
			f.activate()
			var customer string
			require.NoError(t, f.run(f.acts.EnsureCustomer, f.ref(), &customer))
			var issued activities.ChargeIssued
			require.NoError(t, f.run(f.acts.IssueCharge, activities.IssueChargeInput{ContractRef: f.ref(), Number: 1, AsaasCustomerID: customer}, &issued))

			raw, err := sim.Payment(issued.AsaasPaymentID)
			require.NoError(t, err)
			var p asaas.Payment
			require.NoError(t, json.Unmarshal(raw, &p))
			require.NotNil(t, p.Fine)
			require.NotNil(t, p.Interest)
			require.NotNil(t, p.Discount)
			assert.True(t, tc.wantFine.Value.Equal(p.Fine.Value.Decimal), "fine %s", p.Fine.Value)
			assert.Equal(t, tc.wantFine.Type, p.Fine.Type)
			assert.True(t, tc.wantInterest.Value.Equal(p.Interest.Value.Decimal), "interest %s", p.Interest.Value)
			assert.Equal(t, tc.wantInterest.Type, p.Interest.Type)
			assert.True(t, tc.wantDiscount.Value.Equal(p.Discount.Value.Decimal), "discount %s", p.Discount.Value)
			assert.Equal(t, tc.wantDiscount.Type, p.Discount.Type)
			assert.Equal(t, tc.wantDiscount.DueDateLimitDays, p.Discount.DueDateLimitDays)
			assert.Contains(t, string(raw), `"limitDate":null`, "the key is limitDate, null as in every capture")
			assert.True(t, dec("100").Equal(p.Value.Decimal), "the charge's value is the installment's; the terms apply when it is paid")
		})
	}
}

func ptr[T any](v T) *T { return &v }
