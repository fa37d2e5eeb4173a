package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"billing/db/dbgen"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// The contract actions: the API checks the request's shape and that the contract (and
// installment) belong to the caller's account, then hands over to the ContractEngine
// (the contract workflow), which decides whether the action is valid now and writes
// the effects and their audit events. A *Problem returned by the engine is written
// as-is (e.g. 409 for a contract that is not active); other errors are 500.

// ContractEngine runs contract actions. idempotencyKey is the request's Idempotency-Key
// ("" when none), meant to be the workflow Update ID.
type ContractEngine interface {
	Activate(ctx context.Context, a Actor, contractID uuid.UUID) (ContractActionResult, error)
	MarkPaid(ctx context.Context, a Actor, contractID uuid.UUID, installment int, req MarkPaidInput, idempotencyKey string) (ContractActionResult, error)
	Cancel(ctx context.Context, a Actor, contractID uuid.UUID, reason string, idempotencyKey string) (ContractActionResult, error)
}

// MarkPaidInput is a validated manual payment: amount > 0 with at most 2 decimals,
// paid on a date not after today.
type MarkPaidInput struct {
	Amount decimal.Decimal
	PaidOn time.Time
	// AllowDifference records an amount other than the installment's value.
	AllowDifference bool
}

// ContractActionResult is the answer of an action.
type ContractActionResult struct {
	ContractID uuid.UUID `json:"contract_id"`
	WorkflowID string    `json:"workflow_id"`
	Status     string    `json:"status"` // the contract's status after the action
	// Installment and InstallmentStatus are set by mark-paid.
	Installment       *int   `json:"installment,omitempty"`
	InstallmentStatus string `json:"installment_status,omitempty"`
	// Change is set by change-installment and reissue: what the installment is now.
	Change *InstallmentChange `json:"change,omitempty"`
	// InProgress: the workflow accepted the action but has not finished it yet
	// (e.g. Asaas is slow); answered 202 and not stored for Idempotency-Key, so
	// repeating the request with the same key waits for the same action again.
	InProgress bool `json:"in_progress,omitempty"`
}

type markPaidRequest struct {
	Amount          json.RawMessage `json:"amount"`
	PaidOn          string          `json:"paid_on"`
	AllowDifference bool            `json:"allow_difference"`
}

type cancelRequest struct {
	Reason string `json:"reason"`
}

// ownedContract loads the contract of the path for the caller's account (404 otherwise).
func (s *Server) ownedContract(c *gin.Context) (dbgen.Contract, error) {
	id, err := pathID(c, "id", "contract")
	if err != nil {
		return dbgen.Contract{}, err
	}
	row, err := dbgen.New(s.deps.Pool).GetContract(c.Request.Context(), dbgen.GetContractParams{AccountID: actor(c).AccountID, ID: id})
	return row, notFoundIf(err, "contract")
}

// installmentParam is the {n} of the path: a number of one of the contract's
// installments, 404 otherwise.
func installmentParam(c *gin.Context, contract dbgen.Contract) (int, error) {
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil || n < 1 || n > int(contract.InstallmentCount) {
		return 0, NotFound("installment")
	}
	return n, nil
}

// ownedInstallment is the caller's contract {id} and its installment number {n}
// (404 when either is not there).
func (s *Server) ownedInstallment(c *gin.Context) (dbgen.Contract, int, error) {
	contract, err := s.ownedContract(c)
	if err != nil {
		return dbgen.Contract{}, 0, err
	}
	n, err := installmentParam(c, contract)
	return contract, n, err
}

func (s *Server) activateContract(c *gin.Context) {
	if err := decodeJSON(c, &struct{}{}); err != nil {
		s.writeError(c, err)
		return
	}
	contract, err := s.ownedContract(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.contractAction(c, func(ctx context.Context, e ContractEngine, _ string) (ContractActionResult, error) {
		return e.Activate(ctx, actor(c), contract.ID)
	})
}

func (s *Server) markInstallmentPaid(c *gin.Context) {
	var in markPaidRequest
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	contract, n, err := s.ownedInstallment(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	var f fields
	req := MarkPaidInput{Amount: f.money("amount", nullIfJSONNull(in.Amount)), PaidOn: f.date("paid_on", in.PaidOn), AllowDifference: in.AllowDifference}
	if today := time.Now().UTC().Truncate(24 * time.Hour); req.PaidOn.After(today) {
		f.add("paid_on", "must not be in the future")
	}
	if err := f.err(); err != nil {
		s.writeError(c, err)
		return
	}
	s.contractAction(c, func(ctx context.Context, e ContractEngine, key string) (ContractActionResult, error) {
		return e.MarkPaid(ctx, actor(c), contract.ID, n, req, key)
	})
}

func (s *Server) cancelContract(c *gin.Context) {
	var in cancelRequest
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	contract, err := s.ownedContract(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	var f fields
	reason := f.text("reason", in.Reason, 500)
	if err := f.err(); err != nil {
		s.writeError(c, err)
		return
	}
	s.contractAction(c, func(ctx context.Context, e ContractEngine, key string) (ContractActionResult, error) {
		return e.Cancel(ctx, actor(c), contract.ID, reason, key)
	})
}

// contractAction runs one engine call with Idempotency-Key support: the key is
// claimed first (a concurrent request with the same key waits for this one's
// answer and replays it; the same key on another path or body is a 422), the
// action runs with an update ID naming contract, installment and key, and its
// answer is stored with the key. A failed action, or one still running (202),
// releases the key: a retry runs it again, and the update ID makes it the same
// update.
func (s *Server) contractAction(c *gin.Context, run func(ctx context.Context, e ContractEngine, idempotencyKey string) (ContractActionResult, error)) {
	if s.deps.Contracts == nil {
		s.writeError(c, notImplemented("Contract actions are not available yet."))
		return
	}
	ctx := c.Request.Context()
	idem, err := idempotencyFor(c, http.MethodPost, http.MethodPatch)
	if err != nil {
		s.writeError(c, err)
		return
	}
	key := ""
	if idem != nil {
		key = idem.key
		stored, err := idem.claimFirst(ctx, s.deps.Pool, actionWait)
		if err != nil {
			s.writeError(c, err)
			return
		}
		if stored != nil {
			c.Header("Idempotent-Replayed", "true")
			c.Data(int(*stored.ResponseStatus), "application/json", stored.ResponseBody)
			return
		}
	}
	res, err := run(ctx, s.deps.Contracts, key)
	var out []byte
	if err == nil {
		out, err = marshalJSON(res)
	}
	if idem != nil && (err != nil || res.InProgress) {
		if rerr := idem.release(ctx, dbgen.New(s.deps.Pool)); rerr != nil {
			s.deps.Logger.Error("idempotency key not released", "key", idem.key, "err", rerr)
		}
	}
	if err != nil {
		s.writeError(c, err) // a *Problem as-is, anything else a logged 500
		return
	}
	if res.InProgress {
		c.Data(http.StatusAccepted, "application/json", out)
		return
	}
	if idem != nil {
		saveCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		err := idem.save(saveCtx, dbgen.New(s.deps.Pool), http.StatusOK, out)
		cancel()
		if err != nil {
			s.writeError(c, err)
			return
		}
	}
	c.Data(http.StatusOK, "application/json", out)
}
