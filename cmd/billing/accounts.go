package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"billing/config"
	"billing/db"
	"billing/tenant"

	"github.com/google/uuid"
)

func runAccounts(ctx context.Context, cfg config.Config, args []string, out io.Writer) error {
	const usage = "usage: billing accounts create --name NAME --email EMAIL [--user-name NAME] [--billing-disabled]\n" +
		"       billing accounts enable-billing --account ID\n" +
		"       billing accounts disable-billing --account ID"
	if len(args) == 0 {
		return fmt.Errorf("%s", usage)
	}
	switch args[0] {
	case "create":
		return createAccount(ctx, cfg, args[1:], out)
	case "enable-billing":
		return setBilling(ctx, cfg, args[1:], out, true)
	case "disable-billing":
		return setBilling(ctx, cfg, args[1:], out, false)
	}
	return fmt.Errorf("%s", usage)
}

func createAccount(ctx context.Context, cfg config.Config, args []string, out io.Writer) error {
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
	fmt.Fprintf(out, "account %s\nuser    %s\ntoken   %s\n(the token is shown only this once)\n", p.Account.ID, p.User.ID, p.Token)
	return nil
}

// setBilling turns the account's billing module on or off (audited): while off, its
// API tokens get 403 on every /v1 route.
func setBilling(ctx context.Context, cfg config.Config, args []string, out io.Writer, enabled bool) error {
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
	acct, err := tenant.SetBillingEnabled(ctx, pool, id, enabled)
	if err != nil {
		return err
	}
	state := "disabled"
	if acct.BillingEnabled {
		state = "enabled"
	}
	fmt.Fprintf(out, "account %s (%s): billing module %s\n", acct.ID, acct.Name, state)
	return nil
}
