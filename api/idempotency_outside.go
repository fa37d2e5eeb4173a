package api

import (
	"context"
	"errors"
	"time"

	"billing/db/dbgen"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// A request whose effect starts outside our database (a call to Asaas, a
// contract action run by its workflow) cannot claim its Idempotency-Key in the
// transaction that stores the result: the effect would already be under way when
// a twin request found the key. So the key is claimed and committed first, the
// effect is made, and the answer is stored with the key. A concurrent twin waits
// for that answer and replays it; a request that fails releases its claim; a
// claim whose request died is taken over after claimLease.

// claimFirst claims the key in a transaction of its own; it returns the stored
// answer of an earlier request with the key (nil when the key is now ours),
// waiting up to wait for a request that is still running to answer.
func (i *idempotency) claimFirst(ctx context.Context, pool *pgxpool.Pool, wait time.Duration) (*dbgen.IdempotencyKey, error) {
	deadline := time.Now().Add(wait)
	for {
		var stored *dbgen.IdempotencyKey
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			var err error
			stored, err = i.claim(ctx, dbgen.New(tx))
			return err
		})
		if !errors.Is(err, errKeyInUse) || time.Now().After(deadline) {
			return stored, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// release frees the key of a request that failed, so a retry may run again. It
// runs even when the client has gone: a claim left behind would hold the key
// until its lease ends.
func (i *idempotency) release(ctx context.Context, q *dbgen.Queries) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_, err := q.ReleaseIdempotencyClaim(ctx, dbgen.ReleaseIdempotencyClaimParams{AccountID: i.actor.AccountID, Key: i.key})
	return err
}
