package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"billing/db/dbgen"
	"billing/secret"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// AsaasConnectionTester checks that an API key works against Asaas (the lead wires the
// real client; tests use a fake).
type AsaasConnectionTester interface {
	TestConnection(ctx context.Context, environment, apiKey string) error
}

const asaasKeyPrefix = "$aact_"

// settingsUpdatedView is the answer of a PUT: the settings, and the webhook token
// when the request set a webhook secret (the only time it is shown).
type settingsUpdatedView struct {
	settingsView
	// WebhookToken is what to paste in Asaas as the webhook's authentication token:
	// the secret sent, then "-" and this account's id (see secret.WebhookToken).
	WebhookToken *string `json:"webhook_token"`
}

type settingsView struct {
	Configured              bool       `json:"configured"`
	APIKey                  *string    `json:"api_key"` // masked: "$aact_****abcd"
	Environment             *string    `json:"environment"`
	WebhookSecretConfigured bool       `json:"webhook_secret_configured"`
	UpdatedAt               *time.Time `json:"updated_at"`
	UpdatedBy               *uuid.UUID `json:"updated_by"`
	// WebhookQueue is the Asaas webhook queue's health (settings_queue.go).
	WebhookQueue *webhookQueueView `json:"webhook_queue"`
}

func viewSettings(s *dbgen.AsaasSetting) settingsView {
	if s == nil {
		return settingsView{}
	}
	masked := asaasKeyPrefix + "****" + s.ApiKeyLast4
	return settingsView{
		Configured: true, APIKey: &masked, Environment: &s.Environment,
		WebhookSecretConfigured: s.WebhookSecretHash != nil, UpdatedAt: &s.UpdatedAt, UpdatedBy: &s.UpdatedBy,
	}
}

// settingsInput: every field may be omitted once settings exist (the stored value is
// kept); api_key and environment are required the first time. Secrets are write-only.
type settingsInput struct {
	APIKey        *string `json:"api_key"`
	Environment   *string `json:"environment"`
	WebhookSecret *string `json:"webhook_secret"`
}

func (s *Server) getSettings(c *gin.Context) {
	ctx, q, accountID := c.Request.Context(), dbgen.New(s.deps.Pool), actor(c).AccountID
	row, err := q.GetAsaasSettings(ctx, accountID)
	if errors.Is(err, pgx.ErrNoRows) {
		s.reply(c, ok(viewSettings(nil)), nil)
		return
	}
	view := viewSettings(&row)
	if err == nil {
		view.WebhookQueue, err = webhookQueue(ctx, q, accountID)
	}
	s.reply(c, ok(view), err)
}

func (s *Server) putSettings(c *gin.Context) {
	var in settingsInput
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	if len(s.deps.SecretKey) != secret.KeySize {
		s.writeError(c, noSecretKey())
		return
	}
	s.mutate(c, func(ctx context.Context, t *txn) (result, error) {
		accountID := t.actor.AccountID
		current, err := t.GetAsaasSettingsForUpdate(ctx, accountID)
		exists := err == nil
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return result{}, err
		}
		var f fields
		if !exists {
			if in.APIKey == nil {
				f.add("api_key", "is required")
			}
			if in.Environment == nil {
				f.add("environment", "is required")
			}
		}
		env := current.Environment
		if in.Environment != nil {
			env = f.oneOf("environment", *in.Environment, "sandbox", "production")
		}
		if in.APIKey != nil {
			validateAsaasKey(&f, *in.APIKey, env)
		}
		if in.WebhookSecret != nil {
			validateWebhookSecret(&f, *in.WebhookSecret, accountID)
		}
		if err := f.err(); err != nil {
			return result{}, err
		}

		params := dbgen.UpsertAsaasSettingsParams{
			AccountID: accountID, ApiKeyCiphertext: current.ApiKeyCiphertext, ApiKeyLast4: current.ApiKeyLast4,
			Environment: env, WebhookSecretHash: current.WebhookSecretHash, UpdatedBy: t.actor.UserID,
		}
		if in.APIKey != nil {
			key := strings.TrimSpace(*in.APIKey)
			if params.ApiKeyCiphertext, err = secret.Seal(s.deps.SecretKey, []byte(key), accountID[:]); err != nil {
				return result{}, err
			}
			params.ApiKeyLast4 = key[len(key)-4:]
		}
		// The token Asaas must send ends with this account's id, so it can never be
		// another account's: nothing is checked against other accounts and the answer
		// is the same whatever secrets they chose. (Only a token stored before tokens
		// carried the account could equal it: the unique index refuses it, a 500.)
		var token *string
		if in.WebhookSecret != nil {
			tok := secret.WebhookToken(accountID, *in.WebhookSecret)
			token = &tok
			params.WebhookSecretHash = secret.WebhookSecretHash(s.deps.SecretKey, tok)
		}
		row, err := t.UpsertAsaasSettings(ctx, params)
		if err != nil {
			return result{}, err
		}
		if err := s.ensureQueueWatch(ctx, accountID); err != nil {
			return result{}, err
		}
		err = t.audit(ctx, "settings.asaas_updated", "asaas_settings", accountID, nil, map[string]any{
			"environment":            env,
			"api_key_changed":        in.APIKey != nil,
			"api_key_last4":          row.ApiKeyLast4,
			"webhook_secret_changed": in.WebhookSecret != nil,
		})
		view := viewSettings(&row)
		if err == nil {
			view.WebhookQueue, err = webhookQueue(ctx, t.Queries, accountID)
		}
		return ok(settingsUpdatedView{view, token}), err
	})
}

