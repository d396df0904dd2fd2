package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sankofa"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestRun_Help(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"--help"}, env(nil), &out); err != nil {
		t.Fatal(err)
	}
	for _, s := range settings {
		if !strings.Contains(out.String(), s.name) {
			t.Errorf("--help does not list %s", s.name)
		}
	}
	if !strings.Contains(out.String(), "default: 127.0.0.1:8080") {
		t.Error("--help must show defaults")
	}
}

func TestRun_ErrUnknownCommand(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"fly"}, env(nil), &out)
	var ue *usageError
	if !errors.As(err, &ue) {
		t.Fatalf("error %v (%T), want a usage error (exit 2)", err, err)
	}
	if msg := err.Error(); strings.Count(msg, "\n") > 0 || !strings.Contains(msg, `"fly"`) || !strings.Contains(msg, "run 'sankofa --help'") {
		t.Errorf("error %q, want one line naming the command and pointing at --help", msg)
	}
	if out.Len() > 0 {
		t.Errorf("an unknown command printed %d bytes of help", out.Len())
	}
}

// TestRun_SubcommandHelp runs each subcommand's help in an empty folder:
// it prints the usage, succeeds, and creates nothing (seed --help used to
// seed ./data).
func TestRun_SubcommandHelp(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	getenv := env(map[string]string{"SANKOFA_ADDR": "127.0.0.1:1"}) // were serve to run, it would fail fast
	for _, c := range commands {
		for _, h := range []string{"-h", "--help", "help"} {
			t.Run(c.name+" "+h, func(t *testing.T) {
				var out bytes.Buffer
				ctx, cancel := context.WithCancel(context.Background())
				cancel() // a command that ran anyway ends at once
				if err := run(ctx, []string{c.name, h}, getenv, &out); err != nil {
					t.Fatalf("error %v", err)
				}
				if !strings.Contains(out.String(), "Usage: sankofa "+c.name) {
					t.Errorf("output %q lacks the usage", out.String())
				}
			})
		}
	}
	t.Run("HelpCommand", func(t *testing.T) {
		var out bytes.Buffer
		if err := run(context.Background(), []string{"help", "seed"}, getenv, &out); err != nil || !strings.Contains(out.String(), "Usage: sankofa seed") {
			t.Fatalf("help seed: %v %q", err, out.String())
		}
	})
	t.Run("ErrExtraArgument", func(t *testing.T) {
		var ue *usageError
		if err := run(context.Background(), []string{"seed", "now"}, getenv, io.Discard); !errors.As(err, &ue) {
			t.Fatalf("error %v, want a usage error", err)
		}
	})
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) > 0 {
		t.Fatalf("help created %v in the working folder", entries[0].Name())
	}
}

func TestLoadConfig(t *testing.T) {
	secretFile := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(secretFile, []byte("s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t\n"), 0o600)
	t.Run("Defaults", func(t *testing.T) {
		cfg, err := LoadConfig(env(nil))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.DataDir != "./data" || cfg.AccessTTL != 15*time.Minute || cfg.MongoURI != "" {
			t.Errorf("defaults %+v", cfg)
		}
	})
	t.Run("SecretFromFile", func(t *testing.T) {
		cfg, err := LoadConfig(env(map[string]string{"SANKOFA_JWT_SECRET_FILE": secretFile}))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.JWTSecret != "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t" {
			t.Errorf("secret %q", cfg.JWTSecret)
		}
	})
	t.Run("TrustedProxies", func(t *testing.T) {
		cfg, err := LoadConfig(env(map[string]string{"SANKOFA_TRUSTED_PROXIES": "10.0.0.0/8, 2001:db8::/32,"}))
		if err != nil {
			t.Fatal(err)
		}
		nets, _ := cfg.TrustedProxyNets()
		if len(nets) != 2 || nets[0].String() != "10.0.0.0/8" || nets[1].String() != "2001:db8::/32" {
			t.Errorf("nets %v", nets)
		}
	})
	for name, vars := range map[string]map[string]string{
		"ErrBadDuration":      {"SANKOFA_ACCESS_TTL": "soon"},
		"ErrShortSecret":      {"SANKOFA_JWT_SECRET": "short"},
		"ErrSecretForMongo":   {"SANKOFA_MONGODB_URI": "mongodb://db/?replicaSet=rs0"},
		"ErrHalfAdmin":        {"SANKOFA_ADMIN_EMAIL": "a@example.org"},
		"ErrLogLevel":         {"SANKOFA_LOG_LEVEL": "loud"},
		"ErrMissingFile":      {"SANKOFA_JWT_SECRET_FILE": "/nonexistent/secret"},
		"ErrReplicasTooLarge": {"SANKOFA_NATS_REPLICAS": "99"},
		"ErrTrustedProxies":   {"SANKOFA_TRUSTED_PROXIES": "10.0.0.0/8, 10.0.0.1"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := LoadConfig(env(vars)); err == nil {
				t.Fatalf("%v must be refused", vars)
			}
		})
	}
}

// TestServe_StartsAndShutsDown runs the real binary's serve path on the
// embedded default and stops it as SIGTERM would.
func TestServe_StartsAndShutsDown(t *testing.T) {
	dir := t.TempDir()
	cfg := DefaultConfig()
	cfg.DataDir, cfg.Addr = dir, "127.0.0.1:0"
	cfg.AdminEmail, cfg.AdminPassword = "root@example.org", "root-password-1"
	ctx, cancel := context.WithCancel(context.Background())
	url, done := startServe(t, ctx, cfg)
	res, err := http.Get(url + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("readyz %d", res.StatusCode)
	}
	res, err = http.Post(url+"/v1/auth/login", "application/json", strings.NewReader(`{"email":"root@example.org","password":"root-password-1"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("the first admin cannot sign in: %d", res.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("shutdown: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	t.Run("SecretKeptPrivate", func(t *testing.T) {
		fi, err := os.Stat(filepath.Join(dir, "jwt-secret"))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("jwt-secret mode %v, want 0600", fi.Mode().Perm())
		}
	})
	t.Run("IndexRebuiltWhenLost", func(t *testing.T) {
		os.RemoveAll(filepath.Join(dir, "search"))
		var logs bytes.Buffer
		a, err := openApp(context.Background(), cfg, slog.New(slog.NewTextHandler(&logs, nil)))
		if err != nil {
			t.Fatal(err)
		}
		defer a.close()
		if !strings.Contains(logs.String(), "search index rebuilt") {
			t.Fatalf("no rebuild logged: %s", logs.String())
		}
		page, err := a.index.Accounts(context.Background(), sankofa.AccountFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.IDs) != 1 {
			t.Fatalf("rebuilt index lists %d accounts, want the admin", len(page.IDs))
		}
	})
}

// startServe runs serve in the background until ctx ends and returns its
// URL once it listens, and the channel that gets serve's result.
func startServe(t *testing.T, ctx context.Context, cfg Config) (string, <-chan error) {
	t.Helper()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, slog.New(slog.DiscardHandler), ready) }()
	select {
	case url := <-ready:
		return url, done
	case err := <-done:
		t.Fatal(err)
	case <-time.After(time.Minute):
		t.Fatal("serve did not start")
	}
	return "", nil
}
