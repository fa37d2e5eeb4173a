package loadtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"billing/api"
	"billing/asaassim"
	"billing/db"
	"billing/gateway"
	"billing/temporalclient"
	"billing/temporaldev"
	"billing/workflows"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
)

// stack is everything a run talks to; close stops what it started, in reverse.
type stack struct {
	opts      Options
	dbURL     string
	pool      *pgxpool.Pool
	tc        client.Client
	sim       *asaassim.Server
	simURL    string
	collector *collector
	apiURL    string
	worker    *workerProcess
	temporal  *temporaldev.Server // nil when -temporal names a running server
	secretKey []byte
	logDir    string
	closers   []func()
}

func (s *stack) onClose(f func()) { s.closers = append(s.closers, f) }

func (s *stack) close() {
	for i := len(s.closers) - 1; i >= 0; i-- {
		s.closers[i]()
	}
}

func startStack(ctx context.Context, o Options, p *progress) (_ *stack, err error) {
	s := &stack{opts: o, collector: newCollector()}
	defer func() {
		if err != nil {
			s.close()
		}
	}()
	if s.logDir, err = os.MkdirTemp("", "billing-loadtest-"); err != nil {
		return nil, err
	}
	p.say("logs of the worker and the Temporal server: %s", s.logDir)
	s.secretKey = make([]byte, 32)
	_, _ = rand.Read(s.secretKey)

	// PostgreSQL
	s.dbURL = o.DatabaseURL
	if o.CreateDatabase {
		sweepBenchDatabases(ctx, o.DatabaseURL, p)
		// The creation time in the name lets a later run (or `make test`) sweep
		// it if this one is killed before it drops it.
		name := db.ScratchName(db.BenchDatabasePrefix, time.Now())
		if s.dbURL, err = withDatabase(o.DatabaseURL, name); err != nil {
			return nil, err
		}
		if _, err := db.EnsureDatabase(ctx, s.dbURL); err != nil {
			return nil, err
		}
		s.onClose(func() { dropDatabase(o.DatabaseURL, name) })
		p.say("PostgreSQL: created database %s", name)
	}
	if s.pool, err = db.Open(ctx, s.dbURL); err != nil {
		return nil, err
	}
	s.onClose(s.pool.Close)
	if err := db.Migrate(ctx, s.pool); err != nil {
		return nil, err
	}

	// Temporal
	address := o.TemporalAddress
	if address == "" {
		if address, err = freeAddress(); err != nil {
			return nil, err
		}
		logf, err := os.Create(filepath.Join(s.logDir, "temporal.log"))
		if err != nil {
			return nil, err
		}
		p.say("starting a Temporal dev server (in memory) on %s", address)
		srv, err := temporaldev.Start(ctx, temporaldev.Options{CLIPath: o.TemporalCLI, Address: address, Namespace: "default",
			SearchAttributes: workflows.SearchAttributes(), Output: logf})
		if err != nil {
			logf.Close()
			return nil, fmt.Errorf("temporal dev server: %w", err)
		}
		s.temporal = srv
		s.onClose(func() { _ = srv.Stop(); logf.Close() })
	}
	quiet := slog.New(slog.DiscardHandler)
	if s.tc, err = temporalclient.Dial(ctx, address, "default", quiet); err != nil {
		return nil, err
	}
	s.onClose(s.tc.Close)
	if err := temporalclient.EnsureSearchAttributes(ctx, s.tc, "default", workflows.SearchAttributes()); err != nil {
		return nil, err
	}

	// Simulator, webhook collector, API (in this process), worker (a child).
	s.sim = asaassim.New(asaassim.Options{RetryBase: 50 * time.Millisecond, Seed: o.Seed, HTTPClient: newHTTPClient()})
	s.onClose(s.sim.Close)
	if s.simURL, err = serve(s, s.sim.Handler()); err != nil {
		return nil, err
	}
	collectorURL, err := serve(s, s.collector)
	if err != nil {
		return nil, err
	}
	connector := gateway.NewConnector(s.secretKey, s.simURL)
	srv := api.NewServer(api.Deps{Pool: s.pool, Temporal: s.tc, Logger: quiet, SecretKey: s.secretKey,
		Asaas: connector, Gateway: connector, Contracts: api.NewTemporalContracts(s.pool, s.tc)})
	if s.apiURL, err = serve(s, srv.Handler()); err != nil {
		return nil, err
	}
	relayCtx, stopRelay := context.WithCancel(context.Background())
	go srv.RunWebhookRelay(relayCtx)
	s.onClose(stopRelay)
	s.collector.url = collectorURL

	command := o.WorkerCommand
	if len(command) == 0 {
		exe, err := os.Executable()
		if err != nil {
			return nil, err
		}
		command = []string{exe, "worker"}
	}
	s.worker = &workerProcess{command: command, logPath: filepath.Join(s.logDir, "worker.log"), env: append([]string{
		"DATABASE_URL=" + s.dbURL, "TEMPORAL_ADDRESS=" + address, "TEMPORAL_NAMESPACE=default",
		"BILLING_SECRET_KEY=" + hex.EncodeToString(s.secretKey), "ASAAS_BASE_URL=" + s.simURL, "LOG_LEVEL=warn",
		"WORKER_METRICS_ADDR=127.0.0.1:0", // any free port: a bench must not collide with a worker on this machine
		// The queue watch (only the chaos run schedules one) at the chaos run's pace.
		"QUEUE_WATCH_EVERY=" + o.ChaosWatchEvery.String(), "QUEUE_SWEEP_EVERY=" + o.ChaosSweepEvery.String(),
		"API_HEALTH_URL=" + s.apiURL + "/readyz",
	}, o.WorkerEnv...)}
	if o.CPUProfileDir != "" {
		s.worker.env = append(s.worker.env, WorkerProfileEnv+"="+o.CPUProfileDir)
	}
	if err := s.worker.start(); err != nil {
		return nil, err
	}
	s.onClose(func() { _ = s.worker.stop() })
	return s, nil
}

