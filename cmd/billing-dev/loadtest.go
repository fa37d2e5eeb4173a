package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"billing/config"
	"billing/loadtest"
)

// runLoadtest is `billing-dev loadtest` (`make bench`). It starts its own stack unless
// -temporal is given; DATABASE_URL names the PostgreSQL server (a fresh database
// is created on it and dropped at the end).
func runLoadtest(ctx context.Context, cfg config.Config, args []string, out io.Writer) error {
	o := loadtest.Defaults()
	o.DatabaseURL = cfg.DatabaseURL
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.StringVar(&o.DatabaseURL, "database-url", o.DatabaseURL, "PostgreSQL server (a fresh database is created on it unless -use-database)")
	useDatabase := fs.Bool("use-database", false, "use the database named in -database-url as is (migrated, not dropped)")
	fs.StringVar(&o.TemporalAddress, "temporal", "", "a running Temporal frontend host:port (default: start an in-memory dev server)")
	fs.StringVar(&o.TemporalCLI, "temporal-cli", o.TemporalCLI, "the temporal CLI that runs the dev server")
	fs.StringVar(&o.OutDir, "out", o.OutDir, "directory for the JSON report (empty: none)")
	fs.StringVar(&o.CPUProfileDir, "cpuprofile", "", "directory for CPU profiles of the API process during the concurrent ingestion and the end-to-end burst (empty: none)")
	fs.IntVar(&o.Concurrency, "concurrency", o.Concurrency, "concurrent senders")
	fs.IntVar(&o.BaselineOps, "baseline-ops", o.BaselineOps, "operations per baseline")
	fs.IntVar(&o.IngestSequential, "ingest-sequential", o.IngestSequential, "webhooks sent by one sender")
	fs.IntVar(&o.IngestConcurrent, "ingest-concurrent", o.IngestConcurrent, "webhooks sent by -concurrency senders")
	fs.IntVar(&o.ActivationContracts, "activation", o.ActivationContracts, "contracts of 12 installments to activate")
	fs.IntVar(&o.E2EPayments, "e2e", o.E2EPayments, "payments to apply end to end")
	fs.IntVar(&o.ScaleContracts, "scale", o.ScaleContracts, "open contracts held by the worker")
	fs.IntVar(&o.LongInstallments, "long", o.LongInstallments, "installments of the contract run to completion")
	fs.IntVar(&o.ChaosContracts, "chaos", o.ChaosContracts, "contracts of 3 installments in the chaos run")
	fs.IntVar(&o.ChaosKills, "kills", o.ChaosKills, "worker SIGKILLs during the chaos run")
	fs.Float64Var(&o.ChaosLossRate, "loss", o.ChaosLossRate, "share of the chaos account's webhook events lost for good (0-1)")
	fs.DurationVar(&o.ChaosWatchEvery, "queue-watch", o.ChaosWatchEvery, "the worker's QUEUE_WATCH_EVERY in the chaos run")
	fs.DurationVar(&o.ChaosSweepEvery, "queue-sweep", o.ChaosSweepEvery, "the worker's QUEUE_SWEEP_EVERY in the chaos run")
	fs.DurationVar(&o.ChaosTimeoutDelay, "hang", o.ChaosTimeoutDelay, "how long a hanging gateway call hangs in the chaos run (the client gives up at 20s)")
	fs.Int64Var(&o.Seed, "seed", o.Seed, "seed of every random choice")
	phases := fs.String("phases", strings.Join(loadtest.AllPhases, ","), "phases to run, comma-separated")
	if err := fs.Parse(args); err != nil {
		return err
	}
	o.CreateDatabase = !*useDatabase
	o.Phases = map[string]bool{}
	for _, name := range strings.Split(*phases, ",") {
		name = strings.TrimSpace(name)
		known := false
		for _, p := range loadtest.AllPhases {
			known = known || p == name
		}
		if !known {
			return fmt.Errorf("unknown phase %q (phases: %s)", name, strings.Join(loadtest.AllPhases, ", "))
		}
		o.Phases[name] = true
	}
	o.Progress = out
	_, err := loadtest.Run(ctx, o)
	return err
}
