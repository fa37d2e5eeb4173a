package console

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"billing/domain"
)

// Contracts: the list with its filters, and a new contract generated from a
// template (release note step 4) with its schedule shown before saving.

type contract struct {
	ID               string      `json:"id"`
	ClientID         string      `json:"client_id"`
	TemplateID       *string     `json:"template_id"`
	Description      *string     `json:"description"`
	BillingType      string      `json:"billing_type"`
	TotalAmount      string      `json:"total_amount"`
	InstallmentCount int         `json:"installment_count"`
	IntervalMonths   int         `json:"interval_months"`
	FirstDueDate     string      `json:"first_due_date"`
	Status           string      `json:"status"`
	WorkflowID       *string     `json:"workflow_id"`
	LastError        *string     `json:"last_error"`
	CreatedBy        string      `json:"created_by"`
	ActivatedAt      *time.Time  `json:"activated_at"`
	CompletedAt      *time.Time  `json:"completed_at"`
	CancelledAt      *time.Time  `json:"cancelled_at"`
	CancelReason     *string     `json:"cancel_reason"`
	ChargeTerms      chargeTerms `json:"charge_terms"`
	CreatedAt        time.Time   `json:"created_at"`
}

// clientNames maps the clients of some contracts to their names (one API read each).
func (x *exchange) clientNames(ids ...string) (map[string]string, error) {
	names := map[string]string{}
	for _, id := range ids {
		if _, done := names[id]; done || id == "" {
			continue
		}
		var c client
		if err := x.get("/v1/clients/"+url.PathEscape(id), &c); err != nil {
			return nil, err
		}
		names[id] = c.Name
	}
	return names, nil
}

func (x *exchange) clientChoices() ([]client, error) {
	var page listPage[client]
	err := x.get("/v1/clients?limit=200", &page)
	return page.Data, err
}

func listContracts(x *exchange) error {
	q := x.query("status", "client_id")
	for _, name := range []string{"due_from", "due_to"} {
		if v := strings.TrimSpace(x.r.URL.Query().Get(name)); v != "" {
			q.Set(name, parseDateInput(v))
		}
	}
	var page listPage[contract]
	v := &view{Title: "Contracts", Nav: "contracts"}
	if err := x.getFiltered("/v1/contracts?"+q.Encode(), v, &page); err != nil {
		return err
	}
	ids := make([]string, len(page.Data))
	for i, c := range page.Data {
		ids[i] = c.ClientID
	}
	names, err := x.clientNames(ids...)
	if err != nil {
		return err
	}
	clients, err := x.clientChoices()
	if err != nil {
		return err
	}
	v.Data = map[string]any{"Contracts": page.Data, "Names": names, "Clients": clients, "Filters": x.filters(),
		"Next": x.nextURL(page.NextCursor)}
	x.render(http.StatusOK, "contracts", v)
	return nil
}

// contractForm is "new contract from a template".
type contractForm struct {
	Key       string
	Values    map[string]string
	Templates []splitTemplate
	Clients   []client
	Template  *splitTemplate
	Schedule  []domain.ScheduledInstallment
	Total     string
}

var contractFields = []string{"template_id", "client_id", "total_amount", "first_due_date", "description"}

func newContract(x *exchange) error {
	f := &contractForm{Key: newKeyString(), Values: map[string]string{
		"template_id": x.r.URL.Query().Get("template_id"), "client_id": x.r.URL.Query().Get("client_id")}}
	return x.showContractForm(http.StatusOK, f, nil)
}

func previewContract(x *exchange) error {
	f := &contractForm{Key: x.r.PostFormValue(idempotencyField), Values: formValues(x.r, contractFields)}
	return x.showContractForm(http.StatusOK, f, nil)
}

// showContractForm renders the form with the schedule the values give: the
// template's installment count and interval, the total split with the rounding on
// the last installment (domain.Schedule, what the API does on save).
func (x *exchange) showContractForm(status int, f *contractForm, p *problem) error {
	var templates listPage[splitTemplate]
	if err := x.get("/v1/templates?limit=200", &templates); err != nil {
		return err
	}
	f.Templates = templates.Data
	var err error
	if f.Clients, err = x.clientChoices(); err != nil {
		return err
	}
	for i := range f.Templates {
		if f.Templates[i].ID == f.Values["template_id"] {
			f.Template = &f.Templates[i]
		}
	}
	total, errTotal := domain.ParseMoney(parseAmountInput(f.Values["total_amount"]))
	first, errFirst := time.Parse(time.DateOnly, parseDateInput(f.Values["first_due_date"]))
	if f.Template != nil && errTotal == nil && errFirst == nil && total.IsPositive() {
		if items, err := domain.Schedule(total, f.Template.InstallmentCount, first, f.Template.IntervalMonths); err == nil {
			f.Schedule, f.Total = items, domain.FormatMoney(total)
		}
	}
	x.render(status, "contract_new", &view{Title: "New contract", Nav: "contracts", Data: f, Problem: p})
	return nil
}

func createContract(x *exchange) error {
	f := &contractForm{Key: x.r.PostFormValue(idempotencyField), Values: formValues(x.r, contractFields)}
	body := map[string]any{
		"template_id": f.Values["template_id"], "client_id": f.Values["client_id"],
		"total_amount": parseAmountInput(f.Values["total_amount"]), "first_due_date": parseDateInput(f.Values["first_due_date"]),
		"description": optional(f.Values["description"]),
	}
	a, err := x.send(http.MethodPost, "/v1/contracts", body)
	if err != nil {
		return err
	}
	if a.ok() {
		var c contract
		if err := a.decode(&c); err != nil {
			return err
		}
		x.redirect("/console/contracts/"+c.ID, "contract-created")
		return nil
	}
	if a.Problem == nil || (a.Status != http.StatusUnprocessableEntity && a.Status != http.StatusBadRequest) {
		return a.failure()
	}
	return x.showContractForm(a.Status, f, a.Problem)
}
