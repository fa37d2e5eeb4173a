// Package activities holds the Temporal activities: the only workflow code that
// talks to PostgreSQL and Asaas. Every activity is idempotent: a retry after a
// crash, a timeout or a lost answer finds its work done and returns the same result.
package activities

import (
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/worker"
)

// Deps are the adapters activities use.
type Deps struct {
	Pool         *pgxpool.Pool
	Logger       *slog.Logger
	SecretKey    []byte // decrypts each account's Asaas API key
	AsaasBaseURL string // overrides the per-environment URL (the simulator)
}

// Activities is the registered method set.
type Activities struct {
	deps Deps
}

// New builds the activities.
func New(deps Deps) *Activities { return &Activities{deps: deps} }

// Register adds every activity to a worker.
func Register(w worker.Registry, deps Deps) {
	w.RegisterActivity(New(deps))
}
