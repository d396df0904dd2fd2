package journey_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// bin is the sankofa binary every journey runs, built once by TestMain.
var bin string

const (
	adminEmail    = "admin@journey.example.org"
	adminPassword = "journey-admin-pass-1"
	password      = "journey-pass-1"
)

// TestMain builds cmd/sankofa once, without -race so that the server is
// fast, and with the chaos tag so that a journey can inject panics
// (the hook does nothing unless SANKOFA_CHAOS_PANIC is set).
// SANKOFA_JOURNEY_BIN runs a binary built elsewhere instead.
func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	if b := os.Getenv("SANKOFA_JOURNEY_BIN"); b != "" {
		bin = b
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "sankofa-journey-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "journey:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	bin = filepath.Join(dir, "sankofa")
	cmd := exec.Command("go", "build", "-tags", "chaos", "-o", bin, "sankofa/cmd/sankofa")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "journey: build cmd/sankofa:", err)
		return 1
	}
	return m.Run()
}

// server is one running sankofa process on its own data dir.
type server struct {
	t   testing.TB
	dir string
	env []string

	mu       sync.Mutex
	url      string
	cmd      *exec.Cmd
	done     chan struct{} // closed when the process exits
	exitErr  error
	stopping bool           // the test itself stopped or killed it
	tail     []string       // the last lines of its output
	chaos    map[string]int // "chaos: panic" lines seen, by consumer
	crash    []string       // from the first line starting "panic:" or "fatal error:"
	warns    []string       // the last warnings and errors logged
	logf     *os.File
}

