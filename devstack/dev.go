// Package devstack runs the whole product on one machine for `make run`: a Temporal
// dev server child process, PostgreSQL (database created and migrated), the Asaas
// simulator, the worker and the API, plus a demo account to try it with.
package devstack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"billing/activities"
	"billing/api"
	"billing/asaassim"
	"billing/config"
	"billing/console"
	"billing/db"
	"billing/gateway"
	"billing/temporalclient"
	"billing/temporaldev"
	"billing/worker"
	"billing/workflows"

	"golang.org/x/sync/errgroup"
)

// Run brings the stack up, prints where everything is and blocks until ctx ends,
// then stops every part it started, the Temporal server last.
func Run(ctx context.Context, cfg config.Config, out io.Writer) error {
	logger := cfg.NewLogger(out)
	if err := os.MkdirAll(cfg.DevDataDir, 0o700); err != nil {
		return err
	}
	if cfg.SecretKey == nil {
		key, err := devSecretKey(cfg.DevDataDir)
		if err != nil {
			return err
		}
		cfg.SecretKey = key
	}

	logger.Info("preparing PostgreSQL", "url", redactURL(cfg.DatabaseURL))
	created, err := db.EnsureDatabase(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	if created {
		logger.Info("created database")
	}
	pool, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := db.Migrate(ctx, pool); err != nil {
		return err
	}

	if _, err := os.Stat(cfg.DevTemporalCLI); err != nil {
		return fmt.Errorf("the temporal CLI is not at %s: `make run` builds it (or set DEV_TEMPORAL_CLI)", cfg.DevTemporalCLI)
	}
	logger.Info("starting Temporal dev server", "address", cfg.TemporalAddress, "data", filepath.Join(cfg.DevDataDir, "temporal.db"))
	temporalOut := newPrefixWriter(out, "temporal | ")
	server, err := temporaldev.Start(ctx, temporaldev.Options{
		CLIPath:          cfg.DevTemporalCLI,
		Address:          cfg.TemporalAddress,
		Namespace:        cfg.TemporalNamespace,
		DBFile:           filepath.Join(cfg.DevDataDir, "temporal.db"),
		UIPort:           cfg.DevTemporalUIPort,
		SearchAttributes: workflows.SearchAttributes(),
		Output:           temporalOut,
	})
	if err != nil {
		return err
	}
	defer func() {
		logger.Info("stopping Temporal dev server")
		if err := server.Stop(); err != nil {
			logger.Error("temporal dev server", "error", err)
		}
		temporalOut.Flush()
	}()
	tc, err := temporalclient.Dial(ctx, cfg.TemporalAddress, cfg.TemporalNamespace, logger)
	if err != nil {
		return err
	}
	defer tc.Close()

	demo, err := ensureDemoAccount(ctx, pool, cfg.DevDataDir)
	if err != nil {
		return err
	}

	// Servers and workers stop when runCtx ends; the deferred calls above then run.
	g, runCtx := errgroup.WithContext(ctx)
	apiLn, err := net.Listen("tcp", cfg.APIAddr)
	if err != nil {
		return fmt.Errorf("API cannot listen on %s: %w", cfg.APIAddr, err)
	}
	var wallets []asaassim.Account
	simulated := cfg.DevAsaasAPIKey == "" && cfg.AsaasBaseURL == ""
	if simulated {
		ln, err := net.Listen("tcp", cfg.SimAddr)
		if err != nil {
			return fmt.Errorf("Asaas simulator cannot listen on %s: %w", cfg.SimAddr, err)
		}
		cfg.AsaasBaseURL = "http://" + ln.Addr().String()
		if err := moveOldIdentities(cfg.DevDataDir); err != nil {
			return err
		}
		stateFile := cfg.SimStateFile
		if stateFile == "" {
			stateFile = filepath.Join(cfg.DevDataDir, simStateFile)
		}
		// The simulator keeps its state in the data dir, as Temporal does. A
		// fresh one (make clean removes .data but keeps the database) starts its
		// customer ids past any it may have handed out before.
		sim, err := asaassim.Open(asaassim.Options{RetryBase: cfg.SimRetryBase, DuplicateRate: cfg.SimDuplicateRate,
			ReorderRate: cfg.SimReorderRate, Logger: logger.With("component", "asaas-sim"), StateFile: stateFile,
			CustomerSeqStart: time.Now().Unix() % 1_000_000_000 * 100})
		if err != nil {
			return err
		}
		defer sim.Close()
		ids, err := loadSimIdentities(cfg.DevDataDir)
		if err != nil {
			return err
		}
		if err := connectDemoToSimulator(ctx, pool, sim, ids, demo, cfg.SecretKey, "http://"+apiLn.Addr().String()+"/webhooks/asaas"); err != nil {
			return err
		}
		wallets = ids.PayeeWallets
		g.Go(func() error { return serveHTTP(runCtx, ln, sim.Handler()) })
	} else if cfg.DevAsaasAPIKey != "" {
		if err := storeDemoSettings(ctx, pool, demo, cfg.DevAsaasAPIKey, "dev-webhook-secret-"+demo.AccountID.String()[:8], cfg.SecretKey); err != nil {
			return err
		}
	}
	connector := gateway.NewConnector(cfg.SecretKey, cfg.AsaasBaseURL)
	srv := api.NewServer(api.Deps{Pool: pool, Temporal: tc, Logger: logger.With("component", "api"), SecretKey: cfg.SecretKey,
		Asaas: connector, Contracts: api.NewTemporalContracts(pool, tc), Gateway: connector,
		QueueWatch:     api.TemporalQueueWatch{Client: tc, Every: cfg.QueueWatchEvery},
		Throttle:       api.ThrottleLimits{Failures: cfg.AuthFailureLimit, Window: cfg.AuthFailureWindow},
		TrustedProxies: cfg.TrustedProxies})
	cfg.TemporalUIURL = temporalUIURL(cfg)
	if err := console.Serve(srv, pool, cfg, logger.With("component", "console")); err != nil {
		return err
	}
	g.Go(func() error { return srv.ServeListener(runCtx, apiLn) })
	// The worker runs in this process: its metrics (the Temporal SDK's included, the
	// client is shared) are the process's, served on the API's /metrics; no
	// WORKER_METRICS_ADDR server is started.
	g.Go(func() error {
		// The queue watch asks this API's /readyz before reactivating a queue.
		queue := activities.QueueWatchOptions{HealthURL: "http://" + apiLn.Addr().String() + "/readyz", SweepEvery: cfg.QueueSweepEvery}
		go worker.EnsureQueueWatches(runCtx, pool, tc, cfg.QueueWatchEvery, logger.With("component", "worker"))
		return worker.Run(runCtx, tc, activities.Deps{Pool: pool, Logger: logger.With("component", "worker"), Gateway: connector, Queue: queue})
	})
	printBanner(out, cfg, apiLn.Addr().String(), simulated, demo, wallets)

	err = g.Wait()
	logger.Info("shutting down")
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

func serveHTTP(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdownCtx)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// devSecretKey keeps a generated encryption key under the data dir, so stored Asaas
// keys stay readable across dev restarts. Production must set BILLING_SECRET_KEY.
func devSecretKey(dir string) ([]byte, error) {
	path := filepath.Join(dir, "secret.key")
	if raw, err := os.ReadFile(path); err == nil {
		return config.ParseSecretKey(strings.TrimSpace(string(raw)))
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	if err := os.WriteFile(path, []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
		return nil, err
	}
	return key, nil
}

func redactURL(raw string) string {
	if i := strings.Index(raw, "@"); i > 0 {
		if j := strings.Index(raw, "://"); j > 0 && j < i {
			if k := strings.Index(raw[j+3:i], ":"); k >= 0 {
				return raw[:j+3+k] + ":***" + raw[i:]
			}
		}
	}
	return raw
}

func printBanner(w io.Writer, cfg config.Config, apiAddr string, simulated bool, demo demoAccount, wallets []asaassim.Account) {
	apiURL := "http://" + apiAddr
	lines := []string{
		"",
		"billing is up",
		fmt.Sprintf("  Console      %s/console/   (sign in with the demo account's API token below)", apiURL),
		fmt.Sprintf("  API          %s   (ready: %s/readyz)", apiURL, apiURL),
		fmt.Sprintf("  Metrics      %s/metrics   (Prometheus: the API's and the in-process worker's)", apiURL),
		fmt.Sprintf("  Temporal UI  %s", temporalUIURL(cfg)),
		fmt.Sprintf("  Temporal     %s (namespace %s)", cfg.TemporalAddress, cfg.TemporalNamespace),
	}
	if simulated {
		lines = append(lines, fmt.Sprintf("  Asaas sim    %s (webhooks to the API; pay a charge: POST %s/_sim/payments/{id}/pay)", cfg.AsaasBaseURL, cfg.AsaasBaseURL))
		for _, w := range wallets {
			lines = append(lines, fmt.Sprintf("  walletId     %s (%s: use it for a payee with gateway splits)", w.WalletID, w.Name))
		}
	} else {
		lines = append(lines, "  Asaas        real sandbox (DEV_ASAAS_API_KEY)")
	}
	lines = append(lines,
		fmt.Sprintf("  Demo account %s (%s)", demo.AccountID, demo.Email),
		fmt.Sprintf("  API token    %s", demo.Token),
		"",
		fmt.Sprintf("  try: curl -H 'Authorization: Bearer %s' %s/v1/contracts", demo.Token, apiURL),
		"  Ctrl-C stops everything; data stays in "+cfg.DevDataDir+" and PostgreSQL.",
		"",
	)
	fmt.Fprintln(w, strings.Join(lines, "\n"))
}

// temporalUIURL is the Web UI of the dev server this stack starts.
func temporalUIURL(cfg config.Config) string {
	uiHost, _, _ := net.SplitHostPort(cfg.TemporalAddress)
	return fmt.Sprintf("http://%s:%d", uiHost, cfg.DevTemporalUIPort)
}
