package asaas

import (
	"context"
	"encoding/json"
	"net/http"
)

// TransferRequest sends money out of the Asaas account (POST /v3/transfers):
// to a PIX key (PixAddressKey + PixAddressKeyType) or to a bank account
// (BankAccount). Empty fields are not sent.
type TransferRequest struct {
	Value             Number       `json:"value"`
	PixAddressKey     string       `json:"pixAddressKey,omitempty"`
	PixAddressKeyType string       `json:"pixAddressKeyType,omitempty"` // CPF, CNPJ, EMAIL, PHONE, EVP
	BankAccount       *BankAccount `json:"bankAccount,omitempty"`
	OperationType     string       `json:"operationType,omitempty"` // PIX or TED; Asaas picks when empty
	Description       string       `json:"description,omitempty"`
	ScheduleDate      Date         `json:"scheduleDate,omitzero"`
	ExternalReference string       `json:"externalReference,omitempty"`
}

// PIX key types.
const (
	PixKeyCPF   = "CPF"
	PixKeyCNPJ  = "CNPJ"
	PixKeyEmail = "EMAIL"
	PixKeyPhone = "PHONE"
	PixKeyEVP   = "EVP" // random key
)

// Bank account types.
const (
	BankAccountChecking = "CONTA_CORRENTE"
	BankAccountSavings  = "CONTA_POUPANCA"
)

// BankAccount is a transfer's destination account, in requests and responses.
type BankAccount struct {
	Bank            Bank   `json:"bank"`
	AccountName     string `json:"accountName,omitempty"`
	OwnerName       string `json:"ownerName,omitempty"`
	OwnerBirthDate  string `json:"ownerBirthDate,omitempty"`
	CpfCnpj         string `json:"cpfCnpj,omitempty"`
	Agency          string `json:"agency,omitempty"`
	AgencyDigit     string `json:"agencyDigit,omitempty"`
	Account         string `json:"account,omitempty"`
	AccountDigit    string `json:"accountDigit,omitempty"`
	BankAccountType string `json:"bankAccountType,omitempty"`
	Ispb            string `json:"ispb,omitempty"`
	PixAddressKey   string `json:"pixAddressKey,omitempty"`
}

// Bank identifies a bank by its COMPE code (e.g. "341").
type Bank struct {
	Code string `json:"code,omitempty"`
	Ispb string `json:"ispb,omitempty"`
	Name string `json:"name,omitempty"`
}

// Transfer is an outgoing transfer. No capture shows one; fields follow the
// Asaas reference. Dates may carry a time, which Date drops.
type Transfer struct {
	Object                string          `json:"object"`
	ID                    string          `json:"id"`
	Type                  string          `json:"type"`
	DateCreated           Date            `json:"dateCreated"`
	Value                 Number          `json:"value"`
	NetValue              Number          `json:"netValue"`
	TransferFee           Number          `json:"transferFee"`
	Status                string          `json:"status"` // PENDING, BANK_PROCESSING, DONE, CANCELLED, FAILED
	EffectiveDate         Date            `json:"effectiveDate"`
	ScheduleDate          Date            `json:"scheduleDate"`
	EndToEndIdentifier    *string         `json:"endToEndIdentifier"`
	Authorized            bool            `json:"authorized"`
	FailReason            *string         `json:"failReason"`
	ExternalReference     *string         `json:"externalReference"`
	TransactionReceiptURL *string         `json:"transactionReceiptUrl"`
	OperationType         string          `json:"operationType"`
	Description           *string         `json:"description"`
	Recurring             json.RawMessage `json:"recurring,omitempty"`
	BankAccount           *BankAccount    `json:"bankAccount"`
}

// CreateTransfer sends money to a PIX key or a bank account. It is not
// idempotent: a timed-out transfer must be checked before it is sent again.
func (c *Client) CreateTransfer(ctx context.Context, req TransferRequest) (Transfer, error) {
	if (req.PixAddressKey == "") == (req.BankAccount == nil) {
		return Transfer{}, invalid("create transfer", "give either a PIX key or a bank account")
	}
	var t Transfer
	err := c.do(ctx, "create transfer", http.MethodPost, "/v3/transfers", nil, req, &t)
	return t, err
}
