package api_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"sankofa"
	"sankofa/notifier"
	"sankofa/supervise"
)

// statusDoc is GET /v1/admin/status as the console reads it.
type statusDoc struct {
	Ready  bool      `json:"ready"`
	Time   time.Time `json:"time"`
	Checks []struct {
		Name  string `json:"name"`
		OK    bool   `json:"ok"`
		Error string `json:"error"`
	} `json:"checks"`
	Workers   []sankofa.WorkerStatus `json:"workers"`
	Consumers struct {
		Items []sankofa.ConsumerStatus `json:"items"`
		Error string                   `json:"error"`
	} `json:"consumers"`
	Outbox struct {
		Pending          int     `json:"pending"`
		OldestAgeSeconds float64 `json:"oldest_age_seconds"`
		Error            string  `json:"error"`
	} `json:"outbox"`
	Index struct {
		Documents     uint64     `json:"documents"`
		LastAppliedAt *time.Time `json:"last_applied_at"`
		AgeSeconds    float64    `json:"age_seconds"`
		Error         string     `json:"error"`
	} `json:"index"`
	DeadLetters struct {
		Count uint64 `json:"count"`
		Error string `json:"error"`
	} `json:"dead_letters"`
	Erasures struct {
		Pending int    `json:"pending"`
		Error   string `json:"error"`
	} `json:"erasures"`
}

func (e *env) status(t *testing.T) statusDoc {
	t.Helper()
	var st statusDoc
	e.must(t, 200, req{Method: "GET", Path: "/v1/admin/status", Token: e.Admin(t)}).JSON(t, &st)
	return st
}

func (st statusDoc) consumer(name string) (sankofa.ConsumerStatus, bool) {
	i := slices.IndexFunc(st.Consumers.Items, func(c sankofa.ConsumerStatus) bool { return c.Name == name })
	if i < 0 {
		return sankofa.ConsumerStatus{}, false
	}
	return st.Consumers.Items[i], true
}

// superviseIndexer runs this env's indexer consumer, and a consumer that
// gives up on every account event, under a supervisor that /readyz and
// the status page see, as `serve` does.
func superviseIndexer(t *testing.T, e *env) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	sup := supervise.New(supervise.Config{})
	t.Cleanup(func() { cancel(); sup.Wait() })
	sup.Go(ctx, "indexer-test", func(ctx context.Context) error { return e.Bus.Consume(ctx, "indexer-test", e.Index.Apply) })
	sup.Go(ctx, "doomed", func(ctx context.Context) error {
		return e.Bus.Consume(ctx, "doomed", func(_ context.Context, ev sankofa.Event) error {
			if ev.Subject == "sankofa.account.created" {
				return fmt.Errorf("test refuses %s: %w", ev.EntityID, notifier.ErrPermanent)
			}
			return nil
		})
	})
	e.Server.SetReady("workers", sup)
}

