package journey_test

// The browser harness: real Chromium driven through chromedp, with helpers
// that act and look as a person does (by the label, the button's name, the
// text on the screen), never by CSS selectors or DOM structure.
//
//	s := startServer(t, "")           // start the server first: cleanups run in reverse
//	b := newBrowser(t, s)
//	p := b.context(t, phone, "fr")    // an isolated profile: own cookies and storage
//	p.visit("/signin")
//	p.fill("E-mail", "ama@example.org")
//	p.click("Se connecter")
//	p.waitText(containing("Bonjour"))
//	p.in("Midwife mentor").click("Send offer")  // scoped to the card holding that text
//
// A page belongs to the test (or subtest) that opened it: its helpers fail
// that test, so open a page in the subtest that uses it.
//
// Every page fails the test, when it ends, on an uncaught exception, a CSP
// violation, a console.error or an HTTP error status that the test did not
// declare with p.allowHTTP (a 401 from /v1/auth/refresh at start-up is
// declared for every page). A failed test leaves a full-page screenshot and
// the console log of every page it opened, under $SANKOFA_BROWSER_ARTIFACTS
// or $TMPDIR/sankofa-browser/<test>/.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Viewport widths for b.context.
const (
	desktop = 1280 // 1280x900
	phone   = 390  // 390x844, mobile emulation with touch
)

// defaultWait is how long a person-level helper waits for what it looks for.
const defaultWait = 10 * time.Second

// browser is one Chromium process, owned by one test.
type browser struct {
	t       testing.TB
	s       *server
	ctx     context.Context // the browser's first tab; every page is a child
	ua      string          // the browser's own User-Agent, without "Headless"
	mu      sync.Mutex
	pages   []*tab // open pages
	n       int    // pages opened
	shots   sync.Once
	artOnce sync.Once
}

// chromiumPath is $SANKOFA_CHROMIUM or Debian's /usr/bin/chromium.
func chromiumPath() string {
	if p := os.Getenv("SANKOFA_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// needChromium skips the test when Chromium is missing, or fails it when
// SANKOFA_REQUIRE_BROWSER=1 (as in CI). It returns the executable's path.
func needChromium(t testing.TB) string {
	t.Helper()
	path := chromiumPath()
	if _, err := exec.LookPath(path); err != nil {
		msg := fmt.Sprintf("no Chromium at %s (%v): install Debian's chromium (apt-get install -y chromium) or set SANKOFA_CHROMIUM", path, err)
		if os.Getenv("SANKOFA_REQUIRE_BROWSER") == "1" {
			t.Fatal(msg + "; SANKOFA_REQUIRE_BROWSER=1 makes this a failure")
		}
		t.Skip(msg)
	}
	return path
}

// newBrowser starts a headless Chromium with a fresh profile for the test,
// pointed at s. Call it after startServer, so that the pages are checked and
// closed before the server stops.
func newBrowser(t testing.TB, s *server) *browser {
	t.Helper()
	path := needChromium(t)
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		// Without the back-forward cache: a page left by p.visit would stay
		// frozen in it with its notification stream open, and after six
		// visits the six connections Chromium allows per host are all held,
		// so the seventh page waits ~16 s for one.
		chromedp.Flag("disable-features", "Translate,BlinkGenPropertyTrees,BackForwardCache"),
		chromedp.WindowSize(desktop, 900),
	)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	b := &browser{t: t, s: s}
	var ended sync.Mutex
	over := false
	logf := func(format string, args ...any) {
		ended.Lock()
		defer ended.Unlock()
		if !over {
			t.Logf("chromedp: "+format, args...)
		}
	}
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithErrorf(logf))
	t.Cleanup(func() {
		b.finish()
		cancel()
		acancel()
		ended.Lock()
		over = true
		ended.Unlock()
	})
	// The first Run starts the browser; it must not carry a timeout.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("start Chromium (%s): %v", path, err)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("Chromium (%s) did not start within 60s", path)
	}
	v, err := chromedp.CallBrowser(ctx, cdpbrowser.GetVersion, cdp.Empty{})
	if err != nil {
		t.Fatalf("Chromium version: %v", err)
	}
	b.ua = strings.Replace(v.UserAgent, "HeadlessChrome", "Chrome", 1)
	b.ctx = ctx
	return b
}

// tab is one browser context (its own cookies, storage and cache) with one
// page in it, and what the page logged.
type tab struct {
	b      *browser
	t      testing.TB
	ctx    context.Context
	cancel context.CancelFunc
	name   string // "1-en-1280", for artifacts
	lang   string
	width  int

	mu       sync.Mutex
	log      []string                         // everything the page logged, in order
	problems []string                         // what fails the test
	frozen   bool                             // the test ended: ignore what follows
	allowed  []allowance                      // expected HTTP errors
	reqs     map[network.RequestID]*request   // by id
	ignore   []string                         // console.error texts the test expects
	bytes    map[network.ResourceType]float64 // encoded bytes received, by type
}

type request struct {
	method, url string
	status      int64
	typ         network.ResourceType
	encoded     float64
}

type allowance struct {
	status int
	path   string // a prefix of the URL path
}

// page is what the helpers act on: a tab, possibly narrowed to the part of
// the screen around a text (see in).
type page struct {
	*tab
	scope   string
	timeout time.Duration // 0: defaultWait
}

