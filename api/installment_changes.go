package api

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"billing/db/dbgen"
	"billing/workflows"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// Changes to an installment still owed (docs/architecture.md, "Changes, holds and
// partial refunds"): PATCH /v1/contracts/{id}/installments/{n} sets its value
// and/or due date, POST .../reissue issues its charge again. Both are updates of
// the contract workflow, like mark-paid (Idempotency-Key, 202 when slow).

// InstallmentEngine runs the installment changes; the ContractEngine implements it
// when it can (TemporalContracts does).
type InstallmentEngine interface {
	ChangeInstallment(ctx context.Context, a Actor, contractID uuid.UUID, installment int, req ChangeInstallmentInput, idempotencyKey string) (ContractActionResult, error)
	ReissueCharge(ctx context.Context, a Actor, contractID uuid.UUID, installment int, req ReissueInput, idempotencyKey string) (ContractActionResult, error)
}

// ChangeInstallmentInput is a validated change: a new value (zero: unchanged)
// and/or a new due date (nil: unchanged).
type ChangeInstallmentInput struct {
	Value   decimal.Decimal
	DueDate *time.Time
}

// ReissueInput: the new charge's due date (nil: the installment's own).
type ReissueInput struct {
	DueDate *time.Time
}

// InstallmentChange is what a change or a re-issue left: the installment's
// value, due date and status, its charge, and how the charge was changed.
type InstallmentChange struct {
	Installment    int    `json:"installment"`
	How            string `json:"how"` // updated | reissued
	Value          string `json:"value"`
	DueDate        string `json:"due_date"`
	Status         string `json:"status"`
	AsaasPaymentID string `json:"asaas_payment_id"`
}

type changeInstallmentRequest struct {
	Value   json.RawMessage `json:"value"`
	DueDate *string         `json:"due_date"`
}

type reissueRequest struct {
	DueDate *string `json:"due_date"`
}

func (s *Server) changeInstallment(c *gin.Context) {
	var in changeInstallmentRequest
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
	var req ChangeInstallmentInput
	value := nullIfJSONNull(in.Value)
	if value != nil {
		req.Value = f.money("value", value)
	}
	if in.DueDate != nil {
		d := f.date("due_date", *in.DueDate)
		req.DueDate = &d
		if d.Before(todayInBrazil()) && !d.IsZero() {
			f.add("due_date", "must not be in the past")
		}
	}
	if value == nil && in.DueDate == nil {
		f.add("value", "give a new value and/or due_date")
	}
	if err := f.err(); err != nil {
		s.writeError(c, err)
		return
	}
	s.contractAction(c, func(ctx context.Context, e ContractEngine, key string) (ContractActionResult, error) {
		ie, ok := e.(InstallmentEngine)
		if !ok {
			return ContractActionResult{}, notImplemented("Installment changes are not available.")
		}
		return ie.ChangeInstallment(ctx, actor(c), contract.ID, n, req, key)
	})
}

func (s *Server) reissueInstallmentCharge(c *gin.Context) {
	var in reissueRequest
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
	var req ReissueInput
	if in.DueDate != nil {
		d := f.date("due_date", *in.DueDate)
		req.DueDate = &d
		if d.Before(todayInBrazil()) && !d.IsZero() {
			f.add("due_date", "must not be in the past")
		}
	}
	if err := f.err(); err != nil {
		s.writeError(c, err)
		return
	}
	s.contractAction(c, func(ctx context.Context, e ContractEngine, key string) (ContractActionResult, error) {
		ie, ok := e.(InstallmentEngine)
		if !ok {
			return ContractActionResult{}, notImplemented("Installment changes are not available.")
		}
		return ie.ReissueCharge(ctx, actor(c), contract.ID, n, req, key)
	})
}

// ChangeInstallment runs the change-installment Update.
func (e *TemporalContracts) ChangeInstallment(ctx context.Context, a Actor, contractID uuid.UUID, installment int, req ChangeInstallmentInput, idempotencyKey string) (ContractActionResult, error) {
	wreq := workflows.ChangeInstallmentRequest{InstallmentNumber: installment, Value: req.Value, RequestedBy: a.UserID.String()}
	if req.DueDate != nil {
		wreq.DueDate = req.DueDate.Format(time.DateOnly)
	}
	var res workflows.InstallmentChangeResult
	err := e.update(ctx, contractID, workflows.ChangeInstallmentUpdate,
		updateID(idempotencyKey, "change-installment", contractID.String(), strconv.Itoa(installment)), wreq, &res)
	return installmentChangeAnswer(contractID, installment, res, err)
}

// ReissueCharge runs the reissue-charge Update.
func (e *TemporalContracts) ReissueCharge(ctx context.Context, a Actor, contractID uuid.UUID, installment int, req ReissueInput, idempotencyKey string) (ContractActionResult, error) {
	wreq := workflows.ReissueChargeRequest{InstallmentNumber: installment, RequestedBy: a.UserID.String()}
	if req.DueDate != nil {
		wreq.DueDate = req.DueDate.Format(time.DateOnly)
	}
	var res workflows.InstallmentChangeResult
	err := e.update(ctx, contractID, workflows.ReissueChargeUpdate,
		updateID(idempotencyKey, "reissue-charge", contractID.String(), strconv.Itoa(installment)), wreq, &res)
	return installmentChangeAnswer(contractID, installment, res, err)
}

func installmentChangeAnswer(contractID uuid.UUID, installment int, res workflows.InstallmentChangeResult, err error) (ContractActionResult, error) {
	if errors.Is(err, errInProgress) {
		r := inProgress(contractID, workflows.StatusActive)
		r.Installment = &installment
		return r, nil
	}
	if err != nil {
		return ContractActionResult{}, err
	}
	return ContractActionResult{ContractID: contractID, WorkflowID: workflows.ContractWorkflowID(contractID.String()),
		Status: workflows.StatusActive, Installment: &installment, InstallmentStatus: res.Status,
		Change: &InstallmentChange{Installment: installment, How: res.How, Value: formatMoney(res.Value), DueDate: res.DueDate,
			Status: res.Status, AsaasPaymentID: res.ChargeID}}, nil
}

// storeNote keeps an action's free text in PostgreSQL (contract_notes) and
// returns its id, the only thing the workflow carries. The id follows from the
// action's update ID, so a retried request (same Idempotency-Key) stores one note.
func storeNote(ctx context.Context, q *dbgen.Queries, a Actor, contractID uuid.UUID, kind, body, updateID string) (string, error) {
	id := uuid.NewSHA1(contractID, []byte(kind+"/"+updateID))
	return id.String(), q.InsertContractNote(ctx, dbgen.InsertContractNoteParams{ID: id, AccountID: a.AccountID, ContractID: contractID,
		Kind: kind, Body: body, CreatedBy: a.UserID})
}
