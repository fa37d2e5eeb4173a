package worker

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"

	"billing/db/dbgen"
	"billing/tenant"
	"billing/testenv"
	"billing/workflows"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The worker makes sure, when it starts, that every account with Asaas settings
// has its queue watch at QUEUE_WATCH_EVERY (settings saved while Temporal was
// away, an interval changed since), and none other.
func TestEnsureQueueWatchesAtStart(t *testing.T) {
	ctx := context.Background()
	pool := testenv.Postgres(t)
	tc := testenv.Temporal(t)
	account := func(name string, settings bool) string {
		p, err := tenant.CreateAccount(ctx, pool, name, "ops@"+name+".test", "Ops", true)
		require.NoError(t, err)
		if settings {
			_, err = dbgen.New(pool).UpsertAsaasSettings(ctx, dbgen.UpsertAsaasSettingsParams{AccountID: p.Account.ID,
				ApiKeyCiphertext: bytes.Repeat([]byte{1}, 40), ApiKeyLast4: "abcd", Environment: "sandbox", UpdatedBy: p.User.ID})
			require.NoError(t, err)
		}
		return p.Account.ID.String()
	}
	with, also, without := account("acme", true), account("globex", true), account("initech", false)
	t.Cleanup(func() {
		for _, id := range []string{with, also, without} {
			_ = tc.ScheduleClient().GetHandle(ctx, workflows.QueueWatchScheduleID(id)).Delete(ctx)
		}
	})
	every := func(id string) time.Duration {
		d, err := tc.ScheduleClient().GetHandle(ctx, workflows.QueueWatchScheduleID(id)).Describe(ctx)
		require.NoError(t, err)
		return d.Schedule.Spec.Intervals[0].Every
	}
	logger := slog.New(slog.DiscardHandler)

	assert.Zero(t, EnsureQueueWatches(ctx, pool, tc, 10*time.Minute, logger))
	assert.Equal(t, 10*time.Minute, every(with))
	assert.Equal(t, 10*time.Minute, every(also))
	_, err := tc.ScheduleClient().GetHandle(ctx, workflows.QueueWatchScheduleID(without)).Describe(ctx)
	assert.Error(t, err, "no settings, no watch")

	assert.Zero(t, EnsureQueueWatches(ctx, pool, tc, 3*time.Minute, logger), "again, with another interval")
	assert.Equal(t, 3*time.Minute, every(with))
	assert.Equal(t, 3*time.Minute, every(also))

	err = workflows.EnsureQueueWatchSchedule(ctx, tc, uuid.NewString(), 0)
	assert.ErrorContains(t, err, "must be positive")
}
