// Command loadgen drives a bounded, loopback-only load against a running
// sankofa server and reports count, throughput and latency percentiles per
// operation. It is run by scripts/load.sh; it uses the standard library
// only.
//
// It signs in as a seeded professional and a seeded ministry, gives each
// worker a professional of its own (registered here, with a copy of the
// seeded profile) so that concurrent PATCHes do not collide on one
// profile, and then, until the duration is over, runs workers that mix
//
//	GET   /v1/profiles/me
//	GET   /v1/assignments?limit=20   (as the professional or the ministry)
//	PATCH /v1/profiles/me            (merge patch with If-Match)
//
// Other modes (-mode):
//
//	write-heavy  the same three operations, PATCH 80 % of them
//	read-only    the two GETs alone, half each
//	burst        the ministry publishes 50 assignments at once; reports
//	             the publications and how long until every alert they
//	             fan out is delivered (the notify consumer's lag, read
//	             from -metrics, back to 0)
//	storm        1,000 professionals (set up first) each PATCH their
//	             profile at once
//
// Every mixed run ends with the ratio of PATCH's p50 to GET's, both from
// the same run.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
)

// maxDuration bounds a run whatever the flags say.
const maxDuration = 5 * time.Minute

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		base      = flag.String("base", "", "server URL; must be http://127.0.0.1:PORT")
		duration  = flag.Duration("duration", 20*time.Second, "how long to drive load (at most 5m)")
		workers   = flag.Int("workers", 8, "concurrent workers (1 to 64)")
		proEmail  = flag.String("pro-email", "", "e-mail of a seeded professional")
		minEmail  = flag.String("ministry-email", "", "e-mail of a seeded, approved ministry")
		password  = flag.String("password", "demo-password-1", "password of the seeded accounts")
		waitReady = flag.Duration("wait", 60*time.Second, "how long to wait for /readyz")
		mixFlag   = flag.String("mix", "4:4:2", "relative weights of get-profile:list-assignments:patch-profile")
		mode      = flag.String("mode", "default", "default, write-heavy, read-only, burst or storm")
		metrics   = flag.String("metrics", "", "the server's SANKOFA_METRICS_ADDR URL, http://127.0.0.1:PORT (burst waits on its consumer lag)")
	)
	flag.Parse()
	if err := checkLoopback(*base); err != nil {
		return err
	}
	if *duration <= 0 || *duration > maxDuration {
		return fmt.Errorf("-duration must be between 0 and %v", maxDuration)
	}
	if *workers < 1 || *workers > 64 {
		return errors.New("-workers must be from 1 to 64")
	}
	if *proEmail == "" || *minEmail == "" {
		return errors.New("-pro-email and -ministry-email are required")
	}
	switch *mode {
	case "default", "burst", "storm":
	case "write-heavy":
		*mixFlag = "1:1:8"
	case "read-only":
		*mixFlag = "1:1:0"
	default:
		return fmt.Errorf("-mode must be default, write-heavy, read-only, burst or storm, got %q", *mode)
	}
	if *mode == "burst" {
		if err := checkLoopback(*metrics); err != nil {
			return fmt.Errorf("-mode burst needs -metrics: %w", err)
		}
	}
	mix, err := parseMix(*mixFlag)
	if err != nil {
		return err
	}

	// The whole run, set-up included, is bounded.
	ctx, cancel := context.WithTimeout(context.Background(), *waitReady+*duration+5*time.Minute)
	defer cancel()
	c := &client{base: strings.TrimRight(*base, "/"), http: &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 2 * *workers, MaxConnsPerHost: 2 * *workers},
	}}
	if err := c.waitReady(ctx, *waitReady); err != nil {
		return err
	}
	pro, err := c.login(ctx, *proEmail, *password)
	if err != nil {
		return fmt.Errorf("sign in as the professional: %w", err)
	}
	ministry, err := c.login(ctx, *minEmail, *password)
	if err != nil {
		return fmt.Errorf("sign in as the ministry: %w", err)
	}
	template, err := profileTemplate(ctx, c, pro)
	if err != nil {
		return err
	}
	switch *mode {
	case "burst":
		return burst(ctx, c, ministry, strings.TrimRight(*metrics, "/"), 50)
	case "storm":
		return storm(ctx, c, *password, template, 1000)
	}

	fmt.Printf("setting up %d workers (one professional each)...\n", *workers)
	setupStart := time.Now()
	ws := make([]*worker, *workers)
	for i := range ws {
		w := &worker{id: i, c: c, ministry: ministry, mix: mix, rng: rand.New(rand.NewPCG(uint64(i), 7))}
		if w.pro, w.etag, err = c.newProfessional(ctx, i, *password, template); err != nil {
			return fmt.Errorf("worker %d: %w", i, err)
		}
		ws[i] = w
	}
	fmt.Printf("set up in %v; driving load for %v against %s\n", time.Since(setupStart).Round(time.Millisecond), *duration, c.base)

	// Workers start no request after the deadline but let the ones in
	// flight finish, so that the server never sees a client hang up.
	start := time.Now()
	deadline := start.Add(*duration)
	var wg sync.WaitGroup
	for _, w := range ws {
		wg.Go(func() { w.loop(ctx, deadline) })
	}
	wg.Wait()
	elapsed := time.Since(start)
	report(os.Stdout, ws, elapsed)
	return nil
}

