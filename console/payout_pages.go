package console

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Payouts recorded: the list (GET /v1/payouts), one payout with the entries it
// paid, and Void after a confirmation (POST /v1/payouts/{id}/void: the payout is
// kept, marked voided, and its entries go back to pending). Whether a payout can
// be voided is the API's call; the page offers Void only on one still recorded.

// payoutDetail is GET /v1/payouts/{id}: a voided payout lists the entries it had
// paid, as they are now.
type payoutDetail struct {
	payout
	VoidedAt *time.Time    `json:"voided_at"`
	VoidedBy *string       `json:"voided_by"`
	Entries  []payoutEntry `json:"entries"`
}

// payoutEntry is an entry a payout paid and the contract installment it came from.
type payoutEntry struct {
	splitEntry
	ContractID        string `json:"contract_id"`
	InstallmentNumber int    `json:"installment_number"`
}

type payoutPage struct {
	P      payoutDetail
	Payee  string
	Users  map[string]string
	Key    string
	Reason string
}

func listRecordedPayouts(x *exchange) error {
	q := x.query("payee_id")
	for _, name := range []string{"from", "to"} {
		if v := strings.TrimSpace(x.r.URL.Query().Get(name)); v != "" {
			q.Set(name, parseDateInput(v))
		}
	}
	v := &view{Title: "Payouts", Nav: "payouts-recorded"}
	var page listPage[payoutDetail]
	if err := x.getFiltered("/v1/payouts?"+q.Encode(), v, &page); err != nil {
		return err
	}
	payees, names, err := x.payeeChoices()
	if err != nil {
		return err
	}
	for _, p := range page.Data {
		if err := x.namePayee(names, p.PayeeID); err != nil {
			return err
		}
	}
	users, err := x.userNames()
	if err != nil {
		return err
	}
	v.Data = map[string]any{"Payouts": page.Data, "Payees": payees, "Names": names, "Users": users,
		"Filters": x.filters(), "Next": x.nextURL(page.NextCursor)}
	x.render(http.StatusOK, "payouts_recorded", v)
	return nil
}

// namePayee adds a payee missing from names (an archived one) with one API read.
func (x *exchange) namePayee(names map[string]string, id string) error {
	if _, ok := names[id]; ok || id == "" {
		return nil
	}
	var p payee
	if err := x.get("/v1/payees/"+url.PathEscape(id), &p); err != nil {
		return err
	}
	names[id] = p.Name
	return nil
}

func (x *exchange) payoutPage() (*payoutPage, error) {
	pp := &payoutPage{Key: newKeyString()}
	if err := x.get("/v1/payouts/"+url.PathEscape(x.r.PathValue("id")), &pp.P); err != nil {
		return nil, err
	}
	names := map[string]string{}
	if err := x.namePayee(names, pp.P.PayeeID); err != nil {
		return nil, err
	}
	pp.Payee = names[pp.P.PayeeID]
	var err error
	if pp.Users, err = x.userNames(); err != nil {
		return nil, err
	}
	return pp, nil
}

func showPayout(x *exchange) error {
	pp, err := x.payoutPage()
	if err != nil {
		return err
	}
	x.render(http.StatusOK, "payout", &view{Title: "Payout", Nav: "payouts-recorded", Data: pp})
	return nil
}

func voidPayoutForm(x *exchange) error {
	pp, err := x.payoutPage()
	if err != nil {
		return err
	}
	x.render(http.StatusOK, "payout_void", &view{Title: "Void payout", Nav: "payouts-recorded", Data: pp})
	return nil
}

func voidPayout(x *exchange) error {
	id := x.r.PathValue("id")
	reason := x.r.PostFormValue("reason")
	a, err := x.send(http.MethodPost, "/v1/payouts/"+url.PathEscape(id)+"/void", map[string]any{"reason": reason})
	if err != nil {
		return err
	}
	if a.ok() {
		x.redirect("/console/payouts/"+url.PathEscape(id), "payout-voided")
		return nil
	}
	if a.Problem == nil || (a.Status != http.StatusUnprocessableEntity && a.Status != http.StatusConflict && a.Status != http.StatusBadRequest) {
		return a.failure()
	}
	pp, err := x.payoutPage()
	if err != nil {
		return err
	}
	pp.Key, pp.Reason = x.r.PostFormValue(idempotencyField), reason
	x.render(a.Status, "payout_void", &view{Title: "Void payout", Nav: "payouts-recorded", Data: pp, Problem: a.Problem})
	return nil
}
