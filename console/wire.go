package console

import (
	"log/slog"

	"billing/api"
	"billing/config"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Serve mounts the console on the API server with the process configuration:
// `billing api` and `billing dev` call it, so the console is served wherever the API is.
func Serve(srv *api.Server, pool *pgxpool.Pool, cfg config.Config, logger *slog.Logger) error {
	c, err := New(Options{API: srv.Handler(), Pool: pool, Logger: logger, TemporalUIURL: cfg.TemporalUIURL,
		TemporalNamespace: cfg.TemporalNamespace, PublicURL: cfg.PublicURL})
	if err != nil {
		return err
	}
	c.MountOn(srv)
	return nil
}
