package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"billing/db"
	"billing/db/dbgen"
	"billing/domain"
	"billing/workflows"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopspring/decimal"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
)

// TemporalContracts runs contract actions on the contract workflow: activation
// starts it, mark-paid and cancel are its Updates (validated synchronously by the
// workflow, so an invalid request gets its error at once).
type TemporalContracts struct {
	pool     *pgxpool.Pool
	temporal client.Client
	wait     time.Duration // how long a request waits for an action to finish
	options  workflows.ContractOptions
}

// NewTemporalContracts is the production ContractEngine.
func NewTemporalContracts(pool *pgxpool.Pool, c client.Client) *TemporalContracts {
	return &TemporalContracts{pool: pool, temporal: c, wait: actionWait}
}

// WithActionWait changes how long requests wait before answering 202.
func (e *TemporalContracts) WithActionWait(d time.Duration) *TemporalContracts {
	e.wait = d
	return e
}

// WithContractOptions tunes the contract workflows it starts (zero values: the
// workflow's defaults); the end-to-end tests compress timers with it.
func (e *TemporalContracts) WithContractOptions(o workflows.ContractOptions) *TemporalContracts {
	e.options = o
	return e
}

// Activate validates a draft (installments, split rules, Asaas settings, no due
// date in the past), claims it and starts workflow contract/<id>. Calling it again
// answers with the same workflow: the ID is the contract's, and an existing run is
// used, never a second one.
func (e *TemporalContracts) Activate(ctx context.Context, a Actor, contractID uuid.UUID) (ContractActionResult, error) {
	wfID := workflows.ContractWorkflowID(contractID.String())
	var contract dbgen.Contract
	err := pgx.BeginFunc(ctx, e.pool, func(tx pgx.Tx) error {
		q := dbgen.New(tx)
		c, err := q.GetContractForUpdate(ctx, dbgen.GetContractForUpdateParams{AccountID: a.AccountID, ID: contractID})
		if err != nil {
			return notFoundIf(err, "contract")
		}
		contract = c
		switch c.Status {
		case string(domain.ContractDraft):
		case string(domain.ContractActive):
			return nil // activated before: make sure its workflow runs, below
		default:
			return Conflict("The contract is " + c.Status + "; it cannot be activated.")
		}
		if err := e.checkActivation(ctx, q, c); err != nil {
			return err
		}
		contract, err = q.ClaimContractActivation(ctx, dbgen.ClaimContractActivationParams{AccountID: a.AccountID, ID: contractID, WorkflowID: &wfID})
		return err
	})
	if err != nil {
		return ContractActionResult{}, err
	}
	run, err := e.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       wfID,
		TaskQueue:                workflows.TaskQueue,
		WorkflowIDReusePolicy:    enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowIDConflictPolicy: enums.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		TypedSearchAttributes: temporal.NewSearchAttributes(
			workflows.AccountIDKey.ValueSet(a.AccountID.String()),
			workflows.CustomerIDKey.ValueSet(contract.ClientID.String()),
			workflows.ContractStatusKey.ValueSet(workflows.StatusActive),
		),
		StaticSummary: "Contract " + contractID.String(),
	}, workflows.ContractWorkflow, workflows.ContractInput{
		AccountID: a.AccountID.String(), ContractID: contractID.String(), ActivatedBy: a.UserID.String(), Options: e.options,
	})
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	switch {
	case errors.As(err, &started): // its run already finished: that is the answer
	case err != nil:
		return ContractActionResult{}, unavailable("Temporal did not accept the activation; try again (nothing was charged).", err)
	default:
		wfID = run.GetID()
	}
	return ContractActionResult{ContractID: contractID, WorkflowID: wfID, Status: workflows.StatusActive}, nil
}

