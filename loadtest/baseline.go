package loadtest

import (
	"context"
	"fmt"

	"go.temporal.io/sdk/client"
)

// Baselines are the same server's bare speed, measured in the same run, so every
// product figure is also a ratio that survives a noisy machine.
type Baselines struct {
	StartSequential  Measured `json:"temporal_start_workflow_sequential"`
	StartConcurrent  Measured `json:"temporal_start_workflow_concurrent"`
	SignalSequential Measured `json:"temporal_signal_sequential"`
	SignalConcurrent Measured `json:"temporal_signal_concurrent"`
	// SignalConcurrentCPU is where the CPU went during SignalConcurrent, per signal.
	SignalConcurrentCPU *CPUSplit `json:"temporal_signal_concurrent_cpu,omitempty"`
	InsertSequential    Measured  `json:"postgres_insert_sequential"`
	InsertConcurrent    Measured  `json:"postgres_insert_concurrent"`
}

const bareTaskQueue = "loadtest-bare" // nobody polls it: the server's own cost only

// bareStart starts workflows of a type no worker knows, the least a start can do.
func bareStart(ctx context.Context, tc client.Client, prefix string, n, conc int) Measured {
	return measure(ctx, n, conc, func(ctx context.Context, i int) error {
		_, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: fmt.Sprintf("%s-%d", prefix, i), TaskQueue: bareTaskQueue}, "BareNoop")
		return err
	})
}

func runBaselines(ctx context.Context, s *stack, p *progress) (Baselines, error) {
	o := s.opts
	var b Baselines
	p.say("baseline: bare StartWorkflow, one client, sequential (%d)", o.BaselineOps)
	b.StartSequential = bareStart(ctx, s.tc, "bare-seq", o.BaselineOps, 1)
	p.say("baseline: bare StartWorkflow at %d concurrent (%d)", o.Concurrency, o.BaselineOps)
	b.StartConcurrent = bareStart(ctx, s.tc, "bare-conc", o.BaselineOps, o.Concurrency)

	// Signals spread over 64 running workflows, as payments spread over contracts.
	const targets = 64
	for i := 0; i < targets; i++ {
		if _, err := s.tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: fmt.Sprintf("bare-signal-%d", i), TaskQueue: bareTaskQueue}, "BareNoop"); err != nil {
			return b, err
		}
	}
	signal := func(ctx context.Context, i int) error {
		return s.tc.SignalWorkflow(ctx, fmt.Sprintf("bare-signal-%d", i%targets), "", "bare", i)
	}
	p.say("baseline: bare SignalWorkflow, one client, sequential (%d)", o.BaselineOps)
	b.SignalSequential = measure(ctx, o.BaselineOps, 1, signal)
	p.say("baseline: bare SignalWorkflow at %d concurrent (%d)", o.Concurrency, o.BaselineOps)
	b.SignalConcurrent, b.SignalConcurrentCPU = s.cpuDuring(ctx, o.BaselineOps, func() Measured {
		return measure(ctx, o.BaselineOps, o.Concurrency, signal)
	})
	if c := b.SignalConcurrentCPU; c != nil {
		p.say("baseline: %s", c.per("bare signal"))
	}

	if _, err := s.pool.Exec(ctx, `CREATE TABLE IF NOT EXISTS loadtest_bare_insert (id bigserial PRIMARY KEY, payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return b, err
	}
	insert := func(ctx context.Context, i int) error {
		_, err := s.pool.Exec(ctx, `INSERT INTO loadtest_bare_insert (payload) VALUES ($1)`, fmt.Sprintf(`{"n":%d}`, i))
		return err
	}
	p.say("baseline: PostgreSQL single-row INSERT, sequential and at %d concurrent (%d each)", o.Concurrency, o.BaselineOps)
	b.InsertSequential = measure(ctx, o.BaselineOps, 1, insert)
	b.InsertConcurrent = measure(ctx, o.BaselineOps, o.Concurrency, insert)
	if _, err := s.pool.Exec(ctx, `DROP TABLE loadtest_bare_insert`); err != nil {
		return b, err
	}
	for _, m := range []Measured{b.StartSequential, b.StartConcurrent, b.SignalSequential, b.SignalConcurrent, b.InsertSequential, b.InsertConcurrent} {
		if m.Throughput.Errors > 0 {
			return b, fmt.Errorf("baseline had %d errors: %s", m.Throughput.Errors, m.FirstError)
		}
	}
	return b, nil
}
