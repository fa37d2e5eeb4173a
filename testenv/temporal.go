package testenv

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"billing/temporalclient"
	"billing/temporaldev"
	"billing/workflows"

	"go.temporal.io/sdk/client"
)

var (
	temporalMu     sync.Mutex
	temporalServer *temporaldev.Server
	temporalAddr   string
)

// Run wraps testing.M so the package's dev server (if one was started) stops after
// the tests: use it as `func TestMain(m *testing.M) { os.Exit(testenv.Run(m)) }`.
func Run(m *testing.M) int {
	code := m.Run()
	temporalMu.Lock()
	defer temporalMu.Unlock()
	if temporalServer != nil {
		_ = temporalServer.Stop()
		temporalServer = nil
	}
	return code
}

// TemporalAddress starts (once per test binary) a real Temporal dev server from the
// tools build and returns its frontend address.
func TemporalAddress(t testing.TB) string {
	t.Helper()
	temporalMu.Lock()
	defer temporalMu.Unlock()
	if temporalServer != nil {
		return temporalAddr
	}
	cli, err := temporalCLI()
	if err != nil {
		t.Fatalf("integration tests need the temporal CLI: %v", err)
	}
	addr, err := temporaldev.FreeAddress()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out io.Writer = io.Discard
	if os.Getenv("TEST_TEMPORAL_LOGS") != "" {
		out = os.Stderr
	}
	srv, err := temporaldev.Start(ctx, temporaldev.Options{
		CLIPath: cli, Address: addr, Namespace: "default",
		SearchAttributes: workflows.SearchAttributes(), Output: out,
	})
	if err != nil {
		t.Fatalf("start temporal dev server: %v", err)
	}
	temporalServer, temporalAddr = srv, addr
	return addr
}

// Temporal returns a client of the package's dev server, closed after the test.
func Temporal(t testing.TB) client.Client {
	t.Helper()
	addr := TemporalAddress(t)
	c, err := temporalclient.Dial(context.Background(), addr, "default", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// TemporalCLI is the path of the temporal CLI binary, built if needed.
func TemporalCLI(t testing.TB) string {
	t.Helper()
	cli, err := temporalCLI()
	if err != nil {
		t.Fatalf("integration tests need the temporal CLI: %v", err)
	}
	return cli
}

// temporalCLI finds the CLI: TEMPORAL_CLI_PATH, else bin/temporal at the module
// root, building it from tools/go.mod if it is not there yet.
func temporalCLI() (string, error) {
	if p := os.Getenv("TEMPORAL_CLI_PATH"); p != "" {
		return p, nil
	}
	root, err := ModuleRoot()
	if err != nil {
		return "", err
	}
	path := filepath.Join(root, "bin", "temporal")
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	// Several test binaries may get here at once: a file lock lets one build.
	if err := os.MkdirAll(filepath.Join(root, "bin"), 0o755); err != nil {
		return "", err
	}
	lock, err := os.OpenFile(filepath.Join(root, "bin", ".temporal.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return "", err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return "", err
	}
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	fmt.Fprintln(os.Stderr, "testenv: building the temporal CLI from tools/go.mod (first build takes minutes)")
	cmd := exec.Command("go", "build", "-modfile=tools/go.mod", "-o", path, "github.com/temporalio/cli/cmd/temporal")
	cmd.Dir, cmd.Stdout, cmd.Stderr = root, os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build temporal CLI: %w", err)
	}
	return path, nil
}

// ModuleRoot is the directory holding go.mod, found upward from the working directory.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}
