package loadtest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"billing/asaassim"
)

// Chaos is the bad day: duplicated, shuffled webhooks, a share of them lost for
// good and the account's queue paused once; a worker killed with SIGKILL and
// restarted; the gateway failing and hanging; manual payments and
// cancellations racing webhooks. Its audit must find nothing: what the gateway
// has, we have.
type Chaos struct {
	Contracts      int             `json:"contracts"`
	Installments   int             `json:"installments_each"`
	Plans          map[string]int  `json:"plans"`
	Faults         asaassim.Faults `json:"gateway_faults"`
	GatewayEvents  int             `json:"webhook_events_emitted"`
	Deliveries     int64           `json:"webhook_deliveries"`
	DeliveryRetry  int64           `json:"webhook_deliveries_not_200"`
	WorkerKills    int             `json:"worker_kills"`
	ManualOutcomes map[string]int  `json:"manual_race_outcomes"`
	CancelOutcomes map[string]int  `json:"cancel_race_outcomes"`
	Queue          QueueChaos      `json:"lost_webhooks"`
	Seconds        float64         `json:"seconds"`
	Audit          Audit           `json:"audit"`
}

type chaosContract struct {
	id   string
	plan string
}

// chaosAction is one thing that happens to a contract, run in shuffled order.
type chaosAction struct {
	contract *chaosContract
	kind     string // pay, manual_race, cancel_race
	number   int
}

