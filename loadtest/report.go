package loadtest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"billing/workflows"
)

// Report is one run's figures, with the machine they were measured on.
type Report struct {
	StartedAt  time.Time   `json:"started_at"`
	Seconds    float64     `json:"seconds"`
	Machine    Machine     `json:"machine"`
	Sizes      Sizes       `json:"sizes"`
	Baselines  *Baselines  `json:"baselines,omitempty"`
	Activation *Activation `json:"activation,omitempty"`
	Ingestion  *Ingestion  `json:"ingestion,omitempty"`
	EndToEnd   *EndToEnd   `json:"end_to_end,omitempty"`
	Scale      *Scale      `json:"scale,omitempty"`
	Long       *Long       `json:"long_contract,omitempty"`
	Chaos      *Chaos      `json:"chaos,omitempty"`
	Targets    []Target    `json:"targets"`
	Error      string      `json:"error,omitempty"`
}

// Sizes are the run's options that shape the figures.
type Sizes struct {
	Concurrency         int   `json:"concurrency"`
	BaselineOps         int   `json:"baseline_ops"`
	IngestSequential    int   `json:"ingest_sequential"`
	IngestConcurrent    int   `json:"ingest_concurrent"`
	ActivationContracts int   `json:"activation_contracts"`
	E2EPayments         int   `json:"e2e_payments"`
	ScaleContracts      int   `json:"scale_contracts"`
	LongInstallments    int   `json:"long_installments"`
	ChaosContracts      int   `json:"chaos_contracts"`
	ChaosKills          int   `json:"chaos_kills"`
	Seed                int64 `json:"seed"`
}

// Machine is where the figures come from.
type Machine struct {
	CPU       string  `json:"cpu"`
	Cores     int     `json:"cores"`
	MemoryGiB float64 `json:"memory_gib"`
	GoVersion string  `json:"go"`
	OS        string  `json:"os"`
	Commit    string  `json:"commit,omitempty"`
}

// Target is one of the goals and whether this run met it.
type Target struct {
	Name string `json:"name"`
	Want string `json:"want"`
	Got  string `json:"got"`
	Met  bool   `json:"met"`
}

func sizesOf(o Options) Sizes {
	return Sizes{Concurrency: o.Concurrency, BaselineOps: o.BaselineOps, IngestSequential: o.IngestSequential, IngestConcurrent: o.IngestConcurrent,
		ActivationContracts: o.ActivationContracts, E2EPayments: o.E2EPayments, ScaleContracts: o.ScaleContracts,
		LongInstallments: o.LongInstallments, ChaosContracts: o.ChaosContracts, ChaosKills: o.ChaosKills, Seed: o.Seed}
}

func readMachine() Machine {
	m := Machine{Cores: runtime.NumCPU(), GoVersion: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	if f, err := os.Open("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			var kb float64
			if n, _ := fmt.Sscanf(sc.Text(), "MemTotal: %f kB", &kb); n == 1 {
				m.MemoryGiB = round2(kb / 1024 / 1024)
				break
			}
		}
		f.Close()
	}
	if out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output(); err == nil {
		m.Commit = strings.TrimSpace(string(out))
	}
	return m
}

