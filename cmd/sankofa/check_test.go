package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"sankofa"
	"sankofa/store"
)

// checkRun runs `sankofa check args...` and returns its output and exit
// status as main would set it.
func checkRun(t *testing.T, getenv func(string) string, args ...string) (string, int) {
	t.Helper()
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	err := run(ctx, append([]string{"check"}, args...), getenv, &out)
	var ee *exitError
	var ue *usageError
	switch {
	case err == nil:
		return out.String(), 0
	case errors.As(err, &ee):
		return out.String() + err.Error(), ee.code
	case errors.As(err, &ue):
		return err.Error(), 2
	}
	t.Fatalf("check: %v (%T)", err, err)
	return "", 0
}

// TestCheck_OnlineAndOffline runs the server in process, checks it online,
// sees the offline check refuse a running server, then checks its data
// offline once it stopped, before and after planting a break.
func TestCheck_OnlineAndOffline(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"SANKOFA_DATA_DIR": dir, "SANKOFA_ADMIN_EMAIL": "root@example.org", "SANKOFA_ADMIN_PASSWORD": "root-password-1"}
	getenv := env(vars)
	cfg, err := LoadConfig(getenv)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Addr = "127.0.0.1:0"
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	url, done := startServe(t, ctx, cfg)

	t.Run("Online", func(t *testing.T) {
		out, code := checkRun(t, getenv, "--url", url, "--wait", "30s")
		if code != 0 || !strings.Contains(out, "consistent: 1 accounts") {
			t.Fatalf("exit %d:\n%s", code, out)
		}
	})
	t.Run("OnlineJSON", func(t *testing.T) {
		out, code := checkRun(t, getenv, "--url", url, "--json")
		if code != 0 || !strings.Contains(out, `"settled": true`) || !strings.Contains(out, `"violations": []`) {
			t.Fatalf("exit %d:\n%s", code, out)
		}
	})
	t.Run("OnlineErrBadToken", func(t *testing.T) {
		out, code := checkRun(t, env(map[string]string{"SANKOFA_CHECK_TOKEN": "not-a-jwt"}), "--url", url)
		if code != 2 || !strings.Contains(out, "401") {
			t.Fatalf("exit %d:\n%s", code, out)
		}
	})
	t.Run("OfflineErrServerRunning", func(t *testing.T) {
		out, code := checkRun(t, getenv)
		if code != 2 || !strings.Contains(out, "a server is running") {
			t.Fatalf("exit %d:\n%s", code, out)
		}
	})
	t.Run("ErrBadFlags", func(t *testing.T) {
		for _, args := range [][]string{{"--wait", "2h", "--url", url}, {"--frobnicate"}, {"now"}} {
			if out, code := checkRun(t, getenv, args...); code != 2 {
				t.Errorf("%v: exit %d: %s", args, code, out)
			}
		}
	})

	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	t.Run("Offline", func(t *testing.T) {
		out, code := checkRun(t, getenv)
		if code != 0 || !strings.Contains(out, "consistent: 1 accounts") {
			t.Fatalf("exit %d:\n%s", code, out)
		}
	})
	// A write that reached the store and its outbox but never the bus:
	// the check is not settled, which is not a violation.
	adminID := plantAccountWrite(t, cfg, false)
	t.Run("OfflineNotSettled", func(t *testing.T) {
		out, code := checkRun(t, getenv)
		if code != 3 || !strings.Contains(out, "unsettled: 1 events not yet published") || !strings.Contains(out, adminID+":2") {
			t.Fatalf("exit %d:\n%s", code, out)
		}
	})
	// Acknowledged without being published: the index never hears of it.
	plantAccountWrite(t, cfg, true)
	t.Run("OfflineViolation", func(t *testing.T) {
		out, code := checkRun(t, getenv)
		want := "index-version: the accounts index holds version 1, the store 3 (" + adminID + ")"
		if code != 1 || !strings.Contains(out, want) || !strings.Contains(out, "1 violations over") {
			t.Fatalf("exit %d, want 1 and %q:\n%s", code, want, out)
		}
	})
}

// plantAccountWrite bumps the admin account's version in the store of a
// stopped server, acknowledging the event without publishing it when
// ack, and returns the account id.
func plantAccountWrite(t *testing.T, cfg Config, ack bool) string {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{DataDir: cfg.DataDir, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(ctx)
	a, err := st.AccountByEmail(ctx, cfg.AdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	a.Name += "!"
	a.Version++
	ev, err := sankofa.NewEvent("account", "updated", a.ID, a.Version, "", time.Now(), a)
	if err != nil {
		t.Fatal(err)
	}
	pe, err := st.UpdateAccount(ctx, a, ev)
	if err != nil {
		t.Fatal(err)
	}
	if ack {
		// The earlier event too: both are taken as published.
		if err := errors.Join(st.Ack(ctx, pe), ackAll(ctx, st)); err != nil {
			t.Fatal(err)
		}
	}
	return a.ID
}

// ackAll acknowledges every event left in an outbox, as if published.
func ackAll(ctx context.Context, st *store.Store) error {
	var pending []sankofa.Event
	if err := st.EachUnpublished(ctx, func(ev sankofa.Event) error { pending = append(pending, ev); return nil }); err != nil {
		return err
	}
	for _, ev := range pending {
		if err := st.Ack(ctx, sankofa.PendingEvent{ID: ev.ID, Event: ev}); err != nil {
			return err
		}
	}
	return nil
}
