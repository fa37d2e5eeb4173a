package loadtest

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"syscall"
)

// WorkerProfileEnv names the directory where a worker started by a run with
// CPUProfileDir writes the CPU profiles the run asks for (ProfileOnSignals).
const WorkerProfileEnv = "BILLING_DEV_WORKER_CPUPROFILE_DIR"

// profile writes a CPU profile of this process (the API, the simulator and the
// load generator) to <CPUProfileDir>/<name>.pprof, and one of the worker to
// <CPUProfileDir>/worker-<n>.pprof (SIGUSR1 and SIGUSR2, ProfileOnSignals),
// until the returned function is called; without CPUProfileDir it does nothing.
func (b *bench) profile(p *progress, name string) (stop func()) {
	if b.opts.CPUProfileDir == "" {
		return func() {}
	}
	workerPid := b.worker.pid()
	if len(b.opts.WorkerCommand) > 0 {
		workerPid = 0 // another program: SIGUSR1 could end it
	}
	if workerPid != 0 {
		_ = syscall.Kill(workerPid, syscall.SIGUSR1)
	}
	stopSelf := b.profileSelf(p, name)
	return func() {
		stopSelf()
		if workerPid != 0 {
			_ = syscall.Kill(workerPid, syscall.SIGUSR2)
		}
	}
}

func (b *bench) profileSelf(p *progress, name string) (stop func()) {
	path := filepath.Join(b.opts.CPUProfileDir, name+".pprof")
	f, err := os.Create(path)
	if err == nil {
		if err = pprof.StartCPUProfile(f); err != nil {
			f.Close()
		}
	}
	if err != nil {
		p.say("cpu profile %s not written: %v", path, err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			p.say("cpu profile %s: %v", path, err)
			return
		}
		p.say("cpu profile: %s", path)
	}
}

// ProfileOnSignals is for a worker process of a run: SIGUSR1 starts a CPU
// profile in dir (worker-1.pprof, worker-2.pprof, ...), SIGUSR2 ends it.
func ProfileOnSignals(ctx context.Context, dir string, logger *slog.Logger) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGUSR1, syscall.SIGUSR2)
	defer signal.Stop(sig)
	var f *os.File
	n := 0
	stop := func() {
		if f != nil {
			pprof.StopCPUProfile()
			_ = f.Close()
			f = nil
		}
	}
	defer stop()
	for {
		select {
		case <-ctx.Done():
			return
		case s := <-sig:
			stop()
			if s != syscall.SIGUSR1 {
				continue
			}
			n++
			path := filepath.Join(dir, fmt.Sprintf("worker-%d.pprof", n))
			var err error
			if f, err = os.Create(path); err == nil {
				if err = pprof.StartCPUProfile(f); err != nil {
					_ = f.Close()
					f = nil
				}
			}
			if err != nil {
				logger.Warn("worker cpu profile not written", "path", path, "error", err)
			}
		}
	}
}
