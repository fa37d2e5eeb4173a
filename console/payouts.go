package console

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The Payout report (release note step 7): split entries per payee and status;
// pending entries are selected and recorded as paid in one go (POST
// /v1/payouts/bulk: one payout per payee, all or nothing); the CSV is the API's.

type reportEntry struct {
	splitEntry
	ContractID        string `json:"contract_id"`
	InstallmentNumber int    `json:"installment_number"`
}

type reportPayee struct {
	PayeeID   *string           `json:"payee_id"`
	PayeeName *string           `json:"payee_name"`
	Entries   []reportEntry     `json:"entries"`
	Totals    map[string]string `json:"totals"`
}

type payoutReportView struct {
	Payees []reportPayee     `json:"payees"`
	Totals map[string]string `json:"totals"`
}

type payout struct {
	ID         string    `json:"id"`
	PayeeID    string    `json:"payee_id"`
	PaidOn     string    `json:"paid_on"`
	Method     string    `json:"method"`
	Reference  *string   `json:"reference"`
	Amount     string    `json:"amount"`
	RecordedBy string    `json:"recorded_by"`
	CreatedAt  time.Time `json:"created_at"`
	Status     string    `json:"status"` // recorded | voided
	VoidReason *string   `json:"void_reason"`
}

var entryStatuses = []string{"pending", "sent_to_gateway", "paid", "reversed", "retained", "disputed"}

// reportQuery is the API query of the report's filters (dates as the API takes them).
func (x *exchange) reportQuery(q url.Values) url.Values {
	out := url.Values{}
	for _, name := range []string{"payee_id", "status"} {
		if v := strings.TrimSpace(q.Get(name)); v != "" {
			out.Set(name, v)
		}
	}
	for _, name := range []string{"from", "to"} {
		if v := strings.TrimSpace(q.Get(name)); v != "" {
			out.Set(name, parseDateInput(v))
		}
	}
	return out
}

func payoutReport(x *exchange) error {
	return x.renderReport(http.StatusOK, x.r.URL.Query(), nil, nil)
}

func (x *exchange) renderReport(status int, filters url.Values, p *problem, form map[string]string) error {
	v := &view{Title: "Payout report", Nav: "payouts", Problem: p}
	var report payoutReportView
	a, err := x.c.call(x.r, x.s, http.MethodGet, "/v1/payouts/report?"+x.reportQuery(filters).Encode(), nil, "")
	if err != nil {
		return err
	}
	switch {
	case a.ok():
		if err := a.decode(&report); err != nil {
			return err
		}
	case a.Status == http.StatusUnprocessableEntity && a.Problem != nil && p == nil:
		v.Problem = a.Problem // a filter the API refused, shown on it
	default:
		if !a.ok() && p == nil {
			return a.failure()
		}
	}
	payees, names, err := x.payeeChoices()
	if err != nil {
		return err
	}
	users, err := x.userNames()
	if err != nil {
		return err
	}
	var recent listPage[payout]
	if err := x.get("/v1/payouts?limit=10", &recent); err != nil {
		return err
	}
	if form == nil {
		form = map[string]string{"paid_on": todayBR(), "method": "PIX"}
	}
	f := map[string]string{}
	for k := range filters {
		f[k] = filters.Get(k)
	}
	v.Data = map[string]any{"Report": report, "Payees": payees, "Names": names, "Users": users, "Recent": recent.Data,
		"Filters": f, "Statuses": entryStatuses, "Form": form, "Back": filters.Encode(), "Key": newKeyString(),
		"CSV": "/console/payouts/report.csv?" + filters.Encode()}
	x.render(status, "payouts", v)
	return nil
}

func recordPayouts(x *exchange) error {
	back, _ := url.ParseQuery(x.r.PostFormValue("back"))
	form := formValues(x.r, []string{"paid_on", "method", "reference"})
	ids := x.r.PostForm["entry_ids"]
	if ids == nil {
		ids = []string{}
	}
	a, err := x.send(http.MethodPost, "/v1/payouts/bulk", map[string]any{"entry_ids": ids,
		"paid_on": parseDateInput(form["paid_on"]), "method": form["method"], "reference": optional(form["reference"])})
	if err != nil {
		return err
	}
	if a.ok() {
		x.redirect("/console/payouts?"+back.Encode(), "payouts-recorded")
		return nil
	}
	if a.Problem == nil || (a.Status != http.StatusUnprocessableEntity && a.Status != http.StatusConflict && a.Status != http.StatusBadRequest) {
		return a.failure()
	}
	return x.renderReport(a.Status, back, a.Problem, form)
}

// payoutReportCSV passes the API's CSV on, with the filters of the page.
func payoutReportCSV(x *exchange) error {
	q := x.reportQuery(x.r.URL.Query())
	q.Set("format", "csv")
	a, err := x.c.call(x.r, x.s, http.MethodGet, "/v1/payouts/report?"+q.Encode(), nil, "")
	if err != nil {
		return err
	}
	if !a.ok() {
		return a.failure()
	}
	x.w.Header().Set("Content-Type", a.Header.Get("Content-Type"))
	x.w.Header().Set("Content-Disposition", `attachment; filename="payout-report.csv"`)
	x.w.WriteHeader(http.StatusOK)
	_, err = x.w.Write(a.Body)
	return err
}
