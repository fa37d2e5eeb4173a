// Command billing is the one binary of the service: `billing dev` runs everything on
// one machine; api, worker, migrate and asaas-sim run each part alone in production.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"billing/config"
)

type command struct {
	summary string
	run     func(ctx context.Context, cfg config.Config, args []string) error
}

var commands = map[string]command{
	"dev":       {"run everything on this machine: Temporal dev server, migrations, simulator, worker, API", runDev},
	"api":       {"serve the REST API and the Asaas webhook endpoint", runAPI},
	"worker":    {"run the Temporal worker (workflows and activities)", runWorker},
	"migrate":   {"create the database if missing and apply migrations", runMigrate},
	"asaas-sim": {"serve the Asaas v3 simulator", runAsaasSim},
	"accounts":  {"accounts create --name N --email E | enable-billing --account ID | disable-billing --account ID", runAccounts},
	"tokens":    {"tokens create --account ID --email E: issue another API token for a user", runTokens},
	"loadtest":  {"load, chaos and baseline benchmarks against a stack it starts (make bench); -h for flags", runLoadtest},
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: billing <command> [flags]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(os.Stderr, "  %-10s %s\n", name, commands[name].summary)
	}
	fmt.Fprintln(os.Stderr, "\nconfiguration is read from environment variables; see README.md")
}

func main() {
	if len(os.Args) < 2 || strings.HasPrefix(os.Args[1], "-") || os.Args[1] == "help" {
		usage()
		os.Exit(2)
	}
	cmd, ok := commands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "billing: unknown command %q\n\n", os.Args[1])
		usage()
		os.Exit(2)
	}
	cfg, err := config.FromEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, "billing:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second Ctrl-C kills at once
	}()
	if err := cmd.run(ctx, cfg, os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "billing:", err)
		os.Exit(1)
	}
}
