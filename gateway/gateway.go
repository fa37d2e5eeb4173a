// Package gateway binds an account's stored Asaas settings to the Asaas client:
// it decrypts the API key and picks the base URL, for the activities and the API.
package gateway

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"billing/asaas"
	"billing/db/dbgen"
	"billing/secret"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// ErrNotConfigured means the account cannot talk to Asaas: no settings, or a key
// this server cannot decrypt. No retry fixes it.
var ErrNotConfigured = errors.New("asaas not configured")

// Connector builds per-account clients; one is shared by the process.
type Connector struct {
	SecretKey []byte       // BILLING_SECRET_KEY
	BaseURL   string       // ASAAS_BASE_URL override ("" = per environment)
	HTTP      *http.Client // shared transport
}

// NewConnector returns a connector with a pooled HTTP transport.
func NewConnector(secretKey []byte, baseURL string) *Connector {
	return &Connector{SecretKey: secretKey, BaseURL: baseURL,
		HTTP: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, IdleConnTimeout: 90 * time.Second}}}
}

// Client is the account's Asaas client, from its stored settings.
func (c *Connector) Client(ctx context.Context, q *dbgen.Queries, accountID uuid.UUID) (*asaas.Client, error) {
	s, err := q.GetAsaasSettings(ctx, accountID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("%w: the account has no Asaas settings", ErrNotConfigured)
	}
	if err != nil {
		return nil, err
	}
	key, err := secret.Open(c.SecretKey, s.ApiKeyCiphertext, accountID[:])
	if err != nil {
		return nil, fmt.Errorf("%w: the stored Asaas API key cannot be decrypted with this server's BILLING_SECRET_KEY", ErrNotConfigured)
	}
	return c.ClientWithKey(s.Environment, string(key))
}

// ClientWithKey is a client for a key not stored yet (the settings "test connection").
func (c *Connector) ClientWithKey(environment, apiKey string) (*asaas.Client, error) {
	base := c.BaseURL
	if base == "" {
		var err error
		if base, err = asaas.BaseURLFor(environment); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrNotConfigured, err)
		}
	}
	return asaas.New(asaas.Options{BaseURL: base, APIKey: apiKey, HTTPClient: c.HTTP}), nil
}

// TestConnection implements the API's settings check with a real Asaas call.
func (c *Connector) TestConnection(ctx context.Context, environment, apiKey string) error {
	cl, err := c.ClientWithKey(environment, apiKey)
	if err != nil {
		return err
	}
	return cl.TestConnection(ctx)
}
