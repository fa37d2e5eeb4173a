package asaassim

import (
	"strconv"

	"github.com/shopspring/decimal"
)

// Split statuses (OpenAPI enum). PENDING at creation, AWAITING_CREDIT while a
// card charge is CONFIRMED, DONE when the charge is received (the destination
// wallet is credited), CANCELLED on receiveInCash or deletion, REFUNDED on
// refund, BLOCKED_BY_VALUE_DIVERGENCE when a different paid value no longer
// covers the split. No capture shows split behaviour: all of this is from the
// brief, the seed's example and the spec's enums.
const (
	splitPending        = "PENDING"
	splitAwaitingCredit = "AWAITING_CREDIT"
	splitDone           = "DONE"
	splitCancelled      = "CANCELLED"
	splitRefunded       = "REFUNDED"
	splitBlocked        = "BLOCKED_BY_VALUE_DIVERGENCE"
	// splitRefused: Asaas refused the split (the seed's refusalReason). Set only by
	// the control API (SetSplitStatus); invented: a refusal is final, so the
	// charge's later moves leave a refused split as it is and its wallet unpaid.
	splitRefused = "REFUSED"
)

// settledSplit: a split whose status the charge's moves no longer change.
func settledSplit(sp *split) bool { return sp.status == splitBlocked || sp.status == splitRefused }

type splitInput struct {
	wallet            *account
	fixed, percent    *decimal.Decimal
	totalFixed        *decimal.Decimal // plan-wide; materialized per parcel by forParcel
	externalReference *string
	description       *string
}

type split struct {
	splitInput
	id                 string
	total              decimal.Decimal
	status             string
	cancellationReason *string
	refusalReason      *string // REFUSED only
	credited           bool    // the destination balance holds total
}

// render: keys of the OpenAPI PaymentSplitGetResponseDTO; like the seed's
// example, only the value kind in use (fixedValue or percentualValue) appears,
// and refusalReason (seed) follows status.
func (sp *split) render() obj {
	o := obj{{"id", sp.id}, {"walletId", sp.wallet.WalletID}}
	if sp.fixed != nil {
		o.add("fixedValue", *sp.fixed)
	} else {
		o.add("percentualValue", *sp.percent)
	}
	o.add("totalValue", sp.total)
	o.add("cancellationReason", sp.cancellationReason)
	o.add("status", sp.status)
	o.add("refusalReason", sp.refusalReason)
	o.add("externalReference", sp.externalReference)
	o.add("description", sp.description)
	return o
}

// parseSplits validates the split items under key ("split" on /v3/payments,
// "splits" on /v3/installments). Error texts invented; code invalid_split as
// the brief suggests. totalFixedValue (plans only) is a fixed amount for the
// whole plan, spread over the parcels like a plan total (truncated, remainder
// on the last). Amounts are checked against the net values later.
func (s *Server) parseSplits(a *account, b body, key string, plan bool) ([]splitInput, *Error) {
	items, present, ok := b.list(key)
	if !ok {
		return nil, badRequest("invalid_split", "O split deve ser uma lista.")
	}
	if !present {
		return nil, nil
	}
	out := make([]splitInput, 0, len(items))
	for i, it := range items {
		n := strconv.Itoa(i + 1)
		wallet, _, ok := it.str("walletId")
		if !ok || wallet == "" {
			return nil, badRequest("invalid_split", "Informe o walletId do split "+n+".")
		}
		dest := s.st.byWallet[wallet]
		if dest == nil {
			return nil, badRequest("invalid_split", "A carteira "+wallet+" informada no split não existe.")
		}
		if dest == a {
			return nil, badRequest("invalid_split", "Não é possível fazer split para a sua própria carteira.")
		}
		in := splitInput{wallet: dest}
		fixed, hasFixed, okF := it.dec("fixedValue")
		pct, hasPct, okP := it.dec("percentualValue")
		total, hasTotal, okT := it.dec("totalFixedValue")
		kinds := 0
		for _, has := range []bool{hasFixed, hasPct, hasTotal} {
			if has {
				kinds++
			}
		}
		switch {
		case !okF || !okP || !okT:
			return nil, badRequest("invalid_split", "Valor do split "+n+" inválido.")
		case kinds != 1:
			return nil, badRequest("invalid_split", "Informe fixedValue, percentualValue ou totalFixedValue no split "+n+".")
		case hasFixed:
			if !fixed.IsPositive() || fixed.Exponent() < -2 {
				return nil, badRequest("invalid_split", "O valor fixo do split "+n+" deve ser positivo, com até duas casas decimais.")
			}
			in.fixed = &fixed
		case hasTotal:
			if !plan {
				return nil, badRequest("invalid_split", "totalFixedValue só pode ser usado em parcelamentos (split "+n+").")
			}
			if !total.IsPositive() || total.Exponent() < -2 {
				return nil, badRequest("invalid_split", "O valor total do split "+n+" deve ser positivo, com até duas casas decimais.")
			}
			in.totalFixed = &total
		default:
			if !pct.IsPositive() || pct.GreaterThan(hundred) {
				return nil, badRequest("invalid_split", "O percentual do split "+n+" deve estar entre 0 e 100.")
			}
			in.percent = &pct
		}
		var okRef, okDesc bool
		if in.externalReference, okRef = it.optStr("externalReference"); !okRef {
			return nil, badRequest("invalid_split", "O externalReference do split "+n+" é inválido.")
		}
		if in.description, okDesc = it.optStr("description"); !okDesc {
			return nil, badRequest("invalid_split", "A descrição do split "+n+" é inválida.")
		}
		out = append(out, in)
	}
	return out, nil
}

