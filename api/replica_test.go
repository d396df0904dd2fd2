package api_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"sankofa"
	"sankofa/matcher"
	"sankofa/search"
)

// TestIndex_FollowsEventsOnOtherReplica shows a second replica's index,
// fed only by its durable JetStream consumer, catching up with writes made
// on the first replica, and resuming after a restart of the consumer.
func TestIndex_FollowsEventsOnOtherReplica(t *testing.T) {
	e := newEnv(t)
	other, err := search.Open(t.TempDir(), matcher.New(matcher.Default()))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	follow := func() context.CancelFunc {
		ctx, cancel := context.WithCancel(context.Background())
		go e.Bus.Consume(ctx, "indexer-test-b", other.Apply)
		return cancel
	}
	stop := follow()
	_, gh := e.Ministry(t, "GH", false)
	var a sankofa.Assignment
	e.must(t, 201, req{Method: "POST", Path: "/v1/assignments", Token: gh, Body: e.assignmentInput()}).JSON(t, &a)
	e.must(t, 200, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/publish", Token: gh})
	waitFor(t, "the published assignment on the other replica", func() bool {
		p, err := other.Assignments(context.Background(), sankofa.AssignmentFilter{})
		return err == nil && slices.Contains(p.IDs, a.ID)
	})

	stop() // the other replica goes down...
	acc, tok := e.Professional(t)
	e.must(t, 201, req{Method: "PUT", Path: "/v1/profiles/me", Token: tok, Body: e.profileInput()})
	e.must(t, 204, req{Method: "DELETE", Path: "/v1/profiles/me", Token: tok})
	e.must(t, 201, req{Method: "PUT", Path: "/v1/profiles/me", Token: tok, Body: e.profileInput()})
	defer follow()() // ...and comes back: it catches up from where it stopped
	waitFor(t, "the re-created profile on the other replica", func() bool {
		res, err := other.SearchProfiles(context.Background(), sankofa.ProfileQuery{})
		return err == nil && len(res.Profiles) == 1 && res.Profiles[0].AccountID == acc.ID && res.Profiles[0].Version == 3
	})
}

// waitFor polls cond for up to 20 s; the bound only stops a hung test.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
