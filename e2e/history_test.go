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

// generation names this generation of recordings; it changes when workflow code
// gains a version marker, so a new recording never overwrites an old one. Older
// recordings (the first event path with webhook-event workflows, the one-hop path
// before later markers, the queue watch that slept before its sweep) stay as they
// were recorded, so the branches kept for running workflows stay guarded too.
// (Queue watch and reconciliation runs were last recorded as "closing-check",
// the charge's life and the other contracts as "split-read-later".)
const generation = "found-split-read"

// replayAndRecord replays and records this run's contract workflow
// (<name>-<generation>-contract-run<n>).
func replayAndRecord(t *testing.T, s *stack, name, contractWorkflowID string) {
	t.Helper()
	recordHistories(t, s, name+"-"+generation+"-contract", contractWorkflowID)
}

// recordHistories replays every run of a workflow with the current code (a
// nondeterministic change fails here) and, with -update-histories (make
// histories), keeps them under workflows/testdata/histories as <name>-run<n>.json,
// where TestReplayRecordedHistories replays them on every later change.
func recordHistories(t *testing.T, s *stack, name, workflowID string) {
	t.Helper()
	replayer := worker.NewWorkflowReplayer()
	workflows.Register(replayer)
	logger := tlog.NewStructuredLogger(slog.New(slog.DiscardHandler))
	root, err := testenv.ModuleRoot()
	require.NoError(t, err)
	dir := filepath.Join(root, "workflows", "testdata", "histories")
	for i, h := range histories(t, s, workflowID) {
		if len(h.Events) < 3 {
			continue // a run that just started: no workflow task to replay yet
		}
		require.NoError(t, replayer.ReplayWorkflowHistory(logger, h), "replay %s run %d", workflowID, i+1)
		if !*updateHistories {
			continue
		}
		raw, err := protojson.MarshalOptions{Indent: "  "}.Marshal(h)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-run%d.json", name, i+1)), raw, 0o644))
	}
}
