// Package api is the HTTP face of the service (gin): the REST API under /v1, the
// Asaas webhook endpoint and the health probes.
package api

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
)

// Deps are the adapters the handlers use.
type Deps struct {
	Pool     *pgxpool.Pool
	Temporal client.Client
	Logger   *slog.Logger
}

// Server holds the routes and their dependencies.
type Server struct {
	deps   Deps
	engine *gin.Engine
}

// NewServer builds the router.
func NewServer(deps Deps) *Server {
	gin.SetMode(gin.ReleaseMode)
	engine := gin.New()
	engine.Use(gin.Recovery(), requestLog(deps.Logger))
	s := &Server{deps: deps, engine: engine}
	engine.GET("/healthz", s.healthz)
	engine.GET("/readyz", s.readyz)
	return s
}

// Handler is the http.Handler of every route.
func (s *Server) Handler() http.Handler { return s.engine }

// Routes lists the registered method+path pairs (the OpenAPI test compares them).
func (s *Server) Routes() gin.RoutesInfo { return s.engine.Routes() }

// Serve listens on addr until ctx ends, then drains in-flight requests for up to 10 s.
func (s *Server) Serve(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return s.ServeListener(ctx, ln)
}

// ServeListener is Serve on an existing listener (tests pick a free port).
func (s *Server) ServeListener(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: s.engine, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdownCtx); err != nil {
			return err
		}
		if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}

func requestLog(logger *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		if c.Request.URL.Path == "/healthz" || c.Request.URL.Path == "/readyz" {
			return
		}
		logger.Info("http", "method", c.Request.Method, "path", c.FullPath(), "status", c.Writer.Status(),
			"ms", time.Since(start).Milliseconds())
	}
}
