package api_test

import (
	"context"
	"testing"

	"sankofa"
	"sankofa/consistency"
)

func TestConsistency_Endpoint(t *testing.T) {
	e := newEnv(t)
	_, ghTok := e.Ministry(t, "GH", false)
	a := e.publishedAssignment(t, ghTok, func(in *sankofa.AssignmentInput) { in.Positions = 1 })
	ama, amaTok := e.worker(t, func(*sankofa.ProfileInput) {})
	kofi, _ := e.worker(t, func(*sankofa.ProfileInput) {})
	o := e.offer(t, ghTok, a.ID, ama, 201)
	e.offer(t, ghTok, a.ID, kofi, 201) // withdrawn when ama fills the one position
	e.must(t, 200, req{Method: "POST", Path: "/v1/offers/" + o.ID + "/accept", Token: amaTok})
	check := func(t *testing.T) consistency.Report {
		t.Helper()
		var r consistency.Report
		e.must(t, 200, req{Method: "GET", Path: "/v1/admin/consistency?wait=30s", Token: e.Admin(t)}).JSON(t, &r)
		return r
	}

	t.Run("Clean", func(t *testing.T) {
		r := check(t)
		if !r.Clean() {
			t.Fatalf("settled %v %v, violations %v", r.Settled, r.Unsettled, r.Violations)
		}
		if r.Counts.Offers != 2 || r.Counts.Assignments != 1 || r.Counts.HandledEvents == 0 {
			t.Errorf("counts %+v", r.Counts)
		}
	})
	t.Run("Violation", func(t *testing.T) {
		ctx := context.Background()
		stored, err := e.Store.Assignment(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		stored.Filled, stored.AcceptedOffers, stored.Version = 0, nil, stored.Version+1
		ev, err := sankofa.NewEvent("assignment", "updated", a.ID, stored.Version, "", e.Now.Now(), stored)
		if err != nil {
			t.Fatal(err)
		}
		pe, err := e.Store.UpdateAssignment(ctx, stored, ev)
		if err != nil {
			t.Fatal(err)
		}
		// Published and indexed, as the server would: only the count is wrong.
		if err := e.Bus.Publish(ctx, ev); err != nil {
			t.Fatal(err)
		}
		if err := e.Store.Ack(ctx, pe); err != nil {
			t.Fatal(err)
		}
		if err := e.Index.IndexAssignment(stored); err != nil {
			t.Fatal(err)
		}
		r := check(t)
		if !r.Settled || len(r.Violations) == 0 {
			t.Fatalf("settled %v %v, violations %v", r.Settled, r.Unsettled, r.Violations)
		}
		for _, v := range r.Violations {
			if v.Invariant != consistency.Filled {
				t.Errorf("unexpected violation %s", v)
			}
		}
	})
	t.Run("Refusals", func(t *testing.T) {
		e.must(t, 401, req{Method: "GET", Path: "/v1/admin/consistency"})
		e.must(t, 403, req{Method: "GET", Path: "/v1/admin/consistency", Token: amaTok})
		e.must(t, 403, req{Method: "GET", Path: "/v1/admin/consistency", Token: ghTok})
		for _, bad := range []string{"2h", "soon", "-1s"} {
			got := e.must(t, 400, req{Method: "GET", Path: "/v1/admin/consistency?wait=" + bad, Token: e.Admin(t), Bad: true})
			if p := got.Problem(t); len(p.Errors) != 1 || p.Errors[0].Field != "wait" {
				t.Errorf("wait=%s: %+v", bad, p)
			}
		}
	})
}
