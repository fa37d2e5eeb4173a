package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"go.temporal.io/sdk/client"
)

// healthz answers while the process is up: liveness only, no dependencies.
func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz answers 200 only when PostgreSQL and Temporal both answer, so a load
// balancer stops sending traffic (and Asaas webhooks) we could not accept. It is
// unauthenticated, so a failing check answers only "unavailable": the error (which
// names hosts, ports, users and databases) goes to the log.
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	checks := gin.H{"postgres": "ok", "temporal": "ok"}
	ready := true
	if err := s.deps.Pool.Ping(ctx); err != nil {
		s.deps.Logger.Warn("not ready: PostgreSQL does not answer", "err", err)
		checks["postgres"], ready = "unavailable", false
	}
	if _, err := s.deps.Temporal.CheckHealth(ctx, &client.CheckHealthRequest{}); err != nil {
		s.deps.Logger.Warn("not ready: Temporal does not answer", "err", err)
		checks["temporal"], ready = "unavailable", false
	}
	status, word := http.StatusOK, "ready"
	if !ready {
		status, word = http.StatusServiceUnavailable, "not ready"
	}
	c.JSON(status, gin.H{"status": word, "checks": checks})
}