// checkLoopback refuses any target other than 127.0.0.1.
func checkLoopback(base string) error {
	u, err := url.Parse(base)
	if err != nil || u.Scheme != "http" || u.Hostname() != "127.0.0.1" || u.Port() == "" {
		return fmt.Errorf("-base must be http://127.0.0.1:PORT, got %q", base)
	}
	return nil
}

func parseMix(s string) ([3]int, error) {
	var m [3]int
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return m, errors.New("-mix must be three weights such as 4:4:2")
	}
	total := 0
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return m, errors.New("-mix weights must be whole numbers")
		}
		m[i] = n
		total += n
	}
	if total == 0 {
		return m, errors.New("-mix weights must not all be zero")
	}
	return m, nil
}

// Operations measured.
const (
	opGetProfile = iota
	opListAssignments
	opPatchProfile
	numOps
)

var opNames = [numOps]string{
	"GET /v1/profiles/me",
	"GET /v1/assignments?limit=20",
	"PATCH /v1/profiles/me",
}

// stats of one operation, kept per worker so that workers never contend.
type stats struct {
	lat    []time.Duration // successful requests
	errors map[string]int  // failures by status or error
}

func (s *stats) fail(what string) {
	if s.errors == nil {
		s.errors = map[string]int{}
	}
	s.errors[what]++
}

type worker struct {
	id       int
	c        *client
	pro      string // access token of this worker's professional
	ministry string
	etag     string
	mix      [3]int
	rng      *rand.Rand
	ops      [numOps]stats
}

func (w *worker) pick() int {
	n := w.rng.IntN(w.mix[0] + w.mix[1] + w.mix[2])
	for op, weight := range w.mix {
		if n < weight {
			return op
		}
		n -= weight
	}
	return opGetProfile
}

func (w *worker) loop(ctx context.Context, deadline time.Time) {
	years := 1
	for ctx.Err() == nil && time.Now().Before(deadline) {
		op := w.pick()
		var (
			res  *response
			err  error
			t0   = time.Now()
			want = http.StatusOK
		)
		switch op {
		case opGetProfile:
			res, err = w.c.do(ctx, w.pro, http.MethodGet, "/v1/profiles/me", nil, nil)
		case opListAssignments:
			tok := w.pro
			if w.rng.IntN(2) == 0 {
				tok = w.ministry
			}
			res, err = w.c.do(ctx, tok, http.MethodGet, "/v1/assignments?limit=20", nil, nil)
		case opPatchProfile:
			years = years%30 + 1
			body := []byte(`{"years_experience":` + strconv.Itoa(years) + `}`)
			res, err = w.c.do(ctx, w.pro, http.MethodPatch, "/v1/profiles/me", body,
				map[string]string{"If-Match": w.etag, "Content-Type": "application/merge-patch+json"})
		}
		d := time.Since(t0)
		st := &w.ops[op]
		switch {
		case err != nil:
			st.fail(err.Error())
		case res.status != want:
			st.fail(strconv.Itoa(res.status))
		default:
			st.lat = append(st.lat, d)
		}
		if res != nil && res.etag != "" && op != opListAssignments {
			w.etag = res.etag
		}
		if op == opPatchProfile && res != nil && res.status == http.StatusPreconditionFailed {
			// Resynchronise; this read is not counted.
			if r, err := w.c.do(ctx, w.pro, http.MethodGet, "/v1/profiles/me", nil, nil); err == nil && r.etag != "" {
				w.etag = r.etag
			}
		}
	}
}

// report prints one line per operation and a total.
func report(out io.Writer, ws []*worker, elapsed time.Duration) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "operation\tok\terrors\treq/s\tp50 ms\tp95 ms\tp99 ms\tmax ms\t\n")
	var all []time.Duration
	allErrs := 0
	for op := range numOps {
		var lat []time.Duration
		errs := map[string]int{}
		for _, w := range ws {
			lat = append(lat, w.ops[op].lat...)
			for k, v := range w.ops[op].errors {
				errs[k] += v
			}
		}
		n := 0
		for _, v := range errs {
			n += v
		}
		all = append(all, lat...)
		allErrs += n
		line(tw, opNames[op], lat, n, elapsed)
		for k, v := range errs {
			fmt.Fprintf(tw, "  error %s\t%d\t\t\t\t\t\t\t\n", k, v)
		}
	}
	line(tw, "all", all, allErrs, elapsed)
	tw.Flush()
	fmt.Fprintf(out, "%d workers for %v\n", len(ws), elapsed.Round(time.Millisecond))
	get, patch := p50(ws, opGetProfile), p50(ws, opPatchProfile)
	if get > 0 && patch > 0 {
		fmt.Fprintf(out, "PATCH p50 / GET /v1/profiles/me p50 = %.2f (%.2f ms / %.2f ms)\n",
			float64(patch)/float64(get), ms(patch), ms(get))
	}
}

