package activities

import (
	"context"

	"billing/asaas"
	"billing/db/dbgen"

	"github.com/google/uuid"
	shopspring "github.com/shopspring/decimal"
)

func nullDecimal(n asaas.Number) shopspring.NullDecimal {
	return shopspring.NullDecimal{Decimal: n.Decimal, Valid: true}
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// walletsOf maps the rules' payees to their Asaas walletIds ("" when none).
func walletsOf(ctx context.Context, q *dbgen.Queries, account uuid.UUID, rules []dbgen.ContractSplitRule) (map[uuid.UUID]string, error) {
	var ids []uuid.UUID
	for _, r := range rules {
		if r.PayeeID != nil {
			ids = append(ids, *r.PayeeID)
		}
	}
	out := map[uuid.UUID]string{}
	if len(ids) == 0 {
		return out, nil
	}
	payees, err := q.ListPayeesByIDs(ctx, dbgen.ListPayeesByIDsParams{AccountID: account, Ids: ids})
	if err != nil {
		return nil, err
	}
	for _, p := range payees {
		if p.AsaasWalletID != nil {
			out[p.ID] = *p.AsaasWalletID
		} else {
			out[p.ID] = ""
		}
	}
	return out, nil
}
