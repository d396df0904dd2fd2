package api_test

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
)

// TestDocs_RenderedMarkdown: /docs shows the contract's markdown as HTML,
// under a Content-Security-Policy that admits only the page's own style.
func TestDocs_RenderedMarkdown(t *testing.T) {
	e := newEnv(t)
	got := e.must(t, 200, req{Method: "GET", Path: "/docs"})
	body := string(got.Body)
	if m := contains(got.Body, "<h2>Authentication</h2>", "<strong>Professionals</strong>", "<li>", "<code>share_with</code>"); len(m) > 0 {
		t.Errorf("docs lack rendered %v", m)
	}
	for _, raw := range []string{"## Authentication", "**Professionals**", "<script"} {
		if strings.Contains(body, raw) {
			t.Errorf("docs hold %q", raw)
		}
	}
	csp := got.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "script-src") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	_, rest, _ := strings.Cut(body, "<style>")
	css, _, _ := strings.Cut(rest, "</style>")
	sum := sha256.Sum256([]byte(css))
	if !strings.Contains(csp, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") {
		t.Errorf("the policy %q does not admit the page's style", csp)
	}
	if strings.Contains(body, ` style="`) {
		t.Error("a style attribute would be blocked by the policy")
	}
}
