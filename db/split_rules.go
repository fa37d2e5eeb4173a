package db

import (
	"billing/db/dbgen"
	"billing/domain"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// Split rules have one representation, domain.SplitRule, wherever they are read
// or decided on (API validation, activation checks, allocation, the charge's
// split[]); these are the two directions of their storage.

// ContractSplitRules are a contract's stored rules, in order (a rule's index is
// its RuleIndex in an allocation).
func ContractSplitRules(rows []dbgen.ContractSplitRule) []domain.SplitRule {
	out := make([]domain.SplitRule, len(rows))
	for i, r := range rows {
		out[i] = splitRule(r.Kind, r.PayeeID, r.Percent, r.Amount, r.ViaGateway)
	}
	return out
}

// TemplateSplitRules are a template's stored rules, in order.
func TemplateSplitRules(rows []dbgen.TemplateSplitRule) []domain.SplitRule {
	out := make([]domain.SplitRule, len(rows))
	for i, r := range rows {
		out[i] = splitRule(r.Kind, r.PayeeID, r.Percent, r.Amount, r.ViaGateway)
	}
	return out
}

func splitRule(kind string, payee *uuid.UUID, percent, amount decimal.NullDecimal, via bool) domain.SplitRule {
	r := domain.SplitRule{Kind: domain.RuleKind(kind), Percent: percent.Decimal, Amount: amount.Decimal, ViaGateway: via}
	if payee != nil {
		r.PayeeID = payee.String()
	}
	return r
}

// SplitRuleColumns are a rule's nullable columns: the payee when it has one, the
// percent of a percentage rule, the amount of a fixed one.
func SplitRuleColumns(r domain.SplitRule) (payee *uuid.UUID, percent, amount decimal.NullDecimal) {
	if id, err := uuid.Parse(r.PayeeID); err == nil {
		payee = &id
	}
	percent = decimal.NullDecimal{Decimal: r.Percent, Valid: r.Kind == domain.RulePercentage}
	amount = decimal.NullDecimal{Decimal: r.Amount, Valid: r.Kind == domain.RuleFixed}
	return payee, percent, amount
}
