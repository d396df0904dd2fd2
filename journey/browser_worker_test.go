package journey_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// TestBrowser_Worker is journey 2: a midwife signs up on a 390-px phone,
// fills in her profile through the console with the skills autocomplete,
// finds the ministry's assignment among her opportunities, sees its offer
// arrive without reloading, accepts it and reads the ministry's contact
// details; the ministry's assignment page then shows the post filled and
// her contact details.
func TestBrowser_Worker(t *testing.T) {
	needChromium(t)
	s := startServer(t, "")
	admin := s.admin(t)
	mohEmail := email("moh")
	var acc struct{ ID string }
	s.do(t, http.StatusCreated, http.MethodPost, "/v1/auth/register", "", map[string]any{
		"email": mohEmail, "password": password, "name": "Akosua Owusu", "role": "ministry",
		"country": "GH", "organization": "Ministry of Health, Ghana"}, &acc)
	s.do(t, http.StatusOK, http.MethodPost, "/v1/admin/accounts/"+acc.ID+"/approve", admin, nil, nil)
	moh := s.login(t, mohEmail, password)
	asg := s.assignment(t, moh, 1, 10, 30) // "Midwife mentor, Tamale Teaching Hospital", caesarean section, en B2

	b := newBrowser(t, s)
	p := b.context(t, phone, "en")
	// Until she saves it, she has no profile and so no matches.
	p.allowHTTP(http.StatusNotFound, "/v1/profiles/me")
	p.visit("/signup")
	p.waitText("Create an account")
	p.click(containing("A health worker"))
	p.fill("Full name", "Efua Boateng")
	proEmail := email("pro")
	p.fill("Email", proEmail)
	p.fill("Password", password)
	p.click("Create my account")

	// A new worker lands on her (empty) profile.
	p.waitText("My profile")
	p.waitText("Create your profile: ministries of the countries you choose can then find you.")
	p.settle()
	p.screenshot("worker-profile-new-phone")

	// Saving too early shows the errors next to their fields, input kept.
	p.fill("Full name", "Efua Boateng")
	p.allowHTTP(http.StatusBadRequest, "/v1/profiles/me")
	p.click("Create my profile")
	p.waitText(containing("highlighted field"))
	p.in("Profession").waitText(containing("ISCO-08"))

	p.fill("Profession", "Midwifery professionals")
	p.fill("Years of experience", "9")
	p.fill("Short bio", "Midwife at a London teaching hospital; I would like to mentor in Ghana.")

	// Skills through the autocomplete: type part of a word, pick the suggestion.
	p.click("Skills and procedures")
	p.typeText("caesar")
	p.waitText(containing("aesarean"))
	pick := pickSuggestion(p, "aesarean")
	p.in("Skills and procedures").waitText(pick + " ×")
	for _, s := range []string{"partograph", "postpartum haemorrhage management"} {
		p.click("Skills and procedures")
		p.typeText(s)
		p.press("Enter")
		p.in("Skills and procedures").waitText(s + " ×")
	}
	p.click("Specialties")
	p.typeText("obstetrics")
	p.press("Enter")

	p.fill("Level", "C2 – mastery") // the first language row: the page's language, English
	p.fill("Country of origin", "Ghana")
	p.fill("Country where you live", "United Kingdom")
	p.fill("Time zone", "Europe/London")
	p.click("Add dates")
	p.fill("From", day(1))
	p.fill("To", day(360))
	p.fill("Contact e-mail", "efua.boateng@example.org")
	p.fill("Phone", "+447700900456")
	// The origin country is shared by default, and the page says what its
	// ministry sees and what it does not.
	p.waitText(containing("The ministries of health of Ghana can find your profile"))
	p.waitText("Your e-mail and phone, until you accept one of their offers")
	p.click("Create my profile")
	p.waitText("Profile created. Your opportunities are ready.")
	p.waitText(containing("Your profile is"))
	p.screenshot("worker-profile-phone")

	// Her opportunities list the assignment, with the explanation.
	p.click("Menu")
	p.click("Opportunities")
	p.within(60 * time.Second).waitText("Midwife mentor, Tamale Teaching Hospital")
	p.waitText("Skills you have")
	p.settle()
	p.screenshot("worker-matches-phone")
	p.in("Midwife mentor, Tamale Teaching Hospital").click("I'm interested: Midwife mentor, Tamale Teaching Hospital")
	p.waitText("Interest sent: the ministry has been told.")

	// The ministry sends an offer through the API; it appears on her
	// screen, unread badge included, without a reload.
	var profile struct{ ID string }
	pro := s.login(t, proEmail, password)
	s.do(t, http.StatusOK, http.MethodGet, "/v1/profiles/me", pro, nil, &profile)
	p.click("Menu")
	p.click("Offers")
	p.waitText(containing("No offers yet"))
	p.eval(`window.sankofaJourney = 'no reload'`, nil)
	offer := s.offer(t, moh, asg, profile.ID)
	p.within(2 * time.Second).waitText("Would you mentor our midwives?")
	p.click("Menu")
	p.within(2 * time.Second).waitText("Inbox 1")
	var mark string
	p.eval(`window.sankofaJourney || ''`, &mark)
	if mark != "no reload" {
		t.Errorf("the page was reloaded to show the offer")
	}
	p.click("Menu")
	p.screenshot("worker-offers-phone")

	p.click("Accept: Midwife mentor, Tamale Teaching Hospital")
	p.waitText("The ministry's contact details")
	p.waitText("Akosua Owusu")
	p.waitText(mohEmail)
	p.waitText("Accepted")
	p.screenshot("worker-offer-accepted-phone")
	var o offerView
	s.do(t, http.StatusOK, http.MethodGet, "/v1/offers/"+offer, moh, nil, &o)
	if o.Status != "accepted" {
		t.Fatalf("offer %s is %q after she accepted it in the console", offer, o.Status)
	}

	// The ministry, on its own device, sees the post filled with her
	// contact details.
	m := b.context(t, desktop, "en")
	m.visit("/signin")
	m.fill("Email", mohEmail)
	m.fill("Password", password)
	m.in("Password").click("Sign in")
	m.waitText("Sign out")
	m.visit("/assignments/" + asg)
	m.waitText("Midwife mentor, Tamale Teaching Hospital")
	m.waitText("Filled")
	m.click(containing("Offers")) // the assignment's offers tab
	m.waitText("efua.boateng@example.org")
	m.waitText("+447700900456")
	m.screenshot("ministry-assignment-filled")
}

// pickSuggestion clicks the first suggestion of the focused autocomplete
// whose text contains part, and returns the suggestion's label as the
// chip will show it.
func pickSuggestion(p *page, part string) string {
	p.t.Helper()
	q, _ := json.Marshal(part)
	var label string
	p.eval(`(() => {
		const input = document.activeElement;
		const list = input && document.getElementById(input.getAttribute('aria-controls'));
		const opt = list && [...list.querySelectorAll('[role=option]')].find((o) => o.textContent.includes(`+string(q)+`));
		return opt ? opt.firstChild.textContent.trim() : '';
	})()`, &label)
	if label == "" {
		p.fail("no suggestion contains %q", part)
	}
	p.click(containing(label))
	return label
}
