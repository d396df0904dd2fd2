package api_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"
)

// TestConsole_Routes: the console answers every GET and HEAD path the API
// does not take, and takes nothing from the API: its routes, its 404
// problems under /v1 and its 405s with Allow stay as they were.
func TestConsole_Routes(t *testing.T) {
	e := newEnv(t)
	t.Run("Pages", func(t *testing.T) {
		for _, path := range []string{"/", "/signin", "/assignments/asg_x", "/profile"} {
			got := e.do(t, req{Method: "GET", Path: path, Bad: true})
			if got.Status != 200 || !strings.HasPrefix(got.Header.Get("Content-Type"), "text/html") {
				t.Fatalf("%s: status %d, type %q", path, got.Status, got.Header.Get("Content-Type"))
			}
			if csp := got.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("%s: CSP %q", path, csp)
			}
			if !bytes.Contains(got.Body, []byte(`<script type="module" src="/assets/`)) {
				t.Errorf("%s: not the console's page: %s", path, got.Body)
			}
		}
		head := e.do(t, req{Method: "HEAD", Path: "/assignments/asg_x", Bad: true})
		if head.Status != 200 || len(head.Body) != 0 {
			t.Errorf("HEAD: status %d, %d bytes", head.Status, len(head.Body))
		}
	})
	t.Run("AssetCompressedOnce", func(t *testing.T) {
		page := e.do(t, req{Method: "GET", Path: "/", Bad: true})
		i := bytes.Index(page.Body, []byte(`href="/assets/`))
		if i < 0 {
			t.Fatalf("no asset link in %s", page.Body)
		}
		href := string(page.Body[i+len(`href="`):])
		href = href[:strings.IndexByte(href, '"')]
		plain := e.do(t, req{Method: "GET", Path: href, Bad: true, Header: map[string]string{"Accept-Encoding": "identity"}})
		gz := e.do(t, req{Method: "GET", Path: href, Bad: true, Header: map[string]string{"Accept-Encoding": "gzip"}})
		if plain.Status != 200 || gz.Status != 200 {
			t.Fatalf("%s: status %d / %d", href, plain.Status, gz.Status)
		}
		if gz.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(gz.Body))
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(zr)
			if err != nil || !bytes.Equal(body, plain.Body) {
				t.Errorf("gunzipped body differs from the file (compressed twice?): %v", err)
			}
		}
	})
	t.Run("APIUntouched", func(t *testing.T) {
		for _, path := range []string{"/healthz", "/openapi.yaml", "/docs"} {
			if got := e.do(t, req{Method: "GET", Path: path, Bad: true}); got.Status != 200 ||
				strings.HasPrefix(got.Header.Get("Content-Type"), "text/html") && path != "/docs" {
				t.Errorf("%s: status %d, type %q", path, got.Status, got.Header.Get("Content-Type"))
			}
		}
		for _, path := range []string{"/v1", "/v1/", "/v1/nothing-here", "/v1/assignments/asg_x/nothing"} {
			for _, method := range []string{"GET", "HEAD"} {
				got := e.do(t, req{Method: method, Path: path, Bad: true})
				if got.Status != 404 || got.Header.Get("Content-Type") != "application/problem+json" {
					t.Errorf("%s %s: status %d, type %q", method, path, got.Status, got.Header.Get("Content-Type"))
				}
			}
		}
		for _, tt := range []struct{ method, path, allow string }{
			{"GET", "/v1/auth/login", "POST"},
			{"HEAD", "/v1/auth/login", "POST"},
			{"HEAD", "/healthz", "GET"},
			{"GET", "/v1/notifications/read-all", "POST"},
			{"GET", "/v1/assignments/asg_x/publish", "POST"},
		} {
			got := e.do(t, req{Method: tt.method, Path: tt.path, Bad: true})
			if got.Status != 405 || !strings.Contains(got.Header.Get("Allow"), tt.allow) {
				t.Errorf("%s %s: status %d, Allow %q", tt.method, tt.path, got.Status, got.Header.Get("Allow"))
			}
		}
		if got := e.do(t, req{Method: "GET", Path: "/metrics", Bad: true}); got.Status != 401 {
			t.Errorf("/metrics without a token: status %d", got.Status)
		}
	})
}
