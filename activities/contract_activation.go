package activities

import (
	"context"
	"errors"
	"fmt"

	"billing/asaas"
	"billing/db"
	"billing/db/dbgen"
	"billing/domain"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
)

// ActivateContract marks a draft contract active (once) and returns its plan:
// installments with their charges so far, so a restarted workflow resumes.
func (a *Activities) ActivateContract(ctx context.Context, in ActivateContractInput) (ContractPlan, error) {
	acct, cid, err := in.ids()
	if err != nil {
		return ContractPlan{}, err
	}
	var plan ContractPlan
	err = a.inTx(ctx, func(q *dbgen.Queries) error {
		c, err := q.ActivateDraftContract(ctx, dbgen.ActivateDraftContractParams{
			AccountID: acct, ID: cid, WorkflowID: ptr(activity.GetInfo(ctx).WorkflowExecution.ID)})
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			if c, err = q.GetContract(ctx, dbgen.GetContractParams{AccountID: acct, ID: cid}); err != nil {
				return missing(err, "contract %s", cid)
			}
		case err != nil:
			return err
		default:
			if err := writeAudit(ctx, q, auditEvent{account: acct, actorType: actorUser, actorID: userID(in.ActivatedBy),
				action: "contract.activated", entityType: "contract", entityID: &cid, contractID: &cid,
				data: map[string]any{"installments": c.InstallmentCount, "total_amount": domain.FormatMoney(c.TotalAmount)}}); err != nil {
				return err
			}
		}
		insts, err := q.ListInstallments(ctx, dbgen.ListInstallmentsParams{AccountID: acct, ContractID: cid})
		if err != nil {
			return err
		}
		charges, err := q.ListContractCharges(ctx, dbgen.ListContractChargesParams{AccountID: acct, ContractID: cid})
		if err != nil {
			return err
		}
		chargeOf := map[string]string{}
		for _, ch := range charges {
			if ch.DeletedAt == nil {
				chargeOf[ch.InstallmentID.String()] = ch.AsaasPaymentID
			}
		}
		plan = ContractPlan{ClientID: c.ClientID.String(), Status: c.Status}
		for _, i := range insts {
			plan.Installments = append(plan.Installments, PlannedInstallment{
				Number: int(i.Number), Value: i.Value, DueDate: i.DueDate.Format("2006-01-02"),
				Status: i.Status, ChargeID: chargeOf[i.ID.String()],
			})
		}
		return nil
	})
	return plan, err
}

// EnsureCustomer returns the client's Asaas customer, creating it once (found
// again by externalReference = our client id if an earlier attempt's answer was lost).
func (a *Activities) EnsureCustomer(ctx context.Context, ref ContractRef) (string, error) {
	acct, cid, err := ref.ids()
	if err != nil {
		return "", err
	}
	q := a.q()
	c, err := q.GetContract(ctx, dbgen.GetContractParams{AccountID: acct, ID: cid})
	if err != nil {
		return "", missing(err, "contract %s", cid)
	}
	client, err := q.GetClient(ctx, dbgen.GetClientParams{AccountID: acct, ID: c.ClientID})
	if err != nil {
		return "", missing(err, "client %s", c.ClientID)
	}
	if client.AsaasCustomerID != nil {
		return *client.AsaasCustomerID, nil
	}
	cl, err := a.asaasClient(ctx, acct)
	if err != nil {
		return "", err
	}
	req := asaas.CustomerRequest{Name: client.Name, CpfCnpj: client.CpfCnpj, ExternalReference: client.ID.String(),
		NotificationDisabled: ptr(true)}
	if client.Email != nil {
		req.Email = *client.Email
	}
	if client.Phone != nil {
		req.MobilePhone = *client.Phone
	}
	cu, created, err := cl.EnsureCustomer(ctx, req)
	if err != nil {
		return "", gatewayError(err)
	}
	err = a.inTx(ctx, func(q *dbgen.Queries) error {
		n, err := q.SetClientAsaasCustomer(ctx, dbgen.SetClientAsaasCustomerParams{AccountID: acct, ID: client.ID, AsaasCustomerID: &cu.ID})
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "23505" { // unique_violation
			return temporal.NewNonRetryableApplicationError(fmt.Sprintf(
				"Asaas customer %s (externalReference %s) is already linked to another client of this account", cu.ID, client.ID), ErrTypeAsaasRejected, err)
		}
		if err != nil || n == 0 {
			return err
		}
		return writeAudit(ctx, q, auditEvent{account: acct, actorType: actorSystem, action: "client.synced_to_asaas",
			entityType: "client", entityID: &client.ID, contractID: &cid,
			data: map[string]any{"asaas_customer_id": cu.ID, "created": created}})
	})
	return cu.ID, err
}

