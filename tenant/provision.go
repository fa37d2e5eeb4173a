package tenant

import (
	"context"
	"fmt"

	"billing/db/dbgen"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Provisioned is what an operator gets back: the token is shown once.
type Provisioned struct {
	Account dbgen.Account
	User    dbgen.User
	Token   string
}

// CreateAccount creates an account with its first user and API token in one transaction.
func CreateAccount(ctx context.Context, pool *pgxpool.Pool, accountName, userEmail, userName string, billingEnabled bool) (Provisioned, error) {
	var p Provisioned
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		q := dbgen.New(tx)
		var err error
		if p.Account, err = q.CreateAccount(ctx, dbgen.CreateAccountParams{Name: accountName, BillingEnabled: billingEnabled}); err != nil {
			return fmt.Errorf("create account: %w", err)
		}
		if p.User, err = q.CreateUser(ctx, dbgen.CreateUserParams{AccountID: p.Account.ID, Email: userEmail, Name: userName}); err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		p.Token, err = issueToken(ctx, q, p.User, "initial token")
		return err
	})
	return p, err
}

// CreateToken issues another token for an existing user of the account.
func CreateToken(ctx context.Context, pool *pgxpool.Pool, account dbgen.Account, userEmail, tokenName string) (string, error) {
	q := dbgen.New(pool)
	user, err := q.GetUserByEmail(ctx, dbgen.GetUserByEmailParams{AccountID: account.ID, Email: userEmail})
	if err != nil {
		return "", fmt.Errorf("user %s of account %s: %w", userEmail, account.ID, err)
	}
	return issueToken(ctx, q, user, tokenName)
}

func issueToken(ctx context.Context, q *dbgen.Queries, user dbgen.User, name string) (string, error) {
	token, _, err := IssueToken(ctx, q, user.AccountID, user.ID, name, nil)
	return token, err
}
