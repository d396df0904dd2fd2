// Package console serves Sankofa's web console: a single-page app of plain
// ES modules (Preact and htm, vendored under static/vendor), embedded in
// the binary. It is a client of the public /v1 API and has no server-side
// logic of its own: this package only serves its files, with a strict
// Content-Security-Policy.
package console

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"mime"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
)

// embedded is the console's static folder: index.html (a template), the
// stylesheet, the app's modules, the catalogues and the vendored libraries.
//
//go:embed static
var embedded embed.FS

// AssetsPrefix is where the assets are served, followed by the content
// hash and the file's path under static/.
const AssetsPrefix = "/assets/"

// CSP is the Content-Security-Policy of every console response: scripts,
// styles and connections from this origin only, no inline script or
// style, no eval, no framing.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; " +
	"frame-ancestors 'none'"

// Options configure the console.
type Options struct {
	// Files is the static folder's content; nil means the embedded one.
	Files fs.FS
}

// Handler serves the console: the assets under /assets/<hash>/ and
// index.html for every other path, the app's history routes.
type Handler struct {
	assets string            // "/assets/<hash>"
	files  map[string]*entry // by path under static/, index.html excluded
	index  *entry
}

// entry is one file ready to serve: its body, its gzip form when that is
// smaller, and their validators.
type entry struct {
	body, gz     []byte
	etag, gzEtag string
	ctype        string
	cache        string
}

// New reads every file once, hashes and compresses them, and executes
// index.html as a template with .Assets (the assets' URL prefix) and
// .Preload (the modules of the shell and vendor/) and .Lazy (the role
// pages' modules, space-separated). It fails if index.html is
// missing or is not a valid template.
func New(opts Options) (*Handler, error) {
	root := opts.Files
	if root == nil {
		sub, err := fs.Sub(embedded, "static")
		if err != nil {
			return nil, fmt.Errorf("console: %w", err)
		}
		root = sub
	}
	raw := map[string][]byte{}
	err := fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(root, p)
		raw[p] = b
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("console: read static files: %w", err)
	}
	tmplText, ok := raw["index.html"]
	if !ok {
		return nil, fmt.Errorf("console: static/index.html is missing")
	}
	delete(raw, "index.html")

	// One hash over every file, index.html included, names and contents:
	// any change gives every asset a new URL, so that they can be cached
	// for ever.
	names := slices.Sorted(maps.Keys(raw))
	sum := sha256.New()
	for _, p := range names {
		fmt.Fprintf(sum, "%s\x00%d\x00", p, len(raw[p]))
		sum.Write(raw[p])
	}
	sum.Write(tmplText)
	h := &Handler{
		assets: AssetsPrefix + hex.EncodeToString(sum.Sum(nil))[:12],
		files:  make(map[string]*entry, len(raw)),
	}
	// The first page preloads the shell and the sign-in pages only; the
	// role pages (js/pages/<role>/) are listed for the shell to fetch once
	// someone signs in. On a 400 ms round trip the number of requests, not
	// their bytes, is what keeps the sign-in page waiting.
	var preload, lazy []string
	for _, p := range names {
		h.files[p] = newEntry(raw[p], contentType(p), "public, max-age=31536000, immutable")
		if path.Ext(p) != ".js" {
			continue
		}
		switch {
		case strings.HasPrefix(p, "js/pages/") && strings.Count(p, "/") > 2:
			lazy = append(lazy, p)
		case strings.HasPrefix(p, "js/") || strings.HasPrefix(p, "vendor/"):
			preload = append(preload, p)
		}
	}

	tmpl, err := template.New("index.html").Parse(string(tmplText))
	if err != nil {
		return nil, fmt.Errorf("console: index.html: %w", err)
	}
	var page bytes.Buffer
	data := struct {
		Assets  string
		Preload []string
		Lazy    string
	}{h.assets, preload, strings.Join(lazy, " ")}
	if err := tmpl.Execute(&page, data); err != nil {
		return nil, fmt.Errorf("console: index.html: %w", err)
	}
	h.index = newEntry(page.Bytes(), "text/html; charset=utf-8", "no-cache")
	return h, nil
}

// Assets returns the URL prefix of this build's assets, "/assets/<hash>".
func (h *Handler) Assets() string { return h.assets }

// ServeHTTP answers GET and HEAD: an asset, or index.html for any path
// outside /assets/ and /v1/. Everything else is a plain-text 404 or 405.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Content-Security-Policy", CSP)
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "no-referrer")
	hdr.Set("X-Frame-Options", "DENY")
	hdr.Set("Cross-Origin-Opener-Policy", "same-origin")
	hdr.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hdr.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, AssetsPrefix):
		rest, ok := strings.CutPrefix(p, h.assets+"/")
		if e := h.files[rest]; ok && e != nil {
			e.serve(w, r)
			return
		}
		// An asset of another build (or none) is not served in place of
		// the one asked for: its URL is cached for a year.
		http.NotFound(w, r)
	case p == "/v1" || strings.HasPrefix(p, "/v1/"):
		http.NotFound(w, r)
	default:
		h.index.serve(w, r)
	}
}

func newEntry(body []byte, ctype, cache string) *entry {
	d := sha256.Sum256(body)
	tag := hex.EncodeToString(d[:8])
	e := &entry{body: body, ctype: ctype, cache: cache, etag: `"` + tag + `"`}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // a valid level: no error
	zw.Write(body)
	zw.Close()
	if buf.Len() < len(body) {
		e.gz, e.gzEtag = buf.Bytes(), `"`+tag+`-gz"`
	}
	return e
}

// serve writes the entry, compressed when the client accepts gzip, or 304
// when the client's copy is current.
func (e *entry) serve(w http.ResponseWriter, r *http.Request) {
	body, etag := e.body, e.etag
	hdr := w.Header()
	if e.gz != nil {
		hdr.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			body, etag = e.gz, e.gzEtag
			hdr.Set("Content-Encoding", "gzip")
		}
	}
	hdr.Set("Content-Type", e.ctype)
	hdr.Set("Cache-Control", e.cache)
	hdr.Set("ETag", etag)
	if matchesETag(r.Header.Get("If-None-Match"), etag) {
		hdr.Del("Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip: named
// (or matched by *) with a q-value above zero.
func acceptsGzip(header string) bool {
	star := false
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "*" {
			continue
		}
		ok := true
		for param := range strings.SplitSeq(params, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(param), "=")
			if strings.EqualFold(k, "q") {
				q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				ok = err == nil && q > 0
			}
		}
		if name == "gzip" {
			return ok
		}
		star = ok
	}
	return star
}

// matchesETag reports whether an If-None-Match header names etag (weak
// comparison) or is "*".
func matchesETag(header, etag string) bool {
	for tag := range strings.SplitSeq(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == etag || tag == "*" {
			return true
		}
	}
	return false
}

// contentType names the type of a static file by its extension; the
// browser must not guess (nosniff), and module scripts must be served as
// JavaScript.
func contentType(p string) string {
	switch path.Ext(p) {
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".json":
		return "application/json"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".html":
		return "text/html; charset=utf-8"
	case "", ".txt", ".md":
		return "text/plain; charset=utf-8" // LICENSE
	}
	if t := mime.TypeByExtension(path.Ext(p)); t != "" {
		return t
	}
	return "application/octet-stream"
}
