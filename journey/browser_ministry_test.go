package journey_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// candidate is a worker the ministry journey creates through the API.
type candidate struct {
	name, phone, email string
	skills             []string
	years              int
}

// candidateWorker registers a midwife in the UK with a profile shared
// with Ghana, available for the next year, with c's name and skills.
func (s *server) candidateWorker(t testing.TB, c candidate) worker {
	t.Helper()
	e := email("pro-ui")
	s.do(t, http.StatusCreated, http.MethodPost, "/v1/auth/register", "", map[string]any{
		"email": e, "password": password, "name": c.name, "role": "professional"}, nil)
	tok := s.login(t, e, password)
	var p struct{ ID string }
	s.do(t, http.StatusCreated, http.MethodPut, "/v1/profiles/me", tok, map[string]any{
		"full_name": c.name, "profession": "2222", "specialties": []string{"obstetrics"}, "skills": c.skills,
		"languages":      []map[string]string{{"code": "en", "level": "C1"}, {"code": "tw", "level": "B2"}},
		"origin_country": "GH", "residence_country": "GB", "timezone": "Europe/London", "years_experience": c.years,
		"licences":     []map[string]string{{"country": "GB", "body": "Nursing and Midwifery Council", "number": "NMC-" + c.phone[len(c.phone)-4:], "expires": day(700)}},
		"availability": []map[string]string{{"from": day(1), "to": day(360)}}, "virtual_hours_per_week": 4,
		"modes": []string{"onsite", "virtual"}, "alerts": true,
		"contact": map[string]string{"phone": c.phone, "email": c.email}}, &p)
	return worker{token: tok, profileID: p.ID}
}

