package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"billing/db/dbgen"
	"billing/workflows"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
)

// Reconciliations (docs/architecture.md, "Reconciliation of an account"): a run asks Asaas,
// through each contract's workflow, about every installment of the account
// that can still take money, and reports what it repaired and what it could
// not. POST starts one on demand; the queue watch starts sweeps.

// reconciliationView is a run and its progress.
type reconciliationView struct {
	ID          uuid.UUID  `json:"id"`
	Status      string     `json:"status"`
	Source      string     `json:"source"`
	RequestedBy *uuid.UUID `json:"requested_by"`
	WorkflowID  string     `json:"workflow_id"`
	StartedAt   time.Time  `json:"started_at"`
	FinishedAt  *time.Time `json:"finished_at"`
	// ContractsTotal is null until the run has listed the contracts it asks.
	ContractsTotal      *int32  `json:"contracts_total"`
	ContractsDone       int32   `json:"contracts_done"`
	InstallmentsChecked int32   `json:"installments_checked"`
	RepairCount         int32   `json:"repair_count"`
	MismatchCount       int32   `json:"mismatch_count"`
	Error               *string `json:"error"`
}

// reconciliationReport is a run with each repair and mismatch.
type reconciliationReport struct {
	reconciliationView
	Repairs    []repairView   `json:"repairs"`
	Mismatches []mismatchView `json:"mismatches"`
}

// repairView is a state a contract took from Asaas: the event it stands for
// and the installment's status before and after.
type repairView struct {
	ContractID     uuid.UUID `json:"contract_id"`
	Installment    *int32    `json:"installment"`
	AsaasPaymentID *string   `json:"asaas_payment_id"`
	Event          string    `json:"event"`
	Before         string    `json:"before"`
	After          string    `json:"after"`
}

// mismatchView is what a contract could not take from Asaas, for a person.
type mismatchView struct {
	ContractID     uuid.UUID `json:"contract_id"`
	Installment    *int32    `json:"installment"`
	AsaasPaymentID *string   `json:"asaas_payment_id"`
	Event          *string   `json:"event"`
	Detail         string    `json:"detail"`
}

func viewReconciliation(r dbgen.GetReconciliationRow) reconciliationView {
	return reconciliationView{ID: r.ID, Status: r.Status, Source: r.Source, RequestedBy: r.RequestedBy, WorkflowID: r.WorkflowID,
		StartedAt: r.StartedAt, FinishedAt: r.FinishedAt, ContractsTotal: r.ContractsTotal, ContractsDone: r.ContractsDone,
		InstallmentsChecked: r.InstallmentsChecked, RepairCount: r.Repairs, MismatchCount: r.Mismatches, Error: r.Error}
}