// context opens an independent browser context (separate cookies and
// storage, as another person on another device) with a viewport of width
// (desktop: 1280x900, phone: 390x844 with mobile emulation and touch) and
// lang ("en", "fr", "pt") as Accept-Language, navigator.language and the
// Intl locale.
func (b *browser) context(t testing.TB, width int, lang string) *page {
	t.Helper()
	b.mu.Lock()
	b.n++
	n := b.n
	b.mu.Unlock()
	tb := &tab{b: b, t: t, lang: lang, width: width,
		name:    fmt.Sprintf("%d-%s-%d", n, lang, width),
		reqs:    map[network.RequestID]*request{},
		bytes:   map[network.ResourceType]float64{},
		allowed: []allowance{{status: 401, path: "/v1/auth/refresh"}},
	}
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext(), chromedp.WithListener(tb.onEvent))
	tb.ctx, tb.cancel = ctx, cancel
	b.mu.Lock()
	b.pages = append(b.pages, tb)
	b.mu.Unlock()
	// Runs before the browser's and the server's cleanups (they were
	// registered first), so what the page logged is complete and the
	// server's shutdown is not in it.
	t.Cleanup(tb.check)

	height, mobile := int64(900), false
	ua, platform := b.ua, "Linux x86_64"
	if width < 600 {
		height, mobile = 844, true
		ua = mobileUA(b.ua)
		platform = "Linux armv8l"
	}
	accept := lang
	switch lang {
	case "fr":
		accept = "fr-FR,fr;q=0.9"
	case "pt":
		accept = "pt-PT,pt;q=0.9"
	case "en":
		accept = "en-GB,en;q=0.9"
	}
	locale := map[string]string{"en": "en_GB", "fr": "fr_FR", "pt": "pt_PT"}[lang]
	if locale == "" {
		locale = lang
	}
	ctx2, cancel2 := context.WithTimeout(ctx, 60*time.Second)
	defer cancel2()
	err := chromedp.Do(ctx, chromedp.Func(func(_ context.Context, tg *chromedp.Target) error {
		steps := []func() error{
			func() error {
				_, err := cdp.Call(ctx2, tg, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
					Width: int64(width), Height: height, DeviceScaleFactor: 1, Mobile: mobile})
				return err
			},
			func() error {
				_, err := cdp.Call(ctx2, tg, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: mobile, MaxTouchPoints: 5})
				return err
			},
			func() error {
				_, err := cdp.Call(ctx2, tg, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{
					UserAgent: ua, AcceptLanguage: accept, Platform: platform})
				return err
			},
			func() error {
				_, err := cdp.Call(ctx2, tg, emulation.SetLocaleOverride, emulation.SetLocaleOverrideParams{Locale: locale})
				return err
			},
			func() error {
				_, err := cdp.Call(ctx2, tg, runtime.AddBinding, runtime.AddBindingParams{Name: cspBinding})
				return err
			},
			func() error {
				_, err := cdp.Call(ctx2, tg, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: cspWatch})
				return err
			},
		}
		for _, s := range steps {
			if err := s(); err != nil {
				return err
			}
		}
		return nil
	}))
	if err != nil {
		t.Fatalf("open browser context %s: %v", tb.name, err)
	}
	return &page{tab: tb}
}

// mobileUA turns the desktop User-Agent into an Android phone's.
func mobileUA(desktop string) string {
	ver := "148.0.0.0"
	if m := regexp.MustCompile(`Chrome/([0-9.]+)`).FindStringSubmatch(desktop); m != nil {
		ver = m[1]
	}
	return "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" + ver + " Mobile Safari/537.36"
}

// cspBinding is called by cspWatch for every securitypolicyviolation event,
// which Chromium fires even when it logs nothing.
const cspBinding = "__sankofaCSPViolation"

const cspWatch = `document.addEventListener('securitypolicyviolation', (e) => {
  try { globalThis.` + cspBinding + `(JSON.stringify({directive: e.effectiveDirective || e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber, sample: e.sample})); } catch (_) {}
}, true);`

// allowHTTP declares that a response with status from a URL whose path
// starts with path is expected (a 422 the page shows as a field error, a
// 401 for a wrong password), so its console error does not fail the test.
func (p *page) allowHTTP(status int, path string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.allowed = append(p.allowed, allowance{status: status, path: path})
}

// allowConsoleError declares a console.error whose text contains substr as
// expected.
func (p *page) allowConsoleError(substr string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ignore = append(p.ignore, substr)
}

// onEvent records the page's console, exceptions, CSP violations and
// network traffic. It runs on chromedp's reader goroutine: no commands.
func (tb *tab) onEvent(ev any) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	if tb.frozen {
		return
	}
	stamp := time.Now().Format("15:04:05.000")
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		var parts []string
		for _, a := range ev.Args {
			parts = append(parts, remoteString(a))
		}
		text := strings.Join(parts, " ")
		tb.log = append(tb.log, fmt.Sprintf("%s console.%s: %s%s", stamp, ev.Type, text, stackTop(ev.StackTrace)))
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			if !slices.ContainsFunc(tb.ignore, func(s string) bool { return strings.Contains(text, s) }) {
				tb.problems = append(tb.problems, fmt.Sprintf("console.%s: %s%s", ev.Type, text, stackTop(ev.StackTrace)))
			}
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		msg = fmt.Sprintf("uncaught exception: %s (%s:%d:%d)", msg, d.URL, d.LineNumber+1, d.ColumnNumber+1)
		tb.log = append(tb.log, stamp+" "+msg)
		tb.problems = append(tb.problems, msg)
	case *runtime.EventBindingCalled:
		if ev.Name == cspBinding {
			msg := "CSP violation: " + ev.Payload
			tb.log = append(tb.log, stamp+" "+msg)
			tb.problems = append(tb.problems, msg)
		}
	case *cdplog.EventEntryAdded:
		e := ev.Entry
		line := fmt.Sprintf("%s log %s/%s: %s", stamp, e.Source, e.Level, e.Text)
		if e.URL != "" {
			line += " (" + e.URL + ")"
		}
		tb.log = append(tb.log, line)
		switch {
		case e.Source == cdplog.EntrySourceSecurity || strings.Contains(e.Text, "Content Security Policy"):
			tb.problems = append(tb.problems, "CSP/security: "+e.Text)
		case e.Source == cdplog.EntrySourceNetwork && e.Level == cdplog.EntryLevelError:
			if !tb.allowedLocked(e) {
				tb.problems = append(tb.problems, fmt.Sprintf("network error not declared with allowHTTP: %s (%s)", e.Text, e.URL))
			}
		case e.Level == cdplog.EntryLevelError && e.Source == cdplog.EntrySourceJavascript:
			tb.problems = append(tb.problems, "javascript: "+e.Text)
		}
	case *network.EventRequestWillBeSent:
		tb.reqs[ev.RequestID] = &request{method: ev.Request.Method, url: ev.Request.URL, typ: ev.Type}
	case *network.EventResponseReceived:
		r := tb.reqs[ev.RequestID]
		if r == nil {
			r = &request{url: ev.Response.URL}
			tb.reqs[ev.RequestID] = r
		}
		r.status, r.typ = ev.Response.Status, ev.Type
		if ev.Response.Status >= 400 {
			tb.log = append(tb.log, fmt.Sprintf("%s http %d %s %s", stamp, ev.Response.Status, r.method, ev.Response.URL))
		}
	case *network.EventLoadingFinished:
		if r := tb.reqs[ev.RequestID]; r != nil {
			r.encoded = ev.EncodedDataLength
			tb.bytes[r.typ] += ev.EncodedDataLength
		}
	case *network.EventLoadingFailed:
		r := tb.reqs[ev.RequestID]
		u := ""
		if r != nil {
			u = r.url
		}
		tb.log = append(tb.log, fmt.Sprintf("%s load failed %s: %s %s", stamp, u, ev.ErrorText, ev.BlockedReason))
		if ev.BlockedReason != "" {
			tb.problems = append(tb.problems, fmt.Sprintf("request blocked (%s): %s", ev.BlockedReason, u))
		}
	}
}

