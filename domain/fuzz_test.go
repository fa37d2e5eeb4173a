package domain_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"testing"

	"github.com/shopspring/decimal"

	"billing/domain"
)

// FuzzParseMoneyJSON checks that whatever ParseMoneyJSON accepts is valid
// JSON whose literal text (or string content) follows the money grammar, and
// that the amount survives a FormatMoney/ParseMoney round trip.
func FuzzParseMoneyJSON(f *testing.F) {
	for _, seed := range []string{
		`"12.50"`, `12.5`, `12.10`, `0`, `"0.01"`, `999999999999.99`, `1000000000000`,
		`12.001`, `1e2`, `null`, `-1`, `"+1"`, `" 1"`, `"\u0031"`, `true`, `{}`, `"NaN"`, `0012`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, err := domain.ParseMoneyJSON(raw)
		if err != nil {
			if !errors.Is(err, domain.ErrInvalidMoney) {
				t.Fatalf("error %v does not wrap ErrInvalidMoney", err)
			}
			return
		}
		if !json.Valid(raw) {
			t.Fatalf("accepted invalid JSON %q", raw)
		}
		literal := string(bytes.TrimSpace(raw))
		if literal[0] == '"' {
			if err := json.Unmarshal(raw, &literal); err != nil {
				t.Fatalf("accepted %q: %v", raw, err)
			}
		}
		if !moneyGrammar.MatchString(literal) {
			t.Fatalf("accepted %q whose text %q is not a plain amount", raw, literal)
		}
		if !decimal.RequireFromString(literal).Equal(got) {
			t.Fatalf("%q parsed as %s", raw, got)
		}
		back, err := domain.ParseMoney(domain.FormatMoney(got))
		if err != nil || !back.Equal(got) {
			t.Fatalf("round trip of %s gave %s, %v", got, back, err)
		}
	})
}

// FuzzAllocate checks the allocation invariant (entries sum to Paid, none zero
// or negative, Shortfall never negative) on fuzzer-made payments and rules,
// and that Allocate errs exactly when the amounts or the rules are invalid.
func FuzzAllocate(f *testing.F) {
	f.Add(int64(10000), int64(199), false, []byte{})
	f.Add(int64(35000), int64(199), false, rulesBytes(0, 5, 1000, 1, 4, 2000, 3, 2, 0))
	f.Add(int64(5000), int64(0), true, rulesBytes(1, 0, 3000, 1, 1, 4000, 0, 2, 1000))
	f.Add(int64(1), int64(0), true, rulesBytes(0, 0, 5000, 3, 1, 0))
	f.Add(int64(199), int64(199), false, rulesBytes(0, 1, 10000, 2, 2, 0))
	f.Add(int64(100), int64(0), false, rulesBytes(0, 0, 6000, 0, 1, 6000)) // percentages over 100
	f.Add(int64(0), int64(0), false, []byte{})
	f.Add(int64(100), int64(101), false, []byte{})
	f.Add(int64(1), int64(0), false, rulesBytes(0, 4, 10000))                          // 0.01 with one 100% gateway rule
	f.Add(int64(1), int64(1), false, rulesBytes(2, 0, 0, 0, 1, 5000))                  // all of 0.01 is the fee
	f.Add(int64(2999), int64(199), false, rulesBytes(0, 0, 10000, 1, 1, 500, 3, 2, 0)) // 100% plus a fixed: shortfall
	f.Add(int64(2916), int64(0), true, rulesBytes(0, 4, 1000, 1, 5, 500, 3, 1, 0))     // manual: gateway rules become pending
	f.Add(int64(maxCents), int64(0), true, rulesBytes(1, 0x58, 9999, 0, 1, 3333))      // a fixed rule of 9,999 × 10^11 cents: too large
	f.Add(int64(maxCents), int64(maxCents-1), false, rulesBytes(0, 0, 1, 0, 1, 9999))  // net 0.01 of the largest payment
	f.Fuzz(func(t *testing.T, paidArg, feeArg int64, manual bool, ruleData []byte) {
		paid := paidArg % (maxCents + 1)
		fee := feeArg % (maxCents + 1)
		net := paid - fee
		rules := decodeRules(ruleData)
		p := drawnPayment{paid: paid, net: net, manual: manual}

		amountsValid := paid > 0 && net >= 0 && net <= paid && (!manual || net == paid)
		rulesValid := len(domain.ValidateRules(rules)) == 0
		got, err := domain.Allocate(p.amounts(), rules)
		if !amountsValid || !rulesValid {
			if err == nil {
				t.Fatalf("accepted paid=%d net=%d manual=%v rules=%+v", paid, net, manual, rules)
			}
			return
		}
		if err != nil {
			t.Fatalf("rejected paid=%d net=%d manual=%v rules=%+v: %v", paid, net, manual, rules, err)
		}
		rec := &recorder{}
		func() {
			defer func() { _ = recover() }()
			checkAllocation(rec, p, rules, got)
		}()
		if rec.failed {
			t.Fatalf("invariant broken for paid=%d net=%d manual=%v rules=%+v: %+v", paid, net, manual, rules, got)
		}
		if sum := domain.SumEntries(got.Entries).Add(domain.SumEntries(domain.Reverse(got.Entries))); !sum.IsZero() {
			t.Fatalf("payment and reversal sum to %s", sum)
		}
	})
}

// rulesBytes encodes rules for decodeRules as (kind, payee, param) triples.
func rulesBytes(triples ...int) []byte {
	var b []byte
	for i := 0; i+2 < len(triples); i += 3 {
		b = append(b, byte(triples[i]), byte(triples[i+1]))
		b = binary.BigEndian.AppendUint16(b, uint16(triples[i+2]))
	}
	return b
}

// decodeRules turns fuzzer bytes into rules, 4 bytes a rule: kind (0
// percentage, 1 fixed, 2 fee, 3 remainder, else unknown), a flags byte (bits
// 0-1 the payee, bit 2 via gateway, bits 3-6 a power of ten, at most 11, that
// scales a fixed amount up to beyond what numeric(14,2) holds), and a 16-bit
// parameter (basis points for a percentage, cents for a fixed amount). Rules
// may be invalid on purpose.
func decodeRules(data []byte) []domain.SplitRule {
	var rules []domain.SplitRule
	for len(data) >= 4 && len(rules) < 16 {
		kindByte, payeeByte, param := data[0], data[1], int64(binary.BigEndian.Uint16(data[2:4]))
		data = data[4:]
		rule := domain.SplitRule{PayeeID: []string{"a", "b", "c", ""}[payeeByte%4], ViaGateway: payeeByte&4 != 0}
		switch kindByte % 5 {
		case 0:
			rule.Kind, rule.Percent = domain.RulePercentage, decimal.New(param%10_001, -2)
		case 1:
			scale := min(int32(payeeByte>>3&15), 11)
			rule.Kind, rule.Amount = domain.RuleFixed, decimal.New(param, scale-2)
		case 2:
			rule.Kind = domain.RuleFee
		case 3:
			rule.Kind = domain.RuleRemainder
		default:
			rule.Kind = "bogus"
		}
		rules = append(rules, rule)
	}
	return rules
}
