package domain

import (
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// chargeReferencePrefix marks the externalReference of charges we create.
const chargeReferencePrefix = "billing:"

// ChargeReference is the externalReference of the charge of one installment:
// "billing:<contractId>:<n>". Webhooks route payments by it.
func ChargeReference(contractID string, installmentNumber int) string {
	return chargeReferencePrefix + contractID + ":" + strconv.Itoa(installmentNumber)
}

// ParseChargeReference reads a reference made by ChargeReference. It is
// strict, since any other text belongs to a charge we did not create: ok is
// false unless s is "billing:", a UUID in its 8-4-4-4-12 form, ":" and an
// installment number from 1 to MaxInstallments without sign or leading zeros.
// contractID is returned in canonical lower case.
func ParseChargeReference(s string) (contractID string, installmentNumber int, ok bool) {
	rest, found := strings.CutPrefix(s, chargeReferencePrefix)
	if !found {
		return "", 0, false
	}
	id, num, found := strings.Cut(rest, ":")
	if !found || len(id) != 36 || !allDigits(num) || num[0] == '0' || len(num) > 3 {
		return "", 0, false
	}
	parsed, err := uuid.Parse(id) // 36 characters: only the hyphenated form parses
	if err != nil {
		return "", 0, false
	}
	n, err := strconv.Atoi(num)
	if err != nil || n > MaxInstallments {
		return "", 0, false
	}
	return parsed.String(), n, true
}
