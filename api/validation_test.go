package api_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"sankofa"
)

func fieldNames(p []sankofa.FieldError) []string {
	var out []string
	for _, f := range p {
		out = append(out, f.Field)
	}
	slices.Sort(out)
	return out
}

func TestAssignments_Validation(t *testing.T) {
	e := newEnv(t)
	ghAcc, gh := e.Ministry(t, "GH", false)
	body := func(edit func(map[string]any)) map[string]any {
		var m map[string]any
		b, _ := json.Marshal(e.assignmentInput())
		_ = json.Unmarshal(b, &m)
		edit(m)
		return m
	}
	t.Run("ErrPositionsZero", func(t *testing.T) {
		got := e.do(t, req{Method: "POST", Path: "/v1/assignments", Token: gh, Bad: true, Body: body(func(m map[string]any) { m["positions"] = 0 })})
		if got.Status != 400 || strings.Join(fieldNames(got.Problem(t).Errors), ",") != "positions" {
			t.Fatalf("positions 0: %d %s", got.Status, got.Body)
		}
	})
	t.Run("OKPositionsAbsentMeansOne", func(t *testing.T) {
		var a sankofa.Assignment
		e.must(t, 201, req{Method: "POST", Path: "/v1/assignments", Token: gh, Body: body(func(m map[string]any) { delete(m, "positions") })}).JSON(t, &a)
		if a.Positions != 1 {
			t.Fatalf("positions %d, want 1", a.Positions)
		}
	})
	t.Run("ErrStartInPast", func(t *testing.T) {
		got := e.do(t, req{Method: "POST", Path: "/v1/assignments", Token: gh, Body: body(func(m map[string]any) { m["start"] = string(e.day(-30)) })})
		if got.Status != 400 || strings.Join(fieldNames(got.Problem(t).Errors), ",") != "start" {
			t.Fatalf("start 30 days ago: %d %s", got.Status, got.Body)
		}
	})
	t.Run("ErrPublishStartInPast", func(t *testing.T) {
		var a sankofa.Assignment
		e.must(t, 201, req{Method: "POST", Path: "/v1/assignments", Token: gh, Body: e.assignmentInput()}).JSON(t, &a)
		e.Now.Add(70 * 24 * time.Hour) // started 30 days ago, ends in 30
		defer e.Now.Add(-70 * 24 * time.Hour)
		got := e.do(t, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/publish", Token: e.login(t, ghAcc.Email, testPassword)})
		if got.Status != 400 || strings.Join(fieldNames(got.Problem(t).Errors), ",") != "start" {
			t.Fatalf("publishing an assignment that started 30 days ago: %d %s", got.Status, got.Body)
		}
	})
}

func TestAuth_RegisterReportsEveryField(t *testing.T) {
	e := newEnv(t)
	got := e.do(t, req{Method: "POST", Path: "/v1/auth/register", Bad: true, Body: map[string]any{
		"email": uniqueEmail("x"), "password": testPassword, "name": "X", "role": "doctor", "country": "XX"}})
	if got.Status != 400 || strings.Join(fieldNames(got.Problem(t).Errors), ",") != "country,role" {
		t.Fatalf("%d %s", got.Status, got.Body)
	}
}

// TestProfiles_LargeBodyFewErrors: a body of nearly 1 MiB of bad list items
// gets one error for the list, and never more than 50 in all.
func TestProfiles_LargeBodyFewErrors(t *testing.T) {
	e := newEnv(t)
	_, tok := e.Professional(t)
	in := e.profileInput()
	b, _ := json.Marshal(in)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	many := make([]string, 150000)
	for i := range many {
		many[i] = "x"
	}
	m["modes"] = many
	got := e.do(t, req{Method: "PUT", Path: "/v1/profiles/me", Token: tok, Bad: true, Body: m})
	if got.Status != 400 {
		t.Fatalf("status %d", got.Status)
	}
	if p := got.Problem(t); len(p.Errors) != 1 || p.Errors[0].Field != "modes" {
		t.Fatalf("%d errors: %v", len(p.Errors), fieldNames(p.Errors)[:min(5, len(p.Errors))])
	}
	t.Run("Capped", func(t *testing.T) {
		bad := make([]map[string]any, 60)
		for i := range bad {
			bad[i] = map[string]any{"code": "zz", "level": "Z9"}
		}
		m["modes"] = []string{"onsite"}
		m["languages"] = bad[:15]
		m["licences"] = []map[string]any{{}, {}, {}, {}, {}, {}, {}, {}, {}, {}}
		m["availability"] = make([]map[string]any, 20)
		got := e.do(t, req{Method: "PUT", Path: "/v1/profiles/me", Token: tok, Bad: true, Body: m})
		p := got.Problem(t)
		if len(p.Errors) != sankofa.MaxFieldErrors || !strings.Contains(p.Detail, "more were omitted") {
			t.Fatalf("%d errors, detail %q", len(p.Errors), p.Detail)
		}
	})
}
