package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"billing/asaas"
	"billing/db/dbgen"
	"billing/domain"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

type paymentLinkView struct {
	ID                  uuid.UUID  `json:"id"`
	AsaasPaymentLinkID  string     `json:"asaas_payment_link_id"`
	URL                 string     `json:"url"`
	Name                string     `json:"name"`
	Description         *string    `json:"description"`
	Value               string     `json:"value"`
	BillingType         string     `json:"billing_type"`
	ChargeType          string     `json:"charge_type"`
	MaxInstallmentCount *int32     `json:"max_installment_count"`
	SubscriptionCycle   *string    `json:"subscription_cycle"`
	DueDateLimitDays    *int32     `json:"due_date_limit_days"`
	ExternalReference   *string    `json:"external_reference"`
	ContractID          *uuid.UUID `json:"contract_id"`
	Installment         *int32     `json:"installment"`
	CreatedBy           uuid.UUID  `json:"created_by"`
	CreatedAt           time.Time  `json:"created_at"`
}

func viewPaymentLink(l dbgen.PaymentLink) paymentLinkView {
	return paymentLinkView{l.ID, l.AsaasPaymentLinkID, l.Url, l.Name, l.Description, formatMoney(l.Value), l.BillingType,
		l.ChargeType, l.MaxInstallmentCount, l.SubscriptionCycle, l.DueDateLimitDays, l.ExternalReference, l.ContractID,
		l.InstallmentNumber, l.CreatedBy, l.CreatedAt}
}

// paymentLinkInput creates an Asaas payment link. contract_id + installment tie it to
// an installment of an active contract of the account (charge_type DETACHED; value,
// when sent, must be the installment's): a payment through the link then routes to
// that installment like a payment of its charge.
type paymentLinkInput struct {
	Name                string          `json:"name"`
	Description         *string         `json:"description"`
	Value               json.RawMessage `json:"value"`
	BillingType         string          `json:"billing_type"`
	ChargeType          string          `json:"charge_type"`
	MaxInstallmentCount *int            `json:"max_installment_count"`
	SubscriptionCycle   *string         `json:"subscription_cycle"`
	DueDateLimitDays    *int            `json:"due_date_limit_days"`
	ContractID          *string         `json:"contract_id"`
	Installment         *int            `json:"installment"`
}

// paymentLinkRequest is a validated paymentLinkInput.
type paymentLinkRequest struct {
	name, billingType, chargeType string
	description, cycle            *string
	value                         *decimal.Decimal // nil: the tied installment's value
	maxInstallments, dueDays      *int32
	contractID                    *uuid.UUID
	installment                   int
}

var (
	paymentLinkBillingTypes = []string{asaas.BillingBoleto, asaas.BillingPix, asaas.BillingCreditCard, asaas.BillingUndefined}
	paymentLinkChargeTypes  = []string{asaas.ChargeTypeDetached, asaas.ChargeTypeRecurrent, asaas.ChargeTypeInstallment}
	subscriptionCycles      = []string{"WEEKLY", "BIWEEKLY", "MONTHLY", "BIMONTHLY", "QUARTERLY", "SEMIANNUALLY", "YEARLY"}
)

const (
	maxLinkInstallments = 21 // Asaas's card limit
	maxDueDateLimitDays = 365
)

// paymentLink checks the request's fields (what needs no database).
func (f *fields) paymentLink(in paymentLinkInput) paymentLinkRequest {
	r := paymentLinkRequest{
		name:        f.text("name", in.Name, 200),
		description: f.optText("description", in.Description, 500),
		billingType: f.oneOf("billing_type", in.BillingType, paymentLinkBillingTypes...),
		chargeType:  f.oneOf("charge_type", in.ChargeType, paymentLinkChargeTypes...),
	}
	if raw := nullIfJSONNull(in.Value); raw != nil || in.ContractID == nil {
		v := f.money("value", raw)
		r.value = &v
	}
	switch {
	case r.chargeType == asaas.ChargeTypeInstallment:
		n := int32(f.intRange("max_installment_count", in.MaxInstallmentCount, 1, maxLinkInstallments))
		r.maxInstallments = &n
	case in.MaxInstallmentCount != nil:
		f.add("max_installment_count", "is only for charge_type INSTALLMENT")
	}
	switch {
	case r.chargeType == asaas.ChargeTypeRecurrent:
		cycle := ""
		if in.SubscriptionCycle != nil {
			cycle = *in.SubscriptionCycle
		}
		cycle = f.oneOf("subscription_cycle", cycle, subscriptionCycles...)
		r.cycle = &cycle
	case in.SubscriptionCycle != nil:
		f.add("subscription_cycle", "is only for charge_type RECURRENT")
	}
	if in.DueDateLimitDays != nil {
		n := int32(f.intRange("due_date_limit_days", in.DueDateLimitDays, 1, maxDueDateLimitDays))
		r.dueDays = &n
	}
	switch {
	case in.ContractID == nil && in.Installment != nil:
		f.add("contract_id", "is required with installment")
	case in.ContractID != nil:
		if id, err := uuid.Parse(*in.ContractID); err != nil {
			f.add("contract_id", "must be a UUID")
		} else {
			r.contractID = &id
		}
		r.installment = f.intRange("installment", in.Installment, 1, domain.MaxInstallments)
		if r.chargeType != "" && r.chargeType != asaas.ChargeTypeDetached {
			f.add("charge_type", "must be DETACHED for a link tied to an installment (one payment of the installment)")
		}
	}
	return r
}

