package notifier_test

import (
	"context"
	"testing"
	"time"

	"sankofa"
	"sankofa/notifier"
)

// MustOpenNotifier starts an embedded NATS with JetStream in dir.
func MustOpenNotifier(tb testing.TB, dir string) *notifier.Notifier {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	n, err := notifier.Open(ctx, notifier.Config{DataDir: dir})
	if err != nil {
		tb.Fatalf("open notifier: %v", err)
	}
	tb.Cleanup(n.Close)
	return n
}

func TestNotifier_Publish(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	n := MustOpenNotifier(t, dir)
	ev, err := sankofa.NewEvent("profile", "created", "pro_1", 1, "acc_1", time.Now(), map[string]string{"a": "b"})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		if err := n.Publish(ctx, ev); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("DuplicateStoredOnce", func(t *testing.T) {
		if err := n.Publish(ctx, ev); err != nil {
			t.Fatal(err)
		}
		got, err := n.Events(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].ID != "pro_1:1" || got[0].Subject != "sankofa.profile.created" {
			t.Fatalf("events = %+v", got)
		}
	})
	t.Run("SurvivesRestart", func(t *testing.T) {
		n.Close()
		n2 := MustOpenNotifier(t, dir)
		got, err := n2.Events(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			t.Fatalf("after restart %d events, want 1", len(got))
		}
	})
}
