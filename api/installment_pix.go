package api

import (
	"context"
	"errors"
	"fmt"

	"billing/asaas"
	"billing/db/dbgen"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"
)

// pixView is the PIX QR code of an installment's charge.
type pixView struct {
	AsaasPaymentID string `json:"asaas_payment_id"`
	pixCode
}

// installmentPix: GET /v1/contracts/{id}/installments/{n}/pix. 404 for a contract or
// installment that is not the caller's, 409 when the installment has no charge that
// can still be paid, then the QR code: kept from an earlier answer of Asaas, or
// Asaas's answer (422 when it refuses, e.g. a card charge).
func (s *Server) installmentPix(c *gin.Context) {
	ch, n, err := s.liveCharge(c, "PIX QR code")
	if err != nil {
		s.writeError(c, err)
		return
	}
	code, err := installmentPart(c.Request.Context(), s, ch, n, partPix, "generate the PIX QR code", pixFrom)
	s.reply(c, ok(pixView{ch.AsaasPaymentID, code}), err)
}

// installmentPart is one part of the payment instructions of installment n's
// charge, stored or from Asaas, with Asaas's failures as the answer to give.
func installmentPart[T any](ctx context.Context, s *Server, ch dbgen.Charge, n int, part, action string,
	from func(*asaas.Client, string) func(context.Context) (T, error)) (T, error) {
	var zero T
	q := dbgen.New(s.deps.Pool)
	stored, err := storedPart(ctx, q, ch, part)
	if err != nil {
		return zero, err
	}
	var cl *asaas.Client
	if !fresh(stored, ch) {
		if cl, err = s.accountAsaas(ctx, ch.AccountID); err != nil {
			return zero, err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, asaasCallTimeout)
	defer cancel()
	out, err := chargePart(ctx, q, ch, part, stored, from(cl, ch.AsaasPaymentID))
	if asaas.IsNotFound(err) {
		return zero, Conflict(fmt.Sprintf("The charge of installment %d (%s) no longer exists in Asaas.", n, ch.AsaasPaymentID))
	}
	if err != nil {
		return zero, gatewayProblem(err, action)
	}
	return out, nil
}

// liveCharge is the charge of the installment {n} of the caller's contract {id}:
// 404 when either is not the caller's, 409 when the installment has no charge yet
// (what names what there is then nothing of to show) or one that cannot be paid.
func (s *Server) liveCharge(c *gin.Context, what string) (dbgen.Charge, int, error) {
	contract, n, err := s.ownedInstallment(c)
	if err != nil {
		return dbgen.Charge{}, 0, err
	}
	ctx := c.Request.Context()
	q := dbgen.New(s.deps.Pool)
	inst, err := q.GetInstallmentByNumber(ctx, dbgen.GetInstallmentByNumberParams{AccountID: contract.AccountID, ContractID: contract.ID, Number: int32(n)})
	if err != nil {
		return dbgen.Charge{}, 0, notFoundIf(err, "installment")
	}
	charge, err := q.GetChargeByInstallment(ctx, dbgen.GetChargeByInstallmentParams{AccountID: contract.AccountID, InstallmentID: inst.ID})
	if errors.Is(err, pgx.ErrNoRows) {
		return dbgen.Charge{}, 0, Conflict(fmt.Sprintf("Installment %d has no charge in Asaas yet (the contract is %s); there is no %s to show.", n, contract.Status, what))
	}
	if err != nil {
		return dbgen.Charge{}, 0, err
	}
	return charge, n, chargePayable(n, inst.Status, charge)
}

// chargePayable is a 409 unless installment n's charge can still be paid: not
// deleted, the installment not paid, cancelled or refunded, and Asaas's last status
// pending or overdue.
func chargePayable(n int, installmentStatus string, charge dbgen.Charge) error {
	switch {
	case charge.DeletedAt != nil:
		return Conflict(fmt.Sprintf("The charge of installment %d was deleted in Asaas; there is nothing left to pay.", n))
	case installmentStatus != "scheduled" && installmentStatus != "open" && installmentStatus != "overdue":
		return Conflict(fmt.Sprintf("Installment %d is %s; there is nothing left to pay.", n, installmentStatus))
	case charge.Status != asaas.StatusPending && charge.Status != asaas.StatusOverdue:
		return Conflict(fmt.Sprintf("The charge of installment %d is %s in Asaas; there is nothing left to pay.", n, charge.Status))
	}
	return nil
}
