package webhooks

import (
	"context"
	"time"

	"billing/asaas"
	"billing/db/dbgen"
)

const relayBatch = 100

// RunRelay signals, until ctx ends, the stored events Temporal did not take
// (queued by the handler) and those their contract has not decided in time
// (DecideWithin: the handler may have died between storing and signalling).
// Each claim pushes the row's next attempt out, so several relays (one per API
// process) never signal the same row at once and a slow contract is not flooded.
func (i *Ingestor) RunRelay(ctx context.Context) {
	ticker := time.NewTicker(i.opts.RelayEvery)
	defer ticker.Stop()
	for {
		for {
			n, err := i.RelayOnce(ctx)
			if err != nil && ctx.Err() == nil {
				i.logger.Warn("webhook relay", "error", err)
			}
			if n < relayBatch || err != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// RelayOnce signals one batch of due rows and says how many it claimed.
func (i *Ingestor) RelayOnce(ctx context.Context) (int, error) {
	rows, err := dbgen.New(i.pool).ClaimWebhookEventsToRelay(ctx, relayBatch)
	if err != nil {
		return 0, err
	}
	var firstErr error
	for _, row := range rows {
		ev, err := asaas.ParseWebhook(row.Raw)
		if err != nil {
			continue // stored only after it parsed: cannot happen
		}
		t := route(ev)
		if !row.BillingEnabled || t.kind != toContract {
			// The account's billing was disabled meanwhile: nothing will take it.
			reason := disabledReason
			_, err = dbgen.New(i.pool).SetWebhookEventOutcome(ctx, dbgen.SetWebhookEventOutcomeParams{AccountID: row.AccountID,
				EventKey: row.EventKey, Status: statusIgnored, Reason: &reason})
		} else {
			_, err = i.signal(ctx, row.AccountID, row.EventKey, ev, t, true) // the stored key: jsonb does not keep the bytes a body hash was taken of
		}
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return len(rows), firstErr
}
