package console

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed static
var staticFS embed.FS

// routes: every screen of the console. GET renders a page from the API; POST does
// one thing through the API and redirects (or re-renders the form with the API's
// field errors).
func (c *Console) routes() {
	static, _ := fs.Sub(staticFS, "static")
	files := http.StripPrefix("/console/static/", http.FileServerFS(static))
	c.mux.Handle("GET /console/static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	}))

	c.mux.HandleFunc("GET /console/sign-in", c.signInForm)
	c.mux.HandleFunc("POST /console/sign-in", c.signIn)
	c.page("POST /console/sign-out", signOut)
	c.page("GET /console/{$}", home)

	c.page("GET /console/settings", settingsPage)
	c.page("POST /console/settings", saveSettings)
	c.page("POST /console/settings/test", testSettings)
	c.page("GET /console/settings/tokens", listTokens)
	c.page("POST /console/settings/tokens", createToken)
	c.page("GET /console/settings/tokens/{id}/revoke", revokeTokenForm)
	c.page("POST /console/settings/tokens/{id}/revoke", revokeToken)

	c.page("GET /console/payees", listPayees)
	c.page("GET /console/payees/new", newPayee)
	c.page("POST /console/payees", createPayee)
	c.page("GET /console/payees/{id}", editPayee)
	c.page("POST /console/payees/{id}", updatePayee)
	c.page("POST /console/payees/{id}/archive", archiver("payees", "payee-archived"))

	c.page("GET /console/clients", listClients)
	c.page("GET /console/clients/new", newClient)
	c.page("POST /console/clients", createClient)
	c.page("GET /console/clients/{id}", editClient)
	c.page("POST /console/clients/{id}", updateClient)
	c.page("POST /console/clients/{id}/archive", archiver("clients", "client-archived"))

	c.page("GET /console/templates", listTemplates)
	c.page("GET /console/templates/new", newTemplate)
	c.page("POST /console/templates", createTemplate)
	c.page("POST /console/templates/preview", previewTemplate)
	c.page("GET /console/templates/{id}", editTemplate)
	c.page("POST /console/templates/{id}", updateTemplate)
	c.page("POST /console/templates/{id}/archive", archiver("templates", "template-archived"))

	c.page("GET /console/contracts", listContracts)
	c.page("GET /console/contracts/new", newContract)
	c.page("POST /console/contracts/preview", previewContract)
	c.page("POST /console/contracts", createContract)
	c.page("GET /console/contracts/{id}", showContract)
	c.page("POST /console/contracts/{id}/activate", activateContract)
	c.page("GET /console/contracts/{id}/installments/{n}", showInstallment)
	c.page("POST /console/contracts/{id}/installments/{n}", changeInstallment)
	c.page("POST /console/contracts/{id}/installments/{n}/reissue", reissueCharge)
	c.page("GET /console/contracts/{id}/installments/{n}/mark-paid", markPaidForm)
	c.page("POST /console/contracts/{id}/installments/{n}/mark-paid", markPaid)
	c.page("GET /console/contracts/{id}/cancel", cancelForm)
	c.page("POST /console/contracts/{id}/cancel", cancelContract)

	c.page("GET /console/payouts", payoutReport)
	c.page("GET /console/payouts/report.csv", payoutReportCSV)
	c.page("POST /console/payouts", recordPayouts)
	c.page("GET /console/payouts/recorded", listRecordedPayouts)
	c.page("GET /console/payouts/{id}", showPayout)
	c.page("GET /console/payouts/{id}/void", voidPayoutForm)
	c.page("POST /console/payouts/{id}/void", voidPayout)

	c.page("GET /console/reconciliations", listReconciliations)
	c.page("POST /console/reconciliations", runReconciliation)
	c.page("GET /console/reconciliations/{id}", showReconciliation)

	c.page("GET /console/audit", auditTrail)
	c.page("GET /console/webhook-events", listWebhookEvents)
	c.page("GET /console/webhook-events/{id}", showWebhookEvent)
	c.page("GET /console/bills", listBills)
	c.page("GET /console/bills/{id}", showBill)

	c.page("/console/", func(x *exchange) error {
		return &problem{Status: http.StatusNotFound, Title: "Not found", Detail: "There is no such page in the console."}
	})
}
