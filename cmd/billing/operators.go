package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"billing/config"
	"billing/db"
	"billing/db/dbgen"
	"billing/tenant"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

func runAccounts(ctx context.Context, cfg config.Config, args []string) error {
	const usage = "usage: billing accounts create --name NAME --email EMAIL [--user-name NAME] [--billing-disabled]\n" +
		"       billing accounts enable-billing --account ID\n" +
		"       billing accounts disable-billing --account ID"
	if len(args) == 0 {
		return fmt.Errorf("%s", usage)
	}
	switch args[0] {
	case "create":
		return createAccount(ctx, cfg, args[1:])
	case "enable-billing":
		return setBilling(ctx, cfg, args[1:], true)
	case "disable-billing":
		return setBilling(ctx, cfg, args[1:], false)
	}
	return fmt.Errorf("%s", usage)
}

func createAccount(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("accounts create", flag.ContinueOnError)
	name := fs.String("name", "", "account name")
	email := fs.String("email", "", "email of the account's first user")
	userName := fs.String("user-name", "", "name of the first user (default: the email)")
	disabled := fs.Bool("billing-disabled", false, "create the account with the billing module disabled")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *name == "" || *email == "" {
		return fmt.Errorf("--name and --email are required")
	}
	if *userName == "" {
		*userName = *email
	}
	pool, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	p, err := tenant.CreateAccount(ctx, pool, *name, *email, *userName, !*disabled)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stdout, "account %s\nuser    %s\ntoken   %s\n(the token is shown only this once)\n", p.Account.ID, p.User.ID, p.Token)
	return nil
}

// setBilling turns the account's billing module on or off: while off, its API tokens
// get 403 on every /v1 route.
func setBilling(ctx context.Context, cfg config.Config, args []string, enabled bool) error {
	fs := flag.NewFlagSet("accounts billing", flag.ContinueOnError)
	accountID := fs.String("account", "", "account id")
	if err := fs.Parse(args); err != nil {
		return err
	}
	id, err := uuid.Parse(*accountID)
	if err != nil {
		return fmt.Errorf("--account (a uuid) is required")
	}
	pool, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	acct, err := dbgen.New(pool).SetAccountBillingEnabled(ctx, dbgen.SetAccountBillingEnabledParams{ID: id, BillingEnabled: enabled})
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("account %s does not exist", id)
	}
	if err != nil {
		return err
	}
	state := "disabled"
	if acct.BillingEnabled {
		state = "enabled"
	}
	fmt.Fprintf(os.Stdout, "account %s (%s): billing module %s\n", acct.ID, acct.Name, state)
	return nil
}

func runTokens(ctx context.Context, cfg config.Config, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("usage: billing tokens create --account ID --email EMAIL [--name NAME]")
	}
	fs := flag.NewFlagSet("tokens create", flag.ContinueOnError)
	accountID := fs.String("account", "", "account id")
	email := fs.String("email", "", "email of the user the token acts as")
	name := fs.String("name", "cli token", "a label for the token")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	id, err := uuid.Parse(*accountID)
	if err != nil || *email == "" {
		return fmt.Errorf("--account (a uuid) and --email are required")
	}
	pool, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	acct, err := dbgen.New(pool).GetAccount(ctx, id)
	if err != nil {
		return fmt.Errorf("account %s: %w", id, err)
	}
	token, err := tenant.CreateToken(ctx, pool, acct, *email, *name)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stdout, "token %s\n(the token is shown only this once)\n", token)
	return nil
}
