package e2e

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"billing/testenv"
	"billing/workflows"

	"github.com/stretchr/testify/require"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"google.golang.org/protobuf/encoding/protojson"
)

// recordHistories replays the finished runs of a queue watch or reconciliation
// workflow with the current code (a nondeterministic change fails here) and, with
// -update-histories (make histories), keeps them under workflows/testdata/histories
// as <name>-run<n>.json, where TestReplayRecordedHistories replays them on every
// later change.
func recordHistories(t *testing.T, s *stack, name, workflowID string) {
	t.Helper()
	replayer := worker.NewWorkflowReplayer()
	workflows.Register(replayer)
	logger := tlog.NewStructuredLogger(slog.New(slog.DiscardHandler))
	root, err := testenv.ModuleRoot()
	require.NoError(t, err)
	dir := filepath.Join(root, "workflows", "testdata", "histories")
	for i, h := range histories(t, s, workflowID) {
		require.NoError(t, replayer.ReplayWorkflowHistory(logger, h), "replay %s run %d", workflowID, i+1)
		if !*updateHistories {
			continue
		}
		raw, err := protojson.MarshalOptions{Indent: "  "}.Marshal(h)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-run%d.json", name, i+1)), raw, 0o644))
	}
}
