package webhooks

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
)

// storeError tells a delivery PostgreSQL refuses as data (class 22, data
// exception: a number out of numeric's range, text it cannot hold; class 54,
// program limit: a value too large to index), which no retry fixes, from the
// database not answering, which a retry does.
func storeError(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && len(pgErr.Code) == 5 && (pgErr.Code[:2] == "22" || pgErr.Code[:2] == "54") {
		return &UnstorableError{Why: pgErr.Message}
	}
	return unavailable(err)
}
