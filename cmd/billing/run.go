package main

import (
	"context"
	"errors"
	"net/http"
	"os"
	"time"

	"billing/api"
	"billing/asaassim"
	"billing/config"
	"billing/console"
	"billing/db"
	"billing/devstack"
	"billing/gateway"
	"billing/temporalclient"
	"billing/worker"
)

func runDev(ctx context.Context, cfg config.Config, _ []string) error {
	return devstack.Run(ctx, cfg, os.Stdout)
}

func runMigrate(ctx context.Context, cfg config.Config, _ []string) error {
	logger := cfg.NewLogger(os.Stderr)
	if created, err := db.EnsureDatabase(ctx, cfg.DatabaseURL); err != nil {
		return err
	} else if created {
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
	logger.Info("migrations applied")
	return nil
}

func runAPI(ctx context.Context, cfg config.Config, _ []string) error {
	if err := cfg.RequireSecretKey(); err != nil {
		return err
	}
	logger := cfg.NewLogger(os.Stderr).With("component", "api")
	pool, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	tc, err := temporalclient.Dial(ctx, cfg.TemporalAddress, cfg.TemporalNamespace, logger)
	if err != nil {
		return err
	}
	defer tc.Close()
	logger.Info("listening", "addr", cfg.APIAddr)
	connector := gateway.NewConnector(cfg.SecretKey, cfg.AsaasBaseURL)
	srv := api.NewServer(api.Deps{Pool: pool, Temporal: tc, Logger: logger, SecretKey: cfg.SecretKey,
		Asaas: connector, Contracts: api.NewTemporalContracts(pool, tc), Gateway: connector})
	if err := console.Serve(srv, pool, cfg, logger.With("component", "console")); err != nil {
		return err
	}
	return srv.Serve(ctx, cfg.APIAddr)
}

func runWorker(ctx context.Context, cfg config.Config, _ []string) error {
	return worker.RunProcess(ctx, cfg, cfg.NewLogger(os.Stderr).With("component", "worker"))
}

func runAsaasSim(ctx context.Context, cfg config.Config, _ []string) error {
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
		logger.Info("account", "id", acct.ID, "name", acct.Name, "api_key", acct.APIKey, "wallet_id", acct.WalletID)
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
