package loadtest

import (
	"context"
	"fmt"
	"time"
)

// Ingestion: webhooks answered 200 per second and their latency, one sender (as
// Asaas delivers in SEQUENTIALLY mode) and many. Each is stored (queued for the
// relay) and handed to its contract's workflow. The worker is stopped meanwhile,
// as no worker polls the bare Signal baseline's workflows either: both figures
// are the cost of accepting an event, not of processing it (see EndToEnd).
type Ingestion struct {
	Sequential Measured `json:"sequential"`
	Concurrent Measured `json:"concurrent"`
	// ConcurrentCPU is where the CPU went during Concurrent, per webhook (the
	// signals still running in the background when the last answer came are
	// not all in it).
	ConcurrentCPU      *CPUSplit `json:"concurrent_cpu,omitempty"`
	RatioSequential    float64   `json:"ratio_to_bare_signal_sequential"`
	RatioConcurrent    float64   `json:"ratio_to_bare_signal_concurrent"`
	DrainAfterRestartS float64   `json:"drain_after_restart_s"`
}

func runIngestion(ctx context.Context, b *bench, p *progress, base Baselines, charges []chargeOf) (Ingestion, error) {
	o := b.opts
	var res Ingestion
	ids := make([]string, len(charges))
	for i, c := range charges {
		ids[i] = c.PaymentID
	}
	created, err := b.collector.waitFor(ctx, "PAYMENT_CREATED", ids)
	if err != nil {
		return res, err
	}
	events := make([][]byte, 0, len(ids))
	for _, id := range ids {
		events = append(events, created[id].Raw)
	}
	p.say("ingestion: stopping the worker, so only acceptance is measured")
	if err := b.worker.stop(); err != nil {
		return res, err
	}
	deliver := func(offset int) func(ctx context.Context, i int) error {
		return func(ctx context.Context, i int) error { return b.api.deliver(ctx, events[offset+i]) }
	}
	p.say("ingestion: %d PAYMENT_CREATED webhooks, one sender", o.IngestSequential)
	res.Sequential = measure(ctx, o.IngestSequential, 1, deliver(0))
	p.say("ingestion: %d webhooks, %d senders", o.IngestConcurrent, o.Concurrency)
	stopProfile := b.profile(p, "ingestion-concurrent")
	res.Concurrent, res.ConcurrentCPU = b.cpuDuring(ctx, o.IngestConcurrent, func() Measured {
		return measure(ctx, o.IngestConcurrent, o.Concurrency, deliver(o.IngestSequential))
	})
	stopProfile()
	if c := res.ConcurrentCPU; c != nil {
		p.say("ingestion: %s", c.per("accepted webhook"))
	}
	res.RatioSequential = ratio(res.Sequential.Throughput.PerSec, base.SignalSequential.Throughput.PerSec)
	res.RatioConcurrent = ratio(res.Concurrent.Throughput.PerSec, base.SignalConcurrent.Throughput.PerSec)
	for _, m := range []Measured{res.Sequential, res.Concurrent} {
		if m.Throughput.Errors > 0 {
			return res, fmt.Errorf("ingestion: %d webhooks not answered 200: %s", m.Throughput.Errors, m.FirstError)
		}
	}
	p.say("ingestion: sequential %.0f/s p99 %.1f ms (×%.2f of bare signal); concurrent %.0f/s p99 %.1f ms (×%.2f)",
		res.Sequential.Throughput.PerSec, res.Sequential.Latency.P99, res.RatioSequential,
		res.Concurrent.Throughput.PerSec, res.Concurrent.Latency.P99, res.RatioConcurrent)

	p.say("ingestion: restarting the worker; waiting for the backlog to drain")
	start := time.Now()
	if err := b.worker.start(); err != nil {
		return res, err
	}
	if err := b.waitEventsSettled(ctx, p, "ingestion backlog"); err != nil {
		return res, err
	}
	res.DrainAfterRestartS = round2(time.Since(start).Seconds())
	return res, nil
}

// waitEventsSettled waits until no stored webhook event of the account is still
// waiting for its workflow to record an outcome.
func (b *bench) waitEventsSettled(ctx context.Context, p *progress, what string) error {
	return p.waitUntil(ctx, what, 250*time.Millisecond, func(ctx context.Context) (bool, string, error) {
		var n int
		err := b.pool.QueryRow(ctx, `SELECT count(*) FROM webhook_events WHERE account_id = $1 AND status = 'received'`, b.accountID).Scan(&n)
		return n == 0, fmt.Sprintf("%d events still being processed", n), err
	}, b.checkWorker)
}
