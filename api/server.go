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

	"billing/gateway"
	"billing/metrics"
	"billing/webhooks"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
)

// Deps are the adapters the handlers use.
type Deps struct {
	Pool     *pgxpool.Pool
	Temporal client.Client
	Logger   *slog.Logger
	// SecretKey (BILLING_SECRET_KEY, 32 bytes) seals Asaas API keys and hashes webhook
	// secrets; without it the settings routes answer 503.
	SecretKey []byte
	// Asaas tests a connection for POST /v1/settings/asaas/test (nil: 501).
	Asaas AsaasConnectionTester
	// Contracts runs the contract actions (activate, mark paid, cancel); nil: 501.
	Contracts ContractEngine
	// QueueWatch schedules an account's Asaas webhook queue watch when its settings
	// are saved (nil: none here; the worker ensures every account's when it starts).
	QueueWatch QueueWatchScheduler
	// Gateway gives the account's Asaas client for the PIX QR code and payment links
	// (nil: 501).
	Gateway *gateway.Connector
	// Webhooks tunes webhook ingestion (zero: the defaults).
	Webhooks webhooks.Options
	// Throttle bounds authentication failures per client on /v1 and on the webhook
	// (each its own budget; zero: no throttling).
	Throttle ThrottleLimits
	// TrustedProxies are the addresses (IPs or CIDRs) of the reverse proxies whose
	// X-Forwarded-For names the client; none: the client is the connection's address.
	TrustedProxies []string
}

// Server holds the routes and their dependencies.
type Server struct {
	deps           Deps
	engine         *gin.Engine
	webhooks       *webhooks.Ingestor
	webhookSecrets webhookSecrets
	mounts         []mount // Mount: other front doors on the same listener (the console)
}

// NewServer builds the router.
func NewServer(deps Deps) *Server {
	gin.SetMode(gin.ReleaseMode)
	engine := gin.New()
	engine.HandleMethodNotAllowed = true
	engine.Use(metrics.HTTP(), securityHeaders, gin.CustomRecovery(recovered(deps.Logger)), requestLog(deps.Logger))
	s := &Server{deps: deps, engine: engine, webhooks: webhooks.New(deps.Pool, deps.Temporal, deps.Logger, deps.Webhooks)}
	if err := engine.SetTrustedProxies(deps.TrustedProxies); err != nil { // config.Load checked them
		deps.Logger.Error("trusted proxies ignored", "err", err)
		_ = engine.SetTrustedProxies(nil)
	}
	engine.NoRoute(func(c *gin.Context) { writeProblem(c, NotFound("route "+c.Request.Method+" "+c.Request.URL.Path)) })
	engine.NoMethod(func(c *gin.Context) {
		writeProblem(c, newProblem(http.StatusMethodNotAllowed, "method-not-allowed", "Method not allowed",
			c.Request.Method+" is not allowed on "+c.Request.URL.Path+"."))
	})
	// Prometheus's scrape, beside the router like the console (mount.go): not a
	// route of the REST API nor of openapi.yaml; protect it at the proxy.
	s.Mount("/metrics", metrics.Handler())
	engine.GET("/healthz", s.healthz)
	engine.GET("/readyz", s.readyz)
	engine.GET("/v1/openapi.json", s.openapi)
	apiThrottle, webhookThrottle := newThrottle(deps.Throttle, deps.Logger), newThrottle(deps.Throttle, deps.Logger)
	engine.POST("/webhooks/asaas", countWebhook, webhookThrottle.middleware(webhookCredential), s.authenticateWebhook, readBody, s.asaasWebhook)
	s.routesV1(engine.Group("/v1", apiThrottle.middleware(bearerCredential), s.authenticate, checkQuery, readBody))
	return s
}

