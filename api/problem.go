package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"billing/domain"

	"github.com/gin-gonic/gin"
)

// FieldError is one problem with one input field ("split_rules[2].percent").
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Problem is an RFC 9457 problem detail. Handlers and the ContractEngine return it as
// an error; it is written to the client as-is, with content type application/problem+json.
type Problem struct {
	Type   string       `json:"type"`
	Title  string       `json:"title"`
	Status int          `json:"status"`
	Detail string       `json:"detail"`
	Errors []FieldError `json:"errors"`
	// cause is logged, never shown: why a 5xx happened.
	cause error
}

func (p *Problem) Error() string { return fmt.Sprintf("%d %s: %s", p.Status, p.Title, p.Detail) }

const problemTypePrefix = "urn:billing:problem:"

// retryAfter is the Retry-After (seconds) of the problems a retry can fix: Temporal
// not accepting or finishing an action in time, and Asaas not answering usefully
// (its client has already retried with backoff by then).
var retryAfter = map[string]int{
	problemTypePrefix + "unavailable":         5,
	problemTypePrefix + "gateway-unavailable": 30,
}

func newProblem(status int, slug, title, detail string, errs ...FieldError) *Problem {
	if errs == nil {
		errs = []FieldError{}
	}
	return &Problem{Type: problemTypePrefix + slug, Title: title, Status: status, Detail: detail, Errors: errs}
}

// Validation is a 422: the request was understood but some fields are wrong.
func Validation(errs ...FieldError) *Problem {
	detail := "The request has invalid fields; see errors."
	if len(errs) == 1 {
		detail = errs[0].Field + ": " + errs[0].Message
	}
	return newProblem(http.StatusUnprocessableEntity, "validation", "Invalid request", detail, errs...)
}

// NotFound is a 404; also the answer for anything that belongs to another account.
func NotFound(what string) *Problem {
	return newProblem(http.StatusNotFound, "not-found", "Not found", what+" was not found.")
}

// Conflict is a 409: the resource is not in a state that allows this change.
func Conflict(detail string, errs ...FieldError) *Problem {
	return newProblem(http.StatusConflict, "conflict", "Conflict", detail, errs...)
}

func badRequest(detail string) *Problem {
	return newProblem(http.StatusBadRequest, "bad-request", "Bad request", detail)
}

func unauthorized(detail string) *Problem {
	return newProblem(http.StatusUnauthorized, "unauthorized", "Unauthorized", detail)
}

func forbidden(detail string) *Problem {
	return newProblem(http.StatusForbidden, "forbidden", "Forbidden", detail)
}

func tooLarge() *Problem {
	return newProblem(http.StatusRequestEntityTooLarge, "payload-too-large", "Payload too large",
		fmt.Sprintf("The request body is larger than %d bytes.", maxBodyBytes))
}

func notImplemented(detail string) *Problem {
	return newProblem(http.StatusNotImplemented, "not-implemented", "Not implemented", detail)
}

func internalError() *Problem {
	return newProblem(http.StatusInternalServerError, "internal", "Internal server error",
		"Something went wrong on our side; nothing was changed. Try again later.")
}

func fromDomain(errs []domain.FieldError) []FieldError {
	out := make([]FieldError, len(errs))
	for i, e := range errs {
		out[i] = FieldError{Field: e.Field, Message: e.Message}
	}
	return out
}

// writeError answers with err when it is a *Problem, and with a 500 (logged, details
// kept out of the answer) otherwise.
func (s *Server) writeError(c *gin.Context, err error) {
	var p *Problem
	if !errors.As(err, &p) {
		s.deps.Logger.Error("request failed", "method", c.Request.Method, "path", c.FullPath(), "err", err)
		p = internalError()
	} else if p.cause != nil {
		s.deps.Logger.Warn("request not served", "method", c.Request.Method, "path", c.FullPath(), "status", p.Status, "err", p.cause)
	}
	writeProblem(c, p)
}

func writeProblem(c *gin.Context, p *Problem) {
	p = completed(p)
	if p.Status == http.StatusUnauthorized {
		c.Header("WWW-Authenticate", `Bearer realm="billing"`)
	}
	if seconds, ok := retryAfter[p.Type]; ok {
		c.Header("Retry-After", strconv.Itoa(seconds))
	}
	writeJSON(c, p.Status, "application/problem+json", p)
	c.Abort()
}

// completed fills what a hand-built Problem (e.g. from the ContractEngine) left out.
func completed(p *Problem) *Problem {
	out := *p
	if out.Status < 400 || out.Status > 599 {
		out.Status = http.StatusInternalServerError
	}
	if out.Title == "" {
		out.Title = http.StatusText(out.Status)
	}
	if out.Type == "" {
		out.Type = "about:blank"
	}
	if out.Errors == nil {
		out.Errors = []FieldError{}
	}
	return &out
}
