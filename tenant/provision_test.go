package tenant_test

import (
	"context"
	"strings"
	"testing"

	"billing/db/dbgen"
	"billing/tenant"
	"billing/testenv"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTokensAuthenticateTheirOwnAccountOnly(t *testing.T) {
	ctx := context.Background()
	pool := testenv.Postgres(t)
	a, err := tenant.CreateAccount(ctx, pool, "Acme", "ops@acme.test", "Ops", true)
	require.NoError(t, err)
	b, err := tenant.CreateAccount(ctx, pool, "Other", "ops@other.test", "Ops", false)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(a.Token, tenant.TokenPrefix))
	assert.NotEqual(t, a.Token, b.Token)

	q := dbgen.New(pool)
	got, err := q.AuthenticateToken(ctx, tenant.HashToken(a.Token))
	require.NoError(t, err)
	assert.Equal(t, a.Account.ID, got.AccountID)
	assert.Equal(t, a.User.ID, got.UserID)
	assert.True(t, got.BillingEnabled)

	got, err = q.AuthenticateToken(ctx, tenant.HashToken(b.Token))
	require.NoError(t, err)
	assert.Equal(t, b.Account.ID, got.AccountID)
	assert.False(t, got.BillingEnabled)

	second, err := tenant.CreateToken(ctx, pool, a.Account, "ops@acme.test", "ci")
	require.NoError(t, err)
	got, err = q.AuthenticateToken(ctx, tenant.HashToken(second))
	require.NoError(t, err)
	assert.Equal(t, a.Account.ID, got.AccountID)

	_, err = q.AuthenticateToken(ctx, tenant.HashToken(a.Token+"x"))
	assert.Error(t, err, "an unknown token authenticates nobody")
	_, err = tenant.CreateToken(ctx, pool, a.Account, "ops@other.test", "cross")
	assert.Error(t, err, "a user of another account cannot get a token here")
}
