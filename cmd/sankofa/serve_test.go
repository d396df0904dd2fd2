package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestServe_MetricsAndWorkers: serve starts every background worker under
// the supervisor, /readyz checks them, and the metrics are served on their
// own address without a token and on the API to admins only.
func TestServe_MetricsAndWorkers(t *testing.T) {
	free, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	metricsAddr := free.Addr().String()
	free.Close()
	cfg := DefaultConfig()
	cfg.DataDir, cfg.Addr, cfg.MetricsAddr = t.TempDir(), "127.0.0.1:0", metricsAddr
	cfg.AdminEmail, cfg.AdminPassword = "root@example.org", "root-password-1"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	url, done := startServe(t, ctx, cfg)
	get := func(t *testing.T, u, token string) (int, string) {
		t.Helper()
		r, _ := http.NewRequest(http.MethodGet, u, nil)
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}

	t.Run("ReadyzChecksWorkers", func(t *testing.T) {
		status, body := get(t, url+"/readyz", "")
		var r struct{ Checks map[string]string }
		_ = json.Unmarshal([]byte(body), &r)
		if status != 200 || r.Checks["workers"] != "ok" {
			t.Fatalf("readyz %d %s; want the workers checked and ok", status, body)
		}
	})
	t.Run("OwnAddressWithoutToken", func(t *testing.T) {
		// The workers start beside the listener: wait until each has
		// reported once.
		var status int
		var body string
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			status, body = get(t, "http://"+metricsAddr+"/metrics", "")
			if status != 200 || time.Now().After(deadline) ||
				strings.Count(body, `sankofa_consumer_pending{consumer="`) >= 4 && strings.Count(body, `sankofa_worker_running{`) >= 6 {
				break
			}
		}
		if status != 200 {
			t.Fatalf("status %d", status)
		}
		for _, w := range []string{"outbox-relay", "workflow", "notify", "webhooks", "sweeper"} {
			if !strings.Contains(body, `sankofa_worker_running{worker="`+w+`"} 1`) {
				t.Errorf("worker %s is not reported running", w)
			}
		}
		if !strings.Contains(body, `sankofa_worker_running{worker="indexer-`) {
			t.Error("the indexer consumer is not reported")
		}
		if !strings.Contains(body, `sankofa_consumer_pending{consumer="workflow"}`) {
			t.Error("consumer lag is not reported")
		}
	})
	t.Run("APIAdminsOnly", func(t *testing.T) {
		if status, _ := get(t, url+"/metrics", ""); status != 401 {
			t.Errorf("without a token: %d, want 401", status)
		}
		res, err := http.Post(url+"/v1/auth/login", "application/json", strings.NewReader(`{"email":"root@example.org","password":"root-password-1"}`))
		if err != nil {
			t.Fatal(err)
		}
		var tp struct {
			AccessToken string `json:"access_token"`
		}
		_ = json.NewDecoder(res.Body).Decode(&tp)
		res.Body.Close()
		status, body := get(t, url+"/metrics", tp.AccessToken)
		if status != 200 || !strings.Contains(body, `sankofa_http_requests_total{method="GET",route="/readyz",status="200"} 1`) {
			t.Errorf("admin: %d, requests counted: %v", status, strings.Contains(body, "sankofa_http_requests_total"))
		}
	})
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("shutdown: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
}
