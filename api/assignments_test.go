package api_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sankofa"
)

type assignmentList struct {
	Items      []sankofa.Assignment `json:"items"`
	NextCursor *string              `json:"next_cursor"`
}

func TestAssignments_Lifecycle(t *testing.T) {
	e := newEnv(t)
	gh, ghTok := e.Ministry(t, "GH", false)
	_, ngTok := e.Ministry(t, "NG", false)
	_, proTok := e.Professional(t)

	var a sankofa.Assignment
	created := e.must(t, 201, req{Method: "POST", Path: "/v1/assignments", Token: ghTok, Body: e.assignmentInput()})
	created.JSON(t, &a)
	t.Run("CreatedAsDraftInOwnCountry", func(t *testing.T) {
		if a.Status != sankofa.AssignmentDraft || a.Country != "GH" || a.MinistryID != gh.ID || a.Positions != 2 {
			t.Fatalf("assignment %+v", a)
		}
		if created.Header.Get("Location") != "/v1/assignments/"+a.ID || created.Header.Get("ETag") != `"v1"` {
			t.Errorf("headers %v", created.Header)
		}
	})
	t.Run("DraftHiddenFromOthers", func(t *testing.T) {
		e.must(t, 200, req{Method: "GET", Path: "/v1/assignments/" + a.ID, Token: ghTok})
		e.must(t, 404, req{Method: "GET", Path: "/v1/assignments/" + a.ID, Token: ngTok})
		e.must(t, 404, req{Method: "GET", Path: "/v1/assignments/" + a.ID, Token: proTok})
		e.must(t, 200, req{Method: "GET", Path: "/v1/assignments/" + a.ID, Token: e.Admin(t)})
	})
	t.Run("Patch", func(t *testing.T) {
		e.must(t, 428, req{Method: "PATCH", Path: "/v1/assignments/" + a.ID, Token: ghTok, Body: map[string]any{"positions": 3}, Bad: true})
		var got sankofa.Assignment
		e.must(t, 200, req{Method: "PATCH", Path: "/v1/assignments/" + a.ID, Token: ghTok, Body: map[string]any{"positions": 3, "mode": "hybrid", "virtual_hours_per_week": 5},
			Header: map[string]string{"If-Match": `"v1"`}}).JSON(t, &got)
		if got.Positions != 3 || got.Mode != sankofa.ModeHybrid || got.Title != a.Title || got.Version != 2 {
			t.Fatalf("patched %+v", got)
		}
		bad := e.do(t, req{Method: "PATCH", Path: "/v1/assignments/" + a.ID, Token: ghTok, Body: map[string]any{"mode": "virtual", "virtual_hours_per_week": 0},
			Header: map[string]string{"If-Match": `"v2"`}})
		if bad.Status != 400 || bad.Problem(t).Errors[0].Field != "virtual_hours_per_week" {
			t.Fatalf("status %d %s", bad.Status, bad.Body)
		}
		e.must(t, 403, req{Method: "PATCH", Path: "/v1/assignments/" + a.ID, Token: e.Admin(t), Body: map[string]any{"positions": 1},
			Header: map[string]string{"If-Match": `"v2"`}})
	})
	t.Run("Publish", func(t *testing.T) {
		var got sankofa.Assignment
		e.must(t, 200, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/publish", Token: ghTok}).JSON(t, &got)
		if got.Status != sankofa.AssignmentOpen {
			t.Fatalf("status %s", got.Status)
		}
		if p := e.do(t, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/publish", Token: ghTok}); p.Status != 409 || p.Problem(t).Code != "conflict" {
			t.Fatalf("publishing twice: %d", p.Status)
		}
		e.must(t, 200, req{Method: "GET", Path: "/v1/assignments/" + a.ID, Token: proTok})
		e.must(t, 403, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/close", Token: ngTok})
	})
	t.Run("CancelThenFrozen", func(t *testing.T) {
		e.must(t, 412, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/cancel", Token: ghTok, Header: map[string]string{"If-Match": `"v1"`}})
		e.must(t, 200, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/cancel", Token: ghTok, Header: map[string]string{"If-Match": `"v3"`}})
		e.must(t, 409, req{Method: "PATCH", Path: "/v1/assignments/" + a.ID, Token: ghTok, Body: map[string]any{"positions": 1},
			Header: map[string]string{"If-Match": `"v4"`}})
		e.must(t, 409, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/close", Token: ghTok})
	})
	t.Run("ErrProfessionalCannotPost", func(t *testing.T) {
		e.must(t, 403, req{Method: "POST", Path: "/v1/assignments", Token: proTok, Body: e.assignmentInput()})
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		in := e.assignmentInput()
		in.End = e.day(-1)
		in.Start = e.day(-10)
		got := e.do(t, req{Method: "POST", Path: "/v1/assignments", Token: ghTok, Body: in})
		if got.Status != 400 || got.Problem(t).Errors[0].Field != "end" {
			t.Fatalf("status %d %s", got.Status, got.Body)
		}
	})
}

func TestAssignments_List(t *testing.T) {
	e := newEnv(t)
	_, gh := e.Ministry(t, "GH", false)
	_, ng := e.Ministry(t, "NG", false)
	_, pro := e.Professional(t)
	var open, drafts []string
	var ngDraft string
	for i := range 7 {
		in := e.assignmentInput()
		in.Title = fmt.Sprintf("Assignment %d", i)
		if i%2 == 1 {
			in.Mode, in.VirtualHoursPerWeek, in.Profession = sankofa.ModeVirtual, 4, "2212"
		}
		in.Start = e.day(10 + i)
		tok := gh
		if i == 6 {
			tok = ng
		}
		var a sankofa.Assignment
		e.must(t, 201, req{Method: "POST", Path: "/v1/assignments", Token: tok, Body: in}).JSON(t, &a)
		if i < 5 {
			e.must(t, 200, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/publish", Token: tok})
			open = append([]string{a.ID}, open...)
		} else if i == 5 {
			drafts = append(drafts, a.ID)
		} else {
			ngDraft = a.ID
		}
	}
	ids := func(t *testing.T, token, query string) []string {
		var out []string
		path := "/v1/assignments?" + query
		for range 20 {
			var l assignmentList
			e.must(t, 200, req{Method: "GET", Path: path, Token: token}).JSON(t, &l)
			for _, a := range l.Items {
				out = append(out, a.ID)
			}
			if l.NextCursor == nil {
				return out
			}
			path = "/v1/assignments?" + query + "&cursor=" + *l.NextCursor
		}
		t.Fatal("pagination does not end")
		return nil
	}
	tests := []struct {
		name, token, query string
		want               []string
	}{
		{"ProfessionalSeesOpen", pro, "limit=2", open},
		{"MinistrySeesOwnDrafts", gh, "limit=3", append(drafts, open...)},
		{"OtherMinistrySeesOnlyItsDrafts", ng, "status=draft", []string{ngDraft}},
		{"FilterMode", pro, "mode=virtual", []string{open[1], open[3]}},
		{"FilterProfession", pro, "profession=2212&limit=1", []string{open[1], open[3]}},
		{"FilterCountry", pro, "country=NG", nil},
		{"StartsAfter", pro, "starts_after=" + string(e.day(12)), open[:2]},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, ids(t, tc.token, tc.query)); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("ErrBadQuery", func(t *testing.T) {
		for _, q := range []string{"limit=0", "limit=101", "limit=x", "mode=boat", "country=XX", "starts_after=tomorrow", "status=gone", "profession=1"} {
			got := e.do(t, req{Method: "GET", Path: "/v1/assignments?" + q, Token: pro, Bad: true})
			if got.Status != 400 {
				t.Errorf("%s: status %d, want 400", q, got.Status)
			}
		}
	})
}

func TestIdempotency(t *testing.T) {
	e := newEnv(t)
	_, gh := e.Ministry(t, "GH", false)
	in := e.assignmentInput()
	post := func(t *testing.T, key string, body any) resp {
		return e.do(t, req{Method: "POST", Path: "/v1/assignments", Token: gh, Body: body, Header: map[string]string{"Idempotency-Key": key}})
	}
	first := post(t, "k-1", in)
	if first.Status != 201 {
		t.Fatalf("status %d %s", first.Status, first.Body)
	}
	t.Run("RetryReplays", func(t *testing.T) {
		again := post(t, "k-1", in)
		if again.Status != 201 || string(again.Body) != string(first.Body) || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("replay: %d %s", again.Status, again.Header)
		}
		if again.Header.Get("Location") != first.Header.Get("Location") {
			t.Error("the replay must carry the same Location")
		}
		var l assignmentList
		e.must(t, 200, req{Method: "GET", Path: "/v1/assignments", Token: gh}).JSON(t, &l)
		if len(l.Items) != 1 {
			t.Fatalf("%d assignments after a retry, want 1", len(l.Items))
		}
	})
	t.Run("ErrOtherBody", func(t *testing.T) {
		other := in
		other.Title = "Something else"
		got := post(t, "k-1", other)
		if got.Status != 422 || got.Problem(t).Code != "unprocessable" {
			t.Fatalf("status %d %s", got.Status, got.Body)
		}
	})
	t.Run("FailedRequestIsNotRecorded", func(t *testing.T) {
		bad := in
		bad.Title = ""
		if got := post(t, "k-2", bad); got.Status != 400 {
			t.Fatalf("status %d", got.Status)
		}
		if got := post(t, "k-2", in); got.Status != 201 {
			t.Fatalf("after a failed first try the key is free: %d %s", got.Status, got.Body)
		}
	})
	t.Run("KeysArePerCaller", func(t *testing.T) {
		_, other := e.Ministry(t, "GH", false)
		got := e.do(t, req{Method: "POST", Path: "/v1/assignments", Token: other, Body: in, Header: map[string]string{"Idempotency-Key": "k-1"}})
		if got.Status != 201 || got.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("another caller's key must not replay: %d", got.Status)
		}
	})
	t.Run("Register", func(t *testing.T) {
		body := sankofa.Registration{Email: uniqueEmail("idem"), Password: testPassword, Name: "A", Role: sankofa.RoleProfessional}
		r := req{Method: "POST", Path: "/v1/auth/register", Body: body, Header: map[string]string{"Idempotency-Key": "reg-1"}}
		a, b := e.do(t, r), e.do(t, r)
		if a.Status != 201 || b.Status != 201 || string(a.Body) != string(b.Body) {
			t.Fatalf("register retry: %d then %d", a.Status, b.Status)
		}
	})
}
