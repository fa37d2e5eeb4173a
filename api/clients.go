package api

import (
	"context"
	"strings"
	"time"

	"billing/db/dbgen"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
)

type clientView struct {
	ID              uuid.UUID  `json:"id"`
	Name            string     `json:"name"`
	CpfCnpj         string     `json:"cpf_cnpj"`
	Email           *string    `json:"email"`
	Phone           *string    `json:"phone"`
	AsaasCustomerID *string    `json:"asaas_customer_id"`
	ArchivedAt      *time.Time `json:"archived_at"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

func viewClient(c dbgen.Client) clientView {
	return clientView{c.ID, c.Name, c.CpfCnpj, c.Email, c.Phone, c.AsaasCustomerID, c.ArchivedAt, c.CreatedAt, c.UpdatedAt}
}

type clientInput struct {
	Name    string  `json:"name"`
	CpfCnpj string  `json:"cpf_cnpj"`
	Email   *string `json:"email"`
	Phone   *string `json:"phone"`
}

type clientPatch struct {
	Name    opt[string] `json:"name"`
	CpfCnpj opt[string] `json:"cpf_cnpj"`
	Email   opt[string] `json:"email"`
	Phone   opt[string] `json:"phone"`
}

// clientContact validates the optional email and phone (phone stored as digits).
func (f *fields) clientContact(email, phone *string) (*string, *string) {
	if email = f.optText("email", email, 320); email != nil {
		if e := strings.ToLower(*email); validEmail(e) {
			email = &e
		} else {
			f.add("email", "must be a valid email address")
		}
	}
	if phone = f.optText("phone", phone, 30); phone != nil {
		if d, ok := phoneDigits(*phone); ok {
			phone = &d
		} else {
			f.add("phone", "must be a Brazilian phone number with area code, like (11) 98765-4321")
		}
	}
	return email, phone
}

func (s *Server) createClient(c *gin.Context) {
	var in clientInput
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	var f fields
	params := dbgen.CreateClientParams{
		AccountID: actor(c).AccountID,
		Name:      f.text("name", in.Name, 200),
		CpfCnpj:   f.document("cpf_cnpj", in.CpfCnpj, ""),
	}
	params.Email, params.Phone = f.clientContact(in.Email, in.Phone)
	if err := f.err(); err != nil {
		s.writeError(c, err)
		return
	}
	s.mutate(c, func(ctx context.Context, t *txn) (result, error) {
		row, err := t.CreateClient(ctx, params)
		if err != nil {
			return result{}, err
		}
		return created(viewClient(row)), t.audit(ctx, "client.created", "client", row.ID, nil, nil)
	})
}

func (s *Server) listClients(c *gin.Context) {
	var f fields
	p := parsePage(c, &f)
	archived := archivedFilter(c, &f)
	if err := f.err(); err != nil {
		s.writeError(c, err)
		return
	}
	rows, err := dbgen.New(s.deps.Pool).ListClients(c.Request.Context(), dbgen.ListClientsParams{
		AccountID: actor(c).AccountID, Search: optQuery(c, "q"), Archived: archived,
		AfterCreatedAt: p.afterCreatedAt, AfterID: p.afterID, RowLimit: p.fetch(),
	})
	s.reply(c, ok(pageOf(p, rows, func(r dbgen.Client) (time.Time, uuid.UUID) { return r.CreatedAt, r.ID }, viewClient)), err)
}

func (s *Server) getClient(c *gin.Context) {
	id, err := pathID(c, "id", "client")
	if err != nil {
		s.writeError(c, err)
		return
	}
	row, err := dbgen.New(s.deps.Pool).GetClient(c.Request.Context(), dbgen.GetClientParams{AccountID: actor(c).AccountID, ID: id})
	s.reply(c, ok(viewClient(row)), notFoundIf(err, "client"))
}

func (s *Server) updateClient(c *gin.Context) {
	id, err := pathID(c, "id", "client")
	if err != nil {
		s.writeError(c, err)
		return
	}
	var in clientPatch
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	s.mutate(c, func(ctx context.Context, t *txn) (result, error) {
		cur, err := t.GetClientForUpdate(ctx, dbgen.GetClientForUpdateParams{AccountID: t.actor.AccountID, ID: id})
		if err != nil {
			return result{}, notFoundIf(err, "client")
		}
		var f fields
		params := dbgen.UpdateClientParams{
			AccountID: cur.AccountID, ID: cur.ID,
			Name:    f.patchRequiredText("name", in.Name, 200, cur.Name),
			CpfCnpj: cur.CpfCnpj,
		}
		if in.CpfCnpj.Set {
			params.CpfCnpj = f.document("cpf_cnpj", in.CpfCnpj.V, "")
		}
		email, phone := cur.Email, cur.Phone
		if in.Email.Set {
			email = optOf(in.Email)
		}
		if in.Phone.Set {
			phone = optOf(in.Phone)
		}
		params.Email, params.Phone = f.clientContact(email, phone)
		if err := f.err(); err != nil {
			return result{}, err
		}
		row, err := t.UpdateClient(ctx, params)
		if err != nil {
			return result{}, err
		}
		return ok(viewClient(row)), t.audit(ctx, "client.updated", "client", row.ID, nil, map[string]any{"fields": patchedFields(in)})
	})
}
