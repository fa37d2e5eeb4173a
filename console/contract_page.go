package console

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"time"
)

// The contract page (release note steps 5-6): installments with their status, the
// origin badge of each payment (Gateway, Manual), its split entries, the PIX QR code
// and boleto line of the next open installment, the payment link, the activation's
// progress, Mark as paid, Cancel, and the workflow in the Temporal UI.

type charge struct {
	AsaasPaymentID string     `json:"asaas_payment_id"`
	BillingType    string     `json:"billing_type"`
	Status         string     `json:"status"`
	Value          string     `json:"value"`
	DueDate        string     `json:"due_date"`
	InvoiceURL     *string    `json:"invoice_url"`
	BankSlipURL    *string    `json:"bank_slip_url"`
	PixCopyPaste   *string    `json:"pix_copy_paste"`
	DeletedAt      *time.Time `json:"deleted_at"`
}

type payment struct {
	ID             string  `json:"id"`
	Origin         string  `json:"origin"`
	RecordedBy     *string `json:"recorded_by"`
	AsaasPaymentID *string `json:"asaas_payment_id"`
	Amount         string  `json:"amount"`
	NetAmount      string  `json:"net_amount"`
	FeeAmount      string  `json:"fee_amount"`
	Shortfall      string  `json:"shortfall"`
	PaidOn         string  `json:"paid_on"`
	Status         string  `json:"status"` // confirmed | received | refunded | undone
	// RefundedAmount is what Asaas refunded of it so far ("0.00": nothing).
	RefundedAmount string `json:"refunded_amount"`
	// Hold is "chargeback" or "refund" while Asaas has one open on it (its
	// entries are disputed meanwhile); nil otherwise.
	Hold *string `json:"hold"`
}

// Refunded: Asaas refunded some or all of it.
func (p payment) Refunded() bool { return p.RefundedAmount != "" && p.RefundedAmount != "0.00" }

type splitEntry struct {
	ID           string  `json:"id"`
	PayeeID      *string `json:"payee_id"`
	RulePosition *int    `json:"rule_position"`
	Kind         string  `json:"kind"`
	Amount       string  `json:"amount"`
	Status       string  `json:"status"`
	PayoutID     *string `json:"payout_id"`
	OccurredOn   string  `json:"occurred_on"`
}

type installment struct {
	Number       int          `json:"number"`
	Value        string       `json:"value"`
	DueDate      string       `json:"due_date"`
	Status       string       `json:"status"`
	PaidAt       *time.Time   `json:"paid_at"`
	Charge       *charge      `json:"charge"`
	Payment      *payment     `json:"payment"`
	SplitEntries []splitEntry `json:"split_entries"`
}

// Payable: an installment a person may still mark as paid or pay.
func (i installment) Payable() bool {
	return i.Status == "open" || i.Status == "overdue" || i.Status == "scheduled"
}

// Reissuable: a charge can be issued again for it (POST .../reissue) — still owed,
// and its charge gone (deleted at Asaas, or none after Asaas refused it) or
// expired (overdue). The API decides; the page offers the button only then.
func (i installment) Reissuable() bool {
	return i.Payable() && (i.Charge == nil || i.Charge.DeletedAt != nil || i.Status == "overdue")
}

// LiveCharge: its charge can still be paid at Asaas (what Cancel deletes).
func (i installment) LiveCharge() bool {
	return i.Charge != nil && i.Charge.DeletedAt == nil && (i.Status == "open" || i.Status == "overdue")
}

type contractDetail struct {
	contract
	SplitRules   []rule        `json:"split_rules"`
	Installments []installment `json:"installments"`
	Totals       struct {
		Total            string `json:"total"`
		Paid             string `json:"paid"`
		Refunded         string `json:"refunded"`
		Outstanding      string `json:"outstanding"`
		PaidInstallments int    `json:"paid_installments"`
	} `json:"totals"`
}

type auditEvent struct {
	ID         string    `json:"id"`
	ActorType  string    `json:"actor_type"`
	ActorID    *string   `json:"actor_id"`
	Action     string    `json:"action"`
	EntityType string    `json:"entity_type"`
	EntityID   *string   `json:"entity_id"`
	ContractID *string   `json:"contract_id"`
	Data       jsonText  `json:"data"`
	CreatedAt  time.Time `json:"created_at"`
}

type pixCode struct {
	Payload      string `json:"payload"`
	EncodedImage string `json:"encoded_image"`
}

type boleto struct {
	IdentificationField string  `json:"identification_field"`
	BankSlipURL         *string `json:"bank_slip_url"`
}

// payBox is how the next open installment can be paid.
type payBox struct {
	Installment installment
	Pix         *pixCode
	PixError    string
	Boleto      *boleto
	BoletoError string
}

type contractPage struct {
	C           contractDetail
	ClientName  string
	Template    string
	Payees      map[string]string
	Users       map[string]string
	Trail       []auditEvent
	Issued      int // installments with a charge, while activation runs
	Activating  bool
	Pay         *payBox
	TemporalURL string
	Today       string
	Cancelling  []installment // open charges Cancel deletes, last to first
}