// allowedLocked tells whether a network console error is a declared HTTP
// status. An error with no status (connection refused, blocked) never is.
func (tb *tab) allowedLocked(e *cdplog.Entry) bool {
	var status int64
	u := e.URL
	if r := tb.reqs[e.NetworkRequestID]; r != nil {
		status, u = r.status, r.url
	}
	if status == 0 {
		if m := regexp.MustCompile(`status of (\d{3})`).FindStringSubmatch(e.Text); m != nil {
			status, _ = strconv.ParseInt(m[1], 10, 64)
		}
	}
	if status < 400 || status >= 500 {
		return false
	}
	pu, err := url.Parse(u)
	if err != nil {
		return false
	}
	for _, a := range tb.allowed {
		if int64(a.status) == status && strings.HasPrefix(pu.Path, a.path) {
			return true
		}
	}
	return false
}

func remoteString(o *runtime.RemoteObject) string {
	if o == nil {
		return ""
	}
	if len(o.Value) > 0 {
		var s string
		if json.Unmarshal(o.Value, &s) == nil {
			return s
		}
		return string(o.Value)
	}
	if o.UnserializableValue != "" {
		return string(o.UnserializableValue)
	}
	if o.Description != "" {
		return o.Description
	}
	return string(o.Type)
}

func stackTop(st *runtime.StackTrace) string {
	if st == nil || len(st.CallFrames) == 0 {
		return ""
	}
	f := st.CallFrames[0]
	return fmt.Sprintf(" (at %s:%d)", f.URL, f.LineNumber+1)
}

// check reports, once, what the page logged that fails the test.
func (tb *tab) check() {
	tb.mu.Lock()
	if tb.frozen {
		tb.mu.Unlock()
		return
	}
	tb.frozen = true
	problems := slices.Clone(tb.problems)
	tb.mu.Unlock()
	for _, p := range problems {
		tb.t.Errorf("browser page %s: %s", tb.name, p)
	}
}

// close checks the page now and closes its browser context, for a test
// that opens many; pages left open are checked when the test ends and
// close with the browser.
func (p *page) close() {
	p.t.Helper()
	p.check()
	if p.t.Failed() {
		p.b.saveArtifacts([]*tab{p.tab})
	}
	p.b.mu.Lock()
	p.b.pages = slices.DeleteFunc(p.b.pages, func(x *tab) bool { return x == p.tab })
	p.b.mu.Unlock()
	p.cancel()
}

// consoleLog is everything the page logged so far.
func (p *page) consoleLog() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.log, "\n")
}

// finish saves the artifacts of every page when the test failed, then
// lets the contexts close with the browser.
func (b *browser) finish() {
	if !b.t.Failed() {
		return
	}
	b.mu.Lock()
	pages := slices.Clone(b.pages)
	b.mu.Unlock()
	b.saveArtifacts(pages)
}

// saveArtifacts writes a screenshot and the console log of each page.
func (b *browser) saveArtifacts(pages []*tab) {
	if len(pages) == 0 {
		return
	}
	dir := os.Getenv("SANKOFA_BROWSER_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "sankofa-browser")
	}
	dir = filepath.Join(dir, safeName(b.t.Name()))
	b.artOnce.Do(func() { _ = os.RemoveAll(dir) })
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Logf("browser artifacts: %v", err)
		return
	}
	for _, tb := range pages {
		ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		cancel()
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, tb.name+".png"), png, 0o644)
		}
		if err != nil {
			b.t.Logf("screenshot of page %s: %v", tb.name, err)
		}
		loc := ""
		ctx, cancel = context.WithTimeout(tb.ctx, 5*time.Second)
		loc, _ = chromedp.Run(ctx, chromedp.Location())
		cancel()
		tb.mu.Lock()
		text := "page " + tb.name + " at " + loc + "\n" + strings.Join(tb.log, "\n") + "\n"
		tb.mu.Unlock()
		_ = os.WriteFile(filepath.Join(dir, tb.name+".console.log"), []byte(text), 0o644)
	}
	b.t.Logf("browser artifacts (a screenshot and the console log of each page): %s", dir)
}

func safeName(s string) string {
	return regexp.MustCompile(`[^A-Za-z0-9._-]+`).ReplaceAllString(s, "_")
}

// --- person-level helpers ---------------------------------------------------

// containsMark prefixes a text argument that matches by containment.
const containsMark = "\x1fcontains\x1f"

// containing makes a helper's text argument match any text that contains s
// (after whitespace is collapsed), instead of exactly.
func containing(s string) string { return containsMark + s }

func describe(text string) string {
	if s, ok := strings.CutPrefix(text, containsMark); ok {
		return fmt.Sprintf("text containing %q", s)
	}
	return fmt.Sprintf("%q", text)
}

