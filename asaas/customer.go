package asaas

import (
	"encoding/json"
	"net/url"
)

// Customer is an Asaas customer (the payer). Asaas returns every unset field
// as null, never omitted.
type Customer struct {
	Object                string          `json:"object"`
	ID                    string          `json:"id"`
	DateCreated           Date            `json:"dateCreated"`
	Name                  string          `json:"name"`
	Email                 *string         `json:"email"`
	Company               *string         `json:"company"`
	Phone                 *string         `json:"phone"`
	MobilePhone           *string         `json:"mobilePhone"`
	Address               *string         `json:"address"`
	AddressNumber         *string         `json:"addressNumber"`
	Complement            *string         `json:"complement"`
	Province              *string         `json:"province"`
	PostalCode            *string         `json:"postalCode"`
	CpfCnpj               *string         `json:"cpfCnpj"`
	PersonType            *string         `json:"personType"` // FISICA or JURIDICA
	Deleted               bool            `json:"deleted"`
	AdditionalEmails      *string         `json:"additionalEmails"`
	ExternalReference     *string         `json:"externalReference"`
	NotificationDisabled  bool            `json:"notificationDisabled"`
	Observations          *string         `json:"observations"`
	MunicipalInscription  *string         `json:"municipalInscription"`
	StateInscription      *string         `json:"stateInscription"`
	CanDelete             bool            `json:"canDelete"`
	CannotBeDeletedReason *string         `json:"cannotBeDeletedReason"`
	CanEdit               bool            `json:"canEdit"`
	CannotEditReason      *string         `json:"cannotEditReason"`
	City                  json.RawMessage `json:"city,omitempty"` // an IBGE city id; never seen non-null
	CityName              *string         `json:"cityName"`
	State                 *string         `json:"state"`
	Country               *string         `json:"country"`
}

// ExternalRef is the customer's externalReference, "" when null.
func (c Customer) ExternalRef() string {
	if c.ExternalReference == nil {
		return ""
	}
	return *c.ExternalReference
}

// CustomerRequest creates a customer (POST /v3/customers). Name and CpfCnpj
// are required by Asaas; empty fields are not sent.
type CustomerRequest struct {
	Name                 string `json:"name,omitempty"`
	CpfCnpj              string `json:"cpfCnpj,omitempty"`
	Email                string `json:"email,omitempty"`
	Phone                string `json:"phone,omitempty"`
	MobilePhone          string `json:"mobilePhone,omitempty"`
	Address              string `json:"address,omitempty"`
	AddressNumber        string `json:"addressNumber,omitempty"`
	Complement           string `json:"complement,omitempty"`
	Province             string `json:"province,omitempty"`
	PostalCode           string `json:"postalCode,omitempty"`
	ExternalReference    string `json:"externalReference,omitempty"`
	NotificationDisabled *bool  `json:"notificationDisabled,omitempty"`
	AdditionalEmails     string `json:"additionalEmails,omitempty"`
	MunicipalInscription string `json:"municipalInscription,omitempty"`
	StateInscription     string `json:"stateInscription,omitempty"`
	Observations         string `json:"observations,omitempty"`
	GroupName            string `json:"groupName,omitempty"`
	Company              string `json:"company,omitempty"`
}

// CustomerFilter narrows GET /v3/customers. Zero fields are not sent.
type CustomerFilter struct {
	Name              string
	Email             string
	CpfCnpj           string
	ExternalReference string
	Offset            int
	Limit             int
}

func (f CustomerFilter) values() url.Values {
	v := url.Values{}
	setString(v, "name", f.Name)
	setString(v, "email", f.Email)
	setString(v, "cpfCnpj", f.CpfCnpj)
	setString(v, "externalReference", f.ExternalReference)
	setPage(v, f.Offset, f.Limit)
	return v
}
