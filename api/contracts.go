package api

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"billing/db"
	"billing/db/dbgen"
	"billing/domain"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

// contractInput creates a draft contract, either
//   - from a template: template_id, client_id, total_amount and first_due_date (the
//     installment count, billing type, interval and split rules are copied from it), or
//   - from scratch: client_id, billing_type, split_rules and either total_amount with
//     installment_count and first_due_date (and interval_months, default 1), or explicit
//     installments [{value, due_date}] whose sum is the total; charge_terms are optional.
type contractInput struct {
	ClientID         string             `json:"client_id"`
	TemplateID       *string            `json:"template_id"`
	Description      *string            `json:"description"`
	BillingType      *string            `json:"billing_type"`
	TotalAmount      json.RawMessage    `json:"total_amount"`
	InstallmentCount *int               `json:"installment_count"`
	IntervalMonths   *int               `json:"interval_months"`
	FirstDueDate     string             `json:"first_due_date"`
	Installments     []installmentInput `json:"installments"`
	SplitRules       []ruleInput        `json:"split_rules"`
	ChargeTerms      *chargeTermsInput  `json:"charge_terms"`
}

// contractPatch edits a draft. Schedule: `installments` replaces it (the total becomes
// their sum); otherwise any of total_amount, installment_count, interval_months,
// first_due_date regenerates it from the merged values. split_rules replaces the rules,
// charge_terms all the terms.
type contractPatch struct {
	Description      opt[string]             `json:"description"`
	BillingType      opt[string]             `json:"billing_type"`
	TotalAmount      opt[json.RawMessage]    `json:"total_amount"`
	InstallmentCount opt[int]                `json:"installment_count"`
	IntervalMonths   opt[int]                `json:"interval_months"`
	FirstDueDate     opt[string]             `json:"first_due_date"`
	Installments     opt[[]installmentInput] `json:"installments"`
	SplitRules       opt[[]ruleInput]        `json:"split_rules"`
	ChargeTerms      opt[chargeTermsInput]   `json:"charge_terms"`
}

// contractRefs resolves the client (and template) a new contract names: they must be
// this account's and not archived; anything else is a validation error on the field.
func contractRefs(ctx context.Context, t *txn, f *fields, in contractInput) (*dbgen.Client, *dbgen.Template, error) {
	var client *dbgen.Client
	if in.ClientID == "" {
		f.add("client_id", "is required")
	} else if id, err := uuid.Parse(in.ClientID); err != nil {
		f.add("client_id", "must be a UUID")
	} else {
		row, err := t.GetClient(ctx, dbgen.GetClientParams{AccountID: t.actor.AccountID, ID: id})
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			f.add("client_id", "is not a client of this account")
		case err != nil:
			return nil, nil, err
		case row.ArchivedAt != nil:
			f.add("client_id", "is an archived client")
		default:
			client = &row
		}
	}
	if in.TemplateID == nil {
		return client, nil, nil
	}
	id, err := uuid.Parse(*in.TemplateID)
	if err != nil {
		f.add("template_id", "must be a UUID")
		return client, nil, nil
	}
	row, err := t.GetTemplate(ctx, dbgen.GetTemplateParams{AccountID: t.actor.AccountID, ID: id})
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		f.add("template_id", "is not a template of this account")
	case err != nil:
		return nil, nil, err
	case row.ArchivedAt != nil:
		f.add("template_id", "is an archived template")
	default:
		return client, &row, nil
	}
	return client, nil, nil
}

