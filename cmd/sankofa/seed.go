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
	stop := sync.OnceFunc(func() { cancel(); <-errc })
	defer stop()

	c := &client{base: base, http: &http.Client{Timeout: time.Minute}}
	data := GenerateSeedData(1, time.Now())
	admin, err := c.login(ctx, cfg.AdminEmail, cfg.AdminPassword)
	if err != nil {
		return fmt.Errorf("seed: admin login: %w", err)
	}
	published := 0
	ministryTokens := map[string]string{} // by account id
	openByTitle := map[string]string{}    // assignment ids
	var openByMinistry []ministryOpen
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
		ministryTokens[acc.ID] = tok
		var open []string
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
			open = append(open, a.ID)
			openByTitle[in.Title] = a.ID
		}
		openByMinistry = append(openByMinistry, ministryOpen{token: tok, assignments: open})
	}
	// Password hashing dominates; a few workers keep both cores busy.
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		jobs = make(chan SeedProfessional)
	)
	workers := map[string]sankofa.Registration{} // by account id
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range jobs {
				id, err := c.addProfessional(ctx, p)
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
				} else {
					workers[id] = p.Registration
				}
				mu.Unlock()
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
	if err := c.seedSafeguards(ctx, admin, data, openByTitle); err != nil {
		return err
	}
	offers, err := c.seedOffers(ctx, ministryTokens, openByMinistry, workers, data.Professionals[0].Registration)
	if err != nil {
		return err
	}
	stop() // completed missions are written past the API, on its store
	reports, err := seedMissionReports(context.WithoutCancel(ctx), cfg, quiet, data, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Loaded %d completed missions with their published reports (en, fr, pt).\n", reports)
	fmt.Fprintf(out, `Loaded %d ministries, %d assignments (%d open), %d professionals and %s.
Sign in with:
  admin       %s / %s
  ministry    %s / %s
  professional %s / %s
`, len(data.Ministries), 5*len(data.Ministries), published, len(data.Professionals), offers,
		cfg.AdminEmail, cfg.AdminPassword,
		data.Ministries[0].Registration.Email, data.Ministries[0].Registration.Password,
		data.Professionals[0].Registration.Email, data.Professionals[0].Registration.Password)
	return nil
}

// addProfessional registers a worker with a profile and returns the
// account id.
func (c *client) addProfessional(ctx context.Context, p SeedProfessional) (string, error) {
	var acc sankofa.Account
	if _, err := c.do(ctx, "", http.MethodPost, "/v1/auth/register", p.Registration, &acc); err != nil {
		return "", fmt.Errorf("register %s: %w", p.Registration.Email, err)
	}
	tok, err := c.login(ctx, p.Registration.Email, p.Registration.Password)
	if err != nil {
		return "", fmt.Errorf("login %s: %w", p.Registration.Email, err)
	}
	if _, err := c.do(ctx, tok, http.MethodPut, "/v1/profiles/me", p.Profile, nil); err != nil {
		return "", fmt.Errorf("profile of %s: %w", p.Registration.Email, err)
	}
	return acc.ID, nil
}

