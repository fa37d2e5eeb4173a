package loadtest

import (
	"context"
	"fmt"

	"billing/asaas"
	"billing/domain"

	"github.com/shopspring/decimal"
)

// gatherFacts reads what the audit needs: every emitted event's stored outcome,
// every contract's status, installments, payments and split sums from
// PostgreSQL, and every live charge of each installment from the gateway itself
// (listed by externalReference, so a charge we never recorded is found too).
func gatherFacts(ctx context.Context, b *bench, contracts []*chaosContract, emitted []collected) (auditFacts, error) {
	var f auditFacts
	stored := map[string]eventFact{}
	rows, err := b.pool.Query(ctx, `SELECT asaas_event_id, status, coalesce(reason, '') FROM webhook_events WHERE account_id = $1 AND asaas_event_id IS NOT NULL`, b.accountID)
	if err != nil {
		return f, err
	}
	for rows.Next() {
		var e eventFact
		if err := rows.Scan(&e.ID, &e.Status, &e.Reason); err != nil {
			rows.Close()
			return f, err
		}
		e.Stored = true
		stored[e.ID] = e
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return f, err
	}
	for _, ev := range emitted {
		e, ok := stored[ev.ID]
		if !ok {
			e = eventFact{ID: ev.ID}
		}
		f.Events = append(f.Events, e)
	}

	gw := asaas.New(asaas.Options{BaseURL: b.simURL, APIKey: b.merchant.APIKey})
	for _, c := range contracts {
		cf := contractFact{ID: c.id, Plan: c.plan}
		if err := b.pool.QueryRow(ctx, `SELECT status FROM contracts WHERE account_id = $1 AND id = $2`, b.accountID, c.id).Scan(&cf.Status); err != nil {
			return f, fmt.Errorf("contract %s: %w", c.id, err)
		}
		rows, err := b.pool.Query(ctx, `SELECT i.number, i.status, p.id::text, p.origin, coalesce(p.asaas_payment_id, ''), p.amount,
				(SELECT coalesce(sum(e.amount), 0) FROM split_entries e WHERE e.payment_id = p.id)
			FROM installments i LEFT JOIN payments p ON p.installment_id = i.id
			WHERE i.account_id = $1 AND i.contract_id = $2 ORDER BY i.number`, b.accountID, c.id)
		if err != nil {
			return f, err
		}
		byNumber := map[int]*installmentFact{}
		var order []int
		for rows.Next() {
			var n int
			var status string
			var pid, origin, asaasID *string
			var amount, sum *decimal.Decimal
			if err := rows.Scan(&n, &status, &pid, &origin, &asaasID, &amount, &sum); err != nil {
				rows.Close()
				return f, err
			}
			in := byNumber[n]
			if in == nil {
				in = &installmentFact{Number: n, Status: status}
				byNumber[n] = in
				order = append(order, n)
			}
			if pid != nil {
				in.Payments = append(in.Payments, paymentFact{ID: *pid, Origin: *origin, AsaasPaymentID: *asaasID, Amount: *amount, SplitSum: *sum})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return f, err
		}
		for _, n := range order {
			in := byNumber[n]
			live, err := gw.ListAllPayments(ctx, asaas.PaymentFilter{ExternalReference: domain.ChargeReference(c.id, n)})
			if err != nil {
				return f, fmt.Errorf("list charges of %s#%d at the gateway: %w", c.id, n, err)
			}
			for _, p := range live {
				in.Live = append(in.Live, gatewayCharge{ID: p.ID, Status: p.Status})
			}
			cf.Installments = append(cf.Installments, *in)
		}
		f.Contracts = append(f.Contracts, cf)
	}
	return f, nil
}
