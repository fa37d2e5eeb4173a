package asaassim

import "strings"

// normalizeDocument strips the punctuation people type in CPF/CNPJ ("249.715.637-92")
// and upper-cases letters (alphanumeric CNPJ).
func normalizeDocument(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		case r == '.', r == '-', r == '/', r == ' ':
		default:
			return "" // anything else makes it invalid
		}
	}
	return b.String()
}

// validDocument checks a normalized CPF (11 digits) or CNPJ (14 characters) by its
// check digits. Sequences of one repeated digit pass the arithmetic but are
// rejected, as the real API rejects 11111111111 (capture erros-de-validacao).
func validDocument(doc string) bool {
	switch len(doc) {
	case 11:
		return validCPF(doc)
	case 14:
		return validCNPJ(doc)
	}
	return false
}

func repeated(s string) bool {
	return strings.Count(s, s[:1]) == len(s)
}

func validCPF(cpf string) bool {
	for _, c := range cpf {
		if c < '0' || c > '9' {
			return false
		}
	}
	if repeated(cpf) {
		return false
	}
	check := func(n int) byte {
		sum := 0
		for i := 0; i < n; i++ {
			sum += int(cpf[i]-'0') * (n + 1 - i)
		}
		r := sum * 10 % 11
		if r == 10 {
			r = 0
		}
		return byte('0' + r)
	}
	return cpf[9] == check(9) && cpf[10] == check(10)
}

// validCNPJ accepts the numeric CNPJ and the alphanumeric one Receita Federal
// issues from July 2026 (12 characters 0-9/A-Z, 2 numeric check digits; each
// character weighs its ASCII code minus 48).
func validCNPJ(cnpj string) bool {
	for i, c := range cnpj {
		digit := c >= '0' && c <= '9'
		if !digit && (i >= 12 || c < 'A' || c > 'Z') {
			return false
		}
	}
	if repeated(cnpj) {
		return false
	}
	check := func(n int) byte {
		sum, weight := 0, 2
		for i := n - 1; i >= 0; i-- {
			sum += int(cnpj[i]-'0') * weight
			weight++
			if weight > 9 {
				weight = 2
			}
		}
		r := sum % 11
		if r < 2 {
			return '0'
		}
		return byte('0' + 11 - r)
	}
	return cnpj[12] == check(12) && cnpj[13] == check(13)
}

func personType(doc string) any {
	switch len(doc) {
	case 11:
		return "FISICA"
	case 14:
		return "JURIDICA"
	}
	return nil
}

// validMobilePhone: 10 or 11 digits, not one digit repeated. The repeated-digit
// rule is from FACTS (47999999999 -> invalid_mobilePhone); the length rule is ours.
func validMobilePhone(phone string) bool {
	digits := onlyDigits(phone)
	if len(digits) < 10 || len(digits) > 11 {
		return false
	}
	return !repeated(digits[2:])
}

func onlyDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
