package api

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"billing/asaas"
	"billing/db/dbgen"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"
)

// pixView is the PIX QR code of an installment's charge, fresh from Asaas.
type pixView struct {
	AsaasPaymentID string `json:"asaas_payment_id"`
	Payload        string `json:"payload"`       // the copy-and-paste code
	EncodedImage   string `json:"encoded_image"` // base64 PNG
	ExpirationDate string `json:"expiration_date"`
}

// installmentPix: GET /v1/contracts/{id}/installments/{n}/pix. 404 for a contract or
// installment that is not the caller's, 409 when the installment has no charge that
// can still be paid, then whatever Asaas answers (422 when it refuses, e.g. a card
// charge).
func (s *Server) installmentPix(c *gin.Context) {
	contract, err := s.ownedContract(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	n, err := installmentParam(c, contract)
	if err != nil {
		s.writeError(c, err)
		return
	}
	ctx := c.Request.Context()
	q := dbgen.New(s.deps.Pool)
	inst, err := q.GetInstallmentByNumber(ctx, dbgen.GetInstallmentByNumberParams{AccountID: contract.AccountID, ContractID: contract.ID, Number: int32(n)})
	if err != nil {
		s.writeError(c, notFoundIf(err, "installment"))
		return
	}
	charge, err := q.GetChargeByInstallment(ctx, dbgen.GetChargeByInstallmentParams{AccountID: contract.AccountID, InstallmentID: inst.ID})
	if errors.Is(err, pgx.ErrNoRows) {
		s.writeError(c, Conflict(fmt.Sprintf("Installment %d has no charge in Asaas yet (the contract is %s); there is no PIX QR code to show.", n, contract.Status)))
		return
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	if err := livePix(n, inst, charge); err != nil {
		s.writeError(c, err)
		return
	}
	cl, err := s.accountAsaas(ctx, contract.AccountID)
	if err != nil {
		s.writeError(c, err)
		return
	}
	ctx, cancel := context.WithTimeout(ctx, asaasCallTimeout)
	defer cancel()
	qr, err := cl.PixQrCode(ctx, charge.AsaasPaymentID)
	if asaas.IsNotFound(err) {
		s.writeError(c, Conflict(fmt.Sprintf("The charge of installment %d (%s) no longer exists in Asaas.", n, charge.AsaasPaymentID)))
		return
	}
	if err != nil {
		s.writeError(c, gatewayProblem(err, "generate the PIX QR code"))
		return
	}
	s.reply(c, ok(pixView{charge.AsaasPaymentID, qr.Payload, qr.EncodedImage, qr.ExpirationDate}), nil)
}

// livePix is a 409 unless the charge can still be paid: not deleted, the installment
// not paid, cancelled or refunded, and Asaas's last status pending or overdue.
func livePix(n int, inst dbgen.Installment, charge dbgen.Charge) error {
	switch {
	case charge.DeletedAt != nil:
		return Conflict(fmt.Sprintf("The charge of installment %d was deleted in Asaas; there is no PIX QR code to show.", n))
	case inst.Status != "scheduled" && inst.Status != "open" && inst.Status != "overdue":
		return Conflict(fmt.Sprintf("Installment %d is %s; there is nothing left to pay.", n, inst.Status))
	case charge.Status != asaas.StatusPending && charge.Status != asaas.StatusOverdue:
		return Conflict(fmt.Sprintf("The charge of installment %d is %s in Asaas; there is nothing left to pay.", n, charge.Status))
	}
	return nil
}

// installmentParam is the {n} of the path: a number of one of the contract's
// installments, 404 otherwise.
func installmentParam(c *gin.Context, contract dbgen.Contract) (int, error) {
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil || n < 1 || n > int(contract.InstallmentCount) {
		return 0, NotFound("installment")
	}
	return n, nil
}