func (s *Server) createContract(c *gin.Context) {
	var in contractInput
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	s.mutate(c, func(ctx context.Context, t *txn) (result, error) {
		var f fields
		client, tmpl, err := contractRefs(ctx, t, &f, in)
		if err != nil {
			return result{}, err
		}
		description := f.optText("description", in.Description, 500)
		var billingType string
		var sched schedule
		var rules []domain.SplitRule
		var terms domain.ChargeTerms
		if in.TemplateID != nil {
			for _, field := range []struct {
				name  string
				given bool
			}{
				{"billing_type", in.BillingType != nil}, {"installment_count", in.InstallmentCount != nil},
				{"interval_months", in.IntervalMonths != nil}, {"installments", in.Installments != nil}, {"split_rules", in.SplitRules != nil},
				{"charge_terms", in.ChargeTerms != nil},
			} {
				if field.given {
					f.add(field.name, "comes from the template; edit the draft afterwards to change it")
				}
			}
			total := f.money("total_amount", nullIfJSONNull(in.TotalAmount))
			first := f.date("first_due_date", in.FirstDueDate)
			if tmpl != nil {
				billingType = tmpl.BillingType
				sched = f.generated(total, int(tmpl.InstallmentCount), first, int(tmpl.IntervalMonths))
				stored, err := t.ListTemplateSplitRules(ctx, dbgen.ListTemplateSplitRulesParams{AccountID: t.actor.AccountID, TemplateIds: []uuid.UUID{tmpl.ID}})
				if err != nil {
					return result{}, err
				}
				rules = db.TemplateSplitRules(stored)
				terms = db.TemplateChargeTerms(*tmpl)
			}
		} else {
			if in.BillingType == nil {
				f.add("billing_type", "is required")
			} else {
				billingType = f.oneOf("billing_type", *in.BillingType, billingTypes...)
			}
			sched = f.newSchedule(in)
			if rules, err = f.splitRules(ctx, t.Queries, t.actor.AccountID, in.SplitRules); err != nil {
				return result{}, err
			}
			terms = f.chargeTerms(in.ChargeTerms)
		}
		f.installmentTerms(terms, sched.values())
		if err := f.err(); err != nil {
			return result{}, err
		}

		params := dbgen.CreateContractParams{
			AccountID: t.actor.AccountID, ClientID: client.ID, Description: description, BillingType: billingType,
			TotalAmount: sched.Total, InstallmentCount: int32(len(sched.Items)), IntervalMonths: int32(sched.Interval),
			FirstDueDate: sched.firstDue(), CreatedBy: t.actor.UserID,
		}
		if tmpl != nil {
			params.TemplateID = &tmpl.ID
		}
		row, err := t.CreateContract(ctx, params)
		if err != nil {
			return result{}, err
		}
		if err := insertInstallments(ctx, t, row.ID, sched); err != nil {
			return result{}, err
		}
		if err := insertContractRules(ctx, t, row.ID, rules); err != nil {
			return result{}, err
		}
		if !terms.IsZero() {
			if row, err = setContractTerms(ctx, t, row.ID, terms); err != nil {
				return result{}, err
			}
		}
		if err := t.audit(ctx, "contract.created", "contract", row.ID, &row.ID, map[string]any{
			"template_id": params.TemplateID, "total_amount": formatMoney(row.TotalAmount),
			"installment_count": row.InstallmentCount, "billing_type": row.BillingType, "charge_terms": viewChargeTerms(terms),
		}); err != nil {
			return result{}, err
		}
		view, err := contractDetailOf(ctx, t.Queries, row)
		return created(view), err
	})
}

// newSchedule is the schedule of a contract created from scratch.
func (f *fields) newSchedule(in contractInput) schedule {
	interval := 1
	if in.IntervalMonths != nil {
		interval = f.intRange("interval_months", in.IntervalMonths, 1, domain.MaxIntervalMonths)
	}
	if in.Installments != nil {
		s := f.explicit(in.Installments, interval)
		var total *decimal.Decimal
		if raw := nullIfJSONNull(in.TotalAmount); raw != nil {
			d := f.money("total_amount", raw)
			total = &d
		}
		f.agrees(s, total, in.InstallmentCount, f.optDate("first_due_date", in.FirstDueDate))
		return s
	}
	total := f.money("total_amount", nullIfJSONNull(in.TotalAmount))
	n := f.intRange("installment_count", in.InstallmentCount, 1, domain.MaxInstallments)
	first := f.date("first_due_date", in.FirstDueDate)
	return f.generated(total, n, first, interval)
}

func insertInstallments(ctx context.Context, t *txn, contractID uuid.UUID, s schedule) error {
	for _, it := range s.Items {
		if err := t.InsertInstallment(ctx, dbgen.InsertInstallmentParams{
			AccountID: t.actor.AccountID, ContractID: contractID, Number: int32(it.Number), Value: it.Value, DueDate: it.DueDate,
		}); err != nil {
			return err
		}
	}
	return nil
}

