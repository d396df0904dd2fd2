package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"sankofa"
	"sankofa/api"
	"sankofa/console"
	"sankofa/disclosure"
	"sankofa/matcher"
	"sankofa/notifier"
	"sankofa/search"
	"sankofa/store"
	"sankofa/workflow"
)

const (
	adminEmail    = "admin@test.example.org"
	adminPassword = "admin-password-1"
	testPassword  = "test-password-1"
)

var (
	specOnce   sync.Once
	specRouter routers.Router
	specErr    error
)

// contract loads openapi.yaml once; every test request and response is
// checked against it.
func contract(tb testing.TB) routers.Router {
	tb.Helper()
	specOnce.Do(func() {
		doc, err := openapi3.NewLoader().LoadFromData(sankofa.OpenAPI)
		if err == nil {
			err = doc.Validate(context.Background())
		}
		if err == nil {
			doc.Servers = nil // match any host
			specRouter, err = gorillamux.NewRouter(doc)
		}
		specErr = err
	})
	if specErr != nil {
		tb.Fatalf("openapi.yaml: %v", specErr)
	}
	return specRouter
}

// env is a full Sankofa server on a random loopback port, over embedded
// FerretDB, embedded NATS and Bleve in a temporary directory.
type env struct {
	tb     testing.TB
	dir    string
	URL    string
	Server *api.Server
	Flow   *workflow.Workflow
	Store  *store.Store
	Bus    *notifier.Notifier
	Index  *search.Index
	// Reports indexes published mission reports; Missions runs them.
	Reports  *search.Reports
	Missions *workflow.Missions
	// Safeguards keeps the WHO safeguards list the matcher applies.
	Safeguards *store.Safeguards
	// Exports runs FHIR Bulk Data exports under dir/fhir-exports.
	Exports *api.FHIRExports
	http    *httptest.Server
	Now     *clock
	admin   string
	// stop ends the event consumers; published is closed once the
	// publisher has published what was queued.
	stop      context.CancelFunc
	published chan struct{}
}

// clock is a settable fake clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// newEnv starts a server in a new data directory.
func newEnv(tb testing.TB) *env {
	tb.Helper()
	return openEnv(tb, tb.TempDir())
}

// openEnv starts a server over an existing data directory, with the
// notification consumers running.
func openEnv(tb testing.TB, dir string) *env { return openEnvWith(tb, dir, true) }

