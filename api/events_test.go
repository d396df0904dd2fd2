package api_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"sankofa"
)

func eventIDs(t *testing.T, e *env) []string {
	t.Helper()
	evs, err := e.Bus.Events(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(evs))
	for i, ev := range evs {
		ids[i] = ev.Subject + " " + ev.ID
	}
	return ids
}

func TestEvents_Published(t *testing.T) {
	e := newEnv(t)
	acc, token := e.Professional(t)
	_, gh := e.Ministry(t, "GH", false)
	id := sankofa.ProfileIDFor(acc.ID)
	e.must(t, 201, req{Method: "PUT", Path: "/v1/profiles/me", Token: token, Body: e.profileInput()})
	e.must(t, 200, req{Method: "PATCH", Path: "/v1/profiles/me", Token: token, Body: map[string]any{"bio": "x"}, Header: map[string]string{"If-Match": `"v1"`}})
	e.must(t, 204, req{Method: "DELETE", Path: "/v1/profiles/me", Token: token})
	var a sankofa.Assignment
	e.must(t, 201, req{Method: "POST", Path: "/v1/assignments", Token: gh, Body: e.assignmentInput()}).JSON(t, &a)
	e.must(t, 200, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/publish", Token: gh})
	got := eventIDs(t, e)
	for _, want := range []string{
		"sankofa.account.created " + acc.ID + ":1",
		"sankofa.profile.created " + id + ":1",
		"sankofa.profile.updated " + id + ":2",
		"sankofa.profile.deleted " + id + ":3",
		"sankofa.assignment.created " + a.ID + ":1",
		"sankofa.assignment.published " + a.ID + ":2",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("stream lacks %q; it holds %v", want, got)
		}
	}
	if left, _ := e.Store.Recover(context.Background(), 0); len(left) != 0 {
		t.Errorf("%d events still in the outbox after they were published", len(left))
	}
}

// TestEvents_SurviveDeadPublishPath kills NATS before a write: the write is
// acknowledged, its event waits in the outbox, and after a restart the
// relay publishes it and indexes the profile.
func TestEvents_SurviveDeadPublishPath(t *testing.T) {
	dir := t.TempDir()
	e := openEnv(t, dir)
	acc, token := e.Professional(t)
	_, gh := e.Ministry(t, "GH", false)
	e.Bus.Close() // the publish path dies
	var p sankofa.Profile
	e.must(t, 201, req{Method: "PUT", Path: "/v1/profiles/me", Token: token, Body: e.profileInput()}).JSON(t, &p)
	var a sankofa.Assignment
	e.must(t, 201, req{Method: "POST", Path: "/v1/assignments", Token: gh, Body: e.assignmentInput()}).JSON(t, &a)
	e.Close()

	e = openEnv(t, dir)
	if slices.Contains(eventIDs(t, e), "sankofa.profile.created "+p.ID+":1") {
		t.Fatal("the event cannot be in the stream before the relay ran")
	}
	n, err := e.Server.Dispatcher().Redispatch(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("relay re-sent %d events, want 2", n)
	}
	got := eventIDs(t, e)
	for _, want := range []string{"sankofa.profile.created " + p.ID + ":1", "sankofa.assignment.created " + a.ID + ":1"} {
		if !slices.Contains(got, want) {
			t.Errorf("after restart the stream lacks %q: %v", want, got)
		}
	}
	t.Run("RelayIsIdempotent", func(t *testing.T) {
		if n, _ := e.Server.Dispatcher().Redispatch(context.Background(), 0); n != 0 {
			t.Errorf("a second pass re-sent %d", n)
		}
		if len(eventIDs(t, e)) != len(got) {
			t.Error("a second pass duplicated events")
		}
	})
	t.Run("IndexCaughtUp", func(t *testing.T) {
		if _, err := e.Store.Account(context.Background(), acc.ID); err != nil {
			t.Fatal(err)
		}
		page, err := e.Index.Assignments(context.Background(), sankofa.AssignmentFilter{All: true})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(page.IDs, a.ID) {
			t.Errorf("the assignment written while NATS was down is not searchable: %v", page.IDs)
		}
	})
}

// TestEvents_GraceProtectsInFlightWrites shows that the periodic relay
// leaves young outbox entries to their writers.
func TestEvents_GraceProtectsInFlightWrites(t *testing.T) {
	e := newEnv(t)
	e.Bus.Close()
	_, token := e.Professional(t)
	e.must(t, 201, req{Method: "PUT", Path: "/v1/profiles/me", Token: token, Body: e.profileInput()})
	left, err := e.Store.Recover(context.Background(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Fatalf("entries younger than the grace period were returned: %d", len(left))
	}
}
