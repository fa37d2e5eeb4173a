package api

import (
	"context"
	"crypto/sha256"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"billing/db/dbgen"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"
)

const idempotencyHeader = "Idempotency-Key"

// idempotency is one POST's Idempotency-Key and the fingerprint of its request.
type idempotency struct {
	actor  Actor
	key    string
	method string
	path   string
	hash   []byte
}

// idempotencyOf reads the key of a POST (nil when absent or not a POST). The request
// hash covers method, path and the exact body bytes.
func idempotencyOf(c *gin.Context) (*idempotency, error) {
	return idempotencyFor(c, http.MethodPost)
}

// idempotencyFor reads the key of a request of one of the methods (contract
// actions: POST, and the PATCH of an installment, which acts at Asaas).
func idempotencyFor(c *gin.Context, methods ...string) (*idempotency, error) {
	key := strings.TrimSpace(c.GetHeader(idempotencyHeader))
	if key == "" || !slices.Contains(methods, c.Request.Method) {
		return nil, nil
	}
	if len(key) > 255 {
		return nil, Validation(FieldError{Field: idempotencyHeader, Message: "must be at most 255 characters"})
	}
	if why := textProblem(key); why != "" { // HTTP lets bytes over 0x7f through; PostgreSQL text needs UTF-8
		return nil, Validation(FieldError{Field: idempotencyHeader, Message: why})
	}
	h := sha256.New()
	h.Write([]byte(c.Request.Method + "\n" + c.Request.URL.Path + "\n"))
	h.Write(body(c))
	a := actor(c)
	return &idempotency{actor: a, key: key, method: c.Request.Method, path: c.Request.URL.Path, hash: h.Sum(nil)}, nil
}

// claim takes the key for this request, or returns the stored answer of the earlier
// request that used it (422 when that request was a different one). A claim of
// the same request that holds no answer yet is errKeyInUse, unless it is older
// than claimLease: its request died, and this one takes it over.
func (i *idempotency) claim(ctx context.Context, q *dbgen.Queries) (*dbgen.IdempotencyKey, error) {
	_, err := q.ClaimIdempotencyKey(ctx, dbgen.ClaimIdempotencyKeyParams{
		AccountID: i.actor.AccountID, Key: i.key, Method: i.method, Path: i.path, RequestHash: i.hash,
	})
	if err == nil {
		return nil, nil // ours now
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return nil, err
	}
	stored, err := i.stored(ctx, q)
	if !errors.Is(err, errKeyInUse) {
		return stored, err
	}
	_, err = q.TakeOverIdempotencyClaim(ctx, dbgen.TakeOverIdempotencyClaimParams{AccountID: i.actor.AccountID, Key: i.key,
		Method: i.method, Path: i.path, RequestHash: i.hash, LeaseSeconds: claimLease.Seconds()})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errKeyInUse
	}
	return nil, err // nil: taken over
}

// claimLease outlasts the longest request that holds a claim (a contract action
// waits up to actionWait, a payment link makes two Asaas calls of at most 20 s).
const claimLease = 2 * time.Minute

// errKeyInUse: a request with this key is still running.
var errKeyInUse = Conflict("A request with this Idempotency-Key is still being processed; retry later.")

// stored is the answer stored for the key, nil when there is none, errKeyInUse
// when the request that claimed it has not answered yet.
func (i *idempotency) stored(ctx context.Context, q *dbgen.Queries) (*dbgen.IdempotencyKey, error) {
	row, err := q.GetIdempotencyKey(ctx, dbgen.GetIdempotencyKeyParams{AccountID: i.actor.AccountID, Key: i.key})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if row.Method != i.method || row.Path != i.path || string(row.RequestHash) != string(i.hash) {
		return nil, Validation(FieldError{Field: idempotencyHeader,
			Message: "was already used for a different request; use a new key for a new request"})
	}
	if row.ResponseStatus == nil {
		return nil, errKeyInUse
	}
	return &row, nil
}

func (i *idempotency) save(ctx context.Context, q *dbgen.Queries, status int, body []byte) error {
	st := int32(status)
	return q.SaveIdempotencyResponse(ctx, dbgen.SaveIdempotencyResponseParams{
		AccountID: i.actor.AccountID, Key: i.key, ResponseStatus: &st, ResponseBody: body,
	})
}
