package journey_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// world is the data a tour of the console shows: an admin, a ministry
// waiting for approval, an approved ministry with a published assignment,
// and two workers, one with a pending offer and one who accepted hers and
// said she is interested.
type world struct {
	s                                *server
	mohEmail, pendingEmail, proEmail string
	asg, offer                       string
}

// newWorld creates the world through the API, as the other journeys do.
func newWorld(t testing.TB, s *server) *world {
	t.Helper()
	w := &world{s: s, mohEmail: email("moh"), pendingEmail: email("moh-pending"), proEmail: email("pro")}
	admin := s.admin(t)
	var acc struct{ ID string }
	s.do(t, http.StatusCreated, http.MethodPost, "/v1/auth/register", "", map[string]any{
		"email": w.mohEmail, "password": password, "name": "Akosua Owusu", "role": "ministry",
		"country": "GH", "organization": "Ministry of Health, Ghana"}, &acc)
	s.do(t, http.StatusOK, http.MethodPost, "/v1/admin/accounts/"+acc.ID+"/approve", admin, nil, nil)
	s.do(t, http.StatusCreated, http.MethodPost, "/v1/auth/register", "", map[string]any{
		"email": w.pendingEmail, "password": password, "name": "Fatoumata Diallo", "role": "ministry",
		"country": "SN", "organization": "Ministère de la Santé, Sénégal"}, nil)
	moh := s.login(t, w.mohEmail, password)

	pro := registerWorker(t, s, w.proEmail)
	other := registerWorkerNamed(t, s, email("pro"), "Kofi Boateng")
	w.asg = s.assignment(t, moh, 2, 10, 30)
	eventually(t, 60*time.Second, "the assignment has its two matches", func() bool {
		var page struct{ Items []any }
		s.do(t, http.StatusOK, http.MethodGet, "/v1/assignments/"+w.asg+"/matches?limit=10", moh, nil, &page)
		return len(page.Items) >= 2
	})
	s.do(t, http.StatusCreated, http.MethodPost, "/v1/assignments/"+w.asg+"/interest", other.token, nil, nil)
	w.offer = s.offer(t, moh, w.asg, pro.profileID)
	accepted := s.offer(t, moh, w.asg, other.profileID)
	s.do(t, http.StatusOK, http.MethodPost, "/v1/offers/"+accepted+"/accept", other.token, nil, nil)
	for _, p := range []string{pro.profileID, other.profileID} {
		s.do(t, http.StatusCreated, http.MethodPut, "/v1/assignments/"+w.asg+"/shortlist/"+p, moh,
			map[string]string{"note": "Mentored midwives in Kumasi."}, nil)
	}
	return w
}

// registerWorker registers Ama Mensah, a midwife, with email and the
// profile the other journeys give newWorker.
func registerWorker(t testing.TB, s *server, e string) worker {
	t.Helper()
	return registerWorkerNamed(t, s, e, "Ama Mensah")
}

// registerWorkerNamed is registerWorker for another name.
func registerWorkerNamed(t testing.TB, s *server, e, name string) worker {
	t.Helper()
	s.do(t, http.StatusCreated, http.MethodPost, "/v1/auth/register", "", map[string]any{
		"email": e, "password": password, "name": name, "role": "professional"}, nil)
	tok := s.login(t, e, password)
	var p struct{ ID string }
	s.do(t, http.StatusCreated, http.MethodPut, "/v1/profiles/me", tok, map[string]any{
		"full_name": name, "profession": "2222", "specialties": []string{"obstetrics"},
		"skills":         []string{"caesarean section", "neonatal resuscitation"},
		"languages":      []map[string]string{{"code": "en", "level": "C2"}, {"code": "fr", "level": "B2"}},
		"origin_country": "GH", "residence_country": "GB", "timezone": "Europe/London", "years_experience": 9,
		"availability": []map[string]string{{"from": day(1), "to": day(360)}}, "virtual_hours_per_week": 4,
		"modes": []string{"onsite", "virtual"}, "alerts": true, "contact": map[string]string{"phone": "+447700900123"}}, &p)
	return worker{token: tok, profileID: p.ID}
}

// stop is one screen of the tour, and what to open on it afterwards.
type stop struct {
	name, path string
	then       []act
}

// act opens something on a screen by clicking what the catalogue's key
// names (a menu, an explanation), as a new state of the screen to check.
type act struct {
	name, key string
	vars      map[string]string // for the key's {placeholders}
	phoneOnly bool              // the control exists on a phone only
	quiet     bool              // a step towards the next state: not checked
}

// menu opens the navigation menu a phone folds away.
var menu = act{name: "menu", key: "nav.menu", phoneOnly: true}

// visitor is a person touring the console: who signs in (nobody when
// email is empty) and the screens they open.
type visitor struct {
	role, email, pass string
	stops             []stop
}

