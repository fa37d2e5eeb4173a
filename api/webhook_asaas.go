package api

import (
	"context"
	"encoding/hex"
	"errors"
	"net/http"
	"sync"
	"time"

	"billing/asaas"
	"billing/db/dbgen"
	"billing/secret"
	"billing/workflows"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
)

// The one Asaas webhook URL for every account: the asaas-access-token header
// (the account's webhook secret) says whose event it is.
const webhookTokenHeader = "asaas-access-token"

// webhookAccount is who a webhook secret belongs to.
type webhookAccount struct {
	id             uuid.UUID
	billingEnabled bool
	until          time.Time
}

// webhookAccounts caches secret-hash lookups for a few seconds: Asaas delivers
// sequentially and fast, and the lookup is on every delivery's critical path.
type webhookAccounts struct {
	mu      sync.Mutex
	entries map[string]webhookAccount
}

const (
	webhookAccountTTL = 10 * time.Second
	webhookDeadline   = 8 * time.Second
)

func (w *webhookAccounts) get(key string, now time.Time) (webhookAccount, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	e, ok := w.entries[key]
	return e, ok && now.Before(e.until)
}

func (w *webhookAccounts) put(key string, e webhookAccount) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.entries == nil || len(w.entries) > 10000 {
		w.entries = map[string]webhookAccount{}
	}
	w.entries[key] = e
}

// requireWebhookToken answers 401 before the body is even read.
func requireWebhookToken(c *gin.Context) {
	if c.GetHeader(webhookTokenHeader) == "" {
		writeProblem(c, newProblem(http.StatusUnauthorized, "unauthorized", "Unauthorized",
			"The asaas-access-token header is missing."))
		return
	}
	c.Next()
}

// accountOfWebhook finds the account whose webhook secret the token is: by its
// HMAC (indexed), then compared in constant time.
func (s *Server) accountOfWebhook(ctx context.Context, token string) (webhookAccount, error) {
	hash := secret.WebhookSecretHash(s.deps.SecretKey, token)
	key := hex.EncodeToString(hash)
	now := time.Now()
	if e, ok := s.webhookCache.get(key, now); ok {
		return e, nil
	}
	row, err := dbgen.New(s.deps.Pool).GetAccountByWebhookSecretHash(ctx, hash)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && !secret.Equal(row.WebhookSecretHash, hash)) {
		return webhookAccount{}, newProblem(http.StatusUnauthorized, "unauthorized", "Unauthorized",
			"The asaas-access-token does not match any account's webhook secret.")
	}
	if err != nil {
		return webhookAccount{}, unavailable("The event could not be checked; Asaas will retry.", err)
	}
	e := webhookAccount{id: row.AccountID, billingEnabled: row.BillingEnabled, until: now.Add(webhookAccountTTL)}
	s.webhookCache.put(key, e)
	return e, nil
}

// asaasWebhook stores the delivery and starts workflow asaas-event/<account>/<key>.
// It answers 200 only once Temporal has accepted the start (or already has that
// event), so an acknowledged event is never lost; 503 makes Asaas retry.
func (s *Server) asaasWebhook(c *gin.Context) {
	// Asaas gives up after 10 s; answering 503 before that makes it retry cleanly.
	ctx, cancel := context.WithTimeout(c.Request.Context(), webhookDeadline)
	defer cancel()
	if len(s.deps.SecretKey) == 0 {
		s.writeError(c, unavailable("Webhooks cannot be checked: BILLING_SECRET_KEY is not set.", nil))
		return
	}
	acct, err := s.accountOfWebhook(ctx, c.GetHeader(webhookTokenHeader))
	if err != nil {
		s.writeError(c, err)
		return
	}
	raw := body(c)
	ev, err := asaas.ParseWebhook(raw)
	if err != nil {
		s.writeError(c, badRequest("The body is not an Asaas webhook: "+err.Error()))
		return
	}
	if why := webhookBodyProblem(raw, ev); why != "" {
		s.writeError(c, badRequest("The event cannot be stored as sent: "+why))
		return
	}
	event := webhookEvent(acct.id.String(), ev)
	status, reason := "received", (*string)(nil)
	if !acct.billingEnabled {
		status, reason = "ignored", ptrTo("the billing module is disabled for this account")
	}
	var paymentID *string
	if event.Payment != nil && event.Payment.ID != "" {
		paymentID = &event.Payment.ID
	} else if event.Bill != nil && event.Bill.ID != "" {
		paymentID = &event.Bill.ID
	}
	if _, err := dbgen.New(s.deps.Pool).InsertWebhookEvent(ctx, dbgen.InsertWebhookEventParams{
		AccountID: acct.id, EventKey: event.EventKey, AsaasEventID: nonEmptyPtr(ev.ID), EventType: ev.Event,
		PaymentID: paymentID, Status: status, Reason: reason, Raw: raw,
	}); err != nil {
		if why, ok := unstorable(err); ok {
			s.writeError(c, badRequest("The event cannot be stored as sent: "+why+"."))
			return
		}
		s.writeError(c, unavailable("The event could not be stored; Asaas will retry.", err))
		return
	}
	if !acct.billingEnabled {
		c.JSON(http.StatusOK, gin.H{"status": "ignored", "event_key": event.EventKey})
		return
	}
	_, err = s.deps.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:        workflows.AsaasEventWorkflowID(event.AccountID, event.EventKey),
		TaskQueue: workflows.TaskQueue,
		// A finished run is never re-run (its effect happened); a failed one may be.
		WorkflowIDReusePolicy:                    enums.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY,
		WorkflowExecutionErrorWhenAlreadyStarted: true,
	}, workflows.AsaasEventWorkflow, event)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	switch {
	case errors.As(err, &started):
		c.JSON(http.StatusOK, gin.H{"status": "duplicate", "event_key": event.EventKey})
	case err != nil:
		s.writeError(c, unavailable("Temporal did not accept the event; Asaas will retry.", err))
	default:
		c.JSON(http.StatusOK, gin.H{"status": "accepted", "event_key": event.EventKey})
	}
}

func ptrTo(s string) *string { return &s }

func nonEmptyPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
