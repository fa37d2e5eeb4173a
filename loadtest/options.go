package loadtest

import (
	"fmt"
	"io"
	"os"
	"time"
)

// Options sizes and places a run. Zero values take the defaults of Defaults().
type Options struct {
	// DatabaseURL points at the PostgreSQL server. With CreateDatabase a fresh
	// database billing_bench_<time> is created on that server and dropped at the
	// end; without it the database named in the URL is migrated and used as is.
	DatabaseURL    string
	CreateDatabase bool
	// TemporalAddress of a running Temporal frontend; empty starts a dev server
	// (in memory) from TemporalCLI.
	TemporalAddress string
	TemporalCLI     string
	// WorkerCommand runs `billing worker` (default: this executable + "worker").
	WorkerCommand []string
	WorkerEnv     []string // extra environment for the worker process
	OutDir        string   // where the JSON report goes ("" writes none)
	// CPUProfileDir, when set, receives CPU profiles of this process (API,
	// simulator, load generator) during the concurrent ingestion and the
	// end-to-end burst.
	CPUProfileDir string

	Concurrency         int // concurrent senders for the concurrent figures
	BaselineOps         int // operations per baseline measurement
	IngestSequential    int // webhooks sent one at a time
	IngestConcurrent    int // webhooks sent by Concurrency senders
	ActivationContracts int // contracts of 12 installments activated
	E2EPayments         int // payments sent as webhooks and waited for
	ScaleContracts      int // open contracts held by one worker
	LongInstallments    int // installments of the contract run to completion
	ChaosContracts      int // contracts of 3 installments in the chaos run
	ChaosKills          int // SIGKILLs of the worker during the chaos run
	ChaosTimeoutDelay   time.Duration
	// ChaosLossRate is the share of the chaos account's webhook events lost for
	// good (0: none); ChaosWatchEvery and ChaosSweepEvery are the worker's
	// QUEUE_WATCH_EVERY and QUEUE_SWEEP_EVERY, short so that the run sees its
	// queue watch reactivate a paused queue and its sweeps repair lost payments.
	ChaosLossRate   float64
	ChaosWatchEvery time.Duration
	ChaosSweepEvery time.Duration
	Seed            int64
	Phases          map[string]bool // nil runs every phase
	Progress        io.Writer
	PhaseTimeout    time.Duration // how long any one wait may take
}

// Phase names, in the order they run.
const (
	PhaseBaseline   = "baseline"
	PhaseActivation = "activation"
	PhaseIngestion  = "ingestion"
	PhaseE2E        = "e2e"
	PhaseScale      = "scale"
	PhaseLong       = "long"
	PhaseChaos      = "chaos"
)

// AllPhases lists every phase in run order.
var AllPhases = []string{PhaseBaseline, PhaseActivation, PhaseIngestion, PhaseE2E, PhaseScale, PhaseLong, PhaseChaos}

// Defaults are the sizes of `make bench`: under ten minutes on two cores. The
// 10,000-contract scale figure is its own run: `make bench-scale`.
func Defaults() Options {
	return Options{
		DatabaseURL:         "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable",
		CreateDatabase:      true,
		TemporalCLI:         "bin/temporal",
		OutDir:              "bench/results",
		Concurrency:         32,
		BaselineOps:         1000,
		IngestSequential:    200,
		IngestConcurrent:    500,
		ActivationContracts: 60,
		E2EPayments:         500,
		ScaleContracts:      1000,
		LongInstallments:    360,
		ChaosContracts:      1000,
		ChaosKills:          2,
		ChaosTimeoutDelay:   25 * time.Second,
		ChaosLossRate:       0.05,
		ChaosWatchEvery:     5 * time.Second,
		ChaosSweepEvery:     30 * time.Second,
		Seed:                1,
		Progress:            os.Stdout,
		PhaseTimeout:        10 * time.Minute,
	}
}

func (o Options) withDefaults() Options {
	d := Defaults()
	pick := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	pick(&o.Concurrency, d.Concurrency)
	if o.ChaosTimeoutDelay <= 0 {
		o.ChaosTimeoutDelay = d.ChaosTimeoutDelay
	}
	if o.ChaosWatchEvery <= 0 {
		o.ChaosWatchEvery = d.ChaosWatchEvery
	}
	if o.ChaosSweepEvery <= 0 {
		o.ChaosSweepEvery = d.ChaosSweepEvery
	}
	if o.PhaseTimeout <= 0 {
		o.PhaseTimeout = d.PhaseTimeout
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	if o.DatabaseURL == "" {
		o.DatabaseURL = d.DatabaseURL
	}
	if o.Seed == 0 {
		o.Seed = d.Seed
	}
	return o
}

func (o Options) runs(phase string) bool { return o.Phases == nil || o.Phases[phase] }

func (o Options) validate() error {
	if o.ActivationContracts*12 < o.IngestSequential+o.IngestConcurrent && o.runs(PhaseIngestion) {
		return fmt.Errorf("ingestion replays the PAYMENT_CREATED events of activation: %d contracts × 12 < %d events; raise -activation or lower -ingest-*",
			o.ActivationContracts, o.IngestSequential+o.IngestConcurrent)
	}
	if o.ActivationContracts*12 < o.E2EPayments && o.runs(PhaseE2E) {
		return fmt.Errorf("end-to-end pays installments of the activation contracts: %d contracts × 12 < %d payments", o.ActivationContracts, o.E2EPayments)
	}
	if (o.runs(PhaseIngestion) || o.runs(PhaseE2E)) && !o.runs(PhaseActivation) {
		return fmt.Errorf("the ingestion and e2e phases need the activation phase")
	}
	return nil
}