// in narrows the helpers to the part of the screen around text: the
// nearest card, list item, row, section, form, dialog or fieldset that holds
// it. For example p.in("Ama Mensah").click("Shortlist").
func (p *page) in(text string) *page {
	return &page{tab: p.tab, scope: text, timeout: p.timeout}
}

// within returns the page with another wait for its helpers, such as
// p.within(30*time.Second).waitText("Published").
func (p *page) within(d time.Duration) *page {
	return &page{tab: p.tab, scope: p.scope, timeout: d}
}

// pageLib is the helpers' JavaScript, run in the page for every call. It
// finds elements by what a person sees.
const pageLib = `(() => {
const MARK = '\u001fcontains\u001f';
const norm = (s) => String(s ?? '').replace(/\s+/g, ' ').trim();
const matcher = (want) => {
  if (want.startsWith(MARK)) { const w = norm(want.slice(MARK.length)); return (s) => norm(s).includes(w); }
  const w = norm(want); return (s) => norm(s) === w;
};
const shown = (el) => {
  if (!el || !el.isConnected) return false;
  if (el.checkVisibility && !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0;
};
const CONTROLS = 'input,select,textarea,button,[aria-hidden="true"]';
const ownText = (el) => {
  let s = '';
  for (const n of el.childNodes) {
    if (n.nodeType === 3) s += n.data;
    else if (n.nodeType === 1 && !n.matches(CONTROLS)) {
      if (n.checkVisibility && !n.checkVisibility({ checkVisibilityCSS: true })) continue;
      s += ' ' + ownText(n) + ' ';
    }
  }
  return norm(s);
};
const byIds = (el, attr) => norm((el.getAttribute(attr) || '').split(/\s+/).filter(Boolean)
  .map((id) => document.getElementById(id)).filter(Boolean).map((e) => e.innerText || e.textContent).join(' '));
const names = (el) => {
  const out = [];
  const lb = byIds(el, 'aria-labelledby'); if (lb) out.push(lb);
  const al = norm(el.getAttribute('aria-label')); if (al) out.push(al);
  if (el.matches('input,select,textarea')) {
    for (const l of el.labels || []) { const s = ownText(l); if (s) out.push(s); }
    if (el.matches('input[type=submit],input[type=button],input[type=reset]')) out.push(norm(el.value));
    if (!out.length && el.getAttribute('title')) out.push(norm(el.getAttribute('title')));
    return out;
  }
  if (el.tagName === 'LABEL') { out.push(ownText(el)); return out; }
  const tx = norm(el.innerText); if (tx) out.push(tx);
  for (const img of el.querySelectorAll('img[alt]')) if (norm(img.alt)) out.push(norm(img.alt));
  if (el.getAttribute('title')) out.push(norm(el.getAttribute('title')));
  return out;
};
// seenAs matches an element's text as shown, or without its decorations
// (aria-hidden marks such as a required field's asterisk).
const seenAs = (el, m) => m(el.innerText) || (el.querySelector('[aria-hidden="true"]') && m(ownText(el)));
const nameOf = (el) => (el ? names(el)[0] || '' : '');
const CONTAINERS = 'article,li,tr,section,form,dialog,fieldset,[role=dialog],[role=group],[role=region],[role=listitem],[role=row],.card';
const roots = (scope) => {
  if (!scope) return [document.body];
  const m = matcher(scope);
  const hits = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.matches('script,style,template,noscript') || !shown(el)) continue;
    if (!seenAs(el, m)) continue;
    hits.push(el);
  }
  const deepest = hits.filter((el) => !hits.some((o) => o !== el && el.contains(o)));
  const out = [];
  for (const el of deepest) {
    const c = el.parentElement ? el.parentElement.closest(CONTAINERS) || el.closest(CONTAINERS) || el.parentElement : el;
    if (!out.includes(c)) out.push(c);
  }
  return out;
};
const all = (rs, sel) => rs.flatMap((r) => [...r.querySelectorAll(sel)]);
const enabled = (el) => !el.matches(':disabled') && el.getAttribute('aria-disabled') !== 'true';
const CLICKABLE = 'button,a[href],[role=button],[role=tab],[role=link],[role=menuitem],[role=option],[role=checkbox],[role=radio],[role=switch],summary,input[type=submit],input[type=button],input[type=reset],input[type=checkbox],input[type=radio],label';
const FILLABLE = 'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=checkbox]):not([type=radio]),textarea,select,[contenteditable=""],[contenteditable=true],[role=combobox],[role=searchbox],[role=textbox]';
const describe = (el) => el ? (el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') + ' "' + norm(el.innerText).slice(0, 60) + '"') : 'nothing';
const center = (el) => {
  el.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' });
  const r = el.getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  const hit = document.elementFromPoint(x, y);
  let ok = hit && (hit === el || el.contains(hit));
  if (!ok && hit && el.tagName === 'INPUT' && el.labels) ok = [...el.labels].some((l) => l === hit || l.contains(hit));
  return { x, y, covered: ok ? '' : describe(hit) };
};
const visibleTexts = (rs) => {
  const out = [];
  for (const r of rs) {
    const w = document.createTreeWalker(r, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      const s = norm(n.data);
      const pe = n.parentElement;
      if (!s || !pe || pe.closest('script,style,template,noscript')) continue;
      if (!shown(pe) && !(pe.tagName === 'OPTION' && shown(pe.closest('select')))) continue;
      out.push(s);
    }
  }
  return out;
};
return {
  click(a) {
    const m = matcher(a.text);
    const rs = roots(a.scope);
    if (!rs.length) return { error: 'no part of the screen shows ' + a.scopeDesc };
    const cands = all(rs, CLICKABLE).filter(shown);
    const found = cands.filter((el) => names(el).some(m));
    if (!found.length) return { error: 'nothing to click named ' + a.desc, seen: [...new Set(cands.map(nameOf).filter(Boolean))].slice(0, 60) };
    const ready = found.filter(enabled);
    if (!ready.length) return { error: describe(found[0]) + ' is disabled', wait: true };
    const el = ready[0];
    const c = center(el);
    if (c.covered) return { error: describe(el) + ' is covered by ' + c.covered, wait: true };
    return { x: c.x, y: c.y };
  },
  focus(a) {
    const m = matcher(a.text);
    const rs = roots(a.scope);
    if (!rs.length) return { error: 'no part of the screen shows ' + a.scopeDesc };
    const cands = all(rs, FILLABLE).filter(shown);
    const found = cands.filter((el) => names(el).some(m));
    if (!found.length) return { error: 'no field labelled ' + a.desc, seen: [...new Set(cands.map(nameOf))].slice(0, 60) };
    const ready = found.filter(enabled).filter((el) => !el.readOnly);
    if (!ready.length) return { error: describe(found[0]) + ' is disabled or read-only', wait: true };
    const el = ready[0];
    el.scrollIntoView({ block: 'center', behavior: 'instant' });
    el.focus();
    if (document.activeElement !== el) return { error: describe(el) + ' does not take the focus', wait: true };
    if (el.tagName === 'SELECT') {
      const want = matcher(a.value);
      const opt = [...el.options].find((o) => want(o.label) || want(o.value));
      if (!opt) return { error: 'no option ' + JSON.stringify(a.value) + ' in ' + describe(el), seen: [...el.options].map((o) => o.label) };
      el.value = opt.value;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
      return { done: true };
    }
    const native = ['date', 'time', 'datetime-local', 'month', 'week', 'range', 'color'];
    if (el.tagName === 'INPUT' && native.includes(el.type)) {
      const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      set.call(el, a.value);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
      return { done: true };
    }
    if (el.isContentEditable) { const r = document.createRange(); r.selectNodeContents(el); const s = getSelection(); s.removeAllRanges(); s.addRange(r); }
    else if (typeof el.select === 'function') el.select();
    return { type: true, empty: el.isContentEditable ? !el.textContent : !el.value };
  },
  value(a) {
    const el = document.activeElement;
    return el ? (el.isContentEditable ? el.textContent : el.value) : null;
  },
  hasText(a) {
    const m = matcher(a.text);
    const rs = roots(a.scope);
    if (!rs.length) return { found: false, scopeMissing: true };
    if (a.text.startsWith(MARK)) return { found: rs.some((r) => shown(r) && m(r.innerText)) };
    for (const r of rs) {
      if (shown(r) && seenAs(r, m)) return { found: true };
      for (const el of r.querySelectorAll('*')) if (shown(el) && seenAs(el, m)) return { found: true };
    }
    return { found: false };
  },
  texts(a) { return visibleTexts(roots(a.scope)); },
  seen(a) {
    const rs = roots(a.scope);
    return { texts: visibleTexts(rs.length ? rs : [document.body]).slice(0, 80), url: location.pathname + location.search + location.hash };
  },
  focused() {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    if (!el || el === document.body) return '';
    return nameOf(el);
  },
  ready() {
    const app = document.getElementById('app');
    const mounted = !app || [...app.children].some((el) => !el.classList.contains('boot'));
    return document.readyState === 'complete' && !!document.body && mounted && document.fonts.status === 'loaded';
  },
  catalogue() {
    const out = visibleTexts([document.body]);
    for (const el of document.querySelectorAll('[placeholder],[aria-label],[title],img[alt],input[type=submit][value],input[type=button][value]')) {
      if (el.closest('head') || el.closest('[hidden]')) continue;
      if (el.checkVisibility && !el.checkVisibility({ checkVisibilityCSS: true }) && el.getClientRects().length === 0) continue;
      for (const at of ['placeholder', 'aria-label', 'title', 'alt']) { const v = norm(el.getAttribute(at)); if (v) out.push(v); }
      if (el.matches('input[type=submit],input[type=button]')) out.push(norm(el.value));
    }
    if (norm(document.title)) out.push(norm(document.title));
    return out;
  },
};
})()`

