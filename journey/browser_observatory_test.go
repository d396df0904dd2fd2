package journey_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// obsCell is a cell of GET /v1/observatory/stock by origin and residence.
type obsCell struct {
	Origin     string `json:"origin_country"`
	Residence  string `json:"residence_country"`
	Count      *int   `json:"count"`
	Suppressed bool   `json:"suppressed"`
}

// obsFigure is a count of persons of the supply-demand table.
type obsFigure struct {
	Count      *int `json:"count"`
	Suppressed bool `json:"suppressed"`
}

type obsSupplyDemand struct {
	Country string `json:"country"`
	Rows    []struct {
		Profession     string    `json:"profession"`
		OpenPositions  int       `json:"open_positions"`
		WorkersSharing obsFigure `json:"workers_sharing"`
		Available3m    obsFigure `json:"available_3m"`
		Available12m   obsFigure `json:"available_12m"`
	} `json:"rows"`
}

// domCell is what the page draws for a cell or a bar.
type domCell struct {
	Key, Key2  string
	Count      *string
	Suppressed bool
	Text       string
}

func (d *domCell) String() string {
	if d.Suppressed {
		return fmt.Sprintf("hidden (count %v, text %q)", d.Count != nil, d.Text)
	}
	if d.Count == nil {
		return fmt.Sprintf("no count (text %q)", d.Text)
	}
	return fmt.Sprintf("%s (text %q)", *d.Count, d.Text)
}

func (f obsFigure) String() string {
	if f.Suppressed || f.Count == nil {
		return "hidden"
	}
	return strconv.Itoa(*f.Count)
}