func reportOf(r dbgen.GetReconciliationRow, findings []dbgen.ReconciliationFinding) reconciliationReport {
	out := reconciliationReport{reconciliationView: viewReconciliation(r), Repairs: []repairView{}, Mismatches: []mismatchView{}}
	for _, f := range findings {
		if f.Kind == "repair" {
			out.Repairs = append(out.Repairs, repairView{ContractID: f.ContractID, Installment: f.Installment, AsaasPaymentID: f.AsaasPaymentID,
				Event: deref(f.Event), Before: deref(f.BeforeStatus), After: deref(f.AfterStatus)})
			continue
		}
		out.Mismatches = append(out.Mismatches, mismatchView{ContractID: f.ContractID, Installment: f.Installment,
			AsaasPaymentID: f.AsaasPaymentID, Event: f.Event, Detail: deref(f.Detail)})
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// createReconciliation records a run of the caller's account and starts its
// workflow in the same transaction: the row is written first, the workflow
// started, then both are committed with the Idempotency-Key's answer (a
// workflow started for a row that never committed finds no row and ends).
// Temporal refusing the start rolls everything back.
func (s *Server) createReconciliation(c *gin.Context) {
	if err := decodeJSON(c, &struct{}{}); err != nil {
		s.writeError(c, err)
		return
	}
	s.mutate(c, func(ctx context.Context, t *txn) (result, error) {
		accountID := t.actor.AccountID
		if _, err := t.GetAsaasSettings(ctx, accountID); errors.Is(err, pgx.ErrNoRows) {
			return result{}, Conflict("Asaas is not configured yet: PUT /v1/settings/asaas first.")
		} else if err != nil {
			return result{}, err
		}
		if s.deps.Temporal == nil {
			return result{}, notImplemented("Reconciliations are not available in this deployment.")
		}
		id := uuid.New()
		wfID := workflows.ReconciliationWorkflowID(id.String())
		userID := t.actor.UserID
		if _, err := t.CreateReconciliation(ctx, dbgen.CreateReconciliationParams{ID: id, AccountID: accountID,
			Source: workflows.SourceOnDemand, RequestedBy: &userID, WorkflowID: wfID}); err != nil {
			return result{}, err
		}
		if err := t.audit(ctx, "reconciliation.started", "reconciliation", id, nil, map[string]any{"source": workflows.SourceOnDemand}); err != nil {
			return result{}, err
		}
		startCtx, cancel := context.WithTimeout(ctx, temporalStartWait)
		defer cancel()
		_, err := s.deps.Temporal.ExecuteWorkflow(startCtx, client.StartWorkflowOptions{
			ID: wfID, TaskQueue: workflows.TaskQueue, WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
			TypedSearchAttributes: temporal.NewSearchAttributes(workflows.AccountIDKey.ValueSet(accountID.String())),
			StaticSummary:         "Reconciliation of account " + accountID.String(),
		}, workflows.ReconciliationWorkflow, workflows.ReconciliationInput{
			AccountID: accountID.String(), ReconciliationID: id.String(), Source: workflows.SourceOnDemand,
		})
		if err != nil {
			return result{}, unavailable("Temporal did not accept the reconciliation; nothing was started, try again.", err)
		}
		row, err := t.GetReconciliation(ctx, dbgen.GetReconciliationParams{AccountID: accountID, ID: id})
		if err != nil {
			return result{}, err
		}
		return result{status: http.StatusAccepted, body: reportOf(row, nil)}, nil
	})
}

// temporalStartWait bounds how long a request waits for Temporal to take a
// workflow start or a schedule (it answers in milliseconds when it is up).
const temporalStartWait = 10 * time.Second

func (s *Server) getReconciliation(c *gin.Context) {
	id, err := pathID(c, "id", "reconciliation")
	if err != nil {
		s.writeError(c, err)
		return
	}
	ctx, q, accountID := c.Request.Context(), dbgen.New(s.deps.Pool), actor(c).AccountID
	row, err := q.GetReconciliation(ctx, dbgen.GetReconciliationParams{AccountID: accountID, ID: id})
	if err != nil {
		s.writeError(c, notFoundIf(err, "reconciliation"))
		return
	}
	findings, err := q.ListReconciliationFindings(ctx, dbgen.ListReconciliationFindingsParams{AccountID: accountID, ReconciliationID: id})
	s.reply(c, ok(reportOf(row, findings)), err)
}

// listReconciliations: newest first, without each run's findings.
func (s *Server) listReconciliations(c *gin.Context) {
	var f fields
	p := parsePage(c, &f)
	if err := f.err(); err != nil {
		s.writeError(c, err)
		return
	}
	rows, err := dbgen.New(s.deps.Pool).ListReconciliations(c.Request.Context(), dbgen.ListReconciliationsParams{
		AccountID: actor(c).AccountID, AfterStartedAt: p.afterCreatedAt, AfterID: p.afterID, RowLimit: p.fetch()})
	s.reply(c, ok(pageOf(p, rows, func(r dbgen.ListReconciliationsRow) (time.Time, uuid.UUID) { return r.StartedAt, r.ID },
		func(r dbgen.ListReconciliationsRow) reconciliationView {
			return viewReconciliation(dbgen.GetReconciliationRow(r))
		})), err)
}
