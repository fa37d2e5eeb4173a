package api

import (
	"context"
	"time"

	"billing/db"
	"billing/db/dbgen"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

type contractView struct {
	ID               uuid.UUID       `json:"id"`
	ClientID         uuid.UUID       `json:"client_id"`
	TemplateID       *uuid.UUID      `json:"template_id"`
	Description      *string         `json:"description"`
	BillingType      string          `json:"billing_type"`
	TotalAmount      string          `json:"total_amount"`
	InstallmentCount int32           `json:"installment_count"`
	IntervalMonths   int32           `json:"interval_months"`
	FirstDueDate     string          `json:"first_due_date"`
	Status           string          `json:"status"`
	WorkflowID       *string         `json:"workflow_id"`
	LastError        *string         `json:"last_error"`
	CreatedBy        uuid.UUID       `json:"created_by"`
	ActivatedAt      *time.Time      `json:"activated_at"`
	CompletedAt      *time.Time      `json:"completed_at"`
	CancelledAt      *time.Time      `json:"cancelled_at"`
	CancelReason     *string         `json:"cancel_reason"`
	ChargeTerms      chargeTermsView `json:"charge_terms"`
	CreatedAt        time.Time       `json:"created_at"`
	UpdatedAt        time.Time       `json:"updated_at"`
}

func viewContract(c dbgen.Contract) contractView {
	return contractView{
		ID: c.ID, ClientID: c.ClientID, TemplateID: c.TemplateID, Description: c.Description, BillingType: c.BillingType,
		TotalAmount: formatMoney(c.TotalAmount), InstallmentCount: c.InstallmentCount, IntervalMonths: c.IntervalMonths,
		FirstDueDate: formatDate(c.FirstDueDate), Status: c.Status, WorkflowID: c.WorkflowID, LastError: c.LastError,
		CreatedBy: c.CreatedBy, ActivatedAt: c.ActivatedAt, CompletedAt: c.CompletedAt, CancelledAt: c.CancelledAt,
		CancelReason: c.CancelReason, ChargeTerms: viewChargeTerms(db.ContractChargeTerms(c)), CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
	}
}

// contractDetail is GET /v1/contracts/{id}: the contract, its rules, every installment
// with its charge, payment (origin badge) and split entries, and the totals.
type contractDetail struct {
	contractView
	SplitRules   []ruleView        `json:"split_rules"`
	Installments []installmentView `json:"installments"`
	Totals       contractTotals    `json:"totals"`
}

type installmentView struct {
	ID           uuid.UUID    `json:"id"`
	Number       int32        `json:"number"`
	Value        string       `json:"value"`
	DueDate      string       `json:"due_date"`
	Status       string       `json:"status"`
	PaidAt       *time.Time   `json:"paid_at"`
	Charge       *chargeView  `json:"charge"`
	Payment      *paymentView `json:"payment"`
	SplitEntries []entryView  `json:"split_entries"`
	// Only with ?include=payment_instructions, on installments that can be paid.
	PaymentInstructions *paymentInstructionsView `json:"payment_instructions,omitempty"`
}

type chargeView struct {
	ID             uuid.UUID  `json:"id"`
	AsaasPaymentID string     `json:"asaas_payment_id"`
	BillingType    string     `json:"billing_type"`
	Status         string     `json:"status"`
	Value          string     `json:"value"`
	NetValue       *string    `json:"net_value"`
	DueDate        string     `json:"due_date"`
	InvoiceURL     *string    `json:"invoice_url"`
	BankSlipURL    *string    `json:"bank_slip_url"`
	PixCopyPaste   *string    `json:"pix_copy_paste"`
	DeletedAt      *time.Time `json:"deleted_at"`
}

type paymentView struct {
	ID             uuid.UUID  `json:"id"`
	Origin         string     `json:"origin"` // the badge: gateway or manual
	RecordedBy     *uuid.UUID `json:"recorded_by"`
	AsaasPaymentID *string    `json:"asaas_payment_id"`
	Amount         string     `json:"amount"`
	NetAmount      string     `json:"net_amount"`
	FeeAmount      string     `json:"fee_amount"`
	Shortfall      string     `json:"shortfall"`
	PaidOn         string     `json:"paid_on"`
	SettledOn      *string    `json:"settled_on"`
	Status         string     `json:"status"`
	// RefundedAmount is what Asaas refunded of it (a partial refund, or all of it).
	RefundedAmount string `json:"refunded_amount"`
	// Hold is chargeback or refund while Asaas has one open (its entries disputed).
	Hold *string `json:"hold"`
}

type entryView struct {
	ID              uuid.UUID  `json:"id"`
	PaymentID       uuid.UUID  `json:"payment_id"`
	PayeeID         *uuid.UUID `json:"payee_id"`
	RulePosition    *int32     `json:"rule_position"`
	Kind            string     `json:"kind"`
	Amount          string     `json:"amount"`
	Status          string     `json:"status"`
	ReversesEntryID *uuid.UUID `json:"reverses_entry_id"`
	PayoutID        *uuid.UUID `json:"payout_id"`
	OccurredOn      string     `json:"occurred_on"`
}

// contractTotals: paid = payments not refunded, less what was refunded of them in
// part; refunded = what was refunded (whole and partial refunds);
// outstanding = values of installments still to be paid (scheduled, open, overdue).
type contractTotals struct {
	Total            string `json:"total"`
	Paid             string `json:"paid"`
	Refunded         string `json:"refunded"`
	Outstanding      string `json:"outstanding"`
	PaidInstallments int    `json:"paid_installments"`
}

func viewEntry(e dbgen.SplitEntry) entryView {
	return entryView{e.ID, e.PaymentID, e.PayeeID, e.RulePosition, e.Kind, formatMoney(e.Amount), e.Status,
		e.ReversesEntryID, e.PayoutID, formatDate(e.OccurredOn)}
}

func viewPayment(p dbgen.Payment) *paymentView {
	return &paymentView{ID: p.ID, Origin: p.Origin, RecordedBy: p.RecordedBy, AsaasPaymentID: p.AsaasPaymentID, Amount: formatMoney(p.Amount),
		NetAmount: formatMoney(p.NetAmount), FeeAmount: formatMoney(p.FeeAmount), Shortfall: formatMoney(p.Shortfall), PaidOn: formatDate(p.PaidOn),
		SettledOn: formatOptDate(p.SettledOn), Status: p.Status, RefundedAmount: formatMoney(p.RefundedAmount), Hold: p.Hold}
}

func contractDetailOf(ctx context.Context, q *dbgen.Queries, c dbgen.Contract) (contractDetail, error) {
	a, id := c.AccountID, c.ID
	installments, err := q.ListInstallments(ctx, dbgen.ListInstallmentsParams{AccountID: a, ContractID: id})
	if err != nil {
		return contractDetail{}, err
	}
	rules, err := q.ListContractSplitRules(ctx, dbgen.ListContractSplitRulesParams{AccountID: a, ContractID: id})
	if err != nil {
		return contractDetail{}, err
	}
	charges, err := q.ListContractCharges(ctx, dbgen.ListContractChargesParams{AccountID: a, ContractID: id})
	if err != nil {
		return contractDetail{}, err
	}
	payments, err := q.ListContractPayments(ctx, dbgen.ListContractPaymentsParams{AccountID: a, ContractID: id})
	if err != nil {
		return contractDetail{}, err
	}
	entries, err := q.ListContractSplitEntries(ctx, dbgen.ListContractSplitEntriesParams{AccountID: a, ContractID: id})
	if err != nil {
		return contractDetail{}, err
	}

	chargeOf := map[uuid.UUID]*chargeView{}
	for _, ch := range charges {
		if ch.SupersededAt != nil {
			continue // re-issued: the installment's charge is the new one
		}
		chargeOf[ch.InstallmentID] = &chargeView{ch.ID, ch.AsaasPaymentID, ch.BillingType, ch.Status, formatMoney(ch.Value),
			formatOptMoney(ch.NetValue), formatDate(ch.DueDate), ch.InvoiceUrl, ch.BankSlipUrl, ch.PixCopyPaste, ch.DeletedAt}
	}
	paymentOf := map[uuid.UUID]*paymentView{}
	installmentOfPayment := map[uuid.UUID]uuid.UUID{}
	paid, refunded := decimal.Zero, decimal.Zero
	for _, p := range payments {
		installmentOfPayment[p.ID] = p.InstallmentID
		if p.Status == "undone" {
			// A cash receipt undone at Asaas: not the installment's payment (its
			// entries and their reversals stay listed), unless it has no other.
			if paymentOf[p.InstallmentID] == nil {
				paymentOf[p.InstallmentID] = viewPayment(p)
			}
			continue
		}
		paymentOf[p.InstallmentID] = viewPayment(p)
		switch {
		case p.Status == "refunded":
			refunded = refunded.Add(p.Amount)
		default: // paid, less what was refunded in part
			paid = paid.Add(p.Amount.Sub(p.RefundedAmount))
			refunded = refunded.Add(p.RefundedAmount)
		}
	}
	entriesOf := map[uuid.UUID][]entryView{}
	for _, e := range entries {
		inst := installmentOfPayment[e.PaymentID]
		entriesOf[inst] = append(entriesOf[inst], viewEntry(e))
	}

	d := contractDetail{contractView: viewContract(c), SplitRules: viewContractRules(rules), Installments: make([]installmentView, len(installments))}
	outstanding, paidCount := decimal.Zero, 0
	for i, in := range installments {
		es := entriesOf[in.ID]
		if es == nil {
			es = []entryView{}
		}
		d.Installments[i] = installmentView{in.ID, in.Number, formatMoney(in.Value), formatDate(in.DueDate), in.Status,
			in.PaidAt, chargeOf[in.ID], paymentOf[in.ID], es, nil}
		switch in.Status {
		case "scheduled", "open", "overdue":
			outstanding = outstanding.Add(in.Value)
		case "paid":
			paidCount++
		}
	}
	d.Totals = contractTotals{formatMoney(c.TotalAmount), formatMoney(paid), formatMoney(refunded), formatMoney(outstanding), paidCount}
	return d, nil
}
