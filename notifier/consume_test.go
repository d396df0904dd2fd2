package notifier_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"sankofa"
	"sankofa/notifier"
)

// TestConsume_RetryThenDeadLetter shows a transient failure retried until
// it succeeds, and a permanent one moved to the dead-letter stream at
// once, where an admin can list it; neither blocks the events after it.
func TestConsume_RetryThenDeadLetter(t *testing.T) {
	n := MustOpenNotifier(t, t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for i := range 3 {
		ev, err := sankofa.NewEvent("offer", "created", fmt.Sprintf("of_%d", i), 1, "", time.Now(), map[string]int{"i": i})
		if err != nil {
			t.Fatal(err)
		}
		if err := n.Publish(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	calls := map[string]int{}
	done := map[string]bool{}
	go n.Consume(ctx, "test", func(_ context.Context, ev sankofa.Event) error {
		mu.Lock()
		defer mu.Unlock()
		calls[ev.EntityID]++
		switch {
		case ev.EntityID == "of_0" && calls[ev.EntityID] == 1:
			return errors.New("the database blinked")
		case ev.EntityID == "of_1":
			return fmt.Errorf("%w: this event can never be handled", notifier.ErrPermanent)
		}
		done[ev.EntityID] = true
		return nil
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		ok := done["of_0"] && done["of_2"]
		mu.Unlock()
		dead, err := n.DeadLetters(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if ok && len(dead) == 1 {
			if dead[0].Consumer != "test" || dead[0].Deliveries != 1 || !strings.Contains(string(dead[0].Event), "of_1") {
				t.Errorf("dead letter = %+v", dead[0])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("handled %v after %v calls; dead letters %+v", done, calls, dead)
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if calls["of_0"] != 2 || calls["of_1"] != 1 || calls["of_2"] != 1 {
		t.Errorf("calls = %v; want of_0 twice (one retry), the others once", calls)
	}
}
