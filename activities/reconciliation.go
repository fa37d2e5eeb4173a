package activities

import (
	"context"
	"errors"
	"fmt"

	"billing/db/dbgen"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"go.temporal.io/sdk/temporal"
)

// A reconciliation run of an account (docs/architecture.md, "Reconciliation of an account"):
// its workflow lists the contracts to ask (PlanReconciliation), asks each one
// (ReconcileContract, reconciliation_contract.go) and ends the run
// (FinishReconciliation). Every write is keyed by the run and the contract, so
// a retried activity changes nothing twice.

// Reconciliation sources: what started a run.
const (
	SourceOnDemand   = "on-demand"   // POST /v1/reconciliations
	SourceQueueSweep = "queue-sweep" // the account's queue watch
)

// Reconciliation run statuses.
const (
	ReconciliationRunning   = "running"
	ReconciliationCompleted = "completed"
	ReconciliationFailed    = "failed"
)

// ReconciliationRef names a run of an account; every activity checks both.
type ReconciliationRef struct {
	AccountID        string
	ReconciliationID string
}

func (r ReconciliationRef) ids() (account, run uuid.UUID, err error) {
	if account, err = uuid.Parse(r.AccountID); err != nil {
		return account, run, notFound("account %q", r.AccountID)
	}
	if run, err = uuid.Parse(r.ReconciliationID); err != nil {
		return account, run, notFound("reconciliation %q", r.ReconciliationID)
	}
	return account, run, nil
}

// PlanReconciliation lists the contracts the run asks about (active ones, and
// any other with an installment that can still be paid) and returns how many.
// A run that is not (yet) in PostgreSQL is NotFound: the API commits the row
// just after it starts the workflow, so the workflow asks again a few times.
func (a *Activities) PlanReconciliation(ctx context.Context, in ReconciliationRef) (int, error) {
	acct, run, err := in.ids()
	if err != nil {
		return 0, err
	}
	var total int
	err = a.inTx(ctx, func(q *dbgen.Queries) error {
		r, err := q.GetReconciliationForRun(ctx, dbgen.GetReconciliationForRunParams{AccountID: acct, ID: run})
		if err != nil {
			return missing(err, "reconciliation %s", run)
		}
		if r.Status != ReconciliationRunning {
			return invalidState("reconciliation %s is %s", run, r.Status)
		}
		if _, err := q.PlanReconciliation(ctx, dbgen.PlanReconciliationParams{AccountID: acct, ReconciliationID: run}); err != nil {
			return err
		}
		n, err := q.SetReconciliationTotal(ctx, dbgen.SetReconciliationTotalParams{AccountID: acct, ID: run})
		if err == nil && n != nil {
			total = int(*n)
		}
		return err
	})
	return total, err
}

// NextContractsInput pages through the run's contracts still to ask.
type NextContractsInput struct {
	ReconciliationRef
	After string // contract id; "" from the start
	Limit int
}

// NextReconciliationContracts returns up to Limit contracts of the run still to
// ask, in id order after After.
func (a *Activities) NextReconciliationContracts(ctx context.Context, in NextContractsInput) ([]string, error) {
	_, run, err := in.ids()
	if err != nil {
		return nil, err
	}
	after := uuid.Nil
	if in.After != "" {
		if after, err = uuid.Parse(in.After); err != nil {
			return nil, invalidInput("cursor %q is not a contract id", in.After)
		}
	}
	ids, err := a.q().PendingReconciliationContracts(ctx, dbgen.PendingReconciliationContractsParams{
		ReconciliationID: run, After: after, RowLimit: int32(max(in.Limit, 1))})
	if err != nil {
		return nil, err
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id.String()
	}
	return out, nil
}

// FinishReconciliationInput ends a run: completed, or failed with the reason.
type FinishReconciliationInput struct {
	ReconciliationRef
	Failed bool
	Error  string `json:",omitempty"`
}

// ReconciliationSummary is a run's totals.
type ReconciliationSummary struct {
	Status              string
	ContractsTotal      int
	ContractsDone       int
	InstallmentsChecked int
	Repairs             int
	Mismatches          int
}

// FinishReconciliation ends the run once and writes reconciliation.completed
// (or reconciliation.failed) with its totals; a run that had ended is left as it is.
func (a *Activities) FinishReconciliation(ctx context.Context, in FinishReconciliationInput) (ReconciliationSummary, error) {
	acct, run, err := in.ids()
	if err != nil {
		return ReconciliationSummary{}, err
	}
	status, action := ReconciliationCompleted, "reconciliation.completed"
	var reason *string
	if in.Failed {
		status, action, reason = ReconciliationFailed, "reconciliation.failed", &in.Error
	}
	var sum ReconciliationSummary
	err = a.inTx(ctx, func(q *dbgen.Queries) error {
		_, err := q.FinishReconciliation(ctx, dbgen.FinishReconciliationParams{AccountID: acct, ID: run, Status: status, Error: reason})
		ended := err == nil
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		r, err := q.GetReconciliation(ctx, dbgen.GetReconciliationParams{AccountID: acct, ID: run})
		if err != nil {
			return missing(err, "reconciliation %s", run)
		}
		sum = ReconciliationSummary{Status: r.Status, ContractsDone: int(r.ContractsDone), InstallmentsChecked: int(r.InstallmentsChecked),
			Repairs: int(r.Repairs), Mismatches: int(r.Mismatches)}
		if r.ContractsTotal != nil {
			sum.ContractsTotal = int(*r.ContractsTotal)
		}
		if !ended {
			return nil
		}
		data := map[string]any{"source": r.Source, "contracts_total": sum.ContractsTotal, "contracts_done": sum.ContractsDone,
			"installments_checked": sum.InstallmentsChecked, "repairs": sum.Repairs, "mismatches": sum.Mismatches}
		if in.Failed {
			data["error"] = in.Error
		}
		return writeAudit(ctx, q, auditEvent{account: acct, actorType: actorSystem, action: action,
			entityType: "reconciliation", entityID: &run, data: data})
	})
	return sum, err
}

func invalidState(format string, args ...any) error {
	return temporal.NewNonRetryableApplicationError(fmt.Sprintf(format, args...), ErrTypeInvalidState, nil)
}
