package api

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRetryAfterOnlyWhereARetryHelps: problems a retry can fix carry Retry-After
// (seconds); the others do not. Every answer here is also checked against
// openapi.yaml, where Retry-After is a required header of those answers.
func TestRetryAfterOnlyWhereARetryHelps(t *testing.T) {
	e := newAPIEnv(t)
	b := e.setUpBusiness(t, e.account(t, "Acme", true))
	tests := []struct {
		name       string
		err        error
		status     int
		retryAfter string
	}{
		{"Temporal did not take the action", unavailable("The contract did not answer in time; try again with the same Idempotency-Key.", nil), http.StatusServiceUnavailable, "5"},
		{"a conflict", Conflict("The contract is cancelled."), http.StatusConflict, ""},
		{"a failure of ours", errEngineDown, http.StatusInternalServerError, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.engine.err = tc.err
			r := e.call(t, b.Token, "POST", "/v1/contracts/"+b.contract+"/cancel", map[string]any{"reason": "x"}, idempotencyHeader, "k-"+tc.name)
			require.Equal(t, tc.status, r.Code, r.String())
			assert.Equal(t, tc.retryAfter, r.Header.Get("Retry-After"))
		})
	}
}
