package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"sankofa"
	"sankofa/api"
	"sankofa/consistency"
	"sankofa/notifier"
	"sankofa/search"
	"sankofa/store"
)

// The adapters serve what the consistency checker reads; the admin
// endpoint finds these methods on the adapters the API runs on.
var (
	_ consistency.Store   = (*store.Store)(nil)
	_ consistency.Inboxes = (*store.Store)(nil)
	_ consistency.Index   = (*search.Index)(nil)
	_ consistency.Bus     = (*notifier.Notifier)(nil)
)

// The exit codes of `sankofa check`.
const (
	checkViolations = 1 // the system is settled and breaks an invariant
	checkError      = 2 // the check could not run (a server holds the data, bad flags, no access)
	checkUnsettled  = 3 // events were still waiting; what was found may be transient
)

// checkUsage is `sankofa check --help`.
const checkUsage = `Checks that the store, the search index and the inboxes agree: an
assignment's filled count matches its accepted offers (filled), every
accepted offer has one booking and every booking its offer (booking), no
worker has two on-site bookings on one day (overlap), no offer is pending
on a filled, closed or cancelled assignment (pending-offer), every index
entry has the store's version (index-version), and no notification is
missing or doubled (notification).

  sankofa check                 offline: reads SANKOFA_DATA_DIR (or the
                                configured MongoDB and NATS); stop the
                                server first
  sankofa check --url URL       online: asks the server at URL (for example
                                http://127.0.0.1:8080) to run the check, as
                                an admin: SANKOFA_CHECK_TOKEN, or else
                                SANKOFA_ADMIN_EMAIL and SANKOFA_ADMIN_PASSWORD

Flags:
  --url URL       check a running server instead of the data directory
  --wait DUR      online: how long the server waits for its events to be
                  handled before checking (default 30s, at most 1m)
  --json          print the report as JSON instead of lines

Output: one line per violation, "invariant: detail (ids)", then a summary.
Exit status: 0 consistent; 1 violations; 2 the check could not run (for
example the server is running on the data directory); 3 not settled
(events still waited in the outbox or a consumer, so findings may be
transient: check online with --wait, or restart the server and let it
catch up).`

// exitError makes main exit with code after printing err.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func checkFailed(err error) error { return &exitError{code: checkError, err: err} }

// checkCmd runs `sankofa check [--url URL] [--wait DUR] [--json]`.
func checkCmd(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	base := fs.String("url", "", "")
	wait := fs.Duration("wait", 30*time.Second, "")
	asJSON := fs.Bool("json", false, "")
	if err := fs.Parse(args); err != nil {
		return &usageError{"check: " + err.Error()}
	}
	if fs.NArg() > 0 {
		return &usageError{fmt.Sprintf("check takes no arguments besides its flags (got %q)", fs.Arg(0))}
	}
	if *wait < 0 || *wait > api.MaxCheckWait {
		return &usageError{fmt.Sprintf("check: --wait must be between 0 and %s", api.MaxCheckWait)}
	}
	cfg, err := LoadConfig(getenv)
	if err != nil {
		return checkFailed(err)
	}
	var r *consistency.Report
	if *base != "" {
		r, err = checkOnline(ctx, *base, *wait, cfg, getenv)
	} else {
		r, err = checkOffline(ctx, cfg)
	}
	if err != nil {
		return checkFailed(err)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			return checkFailed(err)
		}
	} else {
		printReport(stdout, r)
	}
	switch {
	case !r.Settled:
		return &exitError{code: checkUnsettled, err: errors.New("check: not settled; run it again once the events are handled")}
	case len(r.Violations) > 0:
		return &exitError{code: checkViolations, err: fmt.Errorf("check: %d violations", len(r.Violations)+r.Truncated)}
	}
	return nil
}

// printReport writes one line per violation, then what kept the system
// unsettled, what was skipped, notes, and the summary last.
func printReport(w io.Writer, r *consistency.Report) {
	for _, v := range r.Violations {
		fmt.Fprintln(w, v.String())
	}
	if r.Truncated > 0 {
		fmt.Fprintf(w, "... and %d more violations\n", r.Truncated)
	}
	for _, s := range r.Unsettled {
		fmt.Fprintln(w, "unsettled: "+s)
	}
	for _, s := range r.Skipped {
		fmt.Fprintln(w, "skipped: "+s)
	}
	for _, s := range r.Notes {
		fmt.Fprintln(w, "note: "+s)
	}
	fmt.Fprintln(w, r.Summary())
}