// checkActivation is the activation's validation, all errors at once.
func (e *TemporalContracts) checkActivation(ctx context.Context, q *dbgen.Queries, c dbgen.Contract) error {
	var errs []FieldError
	if _, err := q.GetAsaasSettings(ctx, c.AccountID); errors.Is(err, pgx.ErrNoRows) {
		errs = append(errs, FieldError{Field: "settings", Message: "configure the Asaas integration (PUT /v1/settings/asaas) before activating a contract"})
	} else if err != nil {
		return err
	}
	insts, err := q.ListInstallments(ctx, dbgen.ListInstallmentsParams{AccountID: c.AccountID, ContractID: c.ID})
	if err != nil {
		return err
	}
	if len(insts) == 0 {
		errs = append(errs, FieldError{Field: "installments", Message: "the contract has no installments"})
	}
	today := todayInBrazil()
	values := make([]decimal.Decimal, 0, len(insts))
	for _, i := range insts {
		values = append(values, i.Value)
		if i.DueDate.Before(today) {
			errs = append(errs, FieldError{Field: "installments[" + strconv.Itoa(int(i.Number)-1) + "].due_date",
				Message: fmt.Sprintf("installment %d is due on %s, in the past: Asaas cannot issue it; edit the schedule", i.Number, i.DueDate.Format(time.DateOnly))})
		}
	}
	rules, err := q.ListContractSplitRules(ctx, dbgen.ListContractSplitRulesParams{AccountID: c.AccountID, ContractID: c.ID})
	if err != nil {
		return err
	}
	domainRules := db.ContractSplitRules(rules)
	var payeeIDs []uuid.UUID
	for _, r := range rules {
		if r.PayeeID != nil {
			payeeIDs = append(payeeIDs, *r.PayeeID)
		}
	}
	payees := map[string]domain.PayeeInfo{}
	if len(payeeIDs) > 0 {
		rows, err := q.ListPayeesByIDs(ctx, dbgen.ListPayeesByIDsParams{AccountID: c.AccountID, Ids: payeeIDs})
		if err != nil {
			return err
		}
		for _, p := range rows {
			payees[p.ID.String()] = domain.PayeeInfo{Exists: true, HasWallet: p.AsaasWalletID != nil, Archived: p.ArchivedAt != nil}
		}
	}
	for _, fe := range domain.ValidateForActivation(domainRules, values, payees) {
		errs = append(errs, FieldError{Field: fe.Field, Message: fe.Message})
	}
	errs = append(errs, fromDomain(domain.ValidateChargeTermsFor(db.ContractChargeTerms(c), values, domainRules))...)
	if len(errs) > 0 {
		p := Validation(errs...)
		p.Detail = "The contract cannot be activated yet; see errors."
		return p
	}
	return nil
}

// MarkPaid runs the mark-paid Update; the Idempotency-Key is its Update ID, so a
// retried request is the same update, applied once.
func (e *TemporalContracts) MarkPaid(ctx context.Context, a Actor, contractID uuid.UUID, installment int, req MarkPaidInput, idempotencyKey string) (ContractActionResult, error) {
	var res workflows.MarkPaidResult
	err := e.update(ctx, contractID, workflows.MarkPaidUpdate, updateID(idempotencyKey, "mark-paid", contractID.String(), strconv.Itoa(installment)), workflows.MarkPaidRequest{
		InstallmentNumber: installment, Amount: req.Amount, PaidOn: req.PaidOn.Format(time.DateOnly), RecordedBy: a.UserID.String(),
		AllowDifference: req.AllowDifference,
	}, &res)
	if errors.Is(err, errInProgress) {
		r := inProgress(contractID, workflows.StatusActive)
		r.Installment = &installment
		return r, nil
	}
	if err != nil {
		return ContractActionResult{}, err
	}
	return ContractActionResult{ContractID: contractID, WorkflowID: workflows.ContractWorkflowID(contractID.String()),
		Status: res.ContractStatus, Installment: &installment, InstallmentStatus: string(domain.InstallmentPaid)}, nil
}

// Cancel runs the cancel Update: open charges are deleted at Asaas last to first.
func (e *TemporalContracts) Cancel(ctx context.Context, a Actor, contractID uuid.UUID, reason string, idempotencyKey string) (ContractActionResult, error) {
	var res workflows.CancelResult
	id := updateID(idempotencyKey, "cancel", contractID.String())
	// The reason's text stays in PostgreSQL; the workflow carries its id (B10).
	reasonID, err := storeNote(ctx, dbgen.New(e.pool), a, contractID, "cancel_reason", reason, id)
	if err != nil {
		return ContractActionResult{}, err
	}
	err = e.update(ctx, contractID, workflows.CancelUpdate, id,
		workflows.CancelRequest{ReasonID: reasonID, RequestedBy: a.UserID.String()}, &res)
	if errors.Is(err, errInProgress) {
		return inProgress(contractID, workflows.StatusActive), nil
	}
	if err != nil {
		return ContractActionResult{}, err
	}
	return ContractActionResult{ContractID: contractID, WorkflowID: workflows.ContractWorkflowID(contractID.String()), Status: workflows.StatusCancelled}, nil
}