// p50 is an operation's median latency over every worker, 0 if it never
// succeeded.
func p50(ws []*worker, op int) time.Duration {
	var lat []time.Duration
	for _, w := range ws {
		lat = append(lat, w.ops[op].lat...)
	}
	if len(lat) == 0 {
		return 0
	}
	slices.Sort(lat)
	return lat[(len(lat)-1)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func line(w io.Writer, name string, lat []time.Duration, errs int, elapsed time.Duration) {
	slices.Sort(lat)
	q := func(p float64) string {
		if len(lat) == 0 {
			return "-"
		}
		i := min(max(int(p*float64(len(lat))+0.5)-1, 0), len(lat)-1)
		return strconv.FormatFloat(float64(lat[i])/float64(time.Millisecond), 'f', 2, 64)
	}
	fmt.Fprintf(w, "%s\t%d\t%d\t%.1f\t%s\t%s\t%s\t%s\t\n", name, len(lat), errs,
		float64(len(lat))/elapsed.Seconds(), q(0.50), q(0.95), q(0.99), q(1))
}

// client is a minimal JSON client of the API.
type client struct {
	base string
	http *http.Client
}

type response struct {
	status int
	etag   string
	body   []byte
}

func (c *client) do(ctx context.Context, token, method, path string, body []byte, header map[string]string) (*response, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return &response{status: resp.StatusCode, etag: resp.Header.Get("ETag"), body: raw}, nil
}

// json sends v as JSON and decodes a 2xx answer into out.
func (c *client) json(ctx context.Context, token, method, path string, v, out any) (*response, error) {
	var body []byte
	if v != nil {
		var err error
		if body, err = json.Marshal(v); err != nil {
			return nil, err
		}
	}
	res, err := c.do(ctx, token, method, path, body, nil)
	if err != nil {
		return nil, err
	}
	if res.status >= 300 {
		return res, fmt.Errorf("%s %s: %d %s", method, path, res.status, bytes.TrimSpace(res.body))
	}
	if out != nil {
		return res, json.Unmarshal(res.body, out)
	}
	return res, nil
}

func (c *client) waitReady(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		res, err := c.do(ctx, "", http.MethodGet, "/readyz", nil, nil)
		if err == nil && res.status == http.StatusOK {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s/readyz did not answer 200 within %v", c.base, limit)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func (c *client) login(ctx context.Context, email, password string) (string, error) {
	var tp struct {
		AccessToken string `json:"access_token"`
	}
	_, err := c.json(ctx, "", http.MethodPost, "/v1/auth/login", map[string]string{"email": email, "password": password}, &tp)
	return tp.AccessToken, err
}

// profileTemplate reads the seeded professional's profile and keeps only
// the fields a client may send.
func profileTemplate(ctx context.Context, c *client, token string) (map[string]any, error) {
	var p map[string]any
	if _, err := c.json(ctx, token, http.MethodGet, "/v1/profiles/me", nil, &p); err != nil {
		return nil, fmt.Errorf("read the seeded profile: %w", err)
	}
	for _, k := range []string{"id", "account_id", "completeness", "commitments", "consent_history", "version", "created_at", "updated_at"} {
		delete(p, k)
	}
	// A licence's verification is the verifier's to set.
	if ls, ok := p["licences"].([]any); ok {
		for _, l := range ls {
			if m, ok := l.(map[string]any); ok {
				delete(m, "verification")
				delete(m, "id")
			}
		}
	}
	return p, nil
}

// newProfessional registers a professional for worker i, signs in and
// creates its profile from the template; it returns the access token and
// the profile's ETag.
func (c *client) newProfessional(ctx context.Context, i int, password string, template map[string]any) (string, string, error) {
	email := fmt.Sprintf("loadgen-%d-%d@example.org", os.Getpid(), i)
	reg := map[string]string{"email": email, "password": password, "name": fmt.Sprintf("Load Worker %d", i), "role": "professional"}
	if _, err := c.json(ctx, "", http.MethodPost, "/v1/auth/register", reg, nil); err != nil {
		return "", "", fmt.Errorf("register %s: %w", email, err)
	}
	tok, err := c.login(ctx, email, password)
	if err != nil {
		return "", "", fmt.Errorf("sign in as %s: %w", email, err)
	}
	p := make(map[string]any, len(template))
	for k, v := range template {
		p[k] = v
	}
	p["full_name"] = fmt.Sprintf("Load Worker %d", i)
	res, err := c.json(ctx, tok, http.MethodPut, "/v1/profiles/me", p, nil)
	if err != nil {
		return "", "", fmt.Errorf("create the profile of %s: %w", email, err)
	}
	return tok, res.etag, nil
}
