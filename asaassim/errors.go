package asaassim

import (
	"fmt"
	"net/http"
)

// Error is an Asaas-style error: HTTP status plus one {code, description} item.
// The real API answers validation failures with the first failing field only
// (capture erros-de-validacao.json), so one item is all we ever send.
type Error struct {
	Status      int
	Code        string
	Description string
}

func (e *Error) Error() string {
	return fmt.Sprintf("asaassim: %d %s: %s", e.Status, e.Code, e.Description)
}

func (e *Error) body() obj {
	return obj{{"errors", []obj{{{"code", e.Code}, {"description", e.Description}}}}}
}

func badRequest(code, description string) *Error {
	return &Error{Status: http.StatusBadRequest, Code: code, Description: description}
}

// notFound: the real 404 body was never captured; this one is invented.
func notFound(what string) *Error {
	return &Error{Status: http.StatusNotFound, Code: "not_found", Description: what + " não encontrado(a)."}
}

// errUnauthorized: 401 for a missing or unknown access_token. Invented (never
// captured); the code and text are the example of the public OpenAPI spec.
var errUnauthorized = &Error{Status: http.StatusUnauthorized, Code: "invalid_access_token", Description: "A chave de API fornecida é inválida"}

// errInjected answers a fault-injected call. Invented: real gateways answer 5xx
// with anything from HTML to an empty body.
var errInjected = &Error{Status: http.StatusInternalServerError, Code: "internal_error", Description: "Ocorreu um erro interno. Tente novamente."}

// invalidAction is the simulator's code for a state transition the charge's
// status does not allow. The code and texts are invented (never captured).
func invalidAction(description string) *Error {
	return badRequest("invalid_action", description)
}

// controlError is how the /_sim/ control API reports a bad request (English: it
// is our API, not Asaas's).
func controlError(status int, code, description string) *Error {
	return &Error{Status: status, Code: code, Description: description}
}
