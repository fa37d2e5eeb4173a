package asaassim

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/shopspring/decimal"
)

// transfer: no capture covers transfers. Keys follow the public API reference;
// fees are zero (invented: Asaas's free-transfer allowance is not modelled).
// The value leaves the balance at creation; a transfer to a PIX key or bank
// account is PENDING until Tick (the daily batch) or the control API marks it
// DONE (or FAILED/CANCELLED, which returns the money); a transfer to another
// Asaas wallet is DONE at once.
type transfer struct {
	id                string
	acct              *account
	dateCreated       time.Time
	value             decimal.Decimal
	status            string
	typ               string // BANK_ACCOUNT or ASAAS_ACCOUNT
	operationType     string // PIX, TED or INTERNAL
	effectiveDate     *time.Time
	scheduleDate      time.Time
	failReason        *string
	externalReference *string
	description       *string
	receiptURL        *string
	bankAccount       json.RawMessage // rendered once; nil for internal transfers
	walletID          string
}

func (t *transfer) render() obj {
	o := obj{
		{"object", "transfer"},
		{"id", t.id},
		{"type", t.typ},
		{"dateCreated", fmtDate(t.dateCreated)},
		{"value", t.value},
		{"netValue", t.value},
		{"status", t.status},
		{"transferFee", decimal.Zero},
		{"effectiveDate", dateOrNil(t.effectiveDate)},
		{"scheduleDate", fmtDate(t.scheduleDate)},
		{"endToEndIdentifier", nil},
		{"authorized", true},
		{"failReason", t.failReason},
		{"externalReference", t.externalReference},
		{"transactionReceiptUrl", t.receiptURL},
		{"operationType", t.operationType},
		{"description", t.description},
		{"recurring", nil},
	}
	if t.walletID != "" {
		o.add("walletId", t.walletID)
	} else {
		o.add("bankAccount", t.bankAccount)
	}
	return o
}

var pixKeyTypes = map[string]bool{"CPF": true, "CNPJ": true, "EMAIL": true, "PHONE": true, "EVP": true}

