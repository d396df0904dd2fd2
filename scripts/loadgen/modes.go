package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
)

// burst has the ministry publish n assignments at once, as a ministry
// does after a planning meeting, and reports how long the publications
// took and how long until the alerts they fan out were all delivered.
func burst(ctx context.Context, c *client, ministry, metricsURL string, n int) error {
	fmt.Printf("setting up %d draft assignments...\n", n)
	professions := []string{"2221", "2222", "2211", "2212", "3221"}
	start := time.Now().UTC().AddDate(0, 0, 40)
	ids := make([]string, n)
	for i := range ids {
		body := map[string]any{
			"title":           fmt.Sprintf("Load burst position %d", i),
			"description":     "Mentor colleagues and run a short course.",
			"profession":      professions[i%len(professions)],
			"required_skills": []string{"caesarean section"},
			"languages":       []map[string]string{{"code": "en", "level": "B2"}},
			"mode":            "onsite",
			"location":        map[string]string{"region": "Greater Accra", "facility": "Korle Bu Teaching Hospital"},
			"start":           start.Format(time.DateOnly),
			"end":             start.AddDate(0, 0, 60).Format(time.DateOnly),
			"positions":       1,
		}
		var a struct {
			ID string `json:"id"`
		}
		if _, err := c.json(ctx, ministry, http.MethodPost, "/v1/assignments", body, &a); err != nil {
			return fmt.Errorf("create assignment %d: %w", i, err)
		}
		ids[i] = a.ID
	}
	acked0, err := consumerMetric(ctx, c, metricsURL, "sankofa_consumer_events_total", `consumer="notify",outcome="acked"`)
	if err != nil {
		return err
	}

	fmt.Printf("publishing %d assignments at once\n", n)
	var st stats
	var mu sync.Mutex
	var wg sync.WaitGroup
	t0 := time.Now()
	for _, id := range ids {
		wg.Go(func() {
			r0 := time.Now()
			res, err := c.do(ctx, ministry, http.MethodPost, "/v1/assignments/"+id+"/publish", nil, nil)
			d := time.Since(r0)
			mu.Lock()
			defer mu.Unlock()
			st.record(res, err, d)
		})
	}
	wg.Wait()
	published := time.Since(t0)

	// Every publication is one event the notify consumer handles by
	// fanning alerts out to the best-matching workers; the burst is over
	// when it has acknowledged all of them and has none left.
	for {
		acked, err := consumerMetric(ctx, c, metricsURL, "sankofa_consumer_events_total", `consumer="notify",outcome="acked"`)
		if err != nil {
			return err
		}
		lag, err := consumerMetric(ctx, c, metricsURL, "sankofa_consumer_pending", `consumer="notify"`)
		if err != nil {
			return err
		}
		if acked-acked0 >= float64(n-len(st.errors)) && lag == 0 {
			break
		}
		if time.Since(t0) > 3*time.Minute {
			return fmt.Errorf("the alerts of the burst were not all delivered in 3 minutes (%v acknowledged, lag %v)", acked-acked0, lag)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	fannedOut := time.Since(t0)

	reportOne(st, "POST /v1/assignments/{id}/publish", published)
	fmt.Printf("%d publications answered in %v; every alert delivered %v after the first\n",
		n, published.Round(time.Millisecond), fannedOut.Round(time.Millisecond))
	return nil
}

// storm sets up n professionals, then has each PATCH its profile at the
// same moment, as after an alert asking for availability.
func storm(ctx context.Context, c *client, password string, template map[string]any, n int) error {
	fmt.Printf("setting up %d professionals (one profile each; two password hashes each, so this takes a while)...\n", n)
	setup := time.Now()
	type member struct{ token, etag string }
	members := make([]member, n)
	// Four at a time: the server hashes a few passwords at once.
	sem := make(chan struct{}, 4)
	var setupErr error
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range members {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			tok, etag, err := c.newProfessional(ctx, 1000+i, password, template)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && setupErr == nil {
				setupErr = err
			}
			members[i] = member{tok, etag}
		})
	}
	wg.Wait()
	if setupErr != nil {
		return setupErr
	}
	fmt.Printf("set up in %v; %d PATCHes at once\n", time.Since(setup).Round(time.Millisecond), n)

	// One connection each, so that the requests really arrive together.
	c.http.Transport = &http.Transport{MaxIdleConnsPerHost: n, MaxConnsPerHost: n}
	var st stats
	t0 := time.Now()
	gate := make(chan struct{})
	for _, m := range members {
		wg.Go(func() {
			<-gate
			r0 := time.Now()
			res, err := c.do(ctx, m.token, http.MethodPatch, "/v1/profiles/me", []byte(`{"years_experience":12}`),
				map[string]string{"If-Match": m.etag, "Content-Type": "application/merge-patch+json"})
			d := time.Since(r0)
			mu.Lock()
			defer mu.Unlock()
			st.record(res, err, d)
		})
	}
	t0 = time.Now()
	close(gate)
	wg.Wait()
	elapsed := time.Since(t0)

	reportOne(st, "PATCH /v1/profiles/me (storm)", elapsed)
	fmt.Printf("%d PATCHes at once, all answered in %v\n", n, elapsed.Round(time.Millisecond))
	return nil
}

// consumerMetric reads one sample of a metric from the server's private
// metrics address; a sample not yet there reads 0.
func consumerMetric(ctx context.Context, c *client, metricsURL, name, labels string) (float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, metricsURL+"/metrics", nil)
	if err != nil {
		return 0, err
	}
	res, err := c.http.Do(req)
	if err != nil {
		return 0, fmt.Errorf("read metrics: %w", err)
	}
	defer res.Body.Close()
	want := name + "{" + labels + "} "
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), want); ok {
			return strconv.ParseFloat(strings.TrimSpace(v), 64)
		}
	}
	return 0, sc.Err()
}

// reportOne prints the table of a run of one operation.
func reportOne(st stats, name string, elapsed time.Duration) {
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "operation\tok\terrors\treq/s\tp50 ms\tp95 ms\tp99 ms\tmax ms\t\n")
	errs := 0
	for _, v := range st.errors {
		errs += v
	}
	line(tw, name, st.lat, errs, elapsed)
	for k, v := range st.errors {
		fmt.Fprintf(tw, "  error %s\t%d\t\t\t\t\t\t\t\n", k, v)
	}
	tw.Flush()
}

// record counts one request that should have answered 200 OK.
func (s *stats) record(res *response, err error, d time.Duration) {
	switch {
	case err != nil:
		s.fail(err.Error())
	case res.status != http.StatusOK:
		s.fail(strconv.Itoa(res.status))
	default:
		s.lat = append(s.lat, d)
	}
}
