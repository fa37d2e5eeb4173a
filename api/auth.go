package api

import (
	"errors"
	"strings"

	"billing/db/dbgen"
	"billing/tenant"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Actor is who makes a request: a user of one account. Everything a handler reads or
// writes is scoped by AccountID.
type Actor struct {
	AccountID uuid.UUID
	UserID    uuid.UUID
}

const actorKey = "billing.actor"

// authenticate resolves the bearer token to its user and account: 401 without a valid
// token, 403 when the account's billing module is disabled.
func (s *Server) authenticate(c *gin.Context) {
	hash, inProcess := inProcessTokenHash(c.Request.Context()) // the console (in_process.go)
	if !inProcess {
		scheme, token, ok := strings.Cut(strings.TrimSpace(c.GetHeader("Authorization")), " ")
		token = strings.TrimSpace(token)
		if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
			writeProblem(c, unauthorized("Send an API token as `Authorization: Bearer bil_...`."))
			return
		}
		hash = tenant.HashToken(token)
	}
	row, err := dbgen.New(s.deps.Pool).AuthenticateToken(c.Request.Context(), hash)
	if errors.Is(err, pgx.ErrNoRows) {
		writeProblem(c, unauthorized("The API token is not valid, has expired or was revoked."))
		return
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	if !row.BillingEnabled {
		writeProblem(c, forbidden("The billing module is not enabled for this account; contact support to enable it."))
		return
	}
	c.Set(actorKey, Actor{AccountID: row.AccountID, UserID: row.UserID})
	c.Next()
}

func actor(c *gin.Context) Actor {
	a, _ := c.Get(actorKey)
	return a.(Actor) // set by authenticate on every /v1 route that reaches a handler
}

// pathID parses the :id (or another) path parameter; a malformed id is a 404, like
// an id of another account.
func pathID(c *gin.Context, param, what string) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Param(param))
	if err != nil {
		return uuid.Nil, NotFound(what)
	}
	return id, nil
}

// notFoundIf turns "no rows" into a 404 for what.
func notFoundIf(err error, what string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return NotFound(what)
	}
	return err
}
