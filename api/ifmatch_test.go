package api_test

import (
	"strings"
	"testing"
)

// TestIfMatch_Malformed: an unquoted ETag is a 400 that says how to quote
// it, not a 412 claiming the resource changed.
func TestIfMatch_Malformed(t *testing.T) {
	e := newEnv(t)
	_, tok := e.Professional(t)
	for _, h := range []string{"v1", `"v1`, "W/v1", `"v9", v1`} {
		t.Run(h, func(t *testing.T) {
			got := e.do(t, req{Method: "PATCH", Path: "/v1/me", Token: tok, Body: map[string]any{"name": "Ama"}, Header: map[string]string{"If-Match": h}, Bad: true})
			if got.Status != 400 {
				t.Fatalf("status %d, want 400: %s", got.Status, got.Body)
			}
			p := got.Problem(t)
			if len(p.Errors) != 1 || p.Errors[0].Field != "If-Match" || !strings.Contains(p.Errors[0].Message, `"v1"`) {
				t.Errorf("problem %+v", p)
			}
		})
	}
	t.Run("OKQuoted", func(t *testing.T) {
		e.must(t, 200, req{Method: "PATCH", Path: "/v1/me", Token: tok, Body: map[string]any{"name": "Ama"}, Header: map[string]string{"If-Match": `"v1"`}})
	})
	t.Run("ErrStale", func(t *testing.T) {
		e.must(t, 412, req{Method: "PATCH", Path: "/v1/me", Token: tok, Body: map[string]any{"name": "Ama"}, Header: map[string]string{"If-Match": `"v1"`}})
	})
}
