package workflows

import (
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
)

// TestReplayRecordedHistories replays histories of real runs (recorded by the e2e
// tests with -update-histories) against the current workflow code: a change that
// would make running workflows nondeterministic fails here, in `make test`. When a
// change is meant to alter behaviour, guard it with workflow.GetVersion and record
// new histories next to the old ones; never delete the old ones to make this pass.
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "histories", "*.json"))
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 4, "recorded histories are missing: run `make histories`")
	replayer := worker.NewWorkflowReplayer()
	Register(replayer)
	logger := tlog.NewStructuredLogger(slog.New(slog.DiscardHandler))
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			info, err := os.Stat(f)
			require.NoError(t, err)
			require.Positive(t, info.Size())
			require.NoError(t, replayer.ReplayWorkflowHistoryFromJSONFile(logger, f))
		})
	}
}