// serve answers h on a loopback port until the stack closes.
func serve(s *stack, h http.Handler) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	s.onClose(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	return "http://" + ln.Addr().String(), nil
}

func freeAddress() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func withDatabase(raw, name string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("database URL: %w", err)
	}
	u.Path = "/" + name
	return u.String(), nil
}

// benchLeakedAfter: a bench database this old that nobody is connected to was
// left by a killed run (a default run takes under 10 minutes).
const benchLeakedAfter = 2 * time.Hour

// sweepBenchDatabases drops what killed runs left behind. Best effort.
func sweepBenchDatabases(ctx context.Context, adminURL string, p *progress) {
	u, err := withDatabase(adminURL, "postgres")
	if err != nil {
		return
	}
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		return
	}
	defer conn.Close(ctx)
	dropped, err := db.SweepScratch(ctx, conn, db.BenchDatabasePrefix, benchLeakedAfter, time.Now())
	if len(dropped) > 0 {
		p.say("PostgreSQL: dropped %d database(s) of killed runs: %s", len(dropped), strings.Join(dropped, ", "))
	}
	if err != nil {
		p.say("PostgreSQL: sweeping databases of killed runs: %v", err)
	}
}

func dropDatabase(adminURL, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	u, err := withDatabase(adminURL, "postgres")
	if err != nil {
		return
	}
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		return
	}
	defer conn.Close(ctx)
	_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
}

// restartWorker is a crash and a restart: SIGKILL, a pause, a new process.
func (s *stack) restartWorker(pause time.Duration) error {
	if err := s.worker.kill(); err != nil {
		return err
	}
	time.Sleep(pause)
	return s.worker.start()
}

var errWorkerDied = errors.New("the worker process exited on its own (see worker.log)")

// checkWorker fails when the worker died on its own, with the log's tail.
func (s *stack) checkWorker() error {
	if !s.worker.exited() {
		return nil
	}
	raw, _ := os.ReadFile(s.worker.logPath)
	tail := string(raw)
	if len(tail) > 2000 {
		tail = tail[len(tail)-2000:]
	}
	return fmt.Errorf("%w: %s", errWorkerDied, strings.TrimSpace(tail))
}
