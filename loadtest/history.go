package loadtest

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"billing/workflows"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
)

// HistoryPerPayment is what one payment costs its contract's workflow: the
// history events it adds (each one a write on the server) and, among them, the
// workflow tasks (each a round trip between server and worker), from the
// histories of sampled contracts before and after their payments.
type HistoryPerPayment struct {
	Contracts        int                `json:"contracts_sampled"`
	Payments         int                `json:"payments"`
	EventsPerPayment float64            `json:"events_per_payment"`
	TasksPerPayment  float64            `json:"workflow_tasks_per_payment"`
	ByType           map[string]float64 `json:"events_per_payment_by_type"`
}

// historySample is a contract's current run before its payments.
type historySample struct {
	workflowID string
	runID      string
	events     map[string]int
	payments   int
}

// sampleHistories reads the current run of up to n contracts' workflows.
func sampleHistories(ctx context.Context, tc client.Client, payments map[string]int, n int) ([]historySample, error) {
	contracts := make([]string, 0, len(payments))
	for c := range payments {
		contracts = append(contracts, c)
	}
	slices.Sort(contracts)
	if len(contracts) > n {
		contracts = contracts[:n]
	}
	out := make([]historySample, 0, len(contracts))
	for _, c := range contracts {
		id := workflows.ContractWorkflowID(c)
		desc, err := tc.DescribeWorkflowExecution(ctx, id, "")
		if err != nil {
			return nil, err
		}
		run := desc.GetWorkflowExecutionInfo().GetExecution().GetRunId()
		events, err := countEvents(ctx, tc, id, run)
		if err != nil {
			return nil, err
		}
		out = append(out, historySample{workflowID: id, runID: run, events: events, payments: payments[c]})
	}
	return out, nil
}

func countEvents(ctx context.Context, tc client.Client, workflowID, runID string) (map[string]int, error) {
	iter := tc.GetWorkflowHistory(ctx, workflowID, runID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	out := map[string]int{}
	for iter.HasNext() {
		ev, err := iter.Next()
		if err != nil {
			return nil, err
		}
		out[ev.GetEventType().String()]++
	}
	return out, nil
}

// historyPerPayment reads the sampled runs again and divides what was added by
// the payments applied; a run that continued as new meanwhile is left out.
func historyPerPayment(ctx context.Context, tc client.Client, before []historySample) (*HistoryPerPayment, error) {
	res := &HistoryPerPayment{ByType: map[string]float64{}}
	added := map[string]int{}
	for _, s := range before {
		after, err := countEvents(ctx, tc, s.workflowID, s.runID)
		if err != nil {
			return nil, err
		}
		if after[enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW.String()] > 0 {
			continue
		}
		res.Contracts++
		res.Payments += s.payments
		for typ, n := range after {
			if d := n - s.events[typ]; d > 0 {
				added[typ] += d
			}
		}
	}
	if res.Payments == 0 {
		return res, nil
	}
	total := 0
	for typ, n := range added {
		total += n
		res.ByType[typ] = round2(float64(n) / float64(res.Payments))
	}
	res.EventsPerPayment = round2(float64(total) / float64(res.Payments))
	res.TasksPerPayment = round2(float64(added[enumspb.EVENT_TYPE_WORKFLOW_TASK_STARTED.String()]) / float64(res.Payments))
	return res, nil
}

// breakdown lists the event types, most frequent first.
func (h *HistoryPerPayment) breakdown() string {
	types := make([]string, 0, len(h.ByType))
	for t := range h.ByType {
		types = append(types, t)
	}
	slices.SortFunc(types, func(a, b string) int {
		if h.ByType[a] != h.ByType[b] {
			if h.ByType[a] > h.ByType[b] {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(types))
	for i, t := range types {
		parts[i] = fmt.Sprintf("%s %.2f", t, h.ByType[t])
	}
	return strings.Join(parts, ", ")
}