func (s *Server) listContracts(c *gin.Context) {
	var f fields
	p := parsePage(c, &f)
	params := dbgen.ListContractsParams{
		AccountID: actor(c).AccountID, ClientID: optQueryID(c, &f, "client_id"),
		DueFrom: optQueryDate(c, &f, "due_from"), DueTo: optQueryDate(c, &f, "due_to"),
		AfterCreatedAt: p.afterCreatedAt, AfterID: p.afterID, RowLimit: p.fetch(),
	}
	if params.Status = optQuery(c, "status"); params.Status != nil {
		f.oneOf("status", *params.Status, "draft", "active", "completed", "cancelled")
	}
	if err := f.err(); err != nil {
		s.writeError(c, err)
		return
	}
	rows, err := dbgen.New(s.deps.Pool).ListContracts(c.Request.Context(), params)
	s.reply(c, ok(pageOf(p, rows, func(r dbgen.Contract) (time.Time, uuid.UUID) { return r.CreatedAt, r.ID }, viewContract)), err)
}

// getContract answers GET /v1/contracts/{id}; ?include=payment_instructions adds
// what a payer needs to each installment that can be paid (payment_instructions.go).
func (s *Server) getContract(c *gin.Context) {
	id, err := pathID(c, "id", "contract")
	if err != nil {
		s.writeError(c, err)
		return
	}
	var f fields
	instructions := false
	if include, given := c.GetQuery("include"); given {
		instructions = f.oneOf("include", include, "payment_instructions") == "payment_instructions"
	}
	if err := f.err(); err != nil {
		s.writeError(c, err)
		return
	}
	ctx := c.Request.Context()
	q := dbgen.New(s.deps.Pool)
	row, err := q.GetContract(ctx, dbgen.GetContractParams{AccountID: actor(c).AccountID, ID: id})
	if err != nil {
		s.writeError(c, notFoundIf(err, "contract"))
		return
	}
	view, err := contractDetailOf(ctx, q, row)
	if err == nil && instructions {
		err = s.addPaymentInstructions(ctx, q, row, &view)
	}
	s.reply(c, ok(view), err)
}

