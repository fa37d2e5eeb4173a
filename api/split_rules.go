package api

import (
	"context"
	"encoding/json"
	"fmt"

	"billing/db"
	"billing/db/dbgen"
	"billing/domain"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// maxSplitRules bounds the rules of one template or contract.
const maxSplitRules = 50

// ruleInput is one split rule as sent. via_gateway defaults to true for percentage and
// fixed rules whose payee has an Asaas walletId (README, "How money is handled": those go to the charge's
// split[]), false otherwise; the resolved value is stored.
type ruleInput struct {
	Kind       string          `json:"kind"`
	PayeeID    *string         `json:"payee_id"`
	Percent    json.RawMessage `json:"percent"`
	Amount     json.RawMessage `json:"amount"`
	ViaGateway *bool           `json:"via_gateway"`
}

type ruleView struct {
	Position   int32      `json:"position"`
	Kind       string     `json:"kind"`
	PayeeID    *uuid.UUID `json:"payee_id"`
	Percent    *string    `json:"percent"`
	Amount     *string    `json:"amount"`
	ViaGateway bool       `json:"via_gateway"`
}

func viewRule(position int32, kind string, payee *uuid.UUID, percent, amount decimal.NullDecimal, via bool) ruleView {
	return ruleView{position, kind, payee, formatOptMoney(percent), formatOptMoney(amount), via}
}

func viewTemplateRules(rows []dbgen.TemplateSplitRule) []ruleView {
	out := make([]ruleView, len(rows))
	for i, r := range rows {
		out[i] = viewRule(r.Position, r.Kind, r.PayeeID, r.Percent, r.Amount, r.ViaGateway)
	}
	return out
}

func viewContractRules(rows []dbgen.ContractSplitRule) []ruleView {
	out := make([]ruleView, len(rows))
	for i, r := range rows {
		out[i] = viewRule(r.Position, r.Kind, r.PayeeID, r.Percent, r.Amount, r.ViaGateway)
	}
	return out
}

func nullIfJSONNull(raw json.RawMessage) json.RawMessage {
	if string(raw) == "null" {
		return nil
	}
	return raw
}

// splitRules validates rules: each field, the payees (of this account, not archived),
// then the rules together (domain.ValidateRules). Walletless payees and amounts
// against installments are checked at activation, when they must hold.
func (f *fields) splitRules(ctx context.Context, q *dbgen.Queries, accountID uuid.UUID, in []ruleInput) ([]domain.SplitRule, error) {
	if len(in) > maxSplitRules {
		f.add("split_rules", "must have at most %d rules", maxSplitRules)
		return nil, nil
	}
	before := len(f.errs)
	rules := make([]domain.SplitRule, len(in))
	var payeeIDs []uuid.UUID
	for i, r := range in {
		field := func(name string) string { return fmt.Sprintf("split_rules[%d].%s", i, name) }
		rules[i].Kind = domain.RuleKind(f.oneOf(field("kind"), r.Kind, "percentage", "fixed", "fee", "remainder"))
		if r.ViaGateway != nil {
			rules[i].ViaGateway = *r.ViaGateway
		}
		if r.PayeeID != nil && *r.PayeeID != "" {
			id, err := uuid.Parse(*r.PayeeID)
			if err != nil {
				f.add(field("payee_id"), "must be a UUID")
			} else {
				rules[i].PayeeID = id.String()
				payeeIDs = append(payeeIDs, id)
			}
		}
		if raw := nullIfJSONNull(r.Percent); raw != nil {
			rules[i].Percent = f.percent(field("percent"), raw)
		} else if r.Kind == "percentage" {
			f.add(field("percent"), "is required for a percentage rule")
		}
		if raw := nullIfJSONNull(r.Amount); raw != nil {
			rules[i].Amount = f.money(field("amount"), raw)
		} else if r.Kind == "fixed" {
			f.add(field("amount"), "is required for a fixed rule")
		}
	}

	payees := map[string]dbgen.Payee{}
	if len(payeeIDs) > 0 {
		rows, err := q.ListPayeesByIDs(ctx, dbgen.ListPayeesByIDsParams{AccountID: accountID, Ids: payeeIDs})
		if err != nil {
			return nil, err
		}
		for _, p := range rows {
			payees[p.ID.String()] = p
		}
	}
	for i, r := range rules {
		if r.PayeeID == "" {
			continue
		}
		p, found := payees[r.PayeeID]
		switch {
		case !found:
			f.add(fmt.Sprintf("split_rules[%d].payee_id", i), "is not a payee of this account")
		case p.ArchivedAt != nil:
			f.add(fmt.Sprintf("split_rules[%d].payee_id", i), "is an archived payee")
		}
		if in[i].ViaGateway == nil {
			rules[i].ViaGateway = (r.Kind == domain.RulePercentage || r.Kind == domain.RuleFixed) && p.AsaasWalletID != nil
		}
	}
	if len(f.errs) == before {
		f.addDomain(domain.ValidateRules(rules))
	}
	return rules, nil
}

func insertTemplateRules(ctx context.Context, t *txn, templateID uuid.UUID, rules []domain.SplitRule) error {
	for i, r := range rules {
		payee, percent, amount := db.SplitRuleColumns(r)
		if err := t.InsertTemplateSplitRule(ctx, dbgen.InsertTemplateSplitRuleParams{
			AccountID: t.actor.AccountID, TemplateID: templateID, Position: int32(i + 1), Kind: string(r.Kind),
			PayeeID: payee, Percent: percent, Amount: amount, ViaGateway: r.ViaGateway,
		}); err != nil {
			return err
		}
	}
	return nil
}

func insertContractRules(ctx context.Context, t *txn, contractID uuid.UUID, rules []domain.SplitRule) error {
	for i, r := range rules {
		payee, percent, amount := db.SplitRuleColumns(r)
		if err := t.InsertContractSplitRule(ctx, dbgen.InsertContractSplitRuleParams{
			AccountID: t.actor.AccountID, ContractID: contractID, Position: int32(i + 1), Kind: string(r.Kind),
			PayeeID: payee, Percent: percent, Amount: amount, ViaGateway: r.ViaGateway,
		}); err != nil {
			return err
		}
	}
	return nil
}
