package api

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"billing/db/dbgen"
	"billing/tenant"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
)

// tokenView is an API token as lists show it: never the token itself (only its hash
// is stored). Token is set once, in the answer of the POST that created it.
type tokenView struct {
	ID        uuid.UUID  `json:"id"`
	Name      string     `json:"name"`
	UserID    uuid.UUID  `json:"user_id"`
	UserEmail string     `json:"user_email"`
	Status    string     `json:"status"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt *time.Time `json:"expires_at"`
	RevokedAt *time.Time `json:"revoked_at"`
}

type createdTokenView struct {
	tokenView
	// Token is the bearer token, shown in this answer only; a replay of the request
	// (same Idempotency-Key) answers null: the token is never stored.
	Token *string `json:"token"`
}

func viewToken(r dbgen.ListAPITokensRow) tokenView {
	return tokenView{ID: r.ID, Name: r.Name, UserID: r.UserID, UserEmail: r.UserEmail,
		Status: tenant.TokenStatus(r.ExpiresAt, r.RevokedAt, time.Now()), CreatedAt: r.CreatedAt, ExpiresAt: r.ExpiresAt, RevokedAt: r.RevokedAt}
}

// listTokens: GET /v1/tokens, the account's tokens (every user's), newest first.
func (s *Server) listTokens(c *gin.Context) {
	var f fields
	p := parsePage(c, &f)
	if err := f.err(); err != nil {
		s.writeError(c, err)
		return
	}
	rows, err := dbgen.New(s.deps.Pool).ListAPITokens(c.Request.Context(), dbgen.ListAPITokensParams{
		AccountID: actor(c).AccountID, AfterCreatedAt: p.afterCreatedAt, AfterID: p.afterID, RowLimit: p.fetch(),
	})
	s.reply(c, ok(pageOf(p, rows, func(r dbgen.ListAPITokensRow) (time.Time, uuid.UUID) { return r.CreatedAt, r.ID }, viewToken)), err)
}

type tokenInput struct {
	Name      string  `json:"name"`
	ExpiresAt *string `json:"expires_at"`
}

// createToken: POST /v1/tokens, a token for the calling user, shown once.
func (s *Server) createToken(c *gin.Context) {
	var in tokenInput
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	var f fields
	name := f.text("name", in.Name, 200)
	var expiresAt *time.Time
	if in.ExpiresAt != nil {
		at, err := time.Parse(time.RFC3339, *in.ExpiresAt)
		switch {
		case err != nil:
			f.add("expires_at", "must be an RFC 3339 time such as 2027-01-31T00:00:00Z")
		case !at.After(time.Now()):
			f.add("expires_at", "must be in the future")
		default:
			expiresAt = &at
		}
	}
	if err := f.err(); err != nil {
		s.writeError(c, err)
		return
	}
	s.mutate(c, func(ctx context.Context, t *txn) (result, error) {
		token, row, err := tenant.IssueToken(ctx, t.Queries, t.actor.AccountID, t.actor.UserID, name, expiresAt)
		if err != nil {
			return result{}, err
		}
		got, err := t.GetAPIToken(ctx, dbgen.GetAPITokenParams{AccountID: t.actor.AccountID, ID: row.ID})
		if err != nil {
			return result{}, err
		}
		view := viewToken(dbgen.ListAPITokensRow(got))
		res := created(createdTokenView{view, &token})
		res.replay = createdTokenView{view, nil}
		return res, t.audit(ctx, "token.created", "api_token", row.ID, nil, map[string]any{"name": name, "expires_at": expiresAt})
	})
}

// revokeToken: DELETE /v1/tokens/{id}. The token stops working at once; revoking a
// revoked token changes nothing and answers the same.
func (s *Server) revokeToken(c *gin.Context) {
	id, err := pathID(c, "id", "token")
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.mutate(c, func(ctx context.Context, t *txn) (result, error) {
		revoked, err := tenant.RevokeToken(ctx, t.Queries, t.actor.AccountID, id)
		if errors.Is(err, tenant.ErrTokenNotFound) {
			return result{}, NotFound("token")
		}
		if err != nil {
			return result{}, err
		}
		got, err := t.GetAPIToken(ctx, dbgen.GetAPITokenParams{AccountID: t.actor.AccountID, ID: id})
		if err != nil {
			return result{}, err
		}
		if revoked {
			err = t.audit(ctx, "token.revoked", "api_token", id, nil, json.RawMessage(`{}`))
		}
		return ok(viewToken(dbgen.ListAPITokensRow(got))), err
	})
}