// visitors are every main screen of every role.
func (w *world) visitors() []visitor {
	a := "/assignments/" + w.asg
	return []visitor{
		{role: "signed-out", stops: []stop{{"signin", "/signin", nil}, {"signup", "/signup", nil}, {"forgot", "/forgot", nil},
			{"safeguards", "/safeguards", nil}, {"observatory", "/observatory", nil},
			{"reports", "/reports", nil}}},
		{role: "ministry-pending", email: w.pendingEmail, pass: password, stops: []stop{{"pending", "/pending", nil}}},
		{role: "ministry", email: w.mohEmail, pass: password, stops: []stop{
			{"dashboard", "/dashboard", []act{menu}}, {"assignments", "/assignments", nil}, {"editor-new", "/assignments/new", nil},
			{"assignment-matches", a, []act{{name: "why", key: "assignment.explain.reasons"}}},
			{"assignment-shortlist", a + "?tab=shortlist", []act{
				{name: "tick1", key: "assignment.shortlist.compareThis", vars: map[string]string{"name": "Ama Mensah"}, quiet: true},
				{name: "tick2", key: "assignment.shortlist.compareThis", vars: map[string]string{"name": "Kofi Boateng"}, quiet: true},
				{name: "compare", key: "assignment.shortlist.compare", vars: map[string]string{"count": "2"}}}},
			{"assignment-offers", a + "?tab=offers", nil},
			{"assignment-interest", a + "?tab=interest", nil}, {"editor-edit", a + "/edit", nil}, {"pool", "/pool", nil},
			{"inbox", "/inbox", nil}, {"settings", "/settings", nil}}},
		{role: "admin", email: adminEmail, pass: adminPassword, stops: []stop{
			{"queue", "/admin", []act{menu}}, {"accounts", "/admin/accounts", nil}, {"dead-letters", "/admin/dead-letters", nil},
			{"status", "/admin/status", nil}, {"safeguards", "/admin/safeguards", nil}, {"inbox", "/inbox", nil},
			{"settings", "/settings", nil}}},
		{role: "worker", email: w.proEmail, pass: password, stops: []stop{
			{"matches", "/matches", []act{menu, {name: "why", key: "worker.explain.reasons"}}}, {"profile", "/profile", nil},
			{"opportunity", "/opportunities/" + w.asg, nil}, {"offers", "/offers", nil}, {"offer", "/offers/" + w.offer, nil},
			{"inbox", "/inbox", nil}, {"settings", "/settings", []act{{name: "delete", key: "privacy.delete.start"}}}}},
	}
}

// tour signs each visitor in, in a browser context of their own at width
// in lang, and calls each on every screen once it has settled.
func (w *world) tour(t *testing.T, b *browser, width int, lang string, each func(p *page, v visitor, st stop)) {
	t.Helper()
	for _, v := range w.visitors() {
		p := b.context(t, width, lang)
		if v.email != "" {
			signInAs(t, p, v.email, v.pass, lang)
		}
		start := time.Now()
		for _, st := range v.stops {
			p.visit(st.path)
			p.settle()
			each(p, v, st)
			for _, a := range st.then {
				if a.phoneOnly && width != phone {
					continue
				}
				label := tr(t, lang, a.key)
				for k, v := range a.vars {
					label = strings.ReplaceAll(label, "{"+k+"}", v)
				}
				p.click(label)
				if a.quiet {
					continue
				}
				p.settle()
				each(p, v, stop{name: st.name + "-" + a.name, path: st.path})
			}
		}
		p.close()
		t.Logf("%s: %d screens in %v", v.role, len(v.stops), time.Since(start).Round(100*time.Millisecond))
	}
}

// tr is the catalogue's text for key in lang.
func tr(t testing.TB, lang, key string) string {
	t.Helper()
	all, err := catalogues()
	if err != nil {
		t.Fatalf("catalogues: %v", err)
	}
	s, ok := all[lang][key]
	if !ok {
		t.Fatalf("no %s in the %s catalogue", key, lang)
	}
	return s
}

// signInAs signs in through the sign-in form, in lang, then picks lang in
// the language picker (the account's own locale may differ), so that the
// rest of the visit is in lang.
func signInAs(t testing.TB, p *page, email, pass, lang string) {
	t.Helper()
	p.visit("/signin")
	p.fill(tr(t, lang, "auth.email"), email)
	p.fill(tr(t, lang, "auth.password"), pass)
	p.in(tr(t, lang, "auth.password")).click(tr(t, lang, "auth.signIn.submit"))
	var where string
	deadline := time.Now().Add(defaultWait)
	for {
		where = p.location()
		if !strings.HasPrefix(where, "/signin") {
			break
		}
		if time.Now().After(deadline) {
			p.fail("still on the sign-in page after signing in as %s", email)
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.settle()
	var cur string
	p.eval(`document.documentElement.lang`, &cur)
	if cur != lang {
		p.fill(tr(t, cur, "common.language"), tr(t, cur, "common.langName."+lang))
	}
	p.waitText(tr(t, lang, "nav.signOut"))
}

// dataTexts are texts from the API that happen to equal an English
// catalogue value: the first admin's account name is "Administrator".
var dataTexts = []string{"Administrator"}

// TestBrowser_I18n is journey 3: every main screen of every role, in French
// (on a phone) and in Portuguese (on a desktop), shows no untranslated
// string, no raw catalogue key and no missing-key marker.
func TestBrowser_I18n(t *testing.T) {
	needChromium(t)
	t.Parallel() // with the other long tour: most of their time is waiting
	s := startServer(t, "")
	w := newWorld(t, s)
	b := newBrowser(t, s)
	// The observatory's data dictionary reads as the API gives it, in English.
	allow := append(dictionaryTexts(t, s), dataTexts...)
	for _, c := range []struct {
		lang  string
		width int
	}{{"fr", phone}, {"pt", desktop}} {
		t.Run(c.lang, func(t *testing.T) {
			w.tour(t, b, c.width, c.lang, func(p *page, v visitor, st stop) {
				p.catalogueCheck(t, c.lang, allow...)
			})
		})
	}
}