// lib calls one function of pageLib with args and decodes its result.
func (tb *tab) lib(ctx context.Context, fn string, args map[string]any, out any) error {
	a, err := json.Marshal(args)
	if err != nil {
		return err
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](pageLib+"."+fn+"("+string(a)+")", chromedp.EvalAwaitPromise))
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(raw, out)
}

func (p *page) args(text string, extra ...any) map[string]any {
	a := map[string]any{"text": text, "desc": describe(text), "scope": p.scope, "scopeDesc": describe(p.scope)}
	for i := 0; i+1 < len(extra); i += 2 {
		a[extra[i].(string)] = extra[i+1]
	}
	return a
}

// fail ends the test with what the person saw.
func (p *page) fail(format string, args ...any) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
	defer cancel()
	var seen struct {
		Texts []string `json:"texts"`
		URL   string   `json:"url"`
	}
	_ = p.lib(ctx, "seen", map[string]any{"scope": p.scope}, &seen)
	where := ""
	if p.scope != "" {
		where = " (in the part showing " + describe(p.scope) + ")"
	}
	p.t.Fatalf("page %s at %s%s: %s\n--- the screen shows: %s", p.name, seen.URL, where, fmt.Sprintf(format, args...), quoteAll(seen.Texts))
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, " ")
}

