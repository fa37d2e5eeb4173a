package api

import (
	"strings"
	"unicode/utf8"

	"billing/db/dbgen"
)

// payeeChange is one field of a payee edit in the audit trail.
type payeeChange struct {
	Old *string `json:"old"`
	New *string `json:"new"`
}

// maskedPayeeFields identify a person or where their money goes: the audit trail
// keeps them masked (that they changed, and their last two characters).
var maskedPayeeFields = map[string]bool{"cpf_cnpj": true, "pix_key": true, "agency": true, "account": true, "account_digit": true}

// payeeChanges lists the fields an edit changed, old and new, masked where they
// identify a person or an account.
func payeeChanges(before, after dbgen.Payee) map[string]payeeChange {
	fields := []struct {
		name     string
		old, new *string
	}{
		{"name", &before.Name, &after.Name},
		{"person_type", &before.PersonType, &after.PersonType},
		{"cpf_cnpj", &before.CpfCnpj, &after.CpfCnpj},
		{"asaas_wallet_id", before.AsaasWalletID, after.AsaasWalletID},
		{"pix_key", before.PixKey, after.PixKey},
		{"pix_key_type", before.PixKeyType, after.PixKeyType},
		{"bank_code", before.BankCode, after.BankCode},
		{"agency", before.Agency, after.Agency},
		{"account", before.Account, after.Account},
		{"account_digit", before.AccountDigit, after.AccountDigit},
		{"account_type", before.AccountType, after.AccountType},
	}
	out := map[string]payeeChange{}
	for _, f := range fields {
		if equalOpt(f.old, f.new) {
			continue
		}
		c := payeeChange{Old: f.old, New: f.new}
		if maskedPayeeFields[f.name] {
			c = payeeChange{Old: maskOpt(f.old), New: maskOpt(f.new)}
		}
		out[f.name] = c
	}
	return out
}

func equalOpt(a, b *string) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func maskOpt(s *string) *string {
	if s == nil {
		return nil
	}
	m := mask(*s)
	return &m
}

// mask keeps the last two characters of a value of six or more, and nothing of a
// shorter one: "567890" is "****90", "1234" is "****".
func mask(s string) string {
	n := utf8.RuneCountInString(s)
	if n < 6 {
		return strings.Repeat("*", n)
	}
	runes := []rune(s)
	return strings.Repeat("*", n-2) + string(runes[n-2:])
}
