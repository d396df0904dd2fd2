package journey_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestBrowser_Smoke proves the harness and the console's first screen: the
// console's security headers, the sign-in form on a desktop and on a phone,
// in isolated browser contexts, and the admin signed in to the shell.
func TestBrowser_Smoke(t *testing.T) {
	needChromium(t)
	s := startServer(t, "")

	r := s.do(t, http.StatusOK, http.MethodGet, "/signin", "", nil, nil)
	csp := r.header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src", "script-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("GET /signin: Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	for _, bad := range []string{"unsafe-inline", "unsafe-eval", "http:", "https:"} {
		if strings.Contains(csp, bad) {
			t.Errorf("GET /signin: Content-Security-Policy %q allows %q", csp, bad)
		}
	}
	if got := r.header.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("GET /signin: X-Content-Type-Options %q", got)
	}
	if r.header.Get("Referrer-Policy") == "" {
		t.Error("GET /signin: no Referrer-Policy")
	}

	b := newBrowser(t, s)
	for _, c := range []struct {
		name  string
		width int
	}{{"desktop", desktop}, {"phone", phone}} {
		p := b.context(t, c.width, "en")
		p.visit("/signin")
		p.waitText("Sign in")
		var env struct {
			Lang  string  `json:"lang"`
			Width float64 `json:"width"`
		}
		p.eval(`({lang: navigator.language, width: document.documentElement.clientWidth})`, &env)
		if !strings.HasPrefix(env.Lang, "en") || env.Width != float64(c.width) {
			t.Errorf("%s: navigator.language %q, width %v; want en, %d", c.name, env.Lang, env.Width, c.width)
		}
		p.fill("Email", adminEmail)
		p.fill("Password", adminPassword)
		p.in("Password").click("Sign in")
		p.waitText("Sign out")
		p.noText("Password")
	}
	// A third person on the same browser is not signed in: contexts share
	// no cookie.
	p := b.context(t, desktop, "fr")
	p.visit("/")
	p.waitText("Mot de passe")
	var lang string
	p.eval(`navigator.language`, &lang)
	if !strings.HasPrefix(lang, "fr") {
		t.Errorf("navigator.language %q in a French context", lang)
	}
}
