package worker

import (
	"context"
	"fmt"
	"log/slog"
	"net"

	"billing/metrics"
)

// serveMetrics serves the worker process's metrics (GET /metrics: the Temporal
// SDK's, billing's own, the Go runtime's) on addr (WORKER_METRICS_ADDR) until stop
// is called. An address that cannot be listened on fails the start: a worker
// nobody can watch is a configuration error to fix, not to find out later.
func serveMetrics(ctx context.Context, addr string, logger *slog.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("the worker's metrics cannot listen on %s (WORKER_METRICS_ADDR): %w", addr, err)
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := metrics.Serve(ctx, ln); err != nil {
			logger.Error("metrics server stopped", "error", err)
		}
	}()
	logger.Info("metrics", "url", "http://"+ln.Addr().String()+"/metrics")
	return func() { cancel(); <-done }, nil
}
