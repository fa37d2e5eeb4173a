package domain

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// rulesField is the API field that holds the split rules.
const rulesField = "split_rules"

// maxMoney is the first amount a numeric(14,2) column cannot hold.
var maxMoney = decimal.New(1, MaxMoneyIntegerDigits)

// FieldError is one problem with one input field.
type FieldError struct {
	Field   string // like "split_rules[2].percent"; "split_rules" for the rules as a whole
	Message string // a sentence for an API user
}

// FieldErrors is a list of field problems usable as an error.
type FieldErrors []FieldError

func (errs FieldErrors) Error() string {
	parts := make([]string, len(errs))
	for i, e := range errs {
		parts[i] = e.Field + ": " + e.Message
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// PayeeInfo is what activation needs to know about a payee.
type PayeeInfo struct {
	Exists, HasWallet, Archived bool
}

// ValidateRules checks the shape of split rules (run on every create and
// update): known kind, the fields each kind takes, a payee where one is
// needed, at most one fee and one remainder rule, percentages summing to at
// most 100. Field names are split_rules[i].kind, .payee_id, .percent,
// .amount and .via_gateway. It returns nil when the rules are valid.
func ValidateRules(rules []SplitRule) []FieldError {
	var errs []FieldError
	add := func(i int, field, format string, args ...any) {
		errs = append(errs, FieldError{Field: ruleField(i, field), Message: fmt.Sprintf(format, args...)})
	}
	percentSum := decimal.Zero
	seen := map[RuleKind]bool{}
	for i, r := range rules {
		switch r.Kind {
		case RulePercentage:
			if reason := percentRangeReason(r.Percent); reason != "" {
				add(i, "percent", "A percentage rule's percent %s.", reason)
			}
			if !r.Amount.IsZero() {
				add(i, "amount", "A percentage rule takes no amount.")
			}
			percentSum = percentSum.Add(r.Percent)
		case RuleFixed:
			switch {
			case !r.Amount.IsPositive():
				add(i, "amount", "A fixed rule's amount must be greater than 0.")
			case !hasAtMostTwoPlaces(r.Amount):
				add(i, "amount", "A fixed rule's amount must have at most 2 decimal places.")
			case r.Amount.GreaterThanOrEqual(maxMoney):
				add(i, "amount", "A fixed rule's amount must have at most %d digits before the decimal point.", MaxMoneyIntegerDigits)
			}
			if !r.Percent.IsZero() {
				add(i, "percent", "A fixed rule takes no percent.")
			}
		case RuleFee, RuleRemainder:
			if !r.Percent.IsZero() {
				add(i, "percent", "A %s rule takes no percent.", r.Kind)
			}
			if !r.Amount.IsZero() {
				add(i, "amount", "A %s rule takes no amount.", r.Kind)
			}
			if r.ViaGateway {
				add(i, "via_gateway", "A %s rule is never sent to Asaas, so via_gateway must be false.", r.Kind)
			}
			if seen[r.Kind] {
				add(i, "kind", "Only one %s rule is allowed.", r.Kind)
			}
			seen[r.Kind] = true
		default:
			add(i, "kind", "Unknown kind %q: use percentage, fixed, fee or remainder.", r.Kind)
			continue
		}
		if r.Kind != RuleFee && strings.TrimSpace(r.PayeeID) == "" {
			add(i, "payee_id", "A %s rule needs a payee_id.", r.Kind)
		}
	}
	if percentSum.GreaterThan(hundred) {
		errs = append(errs, FieldError{Field: rulesField, Message: fmt.Sprintf(
			"The percentages add up to %s%%; they must add up to at most 100%%.", percentSum.String())})
	}
	return errs
}

// ValidateForActivation checks the rules against the contract being
// activated, on top of ValidateRules: every payee a rule names exists and is
// not archived, every via_gateway rule's payee has an Asaas walletId, and the
// fixed amounts together fit in the smallest installment. installmentValues
// are the contract's installment values; payees is keyed by payee id (a
// missing key is a payee that does not exist). It returns nil when the
// contract may be activated.
func ValidateForActivation(rules []SplitRule, installmentValues []decimal.Decimal, payees map[string]PayeeInfo) []FieldError {
	errs := ValidateRules(rules)
	add := func(i int, field, format string, args ...any) {
		errs = append(errs, FieldError{Field: ruleField(i, field), Message: fmt.Sprintf(format, args...)})
	}
	fixedSum := decimal.Zero
	for i, r := range rules {
		if r.Kind == RuleFixed {
			fixedSum = fixedSum.Add(r.Amount)
		}
		if strings.TrimSpace(r.PayeeID) == "" {
			continue // ValidateRules already reported it where a payee is required
		}
		payee := payees[r.PayeeID]
		switch {
		case !payee.Exists:
			add(i, "payee_id", "Payee %s does not exist.", r.PayeeID)
			continue
		case payee.Archived:
			add(i, "payee_id", "Payee %s is archived.", r.PayeeID)
		}
		if r.ViaGateway && (r.Kind == RulePercentage || r.Kind == RuleFixed) && !payee.HasWallet {
			add(i, "via_gateway", "Payee %s has no Asaas walletId, which automatic splits need: add one or set via_gateway to false.", r.PayeeID)
		}
	}
	if len(installmentValues) > 0 && fixedSum.IsPositive() {
		smallest := installmentValues[0]
		for _, v := range installmentValues[1:] {
			smallest = decimal.Min(smallest, v)
		}
		if fixedSum.GreaterThan(smallest) {
			errs = append(errs, FieldError{Field: rulesField, Message: fmt.Sprintf(
				"The fixed amounts add up to %s, more than the smallest installment (%s).", FormatMoney(fixedSum), FormatMoney(smallest))})
		}
	}
	return errs
}

func ruleField(i int, field string) string {
	return fmt.Sprintf("%s[%d].%s", rulesField, i, field)
}
