package loadtest

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// WorkerChildEnv marks a process started by the harness as the worker: a test
// binary (whose own executable is not `billing`) checks it in TestMain.
const WorkerChildEnv = "BILLING_LOADTEST_WORKER"

// workerProcess is `billing worker` as a child process, so the chaos run can
// SIGKILL it like a crashed machine and its memory is measured on its own.
type workerProcess struct {
	command []string
	env     []string
	logPath string

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
	// Starts counts every start, Kills every SIGKILL.
	Starts, Kills int
}

func (w *workerProcess) start() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cmd != nil {
		return errors.New("worker already running")
	}
	logf, err := os.OpenFile(w.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	cmd := exec.Command(w.command[0], w.command[1:]...)
	cmd.Env = append(append(os.Environ(), w.env...), WorkerChildEnv+"=1")
	cmd.Stdout, cmd.Stderr = logf, logf
	// Its own process group, and it dies with us.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("start worker %v: %w", w.command, err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); logf.Close(); close(done) }()
	w.cmd, w.done = cmd, done
	w.Starts++
	return nil
}

// kill is a crash: SIGKILL, no shutdown of anything in flight.
func (w *workerProcess) kill() error { return w.signalAndWait(syscall.SIGKILL, time.Minute) }

// stop is an orderly shutdown (SIGTERM), then SIGKILL if it hangs.
func (w *workerProcess) stop() error {
	if err := w.signalAndWait(syscall.SIGTERM, 30*time.Second); err != nil {
		return w.signalAndWait(syscall.SIGKILL, time.Minute)
	}
	return nil
}

func (w *workerProcess) signalAndWait(sig syscall.Signal, limit time.Duration) error {
	w.mu.Lock()
	cmd, done := w.cmd, w.done
	w.mu.Unlock()
	if cmd == nil {
		return nil
	}
	_ = cmd.Process.Signal(sig)
	select {
	case <-done:
	case <-time.After(limit):
		return fmt.Errorf("worker did not exit %s after %s", limit, sig)
	}
	w.mu.Lock()
	w.cmd, w.done = nil, nil
	if sig == syscall.SIGKILL {
		w.Kills++
	}
	w.mu.Unlock()
	return nil
}

// exited reports whether the running worker died on its own.
func (w *workerProcess) exited() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done == nil {
		return false
	}
	select {
	case <-w.done:
		return true
	default:
		return false
	}
}

// pid is the running worker's process id (0 when it is not running).
func (w *workerProcess) pid() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cmd == nil || w.cmd.Process == nil {
		return 0
	}
	return w.cmd.Process.Pid
}

// Memory is a process's resident set (now and peak), in MiB.
type Memory struct {
	RSSMiB  float64 `json:"rss_mib"`
	PeakMiB float64 `json:"peak_rss_mib"`
}

func (w *workerProcess) memory() (Memory, error) {
	w.mu.Lock()
	cmd := w.cmd
	w.mu.Unlock()
	if cmd == nil {
		return Memory{}, errors.New("worker not running")
	}
	return procMemory(cmd.Process.Pid)
}

// procMemory reads VmRSS and VmHWM from /proc/<pid>/status.
func procMemory(pid int) (Memory, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return Memory{}, err
	}
	defer f.Close()
	var m Memory
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		kb, err := strconv.ParseFloat(fields[1], 64)
		if err != nil {
			continue
		}
		switch fields[0] {
		case "VmRSS:":
			m.RSSMiB = round2(kb / 1024)
		case "VmHWM:":
			m.PeakMiB = round2(kb / 1024)
		}
	}
	return m, sc.Err()
}