func (s *Server) updateContract(c *gin.Context) {
	id, err := pathID(c, "id", "contract")
	if err != nil {
		s.writeError(c, err)
		return
	}
	var in contractPatch
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	s.mutate(c, func(ctx context.Context, t *txn) (result, error) {
		cur, err := t.GetContractForUpdate(ctx, dbgen.GetContractForUpdateParams{AccountID: t.actor.AccountID, ID: id})
		if err != nil {
			return result{}, notFoundIf(err, "contract")
		}
		if cur.Status != "draft" {
			return result{}, Conflict("The contract is " + cur.Status + "; only a draft contract can be edited.")
		}
		if cur.WorkflowID != nil {
			return result{}, Conflict("The contract is being activated; it can no longer be edited.")
		}
		var f fields
		params := dbgen.UpdateDraftContractParams{
			AccountID: cur.AccountID, ID: cur.ID,
			Description: f.patchText("description", in.Description, 500, cur.Description), BillingType: cur.BillingType,
			TotalAmount: cur.TotalAmount, InstallmentCount: cur.InstallmentCount, IntervalMonths: cur.IntervalMonths,
			FirstDueDate: cur.FirstDueDate,
		}
		if in.BillingType.Set {
			params.BillingType = f.oneOf("billing_type", in.BillingType.V, billingTypes...)
		}
		sched, replaced := f.patchedSchedule(in, cur)
		var rules []domain.SplitRule
		if in.SplitRules.Set {
			if rules, err = f.splitRules(ctx, t.Queries, t.actor.AccountID, in.SplitRules.V); err != nil {
				return result{}, err
			}
		}
		terms := db.ContractChargeTerms(cur)
		if in.ChargeTerms.Set {
			terms = domain.ChargeTerms{}
			if !in.ChargeTerms.Null {
				terms = f.chargeTerms(&in.ChargeTerms.V)
			}
		}
		if (in.ChargeTerms.Set || replaced) && !terms.IsZero() && f.ok() {
			values, err := draftValues(ctx, t, cur, sched, replaced)
			if err != nil {
				return result{}, err
			}
			f.installmentTerms(terms, values)
		}
		if err := f.err(); err != nil {
			return result{}, err
		}
		if replaced {
			params.TotalAmount, params.InstallmentCount = sched.Total, int32(len(sched.Items))
			params.IntervalMonths, params.FirstDueDate = int32(sched.Interval), sched.firstDue()
		}
		row, err := t.UpdateDraftContract(ctx, params)
		if err != nil {
			return result{}, err
		}
		if replaced {
			if err := t.DeleteDraftInstallments(ctx, dbgen.DeleteDraftInstallmentsParams{AccountID: row.AccountID, ContractID: row.ID}); err != nil {
				return result{}, err
			}
			if err := insertInstallments(ctx, t, row.ID, sched); err != nil {
				return result{}, err
			}
		}
		if in.SplitRules.Set {
			if err := t.DeleteContractSplitRules(ctx, dbgen.DeleteContractSplitRulesParams{AccountID: row.AccountID, ContractID: row.ID}); err != nil {
				return result{}, err
			}
			if err := insertContractRules(ctx, t, row.ID, rules); err != nil {
				return result{}, err
			}
		}
		if in.ChargeTerms.Set {
			if row, err = setContractTerms(ctx, t, row.ID, terms); err != nil {
				return result{}, err
			}
		}
		if err := t.audit(ctx, "contract.updated", "contract", row.ID, &row.ID, map[string]any{
			"fields": patchedFields(in), "total_amount": formatMoney(row.TotalAmount), "installment_count": row.InstallmentCount,
			"charge_terms": viewChargeTerms(terms),
		}); err != nil {
			return result{}, err
		}
		view, err := contractDetailOf(ctx, t.Queries, row)
		return ok(view), err
	})
}

// draftValues are the installment values a draft will have after a PATCH: the new
// schedule's, or the stored ones when it keeps its schedule.
func draftValues(ctx context.Context, t *txn, cur dbgen.Contract, sched schedule, replaced bool) ([]decimal.Decimal, error) {
	if replaced {
		return sched.values(), nil
	}
	rows, err := t.ListInstallments(ctx, dbgen.ListInstallmentsParams{AccountID: cur.AccountID, ContractID: cur.ID})
	values := make([]decimal.Decimal, len(rows))
	for i, r := range rows {
		values[i] = r.Value
	}
	return values, err
}

// patchedSchedule resolves the schedule a PATCH asks for; replaced is false when it
// leaves the schedule alone.
func (f *fields) patchedSchedule(in contractPatch, cur dbgen.Contract) (schedule, bool) {
	interval := int(cur.IntervalMonths)
	if n, set := patchInt(f, "interval_months", in.IntervalMonths, 1, domain.MaxIntervalMonths); set {
		interval = n
	}
	var total *decimal.Decimal
	if in.TotalAmount.Set {
		d := f.money("total_amount", nullIfJSONNull(in.TotalAmount.V))
		total = &d
	}
	var count *int
	if n, set := patchInt(f, "installment_count", in.InstallmentCount, 1, domain.MaxInstallments); set {
		count = &n
	}
	var first *time.Time
	if in.FirstDueDate.Set {
		d := f.date("first_due_date", in.FirstDueDate.V)
		first = &d
	}
	if in.Installments.Set {
		if in.Installments.Null {
			f.add("installments", "must not be null")
			return schedule{}, false
		}
		s := f.explicit(in.Installments.V, interval)
		f.agrees(s, total, count, first)
		return s, true
	}
	if total == nil && count == nil && first == nil && !in.IntervalMonths.Set {
		return schedule{}, false
	}
	if total == nil {
		total = &cur.TotalAmount
	}
	if count == nil {
		n := int(cur.InstallmentCount)
		count = &n
	}
	if first == nil {
		first = &cur.FirstDueDate
	}
	return f.generated(*total, *count, *first, interval), true
}