// seedOffers sends offers to the best matches of each ministry's first
// open assignment and moves them into every state, and makes sure the
// demo worker has an offer waiting. It returns a summary.
func (c *client) seedOffers(ctx context.Context, ministries map[string]string, open []ministryOpen, workers map[string]sankofa.Registration, demo sankofa.Registration) (string, error) {
	counts := map[sankofa.OfferStatus]int{}
	offer := func(minTok, assignmentID, profileID string) (sankofa.Offer, error) {
		var o sankofa.Offer
		_, err := c.do(ctx, minTok, http.MethodPost, "/v1/assignments/"+assignmentID+"/offers",
			map[string]string{"profile_id": profileID, "message": "We would be glad to have you with us."}, &o)
		return o, err
	}
	workerToken := func(accountID string) (string, error) {
		r := workers[accountID]
		return c.login(ctx, r.Email, r.Password)
	}
	// Each ministry offers its assignments to their best matches, four
	// offers in all, which then take every state.
	for _, m := range open {
		made := 0
		for _, asg := range m.assignments {
			if made == 4 {
				break
			}
			var matches struct {
				Items []struct {
					Profile sankofa.Profile `json:"profile"`
				} `json:"items"`
			}
			if _, err := c.do(ctx, m.token, http.MethodGet, "/v1/assignments/"+asg+"/matches?limit=4", nil, &matches); err != nil {
				return "", fmt.Errorf("seed: matches: %w", err)
			}
			for _, match := range matches.Items {
				if made == 4 {
					break
				}
				o, err := offer(m.token, asg, match.Profile.ID)
				if err != nil {
					continue
				}
				status := sankofa.OfferPending
				switch made {
				case 0, 1:
					wt, err := workerToken(o.ProfessionalID) // ministries do not see account ids on profiles
					if err != nil {
						return "", fmt.Errorf("seed: %w", err)
					}
					move, body := "accept", any(nil)
					if made == 1 {
						move, body = "decline", map[string]string{"reason": "I am committed elsewhere that month."}
					}
					// A worker already booked for those dates cannot accept;
					// the offer then stays pending.
					if _, err := c.do(ctx, wt, http.MethodPost, "/v1/offers/"+o.ID+"/"+move, body, &o); err == nil {
						status = o.Status
					}
				case 2:
					if _, err := c.do(ctx, m.token, http.MethodPost, "/v1/offers/"+o.ID+"/withdraw", nil, &o); err != nil {
						return "", fmt.Errorf("seed: withdraw offer: %w", err)
					}
					status = o.Status
				}
				counts[status]++
				made++
			}
		}
	}
	// The demo worker's best open assignment sends them an offer.
	if demoTok, err := c.login(ctx, demo.Email, demo.Password); err == nil {
		var mine struct {
			Items []struct {
				Assignment sankofa.Assignment `json:"assignment"`
			} `json:"items"`
		}
		var me sankofa.Account
		c.do(ctx, demoTok, http.MethodGet, "/v1/me", nil, &me)
		if _, err := c.do(ctx, demoTok, http.MethodGet, "/v1/profiles/me/matches?limit=1", nil, &mine); err == nil && len(mine.Items) > 0 {
			a := mine.Items[0].Assignment
			if tok, ok := ministries[a.MinistryID]; ok {
				if _, err := offer(tok, a.ID, sankofa.ProfileIDFor(me.ID)); err == nil {
					counts[sankofa.OfferPending]++
				}
			}
		}
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	return fmt.Sprintf("%d offers (%d accepted, %d declined, %d withdrawn, %d pending)", total,
		counts[sankofa.OfferAccepted], counts[sankofa.OfferDeclined], counts[sankofa.OfferWithdrawn], counts[sankofa.OfferPending]), nil
}

// seedSafeguards records the demo's agreements under the WHO safeguards
// list and the interest its workers express, before any offer is made.
func (c *client) seedSafeguards(ctx context.Context, admin string, data SeedData, openByTitle map[string]string) error {
	for _, ag := range data.Agreements {
		if _, err := c.do(ctx, admin, http.MethodPost, "/v1/admin/safeguards/agreements", ag, nil); err != nil {
			return fmt.Errorf("seed: agreement %q: %w", ag.Title, err)
		}
	}
	for _, p := range data.Professionals {
		for _, title := range p.Interested {
			id, ok := openByTitle[title]
			if !ok {
				return fmt.Errorf("seed: no open assignment %q for %s's interest", title, p.Registration.Email)
			}
			tok, err := c.login(ctx, p.Registration.Email, p.Registration.Password)
			if err != nil {
				return fmt.Errorf("seed: login %s: %w", p.Registration.Email, err)
			}
			if _, err := c.do(ctx, tok, http.MethodPost, "/v1/assignments/"+id+"/interest", nil, nil); err != nil {
				return fmt.Errorf("seed: interest of %s: %w", p.Registration.Email, err)
			}
		}
	}
	return nil
}

// ministryOpen is a seeded ministry's token and open assignments.
type ministryOpen struct {
	token       string
	assignments []string
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
