package loadtest

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"billing/asaassim"
)

// EndToEnd: payments fully applied per second, from the webhook sent to the
// payment and its split entries visible in PostgreSQL (one transaction), and the
// lag of each. Visibility is polled every 20 ms, which bounds the lag's resolution.
type EndToEnd struct {
	Payments    int        `json:"payments"`
	Concurrency int        `json:"concurrency"`
	Throughput  Throughput `json:"payments_applied"`
	Lag         Latency    `json:"lag"`
	Webhook     Latency    `json:"webhook_latency"`
	RatioSignal float64    `json:"ratio_to_bare_signal"`
	// History is what a payment costs its contract's workflow (sampled).
	History *HistoryPerPayment `json:"history_per_payment,omitempty"`
	// CPU is where the machine's time went from the first webhook sent to the
	// last payment applied.
	CPU *CPUSplit `json:"cpu,omitempty"`
}

// historySamples is how many contracts' histories are read around the burst.
const historySamples = 50

const visibilityPoll = 20 * time.Millisecond

func runEndToEnd(ctx context.Context, b *bench, p *progress, base Baselines, charges []chargeOf) (EndToEnd, error) {
	o := b.opts
	res := EndToEnd{Payments: o.E2EPayments, Concurrency: o.Concurrency}
	// Installment 1 of every contract first, then 2, ...: payments spread over contracts.
	pick := append([]chargeOf(nil), charges...)
	sort.SliceStable(pick, func(i, j int) bool { return pick[i].Number < pick[j].Number })
	pick = pick[:o.E2EPayments]
	ids := make([]string, len(pick))
	p.say("e2e: paying %d charges by PIX at the simulator", len(pick))
	for i, c := range pick {
		ids[i] = c.PaymentID
		if err := b.sim.Pay(c.PaymentID, asaassim.PayOptions{BillingType: "PIX"}); err != nil {
			return res, fmt.Errorf("pay %s at the simulator: %w", c.PaymentID, err)
		}
	}
	received, err := b.collector.waitFor(ctx, "PAYMENT_RECEIVED", ids)
	if err != nil {
		return res, err
	}

	perContract := map[string]int{}
	for _, c := range pick {
		perContract[c.Contract]++
	}
	sampled, err := sampleHistories(ctx, b.tc, perContract, historySamples)
	if err != nil {
		return res, fmt.Errorf("e2e: read histories: %w", err)
	}

	cpuBefore, err := b.cpuNow(ctx)
	if err != nil {
		return res, err
	}
	seen := newVisibility(b)
	pollCtx, stopPoll := context.WithCancel(ctx)
	pollDone := make(chan error, 1)
	since := time.Now().Add(-time.Second)
	go func() { pollDone <- seen.poll(pollCtx, since) }()

	p.say("e2e: sending the %d PAYMENT_RECEIVED webhooks, %d senders", len(ids), o.Concurrency)
	var mu sync.Mutex
	sent := make(map[string]time.Time, len(ids))
	start := time.Now()
	stopProfile := b.profile(p, "e2e")
	m := measure(ctx, len(ids), o.Concurrency, func(ctx context.Context, i int) error {
		mu.Lock()
		sent[ids[i]] = time.Now()
		mu.Unlock()
		return b.api.deliver(ctx, received[ids[i]].Raw)
	})
	if m.Throughput.Errors > 0 {
		stopProfile()
		stopPoll()
		return res, fmt.Errorf("e2e: %d webhooks not answered 200: %s", m.Throughput.Errors, m.FirstError)
	}
	res.Webhook = m.Latency
	err = p.waitUntil(ctx, "e2e payments applied", 100*time.Millisecond, func(context.Context) (bool, string, error) {
		n := seen.count(ids)
		return n == len(ids), fmt.Sprintf("%d/%d applied", n, len(ids)), nil
	}, b.checkWorker)
	cpuAfter, cerr := b.cpuNow(ctx)
	stopProfile()
	stopPoll()
	if err == nil {
		err = cerr
	}
	if perr := <-pollDone; err == nil && perr != nil && ctx.Err() == nil {
		err = perr
	}
	if err != nil {
		return res, err
	}
	var lags []time.Duration
	var last time.Time
	for _, id := range ids {
		at := seen.at(id)
		lags = append(lags, at.Sub(sent[id]))
		if at.After(last) {
			last = at
		}
	}
	res.Throughput = throughput(len(ids), last.Sub(start), 0)
	res.Lag = summarize(lags)
	res.RatioSignal = ratio(res.Throughput.PerSec, base.SignalConcurrent.Throughput.PerSec)
	split := cpuBefore.split(cpuAfter, len(ids), time.Since(start).Seconds())
	res.CPU = &split
	p.say("e2e: %s", split)
	p.say("e2e: %.0f payments/s applied (×%.2f of bare signal), lag p50 %.0f ms p99 %.0f ms",
		res.Throughput.PerSec, res.RatioSignal, res.Lag.P50, res.Lag.P99)
	if err := b.waitEventsSettled(ctx, p, "e2e events"); err != nil {
		return res, err
	}
	if res.History, err = historyPerPayment(ctx, b.tc, sampled); err != nil {
		return res, fmt.Errorf("e2e: read histories: %w", err)
	}
	p.say("e2e: %.1f history events per payment (%.2f workflow tasks), %d contracts sampled",
		res.History.EventsPerPayment, res.History.TasksPerPayment, res.History.Contracts)
	return res, nil
}

// visibility records when each gateway payment first became visible (committed).
type visibility struct {
	b  *bench
	mu sync.Mutex
	ts map[string]time.Time
}

func newVisibility(b *bench) *visibility { return &visibility{b: b, ts: map[string]time.Time{}} }

// poll reads payments created since a moving cursor; the two-second overlap
// catches transactions that started before the cursor but committed after it.
func (v *visibility) poll(ctx context.Context, since time.Time) error {
	cursor := since
	for {
		rows, err := v.b.pool.Query(ctx, `SELECT asaas_payment_id, created_at FROM payments
			WHERE account_id = $1 AND created_at >= $2 AND asaas_payment_id IS NOT NULL`, v.b.accountID, cursor.Add(-2*time.Second))
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		now := time.Now()
		v.mu.Lock()
		for rows.Next() {
			var id string
			var created time.Time
			if err := rows.Scan(&id, &created); err != nil {
				rows.Close()
				v.mu.Unlock()
				return err
			}
			if _, ok := v.ts[id]; !ok {
				v.ts[id] = now
			}
			if created.After(cursor) {
				cursor = created
			}
		}
		v.mu.Unlock()
		rows.Close()
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(visibilityPoll):
		}
	}
}

func (v *visibility) count(ids []string) int {
	v.mu.Lock()
	defer v.mu.Unlock()
	n := 0
	for _, id := range ids {
		if _, ok := v.ts[id]; ok {
			n++
		}
	}
	return n
}

func (v *visibility) at(id string) time.Time {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.ts[id]
}
