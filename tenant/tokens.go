package tenant

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"billing/db/dbgen"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Token statuses as lists show them.
const (
	TokenActive  = "active"
	TokenExpired = "expired"
	TokenRevoked = "revoked"
)

// TokenStatus says whether a token still authenticates at now.
func TokenStatus(expiresAt, revokedAt *time.Time, now time.Time) string {
	switch {
	case revokedAt != nil:
		return TokenRevoked
	case expiresAt != nil && !now.Before(*expiresAt):
		return TokenExpired
	}
	return TokenActive
}

// ErrTokenNotFound: no token with that id in that account.
var ErrTokenNotFound = errors.New("no such token in this account")

// IssueToken creates a token for a user of the account; expiresAt nil never expires.
// The token is returned once and only its hash is stored.
func IssueToken(ctx context.Context, q *dbgen.Queries, accountID, userID uuid.UUID, name string, expiresAt *time.Time) (string, dbgen.ApiToken, error) {
	token, hash := NewToken()
	row, err := q.CreateAPIToken(ctx, dbgen.CreateAPITokenParams{AccountID: accountID, UserID: userID, Name: name, TokenHash: hash, ExpiresAt: expiresAt})
	if err != nil {
		return "", dbgen.ApiToken{}, fmt.Errorf("create token: %w", err)
	}
	return token, row, nil
}

// CreateTokenAsOperator is `billing tokens create`: a token for the user with that
// email, audited as the operator's action.
func CreateTokenAsOperator(ctx context.Context, pool *pgxpool.Pool, accountID uuid.UUID, userEmail, name string, expiresAt *time.Time) (string, dbgen.ApiToken, error) {
	var token string
	var row dbgen.ApiToken
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		q := dbgen.New(tx)
		user, err := q.GetUserByEmail(ctx, dbgen.GetUserByEmailParams{AccountID: accountID, Email: userEmail})
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("account %s has no user %s", accountID, userEmail)
		}
		if err != nil {
			return err
		}
		if token, row, err = IssueToken(ctx, q, accountID, user.ID, name, expiresAt); err != nil {
			return err
		}
		return operatorAudit(ctx, q, accountID, "token.created", "api_token", row.ID, map[string]any{
			"name": name, "user_id": user.ID, "expires_at": expiresAt})
	})
	return token, row, err
}

// ListTokens is every token of the account, newest first (never their secrets).
func ListTokens(ctx context.Context, q *dbgen.Queries, accountID uuid.UUID) ([]dbgen.ListAPITokensRow, error) {
	var out []dbgen.ListAPITokensRow
	params := dbgen.ListAPITokensParams{AccountID: accountID, RowLimit: 500}
	for {
		rows, err := q.ListAPITokens(ctx, params)
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
		if len(rows) < int(params.RowLimit) {
			return out, nil
		}
		last := rows[len(rows)-1]
		params.AfterCreatedAt, params.AfterID = &last.CreatedAt, &last.ID
	}
}

// RevokeToken revokes a token of the account; revoked says whether this call did it
// (false: it was revoked already). ErrTokenNotFound for another account's token.
func RevokeToken(ctx context.Context, q *dbgen.Queries, accountID, tokenID uuid.UUID) (revoked bool, err error) {
	row, err := q.RevokeAPIToken(ctx, dbgen.RevokeAPITokenParams{AccountID: accountID, ID: tokenID})
	if errors.Is(err, pgx.ErrNoRows) {
		return false, ErrTokenNotFound
	}
	return row.WasActive, err
}

// RevokeTokenAsOperator is `billing tokens revoke`, audited as the operator's action.
func RevokeTokenAsOperator(ctx context.Context, pool *pgxpool.Pool, accountID, tokenID uuid.UUID) (revoked bool, err error) {
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		q := dbgen.New(tx)
		if revoked, err = RevokeToken(ctx, q, accountID, tokenID); err != nil || !revoked {
			return err
		}
		return operatorAudit(ctx, q, accountID, "token.revoked", "api_token", tokenID, nil)
	})
	return revoked, err
}

// operatorAudit records an action taken through the CLI: no user of the account did it.
func operatorAudit(ctx context.Context, q *dbgen.Queries, accountID uuid.UUID, action, entityType string, entityID uuid.UUID, data any) error {
	raw := []byte("{}")
	if data != nil {
		var err error
		if raw, err = json.Marshal(data); err != nil {
			return err
		}
	}
	return q.InsertAuditEvent(ctx, dbgen.InsertAuditEventParams{
		AccountID: accountID, ActorType: "operator", Action: action, EntityType: entityType, EntityID: &entityID, Data: raw,
	})
}
