package workflow

import (
	"context"
	"sync"
	"testing"
	"time"

	"sankofa"
)

// TestPublisher_BatchesBehindWrites shows the write path of issue 13: a
// write's After returns once the entity is indexed (the writer's next
// search sees it), and the publisher then publishes every event, however
// many writers queued them at once, to JetStream, and acknowledges them;
// when it stops it publishes what is still queued.
func TestPublisher_BatchesBehindWrites(t *testing.T) {
	f := newFixture(t)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); f.flow.Dispatcher().RunPublisher(ctx) }()
	waitFor(t, func() bool { return f.flow.Dispatcher().publishers.Load() == 1 })

	const writers = 40
	var wg sync.WaitGroup
	profiles := make([]*sankofa.Profile, writers)
	for i := range writers {
		wg.Go(func() { profiles[i] = f.worker() })
	}
	wg.Wait()
	// Read your write: each profile is in the index when its After returned.
	indexed := map[string]int64{}
	if err := f.index.Versions(context.Background(), "profiles", func(id string, v int64) error { indexed[id] = v; return nil }); err != nil {
		t.Fatal(err)
	}
	for _, p := range profiles {
		if indexed[p.ID] != 1 {
			t.Fatalf("profile %s not in the index after its write returned", p.ID)
		}
	}
	// Every event (an account and a profile per writer) reaches the stream
	// and leaves the outbox.
	waitFor(t, func() bool {
		evs, err := f.bus.Events(context.Background())
		return err == nil && len(evs) == 2*writers
	})
	waitFor(t, func() bool { return f.store.OutboxStatus().Pending == 0 })

	// Queued events are published when the publisher stops, not dropped.
	extra := f.worker()
	stop()
	<-done
	evs, err := f.bus.Events(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, ev := range evs {
		found = found || ev.ID == extra.ID+":1"
	}
	if !found {
		t.Fatalf("the event of a write queued before the publisher stopped was not published (%d events)", len(evs))
	}
	// With no publisher running, a write publishes its own event.
	last := f.worker()
	evs, _ = f.bus.Events(context.Background())
	if evs[len(evs)-1].ID != last.ID+":1" {
		t.Fatalf("last event %s, want the profile written with no publisher running", evs[len(evs)-1].ID)
	}
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 20 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