// openEnvWith starts a server over dir; consumers says whether the
// notification consumers run.
func openEnvWith(tb testing.TB, dir string, consumers bool) *env {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	quiet := slog.New(slog.DiscardHandler)
	e := &env{tb: tb, dir: dir, Now: &clock{t: time.Now().UTC()}}
	var err error
	if e.Store, err = store.Open(ctx, store.Config{DataDir: dir, Logger: quiet}); err != nil {
		tb.Fatal(err)
	}
	if e.Bus, err = notifier.Open(ctx, notifier.Config{DataDir: dir, Logger: quiet}); err != nil {
		tb.Fatal(err)
	}
	if e.Safeguards, err = store.OpenSafeguards(ctx, e.Store); err != nil {
		tb.Fatal(err)
	}
	m := matcher.New(matcher.Default())
	m.UseSafeguards(e.Safeguards, e.Now.Now)
	if e.Index, err = search.Open(dir+"/search", m); err != nil {
		tb.Fatal(err)
	}
	// Tests index as they write; a restarted env keeps what it had.
	if err := e.Index.Built(); err != nil {
		tb.Fatal(err)
	}
	cfg := api.DefaultConfig()
	cfg.JWTSecret = []byte("0123456789abcdef0123456789abcdef")
	cfg.Now = e.Now.Now
	cfg.Logger = quiet
	e.Exports = api.NewFHIRExports(api.FHIRExportConfig{Jobs: e.Store, Profiles: e.Store, Index: e.Index,
		Dir: dir + "/fhir-exports", Page: 2, Now: e.Now.Now, Logger: quiet})
	e.Flow = workflow.New(workflow.Deps{
		Accounts: e.Store, Profiles: e.Store, Assignments: e.Store, Offers: e.Store, Outbox: e.Store,
		Index: e.Index, Events: e.Bus, Erasure: e.Store, Purger: e.Bus, Exports: e.Exports, Matcher: m, Logger: quiet, Now: e.Now.Now, SingleWriter: true,
	})
	if e.Reports, err = search.OpenReports(m); err != nil {
		tb.Fatal(err)
	}
	if err := e.Store.EachReport(ctx, e.Reports.Put); err != nil {
		tb.Fatal(err)
	}
	e.Missions = workflow.NewMissions(workflow.MissionDeps{Offers: e.Store, Reports: e.Store, Accounts: e.Store, Profiles: e.Store,
		Assignments: e.Store, OfferIndex: e.Index, ReportIndex: e.Reports, Events: e.Bus, Matcher: m, Logger: quiet, Now: e.Now.Now})
	// The console is mounted as in production: its catch-all route must
	// leave the API's 404s and 405s as they are.
	ui, err := console.New(console.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	e.Server = api.New(cfg, api.Deps{
		Accounts: e.Store, Sessions: e.Store, Profiles: e.Store, Assignments: e.Store, Offers: e.Store,
		Idempotency: e.Store, Outbox: e.Store, Index: e.Index, Events: e.Bus, Matcher: m, Workflow: e.Flow,
		Inbox: e.Store, Webhooks: e.Store, Shortlists: e.Store, Audit: e.Store, Safeguards: e.Safeguards, WebhookURLs: notifier.AddressPolicy{}, Live: e.Bus, DeadLetters: e.Bus,
		Missions: e.Missions, ReportSearch: e.Reports, ReportStore: e.Store,
		Observatory: e.Index.Observatory(disclosure.DefaultRules(), 0),
		Ready:       map[string]api.Pinger{"mongodb": e.Store, "nats": e.Bus},
		Console:     ui,
		FHIRExports: e.Exports, FHIRExportJobs: e.Store,
		// Tests that want the index's age start a consumer of this name.
		Status: api.StatusSources{Bus: e.Bus, Outbox: e.Store, Index: e.Index, IndexConsumer: "indexer-test"},
	})
	if err := e.Server.EnsureAdmin(ctx, adminEmail, adminPassword); err != nil {
		tb.Fatal(err)
	}
	// The notification consumers run as in production; webhooks may reach
	// the tests' loopback receivers.
	var bg context.Context
	bg, e.stop = context.WithCancel(context.Background())
	go e.Exports.Run(bg)
	e.published = make(chan struct{})
	go func() { defer close(e.published); e.Flow.Dispatcher().RunPublisher(bg) }()
	if consumers {
		go e.Bus.Consume(bg, "workflow", e.Flow.HandleEvent)
		go e.Bus.Consume(bg, "notify", e.Fanout().Handle)
		hooks := notifier.NewHooks(e.Store, notifier.NewDeliverer(notifier.AddressPolicy{AllowPrivate: true}, nil, quiet, nil))
		go e.Bus.Consume(bg, "webhooks", hooks.Handle)
	}
	e.http = httptest.NewServer(e.Server.Handler())
	e.URL = e.http.URL
	tb.Cleanup(e.Close)
	return e
}

// Fanout is the notification handler over this env's adapters.
func (e *env) Fanout() *notifier.Fanout {
	return notifier.NewFanout(e.Store, e.Store, e.Server.AlertAudience, e.Bus, notifier.FanoutConfig{}, nil)
}

// Close stops the server and its adapters; closing twice is harmless.
func (e *env) Close() {
	if e.http == nil {
		return
	}
	e.stop()
	e.http.Close()
	<-e.published
	e.Index.Close()
	e.Reports.Close()
	e.Bus.Close()
	e.Store.Close(context.Background())
	e.http = nil
}

// req is one API request in a scenario.
type req struct {
	Method, Path string
	Token        string
	Body         any               // marshalled to JSON unless a string or []byte
	Header       map[string]string // extra headers
	// Bad marks a request that deliberately breaks the contract; it is not
	// validated against openapi.yaml, only its response is.
	Bad bool
}

// resp is the answer to a req.
type resp struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v.
func (r resp) JSON(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		tb.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Problem decodes a problem+json body.
func (r resp) Problem(tb testing.TB) api.Problem {
	tb.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		tb.Fatalf("content type %q, want application/problem+json; body %s", ct, r.Body)
	}
	var p api.Problem
	r.JSON(tb, &p)
	return p
}

// do sends a request and checks request and response against openapi.yaml.
func (e *env) do(tb testing.TB, r req) resp {
	tb.Helper()
	var body []byte
	switch b := r.Body.(type) {
	case nil:
	case string:
		body = []byte(b)
	case []byte:
		body = b
	default:
		var err error
		if body, err = json.Marshal(b); err != nil {
			tb.Fatal(err)
		}
	}
	hr, err := http.NewRequest(r.Method, e.URL+r.Path, bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	if r.Body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	if r.Token != "" {
		hr.Header.Set("Authorization", "Bearer "+r.Token)
	}
	for k, v := range r.Header {
		hr.Header.Set(k, v)
	}
	route, params, routeErr := contract(tb).FindRoute(hr)
	in := &openapi3filter.RequestValidationInput{Request: hr, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
	if !r.Bad {
		if routeErr != nil {
			tb.Fatalf("%s %s is not in openapi.yaml: %v", r.Method, r.Path, routeErr)
		}
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			tb.Fatalf("%s %s: request breaks openapi.yaml: %v", r.Method, r.Path, err)
		}
		hr.Body = io.NopCloser(bytes.NewReader(body))
	}
	res, err := http.DefaultClient.Do(hr)
	if err != nil {
		tb.Fatalf("%s %s: %v", r.Method, r.Path, err)
	}
	defer res.Body.Close()
	got, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	if routeErr == nil {
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode, Header: res.Header,
			Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
		out.SetBodyBytes(got)
		if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
			tb.Errorf("%s %s -> %d: response breaks openapi.yaml: %v\nbody: %s", r.Method, r.Path, res.StatusCode, err, got)
		}
	}
	return resp{Status: res.StatusCode, Header: res.Header, Body: got}
}

// must sends a request that must succeed with the given status.
func (e *env) must(tb testing.TB, want int, r req) resp {
	tb.Helper()
	got := e.do(tb, r)
	if got.Status != want {
		tb.Fatalf("%s %s: status %d, want %d; body %s", r.Method, r.Path, got.Status, want, got.Body)
	}
	return got
}

// login returns an access token.
func (e *env) login(tb testing.TB, email, password string) string {
	tb.Helper()
	var tp api.TokenPair
	e.must(tb, 200, req{Method: "POST", Path: "/v1/auth/login", Body: sankofa.Credentials{Email: email, Password: password}}).JSON(tb, &tp)
	return tp.AccessToken
}

// Admin returns an admin's access token.
func (e *env) Admin(tb testing.TB) string {
	if e.admin == "" {
		e.admin = e.login(tb, adminEmail, adminPassword)
	}
	return e.admin
}

var seq struct {
	sync.Mutex
	n int
}

func uniqueEmail(prefix string) string {
	seq.Lock()
	defer seq.Unlock()
	seq.n++
	return fmt.Sprintf("%s%d@test.example.org", prefix, seq.n)
}

// Professional registers a professional and returns the account and token.
func (e *env) Professional(tb testing.TB) (sankofa.Account, string) {
	tb.Helper()
	email := uniqueEmail("pro")
	var a sankofa.Account
	e.must(tb, 201, req{Method: "POST", Path: "/v1/auth/register", Body: sankofa.Registration{
		Email: email, Password: testPassword, Name: "Ama Mensah", Role: sankofa.RoleProfessional, Country: "GH"}}).JSON(tb, &a)
	return a, e.login(tb, email, testPassword)
}

// Ministry registers a ministry of country, approved unless pending is
// set, and returns the account and token.
func (e *env) Ministry(tb testing.TB, country string, pending bool) (sankofa.Account, string) {
	tb.Helper()
	email := uniqueEmail("moh")
	var a sankofa.Account
	e.must(tb, 201, req{Method: "POST", Path: "/v1/auth/register", Body: sankofa.Registration{
		Email: email, Password: testPassword, Name: "Officer", Role: sankofa.RoleMinistry, Country: country,
		Organization: "Ministry of Health " + country}}).JSON(tb, &a)
	if !pending {
		e.must(tb, 200, req{Method: "POST", Path: "/v1/admin/accounts/" + a.ID + "/approve", Token: e.Admin(tb)}).JSON(tb, &a)
	}
	return a, e.login(tb, email, testPassword)
}

// day returns the date n days from the fake clock's today.
func (e *env) day(n int) sankofa.Date {
	return sankofa.DateOf(e.Now.Now().AddDate(0, 0, n))
}

// profileInput is a valid profile body.
func (e *env) profileInput() sankofa.ProfileInput {
	return sankofa.ProfileInput{
		FullName: "Ama Mensah", Profession: "2222",
		Specialties: []string{"obstetrics"}, Skills: []string{"caesarean section", "neonatal resuscitation", "ultrasound"},
		Languages:     []sankofa.Language{{Code: "en", Level: "C2"}, {Code: "fr", Level: "B1"}},
		OriginCountry: "GH", ResidenceCountry: "GB", Timezone: "Europe/London", YearsExperience: 9,
		Licences:            []sankofa.Licence{{Country: "GB", Body: "Nursing and Midwifery Council", Number: "12A3456E", Expires: e.day(700)}},
		Availability:        []sankofa.Window{{From: e.day(30), To: e.day(90)}},
		VirtualHoursPerWeek: 4, Modes: []sankofa.Mode{sankofa.ModeOnsite, sankofa.ModeVirtual},
		Alerts: true, Bio: "Midwife in Leeds.", Contact: &sankofa.Contact{Email: "ama@example.org", Phone: "+447700900123"},
	}
}

// assignmentInput is a valid assignment body.
func (e *env) assignmentInput() sankofa.AssignmentInput {
	return sankofa.AssignmentInput{
		Title: "Midwife mentor, Tamale", Description: "Mentor midwives in EmONC.", Profession: "2222",
		RequiredSkills: []string{"caesarean section"}, Languages: []sankofa.Language{{Code: "en", Level: "B2"}},
		Mode: sankofa.ModeOnsite, Location: sankofa.Location{Region: "Northern", Facility: "Tamale Teaching Hospital"},
		Start: e.day(40), End: e.day(100), Positions: 2,
	}
}

// contains reports whether body holds every fragment.
func contains(body []byte, fragments ...string) (missing []string) {
	for _, f := range fragments {
		if !strings.Contains(string(body), f) {
			missing = append(missing, f)
		}
	}
	return missing
}
