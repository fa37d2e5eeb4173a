package tenant

import (
	"context"
	"errors"
	"fmt"

	"billing/db/dbgen"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// SetBillingEnabled turns the account's billing module on or off (while off, its API
// tokens get 403 and its webhooks are recorded as ignored). The change and its audit
// event (account.billing_enabled or account.billing_disabled, with the state before)
// commit together.
func SetBillingEnabled(ctx context.Context, pool *pgxpool.Pool, accountID uuid.UUID, enabled bool) (dbgen.Account, error) {
	var acct dbgen.Account
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		q := dbgen.New(tx)
		before, err := q.GetAccountForUpdate(ctx, accountID)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("account %s does not exist", accountID)
		}
		if err != nil {
			return err
		}
		if acct, err = q.SetAccountBillingEnabled(ctx, dbgen.SetAccountBillingEnabledParams{ID: accountID, BillingEnabled: enabled}); err != nil {
			return err
		}
		action := "account.billing_disabled"
		if enabled {
			action = "account.billing_enabled"
		}
		return operatorAudit(ctx, q, accountID, action, "account", accountID, map[string]any{
			"billing_enabled": enabled, "was_enabled": before.BillingEnabled})
	})
	return acct, err
}
