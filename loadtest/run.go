package loadtest

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrAudit is returned when the chaos audit found violations.
var ErrAudit = errors.New("chaos audit found violations")

// Run starts a stack, runs the phases, prints and stores the report. The report
// is returned (and written) even when a phase fails, with what was measured.
func Run(ctx context.Context, o Options) (*Report, error) {
	o = o.withDefaults()
	if err := o.validate(); err != nil {
		return nil, err
	}
	p := newProgress(o.Progress)
	r := &Report{StartedAt: time.Now(), Machine: readMachine(), Sizes: sizesOf(o)}
	err := runPhases(ctx, o, p, r)
	r.Seconds = round2(time.Since(r.StartedAt).Seconds())
	r.evaluate()
	if err != nil {
		r.Error = err.Error()
	}
	fmt.Fprintln(o.Progress)
	r.Markdown(o.Progress)
	if c := r.Chaos; c != nil && !c.Audit.Passed() {
		fmt.Fprintln(o.Progress, "\nchaos audit violations:")
		for i, v := range c.Audit.Violations {
			if i == 200 {
				fmt.Fprintf(o.Progress, "  ... and %d more (all in the JSON report)\n", len(c.Audit.Violations)-i)
				break
			}
			fmt.Fprintf(o.Progress, "  %s: %s: %s\n", v.Check, v.ID, v.Detail)
		}
	}
	if path, werr := r.write(o.OutDir); werr != nil {
		err = errors.Join(err, werr)
	} else if path != "" {
		fmt.Fprintf(o.Progress, "\nreport: %s\n", path)
	}
	if err == nil && r.Chaos != nil && !r.Chaos.Audit.Passed() {
		err = fmt.Errorf("%w: %d", ErrAudit, len(r.Chaos.Audit.Violations))
	}
	return r, err
}

func runPhases(ctx context.Context, o Options, p *progress, r *Report) error {
	s, err := startStack(ctx, o, p)
	if err != nil {
		return err
	}
	defer s.close()
	b, err := newBench(ctx, s, "Bench Ltda")
	if err != nil {
		return fmt.Errorf("set up the bench account: %w", err)
	}
	phase := func(name string, fn func(ctx context.Context) error) error {
		if !o.runs(name) {
			return nil
		}
		ctx, cancel := context.WithTimeout(ctx, o.PhaseTimeout)
		defer cancel()
		p.say("== %s", name)
		if err := fn(ctx); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return s.checkWorker()
	}
	var base Baselines
	var activated []string
	if err := phase(PhaseBaseline, func(ctx context.Context) error {
		var err error
		base, err = runBaselines(ctx, s, p)
		r.Baselines = &base
		return err
	}); err != nil {
		return err
	}
	if err := phase(PhaseActivation, func(ctx context.Context) error {
		a, ids, err := runActivation(ctx, b, p)
		r.Activation, activated = &a, ids
		return err
	}); err != nil {
		return err
	}
	var charges []chargeOf
	if len(activated) > 0 {
		if charges, err = b.charges(ctx, activated); err != nil {
			return err
		}
	}
	ingestCharges := charges
	if n := o.IngestSequential + o.IngestConcurrent; n < len(ingestCharges) {
		ingestCharges = ingestCharges[:n]
	}
	if err := phase(PhaseIngestion, func(ctx context.Context) error {
		in, err := runIngestion(ctx, b, p, base, ingestCharges)
		r.Ingestion = &in
		return err
	}); err != nil {
		return err
	}
	if err := phase(PhaseE2E, func(ctx context.Context) error {
		e, err := runEndToEnd(ctx, b, p, base, charges)
		r.EndToEnd = &e
		return err
	}); err != nil {
		return err
	}
	if err := phase(PhaseScale, func(ctx context.Context) error {
		sc, err := runScale(ctx, b, p)
		r.Scale = &sc
		return err
	}); err != nil {
		return err
	}
	if err := phase(PhaseLong, func(ctx context.Context) error {
		l, err := runLong(ctx, b, p)
		r.Long = &l
		return err
	}); err != nil {
		return err
	}
	return phase(PhaseChaos, func(ctx context.Context) error {
		c, err := runChaos(ctx, s, p)
		r.Chaos = &c
		return err
	})
}