// IssueCharge creates the Asaas charge of one installment, with the contract's
// gateway split rules in split[] and its charge terms (fine, interest, discount),
// and stores it. Asaas has no idempotency key, so
// the charge carries externalReference "billing:<contract>:<n>" and is looked up by
// it before any creation: a retry never creates a second charge.
func (a *Activities) IssueCharge(ctx context.Context, in IssueChargeInput) (ChargeIssued, error) {
	acct, cid, err := in.ids()
	if err != nil {
		return ChargeIssued{}, err
	}
	q := a.q()
	inst, err := q.GetInstallmentByNumber(ctx, dbgen.GetInstallmentByNumberParams{AccountID: acct, ContractID: cid, Number: int32(in.Number)})
	if err != nil {
		return ChargeIssued{}, missing(err, "installment %d of contract %s", in.Number, cid)
	}
	if ch, err := q.GetChargeByInstallment(ctx, dbgen.GetChargeByInstallmentParams{AccountID: acct, InstallmentID: inst.ID}); err == nil {
		_, err := q.OpenInstallment(ctx, dbgen.OpenInstallmentParams{AccountID: acct, ID: inst.ID})
		return ChargeIssued{AsaasPaymentID: ch.AsaasPaymentID, Status: ch.Status}, err
	} else if !errors.Is(err, pgx.ErrNoRows) {
		return ChargeIssued{}, err
	}
	c, err := q.GetContract(ctx, dbgen.GetContractParams{AccountID: acct, ID: cid})
	if err != nil {
		return ChargeIssued{}, missing(err, "contract %s", cid)
	}
	split, err := a.gatewaySplit(ctx, q, c)
	if err != nil {
		return ChargeIssued{}, err
	}
	cl, err := a.asaasClient(ctx, acct)
	if err != nil {
		return ChargeIssued{}, err
	}
	reference := domain.ChargeReference(cid.String(), in.Number)
	fine, interest, discount := chargeTerms(db.ContractChargeTerms(c))
	p, created, err := cl.EnsurePayment(ctx, asaas.PaymentRequest{
		Customer: in.AsaasCustomerID, BillingType: c.BillingType, Value: asaas.NewNumber(inst.Value),
		DueDate: asaas.DateOf(inst.DueDate), ExternalReference: reference, Split: split,
		Description: fmt.Sprintf("Parcela %d de %d", in.Number, c.InstallmentCount), Fine: fine, Interest: interest, Discount: discount,
	})
	if err != nil {
		return ChargeIssued{}, gatewayError(err)
	}
	var pixPayload *string
	if c.BillingType == asaas.BillingPix || c.BillingType == asaas.BillingUndefined {
		qr, err := cl.PixQrCode(ctx, p.ID)
		switch {
		case err == nil:
			pixPayload = &qr.Payload
		case asaas.IsRetryable(err):
			return ChargeIssued{}, err // the charge exists; the retry finds it and asks again
		default: // the QR code stays available on demand (GET .../pix)
			activity.GetLogger(ctx).Warn("no PIX QR code for the charge", "payment", p.ID, "error", err)
		}
	}
	err = a.inTx(ctx, func(q *dbgen.Queries) error {
		row, err := q.InsertCharge(ctx, dbgen.InsertChargeParams{
			AccountID: acct, ContractID: cid, InstallmentID: inst.ID, AsaasPaymentID: p.ID, ExternalReference: reference,
			BillingType: p.BillingType, Status: p.Status, Value: p.Value.Decimal,
			NetValue: nullDecimal(p.NetValue), DueDate: p.DueDate.Time(),
			InvoiceUrl: nonEmpty(p.InvoiceURL), BankSlipUrl: p.BankSlipURL, PixCopyPaste: pixPayload,
		})
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // stored by an earlier attempt
		}
		if err != nil {
			return err
		}
		if _, err := q.OpenInstallment(ctx, dbgen.OpenInstallmentParams{AccountID: acct, ID: inst.ID}); err != nil {
			return err
		}
		return writeAudit(ctx, q, auditEvent{account: acct, actorType: actorSystem, action: "charge.issued",
			entityType: "charge", entityID: &row.ID, contractID: &cid,
			data: map[string]any{"installment": in.Number, "asaas_payment_id": p.ID, "value": domain.FormatMoney(p.Value.Decimal),
				"due_date": p.DueDate.String(), "billing_type": p.BillingType, "split": len(split), "found_existing": !created}})
	})
	return ChargeIssued{AsaasPaymentID: p.ID, Status: p.Status}, err
}

// gatewaySplit is the charge's split[]: percentage and fixed rules marked to go
// through Asaas, to their payees' wallets (activation checked every one has one).
func (a *Activities) gatewaySplit(ctx context.Context, q *dbgen.Queries, c dbgen.Contract) ([]asaas.Split, error) {
	rules, err := q.ListContractSplitRules(ctx, dbgen.ListContractSplitRulesParams{AccountID: c.AccountID, ContractID: c.ID})
	if err != nil {
		return nil, err
	}
	payees, err := walletsOf(ctx, q, c.AccountID, rules)
	if err != nil {
		return nil, err
	}
	var split []asaas.Split
	for _, r := range rules {
		if !r.ViaGateway || r.PayeeID == nil {
			continue
		}
		wallet := payees[*r.PayeeID]
		if wallet == "" {
			return nil, notFound("Asaas walletId of payee %s", r.PayeeID)
		}
		s := asaas.Split{WalletID: wallet, ExternalReference: asaas.Some(fmt.Sprintf("rule:%d", r.Position))}
		switch r.Kind {
		case string(domain.RulePercentage):
			s.PercentualValue = asaas.Some(asaas.NewNumber(r.Percent.Decimal))
		case string(domain.RuleFixed):
			s.FixedValue = asaas.Some(asaas.NewNumber(r.Amount.Decimal))
		default:
			continue
		}
		split = append(split, s)
	}
	return split, nil
}

// RecordContractError surfaces a gateway rejection on the contract and in its audit trail.
func (a *Activities) RecordContractError(ctx context.Context, in ContractErrorInput) error {
	acct, cid, err := in.ids()
	if err != nil {
		return err
	}
	return a.inTx(ctx, func(q *dbgen.Queries) error {
		if err := q.SetContractError(ctx, dbgen.SetContractErrorParams{AccountID: acct, ID: cid, LastError: ptr(in.Action + ": " + in.Message)}); err != nil {
			return err
		}
		return writeAudit(ctx, q, auditEvent{account: acct, actorType: actorAsaas, action: "contract.gateway_error",
			entityType: "contract", entityID: &cid, contractID: &cid,
			data: map[string]any{"action": in.Action, "installment": in.Number, "message": in.Message}})
	})
}
