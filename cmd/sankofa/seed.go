package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"sankofa"
)

// Demo admin used by `sankofa seed` when SANKOFA_ADMIN_EMAIL is not set.
const (
	demoAdminEmail    = "admin@sankofa.example.org"
	demoAdminPassword = "sankofa-admin-demo"
)

// seed loads the demo data through the public API of an in-process server,
// so that it is validated, indexed and published like any client's data.
func seed(ctx context.Context, cfg Config, log *slog.Logger, out io.Writer) error {
	if cfg.AdminEmail == "" {
		cfg.AdminEmail, cfg.AdminPassword = demoAdminEmail, demoAdminPassword
	}
	cfg.Addr = "127.0.0.1:0"
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ready := make(chan string, 1)
	errc := make(chan error, 1)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	go func() { errc <- serve(ctx, cfg, quiet, ready) }()
	var base string
	select {
	case base = <-ready:
	case err := <-errc:
		return err
	}
	defer func() { cancel(); <-errc }()

	c := &client{base: base, http: &http.Client{Timeout: time.Minute}}
	data := GenerateSeedData(1, time.Now())
	admin, err := c.login(ctx, cfg.AdminEmail, cfg.AdminPassword)
	if err != nil {
		return fmt.Errorf("seed: admin login: %w", err)
	}
	published := 0
	for i, m := range data.Ministries {
		var acc sankofa.Account
		status, err := c.do(ctx, "", http.MethodPost, "/v1/auth/register", m.Registration, &acc)
		if status == http.StatusConflict && i == 0 {
			fmt.Fprintln(out, "The demo data is already loaded.")
			return nil
		}
		if err != nil {
			return fmt.Errorf("seed: register %s: %w", m.Registration.Email, err)
		}
		if _, err := c.do(ctx, admin, http.MethodPost, "/v1/admin/accounts/"+acc.ID+"/approve", nil, nil); err != nil {
			return fmt.Errorf("seed: approve %s: %w", acc.Email, err)
		}
		tok, err := c.login(ctx, m.Registration.Email, m.Registration.Password)
		if err != nil {
			return fmt.Errorf("seed: login %s: %w", acc.Email, err)
		}
		for j, in := range m.Assignments {
			var a sankofa.Assignment
			if _, err := c.do(ctx, tok, http.MethodPost, "/v1/assignments", in, &a); err != nil {
				return fmt.Errorf("seed: assignment %q: %w", in.Title, err)
			}
			if j%5 == 4 {
				continue // leave one draft per ministry
			}
			if _, err := c.do(ctx, tok, http.MethodPost, "/v1/assignments/"+a.ID+"/publish", nil, nil); err != nil {
				return fmt.Errorf("seed: publish %q: %w", in.Title, err)
			}
			published++
		}
	}
	// Password hashing dominates; a few workers keep both cores busy.
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		jobs = make(chan SeedProfessional)
	)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range jobs {
				if err := c.addProfessional(ctx, p); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		}()
	}
	for _, p := range data.Professionals {
		jobs <- p
	}
	close(jobs)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	fmt.Fprintf(out, `Loaded %d ministries, %d assignments (%d open) and %d professionals.
Sign in with:
  admin       %s / %s
  ministry    %s / %s
  professional %s / %s
`, len(data.Ministries), 5*len(data.Ministries), published, len(data.Professionals),
		cfg.AdminEmail, cfg.AdminPassword,
		data.Ministries[0].Registration.Email, data.Ministries[0].Registration.Password,
		data.Professionals[0].Registration.Email, data.Professionals[0].Registration.Password)
	return nil
}

func (c *client) addProfessional(ctx context.Context, p SeedProfessional) error {
	if _, err := c.do(ctx, "", http.MethodPost, "/v1/auth/register", p.Registration, nil); err != nil {
		return fmt.Errorf("register %s: %w", p.Registration.Email, err)
	}
	tok, err := c.login(ctx, p.Registration.Email, p.Registration.Password)
	if err != nil {
		return fmt.Errorf("login %s: %w", p.Registration.Email, err)
	}
	if _, err := c.do(ctx, tok, http.MethodPut, "/v1/profiles/me", p.Profile, nil); err != nil {
		return fmt.Errorf("profile of %s: %w", p.Registration.Email, err)
	}
	return nil
}

// client is a minimal JSON client of the API.
type client struct {
	base string
	http *http.Client
}

func (c *client) login(ctx context.Context, email, password string) (string, error) {
	var tp struct {
		AccessToken string `json:"access_token"`
	}
	_, err := c.do(ctx, "", http.MethodPost, "/v1/auth/login", sankofa.Credentials{Email: email, Password: password}, &tp)
	return tp.AccessToken, err
}

// do sends a JSON request and decodes a 2xx answer into out; any other
// status is an error carrying the problem's detail.
func (c *client) do(ctx context.Context, token, method, path string, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, err
	}
	if resp.StatusCode >= 300 {
		return resp.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	if out != nil {
		return resp.StatusCode, json.Unmarshal(raw, out)
	}
	return resp.StatusCode, nil
}
