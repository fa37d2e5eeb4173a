// Package cli is the plumbing the service's binaries share: a table of subcommands,
// the configuration from the environment, a context cancelled by Ctrl-C or SIGTERM.
package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"billing/config"
)

// Command is one subcommand: it writes what it has to say to out.
type Command struct {
	Summary string
	Run     func(ctx context.Context, cfg config.Config, args []string, out io.Writer) error
}

// Main runs os.Args[1] of commands and exits with its status.
func Main(name string, commands map[string]Command) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second Ctrl-C kills at once
	}()
	os.Exit(Run(ctx, name, commands, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// Run is Main without the process around it (tests call it): args[0] names the
// command; the exit status is 2 for a usage or configuration error, 1 for a failure.
func Run(ctx context.Context, name string, commands map[string]Command, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) < 1 || strings.HasPrefix(args[0], "-") || args[0] == "help" {
		usage(stderr, name, commands)
		return 2
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "%s: unknown command %q\n\n", name, args[0])
		usage(stderr, name, commands)
		return 2
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 2
	}
	if err := cmd.Run(ctx, cfg, args[1:], stdout); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
	return 0
}

func usage(w io.Writer, name string, commands map[string]Command) {
	fmt.Fprintf(w, "usage: %s <command> [flags]\n\ncommands:\n", name)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].Summary)
	}
	fmt.Fprintln(w, "\nconfiguration is read from environment variables; see README.md")
}
