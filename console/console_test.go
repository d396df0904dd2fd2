package console_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"sankofa/console"
)

// fixture is a small static folder whose index.html has the template
// contract of the real one.
func fixture() fstest.MapFS {
	big := strings.Repeat("export const x = 'a fairly repetitive module body';\n", 40)
	return fstest.MapFS{
		"index.html": {Data: []byte(`<!doctype html><html><head>` +
			`<link rel="stylesheet" href="{{.Assets}}/app.css">` +
			`{{range .Preload}}<link rel="modulepreload" href="{{$.Assets}}/{{.}}">{{end}}` +
			`<script type="module" src="{{.Assets}}/js/main.js"></script></head><body></body></html>`)},
		"app.css":                {Data: []byte(strings.Repeat("body { margin: 0; }\n", 100))},
		"js/main.js":             {Data: []byte(`import {x} from "./pages/home.js";` + big)},
		"js/pages/home.js":       {Data: []byte(big)},
		"vendor/lib/lib.js":      {Data: []byte(big)},
		"vendor/lib/LICENSE":     {Data: []byte("MIT")},
		"i18n/en.json":           {Data: []byte(`{"hello": "Hello"}`)},
		"icon.svg":               {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`)},
		"img/pixel.png":          {Data: []byte("\x89PNG\r\n\x1a\n")},
		"js/pages/notmodule.txt": {Data: []byte("not preloaded")},
	}
}

func newHandler(tb testing.TB, files fs.FS) *console.Handler {
	tb.Helper()
	h, err := console.New(console.Options{Files: files})
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

type result struct {
	status int
	header http.Header
	body   []byte
}

func get(tb testing.TB, h http.Handler, method, target string, header ...string) result {
	tb.Helper()
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return result{w.Code, w.Result().Header, w.Body.Bytes()}
}

func gunzip(tb testing.TB, b []byte) []byte {
	tb.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		tb.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// TestConsole_Headers: every console answer, page, asset or 404, carries
// the strict CSP and the other security headers.
func TestConsole_Headers(t *testing.T) {
	h := newHandler(t, fixture())
	const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
		"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; " +
		"frame-ancestors 'none'"
	for _, target := range []string{"/", "/signin", "/assignments/asg_x", h.Assets() + "/app.css",
		h.Assets() + "/nothing.js", "/assets/0000/app.css", "/v1/x"} {
		t.Run(target, func(t *testing.T) {
			got := get(t, h, "GET", target)
			for k, want := range map[string]string{
				"Content-Security-Policy":    csp,
				"X-Content-Type-Options":     "nosniff",
				"Referrer-Policy":            "no-referrer",
				"X-Frame-Options":            "DENY",
				"Cross-Origin-Opener-Policy": "same-origin",
				"Permissions-Policy":         "camera=(), microphone=(), geolocation=()",
			} {
				if v := got.header.Get(k); v != want {
					t.Errorf("%s = %q, want %q", k, v, want)
				}
			}
			if !strings.Contains(got.header.Get("Content-Security-Policy"), "frame-ancestors 'none'") ||
				strings.Contains(got.header.Get("Content-Security-Policy"), "unsafe") {
				t.Errorf("CSP %q", got.header.Get("Content-Security-Policy"))
			}
		})
	}
}

// TestConsole_Assets: assets are served under the build's hash, cached
// for ever, with the right type, compressed when the client accepts it.
func TestConsole_Assets(t *testing.T) {
	files := fixture()
	h := newHandler(t, files)
	if !regexp.MustCompile(`^/assets/[0-9a-f]{12}$`).MatchString(h.Assets()) {
		t.Fatalf("Assets() = %q", h.Assets())
	}
	for _, tt := range []struct{ file, ctype string }{
		{"js/main.js", "text/javascript; charset=utf-8"},
		{"vendor/lib/lib.js", "text/javascript; charset=utf-8"},
		{"app.css", "text/css; charset=utf-8"},
		{"i18n/en.json", "application/json"},
		{"icon.svg", "image/svg+xml"},
		{"img/pixel.png", "image/png"},
		{"vendor/lib/LICENSE", "text/plain; charset=utf-8"},
	} {
		t.Run(tt.file, func(t *testing.T) {
			want := files[tt.file].Data
			url := h.Assets() + "/" + tt.file
			plain := get(t, h, "GET", url)
			if plain.status != 200 || !bytes.Equal(plain.body, want) {
				t.Fatalf("status %d, body %q", plain.status, plain.body)
			}
			if ct := plain.header.Get("Content-Type"); ct != tt.ctype {
				t.Errorf("Content-Type %q, want %q", ct, tt.ctype)
			}
			if cc := plain.header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
				t.Errorf("Cache-Control %q", cc)
			}
			if plain.header.Get("Content-Encoding") != "" {
				t.Errorf("compressed without Accept-Encoding")
			}
			etag := plain.header.Get("ETag")
			if etag == "" {
				t.Fatal("no ETag")
			}
			if got := get(t, h, "GET", url, "If-None-Match", etag); got.status != 304 || len(got.body) != 0 {
				t.Errorf("If-None-Match: status %d, body %d bytes", got.status, len(got.body))
			}

			gz := get(t, h, "GET", url, "Accept-Encoding", "br, gzip;q=0.8")
			if len(want) < 200 { // too small to gain from compression
				if gz.header.Get("Content-Encoding") != "" {
					t.Errorf("tiny file compressed")
				}
				return
			}
			if gz.header.Get("Content-Encoding") != "gzip" || gz.header.Get("Vary") != "Accept-Encoding" {
				t.Fatalf("Content-Encoding %q, Vary %q", gz.header.Get("Content-Encoding"), gz.header.Get("Vary"))
			}
			if !bytes.Equal(gunzip(t, gz.body), want) {
				t.Error("gzip body differs from the file")
			}
			if gz.header.Get("ETag") == etag {
				t.Error("gzip and identity share an ETag")
			}
			if off := get(t, h, "GET", url, "Accept-Encoding", "gzip;q=0, identity"); off.header.Get("Content-Encoding") != "" {
				t.Error("compressed though gzip;q=0")
			}
		})
	}
	for _, target := range []string{h.Assets() + "/nothing.js", h.Assets() + "/index.html",
		"/assets/000000000000/app.css", "/assets/", h.Assets()} {
		t.Run("NotFound "+target, func(t *testing.T) {
			got := get(t, h, "GET", target)
			if got.status != 404 || !strings.HasPrefix(got.header.Get("Content-Type"), "text/plain") {
				t.Errorf("status %d, type %q", got.status, got.header.Get("Content-Type"))
			}
		})
	}
}

// TestConsole_Index: the app's history routes all answer index.html,
// revalidated each time, with the assets' prefix and the modules to
// preload; /v1 paths do not.
func TestConsole_Index(t *testing.T) {
	h := newHandler(t, fixture())
	root := get(t, h, "GET", "/")
	for _, target := range []string{"/signin", "/assignments/asg_x", "/profile", "/admin/queue?x=1"} {
		got := get(t, h, "GET", target)
		if got.status != 200 || !bytes.Equal(got.body, root.body) {
			t.Errorf("%s: status %d, body differs from /", target, got.status)
		}
		if ct, cc := got.header.Get("Content-Type"), got.header.Get("Cache-Control"); ct != "text/html; charset=utf-8" || cc != "no-cache" {
			t.Errorf("%s: Content-Type %q, Cache-Control %q", target, ct, cc)
		}
	}
	a := h.Assets()
	wantLinks := `<link rel="stylesheet" href="` + a + `/app.css">` +
		`<link rel="modulepreload" href="` + a + `/js/main.js">` +
		`<link rel="modulepreload" href="` + a + `/js/pages/home.js">` +
		`<link rel="modulepreload" href="` + a + `/vendor/lib/lib.js">` +
		`<script type="module" src="` + a + `/js/main.js"></script>`
	if !bytes.Contains(root.body, []byte(wantLinks)) {
		t.Errorf("index lacks\n%s\ngot\n%s", wantLinks, root.body)
	}

	gz := get(t, h, "GET", "/assignments/asg_x", "Accept-Encoding", "gzip")
	if gz.header.Get("Content-Encoding") == "gzip" && !bytes.Equal(gunzip(t, gz.body), root.body) {
		t.Error("gzip index differs")
	}
	if got := get(t, h, "GET", "/", "If-None-Match", root.header.Get("ETag")); got.status != 304 {
		t.Errorf("If-None-Match: status %d", got.status)
	}

	head := get(t, h, "HEAD", "/signin")
	if head.status != 200 || len(head.body) != 0 || head.header.Get("Content-Length") != root.header.Get("Content-Length") {
		t.Errorf("HEAD: status %d, %d bytes, Content-Length %q", head.status, len(head.body), head.header.Get("Content-Length"))
	}
	for _, target := range []string{"/v1/x", "/v1", "/v1/assignments/asg_x"} {
		if got := get(t, h, "GET", target); got.status != 404 {
			t.Errorf("%s: status %d, want 404", target, got.status)
		}
	}
	if got := get(t, h, "POST", "/signin"); got.status != 405 || got.header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: status %d, Allow %q", got.status, got.header.Get("Allow"))
	}
}

// TestConsole_Errors: a missing or broken index.html stops the start.
func TestConsole_Errors(t *testing.T) {
	files := fixture()
	files["index.html"] = &fstest.MapFile{Data: []byte("{{.Nope")}
	if _, err := console.New(console.Options{Files: files}); err == nil {
		t.Error("broken template accepted")
	}
	delete(files, "index.html")
	if _, err := console.New(console.Options{Files: files}); err == nil {
		t.Error("missing index.html accepted")
	}
}

// TestConsole_Embedded: the real console starts, and every module its
// page preloads is served as JavaScript.
func TestConsole_Embedded(t *testing.T) {
	h := newHandler(t, nil)
	page := get(t, h, "GET", "/")
	if page.status != 200 {
		t.Fatalf("status %d", page.status)
	}
	links := preloads(page.body)
	if len(links) == 0 {
		t.Fatalf("no modulepreload in\n%s", page.body)
	}
	for _, l := range links {
		got := get(t, h, "GET", l)
		if got.status != 200 || got.header.Get("Content-Type") != "text/javascript; charset=utf-8" {
			t.Errorf("%s: status %d, type %q", l, got.status, got.header.Get("Content-Type"))
		}
	}
	for _, vendored := range []string{"vendor/preact/preact.module.js", "vendor/preact/hooks.module.js", "vendor/htm/htm.module.js"} {
		if !slices.Contains(links, h.Assets()+"/"+vendored) {
			t.Errorf("%s not preloaded", vendored)
		}
	}
}

// TestConsole_ModuleImports: every import in every embedded module is a
// relative path to an embedded file. With no import map and no bundler,
// a bare specifier ("preact") or a missing file fails in the browser only.
func TestConsole_ModuleImports(t *testing.T) {
	root := console.Files()
	// Static imports and re-exports start a line (the vendored modules
	// are minified, but each starts with its imports); dynamic ones may
	// be anywhere.
	importRe := regexp.MustCompile(`(?m)(?:^\s*(?:import|export)\b[^;'"]*?\bfrom\s*|^\s*import\s*|\bimport\(\s*)["']([^"'\n]+)["']`)
	imports, sawHooks := 0, false
	err := fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".js" {
			return err
		}
		src, err := fs.ReadFile(root, p)
		if err != nil {
			return err
		}
		for _, m := range importRe.FindAllSubmatch(stripComments(src), -1) {
			imports++
			if p == "vendor/preact/hooks.module.js" && string(m[1]) == "./preact.module.js" {
				sawHooks = true
			}
			spec := string(m[1])
			if !strings.HasPrefix(spec, "./") && !strings.HasPrefix(spec, "../") {
				t.Errorf("%s imports %q: not a relative path", p, spec)
				continue
			}
			target := path.Join(path.Dir(p), spec)
			if _, err := fs.Stat(root, target); err != nil {
				t.Errorf("%s imports %q: %s is not embedded", p, spec, target)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !sawHooks {
		t.Errorf("the hooks' import of preact was not seen (%d imports in all)", imports)
	}
	t.Logf("%d imports checked", imports)
}

var commentRe = regexp.MustCompile(`(?m)^\s*//.*$|/\*[\s\S]*?\*/`)

// stripComments drops whole-line and block comments, where prose may say
// "from 'x'".
func stripComments(src []byte) []byte { return commentRe.ReplaceAll(src, nil) }

var preloadRe = regexp.MustCompile(`<link rel="modulepreload" href="([^"]+)">`)

func preloads(page []byte) []string {
	var out []string
	for _, m := range preloadRe.FindAllSubmatch(page, -1) {
		out = append(out, string(m[1]))
	}
	return out
}

// BenchmarkFirstPageWeight reports what the first page costs over the
// wire: index.html, app.css and every module it preloads, each gzipped as
// served. The budget is 150 KB; it is a figure to record, not a test.
func BenchmarkFirstPageWeight(b *testing.B) {
	h := newHandler(b, nil)
	var total int
	for b.Loop() {
		total = 0
		page := get(b, h, "GET", "/", "Accept-Encoding", "gzip")
		total += len(page.body)
		html := page.body
		if page.header.Get("Content-Encoding") == "gzip" {
			html = gunzip(b, page.body)
		}
		for _, u := range append([]string{h.Assets() + "/app.css"}, preloads(html)...) {
			got := get(b, h, "GET", u, "Accept-Encoding", "gzip")
			if got.status != 200 {
				b.Fatalf("%s: status %d", u, got.status)
			}
			total += len(got.body)
		}
	}
	b.ReportMetric(float64(total)/1024, "KB-gz")
}
