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

// boletoView is the boleto of an installment's charge, fresh from Asaas: the
// typeable line (linha digitável) a payer types into a bank app, and the barcode.
type boletoView struct {
	AsaasPaymentID      string  `json:"asaas_payment_id"`
	IdentificationField string  `json:"identification_field"`
	NossoNumero         string  `json:"nosso_numero"`
	BarCode             string  `json:"bar_code"`
	BankSlipURL         *string `json:"bank_slip_url"`
}

// installmentBoleto: GET /v1/contracts/{id}/installments/{n}/boleto, the twin of
// installmentPix: 404 for a contract or installment that is not the caller's, 409
// when the installment has no charge that can still be paid, then whatever Asaas
// answers (422 when it refuses, e.g. a PIX-only charge).
func (s *Server) installmentBoleto(c *gin.Context) {
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
		s.writeError(c, Conflict(fmt.Sprintf("Installment %d has no charge in Asaas yet (the contract is %s); there is no boleto to show.", n, contract.Status)))
		return
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	if err := livePix(n, inst, charge); err != nil { // the same "can it still be paid" check
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
	line, err := cl.IdentificationField(ctx, charge.AsaasPaymentID)
	if asaas.IsNotFound(err) {
		s.writeError(c, Conflict(fmt.Sprintf("The charge of installment %d (%s) no longer exists in Asaas.", n, charge.AsaasPaymentID)))
		return
	}
	if err != nil {
		s.writeError(c, gatewayProblem(err, "get the boleto's typeable line"))
		return
	}
	s.reply(c, ok(boletoView{charge.AsaasPaymentID, line.IdentificationField, line.NossoNumero, line.BarCode, charge.BankSlipUrl}), nil)
}
