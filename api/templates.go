package api

import (
	"context"
	"time"

	"billing/db"
	"billing/db/dbgen"
	"billing/domain"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
)

type templateView struct {
	ID               uuid.UUID       `json:"id"`
	Name             string          `json:"name"`
	Description      *string         `json:"description"`
	InstallmentCount int32           `json:"installment_count"`
	BillingType      string          `json:"billing_type"`
	IntervalMonths   int32           `json:"interval_months"`
	SplitRules       []ruleView      `json:"split_rules"`
	ChargeTerms      chargeTermsView `json:"charge_terms"`
	ArchivedAt       *time.Time      `json:"archived_at"`
	CreatedAt        time.Time       `json:"created_at"`
	UpdatedAt        time.Time       `json:"updated_at"`
}

func viewTemplate(t dbgen.Template, rules []dbgen.TemplateSplitRule) templateView {
	return templateView{t.ID, t.Name, t.Description, t.InstallmentCount, t.BillingType, t.IntervalMonths,
		viewTemplateRules(rules), viewChargeTerms(db.TemplateChargeTerms(t)), t.ArchivedAt, t.CreatedAt, t.UpdatedAt}
}

type templateInput struct {
	Name             string            `json:"name"`
	Description      *string           `json:"description"`
	InstallmentCount *int              `json:"installment_count"`
	BillingType      string            `json:"billing_type"`
	IntervalMonths   *int              `json:"interval_months"`
	SplitRules       []ruleInput       `json:"split_rules"`
	ChargeTerms      *chargeTermsInput `json:"charge_terms"`
}

type templatePatch struct {
	Name             opt[string]           `json:"name"`
	Description      opt[string]           `json:"description"`
	InstallmentCount opt[int]              `json:"installment_count"`
	BillingType      opt[string]           `json:"billing_type"`
	IntervalMonths   opt[int]              `json:"interval_months"`
	SplitRules       opt[[]ruleInput]      `json:"split_rules"`
	ChargeTerms      opt[chargeTermsInput] `json:"charge_terms"`
}

func templateRules(ctx context.Context, q *dbgen.Queries, accountID uuid.UUID, ids ...uuid.UUID) (map[uuid.UUID][]dbgen.TemplateSplitRule, error) {
	rows, err := q.ListTemplateSplitRules(ctx, dbgen.ListTemplateSplitRulesParams{AccountID: accountID, TemplateIds: ids})
	byTemplate := map[uuid.UUID][]dbgen.TemplateSplitRule{}
	for _, r := range rows {
		byTemplate[r.TemplateID] = append(byTemplate[r.TemplateID], r)
	}
	return byTemplate, err
}

func (s *Server) createTemplate(c *gin.Context) {
	var in templateInput
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	s.mutate(c, func(ctx context.Context, t *txn) (result, error) {
		var f fields
		interval := 1
		if in.IntervalMonths != nil {
			interval = f.intRange("interval_months", in.IntervalMonths, 1, domain.MaxIntervalMonths)
		}
		params := dbgen.CreateTemplateParams{
			AccountID:        t.actor.AccountID,
			Name:             f.text("name", in.Name, 200),
			Description:      f.optText("description", in.Description, 500),
			InstallmentCount: int32(f.intRange("installment_count", in.InstallmentCount, 1, domain.MaxInstallments)),
			BillingType:      f.oneOf("billing_type", in.BillingType, billingTypes...),
			IntervalMonths:   int32(interval),
		}
		rules, err := f.splitRules(ctx, t.Queries, t.actor.AccountID, in.SplitRules)
		if err != nil {
			return result{}, err
		}
		terms := f.chargeTerms(in.ChargeTerms)
		if err := f.err(); err != nil {
			return result{}, err
		}
		row, err := t.CreateTemplate(ctx, params)
		if err != nil {
			return result{}, err
		}
		if !terms.IsZero() {
			if row, err = setTemplateTerms(ctx, t, row.ID, terms); err != nil {
				return result{}, err
			}
		}
		if err := insertTemplateRules(ctx, t, row.ID, rules); err != nil {
			return result{}, err
		}
		stored, err := templateRules(ctx, t.Queries, t.actor.AccountID, row.ID)
		if err != nil {
			return result{}, err
		}
		return created(viewTemplate(row, stored[row.ID])), t.audit(ctx, "template.created", "template", row.ID, nil, nil)
	})
}

