package loadtest

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Activation: contracts of 12 installments activated through the API until every
// charge is issued at the simulator and recorded.
type Activation struct {
	Contracts    int        `json:"contracts"`
	Installments int        `json:"installments_each"`
	Throughput   Throughput `json:"contracts_activated"`
	Latency      Latency    `json:"activate_to_last_charge"`
}

func runActivation(ctx context.Context, b *bench, p *progress) (Activation, []string, error) {
	o := b.opts
	sp := contractSpec{installments: 12}
	res := Activation{Contracts: o.ActivationContracts, Installments: sp.installments}
	clients, err := b.newClients(ctx, min(o.ActivationContracts, 200))
	if err != nil {
		return res, nil, err
	}
	b.clients = clients
	p.say("activation: drafting %d contracts of %d installments", o.ActivationContracts, sp.installments)
	ids := make([]string, o.ActivationContracts)
	if err := parallel(ctx, len(ids), 16, func(ctx context.Context, i int) error {
		id, err := b.createContract(ctx, clients[i%len(clients)], sp)
		ids[i] = id
		return err
	}); err != nil {
		return res, nil, err
	}
	p.say("activation: activating them, %d at a time", o.Concurrency)
	var mu sync.Mutex
	sent := map[string]time.Time{}
	start := time.Now()
	if err := parallel(ctx, len(ids), o.Concurrency, func(ctx context.Context, i int) error {
		mu.Lock()
		sent[ids[i]] = time.Now()
		mu.Unlock()
		return b.activate(ctx, ids[i])
	}); err != nil {
		return res, nil, err
	}
	if err := b.waitCharges(ctx, p, "activation", ids, sp.installments); err != nil {
		return res, nil, err
	}
	// The last charge of each contract, by the database's clock (same machine).
	rows, err := b.pool.Query(ctx, `SELECT contract_id::text, max(created_at) FROM charges WHERE account_id = $1 AND contract_id = ANY($2::uuid[]) GROUP BY contract_id`, b.accountID, ids)
	if err != nil {
		return res, nil, err
	}
	defer rows.Close()
	var lat []time.Duration
	var last time.Time
	for rows.Next() {
		var id string
		var at time.Time
		if err := rows.Scan(&id, &at); err != nil {
			return res, nil, err
		}
		lat = append(lat, at.Sub(sent[id]))
		if at.After(last) {
			last = at
		}
	}
	if err := rows.Err(); err != nil {
		return res, nil, err
	}
	if len(lat) != len(ids) {
		return res, nil, fmt.Errorf("activation: %d of %d contracts have charges", len(lat), len(ids))
	}
	res.Throughput = throughput(len(ids), last.Sub(start), 0)
	res.Latency = summarize(lat)
	p.say("activation: %.1f contracts/s (%d charges), p50 %.0f ms, p99 %.0f ms", res.Throughput.PerSec, len(ids)*sp.installments, res.Latency.P50, res.Latency.P99)
	return res, ids, nil
}
