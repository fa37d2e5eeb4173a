package worker

import (
	"context"
	"log/slog"

	"billing/activities"
	"billing/config"
	"billing/db"
	"billing/gateway"
	"billing/temporalclient"
	"billing/workflows"
)

// RunProcess is `billing worker`: it connects to PostgreSQL and Temporal from cfg and
// polls the billing task queue until ctx ends, serving its metrics on
// cfg.WorkerMetricsAddr.
func RunProcess(ctx context.Context, cfg config.Config, logger *slog.Logger) error {
	if err := cfg.RequireSecretKey(); err != nil {
		return err
	}
	stopMetrics, err := serveMetrics(ctx, cfg.WorkerMetricsAddr, logger)
	if err != nil {
		return err
	}
	defer stopMetrics()
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
	if err := temporalclient.EnsureSearchAttributes(ctx, tc, cfg.TemporalNamespace, workflows.SearchAttributes()); err != nil {
		return err
	}
	logger.Info("polling", "task_queue", workflows.TaskQueue)
	go EnsureQueueWatches(ctx, pool, tc, cfg.QueueWatchEvery, logger)
	return Run(ctx, tc, activities.Deps{Pool: pool, Logger: logger, Gateway: gateway.NewConnector(cfg.SecretKey, cfg.AsaasBaseURL),
		Queue: activities.QueueWatchOptions{HealthURL: cfg.APIHealthURL, SweepEvery: cfg.QueueSweepEvery}})
}
