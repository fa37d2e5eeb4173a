package api

import (
	"context"
	"errors"
	"net/http"
	"sync"
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

// authenticateWebhook finds the account whose webhook secret the token is,
// before the body is read: by its HMAC (indexed), compared in constant time. A
// secret seen before is found in memory; storing the delivery checks it against
// the account again in the same statement, so a rotated secret stops working at
// once (and leaves the memory).
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
	acct, ok := s.webhookSecrets.get(hash)
	if !ok {
		row, err := dbgen.New(s.deps.Pool).GetAccountByWebhookSecretHash(c.Request.Context(), hash)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && !secret.Equal(row.WebhookSecretHash, hash)) {
			writeProblem(c, webhookUnauthorized())
			return
		}
		if err != nil {
			s.writeError(c, unavailable("The event could not be checked; Asaas will retry.", err))
			return
		}
		acct = webhooks.Account{ID: row.AccountID, SecretHash: hash}
		s.webhookSecrets.put(acct)
	}
	c.Set(webhookAccountKey, acct)
	c.Next()
}

func webhookUnauthorized() *Problem {
	return newProblem(http.StatusUnauthorized, "unauthorized", "Unauthorized",
		"The asaas-access-token does not match any account's webhook secret.")
}

// webhookSecrets remembers which account a secret's hash named, so a delivery
// costs one statement; the statement is what decides (see authenticateWebhook).
type webhookSecrets struct {
	mu       sync.Mutex
	accounts map[string]webhooks.Account
}

func (w *webhookSecrets) get(hash []byte) (webhooks.Account, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	a, ok := w.accounts[string(hash)]
	return a, ok
}

func (w *webhookSecrets) put(a webhooks.Account) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.accounts == nil || len(w.accounts) >= 10_000 {
		w.accounts = map[string]webhooks.Account{}
	}
	w.accounts[string(a.SecretHash)] = a
}

func (w *webhookSecrets) forget(hash []byte) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.accounts, string(hash))
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
	checks := checkWebhookJSON(raw) // one read for the text and the duplicate keys
	if why := webhookBodyProblem(checks, ev); why != "" {
		s.writeError(c, badRequest("The event cannot be stored as sent: "+why))
		return
	}
	if path := checks.dup; path != "" {
		// Which of the two a reader takes is a matter of parser: never applied,
		// kept for a person to look at.
		reason := "the body holds the key " + path + " twice (letter case aside)"
		if _, err := s.webhooks.Reject(ctx, acct, raw, ev.Event, reason); err != nil {
			s.writeError(c, s.webhookError(acct, err))
			return
		}
		setWebhookOutcome(c, string(webhooks.Rejected))
		s.writeError(c, badRequest("The event cannot be applied as sent: "+reason+"; it is stored for inspection."))
		return
	}
	res, err := s.webhooks.Deliver(ctx, acct, ev)
	if err != nil {
		s.writeError(c, s.webhookError(acct, err))
		return
	}
	setWebhookOutcome(c, string(res.Outcome))
	out := gin.H{"status": res.Outcome, "event_key": res.EventKey}
	if res.Reason != "" {
		out["reason"] = res.Reason
	}
	c.JSON(http.StatusOK, out)
}

func (s *Server) webhookError(acct webhooks.Account, err error) error {
	var unstorable *webhooks.UnstorableError
	switch {
	case errors.As(err, &unstorable):
		return badRequest("The event cannot be stored as sent: " + unstorable.Why + ".")
	case errors.Is(err, webhooks.ErrUnauthorized):
		s.webhookSecrets.forget(acct.SecretHash)
		return webhookUnauthorized()
	}
	return unavailable("The event could not be stored or handed to its contract; Asaas will retry.", err)
}
