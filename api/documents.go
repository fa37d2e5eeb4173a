package api

import (
	"net/mail"
	"strings"

	"github.com/google/uuid"
)

// Brazilian identifiers, normalised to what we store: CPF = 11 digits, CNPJ = 14
// characters (12 digits or, from July 2026, uppercase letters, then 2 check digits).

// normalizeDocument strips the usual punctuation ("123.456.789-09", "12.345.678/0001-95").
func normalizeDocument(s string) string {
	return strings.ToUpper(strings.NewReplacer(".", "", "-", "", "/", "", " ", "").Replace(strings.TrimSpace(s)))
}

func validCPF(s string) bool {
	if len(s) != 11 || !allDigits(s) || strings.Count(s, s[:1]) == 11 {
		return false
	}
	d := func(i int) int { return int(s[i] - '0') }
	check := func(n int) int { // n digits weighted n+1 ... 2
		sum := 0
		for i := 0; i < n; i++ {
			sum += d(i) * (n + 1 - i)
		}
		if r := sum * 10 % 11; r != 10 {
			return r
		}
		return 0
	}
	return check(9) == d(9) && check(10) == d(10)
}

// validCNPJ checks the two check digits; each character counts as its ASCII code
// minus 48, which covers both numeric and alphanumeric CNPJs.
func validCNPJ(s string) bool {
	if len(s) != 14 || !allDigits(s[12:]) || strings.Count(s, s[:1]) == 14 {
		return false
	}
	for i := 0; i < 12; i++ {
		if !(s[i] >= '0' && s[i] <= '9' || s[i] >= 'A' && s[i] <= 'Z') {
			return false
		}
	}
	check := func(n int) int {
		weights := []int{6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}[13-n:]
		sum := 0
		for i := 0; i < n; i++ {
			sum += int(s[i]-'0') * weights[i]
		}
		if r := sum % 11; r >= 2 {
			return 11 - r
		}
		return 0
	}
	return check(12) == int(s[12]-'0') && check(13) == int(s[13]-'0')
}

// document validates a CPF or CNPJ; personType "person"/"company" narrows it, "" allows both.
func (f *fields) document(field, v, personType string) string {
	doc := normalizeDocument(v)
	switch {
	case doc == "":
		f.add(field, "is required")
	case personType == "person" && !validCPF(doc):
		f.add(field, "must be a valid CPF (11 digits) for a person")
	case personType == "company" && !validCNPJ(doc):
		f.add(field, "must be a valid CNPJ (14 characters) for a company")
	case personType == "" && !validCPF(doc) && !validCNPJ(doc):
		f.add(field, "must be a valid CPF (11 digits) or CNPJ (14 characters)")
	}
	return doc
}

func validEmail(s string) bool {
	addr, err := mail.ParseAddress(s)
	return err == nil && addr.Address == s && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}

// phoneDigits normalises a Brazilian phone to area code + number (10 or 11 digits),
// dropping punctuation and a leading +55. ok is false when it cannot be one.
func phoneDigits(s string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune(" ()-+.", r):
		default:
			return "", false
		}
	}
	d := b.String()
	if (len(d) == 12 || len(d) == 13) && strings.HasPrefix(d, "55") && strings.HasPrefix(strings.TrimSpace(s), "+") {
		d = d[2:]
	}
	return d, (len(d) == 10 || len(d) == 11) && d[0] != '0'
}

var pixKeyTypes = []string{"CPF", "CNPJ", "EMAIL", "PHONE", "EVP"}

// pixKey validates a PIX key against its type and returns it in its canonical form
// (documents as digits, phones as +55..., emails and random keys lowercase).
func (f *fields) pixKey(field, keyType, v string) string {
	v = strings.TrimSpace(v)
	bad := func(msg string) string { f.add(field, "%s", msg); return v }
	switch keyType {
	case "CPF":
		if doc := normalizeDocument(v); validCPF(doc) {
			return doc
		}
		return bad("must be a valid CPF for a CPF key")
	case "CNPJ":
		if doc := normalizeDocument(v); validCNPJ(doc) {
			return doc
		}
		return bad("must be a valid CNPJ for a CNPJ key")
	case "EMAIL":
		if e := strings.ToLower(v); validEmail(e) && len(e) <= 77 {
			return e
		}
		return bad("must be a valid email address (at most 77 characters) for an EMAIL key")
	case "PHONE":
		if d, ok := phoneDigits(v); ok {
			return "+55" + d
		}
		return bad("must be a Brazilian phone number like +5511987654321 for a PHONE key")
	case "EVP":
		if id, err := uuid.Parse(v); err == nil && len(v) == 36 {
			return id.String()
		}
		return bad("must be a random key (UUID) for an EVP key")
	}
	return v // the type itself is reported by the caller
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