// routesV1 registers the authenticated REST API (every route is in openapi.yaml).
func (s *Server) routesV1(v1 *gin.RouterGroup) {
	v1.GET("/settings/asaas", s.getSettings)
	v1.PUT("/settings/asaas", s.putSettings)
	v1.POST("/settings/asaas/test", s.testSettings)

	v1.POST("/clients", s.createClient)
	v1.GET("/clients", s.listClients)
	v1.GET("/clients/:id", s.getClient)
	v1.PATCH("/clients/:id", s.updateClient)
	v1.DELETE("/clients/:id", s.deleteHandler(archivableClient))

	v1.POST("/payees", s.createPayee)
	v1.GET("/payees", s.listPayees)
	v1.GET("/payees/:id", s.getPayee)
	v1.PATCH("/payees/:id", s.updatePayee)
	v1.DELETE("/payees/:id", s.deleteHandler(archivablePayee))

	v1.POST("/split-rules/preview", s.previewSplit)

	v1.POST("/templates", s.createTemplate)
	v1.GET("/templates", s.listTemplates)
	v1.GET("/templates/:id", s.getTemplate)
	v1.PATCH("/templates/:id", s.updateTemplate)
	v1.DELETE("/templates/:id", s.deleteHandler(archivableTemplate))

	v1.POST("/contracts", s.createContract)
	v1.GET("/contracts", s.listContracts)
	v1.GET("/contracts/:id", s.getContract)
	v1.PATCH("/contracts/:id", s.updateContract)
	v1.POST("/contracts/:id/activate", s.activateContract)
	v1.POST("/contracts/:id/installments/:n/mark-paid", s.markInstallmentPaid)
	v1.PATCH("/contracts/:id/installments/:n", s.changeInstallment)
	v1.POST("/contracts/:id/installments/:n/reissue", s.reissueInstallmentCharge)
	v1.POST("/contracts/:id/cancel", s.cancelContract)
	v1.GET("/contracts/:id/installments/:n/pix", s.installmentPix)
	v1.GET("/contracts/:id/installments/:n/boleto", s.installmentBoleto)
	v1.GET("/contracts/:id/audit-events", s.listContractAuditEvents)

	v1.POST("/payment-links", s.createPaymentLink)
	v1.GET("/payment-links", s.listPaymentLinks)
	v1.GET("/payment-links/:id", s.getPaymentLink)

	v1.GET("/payouts/report", s.payoutReport)
	v1.POST("/payouts", s.createPayout)
	v1.POST("/payouts/bulk", s.createBulkPayout)
	v1.GET("/payouts", s.listPayouts)
	v1.GET("/payouts/:id", s.getPayout)
	v1.POST("/payouts/:id/void", s.voidPayout)

	v1.GET("/audit-events", s.listAuditEvents)

	v1.GET("/webhook-events", s.listWebhookEvents)
	v1.GET("/webhook-events/:id", s.getWebhookEvent)

	v1.GET("/bills", s.listBills)
	v1.GET("/bills/:id", s.getBill)

	v1.GET("/tokens", s.listTokens)
	v1.POST("/tokens", s.createToken)
	v1.DELETE("/tokens/:id", s.revokeToken)

	v1.GET("/users", s.listUsers)

	v1.POST("/reconciliations", s.createReconciliation)
	v1.GET("/reconciliations", s.listReconciliations)
	v1.GET("/reconciliations/:id", s.getReconciliation)
}

// recovered answers a panic with a problem+json 500 (and logs it).
func recovered(logger *slog.Logger) gin.RecoveryFunc {
	return func(c *gin.Context, err any) {
		logger.Error("panic", "method", c.Request.Method, "path", c.FullPath(), "err", err)
		writeProblem(c, internalError())
	}
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

// RunWebhookRelay signals, until ctx ends, the webhook events Temporal did not
// take when they arrived (webhooks.Ingestor.RunRelay). ServeListener runs it.
func (s *Server) RunWebhookRelay(ctx context.Context) { s.webhooks.RunRelay(ctx) }

// ServeListener is Serve on an existing listener (tests pick a free port), with
// the webhook relay running beside it.
func (s *Server) ServeListener(ctx context.Context, ln net.Listener) error {
	relayCtx, stopRelay := context.WithCancel(ctx)
	defer stopRelay()
	go s.RunWebhookRelay(relayCtx)
	srv := newHTTPServer(s.Root())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdownCtx); err != nil {
			// Requests still running after the grace period are cut: the process
			// is stopping either way, and a cut request is retried by its client.
			s.deps.Logger.Warn("requests still running at shutdown were closed", "error", err)
			_ = srv.Close()
		}
		s.webhooks.Wait() // the signals of answered deliveries (what is cut short, the relay sends)
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
