package worker

import (
	"context"
	"log/slog"
	"time"

	"billing/db/dbgen"
	"billing/workflows"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
)

// EnsureQueueWatches makes sure every account with Asaas settings has its queue
// watch schedule (workflows.EnsureQueueWatchSchedule) at `every`: accounts whose
// settings were saved while Temporal was away, and a changed QUEUE_WATCH_EVERY.
// The worker runs it in the background when it starts; it returns how many
// schedules it could not ensure (each is logged).
func EnsureQueueWatches(ctx context.Context, pool *pgxpool.Pool, c client.Client, every time.Duration, logger *slog.Logger) int {
	accounts, err := dbgen.New(pool).ListAccountsWithAsaasSettings(ctx)
	if err != nil {
		logger.Error("queue watch schedules not ensured: accounts not listed", "error", err)
		return -1
	}
	failed := 0
	for _, acct := range accounts {
		if err := workflows.EnsureQueueWatchSchedule(ctx, c, acct.String(), every); err != nil {
			failed++
			logger.Error("queue watch schedule not ensured", "account", acct, "error", err)
		}
	}
	logger.Info("queue watch schedules ensured", "accounts", len(accounts)-failed, "failed", failed, "every", every)
	return failed
}
