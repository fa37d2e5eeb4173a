package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"billing/domain"
)

// Templates: the standard revenue split (release note step 3), edited rule by rule
// with a live preview of how an example payment is allocated. The preview is the
// API's (POST /v1/split-rules/preview: the same validation as a template and the
// allocation code of real payments).

type rule struct {
	Position   int     `json:"position"`
	Kind       string  `json:"kind"`
	PayeeID    *string `json:"payee_id"`
	Percent    *string `json:"percent"`
	Amount     *string `json:"amount"`
	ViaGateway bool    `json:"via_gateway"`
}

type splitTemplate struct {
	ID               string     `json:"id"`
	Name             string     `json:"name"`
	Description      *string    `json:"description"`
	InstallmentCount int        `json:"installment_count"`
	BillingType      string     `json:"billing_type"`
	IntervalMonths   int        `json:"interval_months"`
	SplitRules       []rule     `json:"split_rules"`
	ArchivedAt       *time.Time `json:"archived_at"`
}

// ruleRow is one row of the rule editor, as typed, with its errors.
type ruleRow struct {
	Kind, PayeeID, Percent, Amount string
	Errors                         map[string]string
}

type templateForm struct {
	ID           string
	Key          string
	Values       map[string]string
	Rows         []ruleRow
	RulesError   string
	Payees       []payee
	PayeeNames   map[string]string
	Preview      *splitPreview
	PreviewError *problem
	ExampleError map[string]string
}

type splitPreview struct {
	Amount    string `json:"amount"`
	NetAmount string `json:"net_amount"`
	FeeAmount string `json:"fee_amount"`
	Shortfall string `json:"shortfall"`
	Total     string `json:"total"`
	Entries   []struct {
		RulePosition *int    `json:"rule_position"`
		Kind         string  `json:"kind"`
		PayeeID      *string `json:"payee_id"`
		Amount       string  `json:"amount"`
		Status       string  `json:"status"`
	} `json:"entries"`
}

var templateFields = []string{"name", "description", "installment_count", "billing_type", "interval_months", "example_amount", "example_fee"}

const blankRuleRows = 2

// payeeChoices are the payees a rule may name (the first 200 active ones).
func (x *exchange) payeeChoices() ([]payee, map[string]string, error) {
	var page listPage[payee]
	if err := x.get("/v1/payees?limit=200", &page); err != nil {
		return nil, nil, err
	}
	names := map[string]string{}
	for _, p := range page.Data {
		names[p.ID] = p.Name
	}
	return page.Data, names, nil
}

func listTemplates(x *exchange) error {
	var page listPage[splitTemplate]
	if err := x.get("/v1/templates?"+x.query("q", "archived").Encode(), &page); err != nil {
		return err
	}
	x.render(http.StatusOK, "templates", &view{Title: "Templates", Nav: "templates", Data: map[string]any{
		"Templates": page.Data, "Next": x.nextURL(page.NextCursor), "Filters": x.filters()}})
	return nil
}

func newTemplate(x *exchange) error {
	f := &templateForm{Key: newKeyString(), Values: map[string]string{"installment_count": "12", "billing_type": "BOLETO",
		"interval_months": "1", "example_amount": "100,00", "example_fee": "1,99"}}
	f.Rows = append([]ruleRow{{Kind: "fee"}}, make([]ruleRow, blankRuleRows+1)...)
	return x.showTemplateForm(http.StatusOK, f, nil)
}

func editTemplate(x *exchange) error {
	var t splitTemplate
	if err := x.get("/v1/templates/"+url.PathEscape(x.r.PathValue("id")), &t); err != nil {
		return err
	}
	f := &templateForm{ID: t.ID, Values: map[string]string{"name": t.Name, "installment_count": strconv.Itoa(t.InstallmentCount),
		"billing_type": t.BillingType, "interval_months": strconv.Itoa(t.IntervalMonths), "example_amount": "100,00", "example_fee": "1,99"}}
	if t.Description != nil {
		f.Values["description"] = *t.Description
	}
	for _, r := range t.SplitRules {
		row := ruleRow{Kind: r.Kind}
		if r.PayeeID != nil {
			row.PayeeID = *r.PayeeID
		}
		if r.Percent != nil {
			row.Percent = percentInput(*r.Percent)
		}
		if r.Amount != nil {
			row.Amount = amountInput(*r.Amount)
		}
		f.Rows = append(f.Rows, row)
	}
	f.Rows = append(f.Rows, make([]ruleRow, blankRuleRows)...)
	return x.showTemplateForm(http.StatusOK, f, nil)
}

// showTemplateForm renders the editor, with the preview of its current rules.
func (x *exchange) showTemplateForm(status int, f *templateForm, p *problem) error {
	var err error
	if f.Payees, f.PayeeNames, err = x.payeeChoices(); err != nil {
		return err
	}
	if err := x.preview(f); err != nil {
		return err
	}
	title := "New template"
	if f.ID != "" {
		title = f.Values["name"]
	}
	x.render(status, "template", &view{Title: title, Nav: "templates", Data: f, Problem: p})
	return nil
}

// templateFormOf reads the posted editor: the fields, and the rule rows as typed.
func templateFormOf(r *http.Request) *templateForm {
	f := &templateForm{ID: r.PostFormValue("id"), Key: r.PostFormValue(idempotencyField), Values: formValues(r, templateFields)}
	kinds, payees, percents, amounts := r.PostForm["kind"], r.PostForm["payee_id"], r.PostForm["percent"], r.PostForm["amount"]
	at := func(list []string, i int) string {
		if i < len(list) {
			return strings.TrimSpace(list[i])
		}
		return ""
	}
	for i := range kinds {
		f.Rows = append(f.Rows, ruleRow{Kind: at(kinds, i), PayeeID: at(payees, i), Percent: at(percents, i), Amount: at(amounts, i)})
	}
	blank := 0
	for _, row := range f.Rows {
		if row.Kind == "" {
			blank++
		}
	}
	for ; blank < blankRuleRows; blank++ {
		f.Rows = append(f.Rows, ruleRow{})
	}
	return f
}