// poll runs try every 100 ms until it reports done, the wait ends, or it
// returns a hard error; it returns the last complaint on timeout.
func (p *page) poll(d time.Duration, try func(ctx context.Context) (done bool, complaint string, err error)) (string, error) {
	deadline := time.Now().Add(d)
	complaint := ""
	for {
		ctx, cancel := context.WithTimeout(p.ctx, max(time.Until(deadline), time.Second))
		done, c, err := try(ctx)
		cancel()
		if err != nil {
			var ee *chromedp.ExceptionError
			if !errors.As(err, &ee) && !strings.Contains(err.Error(), "Execution context was destroyed") && !strings.Contains(err.Error(), "Cannot find context") {
				return c, err
			}
			c = err.Error() // a navigation in progress: try again
		}
		if done {
			return "", nil
		}
		complaint = c
		if time.Now().After(deadline) {
			return complaint, context.DeadlineExceeded
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (p *page) wait() time.Duration {
	if p.timeout > 0 {
		return p.timeout
	}
	return defaultWait
}

// visit loads path (such as "/signin") from the server, as typing the
// address would, and waits until the console has started (the document
// loaded, the app rendered, fonts loaded).
func (p *page) visit(path string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 60*time.Second)
	err := chromedp.Do(ctx, chromedp.Navigate(p.b.s.base()+path))
	cancel()
	if err != nil {
		p.t.Fatalf("page %s: visit %s: %v", p.name, path, err)
	}
	p.waitReady("visit " + path)
}

// waitReady waits until the document is loaded and the console mounted.
func (p *page) waitReady(what string) {
	p.t.Helper()
	c, err := p.poll(max(p.wait(), 30*time.Second), func(ctx context.Context) (bool, string, error) {
		var ok bool
		err := p.lib(ctx, "ready", nil, &ok)
		return ok, "the console did not start (nothing rendered in #app, or fonts still loading)", err
	})
	if err != nil {
		p.fail("%s: %s (%v)", what, c, err)
	}
}

// settle waits until the screen shows no loading message (the catalogue's
// common.loading, in any language) and its texts stay the same for 200 ms:
// the page has what it fetched.
func (p *page) settle() {
	p.t.Helper()
	loading := map[string]bool{}
	if all, err := catalogues(); err == nil {
		for _, c := range all {
			loading[norm(c["common.loading"])] = true
		}
	}
	last, stable := "", 0
	c, err := p.poll(max(p.wait(), 20*time.Second), func(ctx context.Context) (bool, string, error) {
		var texts []string
		if err := p.lib(ctx, "texts", map[string]any{}, &texts); err != nil {
			return false, "", err
		}
		busy := slices.ContainsFunc(texts, func(s string) bool { return loading[s] })
		joined := strings.Join(texts, "\n")
		if !busy && joined == last {
			stable++
		} else {
			stable = 0
		}
		last = joined
		if busy {
			return false, "still loading", nil
		}
		return stable >= 2, "the screen keeps changing", nil
	})
	if err != nil {
		p.fail("settle: %s (%v)", c, err)
	}
}

// click clicks, with a real mouse event at its centre, the button, link,
// tab, checkbox or label whose accessible name is text. It waits until it
// is visible, enabled and not covered.
func (p *page) click(text string) {
	p.t.Helper()
	var xy struct{ X, Y float64 }
	c, err := p.poll(p.wait(), func(ctx context.Context) (bool, string, error) {
		var r struct {
			X, Y  float64
			Error string
			Seen  []string
		}
		if err := p.lib(ctx, "click", p.args(text), &r); err != nil {
			return false, "", err
		}
		if r.Error != "" {
			if len(r.Seen) > 0 {
				r.Error += "; the clickable names are: " + quoteAll(r.Seen)
			}
			return false, r.Error, nil
		}
		xy.X, xy.Y = r.X, r.Y
		return true, "", nil
	})
	if err != nil {
		p.fail("click %s: %s", describe(text), c)
	}
	ctx, cancel := context.WithTimeout(p.ctx, p.wait())
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(xy.X, xy.Y)); err != nil {
		p.fail("click %s: %v", describe(text), err)
	}
}

// fill types value into the input, textarea or select whose label (or
// aria-label) is label, replacing what it held. A select takes the option
// whose text (or value) is value; a date input takes "2026-12-31".
func (p *page) fill(label, value string) {
	p.t.Helper()
	var typ struct {
		Type, Empty, Done bool
	}
	c, err := p.poll(p.wait(), func(ctx context.Context) (bool, string, error) {
		var r struct {
			Type, Empty, Done bool
			Error             string
			Wait              bool
			Seen              []string
		}
		if err := p.lib(ctx, "focus", p.args(label, "value", value), &r); err != nil {
			return false, "", err
		}
		if r.Error != "" {
			if len(r.Seen) > 0 {
				r.Error += "; the fields are: " + quoteAll(r.Seen)
			}
			return false, r.Error, nil
		}
		typ.Type, typ.Empty, typ.Done = r.Type, r.Empty, r.Done
		return true, "", nil
	})
	if err != nil {
		p.fail("fill %s: %s", describe(label), c)
	}
	if !typ.Type {
		return
	}
	ctx, cancel := context.WithTimeout(p.ctx, p.wait())
	defer cancel()
	var steps []chromedp.Action[chromedp.Void]
	if !typ.Empty {
		steps = append(steps, chromedp.KeyEvent(kb.Delete))
	}
	if value != "" {
		steps = append(steps, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, input.InsertText, input.InsertTextParams{Text: value})
			return err
		}))
	}
	if err := chromedp.Do(ctx, steps...); err != nil {
		p.fail("fill %s: %v", describe(label), err)
	}
}

// typeText types s key by key into the focused element, as a person does
// (for autocompletes that react to each key).
func (p *page) typeText(s string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, p.wait()+time.Duration(len(s))*50*time.Millisecond)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(s)); err != nil {
		p.fail("type %q: %v", s, err)
	}
}

// waitText waits until text is visible (exactly, or see containing).
func (p *page) waitText(text string) {
	p.t.Helper()
	p.waitTextWithin(text, p.wait())
}

// waitTextWithin waits up to d until text is visible.
func (p *page) waitTextWithin(text string, d time.Duration) {
	p.t.Helper()
	if _, err := p.poll(d, func(ctx context.Context) (bool, string, error) {
		var r struct{ Found bool }
		err := p.lib(ctx, "hasText", p.args(text), &r)
		return r.Found, "", err
	}); err != nil {
		p.fail("%s did not appear within %v (%v)", describe(text), d, err)
	}
}

// seesText tells whether text is visible now, without waiting.
func (p *page) seesText(text string) bool {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, p.wait())
	defer cancel()
	var r struct{ Found bool }
	if err := p.lib(ctx, "hasText", p.args(text), &r); err != nil {
		p.fail("look for %s: %v", describe(text), err)
	}
	return r.Found
}

// noText waits until text is no longer visible (it fails if it stays).
func (p *page) noText(text string) {
	p.t.Helper()
	if _, err := p.poll(p.wait(), func(ctx context.Context) (bool, string, error) {
		var r struct{ Found bool }
		err := p.lib(ctx, "hasText", p.args(text), &r)
		return !r.Found, "", err
	}); err != nil {
		p.fail("%s is still shown after %v", describe(text), p.wait())
	}
}

