// Package activities holds the Temporal activities: the only workflow code that
// talks to PostgreSQL and Asaas. Every activity is idempotent.
package activities

import (
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/worker"
)

// Deps are the adapters activities use.
type Deps struct {
	Pool   *pgxpool.Pool
	Logger *slog.Logger
}

// Register adds every activity to a worker.
func Register(w worker.Registry, deps Deps) {
}