// createTransfer: POST /v3/transfers {value, pixAddressKey + pixAddressKeyType |
// bankAccount | walletId, operationType?, description?, externalReference?,
// scheduleDate?}. Error codes and texts invented.
func (s *Server) createTransfer(a *account, r *http.Request) (any, *Error) {
	b, err := readBody(r)
	if err != nil {
		return nil, err
	}
	t := &transfer{acct: a, status: "PENDING", typ: "BANK_ACCOUNT"}
	v, present, ok := b.dec("value")
	if !present || !ok || !v.IsPositive() || v.Exponent() < -2 {
		return nil, badRequest("invalid_value", "Informe um valor de transferência válido.")
	}
	t.value = v
	key, hasKey, okKey := b.str("pixAddressKey")
	bank, hasBank, okBank := b.sub("bankAccount")
	wallet, hasWallet, okWallet := b.str("walletId")
	switch {
	case !okKey || !okBank || !okWallet:
		return nil, badRequest("invalid_object", "Os dados do destino da transferência são inválidos.")
	case hasKey:
		kt, _, ok := b.str("pixAddressKeyType")
		if !ok || !pixKeyTypes[kt] {
			return nil, badRequest("invalid_pixAddressKeyType", "Informe o tipo da chave Pix: CPF, CNPJ, EMAIL, PHONE ou EVP.")
		}
		if key == "" {
			return nil, badRequest("invalid_pixAddressKey", "Informe a chave Pix.")
		}
		t.operationType = "PIX"
		t.bankAccount = encodeJSON(obj{
			{"bank", nil}, {"accountName", nil}, {"ownerName", nil}, {"cpfCnpj", nil},
			{"agency", nil}, {"account", nil}, {"accountDigit", nil}, {"pixAddressKey", key},
		})
	case hasBank:
		owner := strField(bank, "ownerName")
		doc := normalizeDocument(strField(bank, "cpfCnpj"))
		agency, number := strField(bank, "agency"), strField(bank, "account")
		bankObj, _, _ := bank.sub("bank")
		code := strField(bankObj, "code")
		switch {
		case code == "":
			return nil, badRequest("invalid_bankAccount", "Informe o código do banco.")
		case owner == "":
			return nil, badRequest("invalid_bankAccount", "Informe o nome do titular da conta.")
		case !validDocument(doc):
			return nil, badRequest("invalid_bankAccount", "O CPF/CNPJ do titular da conta é inválido.")
		case agency == "" || number == "":
			return nil, badRequest("invalid_bankAccount", "Informe agência e conta.")
		}
		t.operationType = "TED"
		if op, _, _ := b.str("operationType"); op == "PIX" {
			t.operationType = "PIX"
		}
		t.bankAccount = encodeJSON(obj{
			{"bank", obj{{"code", code}}}, {"accountName", strOrNil(strField(bank, "accountName"))},
			{"ownerName", owner}, {"cpfCnpj", doc}, {"agency", agency}, {"account", number},
			{"accountDigit", strOrNil(strField(bank, "accountDigit"))}, {"pixAddressKey", nil},
		})
	case hasWallet:
		t.typ, t.operationType, t.walletID = "ASAAS_ACCOUNT", "INTERNAL", wallet
	default:
		return nil, badRequest("invalid_object", "Informe a chave Pix, a conta bancária ou o walletId de destino.")
	}
	if t.description, ok = b.optStr("description"); !ok {
		return nil, badRequest("invalid_description", "A descrição informada é inválida.")
	}
	if t.externalReference, ok = b.optStr("externalReference"); !ok {
		return nil, badRequest("invalid_externalReference", "O externalReference informado é inválido.")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	today := s.today()
	t.dateCreated, t.scheduleDate = today, today
	if raw, present, _ := b.str("scheduleDate"); present {
		d, ok := parseDate(raw)
		if !ok || d.Before(today) {
			return nil, badRequest("invalid_scheduleDate", "A data de agendamento é inválida.")
		}
		t.scheduleDate = d
	}
	var dest *account
	if t.walletID != "" {
		if dest = s.st.byWallet[t.walletID]; dest == nil || dest == a {
			return nil, badRequest("invalid_walletId", "A carteira de destino não existe ou é a sua própria.")
		}
	}
	if t.value.GreaterThan(a.balance) {
		return nil, badRequest("invalid_value", "Saldo insuficiente: o saldo disponível é "+brl(a.balance)+".")
	}
	t.id = s.ids.uuid()
	a.balance = a.balance.Sub(t.value)
	s.st.transfers[t.id] = t
	s.st.transferOrder = append(s.st.transferOrder, t)
	s.emitTransfer(t, "TRANSFER_CREATED")
	if dest != nil {
		dest.balance = dest.balance.Add(t.value)
		s.finishTransfer(t, "DONE", "")
	}
	return t.render(), nil
}

func (s *Server) getTransfer(a *account, r *http.Request) (any, *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.st.transfers[r.PathValue("id")]
	if t == nil || t.acct != a {
		return nil, notFound("Transferência")
	}
	return t.render(), nil
}

// SetTransferStatus moves a PENDING transfer to DONE, FAILED or CANCELLED (the
// last two return the value to the balance).
func (s *Server) SetTransferStatus(transferID, status, failReason string) error {
	defer s.touch()
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.st.transfers[transferID]
	if t == nil {
		return controlError(404, "not_found", "transfer not found")
	}
	if t.status != "PENDING" {
		return controlError(400, "invalid_status", "only a PENDING transfer can change status; this one is "+t.status)
	}
	switch status {
	case "DONE":
	case "FAILED", "CANCELLED":
		t.acct.balance = t.acct.balance.Add(t.value)
	default:
		return controlError(400, "invalid_status", "status must be DONE, FAILED or CANCELLED")
	}
	s.finishTransfer(t, status, failReason)
	return nil
}

func (s *Server) finishTransfer(t *transfer, status, failReason string) {
	t.status = status
	if status == "DONE" {
		t.effectiveDate = datePtr(s.today())
		t.receiptURL = s.newReceiptURL()
	}
	if failReason != "" {
		t.failReason = &failReason
	}
	s.emitTransfer(t, "TRANSFER_"+status)
}

func (s *Server) emitTransfer(t *transfer, event string) {
	s.emit(t.acct, event, "transfer", t.render(), Delivery{TransferID: t.id})
}

// balance: GET /v3/finance/balance.
func (s *Server) financeBalance(a *account, _ *http.Request) (any, *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return obj{{"balance", a.balance}}, nil
}
