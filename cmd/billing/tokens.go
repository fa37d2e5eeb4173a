package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"billing/config"
	"billing/db"
	"billing/db/dbgen"
	"billing/tenant"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

const tokensUsage = "usage: billing tokens list --account ID\n" +
	"       billing tokens create --account ID --email EMAIL [--name NAME] [--expires-at RFC3339]\n" +
	"       billing tokens revoke --account ID --id TOKEN_ID"

// runTokens lists, issues and revokes an account's API tokens. A token is printed
// in full once, when it is created; lists never show it.
func runTokens(ctx context.Context, cfg config.Config, args []string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New(tokensUsage)
	}
	fs := flag.NewFlagSet("tokens "+args[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	accountFlag := fs.String("account", "", "account id")
	var run func(accountID uuid.UUID) error
	switch args[0] {
	case "list":
		run = func(accountID uuid.UUID) error { return listTokens(ctx, cfg, accountID, out) }
	case "create":
		email := fs.String("email", "", "email of the user the token acts as")
		name := fs.String("name", "cli token", "a label for the token")
		expires := fs.String("expires-at", "", "when the token stops working (RFC 3339, e.g. 2027-01-31T00:00:00Z); default never")
		run = func(accountID uuid.UUID) error {
			if *email == "" {
				return errors.New("--email is required")
			}
			if *name == "" || len(*name) > 200 {
				return errors.New("--name must be 1 to 200 characters")
			}
			expiresAt, err := parseExpiry(*expires, time.Now())
			if err != nil {
				return err
			}
			return createToken(ctx, cfg, accountID, *email, *name, expiresAt, out)
		}
	case "revoke":
		tokenFlag := fs.String("id", "", "the token's id (from tokens list)")
		run = func(accountID uuid.UUID) error {
			tokenID, err := uuid.Parse(*tokenFlag)
			if err != nil {
				return errors.New("--id (a token id from `billing tokens list`) is required")
			}
			return revokeToken(ctx, cfg, accountID, tokenID, out)
		}
	default:
		return errors.New(tokensUsage)
	}
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("%v\n%s", err, tokensUsage)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q\n%s", fs.Arg(0), tokensUsage)
	}
	accountID, err := uuid.Parse(*accountFlag)
	if err != nil {
		return errors.New("--account (a uuid) is required")
	}
	return run(accountID)
}

// parseExpiry reads --expires-at: empty is never; otherwise an RFC 3339 time in the future.
func parseExpiry(raw string, now time.Time) (*time.Time, error) {
	if raw == "" {
		return nil, nil
	}
	at, err := time.Parse(time.RFC3339, raw)
	if err != nil {
		return nil, fmt.Errorf("--expires-at must be an RFC 3339 time such as 2027-01-31T00:00:00Z")
	}
	if !at.After(now) {
		return nil, fmt.Errorf("--expires-at must be in the future")
	}
	return &at, nil
}

func createToken(ctx context.Context, cfg config.Config, accountID uuid.UUID, email, name string, expiresAt *time.Time, out io.Writer) error {
	pool, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	token, row, err := tenant.CreateTokenAsOperator(ctx, pool, accountID, email, name, expiresAt)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "id      %s\ntoken   %s\nexpires %s\n(the token is shown only this once)\n", row.ID, token, expiryText(row.ExpiresAt))
	return nil
}

func listTokens(ctx context.Context, cfg config.Config, accountID uuid.UUID, out io.Writer) error {
	pool, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	if _, err := dbgen.New(pool).GetAccount(ctx, accountID); errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("account %s does not exist", accountID)
	} else if err != nil {
		return err
	}
	rows, err := tenant.ListTokens(ctx, dbgen.New(pool), accountID)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tUSER\tCREATED\tEXPIRES\tSTATUS")
	now := time.Now()
	for _, r := range rows {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Name, r.UserEmail, r.CreatedAt.UTC().Format(time.RFC3339),
			expiryText(r.ExpiresAt), tenant.TokenStatus(r.ExpiresAt, r.RevokedAt, now))
	}
	return w.Flush()
}

func revokeToken(ctx context.Context, cfg config.Config, accountID, tokenID uuid.UUID, out io.Writer) error {
	pool, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	revoked, err := tenant.RevokeTokenAsOperator(ctx, pool, accountID, tokenID)
	if errors.Is(err, tenant.ErrTokenNotFound) {
		return fmt.Errorf("account %s has no token %s", accountID, tokenID)
	}
	if err != nil {
		return err
	}
	if revoked {
		fmt.Fprintf(out, "token %s revoked\n", tokenID)
	} else {
		fmt.Fprintf(out, "token %s was already revoked\n", tokenID)
	}
	return nil
}

func expiryText(at *time.Time) string {
	if at == nil {
		return "never"
	}
	return at.UTC().Format(time.RFC3339)
}
