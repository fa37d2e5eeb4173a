package console

import (
	"net/http"
	"net/url"
	"strings"
)

// Changes to an installment still owed, as the API runs them (updates of the
// contract workflow, like Mark as paid): a new due date and/or value (PATCH
// /v1/contracts/{id}/installments/{n}) and Re-issue charge (POST .../reissue) for
// one whose charge was deleted at Asaas or expired. The form's idempotency key is
// the request's Idempotency-Key, so a form sent twice changes the installment once.

// installmentForms are the change and re-issue forms of the installment page: what
// was typed, the key each form sends, and the API's errors of the one it refused.
type installmentForms struct {
	Values      map[string]string // due_date, value, reissue_due_date
	ChangeKey   string
	ReissueKey  string
	ChangeErrs  map[string]string
	ReissueErrs map[string]string
}

func newInstallmentForms() installmentForms {
	return installmentForms{Values: map[string]string{}, ChangeKey: newKeyString(), ReissueKey: newKeyString(),
		ChangeErrs: map[string]string{}, ReissueErrs: map[string]string{}}
}

// changeBody is the PATCH body: a blank field is left out (unchanged).
func changeBody(values map[string]string) map[string]any {
	body := map[string]any{}
	if v := strings.TrimSpace(values["due_date"]); v != "" {
		body["due_date"] = parseDateInput(v)
	}
	if v := strings.TrimSpace(values["value"]); v != "" {
		body["value"] = parseAmountInput(v)
	}
	return body
}

func changeInstallment(x *exchange) error {
	values := formValues(x.r, []string{"due_date", "value"})
	a, err := x.send(http.MethodPatch, x.installmentAPIPath(), changeBody(values))
	if err != nil {
		return err
	}
	if done, err := x.installmentActionDone(a, "installment-changed"); done || err != nil {
		return err
	}
	p, err := x.installmentPage()
	if err != nil {
		return err
	}
	p.Change.Values, p.Change.ChangeKey, p.Change.ChangeErrs = values, x.r.PostFormValue(idempotencyField), a.Problem.fields()
	x.renderInstallment(a.Status, p, a.Problem)
	return nil
}

func reissueCharge(x *exchange) error {
	due := x.r.PostFormValue("reissue_due_date")
	body := map[string]any{}
	if strings.TrimSpace(due) != "" {
		body["due_date"] = parseDateInput(due)
	}
	a, err := x.send(http.MethodPost, x.installmentAPIPath()+"/reissue", body)
	if err != nil {
		return err
	}
	if done, err := x.installmentActionDone(a, "charge-reissued"); done || err != nil {
		return err
	}
	p, err := x.installmentPage()
	if err != nil {
		return err
	}
	p.Change.Values["reissue_due_date"], p.Change.ReissueKey, p.Change.ReissueErrs = due, x.r.PostFormValue(idempotencyField), a.Problem.fields()
	x.renderInstallment(a.Status, p, a.Problem)
	return nil
}

func (x *exchange) installmentAPIPath() string {
	return "/v1/contracts/" + url.PathEscape(x.r.PathValue("id")) + "/installments/" + url.PathEscape(x.r.PathValue("n"))
}

// installmentActionDone answers a change or re-issue the API took (redirect to the
// installment page, flash: its confirmation; 202: still running) or could not
// (error page). false, nil: a refusal for the form to show (422, 409, 503).
func (x *exchange) installmentActionDone(a *answer, flash string) (bool, error) {
	page := "/console/contracts/" + url.PathEscape(x.r.PathValue("id")) + "/installments/" + url.PathEscape(x.r.PathValue("n"))
	switch {
	case a.Status == http.StatusAccepted:
		x.redirect(page, "change-running")
		return true, nil
	case a.ok():
		var res struct {
			Change *struct {
				How string `json:"how"`
			} `json:"change"`
		}
		if err := a.decode(&res); err != nil {
			return true, err
		}
		if flash == "installment-changed" && res.Change != nil && res.Change.How == "reissued" {
			flash = "installment-changed-reissued"
		}
		x.redirect(page, flash)
		return true, nil
	case a.Problem == nil || a.Status == http.StatusNotFound || a.Status == http.StatusUnauthorized || a.Status >= 500 && a.Status != http.StatusServiceUnavailable:
		return true, a.failure()
	}
	return false, nil
}