// TestBrowser_Observatory: the public observatory. Thirty-two health
// workers register (twelve Ghanaian midwives and ten Nigerian nurses in the
// United Kingdom, and a few in France, Canada and the United States), and
// Ghana's ministry publishes an assignment for two midwives. Someone who
// is not signed in follows the footer's link to /observatory: the matrix
// of origin and residence shows the API's published figures and marks
// its hidden cells (never as 0), the rules name k and the rounding the
// API states, the table behind each chart holds the same figures, the CSV
// link serves CSV, and supply and demand switches from Ghana to Nigeria
// with the API's figures for each. The page reads in French on a phone.
func TestBrowser_Observatory(t *testing.T) {
	needChromium(t)
	// Figures changed are tabulated again within a second, not a minute.
	s := startServer(t, "", "SANKOFA_OBSERVATORY_REFRESH=1s")
	b := newBrowser(t, s)

	seed := []struct {
		origin, residence, profession string
		n                             int
	}{
		{"GH", "GB", "2222", 12}, {"NG", "GB", "2221", 10},
		{"GH", "FR", "2221", 3}, {"GH", "CA", "2221", 2}, {"NG", "FR", "2222", 2}, {"NG", "US", "2222", 3},
	}
	var jobs []func()
	for _, g := range seed {
		for i := range g.n {
			jobs = append(jobs, func() { obsWorker(t, s, g.origin, g.residence, g.profession, i) })
		}
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for _, job := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() { defer wg.Done(); defer func() { <-sem }(); job() }()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	moh := s.ministry(t, s.admin(t))
	s.assignment(t, moh, 2, 20, 60)

	// The figures, as anyone gets them (the index catches up first).
	var stock struct {
		K, Rounding int
		Cells       []obsCell
		Total       *int
	}
	// They are tabulated in the background: wait until the figures hold
	// the 32 workers and the assignment, and stay the same for longer than
	// the refresh.
	var gh, ng obsSupplyDemand
	var last string
	eventually(t, 90*time.Second, "the observatory counts the 32 workers and the assignment, and settles", func() bool {
		r1 := s.do(t, http.StatusOK, http.MethodGet, "/v1/observatory/stock?by=origin_country,residence_country", "", nil, &stock)
		r2 := s.do(t, http.StatusOK, http.MethodGet, "/v1/observatory/supply-demand?country=GH", "", nil, &gh)
		r3 := s.do(t, http.StatusOK, http.MethodGet, "/v1/observatory/supply-demand?country=NG", "", nil, &ng)
		now := string(r1.body) + string(r2.body) + string(r3.body)
		settled := now == last
		last = now
		positions := 0
		for _, r := range gh.Rows {
			positions += r.OpenPositions
		}
		if settled && stock.Total != nil && *stock.Total == 30 && positions == 2 {
			return true
		}
		time.Sleep(2 * time.Second)
		return false
	})
	var published, hidden []obsCell
	for _, c := range stock.Cells {
		if c.Suppressed {
			hidden = append(hidden, c)
		} else {
			published = append(published, c)
		}
	}
	if len(published) == 0 || len(hidden) == 0 {
		t.Fatalf("the seed should give published and hidden cells: %+v", stock.Cells)
	}

	// Signed out, from the footer.
	p := b.context(t, desktop, "en")
	p.visit("/signin")
	p.click("Observatory and open data")
	p.waitText("Health workforce observatory")
	if loc := p.location(); !strings.HasPrefix(loc, "/observatory") {
		t.Fatalf("the footer's link led to %s", loc)
	}
	p.waitText("Supply and demand in Ghana")
	p.settle()
	p.waitText(containing(fmt.Sprintf("a count is published from %d people", stock.K)))
	p.waitText(containing(fmt.Sprintf("rounded to a multiple of %d", stock.Rounding)))
	checkMatrix(t, p, stock.Cells, func(n int) string { return strconv.Itoa(n) })
	checkSupplyDemand(t, p, gh)

	// The table behind the matrix: the same figures, hidden ones named.
	p.click("The figures as a table · Health workers by country of origin and country of residence")
	row := func(c obsCell) string {
		var r []string
		p.eval(fmt.Sprintf(`[...document.querySelectorAll('#obs-stock tr[data-origin=%q][data-residence=%q] td')].map((td) => td.textContent.trim())`,
			c.Origin, c.Residence), &r)
		return strings.Join(r, " | ")
	}
	for _, c := range published {
		if want := fmt.Sprintf("%s | %s | %d", countryEN[c.Origin], countryEN[c.Residence], *c.Count); row(c) != want {
			t.Errorf("table row %s→%s = %q, want %q", c.Origin, c.Residence, row(c), want)
		}
	}
	for _, c := range hidden {
		if want := fmt.Sprintf("%s | %s | hidden", countryEN[c.Origin], countryEN[c.Residence]); row(c) != want {
			t.Errorf("table row %s→%s = %q, want %q", c.Origin, c.Residence, row(c), want)
		}
	}
	p.settle()
	p.catalogueCheck(t, "en")
	p.axe(t)
	p.screenshot("observatory-desktop")

	// The CSV link: the same endpoint, as CSV, offered as a download.
	var dl struct {
		Href, Download, Type, Body string
		Status                     int
	}
	p.eval(`(async () => { const a = document.querySelector('#obs-stock a.obs-csv');
		const r = await fetch(a.href); return { href: a.getAttribute('href'), download: a.getAttribute('download') || '',
		status: r.status, type: r.headers.get('Content-Type') || '', body: await r.text() }; })()`, &dl)
	u, err := url.Parse(dl.Href)
	if err != nil || u.Path != "/v1/observatory/stock" || u.Query().Get("by") != "origin_country,residence_country" {
		t.Errorf("the matrix's CSV link is %q", dl.Href)
	}
	if dl.Status != http.StatusOK || !strings.HasPrefix(dl.Type, "text/csv") || dl.Download == "" {
		t.Errorf("the matrix's CSV link: %d %q download=%q", dl.Status, dl.Type, dl.Download)
	}
	if first, _, _ := strings.Cut(dl.Body, "\n"); !strings.Contains(first, "origin_country") || !strings.Contains(first, "residence_country") {
		t.Errorf("the CSV's first line is %q", first)
	}
	for _, c := range published {
		if !strings.Contains(dl.Body, fmt.Sprintf("%s,%s,%d", c.Origin, c.Residence, *c.Count)) {
			t.Errorf("the CSV lacks %s,%s,%d:\n%s", c.Origin, c.Residence, *c.Count, dl.Body)
		}
	}

	// Another country for supply and demand.
	p.fill("Country", "Nigeria")
	p.waitText("Supply and demand in Nigeria")
	p.settle()
	checkSupplyDemand(t, p, ng)
	if loc := p.waitLocation("country=NG"); !strings.Contains(loc, "country=NG") {
		t.Errorf("the address does not keep the country: %s", loc)
	}
	p.catalogueCheck(t, "en")

	// In French, on a phone.
	f := b.context(t, phone, "fr")
	f.visit("/observatory?country=NG")
	f.waitText("Observatoire des personnels de santé")
	f.waitText("Offre et demande : Nigeria")
	f.settle()
	f.waitText(containing(fmt.Sprintf("un effectif est publié à partir de %d personnes", stock.K)))
	checkMatrix(t, f, stock.Cells, func(n int) string { return strconv.Itoa(n) })
	checkSupplyDemand(t, f, ng)
	f.click("Les chiffres sous forme de tableau · Professionnels de santé par pays d’origine et pays de résidence")
	var words []string
	f.eval(`[...document.querySelectorAll('#obs-stock td .obs-hidden')].map((s) => s.textContent)`, &words)
	if len(words) != len(hidden) || (len(words) > 0 && words[0] != "masqué") {
		t.Errorf("the French table names %d hidden cells %q, want %d", len(words), words, len(hidden))
	}
	f.settle()
	f.catalogueCheck(t, "fr", dictionaryTexts(t, s)...)
	f.axe(t)
	f.screenshot("observatory-phone-fr")
}

// dictionaryTexts are the data dictionary's definitions and notes, which
// the API gives in English whatever the reader's language.
func dictionaryTexts(t *testing.T, s *server) []string {
	t.Helper()
	var d struct {
		Dimensions []struct{ Definition string }
		Indicators []struct {
			Definition, Unit, Disclosure string
			NHWA                         *struct{ Indicator, Note string }
		}
	}
	s.do(t, http.StatusOK, http.MethodGet, "/v1/observatory", "", nil, &d)
	var out []string
	for _, x := range d.Dimensions {
		out = append(out, x.Definition)
	}
	for _, x := range d.Indicators {
		out = append(out, x.Definition, x.Unit, x.Disclosure)
		if x.NHWA != nil {
			out = append(out, x.NHWA.Indicator, x.NHWA.Note)
		}
	}
	return out
}

// countryEN names the seed's countries as the page does in English.
var countryEN = map[string]string{"GH": "Ghana", "NG": "Nigeria", "GB": "United Kingdom", "FR": "France", "CA": "Canada", "US": "United States"}

// checkMatrix compares the matrix the page draws with the API's cells:
// a published cell shows its count, a hidden one is hatched and shows no
// number, and no hidden cell reads as 0.
func checkMatrix(t *testing.T, p *page, cells []obsCell, num func(int) string) {
	t.Helper()
	var drawn []domCell
	p.eval(`[...document.querySelectorAll('.obs-matrix .obs-cell')].map((g) => ({ key: g.dataset.origin, key2: g.dataset.residence,
		count: g.dataset.count ?? null, suppressed: g.dataset.suppressed === 'true',
		text: (g.querySelector(':scope > text') || {}).textContent || '' }))`, &drawn)
	find := func(o, r string) *domCell {
		for i := range drawn {
			if drawn[i].Key == o && drawn[i].Key2 == r {
				return &drawn[i]
			}
		}
		return nil
	}
	for _, c := range cells {
		d := find(c.Origin, c.Residence)
		switch {
		case d == nil:
			t.Errorf("page %s: the matrix has no cell %s→%s", p.name, c.Origin, c.Residence)
		case c.Suppressed && (!d.Suppressed || d.Count != nil || d.Text != ""):
			t.Errorf("page %s: hidden cell %s→%s is drawn as %s", p.name, c.Origin, c.Residence, d)
		case !c.Suppressed && (d.Suppressed || d.Count == nil || *d.Count != strconv.Itoa(*c.Count) || d.Text != num(*c.Count)):
			t.Errorf("page %s: cell %s→%s is drawn as %s, the API says %d", p.name, c.Origin, c.Residence, d, *c.Count)
		}
	}
	var hatched int
	for _, d := range drawn {
		if d.Suppressed {
			hatched++
		}
	}
	if hatched == 0 {
		t.Errorf("page %s: no hatched cell in the matrix", p.name)
	}
}

// checkSupplyDemand compares the bars of supply and demand with the API's
// rows: open positions exactly, workers sharing and available as
// published or hidden.
func checkSupplyDemand(t *testing.T, p *page, sd obsSupplyDemand) {
	t.Helper()
	var drawn []domCell
	p.eval(`[...document.querySelectorAll('.obs-bars .obs-group .obs-bar')].map((g) => ({ key: g.closest('.obs-group').dataset.key,
		key2: g.dataset.series, count: g.dataset.count ?? null, suppressed: g.dataset.suppressed === 'true', text: '' }))`, &drawn)
	bar := func(prof, series string) *domCell {
		for i := range drawn {
			if drawn[i].Key == prof && drawn[i].Key2 == series {
				return &drawn[i]
			}
		}
		return nil
	}
	same := func(prof, series string, want obsFigure) {
		d := bar(prof, series)
		switch {
		case d == nil:
			t.Errorf("page %s: %s: no %s bar for %s", p.name, sd.Country, series, prof)
		case want.Suppressed != d.Suppressed:
			t.Errorf("page %s: %s: %s of %s: drawn hidden=%v, the API says %s", p.name, sd.Country, series, prof, d.Suppressed, want)
		case !want.Suppressed && (d.Count == nil || want.Count == nil || *d.Count != strconv.Itoa(*want.Count)):
			t.Errorf("page %s: %s: %s of %s: drawn %s, the API says %s", p.name, sd.Country, series, prof, d, want)
		}
	}
	for _, r := range sd.Rows {
		n := r.OpenPositions
		same(r.Profession, "open_positions", obsFigure{Count: &n})
		same(r.Profession, "workers_sharing", r.WorkersSharing)
		same(r.Profession, "available_3m", r.Available3m)
		same(r.Profession, "available_12m", r.Available12m)
	}
}

// obsWorkerNames are given in turn to the seed's workers.
var obsWorkerNames = []string{"Ama Mensah", "Kofi Boateng", "Chidinma Okafor", "Efua Asante", "Ngozi Eze", "Yaw Darko", "Adaeze Nwosu", "Kwame Appiah"}

// obsWorker registers a health worker of profession from origin living
// in residence, who shares her profile with her country of origin.
func obsWorker(t *testing.T, s *server, origin, residence, profession string, i int) {
	e := email("obs-" + strings.ToLower(origin+residence))
	name := obsWorkerNames[i%len(obsWorkerNames)]
	r, err := s.try(http.MethodPost, "/v1/auth/register", "", map[string]any{
		"email": e, "password": password, "name": name, "role": "professional"})
	if err != nil || r.status != http.StatusCreated {
		t.Errorf("register %s: %v %v", e, r, err)
		return
	}
	r, err = s.try(http.MethodPost, "/v1/auth/login", "", map[string]string{"email": e, "password": password})
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err == nil && r.status == http.StatusOK {
		err = json.Unmarshal(r.body, &tok)
	}
	if err != nil || r.status != http.StatusOK {
		t.Errorf("login %s: %v %v", e, r, err)
		return
	}
	r, err = s.try(http.MethodPut, "/v1/profiles/me", tok.AccessToken, map[string]any{
		"full_name": name, "profession": profession, "specialties": []string{"obstetrics"},
		"skills":         []string{"caesarean section", "neonatal resuscitation"},
		"languages":      []map[string]string{{"code": "en", "level": "C1"}},
		"origin_country": origin, "residence_country": residence, "share_with": []string{origin},
		"country_of_birth": origin, "citizenships": []string{origin}, "country_of_training": origin,
		"timezone": "Europe/London", "years_experience": 5 + i,
		"availability": []map[string]string{{"from": day(20), "to": day(300)}},
		"modes":        []string{"onsite"}, "alerts": false})
	if err != nil || r.status != http.StatusCreated {
		t.Errorf("PUT /v1/profiles/me for %s→%s: %v %v", origin, residence, r, err)
	}
}

// TestBrowser_ProfileStatistics: a worker gives, in her profile editor on
// a phone, her country of birth, her citizenships and the country of her
// training, which the API then holds; a code the server refuses is
// explained beside its input, and she can take the answers back.
func TestBrowser_ProfileStatistics(t *testing.T) {
	needChromium(t)
	s := startServer(t, "")
	b := newBrowser(t, s)
	e := email("pro-stats")
	wk := registerWorker(t, s, e)
	p := b.context(t, phone, "en")
	signInAs(t, p, e, password, "en")
	p.visit("/profile")
	p.waitText("For the observatory (optional)")
	p.fill("Country of birth", "Ghana")
	p.fill("Country of training", "United Kingdom")
	p.fill("Add a citizenship", "Ghana")
	p.in("Add a citizenship").click("Add")
	p.fill("Add a citizenship", "United Kingdom")
	p.in("Add a citizenship").click("Add")
	if c := citizenshipChips(p); c != "Ghana, United Kingdom" {
		t.Errorf("the citizenships read %q", c)
	}
	p.click("Save my profile")
	p.waitText("Profile saved.")
	var got struct {
		CountryOfBirth    string   `json:"country_of_birth"`
		Citizenships      []string `json:"citizenships"`
		CountryOfTraining string   `json:"country_of_training"`
	}
	s.do(t, http.StatusOK, http.MethodGet, "/v1/profiles/me", wk.token, nil, &got)
	if got.CountryOfBirth != "GH" || got.CountryOfTraining != "GB" || strings.Join(got.Citizenships, ",") != "GH,GB" {
		t.Errorf("the profile holds %+v", got)
	}
	p.settle()
	p.catalogueCheck(t, "en")
	p.axe(t)
	p.screenshot("worker-profile-statistics-phone")

	// A code no list offers (as an outdated app might send): the server's
	// message stands beside the input, and nothing is saved.
	p.eval(`(() => { const sel = [...document.querySelectorAll('select')].find((s) => [...s.labels].some((l) => l.textContent.trim() === 'Country of birth'));
		const o = document.createElement('option'); o.value = 'XX'; o.textContent = 'XX'; sel.append(o); return true; })()`, nil)
	p.fill("Country of birth", "XX")
	p.allowHTTP(http.StatusBadRequest, "/v1/profiles/me")
	p.click("Save my profile")
	p.waitText("Please correct the 1 highlighted field(s) below.")
	p.in("Country of birth").waitText(containing("ISO 3166-1 alpha-2"))
	s.do(t, http.StatusOK, http.MethodGet, "/v1/profiles/me", wk.token, nil, &got)
	if got.CountryOfBirth != "GH" {
		t.Errorf("after a refused save the country of birth is %q", got.CountryOfBirth)
	}

	// She takes back her country of birth and one citizenship.
	p.fill("Country of birth", "Not said")
	p.click("Remove Ghana")
	p.click("Save my profile")
	p.waitText("Profile saved.")
	got = struct {
		CountryOfBirth    string   `json:"country_of_birth"`
		Citizenships      []string `json:"citizenships"`
		CountryOfTraining string   `json:"country_of_training"`
	}{}
	s.do(t, http.StatusOK, http.MethodGet, "/v1/profiles/me", wk.token, nil, &got)
	if got.CountryOfBirth != "" || got.CountryOfTraining != "GB" || strings.Join(got.Citizenships, ",") != "GB" {
		t.Errorf("after taking answers back the profile holds %+v", got)
	}

	// In French.
	f := b.context(t, phone, "fr")
	signInAs(t, f, e, password, "fr")
	f.visit("/profile")
	f.waitText("Pour l’observatoire (facultatif)")
	if c := citizenshipChips(f); c != "Royaume-Uni" {
		t.Errorf("the citizenships read %q in French", c)
	}
	f.settle()
	f.catalogueCheck(t, "fr")
}

// citizenshipChips lists the citizenships the profile editor shows.
func citizenshipChips(p *page) string {
	var names []string
	p.eval(`[...document.querySelectorAll('.worker-countries .chip')].map((li) => li.firstChild.textContent.trim())`, &names)
	return strings.Join(names, ", ")
}
