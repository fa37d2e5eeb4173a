package api

import (
	"context"
	"errors"

	"billing/db/dbgen"

	"github.com/jackc/pgx/v5/pgconn"
)

// deletedView answers DELETE: "deleted" when the row is gone, "archived" when other
// rows still reference it (it is then hidden from lists but kept for their history).
type deletedView struct {
	ID     string `json:"id"`
	Result string `json:"result"`
}

// deleteOrArchive tries del in a savepoint; a foreign-key violation (something still
// references the row) rolls the savepoint back and archives the row instead.
func deleteOrArchive(ctx context.Context, t *txn, del func(q *dbgen.Queries) error, archive func(q *dbgen.Queries) error) (string, error) {
	sp, err := t.tx.Begin(ctx)
	if err != nil {
		return "", err
	}
	err = del(dbgen.New(sp))
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23503" {
		if err := sp.Rollback(ctx); err != nil {
			return "", err
		}
		return "archived", archive(t.Queries)
	}
	if err != nil {
		_ = sp.Rollback(ctx)
		return "", err
	}
	return "deleted", sp.Commit(ctx)
}
