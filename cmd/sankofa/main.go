// Command sankofa runs the Sankofa API and its maintenance tasks.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "sankofa:", err)
		var ue *usageError
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		var ee *exitError // check's own codes
		if errors.As(err, &ee) {
			os.Exit(ee.code)
		}
		os.Exit(1)
	}
}

// usageError is a command line that names no command or has extra
// arguments; main exits 2 on it, as shells expect of a usage mistake.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg + "; run 'sankofa --help'" }

// command is one subcommand of the binary.
type command struct {
	name, summary, usage string
	run                  func(ctx context.Context, cfg Config, log *slog.Logger, stdout io.Writer) error
	// withArgs, when set, runs instead of run: a command with flags of its
	// own, which loads the config itself.
	withArgs func(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error
}

// commands lists every subcommand; the first is the default.
var commands = []command{
	{name: "serve", summary: "run the API (default)",
		usage: "Runs the API until interrupted. With no SANKOFA_MONGODB_URI and no\nSANKOFA_NATS_URL everything runs embedded under SANKOFA_DATA_DIR.",
		run: func(ctx context.Context, cfg Config, log *slog.Logger, _ io.Writer) error {
			return serve(ctx, cfg, log, nil)
		}},
	{name: "seed", summary: "load demo data (an admin, ministries, ~200 professionals, ~20 assignments)",
		usage: "Starts the server on the configured data and loads demo data through\nthe API: an admin, ministries, about 200 professionals and 20\nassignments. It writes to SANKOFA_DATA_DIR (./data by default).",
		run:   seed},
	{name: "reindex", summary: "rebuild the search index from the database (run while the server is stopped)",
		usage: "Rebuilds the Bleve index under SANKOFA_DATA_DIR from the database.\nRun it while no server is using the data directory.",
		run: func(ctx context.Context, cfg Config, log *slog.Logger, _ io.Writer) error {
			return reindexCmd(ctx, cfg, log)
		}},
	{name: "check", summary: "check the store, index and inboxes agree (offline, or --url a running server)",
		usage: checkUsage, withArgs: checkCmd},
}

func isHelp(arg string) bool { return slices.Contains([]string{"-h", "-help", "--help", "help"}, arg) }

// run executes a subcommand; it returns when ctx is cancelled (serve) or
// the task is done. Every subcommand answers -h, --help and help with its
// usage, and does nothing else.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	name := commands[0].name
	if len(args) > 0 {
		name, args = args[0], args[1:]
	}
	if isHelp(name) {
		if len(args) > 0 { // sankofa help seed
			if i := slices.IndexFunc(commands, func(c command) bool { return c.name == args[0] }); i >= 0 {
				printCommandHelp(stdout, commands[i])
				return nil
			}
		}
		printHelp(stdout)
		return nil
	}
	i := slices.IndexFunc(commands, func(c command) bool { return c.name == name })
	if i < 0 {
		return &usageError{fmt.Sprintf("unknown command %q", name)}
	}
	cmd := commands[i]
	if len(args) > 0 {
		if isHelp(args[0]) {
			printCommandHelp(stdout, cmd)
			return nil
		}
	}
	if cmd.withArgs != nil {
		return cmd.withArgs(ctx, args, getenv, stdout)
	}
	if len(args) > 0 {
		return &usageError{fmt.Sprintf("%s takes no arguments (got %q); settings come from SANKOFA_* variables", cmd.name, args[0])}
	}
	cfg, err := LoadConfig(getenv)
	if err != nil {
		return err
	}
	return cmd.run(ctx, cfg, newLogger(cfg, stdout), stdout)
}

// printCommandHelp prints one subcommand's usage.
func printCommandHelp(w io.Writer, c command) {
	fmt.Fprintf(w, "Usage: sankofa %s\n\n%s\n\nSettings come from SANKOFA_* variables; 'sankofa --help' lists them.\n", c.name, c.usage)
}
