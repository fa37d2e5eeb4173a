package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"billing/db/dbgen"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// txn is what a mutating handler works with: queries bound to one transaction and the
// actor, so the change and its audit event commit (or roll back) together.
type txn struct {
	*dbgen.Queries
	tx    pgx.Tx
	actor Actor
}

// audit records an action of the request's user in the current transaction. data must
// never hold secrets.
func (t *txn) audit(ctx context.Context, action, entityType string, entityID uuid.UUID, contractID *uuid.UUID, data any) error {
	raw := []byte("{}")
	if data != nil {
		var err error
		if raw, err = json.Marshal(data); err != nil {
			return err
		}
	}
	userID := t.actor.UserID
	return t.InsertAuditEvent(ctx, dbgen.InsertAuditEventParams{
		AccountID: t.actor.AccountID, ActorType: "user", ActorID: &userID, Action: action,
		EntityType: entityType, EntityID: &entityID, ContractID: contractID, Data: raw,
	})
}

// result is a handler's answer: status and JSON body. replay, when set, is the body
// stored for a repeat of the request (Idempotency-Key) instead of body: an answer
// holding a secret shown only once is replayed without it.
type result struct {
	status int
	body   any
	replay any
}

// errReplayed ends a transaction that found a stored answer for its Idempotency-Key.
var errReplayed = errors.New("idempotent replay")

// mutate runs fn in one transaction and writes its answer. On a POST with an
// Idempotency-Key, the key is claimed in the same transaction and the answer stored
// with the change, so a repeated request gets the same answer and no second effect.
// An error from fn rolls everything back (nothing is stored for the key).
func (s *Server) mutate(c *gin.Context, fn func(ctx context.Context, t *txn) (result, error)) {
	ctx := c.Request.Context()
	idem, err := idempotencyOf(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	var status int
	var out []byte
	replayed := false
	err = pgx.BeginFunc(ctx, s.deps.Pool, func(tx pgx.Tx) error {
		t := &txn{Queries: dbgen.New(tx), tx: tx, actor: actor(c)}
		if idem != nil {
			stored, err := idem.claim(ctx, t.Queries)
			if err != nil {
				return err
			}
			if stored != nil {
				status, out, replayed = int(*stored.ResponseStatus), stored.ResponseBody, true
				return errReplayed
			}
		}
		res, err := fn(ctx, t)
		if err != nil {
			return err
		}
		if out, err = marshalJSON(res.body); err != nil {
			return err
		}
		status = res.status
		if idem == nil {
			return nil
		}
		stored := out
		if res.replay != nil {
			if stored, err = marshalJSON(res.replay); err != nil {
				return err
			}
		}
		return idem.save(ctx, t.Queries, status, stored)
	})
	if err != nil && !errors.Is(err, errReplayed) {
		s.writeError(c, err)
		return
	}
	if replayed {
		c.Header("Idempotent-Replayed", "true")
	}
	c.Data(status, "application/json", out)
}

// reply writes a read-only handler's answer.
func (s *Server) reply(c *gin.Context, res result, err error) {
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeJSON(c, res.status, "application/json", res.body)
}

func ok(body any) result      { return result{status: http.StatusOK, body: body} }
func created(body any) result { return result{status: http.StatusCreated, body: body} }
