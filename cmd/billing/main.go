// Command billing is the production binary: api, worker and migrate run each part of
// the service; accounts and tokens are the operator's tools. Nothing for development
// or testing is linked in (the simulator, `dev` and the load tester are billing-dev).
package main

import "billing/cmd/internal/cli"

var commands = map[string]cli.Command{
	"api":      {Summary: "serve the REST API and the Asaas webhook endpoint", Run: runAPI},
	"worker":   {Summary: "run the Temporal worker (workflows and activities)", Run: runWorker},
	"migrate":  {Summary: "create the database if missing and apply migrations", Run: runMigrate},
	"accounts": {Summary: "accounts create --name N --email E | enable-billing --account ID | disable-billing --account ID", Run: runAccounts},
	"tokens":   {Summary: "tokens list --account ID | create --account ID --email E [--expires-at T] | revoke --account ID --id TOKEN_ID", Run: runTokens},
}

func main() { cli.Main("billing", commands) }
