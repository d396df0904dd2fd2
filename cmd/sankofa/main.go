// Command sankofa runs the Sankofa API and its maintenance tasks.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "sankofa:", err)
		os.Exit(1)
	}
}

// run executes a subcommand; it returns when ctx is cancelled (serve) or
// the task is done.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd = args[0]
	}
	switch cmd {
	case "-h", "--help", "help":
		printHelp(stdout)
		return nil
	}
	cfg, err := LoadConfig(getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stdout)
	switch cmd {
	case "serve":
		return serve(ctx, cfg, log, nil)
	case "seed":
		return seed(ctx, cfg, log, stdout)
	case "reindex":
		return reindexCmd(ctx, cfg, log)
	}
	printHelp(stdout)
	return fmt.Errorf("unknown command %q", cmd)
}