// updateID is the workflow Update ID of an action: its name, what it acts on
// and the Idempotency-Key ("mark-paid/<contract>/<n>/<key>"), so a retried
// request is the same update, applied once, and the same key on another
// installment never is. Without a key every request is an update of its own.
func updateID(idempotencyKey string, action ...string) string {
	if idempotencyKey == "" {
		idempotencyKey = uuid.NewString()
	}
	return strings.Join(append(action, idempotencyKey), "/")
}

// errInProgress: the update was accepted but did not finish within actionWait.
var errInProgress = errors.New("action accepted, still running")

// actionWait is how long an HTTP request waits for a contract action to finish.
const actionWait = 20 * time.Second

func (e *TemporalContracts) update(ctx context.Context, contractID uuid.UUID, name, id string, arg, out any) error {
	// Acceptance (the validator's answer) has its own budget: a busy server that
	// is slow to accept is a 503, not a 202 for an action that may not run.
	acceptCtx, cancelAccept := context.WithTimeout(ctx, acceptWait)
	handle, err := e.temporal.UpdateWorkflow(acceptCtx, client.UpdateWorkflowOptions{
		WorkflowID: workflows.ContractWorkflowID(contractID.String()), UpdateID: id, UpdateName: name,
		Args: []any{arg}, WaitForStage: client.WorkflowUpdateStageAccepted,
	})
	cancelAccept()
	if err == nil {
		waitCtx, cancel := context.WithTimeout(ctx, e.wait)
		defer cancel()
		err = handle.Get(waitCtx, out)
		if err != nil && ctx.Err() == nil && waitCtx.Err() != nil {
			return errInProgress // accepted (validated), still running: 202
		}
	}
	return updateProblem(err)
}

// acceptWait bounds how long a request waits for the workflow to accept (or
// reject) an action.
const acceptWait = 10 * time.Second

// inProgress is the 202 answer of an accepted action that is still running.
func inProgress(contractID uuid.UUID, status string) ContractActionResult {
	return ContractActionResult{ContractID: contractID, WorkflowID: workflows.ContractWorkflowID(contractID.String()),
		Status: status, InProgress: true}
}

// updateProblem maps a workflow's answer to the HTTP problem a user reads.
func updateProblem(err error) error {
	if err == nil {
		return nil
	}
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return Conflict("The contract is not active (it has no running workflow).")
	}
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		switch appErr.Type() {
		case workflows.ErrTypeInvalidState, workflows.ErrTypeAlreadyPaid:
			return Conflict(appErr.Message())
		case workflows.ErrTypeInvalidInput:
			var field string
			if appErr.HasDetails() && appErr.Details(&field) == nil && field != "" {
				return Validation(FieldError{Field: field, Message: appErr.Message()})
			}
			p := Validation()
			p.Detail = appErr.Message()
			return p
		case workflows.ErrTypeAsaasRejected, workflows.ErrTypeGateway, workflows.ErrTypeNotConfigured:
			return newProblem(http.StatusUnprocessableEntity, "gateway-rejected", "Asaas rejected the request", appErr.Message())
		}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return unavailable("The contract did not answer in time; try again with the same Idempotency-Key.", err)
	}
	return unavailable("The contract's workflow could not run the action; try again with the same Idempotency-Key.", err)
}

func unavailable(detail string, cause error) *Problem {
	p := newProblem(http.StatusServiceUnavailable, "unavailable", "Service unavailable", detail)
	p.cause = cause
	return p
}

// todayInBrazil is the calendar day in São Paulo (UTC-3), Asaas's clock.
func todayInBrazil() time.Time {
	now := time.Now().In(time.FixedZone("BRT", -3*3600))
	return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
}
