package console

import (
	"net/http"
	"net/url"
	"time"
)

// Clients: who the contracts bill (synced to an Asaas customer at activation).

type client struct {
	ID              string     `json:"id"`
	Name            string     `json:"name"`
	CpfCnpj         string     `json:"cpf_cnpj"`
	Email           *string    `json:"email"`
	Phone           *string    `json:"phone"`
	AsaasCustomerID *string    `json:"asaas_customer_id"`
	ArchivedAt      *time.Time `json:"archived_at"`
}

var clientFields = []string{"name", "cpf_cnpj", "email", "phone"}

type clientForm struct {
	ID     string
	Values map[string]string
	Key    string
	Next   string // "contract": back to a new contract for this client
}

func clientBody(v map[string]string) map[string]any {
	return map[string]any{"name": v["name"], "cpf_cnpj": v["cpf_cnpj"], "email": optional(v["email"]), "phone": optional(v["phone"])}
}

func listClients(x *exchange) error {
	var page listPage[client]
	if err := x.get("/v1/clients?"+x.query("q", "archived").Encode(), &page); err != nil {
		return err
	}
	x.render(http.StatusOK, "clients", &view{Title: "Clients", Nav: "clients", Data: map[string]any{
		"Clients": page.Data, "Next": x.nextURL(page.NextCursor), "Filters": x.filters()}})
	return nil
}

func newClient(x *exchange) error {
	x.render(http.StatusOK, "client", &view{Title: "New client", Nav: "clients", Data: clientForm{Values: map[string]string{}, Next: x.r.URL.Query().Get("next")}})
	return nil
}

func editClient(x *exchange) error {
	var c client
	if err := x.get("/v1/clients/"+url.PathEscape(x.r.PathValue("id")), &c); err != nil {
		return err
	}
	s := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	x.render(http.StatusOK, "client", &view{Title: c.Name, Nav: "clients", Data: clientForm{ID: c.ID,
		Values: map[string]string{"name": c.Name, "cpf_cnpj": c.CpfCnpj, "email": s(c.Email), "phone": s(c.Phone)}}})
	return nil
}

func createClient(x *exchange) error {
	v := formValues(x.r, clientFields)
	a, err := x.send(http.MethodPost, "/v1/clients", clientBody(v))
	if err != nil {
		return err
	}
	if a.ok() {
		if next := x.r.PostFormValue("next"); next == "contract" {
			var c client
			if err := a.decode(&c); err != nil {
				return err
			}
			x.redirect("/console/contracts/new?client_id="+url.QueryEscape(c.ID), "client-created")
			return nil
		}
		x.redirect("/console/clients", "client-created")
		return nil
	}
	return x.refused(a, "client", &view{Title: "New client", Nav: "clients", Data: clientForm{Values: v, Key: x.r.PostFormValue(idempotencyField), Next: x.r.PostFormValue("next")}})
}

func updateClient(x *exchange) error {
	id := x.r.PathValue("id")
	v := formValues(x.r, clientFields)
	a, err := x.send(http.MethodPatch, "/v1/clients/"+url.PathEscape(id), clientBody(v))
	if err != nil {
		return err
	}
	if a.ok() {
		x.redirect("/console/clients", "client-saved")
		return nil
	}
	return x.refused(a, "client", &view{Title: "Edit client", Nav: "clients", Data: clientForm{ID: id, Values: v}})
}
