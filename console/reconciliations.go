package console

import (
	"net/http"
	"net/url"
	"time"
)

// Reconciliations (GET/POST /v1/reconciliations): runs that ask Asaas, through
// each contract, about every installment that can still take money, and report
// what they repaired and what they left for a person. The report page refreshes
// itself while its run is running (a meta refresh: no script).

type reconciliation struct {
	ID                  string     `json:"id"`
	Status              string     `json:"status"` // running | completed | failed
	Source              string     `json:"source"` // on-demand | queue-sweep
	RequestedBy         *string    `json:"requested_by"`
	WorkflowID          string     `json:"workflow_id"`
	StartedAt           time.Time  `json:"started_at"`
	FinishedAt          *time.Time `json:"finished_at"`
	ContractsTotal      *int       `json:"contracts_total"`
	ContractsDone       int        `json:"contracts_done"`
	InstallmentsChecked int        `json:"installments_checked"`
	RepairCount         int        `json:"repair_count"`
	MismatchCount       int        `json:"mismatch_count"`
	Error               *string    `json:"error"`
}

type reconciliationReport struct {
	reconciliation
	Repairs []struct {
		ContractID     string  `json:"contract_id"`
		Installment    *int    `json:"installment"`
		AsaasPaymentID *string `json:"asaas_payment_id"`
		Event          string  `json:"event"`
		Before         string  `json:"before"`
		After          string  `json:"after"`
	} `json:"repairs"`
	Mismatches []struct {
		ContractID     string  `json:"contract_id"`
		Installment    *int    `json:"installment"`
		AsaasPaymentID *string `json:"asaas_payment_id"`
		Event          *string `json:"event"`
		Detail         string  `json:"detail"`
	} `json:"mismatches"`
}

// reconciliationRefresh is how often a running report reloads itself.
const reconciliationRefresh = 2

func listReconciliations(x *exchange) error {
	return x.renderReconciliations(http.StatusOK, nil)
}

func (x *exchange) renderReconciliations(status int, p *problem) error {
	var page listPage[reconciliation]
	if err := x.get("/v1/reconciliations?"+x.query().Encode(), &page); err != nil {
		return err
	}
	users, err := x.userNames()
	if err != nil {
		return err
	}
	var settings settingsView
	if err := x.get("/v1/settings/asaas", &settings); err != nil {
		return err
	}
	v := &view{Title: "Reconciliations", Nav: "reconciliations", Problem: p, Data: map[string]any{
		"Runs": page.Data, "Users": users, "Next": x.nextURL(page.NextCursor), "Key": newKeyString(),
		"Configured": settings.Configured}}
	for _, r := range page.Data {
		if r.Status == "running" {
			v.Refresh = reconciliationRefresh * 5 // the list only shows progress: a slower refresh
			break
		}
	}
	x.render(status, "reconciliations", v)
	return nil
}

func runReconciliation(x *exchange) error {
	a, err := x.send(http.MethodPost, "/v1/reconciliations", nil)
	if err != nil {
		return err
	}
	if a.ok() {
		var r reconciliation
		if err := a.decode(&r); err != nil {
			return err
		}
		x.redirect("/console/reconciliations/"+url.PathEscape(r.ID), "reconciliation-started")
		return nil
	}
	if a.Problem == nil || (a.Status != http.StatusConflict && a.Status != http.StatusServiceUnavailable && a.Status != http.StatusNotImplemented) {
		return a.failure()
	}
	return x.renderReconciliations(a.Status, a.Problem)
}

func showReconciliation(x *exchange) error {
	var r reconciliationReport
	if err := x.get("/v1/reconciliations/"+url.PathEscape(x.r.PathValue("id")), &r); err != nil {
		return err
	}
	users, err := x.userNames()
	if err != nil {
		return err
	}
	v := &view{Title: "Reconciliation", Nav: "reconciliations", Data: map[string]any{"R": r, "Users": users}}
	if r.Status == "running" {
		v.Refresh = reconciliationRefresh
	}
	x.render(http.StatusOK, "reconciliation", v)
	return nil
}