func (x *exchange) contractPage(id string) (*contractPage, error) {
	p := &contractPage{Today: todayBR()}
	if err := x.get("/v1/contracts/"+url.PathEscape(id), &p.C); err != nil {
		return nil, err
	}
	names, err := x.clientNames(p.C.ClientID)
	if err != nil {
		return nil, err
	}
	p.ClientName = names[p.C.ClientID]
	if p.C.TemplateID != nil {
		var t splitTemplate
		if err := x.get("/v1/templates/"+url.PathEscape(*p.C.TemplateID), &t); err == nil {
			p.Template = t.Name
		}
	}
	if p.Payees, err = x.payeeNames(p.C); err != nil {
		return nil, err
	}
	if p.Users, err = x.userNames(); err != nil {
		return nil, err
	}
	var trail listPage[auditEvent]
	if err := x.get("/v1/contracts/"+url.PathEscape(id)+"/audit-events?limit=20", &trail); err != nil {
		return nil, err
	}
	p.Trail = trail.Data
	for _, in := range p.C.Installments {
		if in.Status != "scheduled" {
			p.Issued++
		}
		if in.LiveCharge() {
			p.Cancelling = append([]installment{in}, p.Cancelling...)
		}
	}
	sort.SliceStable(p.Cancelling, func(i, j int) bool { return p.Cancelling[i].Number > p.Cancelling[j].Number })
	p.Activating = p.C.Status == "active" && p.Issued < len(p.C.Installments)
	if p.C.WorkflowID != nil && x.c.opts.TemporalUIURL != "" {
		p.TemporalURL = x.c.temporalLink(*p.C.WorkflowID)
	}
	return p, nil
}

// temporalLink is the workflow's page in the Temporal Web UI.
func (c *Console) temporalLink(workflowID string) string {
	base := c.opts.TemporalUIURL
	for len(base) > 0 && base[len(base)-1] == '/' {
		base = base[:len(base)-1]
	}
	return base + "/namespaces/" + url.PathEscape(c.opts.TemporalNamespace) + "/workflows/" + url.PathEscape(workflowID)
}

// payeeNames names the payees of a contract's rules and entries.
func (x *exchange) payeeNames(c contractDetail) (map[string]string, error) {
	names := map[string]string{}
	add := func(id *string) error {
		if id == nil || names[*id] != "" {
			return nil
		}
		var p payee
		if err := x.get("/v1/payees/"+url.PathEscape(*id), &p); err != nil {
			return err
		}
		names[*id] = p.Name
		return nil
	}
	for _, r := range c.SplitRules {
		if err := add(r.PayeeID); err != nil {
			return nil, err
		}
	}
	for _, in := range c.Installments {
		for _, e := range in.SplitEntries {
			if err := add(e.PayeeID); err != nil {
				return nil, err
			}
		}
	}
	return names, nil
}

// userNames maps the account's users to their e-mail (who recorded what).
func (x *exchange) userNames() (map[string]string, error) {
	var users listPage[struct {
		ID    string `json:"id"`
		Email string `json:"email"`
	}]
	if err := x.get("/v1/users?limit=200", &users); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, u := range users.Data {
		out[u.ID] = u.Email
	}
	return out, nil
}

// payBox reads from Asaas (through the API) how the next open installment can be
// paid: its PIX QR code and boleto line, by the charge's billing type.
func (x *exchange) payBox(c contractDetail) *payBox {
	for _, in := range c.Installments {
		if !in.LiveCharge() {
			continue
		}
		box := &payBox{Installment: in}
		base := "/v1/contracts/" + url.PathEscape(c.ID) + "/installments/" + strconv.Itoa(in.Number)
		if in.Charge.BillingType != "BOLETO" {
			var pix pixCode
			if err := x.get(base+"/pix", &pix); err != nil {
				box.PixError = errText(err)
			} else {
				box.Pix = &pix
			}
		}
		if in.Charge.BillingType != "PIX" {
			var b boleto
			if err := x.get(base+"/boleto", &b); err != nil {
				box.BoletoError = errText(err)
			} else {
				box.Boleto = &b
			}
		}
		return box
	}
	return nil
}

func errText(err error) string {
	if p, ok := err.(*problem); ok {
		return p.Detail
	}
	return "not available right now"
}

func showContract(x *exchange) error {
	return x.renderContract(http.StatusOK, nil)
}

func (x *exchange) renderContract(status int, p *problem) error {
	page, err := x.contractPage(x.r.PathValue("id"))
	if err != nil {
		return err
	}
	page.Pay = x.payBox(page.C)
	v := &view{Title: "Contract", Nav: "contracts", Data: page, Problem: p}
	if page.Activating {
		v.Refresh = 2 // activation issues the charges in the background: show them as they come
	}
	x.render(status, "contract", v)
	return nil
}

func activateContract(x *exchange) error {
	id := x.r.PathValue("id")
	a, err := x.send(http.MethodPost, "/v1/contracts/"+url.PathEscape(id)+"/activate", nil)
	if err != nil {
		return err
	}
	if a.ok() {
		x.redirect("/console/contracts/"+url.PathEscape(id), "activated")
		return nil
	}
	if a.Problem == nil || (a.Status != http.StatusUnprocessableEntity && a.Status != http.StatusConflict && a.Status != http.StatusServiceUnavailable) {
		return a.failure()
	}
	return x.renderContract(a.Status, a.Problem)
}
