package workflow

import (
	"context"
	"strings"
	"testing"
	"time"

	"sankofa"
	"sankofa/search"
)

// TestMissions_ReportReachesEveryReplica: a report written and published
// through one process's mission operations reaches another process's
// report index from its events alone, and a deletion (as an erasure
// makes) takes it out again.
func TestMissions_ReportReachesEveryReplica(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a, p := f.assignment(1), f.worker()
	o, err := f.flow.Accept(ctx, f.offer(a, p), p.AccountID)
	if err != nil {
		t.Fatal(err)
	}
	end, _ := o.Terms.End.Time()
	now := end.AddDate(0, 0, 3)
	replica := func() (*Missions, *search.Reports) {
		ix, err := search.OpenReports(f.match)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ix.Close() })
		return NewMissions(MissionDeps{Offers: f.store, Reports: f.store, Accounts: f.store, Profiles: f.store, Assignments: f.store,
			OfferIndex: f.index, ReportIndex: ix, Events: f.bus, Matcher: f.match, Now: func() time.Time { return now }}), ix
	}
	writer, _ := replica()
	follower, fix := replica()
	in := sankofa.ReportInput{Objectives: "Former l'équipe à la césarienne.", Activities: "Exercices.", LessonsLearned: "Une salle.",
		Language: "fr", Tags: []string{"césarienne"}}
	if _, err := writer.CreateReport(ctx, o, p.AccountID, in); err != nil {
		t.Fatal(err)
	}
	if _, err := writer.Consent(ctx, o, p.AccountID, true); err != nil {
		t.Fatal(err)
	}
	r, err := writer.Consent(ctx, o, a.MinistryID, true)
	if err != nil || r.Status != sankofa.ReportPublished {
		t.Fatalf("after both consents: %v, %v", r, err)
	}
	found := func() []string {
		hits, err := fix.Search(ctx, sankofa.ReportQuery{Q: "cesariana"})
		if err != nil {
			t.Fatal(err)
		}
		return hits.IDs
	}
	follow := func() {
		evs, err := f.bus.Events(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range evs {
			if strings.HasPrefix(ev.Subject, "sankofa.report.") {
				if err := follower.ApplyEvent(ev); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if got := found(); len(got) != 0 {
		t.Fatalf("the follower found %v before any event", got)
	}
	follow()
	if got := found(); len(got) != 1 || got[0] != r.ID {
		t.Fatalf("the follower found %v, want the published report", got)
	}
	ev, err := sankofa.NewEvent("report", "deleted", r.ID, r.Version+1, "", now, map[string]string{"id": r.ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.bus.Publish(ctx, ev); err != nil {
		t.Fatal(err)
	}
	follow() // every event again, as a redelivery would: the deletion stays
	if got := found(); len(got) != 0 {
		t.Errorf("the follower still finds %v after the deletion", got)
	}
}
