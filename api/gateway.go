package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"billing/asaas"
	"billing/db/dbgen"
	"billing/gateway"

	"github.com/google/uuid"
)

// asaasCallTimeout bounds one request's calls to Asaas (Asaas itself may take seconds).
const asaasCallTimeout = 20 * time.Second

// accountAsaas is the Asaas client of the caller's account: 501 when this deployment
// has no gateway connector, 409 when the account has not configured Asaas.
func (s *Server) accountAsaas(ctx context.Context, accountID uuid.UUID) (*asaas.Client, error) {
	if s.deps.Gateway == nil {
		return nil, notImplemented("Calls to Asaas are not available in this deployment.")
	}
	cl, err := s.deps.Gateway.Client(ctx, dbgen.New(s.deps.Pool), accountID)
	if errors.Is(err, gateway.ErrNotConfigured) {
		p := Conflict("Asaas is not configured for this account: configure Asaas first (PUT /v1/settings/asaas).")
		p.cause = err
		return nil, p
	}
	return cl, err
}

// gatewayProblem turns a failed Asaas call into the answer: Asaas refusing the
// request is a 422 with its own descriptions (errors[].field is Asaas's code), a
// refused API key a 409, and no usable answer (timeout, 5xx, 429) a 502.
func gatewayProblem(err error, action string) error {
	var ae *asaas.Error
	if !errors.As(err, &ae) {
		return err // refused before sending, or ours: a logged 500
	}
	var p *Problem
	switch {
	case ae.StatusCode == http.StatusUnauthorized || ae.StatusCode == http.StatusForbidden:
		p = Conflict(fmt.Sprintf("Asaas refused this account's API key (HTTP %d): check it in PUT /v1/settings/asaas.", ae.StatusCode))
	case ae.StatusCode >= 400 && ae.StatusCode <= 499 && !ae.Retryable():
		errs := make([]FieldError, 0, len(ae.Errors))
		descriptions := make([]string, 0, len(ae.Errors))
		for _, it := range ae.Errors {
			errs = append(errs, FieldError{Field: "asaas." + it.Code, Message: it.Description})
			descriptions = append(descriptions, it.Description)
		}
		if len(descriptions) == 0 {
			descriptions = append(descriptions, fmt.Sprintf("HTTP %d", ae.StatusCode))
		}
		p = newProblem(http.StatusUnprocessableEntity, "gateway-refused", "Refused by Asaas",
			"Asaas refused to "+action+": "+strings.Join(descriptions, "; "), errs...)
	default:
		p = newProblem(http.StatusBadGateway, "gateway-unavailable", "Asaas unavailable",
			"Asaas did not answer the request to "+action+" usefully; try again later.")
	}
	p.cause = err
	return p
}