// rules is the split_rules the API takes, from the rows that name a kind; sent[i]
// is the row of rule i (to put the API's errors back on their rows).
func (f *templateForm) rules() (out []map[string]any, sent []int) {
	out = []map[string]any{}
	for i, row := range f.Rows {
		if row.Kind == "" {
			continue
		}
		r := map[string]any{"kind": row.Kind}
		if row.PayeeID != "" {
			r["payee_id"] = row.PayeeID
		}
		if row.Percent != "" {
			r["percent"] = parsePercentInput(row.Percent)
		}
		if row.Amount != "" {
			r["amount"] = parseAmountInput(row.Amount)
		}
		out = append(out, r)
		sent = append(sent, i)
	}
	return out, sent
}

// placeErrors puts a problem's split_rules[i].field errors on their rows.
func (f *templateForm) placeErrors(fields map[string]string, sent []int) {
	for field, msg := range fields {
		if field == "split_rules" {
			f.RulesError = msg
			continue
		}
		var i int
		var name string
		if n, _ := sscanRule(field, &i, &name); n && i >= 0 && i < len(sent) {
			row := &f.Rows[sent[i]]
			if row.Errors == nil {
				row.Errors = map[string]string{}
			}
			row.Errors[name] = msg
		}
	}
}

// sscanRule parses "split_rules[2].percent".
func sscanRule(field string, i *int, name *string) (bool, error) {
	rest, ok := strings.CutPrefix(field, "split_rules[")
	if !ok {
		return false, nil
	}
	num, after, ok := strings.Cut(rest, "].")
	if !ok {
		return false, nil
	}
	n, err := strconv.Atoi(num)
	if err != nil {
		return false, err
	}
	*i, *name = n, after
	return true, nil
}

// number sends an integer field as a number when it is one, or as typed for the
// API to refuse with its reason.
func number(v string) any {
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
		return n
	}
	return strings.TrimSpace(v)
}

func (f *templateForm) body() (map[string]any, []int) {
	rules, sent := f.rules()
	return map[string]any{
		"name": f.Values["name"], "description": optional(f.Values["description"]),
		"installment_count": number(f.Values["installment_count"]), "billing_type": f.Values["billing_type"],
		"interval_months": number(f.Values["interval_months"]), "split_rules": rules,
	}, sent
}

// preview asks the API to allocate the example payment among the form's rules.
func (x *exchange) preview(f *templateForm) error {
	rules, sent := f.rules()
	f.ExampleError = map[string]string{}
	amount := parseAmountInput(f.Values["example_amount"])
	body := map[string]any{"split_rules": rules, "amount": amount}
	if fee := strings.TrimSpace(f.Values["example_fee"]); fee != "" {
		gross, err1 := domain.ParseMoney(amount)
		cut, err2 := domain.ParseMoney(parseAmountInput(fee))
		switch {
		case err2 != nil:
			f.ExampleError["example_fee"] = "must be an amount like 1,99"
			return nil
		case err1 == nil && cut.GreaterThan(gross):
			f.ExampleError["example_fee"] = "must not be more than the payment"
			return nil
		case err1 == nil:
			body["net_amount"] = domain.FormatMoney(gross.Sub(cut))
		}
	}
	a, err := x.c.call(x.r, x.s, http.MethodPost, "/v1/split-rules/preview", body, "")
	if err != nil {
		return err
	}
	if a.ok() {
		f.Preview = &splitPreview{}
		return a.decode(f.Preview)
	}
	if a.Status != http.StatusUnprocessableEntity || a.Problem == nil {
		return a.failure()
	}
	f.PreviewError = a.Problem
	fields := a.Problem.fields()
	if msg, ok := fields["amount"]; ok {
		f.ExampleError["example_amount"] = msg
	}
	if msg, ok := fields["net_amount"]; ok {
		f.ExampleError["example_fee"] = msg
	}
	f.placeErrors(fields, sent)
	return nil
}

func previewTemplate(x *exchange) error {
	return x.showTemplateForm(http.StatusOK, templateFormOf(x.r), nil)
}

func createTemplate(x *exchange) error {
	f := templateFormOf(x.r)
	body, sent := f.body()
	a, err := x.send(http.MethodPost, "/v1/templates", body)
	if err != nil {
		return err
	}
	return x.templateSaved(a, f, sent, "template-created")
}

func updateTemplate(x *exchange) error {
	f := templateFormOf(x.r)
	f.ID = x.r.PathValue("id")
	body, sent := f.body()
	a, err := x.send(http.MethodPatch, "/v1/templates/"+url.PathEscape(f.ID), body)
	if err != nil {
		return err
	}
	return x.templateSaved(a, f, sent, "template-saved")
}

func (x *exchange) templateSaved(a *answer, f *templateForm, sent []int, flash string) error {
	if a.ok() {
		x.redirect("/console/templates", flash)
		return nil
	}
	if a.Problem == nil || (a.Status != http.StatusUnprocessableEntity && a.Status != http.StatusBadRequest) {
		return a.failure()
	}
	f.placeErrors(a.Problem.fields(), sent)
	if err := x.showTemplateForm(a.Status, f, a.Problem); err != nil {
		return err
	}
	return nil
}
