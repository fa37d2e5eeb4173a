package asaassim

import "net/http"

func (s *Server) routes() {
	m := s.mux
	m.Handle("POST /v3/customers", s.api(s.createCustomer))
	m.Handle("GET /v3/customers", s.api(s.listCustomers))
	m.Handle("GET /v3/customers/{id}", s.api(s.getCustomer))

	// POST /v3/payments and /v3/payments/ are one endpoint (FACTS).
	m.Handle("POST /v3/payments", s.api(s.createPayment))
	m.Handle("POST /v3/payments/{$}", s.api(s.createPayment))
	m.Handle("GET /v3/payments", s.api(s.listPayments))
	m.Handle("GET /v3/payments/{id}", s.api(s.getPayment))
	m.Handle("DELETE /v3/payments/{id}", s.api(s.deletePayment))
	m.Handle("POST /v3/payments/{id}/restore", s.api(s.restorePayment))
	m.Handle("POST /v3/payments/{id}/receiveInCash", s.api(s.receiveInCashAPI))
	m.Handle("POST /v3/payments/{id}/undoReceivedInCash", s.api(s.undoReceivedInCashAPI))
	m.Handle("POST /v3/payments/{id}/refund", s.api(s.refundAPI))
	m.Handle("GET /v3/payments/{id}/pixQrCode", s.api(s.pixQrCode))
	m.Handle("GET /v3/payments/{id}/identificationField", s.api(s.identificationField))

	m.Handle("POST /v3/installments", s.api(s.createInstallment))
	m.Handle("GET /v3/installments/{id}", s.api(s.getInstallment))
	m.Handle("GET /v3/installments/{id}/payments", s.api(s.listInstallmentPayments))

	m.Handle("POST /v3/paymentLinks", s.api(s.createPaymentLink))
	m.Handle("GET /v3/paymentLinks/{id}", s.api(s.getPaymentLink))

	m.Handle("POST /v3/transfers", s.api(s.createTransfer))
	m.Handle("GET /v3/transfers/{id}", s.api(s.getTransfer))
	m.Handle("GET /v3/finance/balance", s.api(s.financeBalance))
	m.Handle("GET /v3/bill/{id}", s.api(s.getBill))

	m.Handle("GET /v3/webhooks", s.api(s.listWebhooks))
	m.Handle("GET /v3/webhooks/{id}", s.api(s.getWebhook))
	m.Handle("PUT /v3/webhooks/{id}", s.api(s.updateWebhook))

	// Anything else under /v3 is an operation the simulator does not offer:
	// authenticated callers get an Asaas-style 404 (invented text).
	m.Handle("/v3/", s.api(func(*account, *http.Request) (any, *Error) {
		return nil, &Error{Status: http.StatusNotFound, Code: "not_found", Description: "Operação não suportada pelo simulador."}
	}))

	s.controlRoutes()
	s.lifeRoutes()
}
