package console

import (
	"net/http"
	"net/url"
	"time"
)

// Payees: who receives the splits (release note step 2), with their type and
// transfer details.

type payee struct {
	ID            string     `json:"id"`
	Name          string     `json:"name"`
	PersonType    string     `json:"person_type"`
	CpfCnpj       string     `json:"cpf_cnpj"`
	AsaasWalletID *string    `json:"asaas_wallet_id"`
	PixKey        *string    `json:"pix_key"`
	PixKeyType    *string    `json:"pix_key_type"`
	BankCode      *string    `json:"bank_code"`
	Agency        *string    `json:"agency"`
	Account       *string    `json:"account"`
	AccountDigit  *string    `json:"account_digit"`
	AccountType   *string    `json:"account_type"`
	ArchivedAt    *time.Time `json:"archived_at"`
}

var payeeFields = []string{"name", "person_type", "cpf_cnpj", "asaas_wallet_id", "pix_key", "pix_key_type",
	"bank_code", "agency", "account", "account_digit", "account_type"}

type payeeForm struct {
	ID     string // "" for a new payee
	Values map[string]string
	Key    string // the form's idempotency key
	Payee  *payee
}

func (p *payee) values() map[string]string {
	s := func(v *string) string {
		if v == nil {
			return ""
		}
		return *v
	}
	return map[string]string{"name": p.Name, "person_type": p.PersonType, "cpf_cnpj": p.CpfCnpj,
		"asaas_wallet_id": s(p.AsaasWalletID), "pix_key": s(p.PixKey), "pix_key_type": s(p.PixKeyType),
		"bank_code": s(p.BankCode), "agency": s(p.Agency), "account": s(p.Account), "account_digit": s(p.AccountDigit),
		"account_type": s(p.AccountType)}
}

func formValues(r *http.Request, names []string) map[string]string {
	out := map[string]string{}
	for _, n := range names {
		out[n] = r.PostFormValue(n)
	}
	return out
}

// payeeBody is the JSON the API takes: blank optional fields are null (on an edit,
// null clears them).
func payeeBody(v map[string]string) map[string]any {
	body := map[string]any{}
	for _, n := range payeeFields {
		switch n {
		case "name", "person_type", "cpf_cnpj":
			body[n] = v[n]
		default:
			body[n] = optional(v[n])
		}
	}
	return body
}

func listPayees(x *exchange) error {
	var page listPage[payee]
	if err := x.get("/v1/payees?"+x.query("q", "archived").Encode(), &page); err != nil {
		return err
	}
	x.render(http.StatusOK, "payees", &view{Title: "Payees", Nav: "payees", Data: map[string]any{
		"Payees": page.Data, "Next": x.nextURL(page.NextCursor), "Filters": x.filters()}})
	return nil
}

func newPayee(x *exchange) error {
	x.render(http.StatusOK, "payee", &view{Title: "New payee", Nav: "payees", Data: payeeForm{
		Values: map[string]string{"person_type": "person"}, Key: newKeyString()}})
	return nil
}

func editPayee(x *exchange) error {
	var p payee
	if err := x.get("/v1/payees/"+url.PathEscape(x.r.PathValue("id")), &p); err != nil {
		return err
	}
	x.render(http.StatusOK, "payee", &view{Title: p.Name, Nav: "payees", Data: payeeForm{ID: p.ID, Values: p.values(), Payee: &p}})
	return nil
}

func createPayee(x *exchange) error {
	v := formValues(x.r, payeeFields)
	a, err := x.send(http.MethodPost, "/v1/payees", payeeBody(v))
	if err != nil {
		return err
	}
	if a.ok() {
		x.redirect("/console/payees", "payee-created")
		return nil
	}
	return x.refused(a, "payee", &view{Title: "New payee", Nav: "payees", Data: payeeForm{Values: v, Key: x.r.PostFormValue(idempotencyField)}})
}

func updatePayee(x *exchange) error {
	id := x.r.PathValue("id")
	v := formValues(x.r, payeeFields)
	a, err := x.send(http.MethodPatch, "/v1/payees/"+url.PathEscape(id), payeeBody(v))
	if err != nil {
		return err
	}
	if a.ok() {
		x.redirect("/console/payees", "payee-saved")
		return nil
	}
	return x.refused(a, "payee", &view{Title: "Edit payee", Nav: "payees", Data: payeeForm{ID: id, Values: v}})
}

// refused re-renders a form with the API's problem (422 field errors, 409); any
// other refusal (404, 401, 5xx) is the error page.
func (x *exchange) refused(a *answer, page string, v *view) error {
	if a.Problem == nil || (a.Status != http.StatusUnprocessableEntity && a.Status != http.StatusConflict && a.Status != http.StatusBadRequest) {
		return a.failure()
	}
	v.Problem = a.Problem
	x.render(a.Status, page, v)
	return nil
}

// archiver deletes (or archives, when referenced) a payee, client or template.
func archiver(resource, flash string) handlerFunc {
	return func(x *exchange) error {
		a, err := x.send(http.MethodDelete, "/v1/"+resource+"/"+url.PathEscape(x.r.PathValue("id")), nil)
		if err != nil {
			return err
		}
		if !a.ok() {
			return a.failure()
		}
		x.redirect("/console/"+resource, flash)
		return nil
	}
}
