// Package temporaldev runs a Temporal CLI dev server as a child process, for `make run`
// and for integration tests.
package temporaldev

import (
	"context"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strconv"
	"syscall"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
)

// Options configures a Temporal CLI dev server child process.
type Options struct {
	CLIPath          string // the temporal CLI built from tools/go.mod
	Address          string // host:port of the frontend
	Namespace        string
	DBFile           string // SQLite file; empty keeps everything in memory
	UIPort           int    // 0 runs headless
	SearchAttributes map[string]enums.IndexedValueType
	Output           io.Writer // server logs
}

// Server is a running dev server. The process is in its own process group,
// so a terminal Ctrl-C reaches us first and we stop it last, after the worker; and it
// dies with us (Pdeathsig) if we are killed, leaving nothing behind.
type Server struct {
	cmd  *exec.Cmd
	done chan error
}

// Pid is the dev server's process id (the load tester reads its CPU time).
func (s *Server) Pid() int { return s.cmd.Process.Pid }

// StartTemporal starts the dev server and waits until its frontend answers.
func Start(ctx context.Context, o Options) (*Server, error) {
	host, port, err := net.SplitHostPort(o.Address)
	if err != nil {
		return nil, fmt.Errorf("temporal address %q: %w", o.Address, err)
	}
	if conn, err := net.DialTimeout("tcp", o.Address, 300*time.Millisecond); err == nil {
		conn.Close()
		return nil, fmt.Errorf("something already listens on %s: stop it, or point TEMPORAL_ADDRESS at it and run the parts alone", o.Address)
	}
	args := []string{"server", "start-dev", "--ip", host, "--port", port,
		"--namespace", o.Namespace, "--log-level", "error",
		"--dynamic-config-value", "frontend.enableServerVersionCheck=false",
		// One partition per task queue: on one machine, with a handful of pollers,
		// four partitions can leave a task waiting for forwarding (a bench history
		// showed ApplyPayment scheduled → started after 2 s).
		"--dynamic-config-value", "matching.numTaskqueueReadPartitions=1",
		"--dynamic-config-value", "matching.numTaskqueueWritePartitions=1"}
	if o.DBFile != "" {
		args = append(args, "--db-filename", o.DBFile)
	}
	if o.UIPort > 0 {
		args = append(args, "--ui-port", strconv.Itoa(o.UIPort), "--ui-ip", host)
	} else {
		args = append(args, "--headless")
	}
	for name, typ := range o.SearchAttributes {
		args = append(args, "--search-attribute", name+"="+searchAttributeTypeName(typ))
	}
	cmd := exec.Command(o.CLIPath, args...)
	cmd.Stdout, cmd.Stderr = o.Output, o.Output
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w (run `make bin/temporal` to build it)", o.CLIPath, err)
	}
	s := &Server{cmd: cmd, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait() }()
	if err := s.waitReady(ctx, o.Address, o.Namespace); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

func (s *Server) waitReady(ctx context.Context, address, namespace string) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	for {
		c, err := client.DialContext(ctx, client.Options{HostPort: address, Namespace: namespace, Logger: quietLogger{}})
		if err == nil {
			_, err = c.CheckHealth(ctx, &client.CheckHealthRequest{})
			c.Close()
			if err == nil {
				return nil
			}
		}
		select {
		case exitErr := <-s.done:
			s.done <- exitErr
			return fmt.Errorf("temporal dev server exited before it was ready: %v", exitErr)
		case <-ctx.Done():
			return fmt.Errorf("temporal dev server did not answer on %s: %w", address, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// Stop interrupts the server and waits up to 15 s before killing it.
func (s *Server) Stop() error {
	_ = s.cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-s.done:
		s.done <- err
		return nil
	case <-time.After(15 * time.Second):
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		return fmt.Errorf("temporal dev server did not stop in 15s; killed")
	}
}

func searchAttributeTypeName(t enums.IndexedValueType) string {
	switch t {
	case enums.INDEXED_VALUE_TYPE_KEYWORD:
		return "Keyword"
	case enums.INDEXED_VALUE_TYPE_TEXT:
		return "Text"
	case enums.INDEXED_VALUE_TYPE_INT:
		return "Int"
	case enums.INDEXED_VALUE_TYPE_DOUBLE:
		return "Double"
	case enums.INDEXED_VALUE_TYPE_BOOL:
		return "Bool"
	case enums.INDEXED_VALUE_TYPE_DATETIME:
		return "Datetime"
	case enums.INDEXED_VALUE_TYPE_KEYWORD_LIST:
		return "KeywordList"
	}
	panic("unknown search attribute type " + t.String())
}

// quietLogger silences the SDK's connection retries while we poll for readiness.
type quietLogger struct{}

func (quietLogger) Debug(string, ...any) {}
func (quietLogger) Info(string, ...any)  {}
func (quietLogger) Warn(string, ...any)  {}
func (quietLogger) Error(string, ...any) {}

// FreeAddress returns a loopback host:port nobody listens on right now.
func FreeAddress() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}
