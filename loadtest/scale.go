package loadtest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"billing/workflows"
)

// Scale: many open contracts waiting for payments on one worker, its memory and
// the size of each waiting contract's history.
type Scale struct {
	OpenContracts     int        `json:"open_contracts"`
	RunningWorkflows  int64      `json:"running_contract_workflows"`
	Activation        Throughput `json:"contracts_activated"`
	Worker            Memory     `json:"worker_memory"`
	HistorySampled    int        `json:"history_sampled"`
	HistoryLengthMean float64    `json:"history_length_mean"`
	HistoryLengthMax  int64      `json:"history_length_max"`
}

func runScale(ctx context.Context, b *bench, p *progress) (Scale, error) {
	o := b.opts
	res := Scale{}
	if len(b.clients) == 0 {
		clients, err := b.newClients(ctx, 200)
		if err != nil {
			return res, err
		}
		b.clients = clients
	}
	p.say("scale: drafting and activating %d contracts of one installment, %d at a time", o.ScaleContracts, o.Concurrency)
	start := time.Now()
	ids, err := b.createAndActivate(ctx, o.ScaleContracts, o.Concurrency, b.clients, contractSpec{installments: 1}, nil)
	if err != nil {
		return res, err
	}
	if err := b.waitCharges(ctx, p, "scale activation", ids, 1); err != nil {
		return res, err
	}
	res.Activation = throughput(len(ids), time.Since(start), 0)
	if err := b.pool.QueryRow(ctx, `SELECT count(*) FROM contracts WHERE account_id = $1 AND status = 'active' AND id = ANY($2::uuid[])`, b.accountID, ids).Scan(&res.OpenContracts); err != nil {
		return res, err
	}
	// Every contract of the run that is still open counts: they all sit on this worker.
	count, err := b.tc.CountWorkflow(ctx, countRequest(`WorkflowType = 'ContractWorkflow' AND ExecutionStatus = 'Running'`))
	if err != nil {
		return res, err
	}
	res.RunningWorkflows = count.GetCount()
	time.Sleep(2 * time.Second) // let the last tasks finish before reading memory
	if res.Worker, err = b.worker.memory(); err != nil {
		return res, err
	}
	rnd := rand.New(rand.NewPCG(uint64(o.Seed), 7))
	sample := min(100, len(ids))
	var total, maxLen int64
	for i := 0; i < sample; i++ {
		id := ids[rnd.IntN(len(ids))]
		desc, err := b.tc.DescribeWorkflowExecution(ctx, workflows.ContractWorkflowID(id), "")
		if err != nil {
			return res, fmt.Errorf("describe contract %s: %w", id, err)
		}
		n := desc.GetWorkflowExecutionInfo().GetHistoryLength()
		total += n
		maxLen = max(maxLen, n)
	}
	res.HistorySampled = sample
	if sample > 0 {
		res.HistoryLengthMean = round2(float64(total) / float64(sample))
	}
	res.HistoryLengthMax = maxLen
	p.say("scale: %d open contracts (%d running contract workflows); worker RSS %.0f MiB (peak %.0f MiB); history %.1f events each (max %d)",
		res.OpenContracts, res.RunningWorkflows, res.Worker.RSSMiB, res.Worker.PeakMiB, res.HistoryLengthMean, res.HistoryLengthMax)
	return res, nil
}
