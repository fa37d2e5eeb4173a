package devstack

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"

	"billing/db/dbgen"
	"billing/tenant"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

const (
	demoAccountName = "Demo"
	demoUserEmail   = "demo@example.com"
)

type demoAccount struct {
	AccountID uuid.UUID
	UserID    uuid.UUID
	Email     string
	Token     string
}

// ensureDemoAccount creates the demo account on first start. Its token is kept in
// the data dir (dev only) so every start can print it again.
func ensureDemoAccount(ctx context.Context, pool *pgxpool.Pool, dataDir string) (demoAccount, error) {
	tokenFile := filepath.Join(dataDir, "demo-token")
	q := dbgen.New(pool)
	acct, err := q.GetAccountByName(ctx, demoAccountName)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		p, err := tenant.CreateAccount(ctx, pool, demoAccountName, demoUserEmail, "Demo User", true)
		if err != nil {
			return demoAccount{}, err
		}
		return demoAccount{p.Account.ID, p.User.ID, demoUserEmail, p.Token}, os.WriteFile(tokenFile, []byte(p.Token+"\n"), 0o600)
	case err != nil:
		return demoAccount{}, err
	}
	user, err := q.GetUserByEmail(ctx, dbgen.GetUserByEmailParams{AccountID: acct.ID, Email: demoUserEmail})
	if err != nil {
		return demoAccount{}, err
	}
	if raw, err := os.ReadFile(tokenFile); err == nil {
		return demoAccount{acct.ID, user.ID, demoUserEmail, strings.TrimSpace(string(raw))}, nil
	}
	// The database outlived the data dir: issue a fresh token.
	token, err := tenant.CreateToken(ctx, pool, acct, demoUserEmail, "dev token")
	if err != nil {
		return demoAccount{}, err
	}
	return demoAccount{acct.ID, user.ID, demoUserEmail, token}, os.WriteFile(tokenFile, []byte(token+"\n"), 0o600)
}
