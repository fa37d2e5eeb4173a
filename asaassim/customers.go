package asaassim

import (
	"net/http"
	"net/mail"
	"time"
)

type customer struct {
	id          string
	acct        *account
	dateCreated time.Time
	name        string
	cpfCnpj     string
	deleted     bool
	// Optional text fields, rendered as null when unset (FACTS: "Customer: every
	// unset field returned as null").
	email, company, phone, mobilePhone, address, addressNumber, complement, province,
	postalCode, additionalEmails, externalReference, observations, municipalInscription,
	stateInscription *string
	notificationDisabled bool
}

// render follows the captured key order of POST /v3/customers.
func (c *customer) render() obj {
	return obj{
		{"object", "customer"},
		{"id", c.id},
		{"dateCreated", fmtDate(c.dateCreated)},
		{"name", c.name},
		{"email", c.email},
		{"company", c.company},
		{"phone", c.phone},
		{"mobilePhone", c.mobilePhone},
		{"address", c.address},
		{"addressNumber", c.addressNumber},
		{"complement", c.complement},
		{"province", c.province},
		{"postalCode", c.postalCode},
		{"cpfCnpj", strOrNil(c.cpfCnpj)},
		{"personType", personType(c.cpfCnpj)},
		{"deleted", c.deleted},
		{"additionalEmails", c.additionalEmails},
		{"externalReference", c.externalReference},
		{"notificationDisabled", c.notificationDisabled},
		{"observations", c.observations},
		{"municipalInscription", c.municipalInscription},
		{"stateInscription", c.stateInscription},
		{"canDelete", true},
		{"cannotBeDeletedReason", nil},
		{"canEdit", true},
		{"cannotEditReason", nil},
		{"city", nil},
		{"cityName", nil},
		{"state", nil},
		{"country", "Brasil"},
	}
}

// createCustomer: POST /v3/customers. Only the invalid CPF error is captured
// (code invalid_object); the other codes and texts are invented in the same
// style. cpfCnpj is not unique (FACTS).
func (s *Server) createCustomer(a *account, r *http.Request) (any, *Error) {
	b, err := readBody(r)
	if err != nil {
		return nil, err
	}
	name, _, ok := b.str("name")
	if !ok || name == "" {
		return nil, badRequest("invalid_name", "O nome do cliente deve ser informado.")
	}
	c := &customer{acct: a, name: name}
	doc, present, ok := b.str("cpfCnpj")
	if !ok || (present && !validDocument(normalizeDocument(doc))) {
		return nil, badRequest("invalid_object", "O CPF/CNPJ informado é inválido.")
	}
	c.cpfCnpj = normalizeDocument(doc)
	fields := []struct {
		key string
		dst **string
	}{
		{"email", &c.email}, {"company", &c.company}, {"phone", &c.phone}, {"mobilePhone", &c.mobilePhone},
		{"address", &c.address}, {"addressNumber", &c.addressNumber}, {"complement", &c.complement},
		{"province", &c.province}, {"postalCode", &c.postalCode}, {"additionalEmails", &c.additionalEmails},
		{"externalReference", &c.externalReference}, {"observations", &c.observations},
		{"municipalInscription", &c.municipalInscription}, {"stateInscription", &c.stateInscription},
	}
	for _, f := range fields {
		v, ok := b.optStr(f.key)
		if !ok {
			return nil, badRequest("invalid_"+f.key, "O campo "+f.key+" é inválido.")
		}
		*f.dst = v
	}
	if c.email != nil {
		if _, err := mail.ParseAddress(*c.email); err != nil {
			return nil, badRequest("invalid_email", "O email informado é inválido.")
		}
	}
	if c.mobilePhone != nil && !validMobilePhone(*c.mobilePhone) {
		return nil, badRequest("invalid_mobilePhone", "O celular informado é inválido.")
	}
	if c.postalCode != nil && len(onlyDigits(*c.postalCode)) != 8 {
		return nil, badRequest("invalid_postalCode", "O CEP informado é inválido.")
	}
	nd, _, ok := b.boolean("notificationDisabled")
	if !ok {
		return nil, badRequest("invalid_notificationDisabled", "O campo notificationDisabled é inválido.")
	}
	c.notificationDisabled = nd

	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.customerSeq++
	c.id = "cus_" + pad(s.st.customerSeq, 12)
	c.dateCreated = s.today()
	s.st.customers[c.id] = c
	a.customers = append(a.customers, c)
	if c.externalReference != nil {
		a.custByExt[*c.externalReference] = append(a.custByExt[*c.externalReference], c)
	}
	if c.cpfCnpj != "" {
		a.custByDoc[c.cpfCnpj] = append(a.custByDoc[c.cpfCnpj], c)
	}
	return c.render(), nil
}

func (s *Server) getCustomer(a *account, r *http.Request) (any, *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.st.customers[r.PathValue("id")]
	if c == nil || c.acct != a {
		return nil, notFound("Cliente")
	}
	return c.render(), nil
}

// listCustomers: GET /v3/customers with externalReference, cpfCnpj, name and
// email filters; indexed by externalReference and cpfCnpj.
func (s *Server) listCustomers(a *account, r *http.Request) (any, *Error) {
	q := r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	items := a.customers
	ext, doc := q.Get("externalReference"), normalizeDocument(q.Get("cpfCnpj"))
	switch {
	case ext != "":
		items = a.custByExt[ext]
	case doc != "":
		items = a.custByDoc[doc]
	}
	name, email := q.Get("name"), q.Get("email")
	match := func(c *customer) bool {
		return !c.deleted &&
			(ext == "" || (c.externalReference != nil && *c.externalReference == ext)) &&
			(doc == "" || c.cpfCnpj == doc) &&
			(name == "" || c.name == name) &&
			(email == "" || (c.email != nil && *c.email == email))
	}
	return listPage(items, match, parsePage(q), (*customer).render), nil
}