func (s *Server) listTemplates(c *gin.Context) {
	var f fields
	p := parsePage(c, &f)
	archived := archivedFilter(c, &f)
	if err := f.err(); err != nil {
		s.writeError(c, err)
		return
	}
	ctx, accountID := c.Request.Context(), actor(c).AccountID
	q := dbgen.New(s.deps.Pool)
	rows, err := q.ListTemplates(ctx, dbgen.ListTemplatesParams{
		AccountID: accountID, Search: optQuery(c, "q"), Archived: archived,
		AfterCreatedAt: p.afterCreatedAt, AfterID: p.afterID, RowLimit: p.fetch(),
	})
	if err != nil {
		s.writeError(c, err)
		return
	}
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	rules, err := templateRules(ctx, q, accountID, ids...)
	s.reply(c, ok(pageOf(p, rows, func(r dbgen.Template) (time.Time, uuid.UUID) { return r.CreatedAt, r.ID },
		func(r dbgen.Template) templateView { return viewTemplate(r, rules[r.ID]) })), err)
}

func (s *Server) getTemplate(c *gin.Context) {
	id, err := pathID(c, "id", "template")
	if err != nil {
		s.writeError(c, err)
		return
	}
	ctx, accountID := c.Request.Context(), actor(c).AccountID
	q := dbgen.New(s.deps.Pool)
	row, err := q.GetTemplate(ctx, dbgen.GetTemplateParams{AccountID: accountID, ID: id})
	if err != nil {
		s.writeError(c, notFoundIf(err, "template"))
		return
	}
	rules, err := templateRules(ctx, q, accountID, id)
	s.reply(c, ok(viewTemplate(row, rules[id])), err)
}

func (s *Server) updateTemplate(c *gin.Context) {
	id, err := pathID(c, "id", "template")
	if err != nil {
		s.writeError(c, err)
		return
	}
	var in templatePatch
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	s.mutate(c, func(ctx context.Context, t *txn) (result, error) {
		cur, err := t.GetTemplateForUpdate(ctx, dbgen.GetTemplateForUpdateParams{AccountID: t.actor.AccountID, ID: id})
		if err != nil {
			return result{}, notFoundIf(err, "template")
		}
		var f fields
		params := dbgen.UpdateTemplateParams{
			AccountID: cur.AccountID, ID: cur.ID,
			Name:             f.patchRequiredText("name", in.Name, 200, cur.Name),
			Description:      f.patchText("description", in.Description, 500, cur.Description),
			InstallmentCount: cur.InstallmentCount, BillingType: cur.BillingType, IntervalMonths: cur.IntervalMonths,
		}
		if n, set := patchInt(&f, "installment_count", in.InstallmentCount, 1, domain.MaxInstallments); set {
			params.InstallmentCount = int32(n)
		}
		if n, set := patchInt(&f, "interval_months", in.IntervalMonths, 1, domain.MaxIntervalMonths); set {
			params.IntervalMonths = int32(n)
		}
		if in.BillingType.Set {
			params.BillingType = f.oneOf("billing_type", in.BillingType.V, billingTypes...)
		}
		var rules []domain.SplitRule
		if in.SplitRules.Set {
			if rules, err = f.splitRules(ctx, t.Queries, t.actor.AccountID, in.SplitRules.V); err != nil {
				return result{}, err
			}
		}
		var terms domain.ChargeTerms
		if in.ChargeTerms.Set && !in.ChargeTerms.Null {
			terms = f.chargeTerms(&in.ChargeTerms.V)
		}
		if err := f.err(); err != nil {
			return result{}, err
		}
		row, err := t.UpdateTemplate(ctx, params)
		if err != nil {
			return result{}, err
		}
		if in.ChargeTerms.Set {
			if row, err = setTemplateTerms(ctx, t, row.ID, terms); err != nil {
				return result{}, err
			}
		}
		if in.SplitRules.Set {
			if err := t.DeleteTemplateSplitRules(ctx, dbgen.DeleteTemplateSplitRulesParams{AccountID: row.AccountID, TemplateID: row.ID}); err != nil {
				return result{}, err
			}
			if err := insertTemplateRules(ctx, t, row.ID, rules); err != nil {
				return result{}, err
			}
		}
		stored, err := templateRules(ctx, t.Queries, t.actor.AccountID, row.ID)
		if err != nil {
			return result{}, err
		}
		return ok(viewTemplate(row, stored[row.ID])), t.audit(ctx, "template.updated", "template", row.ID, nil, map[string]any{"fields": patchedFields(in)})
	})
}

// patchInt applies a PATCH to a required integer in [lo, hi]; null is refused.
func patchInt(f *fields, field string, o opt[int], lo, hi int) (int, bool) {
	if !o.Set {
		return 0, false
	}
	if o.Null {
		f.add(field, "must not be null")
		return 0, false
	}
	return f.intRange(field, &o.V, lo, hi), true
}
