package e2e

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"billing/testenv"
	"billing/workflows"

	"github.com/stretchr/testify/require"
	historypb "go.temporal.io/api/history/v1"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"google.golang.org/protobuf/encoding/protojson"
)

// histories are a workflow's runs, oldest first (several when it continued as new).
func histories(t *testing.T, s *stack, workflowID string) []*historypb.History {
	t.Helper()
	var out []*historypb.History
	runID := ""
	for {
		h := history(t, s, workflowID, runID)
		out = append([]*historypb.History{h}, out...)
		first := h.Events[0].GetWorkflowExecutionStartedEventAttributes()
		if first.GetContinuedExecutionRunId() == "" {
			return out
		}
		runID = first.GetContinuedExecutionRunId()
	}
}

func history(t *testing.T, s *stack, workflowID, runID string) *historypb.History {
	t.Helper()
	iter := s.tc.GetWorkflowHistory(context.Background(), workflowID, runID, false, 0)
	h := &historypb.History{}
	for iter.HasNext() {
		ev, err := iter.Next()
		require.NoError(t, err)
		h.Events = append(h.Events, ev)
	}
	return h
}

// replayAndRecord replays the histories of this run's contract workflow with the
// current code (a nondeterministic change fails here), and with -update-histories
// keeps them under workflows/testdata/histories as <name>-<recordedKind>-run<n>,
// where TestReplayRecordedHistories replays them on every later change. Older
// recordings (the first event path with webhook-event workflows, the one-hop
// path before later version markers) stay there as they were recorded, so the
// branches kept for running workflows stay guarded too.
// recordedKind names this generation of recordings; it changes when the contract
// workflow gains a version marker, so a new recording never overwrites an old one.
const recordedKind = "closing-check-contract"

func replayAndRecord(t *testing.T, s *stack, name, contractWorkflowID string) {
	t.Helper()
	ids := []string{contractWorkflowID}
	record := map[string]string{contractWorkflowID: recordedKind}
	replayer := worker.NewWorkflowReplayer()
	workflows.Register(replayer)
	logger := tlog.NewStructuredLogger(slog.New(slog.DiscardHandler))
	root, err := testenv.ModuleRoot()
	require.NoError(t, err)
	dir := filepath.Join(root, "workflows", "testdata", "histories")
	for _, id := range ids {
		for i, h := range histories(t, s, id) {
			if len(h.Events) < 3 {
				continue // a run that just started: no workflow task to replay yet
			}
			require.NoError(t, replayer.ReplayWorkflowHistory(logger, h), "replay %s", id)
			kind, keep := record[id]
			if !*updateHistories || !keep {
				continue
			}
			raw, err := protojson.MarshalOptions{Indent: "  "}.Marshal(h)
			require.NoError(t, err)
			require.NoError(t, os.MkdirAll(dir, 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%s-run%d.json", name, kind, i+1)), raw, 0o644))
		}
	}
}
