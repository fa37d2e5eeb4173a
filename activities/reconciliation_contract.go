package activities

import (
	"context"
	"errors"
	"time"

	"billing/db/dbgen"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
)

// One contract of a reconciliation run: its workflow is asked through its
// ReconcileUpdate and its answer is recorded once.

// The contract workflow's public contract as this package needs it: the
// workflows package imports this one, so its names and payloads are mirrored
// here, and workflows/reconciliation_contract_test.go checks that they agree.
const (
	// ReconcileUpdateName is workflows.ReconcileUpdate.
	ReconcileUpdateName = "reconcile"
	// ContractWorkflowIDPrefix + contract id is workflows.ContractWorkflowID.
	ContractWorkflowIDPrefix = "contract/"
)

// ContractReconcileRequest mirrors workflows.ReconcileRequest.
type ContractReconcileRequest struct {
	Source string
}

// ContractReconcileAnswer mirrors workflows.ReconcileResult.
type ContractReconcileAnswer struct {
	Checked    int
	Repairs    []ContractRepair
	Mismatches []ContractMismatch
}

// ContractRepair mirrors workflows.Repair.
type ContractRepair struct {
	Number         int
	AsaasPaymentID string
	Event          string
	Before, After  string
}

// ContractMismatch mirrors workflows.Mismatch.
type ContractMismatch struct {
	Number         int
	AsaasPaymentID string
	Event          string // "" when not about a payment (no running workflow, Asaas not asked)
	Detail         string
}

// ReconcileUpdateID is the Update ID a run gives every contract it asks: a
// retried activity attaches to the same update instead of starting another.
func ReconcileUpdateID(reconciliationID string) string { return "reconcile/" + reconciliationID }

// NoRunningWorkflow is the mismatch of a contract that should be open but whose
// workflow is not running (never started, or closed while the database says active).
const NoRunningWorkflow = "no running workflow"

// ReconcileContractInput asks one contract of a run.
type ReconcileContractInput struct {
	ReconciliationRef
	ContractID string
	Source     string
}

// ContractReconciled is what the contract found, as recorded.
type ContractReconciled struct {
	Checked    int
	Repairs    int
	Mismatches int
}

// ReconcileContract runs the contract's ReconcileUpdate (Update ID
// reconcile/<run>) and records its answer: the installments asked about, each
// repair and each mismatch. A contract without a running workflow is recorded
// as the mismatch "no running workflow". An update that failed is final (its
// failure is what the same Update ID answers again); the workflow records it
// with RecordContractUnreconciled.
func (a *Activities) ReconcileContract(ctx context.Context, in ReconcileContractInput) (ContractReconciled, error) {
	acct, run, err := in.ids()
	if err != nil {
		return ContractReconciled{}, err
	}
	cid, err := uuid.Parse(in.ContractID)
	if err != nil {
		return ContractReconciled{}, notFound("contract %q", in.ContractID)
	}
	row, err := a.q().GetReconciliationContract(ctx, dbgen.GetReconciliationContractParams{ReconciliationID: run, ContractID: cid})
	if err != nil || row.AccountID != acct {
		return ContractReconciled{}, missing(ownRow(err), "contract %s of reconciliation %s", cid, run)
	}
	if row.Status != "pending" {
		return a.recorded(ctx, acct, run, cid, row)
	}
	answer, err := a.askContract(ctx, in)
	status := "done"
	var notRunning *serviceerror.NotFound
	switch {
	case errors.As(err, &notRunning):
		status, answer = "failed", ContractReconcileAnswer{Mismatches: []ContractMismatch{{Detail: NoRunningWorkflow}}}
	case err != nil && updateFailed(err):
		return ContractReconciled{}, temporal.NewNonRetryableApplicationError("the contract could not reconcile: "+err.Error(), ErrTypeContractUnreconciled, err)
	case err != nil:
		return ContractReconciled{}, err // Temporal did not answer: asked again, the same update
	}
	return a.recordContract(ctx, acct, run, cid, status, answer)
}

// ErrTypeContractUnreconciled: the contract's ReconcileUpdate failed; asking
// again answers the same failure.
const ErrTypeContractUnreconciled = "ContractUnreconciled"

// askContract runs the update and waits for its answer, heartbeating meanwhile
// so a worker that dies is noticed in seconds, not at the attempt's timeout.
func (a *Activities) askContract(ctx context.Context, in ReconcileContractInput) (ContractReconcileAnswer, error) {
	if a.deps.Temporal == nil {
		return ContractReconcileAnswer{}, temporal.NewNonRetryableApplicationError("the worker has no Temporal client for activities", ErrTypeNotConfigured, nil)
	}
	stop := heartbeatEvery(ctx, 5*time.Second)
	defer stop()
	handle, err := a.deps.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: ContractWorkflowIDPrefix + in.ContractID, UpdateID: ReconcileUpdateID(in.ReconciliationID),
		UpdateName: ReconcileUpdateName, Args: []any{ContractReconcileRequest{Source: in.Source}},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err != nil {
		return ContractReconcileAnswer{}, err
	}
	var out ContractReconcileAnswer
	err = handle.Get(ctx, &out)
	return out, err
}