// checkOffline checks the data of a stopped server. The search index is
// opened first and read-only: a running server holds its lock, and
// opening the embedded NATS or FerretDB beside it would be unsafe.
func checkOffline(ctx context.Context, cfg Config) (*consistency.Report, error) {
	embedded := cfg.MongoURI == "" || cfg.NATSURL == ""
	if _, err := os.Stat(cfg.DataDir); embedded && errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no data in %s (set SANKOFA_DATA_DIR, or check a running server with --url)", cfg.DataDir)
	}
	dir := filepath.Join(cfg.DataDir, "search")
	ix, err := search.OpenReadOnly(dir)
	var skipped string
	switch {
	case errors.Is(err, search.ErrLocked):
		return nil, fmt.Errorf("the search index in %s is locked: a server is running on this data directory; stop it first, or check it online with --url", dir)
	case sankofa.IsCode(err, sankofa.NotFound):
		skipped = consistency.IndexVersion + ": " + err.Error()
	case err != nil:
		return nil, err
	default:
		defer ix.Close()
	}
	quiet := slog.New(slog.DiscardHandler)
	st, err := store.Open(ctx, store.Config{URI: cfg.MongoURI, Database: cfg.MongoDatabase, DataDir: cfg.DataDir, Logger: quiet})
	if err != nil {
		return nil, err
	}
	defer st.Close(context.WithoutCancel(ctx))
	bus, err := notifier.Open(ctx, notifier.Config{URL: cfg.NATSURL, DataDir: cfg.DataDir, Replicas: int(cfg.NATSReplicas), Logger: quiet})
	if err != nil {
		return nil, err
	}
	defer bus.Close()
	src := consistency.Source{Store: st, Inboxes: st, Bus: bus}
	if ix != nil {
		src.Index = ix
	}
	// This data directory's index follows its own consumer (see
	// followEvents); without a replica id every indexer counts.
	if b, err := os.ReadFile(filepath.Join(cfg.DataDir, "replica-id")); err == nil && len(bytes.TrimSpace(b)) > 0 {
		src.IndexConsumer = consistency.IndexerPrefix + string(bytes.TrimSpace(b))
	}
	r, err := consistency.Check(ctx, src)
	if err != nil {
		return nil, err
	}
	if skipped != "" {
		r.Skipped = []string{skipped} // rather than "no search index to read"
	}
	return r, nil
}

// checkOnline asks the server at base to run the check, as an admin.
func checkOnline(ctx context.Context, base string, wait time.Duration, cfg Config, getenv func(string) string) (*consistency.Report, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--url %q must be an http(s) URL such as http://127.0.0.1:8080", base)
	}
	base = strings.TrimRight(base, "/")
	client := &http.Client{Timeout: wait + 15*time.Minute}
	token := strings.TrimSpace(getenv("SANKOFA_CHECK_TOKEN"))
	if token == "" {
		if cfg.AdminEmail == "" {
			return nil, errors.New("to check a server, set SANKOFA_CHECK_TOKEN to an admin's access token, or SANKOFA_ADMIN_EMAIL and SANKOFA_ADMIN_PASSWORD")
		}
		body, _ := json.Marshal(sankofa.Credentials{Email: cfg.AdminEmail, Password: cfg.AdminPassword})
		var tp api.TokenPair
		if err := call(ctx, client, "POST", base+"/v1/auth/login", "", body, &tp); err != nil {
			return nil, fmt.Errorf("sign in as %s: %w", cfg.AdminEmail, err)
		}
		token = tp.AccessToken
	}
	var r consistency.Report
	if err := call(ctx, client, "GET", base+"/v1/admin/consistency?wait="+url.QueryEscape(wait.String()), token, nil, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// call sends one API request and decodes a 2xx answer into out; any
// other answer is an error carrying the problem's detail.
func call(ctx context.Context, client *http.Client, method, u, token string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, req.URL.Path, err)
	}
	if res.StatusCode/100 != 2 {
		var p api.Problem
		if json.Unmarshal(raw, &p) == nil && (p.Detail != "" || p.Title != "") {
			return fmt.Errorf("%s %s: %d %s: %s", method, req.URL.Path, res.StatusCode, p.Title, p.Detail)
		}
		return fmt.Errorf("%s %s: %s", method, req.URL.Path, res.Status)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("%s %s: decode: %w", method, req.URL.Path, err)
	}
	return nil
}
