package domain

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"
)

// RuleKind is what a split rule takes from a payment.
type RuleKind string

const (
	RulePercentage RuleKind = "percentage" // X% of the net amount, rounded down to the cent
	RuleFixed      RuleKind = "fixed"      // a fixed amount
	RuleFee        RuleKind = "fee"        // names who bears the gateway fee
	RuleRemainder  RuleKind = "remainder"  // what is left of the net amount
)

// SplitRule is one rule of a contract's split.
type SplitRule struct {
	PayeeID    string // required for percentage, fixed and remainder; optional for fee
	Kind       RuleKind
	Percent    decimal.Decimal // percentage rules only
	Amount     decimal.Decimal // fixed rules only
	ViaGateway bool            // percentage/fixed only: sent to Asaas in the charge's split[] (the payee needs an Asaas walletId)
}

// EntryStatus is where a split entry stands.
type EntryStatus string

const (
	EntrySentToGateway EntryStatus = "sent_to_gateway" // Asaas pays it out through the charge's split
	EntryPaid          EntryStatus = "paid"            // settled (the gateway fee, or a recorded payout)
	EntryPending       EntryStatus = "pending"         // waiting for a manual payout
	EntryReversed      EntryStatus = "reversed"        // the negative twin of an entry whose payment was refunded
	EntryRetained      EntryStatus = "retained"        // the account's own remainder: nothing to pay out
	EntryDisputed      EntryStatus = "disputed"        // held while its payment's chargeback or refund is open: no payout takes it
)

// PaymentAmounts are the amounts of one payment. Net is the gateway's
// netValue; for a manual payment Net equals Paid.
type PaymentAmounts struct {
	Paid, Net decimal.Decimal
	Manual    bool
}

// Entry is one share of a payment.
type Entry struct {
	RuleIndex int    // index into the rules slice; -1 for the implicit fee entry (no fee rule) and the account's own remainder
	PayeeID   string // "" for the account's own remainder, and for the fee when no fee rule names a payee
	Kind      RuleKind
	Amount    decimal.Decimal
	Status    EntryStatus
}

// Allocation is how one payment is shared out.
type Allocation struct {
	Entries []Entry
	// Shortfall is what the percentage and fixed rules wanted but the net
	// amount could not cover (0 unless a partial payment fell short).
	Shortfall decimal.Decimal
}

// ErrInvalidPayment is wrapped by the errors Allocate returns for amounts
// that cannot be a payment.
var ErrInvalidPayment = errors.New("invalid payment amounts")

// Allocate shares out one payment among the rules (README, "How money is
// handled"). Entries come in this order: the gateway fee (P − N, paid),
// the percentage and fixed entries in rule order, then the remainder. When N
// cannot cover the percentage and fixed rules they are served in rule order
// until N runs out and the rest is reported as Shortfall. No entry is zero,
// and the entries always sum to Paid exactly.
//
// Rules that fail ValidateRules give a FieldErrors error.
func Allocate(p PaymentAmounts, rules []SplitRule) (Allocation, error) {
	if err := validatePaymentAmounts(p); err != nil {
		return Allocation{}, err
	}
	if errs := ValidateRules(rules); len(errs) > 0 {
		return Allocation{}, FieldErrors(errs)
	}

	var entries []Entry
	if fee := p.Paid.Sub(p.Net); fee.IsPositive() {
		entry := Entry{RuleIndex: -1, Kind: RuleFee, Amount: fee, Status: EntryPaid}
		if i := ruleIndex(rules, RuleFee); i >= 0 {
			entry.RuleIndex, entry.PayeeID = i, rules[i].PayeeID
		}
		entries = append(entries, entry)
	}

	left, shortfall := p.Net, decimal.Zero
	for i, r := range rules {
		var want decimal.Decimal
		switch r.Kind {
		case RulePercentage:
			// N and the percent have at most 2 places, so the product is exact.
			want = p.Net.Mul(r.Percent).Shift(-2).RoundDown(2)
		case RuleFixed:
			want = r.Amount
		default:
			continue
		}
		got := decimal.Min(want, left)
		left = left.Sub(got)
		shortfall = shortfall.Add(want.Sub(got))
		if !got.IsPositive() {
			continue
		}
		status := EntryPending
		if r.ViaGateway && !p.Manual {
			status = EntrySentToGateway
		}
		entries = append(entries, Entry{RuleIndex: i, PayeeID: r.PayeeID, Kind: r.Kind, Amount: got, Status: status})
	}

	if left.IsPositive() {
		entry := Entry{RuleIndex: -1, Kind: RuleRemainder, Amount: left, Status: EntryRetained}
		if i := ruleIndex(rules, RuleRemainder); i >= 0 {
			entry.RuleIndex, entry.PayeeID, entry.Status = i, rules[i].PayeeID, EntryPending
		}
		entries = append(entries, entry)
	}
	return Allocation{Entries: entries, Shortfall: shortfall}, nil
}

// Reverse returns the reversal of a payment's entries: one entry per input
// entry, same rule, payee and kind, the amount negated and status reversed,
// so a payment and its reversal sum to zero.
func Reverse(entries []Entry) []Entry {
	reversed := make([]Entry, len(entries))
	for i, e := range entries {
		e.Amount = e.Amount.Neg()
		e.Status = EntryReversed
		reversed[i] = e
	}
	return reversed
}

// SumEntries is the total of the entries' amounts.
func SumEntries(entries []Entry) decimal.Decimal {
	sum := decimal.Zero
	for _, e := range entries {
		sum = sum.Add(e.Amount)
	}
	return sum
}

func validatePaymentAmounts(p PaymentAmounts) error {
	switch {
	case !p.Paid.IsPositive():
		return fmt.Errorf("%w: the amount paid must be greater than 0", ErrInvalidPayment)
	case p.Net.IsNegative():
		return fmt.Errorf("%w: the net amount must not be negative", ErrInvalidPayment)
	case p.Net.GreaterThan(p.Paid):
		return fmt.Errorf("%w: the net amount %s is greater than the amount paid %s", ErrInvalidPayment, FormatMoney(p.Net), FormatMoney(p.Paid))
	case p.Manual && !p.Net.Equal(p.Paid):
		return fmt.Errorf("%w: a manual payment has no fee, so its net amount must equal the amount paid", ErrInvalidPayment)
	case !hasAtMostTwoPlaces(p.Paid) || !hasAtMostTwoPlaces(p.Net):
		return fmt.Errorf("%w: amounts must have at most 2 decimal places", ErrInvalidPayment)
	}
	return nil
}

// ruleIndex is the index of the first rule of the kind, or -1.
func ruleIndex(rules []SplitRule, kind RuleKind) int {
	for i, r := range rules {
		if r.Kind == kind {
			return i
		}
	}
	return -1
}
