package api

import (
	"context"

	"billing/db/dbgen"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// A create whose effect starts outside our database (a call to Asaas) cannot claim
// its Idempotency-Key in the transaction that stores the result: the call would
// already be made when a twin request found the key. So the key is claimed and
// committed first (a twin then gets 409 while the first runs, and the stored answer
// after it), the outside call is made, and the result is stored with the key's
// answer in one transaction. A request that fails releases its claim.

// claimFirst claims the key in a transaction of its own; it returns the stored answer
// of an earlier request with the key (nil when the key is now ours).
func (i *idempotency) claimFirst(ctx context.Context, pool *pgxpool.Pool) (*dbgen.IdempotencyKey, error) {
	var stored *dbgen.IdempotencyKey
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		var err error
		stored, err = i.claim(ctx, dbgen.New(tx))
		return err
	})
	return stored, err
}

// release frees the key of a request that failed, so a retry may run again.
func (i *idempotency) release(ctx context.Context, q *dbgen.Queries) error {
	_, err := q.ReleaseIdempotencyClaim(ctx, dbgen.ReleaseIdempotencyClaimParams{AccountID: i.actor.AccountID, Key: i.key})
	return err
}