// texts is every visible text on the screen (or in the scope), in document
// order, whitespace collapsed.
func (p *page) texts() []string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, p.wait())
	defer cancel()
	var out []string
	if err := p.lib(ctx, "texts", map[string]any{"scope": p.scope}, &out); err != nil {
		p.fail("read the screen: %v", err)
	}
	return out
}

// press presses a key on the real keyboard: "Tab", "Shift+Tab", "Enter",
// "Space", "Escape", "ArrowDown", "ArrowUp", "ArrowLeft", "ArrowRight",
// "Home", "End", "Backspace".
func (p *page) press(key string) {
	p.t.Helper()
	keys := map[string]string{"Tab": kb.Tab, "Enter": kb.Enter, "Space": " ", "Escape": kb.Escape,
		"ArrowDown": kb.ArrowDown, "ArrowUp": kb.ArrowUp, "ArrowLeft": kb.ArrowLeft, "ArrowRight": kb.ArrowRight,
		"Home": kb.Home, "End": kb.End, "Backspace": kb.Backspace, "Delete": kb.Delete}
	var opts []chromedp.KeyOption
	name := key
	if k, ok := strings.CutPrefix(key, "Shift+"); ok {
		name = k
		opts = append(opts, chromedp.KeyModifiers(chromedp.ModifierShift))
	}
	k, ok := keys[name]
	if !ok {
		p.t.Fatalf("press %q: unknown key", key)
	}
	ctx, cancel := context.WithTimeout(p.ctx, p.wait())
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(k, opts...)); err != nil {
		p.fail("press %s: %v", key, err)
	}
}

// focusedName is the accessible name of the focused element ("" when
// nothing is focused).
func (p *page) focusedName() string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, p.wait())
	defer cancel()
	var s string
	if err := p.lib(ctx, "focused", nil, &s); err != nil {
		p.fail("focused element: %v", err)
	}
	return s
}

// eval runs js in the page (awaiting a promise) and decodes its value into
// out (nil to ignore it). For checks a person cannot make by looking, such
// as the language of the document; prefer the other helpers.
func (p *page) eval(js string, out any) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, p.wait())
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](js, chromedp.EvalAwaitPromise))
	if err != nil {
		p.fail("eval %.80q: %v", js, err)
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			p.fail("eval %.80q: decode %s: %v", js, raw, err)
		}
	}
}

// location is the path, query and fragment shown in the address bar.
func (p *page) location() string {
	var s string
	p.eval(`location.pathname + location.search + location.hash`, &s)
	return s
}

// waitLocation waits, up to 10 s, for the address to contain want (a
// filter put in the address after the page has re-rendered), and returns
// it as it was last seen.
func (p *page) waitLocation(want string) string {
	p.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		loc := p.location()
		if strings.Contains(loc, want) || time.Now().After(deadline) {
			return loc
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// screenshotDir is $SANKOFA_SCREENSHOTS or $TMPDIR/sankofa-screenshots.
func screenshotDir() string {
	if d := os.Getenv("SANKOFA_SCREENSHOTS"); d != "" {
		return d
	}
	return filepath.Join(os.TempDir(), "sankofa-screenshots")
}

// screenshot saves a full-page PNG of the screen as <name>.png in the
// screenshots folder (printed once per test).
func (p *page) screenshot(name string) {
	p.t.Helper()
	dir := screenshotDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		p.t.Fatalf("screenshots: %v", err)
	}
	p.b.shots.Do(func() { p.t.Logf("screenshots: %s", dir) })
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.fail("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, safeName(name)+".png"), png, 0o644); err != nil {
		p.t.Fatalf("screenshot %s: %v", name, err)
	}
}

// --- catalogue check --------------------------------------------------------

var (
	catOnce sync.Once
	cats    map[string]map[string]string
	catErr  error
)

// catalogues loads console/static/i18n/{en,fr,pt}.json, flattened to
// dotted keys as the console's i18n.js does.
func catalogues() (map[string]map[string]string, error) {
	catOnce.Do(func() {
		cats = map[string]map[string]string{}
		for _, l := range []string{"en", "fr", "pt"} {
			b, err := os.ReadFile(filepath.Join("..", "console", "static", "i18n", l+".json"))
			if err != nil {
				catErr = err
				return
			}
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				catErr = fmt.Errorf("%s.json: %w", l, err)
				return
			}
			flat := map[string]string{}
			flattenInto(flat, "", m)
			cats[l] = flat
		}
	})
	return cats, catErr
}

func flattenInto(out map[string]string, prefix string, m map[string]any) {
	for k, v := range m {
		key := k
		if prefix != "" {
			key = prefix + "." + k
		}
		switch v := v.(type) {
		case map[string]any:
			flattenInto(out, key, v)
		default:
			out[key] = fmt.Sprint(v)
		}
	}
}

var placeholder = regexp.MustCompile(`\{\w+\}`)

// template turns a catalogue value with {name} placeholders into a pattern
// for the rendered string; nil when it has too few letters of its own to
// tell a translation apart.
func template(v string) *regexp.Regexp {
	if !placeholder.MatchString(v) {
		return nil
	}
	lit := placeholder.ReplaceAllString(v, "")
	if len(regexp.MustCompile(`\pL`).FindAllString(lit, -1)) < 4 {
		return nil
	}
	parts := placeholder.Split(norm(v), -1)
	for i, s := range parts {
		parts[i] = regexp.QuoteMeta(s)
	}
	return regexp.MustCompile("^" + strings.Join(parts, ".+?") + "$")
}

func norm(s string) string { return strings.Join(strings.Fields(s), " ") }