// startServer starts sankofa on dir (a new temp dir when empty) with the
// first admin and extra SANKOFA_* settings, and waits until /readyz is 200.
func startServer(t testing.TB, dir string, extra ...string) *server {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	env := append(os.Environ(),
		"SANKOFA_DATA_DIR="+dir,
		"SANKOFA_ADDR=127.0.0.1:0",
		"SANKOFA_ADMIN_EMAIL="+adminEmail,
		"SANKOFA_ADMIN_PASSWORD="+adminPassword,
		"SANKOFA_LOG_FORMAT=json",
		"SANKOFA_WEBHOOK_ALLOW_PRIVATE=true",
	)
	s := &server{t: t, dir: dir, env: append(env, extra...)}
	logf, err := os.OpenFile(filepath.Join(t.TempDir(), "server.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	s.logf = logf
	t.Cleanup(func() {
		s.stop()
		_ = logf.Close()
		s.mu.Lock()
		defer s.mu.Unlock()
		if t.Failed() && len(s.warns) > 0 {
			t.Logf("--- the last warnings and errors sankofa logged:\n%s", strings.Join(s.warns, "\n"))
		}
	})
	s.start()
	return s
}

// start runs the process and waits for readiness.
func (s *server) start() {
	s.t.Helper()
	cmd := exec.Command(bin)
	cmd.Env = s.env
	dieWithTest(cmd)
	out, err := cmd.StdoutPipe()
	if err != nil {
		s.t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	urlc := make(chan string, 1)
	done := make(chan struct{})
	s.mu.Lock()
	s.cmd, s.done, s.exitErr, s.stopping, s.url = cmd, done, nil, false, ""
	s.mu.Unlock()
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("start sankofa: %v", err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			s.record(line)
			var l struct{ Msg, URL string }
			if strings.HasPrefix(line, "{") && json.Unmarshal([]byte(line), &l) == nil && l.Msg == "listening" && l.URL != "" {
				select {
				case urlc <- l.URL:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, out)
		err := cmd.Wait()
		s.mu.Lock()
		s.exitErr = err
		s.mu.Unlock()
		close(done)
	}()
	select {
	case u := <-urlc:
		s.mu.Lock()
		s.url = u
		s.mu.Unlock()
	case <-done:
		s.t.Fatalf("sankofa exited before listening: %v\n%s", s.exitErr, s.lastLines())
	case <-time.After(90 * time.Second):
		s.t.Fatalf("sankofa did not listen within 90s\n%s", s.lastLines())
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		r, err := s.try(http.MethodGet, "/readyz", "", nil)
		if err == nil && r.status == http.StatusOK {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("sankofa not ready within 60s (last: %v %v)\n%s", r.status, err, s.lastLines())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (s *server) record(line string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _ = s.logf.WriteString(line + "\n")
	if rest, ok := strings.CutPrefix(line, "chaos: panic consumer="); ok {
		if s.chaos == nil {
			s.chaos = map[string]int{}
		}
		s.chaos[strings.Fields(rest)[0]]++
	}
	if len(s.crash) == 0 && (strings.HasPrefix(line, "panic:") || strings.HasPrefix(line, "fatal error:")) || len(s.crash) > 0 && len(s.crash) < 40 {
		s.crash = append(s.crash, line)
	}
	if strings.Contains(line, `"level":"WARN"`) || strings.Contains(line, `"level":"ERROR"`) {
		s.warns = append(s.warns, line)
		if len(s.warns) > 40 {
			s.warns = s.warns[len(s.warns)-25:]
		}
	}
	s.tail = append(s.tail, line)
	if len(s.tail) > 60 {
		s.tail = s.tail[len(s.tail)-40:]
	}
}

// lastLines is the end of the output, and every panic line seen, for a
// failure message.
func (s *server) lastLines() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := "--- last lines of sankofa's output (full log: " + s.logf.Name() + ")\n" + strings.Join(s.tail, "\n")
	if len(s.crash) > 0 && !slices.Contains(s.tail, s.crash[0]) {
		out += "\n--- the crash\n" + strings.Join(s.crash, "\n")
	}
	return out
}

// diagnose explains a failed request: when the process died (it is given
// two seconds to be reaped), with its exit and its crash.
func (s *server) diagnose(err error) string {
	s.mu.Lock()
	done := s.done
	s.mu.Unlock()
	select {
	case <-done:
		_, exitErr := s.exited()
		return fmt.Sprintf("%v: SANKOFA DIED (%v)\n%s", err, exitErr, s.lastLines())
	case <-time.After(2 * time.Second):
		return err.Error()
	}
}

// chaosPanics is how many injected panics the process reported in the
// consumer.
func (s *server) chaosPanics(consumer string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.chaos[consumer]
}

// exited reports whether the process has ended, and how.
func (s *server) exited() (bool, error) {
	s.mu.Lock()
	done := s.done
	s.mu.Unlock()
	select {
	case <-done:
		s.mu.Lock()
		defer s.mu.Unlock()
		return true, s.exitErr
	default:
		return false, nil
	}
}

// mustBeAlive fails the test when the process died on its own, or when
// /healthz does not answer 200.
func (s *server) mustBeAlive(t testing.TB) {
	t.Helper()
	if dead, err := s.exited(); dead {
		t.Fatalf("sankofa died during the journey (%v)\n%s", err, s.lastLines())
	}
	r, err := s.try(http.MethodGet, "/healthz", "", nil)
	if err != nil || r.status != http.StatusOK {
		t.Fatalf("GET /healthz: %v %v\n%s", r.status, err, s.lastLines())
	}
}

// signal sends sig and waits for the process to end.
func (s *server) signal(sig syscall.Signal, wait time.Duration) {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.stopping = true
	s.mu.Unlock()
	if cmd == nil || cmd.Process == nil {
		return
	}
	select {
	case <-done:
		return
	default:
	}
	_ = cmd.Process.Signal(sig)
	select {
	case <-done:
	case <-time.After(wait):
		_ = cmd.Process.Kill()
		<-done
		s.t.Errorf("sankofa did not stop within %v after %v; killed\n%s", wait, sig, s.lastLines())
	}
}

// kill ends the process with SIGKILL: no shutdown code runs.
func (s *server) kill() { s.signal(syscall.SIGKILL, 10*time.Second) }

// stop ends the process with SIGTERM, the graceful way.
func (s *server) stop() { s.signal(syscall.SIGTERM, 40*time.Second) }

// restart starts the process again on the same data dir.
func (s *server) restart() {
	s.t.Helper()
	s.start()
}

// base is the server's current URL (a restart picks a new port).
func (s *server) base() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// resp is one HTTP answer.
type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) String() string {
	b := r.body
	if len(b) > 400 {
		b = b[:400]
	}
	return fmt.Sprintf("%d %s", r.status, b)
}

var httpClient = &http.Client{Timeout: 60 * time.Second}

// try sends one request; body is JSON-encoded unless it is nil.
func (s *server) try(method, path, token string, body any, hdr ...string) (resp, error) {
	return s.tryCtx(context.Background(), method, path, token, body, hdr...)
}

func (s *server) tryCtx(ctx context.Context, method, path, token string, body any, hdr ...string) (resp, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return resp{}, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.base()+path, rd)
	if err != nil {
		return resp{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := httpClient.Do(req)
	if err != nil {
		return resp{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, header: res.Header, body: b}, err
}

// do sends one request and fails the test unless the status is want.
func (s *server) do(t testing.TB, want int, method, path, token string, body any, out any, hdr ...string) resp {
	t.Helper()
	r, err := s.try(method, path, token, body, hdr...)
	if err != nil {
		t.Fatalf("%s %s: %s", method, path, s.diagnose(err))
	}
	if r.status != want {
		t.Fatalf("%s %s = %s, want %d", method, path, r, want)
	}
	if out != nil {
		if err := json.Unmarshal(r.body, out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, path, r.body, err)
		}
	}
	return r
}

// login returns an access token.
func (s *server) login(t testing.TB, email, pass string) string {
	t.Helper()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	s.do(t, http.StatusOK, http.MethodPost, "/v1/auth/login", "", map[string]string{"email": email, "password": pass}, &tok)
	return tok.AccessToken
}

func (s *server) admin(t testing.TB) string {
	t.Helper()
	return s.login(t, adminEmail, adminPassword)
}

var uniq atomic.Int64

// email makes an address no other journey uses.
func email(kind string) string {
	return fmt.Sprintf("%s-%d-%d@journey.example.org", kind, time.Now().UnixNano(), uniq.Add(1))
}

// ministry registers a Ghanaian ministry, has the admin approve it and
// returns its token.
func (s *server) ministry(t testing.TB, admin string) string {
	t.Helper()
	e := email("moh")
	var acc struct{ ID string }
	s.do(t, http.StatusCreated, http.MethodPost, "/v1/auth/register", "", map[string]any{
		"email": e, "password": password, "name": "Akosua Owusu", "role": "ministry",
		"country": "GH", "organization": "Ministry of Health, Ghana"}, &acc)
	s.do(t, http.StatusOK, http.MethodPost, "/v1/admin/accounts/"+acc.ID+"/approve", admin, nil, nil)
	return s.login(t, e, password)
}

// worker is a professional with a profile shared with Ghana.
type worker struct {
	token, profileID string
}

// day is a date n days from today.
func day(n int) string { return time.Now().UTC().AddDate(0, 0, n).Format(time.DateOnly) }

// newWorker registers a midwife available on site for the next year.
func (s *server) newWorker(t testing.TB) worker {
	t.Helper()
	e := email("pro")
	s.do(t, http.StatusCreated, http.MethodPost, "/v1/auth/register", "", map[string]any{
		"email": e, "password": password, "name": "Ama Mensah", "role": "professional"}, nil)
	tok := s.login(t, e, password)
	var p struct{ ID string }
	s.do(t, http.StatusCreated, http.MethodPut, "/v1/profiles/me", tok, map[string]any{
		"full_name": "Ama Mensah", "profession": "2222", "specialties": []string{"obstetrics"},
		"skills":         []string{"caesarean section", "neonatal resuscitation"},
		"languages":      []map[string]string{{"code": "en", "level": "C2"}},
		"origin_country": "GH", "residence_country": "GB", "timezone": "Europe/London", "years_experience": 9,
		"availability": []map[string]string{{"from": day(1), "to": day(360)}}, "virtual_hours_per_week": 4,
		"modes": []string{"onsite", "virtual"}, "alerts": true, "contact": map[string]string{"phone": "+447700900123"}}, &p)
	return worker{token: tok, profileID: p.ID}
}

// workers registers n workers, a few at a time.
func (s *server) workers(t testing.TB, n int) []worker {
	t.Helper()
	ws := make([]worker, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i := range ws {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			ws[i] = s.newWorker(t)
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	return ws
}

// assignment posts and publishes an on-site assignment from day from to
// day from+days.
func (s *server) assignment(t testing.TB, moh string, positions, from, days int) string {
	t.Helper()
	var a struct{ ID string }
	s.do(t, http.StatusCreated, http.MethodPost, "/v1/assignments", moh, map[string]any{
		"title": "Midwife mentor, Tamale Teaching Hospital", "profession": "2222",
		"required_skills": []string{"caesarean section"}, "languages": []map[string]string{{"code": "en", "level": "B2"}},
		"mode": "onsite", "location": map[string]string{"region": "Northern", "facility": "Tamale Teaching Hospital"},
		"start": day(from), "end": day(from + days), "positions": positions}, &a)
	s.do(t, http.StatusOK, http.MethodPost, "/v1/assignments/"+a.ID+"/publish", moh, nil, nil)
	return a.ID
}

// offer sends an offer and returns its id.
func (s *server) offer(t testing.TB, moh, asg, profileID string) string {
	t.Helper()
	var o struct{ ID string }
	s.do(t, http.StatusCreated, http.MethodPost, "/v1/assignments/"+asg+"/offers", moh,
		map[string]any{"profile_id": profileID, "message": "Would you mentor our midwives?"}, &o)
	return o.ID
}

type offerView struct {
	ID           string `json:"id"`
	AssignmentID string `json:"assignment_id"`
	ProfileID    string `json:"profile_id"`
	Status       string `json:"status"`
}

type assignmentView struct {
	ID        string `json:"id"`
	Status    string `json:"status"`
	Filled    int    `json:"filled"`
	Positions int    `json:"positions"`
}

// offers lists every offer of an assignment, as its ministry sees them.
func (s *server) offers(t testing.TB, moh, asg string) []offerView {
	t.Helper()
	var all []offerView
	cursor := ""
	for {
		var page struct {
			Items      []offerView `json:"items"`
			NextCursor *string     `json:"next_cursor"`
		}
		s.do(t, http.StatusOK, http.MethodGet, "/v1/offers?limit=100&assignment_id="+asg+"&cursor="+cursor, moh, nil, &page)
		all = append(all, page.Items...)
		if page.NextCursor == nil || *page.NextCursor == "" {
			return all
		}
		cursor = *page.NextCursor
	}
}

type commitment struct {
	OfferID      string `json:"offer_id"`
	AssignmentID string `json:"assignment_id"`
}

// commitments is the worker's booked time, as the worker reads it.
func (s *server) commitments(t testing.TB, w worker) []commitment {
	t.Helper()
	var p struct {
		Commitments []commitment `json:"commitments"`
	}
	s.do(t, http.StatusOK, http.MethodGet, "/v1/profiles/me", w.token, nil, &p)
	return p.Commitments
}

// invariants checks through the API, as the ministry and the workers see
// them, that each assignment's filled equals its accepted offers and is at
// most its positions, that every accepted offer is booked on its worker's
// profile exactly once and that every booking has its accepted offer, and
// that no offer stays pending on an assignment that is no longer open
// (waiting up to settle for the events to be handled). It returns the
// number of violations, each reported with t.Errorf.
func (s *server) invariants(t testing.TB, moh string, asgs []string, ws []worker, settle time.Duration) int {
	t.Helper()
	return s.checkInvariants(t, moh, asgs, ws, settle, true)
}

// bookingInvariants is invariants without the pending-offer rule, which
// needs every event handled: after a SIGKILL an event that was being
// handled comes back only after the consumers' AckWait (30 s).
func (s *server) bookingInvariants(t testing.TB, moh string, asgs []string, ws []worker, settle time.Duration) int {
	t.Helper()
	return s.checkInvariants(t, moh, asgs, ws, settle, false)
}

func (s *server) checkInvariants(t testing.TB, moh string, asgs []string, ws []worker, settle time.Duration, settled bool) int {
	t.Helper()
	deadline := time.Now().Add(settle)
	for {
		var problems []string
		accepted := map[string]string{} // offer -> assignment
		for _, asg := range asgs {
			var a assignmentView
			s.do(t, http.StatusOK, http.MethodGet, "/v1/assignments/"+asg, moh, nil, &a)
			n, pending := 0, 0
			for _, o := range s.offers(t, moh, asg) {
				switch o.Status {
				case "accepted":
					n++
					accepted[o.ID] = asg
				case "pending":
					pending++
				}
			}
			if a.Filled != n {
				problems = append(problems, fmt.Sprintf("assignment %s: filled %d, accepted offers %d", asg, a.Filled, n))
			}
			if a.Filled > a.Positions {
				problems = append(problems, fmt.Sprintf("assignment %s: filled %d > positions %d", asg, a.Filled, a.Positions))
			}
			if settled && a.Status != "open" && a.Status != "draft" && pending > 0 {
				problems = append(problems, fmt.Sprintf("assignment %s is %s with %d offers pending", asg, a.Status, pending))
			}
		}
		booked := map[string]int{}
		for _, w := range ws {
			for _, c := range s.commitments(t, w) {
				booked[c.OfferID]++
				if want, ok := accepted[c.OfferID]; !ok {
					if contains(asgs, c.AssignmentID) {
						problems = append(problems, fmt.Sprintf("profile %s: booking for offer %s (assignment %s), which is not accepted", w.profileID, c.OfferID, c.AssignmentID))
					}
				} else if want != c.AssignmentID {
					problems = append(problems, fmt.Sprintf("profile %s: booking for offer %s names assignment %s, the offer %s", w.profileID, c.OfferID, c.AssignmentID, want))
				}
			}
		}
		for id, asg := range accepted {
			if booked[id] != 1 {
				problems = append(problems, fmt.Sprintf("accepted offer %s (assignment %s) is booked %d times", id, asg, booked[id]))
			}
		}
		if len(problems) == 0 {
			return 0
		}
		if time.Now().After(deadline) {
			for _, p := range problems {
				t.Errorf("invariant: %s", p)
			}
			return len(problems)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// check runs `sankofa check` online against the running server; it fails
// the test unless it exits 0.
func (s *server) checkOnline(t testing.TB) bool {
	t.Helper()
	return s.runCheck(t, "check", "--url", s.base(), "--wait", "60s")
}

// checkOffline stops the server with SIGTERM and runs `sankofa check` on
// its data dir; it fails the test unless it exits 0.
func (s *server) checkOffline(t testing.TB) bool {
	t.Helper()
	s.stop()
	return s.runCheck(t, "check")
}

func (s *server) runCheck(t testing.TB, args ...string) bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = s.env
	dieWithTest(cmd)
	out, err := cmd.CombinedOutput()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Errorf("sankofa %s: %v", strings.Join(args, " "), err)
		return false
	}
	if code != 0 {
		t.Errorf("sankofa %s exited %d (0 clean, 1 violations, 2 error, 3 not settled):\n%s", strings.Join(args, " "), code, tailOf(out, 1500))
	}
	return code == 0
}

func tailOf(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// metric sums the samples of a Prometheus counter whose labels contain
// every one of match (such as `outcome="panicked"`). ok is false when the
// server does not serve /metrics to the admin.
func (s *server) metric(t testing.TB, admin, name string, match ...string) (sum float64, ok bool) {
	t.Helper()
	r, err := s.try(http.MethodGet, "/metrics", admin, nil)
	if err != nil || r.status != http.StatusOK {
		return 0, false
	}
	for _, line := range strings.Split(string(r.body), "\n") {
		if !strings.HasPrefix(line, name+"{") && !strings.HasPrefix(line, name+" ") {
			continue
		}
		all := true
		for _, m := range match {
			all = all && strings.Contains(line, m)
		}
		if !all {
			continue
		}
		f := strings.Fields(line)
		if v, err := strconv.ParseFloat(f[len(f)-1], 64); err == nil {
			sum += v
		}
	}
	return sum, true
}

// eventually polls cond until it holds or timeout passes.
func eventually(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", timeout, what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