func validateAsaasKey(f *fields, key, env string) {
	key = strings.TrimSpace(key)
	switch {
	case !strings.HasPrefix(key, asaasKeyPrefix):
		f.add("api_key", "must be an Asaas API key (it starts with %s)", asaasKeyPrefix)
	case len(key) < len(asaasKeyPrefix)+8 || len(key) > 1000:
		f.add("api_key", "is too short or too long to be an Asaas API key")
	case strings.IndexFunc(key, unicode.IsSpace) >= 0:
		f.add("api_key", "must not contain spaces")
	// Current Asaas keys say their environment: $aact_hmlg_ (sandbox), $aact_prod_.
	case strings.HasPrefix(key, asaasKeyPrefix+"hmlg_") && env == "production":
		f.add("api_key", "is a sandbox key ($aact_hmlg_...) but environment is production")
	case strings.HasPrefix(key, asaasKeyPrefix+"prod_") && env == "sandbox":
		f.add("api_key", "is a production key ($aact_prod_...) but environment is sandbox")
	}
}

// maxWebhookSecret leaves room for the account suffix in a 255-character token.
const maxWebhookSecret = 255 - secret.WebhookTokenSuffixLength

func validateWebhookSecret(f *fields, v string, accountID uuid.UUID) {
	switch {
	case utf8.RuneCountInString(v) < 16 || utf8.RuneCountInString(secret.WebhookToken(accountID, v)) > 255:
		f.add("webhook_secret", "must be between 16 and %d characters", maxWebhookSecret)
	case strings.IndexFunc(v, unicode.IsSpace) >= 0:
		f.add("webhook_secret", "must not contain spaces")
	}
}

func noSecretKey() *Problem {
	return newProblem(http.StatusServiceUnavailable, "not-configured", "Service not configured",
		"The server has no BILLING_SECRET_KEY, so it cannot store Asaas API keys.")
}

type connectionTestView struct {
	OK          bool    `json:"ok"`
	Environment string  `json:"environment"`
	Error       *string `json:"error"`
}

// testSettings calls Asaas with the stored key. A failing connection is a normal
// answer (ok false and the reason), not an HTTP error.
func (s *Server) testSettings(c *gin.Context) {
	if err := decodeJSON(c, &struct{}{}); err != nil {
		s.writeError(c, err)
		return
	}
	ctx := c.Request.Context()
	accountID := actor(c).AccountID
	row, err := dbgen.New(s.deps.Pool).GetAsaasSettings(ctx, accountID)
	if errors.Is(err, pgx.ErrNoRows) {
		s.writeError(c, Conflict("Asaas is not configured yet: PUT /v1/settings/asaas first."))
		return
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	if s.deps.Asaas == nil {
		s.writeError(c, notImplemented("Testing the Asaas connection is not available yet."))
		return
	}
	if len(s.deps.SecretKey) != secret.KeySize {
		s.writeError(c, noSecretKey())
		return
	}
	key, err := secret.Open(s.deps.SecretKey, row.ApiKeyCiphertext, accountID[:])
	if err != nil {
		s.writeError(c, err)
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	view := connectionTestView{OK: true, Environment: row.Environment}
	if err := s.deps.Asaas.TestConnection(ctx, row.Environment, string(key)); err != nil {
		msg := err.Error()
		view.OK, view.Error = false, &msg
	}
	s.reply(c, ok(view), nil)
}