// createPaymentLink: POST /v1/payment-links. Asaas is called outside our transaction,
// so the Idempotency-Key is claimed first (see idempotency_outside.go): a retry with
// the key never creates a second link.
func (s *Server) createPaymentLink(c *gin.Context) {
	var in paymentLinkInput
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	var f fields
	req := f.paymentLink(in)
	if err := f.err(); err != nil {
		s.writeError(c, err)
		return
	}
	idem, err := idempotencyOf(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	// Once the key is claimed the request runs to its end, even if the client leaves:
	// a link created in Asaas is then stored, or the claim released.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), 2*asaasCallTimeout)
	defer cancel()
	if idem != nil {
		stored, err := idem.claimFirst(ctx, s.deps.Pool, asaasCallTimeout)
		if err != nil {
			s.writeError(c, err)
			return
		}
		if stored != nil {
			c.Header("Idempotent-Replayed", "true")
			c.Data(int(*stored.ResponseStatus), "application/json", stored.ResponseBody)
			return
		}
	}
	out, err := s.newPaymentLink(ctx, actor(c), req, idem)
	if err != nil {
		if idem != nil {
			if rerr := idem.release(ctx, dbgen.New(s.deps.Pool)); rerr != nil {
				s.deps.Logger.Error("idempotency key not released", "key", idem.key, "err", rerr)
			}
		}
		s.writeError(c, err)
		return
	}
	c.Data(http.StatusCreated, "application/json", out)
}

// newPaymentLink checks the tied installment, creates the link in Asaas and stores it
// with its audit event and the key's answer; it returns the answer's body.
func (s *Server) newPaymentLink(ctx context.Context, a Actor, req paymentLinkRequest, idem *idempotency) ([]byte, error) {
	var externalReference *string
	if req.contractID != nil {
		inst, err := s.linkInstallment(ctx, a, req)
		if err != nil {
			return nil, err
		}
		if req.value == nil {
			req.value = &inst.Value
		}
		ref := domain.ChargeReference(req.contractID.String(), req.installment)
		externalReference = &ref
	}
	cl, err := s.accountAsaas(ctx, a.AccountID)
	if err != nil {
		return nil, err
	}
	value := asaas.NewNumber(*req.value)
	asaasReq := asaas.PaymentLinkRequest{Name: req.name, BillingType: req.billingType, ChargeType: req.chargeType, Value: &value}
	if req.description != nil {
		asaasReq.Description = *req.description
	}
	if req.cycle != nil {
		asaasReq.SubscriptionCycle = *req.cycle
	}
	if req.maxInstallments != nil {
		asaasReq.MaxInstallmentCount = int(*req.maxInstallments)
	}
	if req.dueDays != nil {
		asaasReq.DueDateLimitDays = int(*req.dueDays)
	}
	if externalReference != nil {
		asaasReq.ExternalReference = *externalReference
	}
	callCtx, cancel := context.WithTimeout(ctx, asaasCallTimeout)
	link, err := cl.CreatePaymentLink(callCtx, asaasReq)
	cancel()
	if err != nil {
		return nil, gatewayProblem(err, "create the payment link")
	}
	var out []byte
	err = pgx.BeginFunc(ctx, s.deps.Pool, func(tx pgx.Tx) error {
		t := &txn{Queries: dbgen.New(tx), tx: tx, actor: a}
		row, err := t.InsertPaymentLink(ctx, dbgen.InsertPaymentLinkParams{
			AccountID: a.AccountID, AsaasPaymentLinkID: link.ID, Url: link.URL, Name: req.name, Description: req.description,
			Value: *req.value, BillingType: req.billingType, ChargeType: req.chargeType, MaxInstallmentCount: req.maxInstallments,
			SubscriptionCycle: req.cycle, DueDateLimitDays: req.dueDays, ExternalReference: externalReference,
			ContractID: req.contractID, InstallmentNumber: optInt32(req.contractID != nil, req.installment), CreatedBy: a.UserID,
		})
		if err != nil {
			return err
		}
		if err := t.audit(ctx, "payment_link.created", "payment_link", row.ID, row.ContractID, map[string]any{
			"asaas_payment_link_id": row.AsaasPaymentLinkID, "value": formatMoney(row.Value), "billing_type": row.BillingType,
			"charge_type": row.ChargeType, "installment": row.InstallmentNumber,
		}); err != nil {
			return err
		}
		if out, err = marshalJSON(viewPaymentLink(row)); err != nil {
			return err
		}
		if idem != nil {
			return idem.save(ctx, t.Queries, http.StatusCreated, out)
		}
		return nil
	})
	if err != nil {
		// The link exists in Asaas but not here: nobody was given its URL.
		return nil, fmt.Errorf("store payment link %s created in Asaas: %w", link.ID, err)
	}
	return out, nil
}

// linkInstallment is the installment a link is tied to: 422 when the contract or the
// installment is not the account's, 409 when it cannot be paid any more or the
// contract splits through Asaas.
func (s *Server) linkInstallment(ctx context.Context, a Actor, req paymentLinkRequest) (dbgen.Installment, error) {
	q := dbgen.New(s.deps.Pool)
	contract, err := q.GetContract(ctx, dbgen.GetContractParams{AccountID: a.AccountID, ID: *req.contractID})
	if errors.Is(err, pgx.ErrNoRows) {
		return dbgen.Installment{}, Validation(FieldError{Field: "contract_id", Message: "is not a contract of this account"})
	}
	if err != nil {
		return dbgen.Installment{}, err
	}
	inst, err := q.GetInstallmentByNumber(ctx, dbgen.GetInstallmentByNumberParams{AccountID: a.AccountID, ContractID: contract.ID, Number: int32(req.installment)})
	if errors.Is(err, pgx.ErrNoRows) {
		return dbgen.Installment{}, Validation(FieldError{Field: "installment", Message: fmt.Sprintf("is not an installment of the contract (it has %d)", contract.InstallmentCount)})
	}
	if err != nil {
		return dbgen.Installment{}, err
	}
	rules, err := q.ListContractSplitRules(ctx, dbgen.ListContractSplitRulesParams{AccountID: a.AccountID, ContractID: contract.ID})
	if err != nil {
		return dbgen.Installment{}, err
	}
	switch {
	case contract.Status != "active":
		return dbgen.Installment{}, Conflict("The contract is " + contract.Status + "; a payment link can be tied only to an installment of an active contract.")
	case inst.Status != "scheduled" && inst.Status != "open" && inst.Status != "overdue":
		return dbgen.Installment{}, Conflict(fmt.Sprintf("Installment %d is %s; there is nothing left to pay.", inst.Number, inst.Status))
	case splitsThroughAsaas(rules):
		// A charge made through a link carries no split[]: the workflow would record
		// those entries as sent to the payees' wallets while Asaas sent them nothing.
		return dbgen.Installment{}, Conflict("The contract splits payments through Asaas (via_gateway rules); a payment link " +
			"carries no split, so it cannot be tied to this contract's installments.")
	case req.value != nil && !req.value.Equal(inst.Value):
		return dbgen.Installment{}, Validation(FieldError{Field: "value",
			Message: "must be the installment's value, " + formatMoney(inst.Value) + " (or be left out)"})
	}
	return inst, nil
}

func splitsThroughAsaas(rules []dbgen.ContractSplitRule) bool {
	for _, r := range rules {
		if r.ViaGateway {
			return true
		}
	}
	return false
}

func optInt32(set bool, n int) *int32 {
	if !set {
		return nil
	}
	v := int32(n)
	return &v
}

func (s *Server) listPaymentLinks(c *gin.Context) {
	var f fields
	p := parsePage(c, &f)
	params := dbgen.ListPaymentLinksParams{
		AccountID: actor(c).AccountID, ContractID: optQueryID(c, &f, "contract_id"),
		AfterCreatedAt: p.afterCreatedAt, AfterID: p.afterID, RowLimit: p.fetch(),
	}
	if err := f.err(); err != nil {
		s.writeError(c, err)
		return
	}
	rows, err := dbgen.New(s.deps.Pool).ListPaymentLinks(c.Request.Context(), params)
	s.reply(c, ok(pageOf(p, rows, func(r dbgen.PaymentLink) (time.Time, uuid.UUID) { return r.CreatedAt, r.ID }, viewPaymentLink)), err)
}

func (s *Server) getPaymentLink(c *gin.Context) {
	id, err := pathID(c, "id", "payment link")
	if err != nil {
		s.writeError(c, err)
		return
	}
	row, err := dbgen.New(s.deps.Pool).GetPaymentLink(c.Request.Context(), dbgen.GetPaymentLinkParams{AccountID: actor(c).AccountID, ID: id})
	if err != nil {
		s.writeError(c, notFoundIf(err, "payment link"))
		return
	}
	s.reply(c, ok(viewPaymentLink(row)), nil)
}