// updateFailed: the update ran and its handler failed (or the workflow could
// not run it), as opposed to Temporal not answering.
func updateFailed(err error) bool {
	var app *temporal.ApplicationError
	var act *temporal.ActivityError
	var canceled *temporal.CanceledError
	var panicked *temporal.PanicError
	var timeout *temporal.TimeoutError
	return errors.As(err, &app) || errors.As(err, &act) || errors.As(err, &canceled) || errors.As(err, &panicked) || errors.As(err, &timeout)
}

func heartbeatEvery(ctx context.Context, every time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				activity.RecordHeartbeat(ctx)
			}
		}
	}()
	return cancel
}

// UnreconciledInput records a contract of a run that could not be asked.
type UnreconciledInput struct {
	ReconciliationRef
	ContractID string
	Detail     string
}

// RecordContractUnreconciled records the contract as failed, with the reason
// as its mismatch, once.
func (a *Activities) RecordContractUnreconciled(ctx context.Context, in UnreconciledInput) (ContractReconciled, error) {
	acct, run, err := in.ids()
	if err != nil {
		return ContractReconciled{}, err
	}
	cid, err := uuid.Parse(in.ContractID)
	if err != nil {
		return ContractReconciled{}, notFound("contract %q", in.ContractID)
	}
	return a.recordContract(ctx, acct, run, cid, "failed", ContractReconcileAnswer{Mismatches: []ContractMismatch{{Detail: in.Detail}}})
}

// recordContract writes the contract's answer once: its row leaves pending
// and its findings are inserted in the same transaction; a second call finds the
// row recorded and returns what was recorded, counting nothing again.
func (a *Activities) recordContract(ctx context.Context, acct, run, cid uuid.UUID, status string, answer ContractReconcileAnswer) (ContractReconciled, error) {
	err := a.inTx(ctx, func(q *dbgen.Queries) error {
		_, err := q.FinishReconciliationContract(ctx, dbgen.FinishReconciliationContractParams{
			ReconciliationID: run, ContractID: cid, Status: status, Checked: int32(answer.Checked)})
		if errors.Is(err, pgx.ErrNoRows) {
			return errRecordedBefore
		}
		if err != nil {
			return err
		}
		for i, r := range answer.Repairs {
			if err := q.InsertReconciliationFinding(ctx, dbgen.InsertReconciliationFindingParams{AccountID: acct, ReconciliationID: run, ContractID: cid,
				Kind: "repair", Position: int32(i), Installment: installmentNumber(r.Number), AsaasPaymentID: nonEmpty(r.AsaasPaymentID),
				Event: &r.Event, BeforeStatus: &r.Before, AfterStatus: &r.After}); err != nil {
				return err
			}
		}
		for i, m := range answer.Mismatches {
			if err := q.InsertReconciliationFinding(ctx, dbgen.InsertReconciliationFindingParams{AccountID: acct, ReconciliationID: run, ContractID: cid,
				Kind: "mismatch", Position: int32(i), Installment: installmentNumber(m.Number), AsaasPaymentID: nonEmpty(m.AsaasPaymentID),
				Event: nonEmpty(m.Event), Detail: &m.Detail}); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, errRecordedBefore) {
		row, err := a.q().GetReconciliationContract(ctx, dbgen.GetReconciliationContractParams{ReconciliationID: run, ContractID: cid})
		if err != nil || row.AccountID != acct {
			return ContractReconciled{}, missing(ownRow(err), "contract %s of reconciliation %s", cid, run)
		}
		return a.recorded(ctx, acct, run, cid, row)
	}
	if err != nil {
		return ContractReconciled{}, err
	}
	countUnasked(status, answer)
	return ContractReconciled{Checked: answer.Checked, Repairs: len(answer.Repairs), Mismatches: len(answer.Mismatches)}, nil
}

// errRecordedBefore: the contract's row of the run is no longer pending.
var errRecordedBefore = errors.New("recorded before")

// recorded is a contract's answer as an earlier attempt recorded it.
func (a *Activities) recorded(ctx context.Context, acct, run, cid uuid.UUID, row dbgen.ReconciliationContract) (ContractReconciled, error) {
	findings, err := a.q().ListReconciliationFindings(ctx, dbgen.ListReconciliationFindingsParams{AccountID: acct, ReconciliationID: run})
	if err != nil {
		return ContractReconciled{}, err
	}
	out := ContractReconciled{Checked: int(row.Checked)}
	for _, f := range findings {
		switch {
		case f.ContractID != cid:
		case f.Kind == "repair":
			out.Repairs++
		default:
			out.Mismatches++
		}
	}
	return out, nil
}

func installmentNumber(n int) *int32 {
	if n < 1 {
		return nil
	}
	v := int32(n)
	return &v
}

// ownRow is a lookup's error, or "no rows" for a row found in another account.
func ownRow(err error) error {
	if err == nil {
		return pgx.ErrNoRows
	}
	return err
}