// evaluate sets the targets from the figures present.
func (r *Report) evaluate() {
	r.Targets = nil
	add := func(name, want, got string, met bool) { r.Targets = append(r.Targets, Target{name, want, got, met}) }
	if in := r.Ingestion; in != nil {
		add("webhook acceptance vs bare Signal, sequential", "ratio ≥ 0.8", fmt.Sprintf("%.2f", in.RatioSequential), in.RatioSequential >= 0.8)
		add("webhook acceptance vs bare Signal, concurrent", "ratio ≥ 0.8", fmt.Sprintf("%.2f", in.RatioConcurrent), in.RatioConcurrent >= 0.8)
		add("webhook p99, sequential", "< 25 ms", fmt.Sprintf("%.1f ms", in.Sequential.Latency.P99), in.Sequential.Latency.P99 < 25)
	}
	if e := r.EndToEnd; e != nil {
		add("payments applied/s vs bare Signal/s", "ratio ≥ 0.33", fmt.Sprintf("%.2f", e.RatioSignal), e.RatioSignal >= 1.0/3)
		add(fmt.Sprintf("lag p99 under a %d-payment burst", e.Payments), "< 5 s", fmt.Sprintf("%.1f s", e.Lag.P99/1000), e.Lag.P99 < 5000)
		if h := e.History; h != nil && h.Payments > 0 {
			add("history events per payment", "≤ 8", fmt.Sprintf("%.1f", h.EventsPerPayment), h.EventsPerPayment <= 8)
		}
	}
	if s := r.Scale; s != nil {
		name := fmt.Sprintf("worker RSS with %d open contracts", s.OpenContracts)
		met := s.Worker.RSSMiB < 1024 && s.Worker.PeakMiB < 1024
		if s.OpenContracts < 10000 {
			name += " (target is at 10,000)"
			met = false
		}
		add(name, "< 1 GiB", fmt.Sprintf("%.0f MiB (peak %.0f MiB)", s.Worker.RSSMiB, s.Worker.PeakMiB), met)
	}
	if l := r.Long; l != nil {
		// The history stays bounded: a run continues as new at the first loop turn
		// past the limit (a turn adds a few dozen events at most).
		limit := workflows.DefaultMaxHistoryLength
		add(fmt.Sprintf("%d-installment contract: history of its longest run", l.Installments), fmt.Sprintf("≤ %d events (continues as new past it)", limit),
			fmt.Sprintf("%d runs, longest %d events", l.Runs, l.LongestRun), l.LongestRun <= limit+100)
	}
	if c := r.Chaos; c != nil {
		add("chaos audit", "0 violations", fmt.Sprintf("%d violations", len(c.Audit.Violations)), c.Audit.Passed())
		q := c.Queue
		add("chaos: payments whose webhooks were all lost, repaired", "all", fmt.Sprintf("%d of %d (time to repair p50 %.1f s, p99 %.1f s)",
			q.PaymentsRepaired, q.PaymentsLost, q.TimeToRepair.P50/1000, q.TimeToRepair.P99/1000), q.PaymentsRepaired == q.PaymentsLost)
		add("chaos: interrupted queue reactivated by the queue watch", "yes", interruptedFor(q.QueueInterruptedSeconds), q.QueueInterruptedSeconds >= 0)
	}
}

func interruptedFor(sec float64) string {
	if sec < 0 {
		return "still interrupted at the end"
	}
	return fmt.Sprintf("after %.1f s", sec)
}

// write stores the report as <time>.json and latest.json under dir.
func (r *Report) write(dir string) (string, error) {
	if dir == "" {
		return "", nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	raw, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", err
	}
	raw = append(raw, '\n')
	path := filepath.Join(dir, r.StartedAt.UTC().Format("20060102-150405")+".json")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		return "", err
	}
	return path, os.WriteFile(filepath.Join(dir, "latest.json"), raw, 0o644)
}

