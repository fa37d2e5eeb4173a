package console

import (
	"net/http"
	"net/url"
	"strconv"
)

// Mark as paid and Cancel: contract actions the API runs as Updates of the contract
// workflow. The form's idempotency key is the request's Idempotency-Key, so it is
// also the Update ID: a form sent twice records one payment.

type installmentPage struct {
	*contractPage
	In     installment
	Pay    *payBox
	Values map[string]string
	Key    string
	Change installmentForms
}

func (x *exchange) installmentPage() (*installmentPage, error) {
	p, err := x.contractPage(x.r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	n, err := strconv.Atoi(x.r.PathValue("n"))
	if err != nil || n < 1 || n > len(p.C.Installments) {
		return nil, &problem{Status: http.StatusNotFound, Title: "Not found", Detail: "installment was not found."}
	}
	ip := &installmentPage{contractPage: p, In: p.C.Installments[n-1], Key: newKeyString(),
		Values: map[string]string{"amount": amountInput(p.C.Installments[n-1].Value), "paid_on": todayBR()},
		Change: newInstallmentForms()}
	return ip, nil
}

func showInstallment(x *exchange) error {
	p, err := x.installmentPage()
	if err != nil {
		return err
	}
	x.renderInstallment(http.StatusOK, p, nil)
	return nil
}

// renderInstallment shows the installment page; p carries a refused form's
// values and errors (Change), problem the API's answer to it.
func (x *exchange) renderInstallment(status int, p *installmentPage, problem *problem) {
	if p.In.LiveCharge() {
		c := p.C
		c.Installments = []installment{p.In}
		p.Pay = x.payBox(c)
	}
	// Fields stay empty: the page has two forms with a due_date, so each form's
	// errors travel in p.Change, under the form they belong to.
	x.render(status, "installment", &view{Title: "Installment " + strconv.Itoa(p.In.Number), Nav: "contracts", Data: p,
		Problem: problem, Fields: map[string]string{}})
}

func markPaidForm(x *exchange) error {
	p, err := x.installmentPage()
	if err != nil {
		return err
	}
	x.render(http.StatusOK, "mark_paid", &view{Title: "Mark as paid", Nav: "contracts", Data: p})
	return nil
}

func markPaid(x *exchange) error {
	id, n := x.r.PathValue("id"), x.r.PathValue("n")
	values := formValues(x.r, []string{"amount", "paid_on", "allow_difference"})
	a, err := x.send(http.MethodPost, "/v1/contracts/"+url.PathEscape(id)+"/installments/"+url.PathEscape(n)+"/mark-paid",
		map[string]any{"amount": parseAmountInput(values["amount"]), "paid_on": parseDateInput(values["paid_on"]),
			"allow_difference": values["allow_difference"] == "true"})
	if err != nil {
		return err
	}
	switch {
	case a.Status == http.StatusAccepted:
		x.redirect("/console/contracts/"+url.PathEscape(id), "mark-paid-running")
		return nil
	case a.ok():
		x.redirect("/console/contracts/"+url.PathEscape(id), "marked-paid")
		return nil
	case a.Problem == nil || a.Status == http.StatusNotFound || a.Status == http.StatusUnauthorized || a.Status >= 500 && a.Status != http.StatusServiceUnavailable:
		return a.failure()
	}
	p, err := x.installmentPage()
	if err != nil {
		return err
	}
	p.Values, p.Key = values, x.r.PostFormValue(idempotencyField)
	x.render(a.Status, "mark_paid", &view{Title: "Mark as paid", Nav: "contracts", Data: p, Problem: a.Problem})
	return nil
}

func cancelForm(x *exchange) error {
	p, err := x.contractPage(x.r.PathValue("id"))
	if err != nil {
		return err
	}
	x.render(http.StatusOK, "cancel", &view{Title: "Cancel contract", Nav: "contracts", Data: map[string]any{
		"P": p, "Key": newKeyString(), "Reason": ""}})
	return nil
}

func cancelContract(x *exchange) error {
	id := x.r.PathValue("id")
	reason := x.r.PostFormValue("reason")
	a, err := x.send(http.MethodPost, "/v1/contracts/"+url.PathEscape(id)+"/cancel", map[string]any{"reason": reason})
	if err != nil {
		return err
	}
	switch {
	case a.Status == http.StatusAccepted:
		x.redirect("/console/contracts/"+url.PathEscape(id), "cancel-running")
		return nil
	case a.ok():
		x.redirect("/console/contracts/"+url.PathEscape(id), "cancelled")
		return nil
	case a.Problem == nil || a.Status == http.StatusNotFound || a.Status == http.StatusUnauthorized || a.Status >= 500 && a.Status != http.StatusServiceUnavailable:
		return a.failure()
	}
	p, err := x.contractPage(id)
	if err != nil {
		return err
	}
	x.render(a.Status, "cancel", &view{Title: "Cancel contract", Nav: "contracts", Problem: a.Problem, Data: map[string]any{
		"P": p, "Key": x.r.PostFormValue(idempotencyField), "Reason": reason}})
	return nil
}
