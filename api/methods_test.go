package api_test

import (
	"strings"
	"testing"
)

// TestRoutes_MethodNotAllowed: a path that exists answered with another
// method is 405 with Allow, as problem+json; an unknown path stays 404.
func TestRoutes_MethodNotAllowed(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct {
		method, path string
		allow        []string
	}{
		{"PUT", "/v1/me", []string{"GET", "PATCH", "DELETE"}},
		{"GET", "/v1/auth/login", []string{"POST"}},
		{"PUT", "/v1/admin/accounts", []string{"GET"}},
		{"DELETE", "/v1/assignments/asg_x", []string{"GET", "PATCH"}},
		{"POST", "/healthz", []string{"GET"}},
	} {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			got := e.do(t, req{Method: tt.method, Path: tt.path, Bad: true})
			if got.Status != 405 {
				t.Fatalf("status %d, want 405: %s", got.Status, got.Body)
			}
			allow := got.Header.Get("Allow")
			for _, m := range tt.allow {
				if !strings.Contains(allow, m) {
					t.Errorf("Allow %q lacks %s", allow, m)
				}
			}
			if p := got.Problem(t); p.Code != "method_not_allowed" {
				t.Errorf("code %q", p.Code)
			}
		})
	}
	t.Run("UnknownPathNotFound", func(t *testing.T) {
		got := e.do(t, req{Method: "GET", Path: "/v1/nothing-here", Bad: true})
		if got.Status != 404 || got.Problem(t).Code != "not_found" {
			t.Fatalf("status %d: %s", got.Status, got.Body)
		}
	})
}