// Markdown renders the figures and the targets as the README's tables.
func (r *Report) Markdown(w io.Writer) {
	fmt.Fprintf(w, "Measured %s on %d cores (%s), %.0f GiB, %s; commit %s; run took %.0f s.\n\n",
		r.StartedAt.UTC().Format("2006-01-02"), r.Machine.Cores, r.Machine.CPU, r.Machine.MemoryGiB, r.Machine.GoVersion, r.Machine.Commit, r.Seconds)
	fmt.Fprintln(w, "| Figure | Result | Baseline (same run) | Ratio |")
	fmt.Fprintln(w, "|---|---|---|---|")
	row := func(name, result, baseline, ratio string) {
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", name, result, baseline, ratio)
	}
	rate := func(m Measured) string {
		return fmt.Sprintf("%.0f/s, p50 %.1f ms, p99 %.1f ms", m.Throughput.PerSec, m.Latency.P50, m.Latency.P99)
	}
	b := r.Baselines
	if b != nil {
		row("PostgreSQL single-row INSERT, 1 connection", rate(b.InsertSequential), "", "")
		row(fmt.Sprintf("PostgreSQL single-row INSERT, %d connections", b.InsertConcurrent.Concurrency), rate(b.InsertConcurrent), "", "")
	}
	if in := r.Ingestion; in != nil && b != nil {
		row(fmt.Sprintf("Webhook acceptance, 1 sender (%d events)", in.Sequential.Throughput.Ops), rate(in.Sequential),
			"bare Signal "+rate(b.SignalSequential), fmt.Sprintf("%.2f", in.RatioSequential))
		row(fmt.Sprintf("Webhook acceptance, %d senders (%d events)", in.Concurrent.Concurrency, in.Concurrent.Throughput.Ops), rate(in.Concurrent),
			"bare Signal "+rate(b.SignalConcurrent), fmt.Sprintf("%.2f", in.RatioConcurrent))
	}
	if e := r.EndToEnd; e != nil && b != nil {
		row(fmt.Sprintf("End to end: payments applied, %d senders (%d payments)", e.Concurrency, e.Payments),
			fmt.Sprintf("%.0f/s, lag p50 %.0f ms, p99 %.0f ms", e.Throughput.PerSec, e.Lag.P50, e.Lag.P99),
			fmt.Sprintf("bare Signal %.0f/s", b.SignalConcurrent.Throughput.PerSec), fmt.Sprintf("%.2f", e.RatioSignal))
		if h := e.History; h != nil && h.Payments > 0 {
			row(fmt.Sprintf("History per payment (%d contracts sampled, %d payments)", h.Contracts, h.Payments),
				fmt.Sprintf("%.1f events (%.2f workflow tasks): %s", h.EventsPerPayment, h.TasksPerPayment, h.breakdown()), "", "")
		}
		if c := e.CPU; c != nil {
			row("Where the end-to-end time goes", c.String(), "", "")
		}
	}
	if a := r.Activation; a != nil {
		row(fmt.Sprintf("Activation, %d contracts × %d installments", a.Contracts, a.Installments),
			fmt.Sprintf("%.1f contracts/s (%.0f charges/s), p50 %.0f ms, p99 %.0f ms", a.Throughput.PerSec, a.Throughput.PerSec*float64(a.Installments), a.Latency.P50, a.Latency.P99), "", "")
	}
	if s := r.Scale; s != nil {
		row(fmt.Sprintf("Scale: %d open contracts on one worker", s.OpenContracts),
			fmt.Sprintf("worker RSS %.0f MiB (peak %.0f MiB); history %.1f events per waiting contract (max %d); activated at %.0f/s",
				s.Worker.RSSMiB, s.Worker.PeakMiB, s.HistoryLengthMean, s.HistoryLengthMax, s.Activation.PerSec), "", "")
	}
	if l := r.Long; l != nil {
		row(fmt.Sprintf("%d-installment contract to completion", l.Installments),
			fmt.Sprintf("%d runs (continue-as-new), %d events in all, longest run %d, %.1f events per installment, %.0f s",
				l.Runs, l.HistoryEvents, l.LongestRun, l.EventsPerInstallment, l.SecondsToComplete), "", "")
	}
	if c := r.Chaos; c != nil {
		a := c.Audit
		row(fmt.Sprintf("Chaos: %d contracts × %d, %d worker SIGKILLs, gateway 5%% 500 + 1%% hang, %.0f%% of webhooks lost, queue paused once",
			c.Contracts, c.Installments, c.WorkerKills, c.Queue.LossRate*100),
			fmt.Sprintf("%d events sent %d times; dropped at our side %d, applied twice %d, split ≠ paid %d, wrong state %d, charges not deleted %d, stray charges %d; %.0f s",
				c.GatewayEvents, c.Deliveries, a.EventsLost, a.PaymentsAppliedTwice, a.SplitMismatches, a.WrongFinalState, a.ChargesNotDeleted, a.StrayCharges, c.Seconds), "", "")
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| Target | Want | Got | Met |")
	fmt.Fprintln(w, "|---|---|---|---|")
	for _, t := range r.Targets {
		met := "yes"
		if !t.Met {
			met = "**no**"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", t.Name, t.Want, t.Got, met)
	}
}