// forParcel turns plan-wide totalFixedValue rules into parcel i's fixed value.
func forParcel(rules []splitInput, i, count int) []splitInput {
	out := make([]splitInput, len(rules))
	for k, r := range rules {
		out[k] = r
		if r.totalFixed != nil {
			part := splitParcels(*r.totalFixed, max(count, 1))[i]
			out[k].fixed, out[k].totalFixed = &part, nil
		}
	}
	return out
}

// splitAmount: a percentage applies to the net value, truncated to the cent.
func splitAmount(in splitInput, net decimal.Decimal) decimal.Decimal {
	if in.fixed != nil {
		return *in.fixed
	}
	return cents(net.Mul(*in.percent).Div(hundred))
}

func splitTotal(ins []splitInput, net decimal.Decimal) decimal.Decimal {
	sum := decimal.Zero
	for _, in := range ins {
		sum = sum.Add(splitAmount(in, net))
	}
	return sum
}

// checkSplitFits rejects a split whose fixed values plus percentages of the net
// value exceed the net value.
func checkSplitFits(ins []splitInput, net decimal.Decimal) *Error {
	if total := splitTotal(ins, net); total.GreaterThan(net) {
		return badRequest("invalid_split", "O valor total do split ("+brl(total)+") excede o valor líquido da cobrança ("+brl(net)+").")
	}
	return nil
}

func (s *Server) newSplits(ins []splitInput, net decimal.Decimal) []*split {
	out := make([]*split, len(ins))
	for i, in := range ins {
		out[i] = &split{splitInput: in, id: s.ids.uuid(), total: splitAmount(in, net), status: splitPending}
	}
	return out
}

func inputsOf(splits []*split) []splitInput {
	out := make([]splitInput, len(splits))
	for i, sp := range splits {
		out[i] = sp.splitInput
	}
	return out
}

// resetSplits recomputes amounts against the current net value and sets every
// split to status; a net value that no longer covers them blocks them instead.
func (p *payment) resetSplits(status string) {
	if len(p.splits) == 0 {
		return
	}
	ins := inputsOf(p.splits)
	blocked := splitTotal(ins, p.netValue).GreaterThan(p.netValue)
	for _, sp := range p.splits {
		if sp.status == splitRefused {
			continue
		}
		sp.total = splitAmount(sp.splitInput, p.netValue)
		sp.cancellationReason = nil
		sp.status = status
		if blocked && status != splitCancelled {
			sp.status = splitBlocked
			reason := "VALUE_DIVERGENCE_BLOCK"
			sp.cancellationReason = &reason
		}
	}
}

// setSplits moves every split to status, keeping amounts; reason is the
// cancellationReason for CANCELLED (nil otherwise).
func (p *payment) setSplits(status string, reason string) {
	for _, sp := range p.splits {
		if (sp.status == splitBlocked && status != splitPending) || sp.status == splitRefused {
			continue
		}
		sp.status = status
		sp.cancellationReason = nil
		if reason != "" {
			r := reason
			sp.cancellationReason = &r
		}
	}
}

// creditSplits marks splits DONE and moves their amounts to the destination
// wallets; the account keeps the rest of the net value.
func (p *payment) creditSplits() {
	kept := p.netValue
	for _, sp := range p.splits {
		if settledSplit(sp) {
			continue
		}
		sp.status = splitDone
		sp.cancellationReason = nil
		if !sp.credited {
			sp.wallet.balance = sp.wallet.balance.Add(sp.total)
			sp.credited = true
		}
		kept = kept.Sub(sp.total)
	}
	p.acct.balance = p.acct.balance.Add(kept)
}

// debitSplits reverses creditSplits (refund, chargeback lost): every split is
// REFUNDED and credited amounts leave the destination wallets.
func (p *payment) debitSplits(credited bool) {
	kept := p.netValue
	for _, sp := range p.splits {
		if settledSplit(sp) {
			continue
		}
		if sp.credited {
			sp.wallet.balance = sp.wallet.balance.Sub(sp.total)
			sp.credited = false
			kept = kept.Sub(sp.total)
		}
		sp.status = splitRefunded
		sp.cancellationReason = nil
	}
	if credited {
		p.acct.balance = p.acct.balance.Sub(kept)
	}
}
