package api

import (
	"github.com/gin-gonic/gin"
)

// boletoView is the boleto of an installment's charge: the typeable line (linha
// digitável) a payer types into a bank app, the barcode and the bank slip's URL.
type boletoView struct {
	AsaasPaymentID string `json:"asaas_payment_id"`
	boletoLine
	BankSlipURL *string `json:"bank_slip_url"`
}

// installmentBoleto: GET /v1/contracts/{id}/installments/{n}/boleto, the twin of
// installmentPix: 404 for a contract or installment that is not the caller's, 409
// when the installment has no charge that can still be paid, then the typeable line,
// kept from an earlier answer of Asaas or Asaas's answer (422 when it refuses, e.g.
// a PIX-only charge).
func (s *Server) installmentBoleto(c *gin.Context) {
	ch, n, err := s.liveCharge(c, "boleto")
	if err != nil {
		s.writeError(c, err)
		return
	}
	line, err := installmentPart(c.Request.Context(), s, ch, n, partBoleto, "get the boleto's typeable line", boletoFrom)
	s.reply(c, ok(boletoView{ch.AsaasPaymentID, line, ch.BankSlipUrl}), err)
}
