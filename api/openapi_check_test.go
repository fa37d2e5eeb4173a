package api

import (
	"net/http"
	"sync"
	"testing"

	"billing/api/openapitest"

	"github.com/stretchr/testify/require"
)

var openapiChecker = sync.OnceValues(func() (*openapitest.Checker, error) { return openapitest.New(openapiYAML) })

// checked is h with every request and answer checked against openapi.yaml: each
// mismatch fails t (see openapitest.Checker.Check).
func checked(t testing.TB, h http.Handler) http.Handler {
	t.Helper()
	c, err := openapiChecker()
	require.NoError(t, err)
	return c.Handler(h, t.Errorf)
}
