package api_test

import (
	"compress/gzip"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"sankofa/api"
	"sankofa/metrics"
)

// TestMetrics: GET /metrics is open to admins only, and requests are
// counted by route pattern and status, never by raw URL.
func TestMetrics(t *testing.T) {
	e := newEnv(t)
	// A second server over the same adapters, with metrics: tokens of the
	// first are valid here, since both share the secret and the accounts.
	m := metrics.New()
	cfg := api.DefaultConfig()
	cfg.JWTSecret = []byte("0123456789abcdef0123456789abcdef")
	cfg.Logger = slog.New(slog.DiscardHandler)
	cfg.Metrics = m
	srv := httptest.NewServer(api.New(cfg, api.Deps{Accounts: e.Store, Sessions: e.Store, Workflow: e.Flow}).Handler())
	t.Cleanup(srv.Close)
	me := *e
	me.URL = srv.URL

	_, pro := e.Professional(t)
	_, pending := e.Ministry(t, "GH", true)
	me.must(t, 200, req{Method: "GET", Path: "/healthz"})
	me.must(t, 401, req{Method: "GET", Path: "/v1/offers/of_secret123"})

	for _, tc := range []struct {
		name, token string
		status      int
		detail      string
	}{
		{"Anonymous", "", 401, "sign in"},
		{"GarbageToken", "not-a-jwt", 401, "not valid"},
		{"Professional", pro, 403, "is not open to a"},
		{"PendingMinistry", pending, 403, "is not open to a"},
		{"Admin", e.Admin(t), 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := me.do(t, req{Method: "GET", Path: "/metrics", Token: tc.token})
			if r.Status != tc.status {
				t.Fatalf("status %d, want %d; body %s", r.Status, tc.status, r.Body)
			}
			if tc.status != 200 {
				if p := r.Problem(t); !strings.Contains(p.Detail, tc.detail) {
					t.Errorf("detail %q, want %q", p.Detail, tc.detail)
				}
				return
			}
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
				t.Errorf("content type %q", ct)
			}
			body := string(r.Body)
			for _, want := range []string{
				`sankofa_http_requests_total{method="GET",route="/healthz",status="200"} 1`,
				`sankofa_http_requests_total{method="GET",route="/v1/offers/:id",status="401"} 1`,
				`sankofa_http_requests_total{method="GET",route="/metrics",status="401"} 2`,
				`sankofa_http_requests_total{method="GET",route="/metrics",status="403"} 2`,
				`sankofa_http_request_duration_seconds_bucket{method="GET",route="/healthz",le="+Inf"} 1`,
				"go_goroutines",
			} {
				if !strings.Contains(body, want) {
					t.Errorf("metrics lack %s", want)
				}
			}
			if strings.Contains(body, "of_secret123") {
				t.Error("a raw URL made a series")
			}
		})
	}
	t.Run("Gzip", func(t *testing.T) {
		hr, _ := http.NewRequest("GET", srv.URL+"/metrics", nil)
		hr.Header.Set("Authorization", "Bearer "+e.Admin(t))
		hr.Header.Set("Accept-Encoding", "gzip")
		res, err := http.DefaultClient.Do(hr)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatalf("gzip: %v (Content-Encoding %q)", err, res.Header.Get("Content-Encoding"))
		}
		b, _ := io.ReadAll(zr)
		if !strings.Contains(string(b), "sankofa_http_requests_total") {
			t.Errorf("compressed once, the body should be the text format; got %.80q", b)
		}
	})
}