func TestAdminStatus(t *testing.T) {
	e := newEnv(t)
	superviseIndexer(t, e)
	pro, _ := e.Professional(t)

	// The consumers catch up in the background: wait until every event
	// is applied and the professional's creation is a dead letter.
	var st statusDoc
	eventually(t, "the consumers did not catch up", func() bool {
		st = e.status(t)
		for _, name := range []string{"workflow", "notify", "webhooks", "indexer-test", "doomed"} {
			c, ok := st.consumer(name)
			if !ok || c.Pending != 0 || c.AckPending != 0 {
				return false
			}
		}
		return st.DeadLetters.Count >= 1 // doomed gave up on the professional's creation
	})

	t.Run("OK", func(t *testing.T) {
		if !st.Ready {
			t.Errorf("ready = false: %+v", st.Checks)
		}
		var names []string
		for _, c := range st.Checks {
			names = append(names, c.Name)
			if !c.OK || c.Error != "" {
				t.Errorf("check %s failed: %q", c.Name, c.Error)
			}
		}
		if want := []string{"mongodb", "nats", "workers"}; !slices.Equal(names, want) {
			t.Errorf("checks %v, want %v", names, want)
		}
		if len(st.Workers) != 2 || st.Workers[0].Name != "doomed" || st.Workers[1].Name != "indexer-test" ||
			!st.Workers[0].Running || !st.Workers[1].Running || st.Workers[0].Restarts != 0 {
			t.Errorf("workers %+v, want doomed and indexer-test running", st.Workers)
		}
		if st.Consumers.Error != "" || st.Outbox.Error != "" || st.Index.Error != "" || st.DeadLetters.Error != "" {
			t.Errorf("a part failed: consumers %q, outbox %q, index %q, dead letters %q",
				st.Consumers.Error, st.Outbox.Error, st.Index.Error, st.DeadLetters.Error)
		}
		if c, _ := st.consumer("indexer-test"); c.LastActive == nil {
			t.Error("indexer-test has no last_active after taking events")
		}
		// Published events are acknowledged in the outbox as they go.
		if st.Outbox.Pending != 0 || st.Outbox.OldestAgeSeconds != 0 {
			t.Errorf("outbox %+v, want empty", st.Outbox)
		}
		if st.Index.Documents < 2 {
			t.Errorf("index documents = %d, want at least the two accounts", st.Index.Documents)
		}
		if st.Index.LastAppliedAt == nil || st.Index.LastAppliedAt.Before(pro.CreatedAt.Add(-time.Second)) {
			t.Errorf("index last_applied_at = %v, want at least the professional's creation %v", st.Index.LastAppliedAt, pro.CreatedAt)
		}
		if st.Index.AgeSeconds != 0 {
			t.Errorf("index age = %v s, want 0 once caught up", st.Index.AgeSeconds)
		}
	})

	t.Run("DeadLetters", func(t *testing.T) {
		type letter struct {
			Consumer   string    `json:"consumer"`
			Subject    string    `json:"subject"`
			EventType  string    `json:"event_type"`
			EntityID   string    `json:"entity_id"`
			EventID    string    `json:"event_id"`
			Error      string    `json:"error"`
			Deliveries int       `json:"deliveries"`
			FailedAt   time.Time `json:"failed_at"`
		}
		var dl struct {
			Items []letter `json:"items"`
		}
		e.must(t, 200, req{Method: "GET", Path: "/v1/admin/dead-letters", Token: e.Admin(t)}).JSON(t, &dl)
		i := slices.IndexFunc(dl.Items, func(d letter) bool { return d.EntityID == pro.ID })
		if i < 0 {
			t.Fatalf("no dead letter of %s in %+v", pro.ID, dl.Items)
		}
		d := dl.Items[i]
		if d.Consumer != "doomed" || d.Subject != "sankofa.account.created" || d.EventType != "account.created" ||
			d.EventID != pro.ID+":1" || d.Deliveries != 1 || d.FailedAt.IsZero() || d.Error == "" {
			t.Errorf("dead letter %+v", d)
		}
	})
}

func TestAdminStatus_NATSDown(t *testing.T) {
	e := newEnv(t)
	e.Professional(t)
	e.Admin(t) // signs in while the bus runs
	e.Bus.Close()

	st := e.status(t)
	if st.Ready {
		t.Error("ready with the event bus down")
	}
	for _, c := range st.Checks {
		if ok := c.Name != "nats"; c.OK != ok || (c.Error == "") != ok {
			t.Errorf("check %s: ok %v, error %q", c.Name, c.OK, c.Error)
		}
	}
	if st.Consumers.Error == "" || len(st.Consumers.Items) != 0 {
		t.Errorf("consumers %+v, want an error and no items", st.Consumers)
	}
	if st.DeadLetters.Error == "" {
		t.Error("dead letters: no error with the event bus down")
	}
	// What does not need the bus is still there.
	if st.Index.Error == "" || st.Index.Documents < 2 {
		t.Errorf("index %+v, want the documents and an error about the indexer's progress", st.Index)
	}
	if st.Outbox.Error != "" {
		t.Errorf("outbox error %q", st.Outbox.Error)
	}
}
