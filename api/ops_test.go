package api_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestOps(t *testing.T) {
	e := newEnv(t)
	t.Run("Healthz", func(t *testing.T) {
		e.must(t, 200, req{Method: "GET", Path: "/healthz"})
	})
	t.Run("Readyz", func(t *testing.T) {
		got := e.must(t, 200, req{Method: "GET", Path: "/readyz"})
		if m := contains(got.Body, `"mongodb":"ok"`, `"nats":"ok"`); len(m) > 0 {
			t.Errorf("readyz %s lacks %v", got.Body, m)
		}
	})
	t.Run("OpenAPI", func(t *testing.T) {
		got := e.must(t, 200, req{Method: "GET", Path: "/openapi.yaml"})
		if !strings.HasPrefix(string(got.Body), "openapi: 3") {
			t.Errorf("body starts %q", got.Body[:20])
		}
	})
	t.Run("Docs", func(t *testing.T) {
		got := e.must(t, 200, req{Method: "GET", Path: "/docs"})
		if m := contains(got.Body, "/v1/profiles/me", "/v1/assignments/{id}/publish", "openapi.yaml"); len(m) > 0 {
			t.Errorf("docs lack %v", m)
		}
	})
	t.Run("RequestID", func(t *testing.T) {
		got := e.do(t, req{Method: "GET", Path: "/v1/me"})
		p := got.Problem(t)
		if p.RequestID == "" || got.Header.Get("X-Request-Id") != p.RequestID {
			t.Errorf("request id %q header %q", p.RequestID, got.Header.Get("X-Request-Id"))
		}
	})
	t.Run("UnknownRouteIsProblem", func(t *testing.T) {
		got := e.do(t, req{Method: "GET", Path: "/v1/nothing", Token: e.Admin(t), Bad: true})
		if got.Status != 404 || got.Problem(t).Code != "not_found" {
			t.Fatalf("status %d %s", got.Status, got.Body)
		}
	})
	t.Run("GzipWhenAsked", func(t *testing.T) {
		r, _ := http.NewRequest("GET", e.URL+"/openapi.yaml", nil)
		r.Header.Set("Accept-Encoding", "gzip")
		res, err := http.DefaultTransport.RoundTrip(r)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if res.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("Content-Encoding %q", res.Header.Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(zr)
		if !strings.HasPrefix(string(b), "openapi: 3") {
			t.Error("gzip body does not decode to the spec")
		}
		small, _ := http.NewRequest("GET", e.URL+"/healthz", nil)
		small.Header.Set("Accept-Encoding", "gzip")
		res2, err := http.DefaultTransport.RoundTrip(small)
		if err != nil {
			t.Fatal(err)
		}
		res2.Body.Close()
		if res2.Header.Get("Content-Encoding") == "gzip" {
			t.Error("responses under 1 KB are not worth compressing")
		}
	})
}