// TestBrowser_MinistryAssignment is the ministry's journey 1 in the
// console, up to the offer, and its end in journey 2 as the ministry sees
// it: a ministry registers in the browser, an admin approves it in
// another browser context, and the ministry writes and publishes an
// assignment in the editor. On the assignment's page it sees the ranked
// matches with their explanations, shortlists two people with a note,
// compares them side by side and sends one an offer. The worker accepts
// (through the API), and the ministry's page shows the post filled and
// her contact details without a reload. Screenshots of every tab on a
// desktop and on a phone go to the screenshots folder.
func TestBrowser_MinistryAssignment(t *testing.T) {
	needChromium(t)
	s := startServer(t, "")
	b := newBrowser(t, s)

	const (
		officer = "Abena Sarpong"
		org     = "Ghana Health Service (journey)"
		title   = "Midwife mentor, Bolgatanga Regional Hospital"
	)
	ama := candidate{name: "Ama Mensah", phone: "+447700900123", email: "ama.mensah@example.org",
		skills: []string{"caesarean section", "neonatal resuscitation"}, years: 12}
	efua := candidate{name: "Efua Asante", phone: "+447700900456", email: "efua.asante@example.org",
		skills: []string{"obstetric anaesthesia", "neonatal resuscitation"}, years: 6}
	yaw := candidate{name: "Yaw Darko", phone: "+447700900789", email: "yaw.darko@example.org",
		skills: []string{"family planning counselling"}, years: 3}
	ws := map[string]worker{}
	for _, c := range []candidate{ama, efua, yaw} {
		ws[c.name] = s.candidateWorker(t, c)
	}

	// The ministry signs up in the browser; an admin approves it in another
	// browser context.
	mail := email("moh-asg")
	m := b.ministrySignsUp(t, officer, org, mail)
	b.adminApproves(t, officer).close()

	// The ministry writes the assignment in the editor and publishes it.
	m.click("Check again")
	m.waitText("Dashboard")
	m.waitText(containing("No open or draft assignments"))
	m.settle()
	m.click("New assignment")
	m.waitText("New assignment")
	m.settle()
	m.fill("Title", title)
	m.fill("Profession", "Midwifery professionals")
	m.fill("Positions", "1")
	m.allowHTTP(http.StatusNotFound, "/v1/taxonomy/suggest")
	for _, skill := range []string{"caesarean section", "neonatal resuscitation"} {
		m.fill("Required skills", "")
		m.typeText(skill)
		m.press("Enter")
		m.in("Required skills").waitText(containing(skill))
	}
	m.click("Add a language")
	m.fill("Language 1", "English")
	m.fill("Level of language 1", "B2 · upper intermediate")
	m.fill("Region", "Upper East")
	m.fill("Facility", "Bolgatanga Regional Hospital")
	m.fill("Start date", day(30))
	m.fill("End date", day(120))
	m.click("Publish")

	// The assignment's page: the header and the ranked matches.
	m.waitText("Ranked matches")
	m.waitText(title)
	asgPath := m.location()
	if !regexp.MustCompile(`^/assignments/asg_[0-9a-z]+$`).MatchString(asgPath) {
		t.Fatalf("after publishing the address is %s, want the assignment's page", asgPath)
	}
	m.waitText("Open")
	m.waitText("0 of 1")
	m.in(ama.name).waitText("#1")
	m.in(ama.name).waitText("Matched skills")
	m.in(ama.name).waitText("caesarean section")
	m.in(ama.name).waitText(containing("English: C1 (needs B2)"))
	m.in(ama.name).waitText(containing("available 91 of 91 days on site"))
	m.in(ama.name).waitText(containing("valid through the assignment"))
	m.in(ama.name).waitText(containing("%"))
	m.in(efua.name).waitText(containing("caesarean section"))
	m.in(efua.name).waitText("neonatal resuscitation")
	m.in(yaw.name).waitText("Missing skills")
	m.in(ama.name).click("Why this score")
	m.in(ama.name).waitText(containing("caesarean section"))
	var order []string
	m.eval(`[...document.querySelectorAll('h3')].map((h) => h.textContent.replace(/^#\d+\s*/, '').trim())`, &order)
	if len(order) != 3 || order[0] != ama.name || order[2] != yaw.name {
		t.Errorf("matches ranked %q; want %s first and %s, who has none of the skills, last", order, ama.name, yaw.name)
	}
	m.settle()
	m.screenshot("ministry-journey-assignment-matches-1280")
	m.axe(t)

	// Efua says she is interested (through the API): the Interest tab
	// counts her without a reload and explains how she fits.
	asg := asgPath[len("/assignments/"):]
	s.do(t, http.StatusCreated, http.MethodPost, "/v1/assignments/"+asg+"/interest", ws[efua.name].token, nil, nil)
	m.within(30 * time.Second).waitText("Interest 1")
	m.click("Interest 1")
	m.in(efua.name).waitText(containing("Interested"))
	m.in(efua.name).click("Show the explanation")
	m.in(efua.name).waitText(containing("caesarean section via"))
	m.settle()
	m.screenshot("ministry-journey-assignment-interest-1280")
	m.axe(t)
	m.click("Matches")
	m.waitText("Ranked matches")

	// Two people on the shortlist, one with a note.
	m.in(ama.name).click("Add to shortlist")
	m.in(ama.name).waitText("On the shortlist")
	m.in(efua.name).click("Add to shortlist")
	m.in(efua.name).waitText("On the shortlist")
	m.click(containing("Shortlist"))
	m.waitText("Shortlist")
	m.in(ama.name).waitText("caesarean section")
	m.fill("Note about "+ama.name, "Twelve years on a busy labour ward; speaks Twi.")
	m.in("Note about " + ama.name).click("Save note")
	m.waitText("Note about " + ama.name + " saved.")
	m.click("Download CSV") // a failed download would fail the page
	m.click("Compare " + ama.name)
	m.click("Compare " + efua.name)
	m.settle()
	m.screenshot("ministry-journey-assignment-shortlist-1280")
	m.axe(t)

	// The two side by side.
	m.click("Compare selected (2)")
	m.waitText("Side by side")
	m.in(ama.name).waitText("Twelve years on a busy labour ward; speaks Twi.")
	m.in(ama.name).waitText("12 years")
	m.in(efua.name).waitText("6 years")
	m.in(efua.name).waitText("No note")
	m.settle()
	m.screenshot("ministry-journey-assignment-compare-1280")
	m.axe(t)

	// An offer to Ama from the comparison, with a message of its own.
	m.in(ama.name).click("Send offer")
	m.fill("Message", "Dear Ama, would you mentor our midwives in Bolgatanga for three months?")
	m.click("Send the offer")
	m.waitText("Offer sent to " + ama.name + ".")
	m.in(ama.name).waitText("Offer: Pending")
	m.click(containing("Offers"))
	m.in(ama.name).waitText("Pending")
	m.in(ama.name).waitText("Withdraw")
	m.settle()
	m.screenshot("ministry-journey-assignment-offers-pending-1280")

	// An offer to Yaw from the match list, with the message proposed, is
	// withdrawn from the Offers tab.
	m.click("Matches")
	m.in(yaw.name).click("Send offer")
	// Too late a deadline: the server's message appears under the date,
	// and the form keeps what was typed.
	m.fill("Answer by", day(120))
	m.allowHTTP(http.StatusBadRequest, "/v1/assignments/")
	m.in(yaw.name).click("Send the offer")
	m.in("Answer by").waitText(containing("must be within 90 days"))
	m.in(yaw.name).waitText(containing("Please correct the 1 highlighted field"))
	m.fill("Answer by", day(10))
	m.in(yaw.name).click("Send the offer")
	m.waitText("Offer sent to " + yaw.name + ".")
	m.click("Offers 2")
	m.in(yaw.name).click("Withdraw")
	m.in(yaw.name).click("Click again to withdraw the offer to " + yaw.name)
	m.in(yaw.name).waitText("Withdrawn")
	m.in(ama.name).waitText("Pending")

	// The API agrees: Ama's offer is pending, with the message typed.
	tok := s.login(t, mail, password)
	var offers struct {
		Items []struct {
			ID        string
			ProfileID string `json:"profile_id"`
			Status    string
			Message   string
		}
	}
	s.do(t, http.StatusOK, http.MethodGet, "/v1/offers?assignment_id="+asg, tok, nil, &offers)
	var o struct{ ID string }
	for _, it := range offers.Items {
		switch it.ProfileID {
		case ws[ama.name].profileID:
			o.ID = it.ID
			if it.Status != "pending" {
				t.Errorf("Ama's offer is %s, want pending", it.Status)
			}
		case ws[yaw.name].profileID:
			if it.Status != "withdrawn" {
				t.Errorf("Yaw's offer is %s, want withdrawn", it.Status)
			}
			if want := "Dear Yaw Darko, we would like you to join us for “" + title + "”."; !strings.HasPrefix(it.Message, want) {
				t.Errorf("Yaw's offer says %q, want the proposed message starting %q", it.Message, want)
			}
		}
	}
	if len(offers.Items) != 2 || o.ID == "" {
		t.Fatalf("the ministry's offers for the assignment are %+v, want Ama's and Yaw's", offers.Items)
	}
	var raw struct {
		ProfileID string `json:"profile_id"`
		Message   string `json:"message"`
	}
	s.do(t, http.StatusOK, http.MethodGet, "/v1/offers/"+o.ID, tok, nil, &raw)
	if raw.ProfileID != ws[ama.name].profileID || raw.Message != "Dear Ama, would you mentor our midwives in Bolgatanga for three months?" {
		t.Errorf("the offer went to %s with %q; want %s (Ama) with the message typed", raw.ProfileID, raw.Message, ws[ama.name].profileID)
	}

	// Ama accepts. The page, not reloaded, shows the post filled and her
	// contact details.
	s.do(t, http.StatusOK, http.MethodPost, "/v1/offers/"+o.ID+"/accept", ws[ama.name].token, nil, nil)
	live := m.within(30 * time.Second)
	live.in(ama.name).waitText("Accepted")
	live.waitText("1 of 1")
	live.waitText("Filled")
	m.in("Contact details").waitText(ama.phone)
	m.in("Contact details").waitText(ama.email)
	if got := m.location(); got != asgPath+"?tab=offers" {
		t.Errorf("the address is %s; the page should not have moved", got)
	}
	m.settle()
	m.screenshot("ministry-journey-assignment-offers-accepted-1280")
	m.axe(t)
	m.click("Interest 1")
	m.in(efua.name).waitText(containing("Interested"))
	m.catalogueCheck(t, "en")

	// The same page on a phone.
	ph := b.context(t, phone, "en")
	ph.visit("/signin")
	ph.fill("Email", mail)
	ph.fill("Password", password)
	ph.in("Password").click("Sign in")
	ph.waitText("Dashboard")
	for _, tab := range []struct{ query, see string }{
		{"", "Ranked matches"}, {"?tab=shortlist", "Note about " + ama.name},
		{"?tab=offers", ama.phone}, {"?tab=interest", efua.name},
	} {
		ph.visit(asgPath + tab.query)
		ph.waitText(tab.see)
		ph.settle()
		name := tab.query
		if name == "" {
			name = "?tab=matches"
		}
		ph.screenshot("ministry-journey-assignment-" + name[len("?tab="):] + "-390")
		ph.axe(t)
	}
	ph.visit(asgPath + "?tab=compare")
	ph.waitText(containing("Tick two or three people"))

	// An admin reads the same page without the ministry's actions.
	ad := b.context(t, desktop, "en")
	ad.visit("/signin")
	ad.fill("Email", adminEmail)
	ad.fill("Password", adminPassword)
	ad.in("Password").click("Sign in")
	ad.waitText("Ministries waiting for approval")
	ad.visit(asgPath + "?tab=shortlist")
	ad.in(ama.name).waitText(containing("Twelve years on a busy labour ward"))
	for _, action := range []string{"Save note", "Remove", "Edit", "Send offer", "Add to shortlist"} {
		ad.noText(action)
	}
	ad.settle()
	ad.axe(t)
	ad.catalogueCheck(t, "en")
	ad.click("Offers 2")
	ad.in(ama.name).waitText("Accepted")
	ad.noText("Withdraw")

	// In French and Portuguese nothing on the page is left in English (the
	// language picker also stores the account's locale, in which the API
	// writes the explanations).
	for _, l := range []struct{ picker, lang, option, signOut, matches, offers string }{
		{"Language", "fr", "Français", "Se déconnecter", "Correspondances classées", "Coordonnées"},
		{"Langue", "pt", "Português", "Terminar sessão", "Correspondências ordenadas", "Contactos"},
	} {
		ph.fill(l.picker, l.option)
		ph.waitText(l.signOut)
		ph.settle()
		ph.visit(asgPath)
		ph.waitText(l.matches)
		ph.settle()
		ph.catalogueCheck(t, l.lang)
		ph.visit(asgPath + "?tab=offers")
		ph.waitText(l.offers)
		ph.settle()
		ph.catalogueCheck(t, l.lang)
		ph.screenshot("ministry-journey-assignment-offers-390-" + l.lang)
	}
}

// ministrySignsUp registers a Ghanaian ministry through the sign-up page
// and leaves it on the page that asks it to wait for approval.
func (b *browser) ministrySignsUp(t testing.TB, officer, org, mail string) *page {
	t.Helper()
	m := b.context(t, desktop, "en")
	m.visit("/signup")
	m.click(containing("A ministry of health"))
	m.fill("Full name", officer)
	m.fill("Email", mail)
	m.fill("Password", password)
	m.fill("Country of the ministry", "Ghana")
	m.fill("Ministry or department", org)
	m.click("Create my account")
	m.waitText("Waiting for approval")
	return m
}

// adminApproves signs the first admin in, in a browser context of its
// own, and approves the officer's ministry from the approval queue.
func (b *browser) adminApproves(t testing.TB, officer string) *page {
	t.Helper()
	a := b.context(t, desktop, "en")
	a.visit("/signin")
	a.fill("Email", adminEmail)
	a.fill("Password", adminPassword)
	a.in("Password").click("Sign in")
	a.waitText("Ministries waiting for approval")
	a.in(officer).click("Approve " + officer)
	a.in(officer).waitText("Active")
	return a
}
