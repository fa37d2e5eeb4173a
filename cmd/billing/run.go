package main

import (
	"context"
	"io"
	"log/slog"
	"os"

	"billing/api"
	"billing/config"
	"billing/console"
	"billing/db"
	"billing/gateway"
	"billing/temporalclient"
	"billing/worker"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
)

func runMigrate(ctx context.Context, cfg config.Config, _ []string, _ io.Writer) error {
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

func runAPI(ctx context.Context, cfg config.Config, _ []string, _ io.Writer) error {
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
	srv := api.NewServer(apiDeps(cfg, pool, tc, logger))
	if err := console.Serve(srv, pool, cfg, logger.With("component", "console")); err != nil {
		return err
	}
	return srv.Serve(ctx, cfg.APIAddr)
}

// apiDeps is what `billing api` serves with, from the configuration.
func apiDeps(cfg config.Config, pool *pgxpool.Pool, tc client.Client, logger *slog.Logger) api.Deps {
	connector := gateway.NewConnector(cfg.SecretKey, cfg.AsaasBaseURL)
	return api.Deps{Pool: pool, Temporal: tc, Logger: logger, SecretKey: cfg.SecretKey,
		Asaas: connector, Contracts: api.NewTemporalContracts(pool, tc), Gateway: connector,
		QueueWatch:     api.TemporalQueueWatch{Client: tc, Every: cfg.QueueWatchEvery},
		Throttle:       api.ThrottleLimits{Failures: cfg.AuthFailureLimit, Window: cfg.AuthFailureWindow},
		TrustedProxies: cfg.TrustedProxies}
}

func runWorker(ctx context.Context, cfg config.Config, _ []string, _ io.Writer) error {
	return worker.RunProcess(ctx, cfg, cfg.NewLogger(os.Stderr).With("component", "worker"))
}
