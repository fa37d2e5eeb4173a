package api

import (
	"context"
	"regexp"
	"strings"
	"time"

	"billing/db/dbgen"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
)

type payeeView struct {
	ID            uuid.UUID  `json:"id"`
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
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

func viewPayee(p dbgen.Payee) payeeView {
	return payeeView{p.ID, p.Name, p.PersonType, p.CpfCnpj, p.AsaasWalletID, p.PixKey, p.PixKeyType,
		p.BankCode, p.Agency, p.Account, p.AccountDigit, p.AccountType, p.ArchivedAt, p.CreatedAt, p.UpdatedAt}
}

type payeeInput struct {
	Name          string  `json:"name"`
	PersonType    string  `json:"person_type"`
	CpfCnpj       string  `json:"cpf_cnpj"`
	AsaasWalletID *string `json:"asaas_wallet_id"`
	PixKey        *string `json:"pix_key"`
	PixKeyType    *string `json:"pix_key_type"`
	BankCode      *string `json:"bank_code"`
	Agency        *string `json:"agency"`
	Account       *string `json:"account"`
	AccountDigit  *string `json:"account_digit"`
	AccountType   *string `json:"account_type"`
}

type payeePatch struct {
	Name          opt[string] `json:"name"`
	PersonType    opt[string] `json:"person_type"`
	CpfCnpj       opt[string] `json:"cpf_cnpj"`
	AsaasWalletID opt[string] `json:"asaas_wallet_id"`
	PixKey        opt[string] `json:"pix_key"`
	PixKeyType    opt[string] `json:"pix_key_type"`
	BankCode      opt[string] `json:"bank_code"`
	Agency        opt[string] `json:"agency"`
	Account       opt[string] `json:"account"`
	AccountDigit  opt[string] `json:"account_digit"`
	AccountType   opt[string] `json:"account_type"`
}

var (
	bankCodeRe     = regexp.MustCompile(`^[0-9]{3}$`)
	agencyRe       = regexp.MustCompile(`^[0-9]{1,5}$`)
	bankAccountRe  = regexp.MustCompile(`^[0-9]{1,20}$`)
	accountDigitRe = regexp.MustCompile(`^[0-9X]{1,2}$`)
)

// payee validates a whole payee (a create, or a PATCH merged onto the stored one) and
// returns it normalised.
func (f *fields) payee(in payeeInput) dbgen.CreatePayeeParams {
	p := dbgen.CreatePayeeParams{
		Name:       f.text("name", in.Name, 200),
		PersonType: f.oneOf("person_type", in.PersonType, "person", "company"),
	}
	p.CpfCnpj = f.document("cpf_cnpj", in.CpfCnpj, p.PersonType)
	if p.AsaasWalletID = f.optText("asaas_wallet_id", in.AsaasWalletID, 100); p.AsaasWalletID != nil {
		if _, err := uuid.Parse(*p.AsaasWalletID); err != nil {
			f.add("asaas_wallet_id", "must be an Asaas walletId (a UUID)")
		}
	}

	key, keyType := f.optText("pix_key", in.PixKey, 140), f.optText("pix_key_type", in.PixKeyType, 10)
	switch {
	case key == nil && keyType == nil:
	case key == nil:
		f.add("pix_key", "is required with pix_key_type")
	case keyType == nil:
		f.add("pix_key_type", "is required with pix_key")
	default:
		kt := f.oneOf("pix_key_type", *keyType, pixKeyTypes...)
		k := f.pixKey("pix_key", kt, *key)
		p.PixKey, p.PixKeyType = &k, &kt
	}

	bank := map[string]*string{
		"bank_code":    f.optText("bank_code", in.BankCode, 40),
		"agency":       f.optText("agency", in.Agency, 40),
		"account":      f.optText("account", in.Account, 40),
		"account_type": f.optText("account_type", in.AccountType, 40),
	}
	digit := f.optText("account_digit", in.AccountDigit, 40)
	given := 0
	for _, v := range bank {
		if v != nil {
			given++
		}
	}
	if given == 0 {
		if digit != nil {
			f.add("account_digit", "needs the rest of the bank account (bank_code, agency, account, account_type)")
		}
		return p
	}
	if given < len(bank) {
		for _, name := range []string{"bank_code", "agency", "account", "account_type"} {
			if bank[name] == nil {
				f.add(name, "is required for a bank account (bank_code, agency, account and account_type go together)")
			}
		}
		return p
	}
	check := func(name string, re *regexp.Regexp, v *string, what string) {
		if !re.MatchString(*v) {
			f.add(name, "must be %s", what)
		}
	}
	check("bank_code", bankCodeRe, bank["bank_code"], "the 3-digit bank code (COMPE), like 001")
	check("agency", agencyRe, bank["agency"], "the agency number, digits only, without its check digit")
	check("account", bankAccountRe, bank["account"], "the account number, digits only, without its check digit")
	f.oneOf("account_type", *bank["account_type"], "CHECKING", "SAVINGS")
	if digit != nil {
		d := strings.ToUpper(*digit)
		digit = &d
		check("account_digit", accountDigitRe, digit, "the account check digit (1 or 2 characters, digits or X)")
	}
	p.BankCode, p.Agency, p.Account, p.AccountDigit, p.AccountType = bank["bank_code"], bank["agency"], bank["account"], digit, bank["account_type"]
	return p
}

func (s *Server) createPayee(c *gin.Context) {
	var in payeeInput
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	var f fields
	params := f.payee(in)
	params.AccountID = actor(c).AccountID
	if err := f.err(); err != nil {
		s.writeError(c, err)
		return
	}
	s.mutate(c, func(ctx context.Context, t *txn) (result, error) {
		row, err := t.CreatePayee(ctx, params)
		if err != nil {
			return result{}, err
		}
		return created(viewPayee(row)), t.audit(ctx, "payee.created", "payee", row.ID, nil, nil)
	})
}

func (s *Server) listPayees(c *gin.Context) {
	var f fields
	p := parsePage(c, &f)
	archived := archivedFilter(c, &f)
	if err := f.err(); err != nil {
		s.writeError(c, err)
		return
	}
	rows, err := dbgen.New(s.deps.Pool).ListPayees(c.Request.Context(), dbgen.ListPayeesParams{
		AccountID: actor(c).AccountID, Search: optQuery(c, "q"), Archived: archived,
		AfterCreatedAt: p.afterCreatedAt, AfterID: p.afterID, RowLimit: p.fetch(),
	})
	s.reply(c, ok(pageOf(p, rows, func(r dbgen.Payee) (time.Time, uuid.UUID) { return r.CreatedAt, r.ID }, viewPayee)), err)
}

func (s *Server) getPayee(c *gin.Context) {
	id, err := pathID(c, "id", "payee")
	if err != nil {
		s.writeError(c, err)
		return
	}
	row, err := dbgen.New(s.deps.Pool).GetPayee(c.Request.Context(), dbgen.GetPayeeParams{AccountID: actor(c).AccountID, ID: id})
	s.reply(c, ok(viewPayee(row)), notFoundIf(err, "payee"))
}

func (s *Server) updatePayee(c *gin.Context) {
	id, err := pathID(c, "id", "payee")
	if err != nil {
		s.writeError(c, err)
		return
	}
	var in payeePatch
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	s.mutate(c, func(ctx context.Context, t *txn) (result, error) {
		cur, err := t.GetPayeeForUpdate(ctx, dbgen.GetPayeeForUpdateParams{AccountID: t.actor.AccountID, ID: id})
		if err != nil {
			return result{}, notFoundIf(err, "payee")
		}
		var f fields
		merged := payeeInput{
			Name: cur.Name, PersonType: cur.PersonType, CpfCnpj: cur.CpfCnpj, AsaasWalletID: cur.AsaasWalletID,
			PixKey: cur.PixKey, PixKeyType: cur.PixKeyType, BankCode: cur.BankCode, Agency: cur.Agency,
			Account: cur.Account, AccountDigit: cur.AccountDigit, AccountType: cur.AccountType,
		}
		for _, req := range []struct {
			name string
			o    opt[string]
			dst  *string
		}{{"name", in.Name, &merged.Name}, {"person_type", in.PersonType, &merged.PersonType}, {"cpf_cnpj", in.CpfCnpj, &merged.CpfCnpj}} {
			if req.o.Null {
				f.add(req.name, "must not be null")
			} else if req.o.Set {
				*req.dst = req.o.V
			}
		}
		for _, opt := range []struct {
			o   opt[string]
			dst **string
		}{
			{in.AsaasWalletID, &merged.AsaasWalletID}, {in.PixKey, &merged.PixKey}, {in.PixKeyType, &merged.PixKeyType},
			{in.BankCode, &merged.BankCode}, {in.Agency, &merged.Agency}, {in.Account, &merged.Account},
			{in.AccountDigit, &merged.AccountDigit}, {in.AccountType, &merged.AccountType},
		} {
			if opt.o.Set {
				*opt.dst = optOf(opt.o)
			}
		}
		p := f.payee(merged)
		if err := f.err(); err != nil {
			return result{}, err
		}
		row, err := t.UpdatePayee(ctx, dbgen.UpdatePayeeParams{
			AccountID: cur.AccountID, ID: cur.ID, Name: p.Name, PersonType: p.PersonType, CpfCnpj: p.CpfCnpj,
			AsaasWalletID: p.AsaasWalletID, PixKey: p.PixKey, PixKeyType: p.PixKeyType, BankCode: p.BankCode,
			Agency: p.Agency, Account: p.Account, AccountDigit: p.AccountDigit, AccountType: p.AccountType,
		})
		if err != nil {
			return result{}, err
		}
		return ok(viewPayee(row)), t.audit(ctx, "payee.updated", "payee", row.ID, nil, map[string]any{
			"fields": patchedFields(in), "changes": payeeChanges(cur, row)})
	})
}
