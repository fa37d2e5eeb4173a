package asaassim

import "github.com/shopspring/decimal"

// Fees from asaas-sandbox-captures/FACTS.md ("Fees").
var (
	feePix          = decimal.RequireFromString("1.99") // flat, per charge
	feeBoleto       = decimal.RequireFromString("1.99") // flat, per charge or parcel
	feeCardFixed    = decimal.RequireFromString("0.49")
	feeCardSingle   = decimal.RequireFromString("2.99") // % of the value
	feeCardUpTo6    = decimal.RequireFromString("3.49") // % of the plan total, 2-6 parcels
	feeCardUpTo12   = decimal.RequireFromString("3.99") // % of the plan total, 7-12 parcels
	feeCardUpTo21   = decimal.RequireFromString("4.29") // 13-21 parcels: NOT proven (FACTS); Asaas's public price list
	minChargeValue  = decimal.RequireFromString("5")    // invented from Asaas's public docs: minimum charge R$ 5,00
	hundred         = decimal.NewFromInt(100)
	anticipationCap = decimal.RequireFromString("66.66") // the captured test account's boleto anticipation limit
)

// cents truncates to the cent (never rounds up): parcel values and the per-parcel
// share of a card plan fee are truncated (FACTS).
func cents(d decimal.Decimal) decimal.Decimal { return d.Truncate(2) }

func roundCents(d decimal.Decimal) decimal.Decimal { return d.Round(2) }

func money(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// cardRate is the percentage for a card charge in n parcels.
func cardRate(n int) decimal.Decimal {
	switch {
	case n <= 1:
		return feeCardSingle
	case n <= 6:
		return feeCardUpTo6
	case n <= 12:
		return feeCardUpTo12
	default:
		return feeCardUpTo21
	}
}

// cardParcelFee is each parcel's share of a card plan fee: one fee on the TOTAL
// (0.49 + rate x total, rounded to the cent), divided by N and truncated. For a
// single charge (n = 1) it is simply 0.49 + 2.99% of the value.
func cardParcelFee(total decimal.Decimal, n int) decimal.Decimal {
	fee := roundCents(feeCardFixed.Add(total.Mul(cardRate(n)).Div(hundred)))
	if n <= 1 {
		return fee
	}
	return cents(fee.Div(decimal.NewFromInt(int64(n))))
}

// feeFor is the gateway fee of one charge or parcel. planTotal and n describe the
// card plan the parcel belongs to (n = 1 for a standalone charge). UNDEFINED is
// priced as PIX/boleto until the payer picks a method (invented; both cost 1.99).
func feeFor(billingType string, value, planTotal decimal.Decimal, n int) decimal.Decimal {
	switch billingType {
	case "CREDIT_CARD":
		if n <= 1 {
			return cardParcelFee(value, 1)
		}
		return cardParcelFee(planTotal, n)
	case "PIX":
		return feePix
	case "RECEIVED_IN_CASH":
		return decimal.Zero // no money moved through Asaas
	default:
		return feeBoleto
	}
}

// splitParcels divides total into n parcels: each one truncated to the cent, the
// remainder on the LAST one (350 in 12x -> 11 x 29.16 + 29.24).
func splitParcels(total decimal.Decimal, n int) []decimal.Decimal {
	each := cents(total.Div(decimal.NewFromInt(int64(n))))
	out := make([]decimal.Decimal, n)
	for i := range out {
		out[i] = each
	}
	out[n-1] = total.Sub(each.Mul(decimal.NewFromInt(int64(n - 1))))
	return out
}

// brl formats a value for a Portuguese message: R$ 1.234,56.
func brl(d decimal.Decimal) string {
	s := d.StringFixed(2)
	neg := false
	if s[0] == '-' {
		neg, s = true, s[1:]
	}
	intPart, frac := s[:len(s)-3], s[len(s)-2:]
	var out []byte
	for i := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			out = append(out, '.')
		}
		out = append(out, intPart[i])
	}
	res := "R$ " + string(out) + "," + frac
	if neg {
		res = "-" + res
	}
	return res
}
