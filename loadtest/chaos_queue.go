package loadtest

import (
	"context"
	"fmt"
	"time"

	"billing/asaas"
	"billing/workflows"

	"github.com/google/uuid"
	"go.temporal.io/sdk/client"
)

// QueueChaos is the chaos run's webhooks that never came: a share of events
// lost for good at the gateway, the account's queue paused once, and how the
// product found out (the account's queue watch reactivating it, its sweeps and
// the contracts' own checks repairing what was lost).
type QueueChaos struct {
	LossRate   float64 `json:"loss_rate"`
	WatchEvery string  `json:"queue_watch_every"`
	SweepEvery string  `json:"queue_sweep_every"`
	EventsLost int     `json:"events_lost"`
	// PaymentsLost are payments whose every money event (PAYMENT_CONFIRMED,
	// PAYMENT_RECEIVED) was lost: only a check with Asaas can find them.
	PaymentsLost     int `json:"payments_lost"`
	PaymentsRepaired int `json:"payments_repaired"`
	// TimeToRepair runs from the first lost money event (the gateway's clock)
	// to the payment recorded at our side.
	TimeToRepair Latency `json:"time_to_repair"`
	// QueueInterrupted is how long the paused queue stayed interrupted before the
	// watch reactivated it (-1: it never was).
	QueueInterruptedSeconds float64 `json:"queue_interrupted_seconds"`
	Sweeps                  int     `json:"sweeps"`
}

// watchQueue puts the chaos account under its queue watch, as PUT
// /v1/settings/asaas does in production (EnsureQueueWatchSchedule), at the
// run's short interval; the bench's other accounts are idle and their watches
// paused, so the sweeps measured are this account's.
func (b *bench) watchQueue(ctx context.Context) error {
	every := b.opts.ChaosWatchEvery
	rows, err := b.pool.Query(ctx, `SELECT account_id FROM asaas_settings`)
	if err != nil {
		return err
	}
	var accounts []uuid.UUID
	for rows.Next() {
		var id uuid.UUID
		if err := rows.Scan(&id); err != nil {
			return err
		}
		accounts = append(accounts, id)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range accounts {
		if err := workflows.EnsureQueueWatchSchedule(ctx, b.tc, id.String(), every); err != nil {
			return fmt.Errorf("queue watch of %s: %w", id, err)
		}
		if id == b.accountID {
			continue
		}
		h := b.tc.ScheduleClient().GetHandle(ctx, workflows.QueueWatchScheduleID(id.String()))
		if err := h.Pause(ctx, client.SchedulePauseOptions{Note: "bench: an idle account; the chaos run measures its own"}); err != nil {
			return err
		}
	}
	return nil
}

// pauseQueue interrupts the account's queue at the gateway (as Asaas does after
// 15 failed deliveries) and reports, once the watch has reactivated it, how long
// it stayed interrupted. Events keep queueing meanwhile and arrive after.
func (b *bench) pauseQueue(ctx context.Context) (<-chan float64, error) {
	if err := b.sim.PauseWebhooks(b.merchant.ID); err != nil {
		return nil, err
	}
	start := time.Now()
	done := make(chan float64, 1)
	go func() {
		defer close(done)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				done <- -1
				return
			case <-tick.C:
				if st, err := b.sim.Webhook(b.merchant.ID); err == nil && !st.Paused {
					done <- round2(time.Since(start).Seconds())
					return
				}
			}
		}
	}()
	return done, nil
}

// measureLoss reads what the gateway lost and when each lost payment reached our side.
func (b *bench) measureLoss(ctx context.Context, res *QueueChaos) error {
	deliveries, err := b.sim.Deliveries(b.merchant.ID)
	if err != nil {
		return err
	}
	lostAt := map[string]time.Time{} // payment → its first lost money event
	reached := map[string]bool{}     // payment → a money event of it was not lost
	for _, d := range deliveries {
		if d.Status == "lost" {
			res.EventsLost++
		}
		if d.PaymentID == "" || !moneyEvent(d.Event) {
			continue
		}
		if d.Status != "lost" {
			reached[d.PaymentID] = true
			continue
		}
		if at, ok := lostAt[d.PaymentID]; !ok || d.EmittedAt.Before(at) {
			lostAt[d.PaymentID] = d.EmittedAt
		}
	}
	var ids []string
	for id := range lostAt {
		if !reached[id] {
			ids = append(ids, id)
		}
	}
	res.PaymentsLost = len(ids)
	rows, err := b.pool.Query(ctx, `SELECT asaas_payment_id, created_at FROM payments WHERE account_id = $1 AND asaas_payment_id = ANY($2)`, b.accountID, ids)
	if err != nil {
		return err
	}
	defer rows.Close()
	var took []time.Duration
	for rows.Next() {
		var id string
		var at time.Time
		if err := rows.Scan(&id, &at); err != nil {
			return err
		}
		took = append(took, at.Sub(lostAt[id]))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	res.PaymentsRepaired = len(took)
	res.TimeToRepair = summarize(took)
	return b.pool.QueryRow(ctx, `SELECT count(*) FROM reconciliations WHERE account_id = $1 AND source = 'queue-sweep'`, b.accountID).Scan(&res.Sweeps)
}

func moneyEvent(event string) bool {
	return event == asaas.EventPaymentReceived || event == asaas.EventPaymentConfirmed
}

// lossRate sets the share of the account's webhook events lost for good.
func (b *bench) lossRate(rate float64) error {
	if rate <= 0 {
		return b.sim.SetLossRate(b.merchant.ID, nil)
	}
	return b.sim.SetLossRate(b.merchant.ID, &rate)
}
