package loadtest

import (
	"context"
	"fmt"
	"time"

	"billing/asaassim"
	"billing/workflows"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
)

// Long: one contract of many installments run to completion. Its history must be
// cut by continue-as-new, not grow with every installment.
type Long struct {
	Installments          int     `json:"installments"`
	Runs                  int     `json:"runs"`
	HistoryEvents         int     `json:"history_events_all_runs"`
	LongestRun            int     `json:"longest_run_events"`
	EventsPerInstallment  float64 `json:"history_events_per_installment"`
	SecondsToComplete     float64 `json:"seconds_activate_to_completed"`
	ContinuedAsNewAtLeast bool    `json:"continued_as_new"`
}

func countRequest(query string) *workflowservice.CountWorkflowExecutionsRequest {
	return &workflowservice.CountWorkflowExecutionsRequest{Query: query}
}

func runLong(ctx context.Context, b *bench, p *progress) (Long, error) {
	o := b.opts
	res := Long{Installments: o.LongInstallments}
	clients, err := b.newClients(ctx, 1)
	if err != nil {
		return res, err
	}
	id, err := b.createContract(ctx, clients[0], contractSpec{installments: o.LongInstallments})
	if err != nil {
		return res, err
	}
	p.say("long: contract %s with %d installments", id, o.LongInstallments)
	start := time.Now()
	if err := b.activate(ctx, id); err != nil {
		return res, err
	}
	if err := b.waitCharges(ctx, p, "long contract charges", []string{id}, o.LongInstallments); err != nil {
		return res, err
	}
	charges, err := b.charges(ctx, []string{id})
	if err != nil {
		return res, err
	}
	ids := make([]string, len(charges))
	for i, c := range charges {
		ids[i] = c.PaymentID
		if err := b.sim.Pay(c.PaymentID, asaassim.PayOptions{BillingType: "PIX"}); err != nil {
			return res, err
		}
	}
	received, err := b.collector.waitFor(ctx, "PAYMENT_RECEIVED", ids)
	if err != nil {
		return res, err
	}
	p.say("long: delivering %d payments in order, one sender", len(ids))
	for _, pid := range ids {
		if err := b.api.deliver(ctx, received[pid].Raw); err != nil {
			return res, err
		}
	}
	if err := p.waitUntil(ctx, "long contract completed", 250*time.Millisecond, func(ctx context.Context) (bool, string, error) {
		var status string
		var paid int
		err := b.pool.QueryRow(ctx, `SELECT c.status, (SELECT count(*) FROM payments WHERE contract_id = c.id) FROM contracts c WHERE c.id = $1`, id).Scan(&status, &paid)
		return status == "completed", fmt.Sprintf("%s, %d/%d paid", status, paid, o.LongInstallments), err
	}, b.checkWorker); err != nil {
		return res, err
	}
	res.SecondsToComplete = round2(time.Since(start).Seconds())
	runs, err := historyRuns(ctx, b, workflows.ContractWorkflowID(id))
	if err != nil {
		return res, err
	}
	res.Runs = len(runs)
	for _, n := range runs {
		res.HistoryEvents += n
		res.LongestRun = max(res.LongestRun, n)
	}
	res.EventsPerInstallment = round2(float64(res.HistoryEvents) / float64(o.LongInstallments))
	res.ContinuedAsNewAtLeast = res.Runs > 1
	p.say("long: completed in %.0f s; %d runs, %d events in all (longest run %d), %.1f events per installment",
		res.SecondsToComplete, res.Runs, res.HistoryEvents, res.LongestRun, res.EventsPerInstallment)
	return res, nil
}

// historyRuns walks a workflow's chain of runs back from the newest through
// continue-as-new and returns each run's event count, newest first.
func historyRuns(ctx context.Context, b *bench, workflowID string) ([]int, error) {
	desc, err := b.tc.DescribeWorkflowExecution(ctx, workflowID, "")
	if err != nil {
		return nil, err
	}
	runID := desc.GetWorkflowExecutionInfo().GetExecution().GetRunId()
	var counts []int
	for runID != "" && len(counts) < 1000 {
		iter := b.tc.GetWorkflowHistory(ctx, workflowID, runID, false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		n, previous := 0, ""
		for iter.HasNext() {
			ev, err := iter.Next()
			if err != nil {
				return nil, err
			}
			if n == 0 {
				previous = ev.GetWorkflowExecutionStartedEventAttributes().GetContinuedExecutionRunId()
			}
			n++
		}
		counts = append(counts, n)
		runID = previous
	}
	return counts, nil
}