// catalogueCheck fails the test for every text on the screen (and every
// placeholder, aria-label, title, alt and the document title) that is a
// missing-key marker (⟦key⟧), a raw catalogue key, or, when lang is not
// English, an English catalogue value whose lang translation differs and
// which is no lang value itself (an untranslated string). allow lists texts
// the screen may show in English (names of languages, brand names).
func (p *page) catalogueCheck(t testing.TB, lang string, allow ...string) {
	t.Helper()
	all, err := catalogues()
	if err != nil {
		t.Fatalf("catalogues: %v", err)
	}
	en, tgt := all["en"], all[lang]
	if tgt == nil {
		t.Fatalf("catalogueCheck: no catalogue for %q", lang)
	}
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	var texts []string
	if err := p.lib(ctx, "catalogue", nil, &texts); err != nil {
		t.Fatalf("page %s: read the screen: %v", p.name, err)
	}
	tgtValues := map[string]bool{}
	var tgtTemplates []*regexp.Regexp
	for _, v := range tgt {
		tgtValues[norm(v)] = true
		if re := template(v); re != nil {
			tgtTemplates = append(tgtTemplates, re)
		}
	}
	enByValue := map[string][]string{}
	type tpl struct {
		key string
		re  *regexp.Regexp
	}
	var enTemplates []tpl
	for k, v := range en {
		enByValue[norm(v)] = append(enByValue[norm(v)], k)
		if re := template(v); re != nil {
			enTemplates = append(enTemplates, tpl{k, re})
		}
	}
	sort.Slice(enTemplates, func(i, j int) bool { return enTemplates[i].key < enTemplates[j].key })
	var bad []string
	seen := map[string]bool{}
	for _, s := range texts {
		s = norm(s)
		if s == "" || seen[s] || slices.Contains(allow, s) {
			continue
		}
		seen[s] = true
		if strings.Contains(s, "⟦") {
			bad = append(bad, fmt.Sprintf("%q: a missing catalogue key", s))
			continue
		}
		if strings.Contains(s, ".") {
			if _, ok := en[s]; ok {
				bad = append(bad, fmt.Sprintf("%q: a raw catalogue key", s))
				continue
			}
			if _, ok := tgt[s]; ok {
				bad = append(bad, fmt.Sprintf("%q: a raw catalogue key", s))
				continue
			}
		}
		if lang == "en" || tgtValues[s] || slices.ContainsFunc(tgtTemplates, func(re *regexp.Regexp) bool { return re.MatchString(s) }) {
			continue
		}
		for _, k := range enByValue[s] {
			if norm(tgt[k]) != s {
				bad = append(bad, fmt.Sprintf("%q: English for %s (%s: %q)", s, k, lang, tgt[k]))
				break
			}
		}
		if len(enByValue[s]) > 0 {
			continue
		}
		for _, et := range enTemplates {
			if et.re.MatchString(s) && norm(tgt[et.key]) != norm(en[et.key]) {
				bad = append(bad, fmt.Sprintf("%q: English for %s (%s: %q)", s, et.key, lang, tgt[et.key]))
				break
			}
		}
	}
	if len(bad) > 0 {
		loc := ""
		ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
		loc, _ = chromedp.Run(ctx, chromedp.Location())
		cancel()
		t.Errorf("page %s at %s in %s: %d untranslated or missing strings:\n  %s", p.name, loc, lang, len(bad), strings.Join(bad, "\n  "))
	}
}

// --- axe-core -------------------------------------------------------------

// axePath is the vendored axe-core, used by the tests only.
var axePath = filepath.Join("testdata", "axe", "axe.min.js")

// axe runs axe-core on the page as it is now and fails the test for every
// violation of impact serious or critical, with its rule, help and the
// offending elements.
func (p *page) axe(t testing.TB) {
	t.Helper()
	src, err := os.ReadFile(axePath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("axe-core is not vendored at journey/%s", axePath)
	}
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(p.ctx, 60*time.Second)
	defer cancel()
	has, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof globalThis.axe === 'object'`))
	if err == nil && !has {
		_, err = chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](string(src)))
	}
	if err != nil {
		t.Fatalf("page %s: load axe-core: %v", p.name, err)
	}
	type node struct {
		Target         []any  `json:"target"`
		FailureSummary string `json:"failureSummary"`
		HTML           string `json:"html"`
	}
	var violations []struct {
		ID      string `json:"id"`
		Impact  string `json:"impact"`
		Help    string `json:"help"`
		HelpURL string `json:"helpUrl"`
		Nodes   []node `json:"nodes"`
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](`axe.run(document, {resultTypes: ['violations']}).then((r) => r.violations)`, chromedp.EvalAwaitPromise))
	if err == nil {
		err = json.Unmarshal(raw, &violations)
	}
	if err != nil {
		t.Fatalf("page %s: axe.run: %v", p.name, err)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	for _, v := range violations {
		if v.Impact != "serious" && v.Impact != "critical" {
			continue
		}
		var nodes []string
		for i, n := range v.Nodes {
			if i == 8 {
				nodes = append(nodes, fmt.Sprintf("... and %d more", len(v.Nodes)-i))
				break
			}
			tg, _ := json.Marshal(n.Target)
			html := n.HTML
			if len(html) > 160 {
				html = html[:160] + "..."
			}
			nodes = append(nodes, fmt.Sprintf("%s %s\n      %s", tg, html, strings.ReplaceAll(n.FailureSummary, "\n", "\n      ")))
		}
		t.Errorf("page %s at %s: axe %s (%s): %s (%s)\n    %s", p.name, loc, v.ID, v.Impact, v.Help, v.HelpURL, strings.Join(nodes, "\n    "))
	}
}

// --- odds and ends -----------------------------------------------------------

// requestLog lists the requests the page made so far: method, status,
// type, encoded bytes and URL, one a line.
func (p *page) requestLog() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	rs := slices.Collect(maps.Values(p.reqs))
	sort.Slice(rs, func(i, j int) bool { return rs[i].encoded > rs[j].encoded })
	var out []string
	for _, r := range rs {
		out = append(out, fmt.Sprintf("%-4s %d %-10s %7.0f %s", r.method, r.status, r.typ, r.encoded, r.url))
	}
	return strings.Join(out, "\n")
}

// transferred is the encoded bytes the page received so far, by resource
// type (network.ResourceTypeScript, ...Stylesheet, ...).
func (p *page) transferred() map[network.ResourceType]float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return maps.Clone(p.bytes)
}