func runChaos(ctx context.Context, s *stack, p *progress) (Chaos, error) {
	o := s.opts
	const installments = 3
	res := Chaos{Contracts: o.ChaosContracts, Installments: installments, Plans: map[string]int{},
		ManualOutcomes: map[string]int{}, CancelOutcomes: map[string]int{},
		Faults: asaassim.Faults{FailRate: 0.05, TimeoutRate: 0.01, TimeoutDelay: o.ChaosTimeoutDelay},
		Queue:  QueueChaos{LossRate: o.ChaosLossRate, WatchEvery: o.ChaosWatchEvery.String(), SweepEvery: o.ChaosSweepEvery.String(), QueueInterruptedSeconds: -1}}
	// Its own account: the sweeps it measures go over its contracts only.
	b, err := newBench(ctx, s, "Chaos Ltda")
	if err != nil {
		return res, fmt.Errorf("set up the chaos account: %w", err)
	}
	rnd := rand.New(rand.NewPCG(uint64(o.Seed), 2026))
	start := time.Now()

	clients, err := b.newClients(ctx, o.ChaosContracts)
	if err != nil {
		return res, err
	}
	contracts := make([]*chaosContract, o.ChaosContracts)
	for i := range contracts {
		plan := planPaid
		switch x := rnd.Float64(); {
		case x < 0.1:
			plan = planManual
		case x < 0.2:
			plan = planCancel
		}
		contracts[i] = &chaosContract{plan: plan}
		res.Plans[plan]++
	}
	p.say("chaos: drafting %d contracts of %d installments (%v)", len(contracts), installments, res.Plans)
	if err := parallel(ctx, len(contracts), 16, func(ctx context.Context, i int) error {
		bt := "PIX"
		if i%3 == 2 {
			bt = "BOLETO"
		}
		id, err := b.createContract(ctx, clients[i], contractSpec{installments: installments, billingType: bt})
		contracts[i].id = id
		return err
	}); err != nil {
		return res, err
	}
	ids := make([]string, len(contracts))
	for i, c := range contracts {
		ids[i] = c.id
	}

	// From here on: faults at the gateway, every webhook 2–3 times, shuffled.
	eventsBefore := b.collector.count()
	runCtx, cancelRun := context.WithCancel(ctx)
	defer cancelRun()
	redeliver := newRedeliverer(runCtx, b.api, o.Seed, 8, 2*time.Second)
	b.collector.setSink(redeliver.accept)
	defer b.collector.setSink(nil)
	b.sim.SetFaults(res.Faults)
	defer b.sim.SetFaults(asaassim.Faults{})
	if err := b.lossRate(o.ChaosLossRate); err != nil {
		return res, err
	}
	defer func() { _ = b.lossRate(0) }()
	if err := b.watchQueue(ctx); err != nil {
		return res, err
	}
	p.say("chaos: gateway faults on (%.0f%% 500, %.0f%% hang %s); every webhook delivered 2–3 times, shuffled; %.0f%% lost for good; queue watch every %s, sweep every %s",
		res.Faults.FailRate*100, res.Faults.TimeoutRate*100, res.Faults.TimeoutDelay, o.ChaosLossRate*100, o.ChaosWatchEvery, o.ChaosSweepEvery)

	// The kills fall at even points of the run's work: charges issued, then actions done.
	var actions []chaosAction
	for _, c := range contracts {
		switch c.plan {
		case planPaid:
			for n := 1; n <= installments; n++ {
				actions = append(actions, chaosAction{contract: c, kind: "pay", number: n})
			}
		case planManual:
			actions = append(actions, chaosAction{c, "pay", 1}, chaosAction{c, "manual_race", 2}, chaosAction{c, "pay", 3})
		case planCancel:
			actions = append(actions, chaosAction{c, "pay", 1}, chaosAction{c, "cancel_race", 2})
		}
	}
	rnd.Shuffle(len(actions), func(i, j int) { actions[i], actions[j] = actions[j], actions[i] })
	var issued, acted atomic.Int64
	totalWork := int64(len(contracts)*installments + len(actions))
	killsDone := make(chan error, 1)
	go func() {
		killsDone <- b.killOnSchedule(runCtx, p, o.ChaosKills, totalWork, func() int64 { return issued.Load() + acted.Load() })
	}()

	p.say("chaos: activating %d contracts", len(contracts))
	if err := parallel(ctx, len(ids), 16, func(ctx context.Context, i int) error { return b.activate(ctx, ids[i]) }); err != nil {
		return res, err
	}
	want := len(ids) * installments
	if err := p.waitUntil(ctx, "chaos activation", 250*time.Millisecond, func(ctx context.Context) (bool, string, error) {
		n, err := b.chargesIssued(ctx, ids)
		issued.Store(int64(n))
		return n >= want, fmt.Sprintf("%d/%d charges issued, %d worker kills", n, want, b.worker.Kills), err
	}, nil); err != nil {
		return res, err
	}
	charges, err := b.charges(ctx, ids)
	if err != nil {
		return res, err
	}
	chargeID := map[string]string{}
	for _, c := range charges {
		chargeID[fmt.Sprintf("%s#%d", c.Contract, c.Number)] = c.PaymentID
	}
	billing := map[string]string{}
	for i, c := range contracts {
		billing[c.id] = "PIX"
		if i%3 == 2 {
			billing[c.id] = "BOLETO"
		}
	}

	// Halfway through the actions the gateway interrupts the account's queue;
	// the queue watch must notice and reactivate it.
	reactivated := make(chan (<-chan float64), 1)
	go func() {
		defer close(reactivated)
		for acted.Load() < int64(len(actions)/2) {
			select {
			case <-runCtx.Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
		done, err := b.pauseQueue(runCtx)
		if err != nil {
			p.say("chaos: pausing the queue: %v", err)
			return
		}
		p.say("chaos: the gateway interrupted the account's webhook queue")
		reactivated <- done
	}()

	p.say("chaos: %d payments, manual payments and cancellations, 32 at a time", len(actions))
	var outcomeMu sync.Mutex
	outcome := func(m map[string]int, k string) { outcomeMu.Lock(); m[k]++; outcomeMu.Unlock() }
	pay := func(c *chaosContract, n int) error {
		method := billing[c.id]
		if method == "BOLETO" && n%2 == 0 {
			method = "PIX" // a boleto carries a PIX QR code too
		}
		return b.sim.Pay(chargeID[fmt.Sprintf("%s#%d", c.id, n)], asaassim.PayOptions{BillingType: method})
	}
	err = parallel(ctx, len(actions), 32, func(ctx context.Context, i int) error {
		defer acted.Add(1)
		a := actions[i]
		switch a.kind {
		case "pay":
			if err := pay(a.contract, a.number); err != nil && a.contract.plan != planCancel {
				return fmt.Errorf("pay %s#%d at the simulator: %w", a.contract.id, a.number, err)
			}
		case "manual_race":
			var wg sync.WaitGroup
			var payErr, markErr error
			wg.Add(2)
			go func() { defer wg.Done(); payErr = pay(a.contract, a.number) }()
			go func() { defer wg.Done(); markErr = b.markPaid(ctx, a.contract.id, a.number) }()
			wg.Wait()
			var refused *apiError
			// The only refusal a race may earn is 409 (the gateway's payment came
			// first, its webhook late or not): anything else fails the run.
			if errors.As(markErr, &refused) && refused.Status != http.StatusConflict {
				return fmt.Errorf("mark %s#%d paid: %w", a.contract.id, a.number, markErr)
			}
			outcome(res.ManualOutcomes, raceOutcome("gateway", payErr, "manual", markErr))
		case "cancel_race":
			var wg sync.WaitGroup
			var payErr, cancelErr error
			wg.Add(2)
			go func() { defer wg.Done(); payErr = pay(a.contract, a.number) }()
			go func() { defer wg.Done(); cancelErr = b.cancel(ctx, a.contract.id) }()
			wg.Wait()
			if cancelErr != nil {
				return fmt.Errorf("cancel %s: %w", a.contract.id, cancelErr)
			}
			outcome(res.CancelOutcomes, raceOutcome("paid", payErr, "cancelled", nil))
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	p.say("chaos: every action done; waiting for the scheduled webhook copies")
	if err := redeliver.wait(ctx); err != nil {
		return res, err
	}

	// Quiet: let everything in flight settle, then audit (with the gateway healthy,
	// so the audit's own reads are not the thing failing).
	settle := func(ctx context.Context) (bool, string, error) {
		var pendingEvents, open int
		if err := b.pool.QueryRow(ctx, `SELECT count(*) FROM webhook_events WHERE account_id = $1 AND status = 'received'`, b.accountID).Scan(&pendingEvents); err != nil {
			return false, "", err
		}
		if err := b.pool.QueryRow(ctx, `SELECT count(*) FROM contracts WHERE account_id = $1 AND id = ANY($2::uuid[]) AND status = 'active'`, b.accountID, ids).Scan(&open); err != nil {
			return false, "", err
		}
		return pendingEvents == 0 && open == 0, fmt.Sprintf("%d events in flight, %d contracts still active", pendingEvents, open), nil
	}
	// Settling emits more events (deletions of a cancel, a hung create landing):
	// keep delivering until the simulator has emitted nothing new and all is quiet.
	waitCtx, cancelWait := context.WithTimeout(ctx, o.PhaseTimeout)
	var settleErr error
	for {
		emittedSoFar := b.collector.count()
		if settleErr = p.waitUntil(waitCtx, "chaos settling", 250*time.Millisecond, settle, b.checkWorker); settleErr != nil {
			break
		}
		time.Sleep(time.Second) // the simulator's delivery queue
		if settleErr = redeliver.wait(waitCtx); settleErr != nil || b.collector.count() == emittedSoFar {
			break
		}
	}
	cancelWait()
	select {
	case interrupted := <-reactivated:
		select {
		case sec, ok := <-interrupted:
			if ok {
				res.Queue.QueueInterruptedSeconds = sec
			}
		default: // still interrupted: the watch never reactivated it
		}
	default:
	}
	cancelRun()
	if err := <-killsDone; err != nil {
		return res, err
	}
	res.WorkerKills = b.worker.Kills
	res.Deliveries = redeliver.Deliveries.Load()
	res.DeliveryRetry = redeliver.Retries.Load()
	if errors.Is(settleErr, errWorkerDied) {
		return res, settleErr
	}
	if settleErr != nil {
		p.say("chaos: %v — auditing anyway", settleErr)
	}
	b.sim.SetFaults(asaassim.Faults{})
	emitted := b.collector.since(eventsBefore)
	res.GatewayEvents = len(emitted)
	facts, err := gatherFacts(ctx, b, contracts, emitted)
	if err != nil {
		return res, err
	}
	res.Audit = runAudit(facts)
	if err := b.measureLoss(ctx, &res.Queue); err != nil {
		return res, err
	}
	res.Seconds = round2(time.Since(start).Seconds())
	p.say("chaos: audit of %d events, %d contracts, %d payments, %d gateway charges: %d violations",
		res.Audit.Checked.Events, res.Audit.Checked.Contracts, res.Audit.Checked.Payments, res.Audit.Checked.Charges, len(res.Audit.Violations))
	q := res.Queue
	p.say("chaos: %d events lost for good; %d payments lost, %d repaired (time to repair p50 %.1f s, p99 %.1f s); queue interrupted %.1f s; %d sweeps",
		q.EventsLost, q.PaymentsLost, q.PaymentsRepaired, q.TimeToRepair.P50/1000, q.TimeToRepair.P99/1000, q.QueueInterruptedSeconds, q.Sweeps)
	return res, nil
}

// raceOutcome names who won a race between two ways of paying (or paying and cancelling).
func raceOutcome(aName string, aErr error, bName string, bErr error) string {
	switch {
	case aErr == nil && bErr == nil:
		return "both accepted"
	case aErr == nil:
		return aName + " first"
	case bErr == nil:
		return bName + " first"
	}
	return "neither"
}

// killOnSchedule SIGKILLs and restarts the worker each time work() passes another
// 1/(kills+1) of total.
func (b *bench) killOnSchedule(ctx context.Context, p *progress, kills int, total int64, work func() int64) error {
	for k := 1; k <= kills; k++ {
		threshold := total * int64(k) / int64(kills+1)
		for work() < threshold {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(100 * time.Millisecond):
			}
		}
		p.say("chaos: SIGKILL the worker (%d of %d) at %d/%d of the work; restarting in 1 s", k, kills, work(), total)
		if err := b.restartWorker(time.Second); err != nil {
			return err
		}
	}
	return nil
}

// markPaid records a manual payment of 100.00 today; a conflict (the gateway
// payment won) is an answer, not an error. Transient answers are retried with
// the same idempotency key.
func (b *bench) markPaid(ctx context.Context, contractID string, n int) error {
	body := map[string]any{"amount": "100.00", "paid_on": time.Now().Format(time.DateOnly)}
	key := fmt.Sprintf("chaos-mark-%s-%d", contractID, n)
	return b.retryTransient(ctx, func() (int, error) {
		return b.api.callWith(ctx, "POST", fmt.Sprintf("/v1/contracts/%s/installments/%d/mark-paid", contractID, n), body, nil,
			[]string{"Idempotency-Key", key}, http.StatusOK, http.StatusAccepted)
	})
}

// cancel cancels a contract; it is retried until the contract is cancelled.
func (b *bench) cancel(ctx context.Context, contractID string) error {
	err := b.retryTransient(ctx, func() (int, error) {
		return b.api.callWith(ctx, "POST", "/v1/contracts/"+contractID+"/cancel", map[string]any{"reason": "chaos"}, nil,
			[]string{"Idempotency-Key", "chaos-cancel-" + contractID}, http.StatusOK, http.StatusAccepted)
	})
	return err
}

// retryTransient retries 5xx answers and transport errors; a 4xx is returned.
func (b *bench) retryTransient(ctx context.Context, call func() (int, error)) error {
	var err error
	for attempt := 0; attempt < 20; attempt++ {
		var status int
		status, err = call()
		if err == nil || (status >= 400 && status < 500) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt+1) * 500 * time.Millisecond):
		}
	}
	return err
}
