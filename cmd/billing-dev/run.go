package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"time"

	"billing/asaassim"
	"billing/config"
	"billing/devstack"
	"billing/loadtest"
	"billing/worker"
)

func runDev(ctx context.Context, cfg config.Config, _ []string, out io.Writer) error {
	return devstack.Run(ctx, cfg, out)
}

func runWorker(ctx context.Context, cfg config.Config, _ []string, _ io.Writer) error {
	logger := cfg.NewLogger(os.Stderr).With("component", "worker")
	if dir := os.Getenv(loadtest.WorkerProfileEnv); dir != "" {
		go loadtest.ProfileOnSignals(ctx, dir, logger)
	}
	return worker.RunProcess(ctx, cfg, logger)
}

func runAsaasSim(ctx context.Context, cfg config.Config, _ []string, _ io.Writer) error {
	logger := cfg.NewLogger(os.Stderr).With("component", "asaas-sim")
	sim, err := asaassim.Open(asaassim.Options{
		RetryBase:         cfg.SimRetryBase,
		DuplicateRate:     cfg.SimDuplicateRate,
		ReorderRate:       cfg.SimReorderRate,
		DefaultWebhookURL: cfg.SimWebhookURL,
		StateFile:         cfg.SimStateFile,
		Logger:            logger,
	})
	if err != nil {
		return err
	}
	defer sim.Close()
	// A state loaded from ASAAS_SIM_STATE_FILE already has its accounts.
	if len(sim.Accounts()) == 0 {
		sim.CreateAccount("Default")
	}
	for _, acct := range sim.Accounts() {
		logger.Info("account", "id", acct.ID, "name", acct.Name, "api_key", acct.APIKey, "wallet_id", acct.WalletID, "webhook_url", cfg.SimWebhookURL)
	}
	srv := &http.Server{Addr: cfg.SimAddr, Handler: sim.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdownCtx)
	}()
	logger.Info("listening", "addr", cfg.SimAddr)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
