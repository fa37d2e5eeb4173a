package api

import (
	"context"
	"net/http"
	"testing"

	"billing/tenant"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUsersListsTheAccountsOwnUsersOnly(t *testing.T) {
	e := newAPIEnv(t)
	acme := e.account(t, "Acme", true)
	e.account(t, "Rival", true)
	account, err := tenant.CreateAccount(context.Background(), e.pool, "Third", "x@third.test", "X", true)
	require.NoError(t, err)
	_ = account

	got := e.must(t, http.StatusOK, acme.Token, "GET", "/v1/users", nil)
	data := got["data"].([]any)
	require.Len(t, data, 1)
	u := data[0].(map[string]any)
	assert.Equal(t, acme.UserID.String(), u["id"])
	assert.Equal(t, "ops@acme.test", u["email"])
	assert.Equal(t, "Ops", u["name"])
	assert.Nil(t, got["next_cursor"])

	r := e.call(t, acme.Token, "GET", "/v1/users?limit=0", nil)
	assert.Equal(t, http.StatusUnprocessableEntity, r.Code, r.String())
	assert.Equal(t, http.StatusUnauthorized, e.call(t, "", "GET", "/v1/users", nil).Code)
}
