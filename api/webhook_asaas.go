package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"billing/asaas"
	"billing/db/dbgen"
	"billing/secret"
	"billing/webhooks"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"
)

// The one Asaas webhook URL for every account: the asaas-access-token header
// (the account's webhook secret) says whose event it is.
const webhookTokenHeader = "asaas-access-token"

// webhookDeadline: Asaas gives up on a delivery after 10 s; answering before
// that (503 included) makes it retry cleanly instead of counting a timeout.
const webhookDeadline = 8 * time.Second

const webhookAccountKey = "billing.webhook-account"

// authenticateWebhook finds the account whose webhook secret the token is, before
// the body is read: by its HMAC (indexed), compared in constant time, on every
// delivery (no cache: a rotated secret stops working at once).
func (s *Server) authenticateWebhook(c *gin.Context) {
	token := c.GetHeader(webhookTokenHeader)
	if token == "" {
		writeProblem(c, newProblem(http.StatusUnauthorized, "unauthorized", "Unauthorized",
			"The asaas-access-token header is missing."))
		return
	}
	if len(s.deps.SecretKey) == 0 {
		s.writeError(c, unavailable("Webhooks cannot be checked: BILLING_SECRET_KEY is not set.", nil))
		return
	}
	hash := secret.WebhookSecretHash(s.deps.SecretKey, token)
	row, err := dbgen.New(s.deps.Pool).GetAccountByWebhookSecretHash(c.Request.Context(), hash)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && !secret.Equal(row.WebhookSecretHash, hash)) {
		writeProblem(c, newProblem(http.StatusUnauthorized, "unauthorized", "Unauthorized",
			"The asaas-access-token does not match any account's webhook secret."))
		return
	}
	if err != nil {
		s.writeError(c, unavailable("The event could not be checked; Asaas will retry.", err))
		return
	}
	c.Set(webhookAccountKey, webhooks.Account{ID: row.AccountID, BillingEnabled: row.BillingEnabled})
	c.Next()
}

// asaasWebhook: the delivery is checked, stored and handed to the contract it
// names (package webhooks). 200 means the event can no longer be lost.
func (s *Server) asaasWebhook(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), webhookDeadline)
	defer cancel()
	acct := c.MustGet(webhookAccountKey).(webhooks.Account)
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
	if path := duplicateKey(raw); path != "" {
		// Which of the two a reader takes is a matter of parser: never applied,
		// kept for a person to look at.
		reason := "the body holds the key " + path + " twice (letter case aside)"
		if _, err := s.webhooks.Reject(ctx, acct, raw, ev.Event, reason); err != nil {
			s.writeError(c, webhookError(err))
			return
		}
		s.writeError(c, badRequest("The event cannot be applied as sent: "+reason+"; it is stored for inspection."))
		return
	}
	res, err := s.webhooks.Deliver(ctx, acct, ev)
	if err != nil {
		s.writeError(c, webhookError(err))
		return
	}
	out := gin.H{"status": res.Outcome, "event_key": res.EventKey}
	if res.Reason != "" {
		out["reason"] = res.Reason
	}
	c.JSON(http.StatusOK, out)
}

func webhookError(err error) error {
	var unstorable *webhooks.UnstorableError
	if errors.As(err, &unstorable) {
		return badRequest("The event cannot be stored as sent: " + unstorable.Why + ".")
	}
	return unavailable("The event could not be stored or handed to its contract; Asaas will retry.", err)
}
