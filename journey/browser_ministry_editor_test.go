package journey_test

import (
	"net/http"
	"regexp"
	"testing"
)

// TestBrowser_MinistryEditor is the first half of the ministry's journey
// in the console: a ministry registers, an admin approves it in another
// browser, and the ministry writes an assignment. Its first try has the
// end date before the start date: the server's message appears next to the
// dates and what was typed stays. It fixes the date, publishes, and lands
// on the assignment's page. Screenshots of the dashboard and the editor, on
// a desktop and on a phone, go to the screenshots folder.
func TestBrowser_MinistryEditor(t *testing.T) {
	needChromium(t)
	s := startServer(t, "")
	b := newBrowser(t, s)

	const (
		officer = "Kwame Boateng"
		org     = "Ministry of Health, Ghana (journey)"
		title   = "Midwife mentor for maternal health, Tamale"
	)
	mail := email("moh-ui")

	// The ministry signs up; an admin approves it from the approval queue,
	// in another browser.
	m := b.ministrySignsUp(t, officer, org, mail)
	b.adminApproves(t, officer)

	// The ministry continues to its dashboard.
	m.click("Check again")
	m.waitText("Dashboard")
	m.waitText("Open assignments")
	m.waitText(containing("No open or draft assignments"))
	m.settle()
	m.screenshot("ministry-journey-dashboard-1280")

	// The editor: a first try with the end before the start.
	m.click("New assignment")
	m.waitText("New assignment")
	m.fill("Title", title)
	m.fill("Profession", "Midwifery professionals")
	m.fill("Positions", "2")
	// Skills come from the taxonomy's suggestions, in the officer's
	// language.
	m.fill("Required skills", "")
	m.typeText("caesar")
	m.click("caesarean section")
	m.in("Required skills").waitText(containing("caesarean section"))
	// A wording the taxonomy lacks is added as typed with Enter.
	m.fill("Desired skills", "")
	m.typeText("mentoring of junior midwives")
	m.press("Enter")
	m.in("Desired skills").waitText(containing("mentoring of junior midwives"))
	m.click("Add a language")
	m.fill("Language 1", "English")
	m.fill("Level of language 1", "B2 · upper intermediate")
	m.fill("Region", "Northern")
	m.fill("Facility", "Tamale Teaching Hospital")
	m.fill("Start date", day(40))
	m.fill("End date", day(20))
	m.screenshot("ministry-journey-editor-1280")

	m.allowHTTP(http.StatusBadRequest, "/v1/assignments")
	m.click("Publish")
	m.waitText(containing("Please correct the 1 highlighted field"))
	m.in("End date").waitText(containing("must not be before start"))
	var kept struct{ Title, End string }
	m.eval(`(() => {
	  const byLabel = (text) => [...document.querySelectorAll('label')].find((l) => l.textContent.replace('*', '').trim() === text).control;
	  const end = byLabel('End date');
	  const err = (end.getAttribute('aria-describedby') || '').split(' ').map((id) => document.getElementById(id)).filter(Boolean).map((e) => e.textContent).join(' ');
	  return { Title: byLabel('Title').value, End: end.value + ' | ' + err };
	})()`, &kept)
	if kept.Title != title {
		t.Errorf("after the error the title holds %q, want what was typed: %q", kept.Title, title)
	}
	if !regexp.MustCompile(`^` + day(20) + ` \|.*must not be before start`).MatchString(kept.End) {
		t.Errorf("the end date field holds and is described by %q; want the date typed and the server's message", kept.End)
	}
	if got := m.location(); got != "/assignments/new" {
		t.Errorf("after a refused first try the address is %s; nothing should have been created", got)
	}
	m.screenshot("ministry-journey-editor-error-1280")

	// Fixed, it publishes and lands on the assignment's page.
	m.fill("End date", day(100))
	m.click("Publish")
	m.waitText("Matches") // a tab of the assignment's page
	m.waitText(title)
	at := m.location()
	if !regexp.MustCompile(`^/assignments/asg_[0-9a-z]+$`).MatchString(at) {
		t.Fatalf("after publishing the address is %s, want the assignment's page", at)
	}
	m.noText(containing("must not be before start"))

	// The API agrees: one open assignment, with what the form said.
	tok := s.login(t, mail, password)
	var list struct {
		Items []struct {
			ID, Title, Status, End, Profession string
			Positions                          int
			RequiredSkills                     []string `json:"required_skills"`
			PreferredSkills                    []string `json:"preferred_skills"`
			Languages                          []struct{ Code, Level string }
		}
	}
	s.do(t, http.StatusOK, http.MethodGet, "/v1/assignments?country=GH&status=open", tok, nil, &list)
	found := false
	for _, it := range list.Items {
		if it.Title != title {
			continue
		}
		found = true
		if "/assignments/"+it.ID != at || it.End != day(100) || it.Profession != "2222" || it.Positions != 2 ||
			len(it.RequiredSkills) != 1 || it.RequiredSkills[0] != "caesarean section" ||
			len(it.PreferredSkills) != 1 || it.PreferredSkills[0] != "mentoring of junior midwives" ||
			len(it.Languages) != 1 || it.Languages[0].Code != "en" || it.Languages[0].Level != "B2" {
			t.Errorf("published assignment %+v differs from the form (page %s)", it, at)
		}
	}
	if !found {
		t.Errorf("no open assignment titled %q after publishing; the ministry has %+v", title, list.Items)
	}

	// Back on the dashboard the assignment is listed as open.
	m.click("Dashboard")
	m.in(title).waitText("Open")
	m.in(title).waitText(containing("0 of 2 filled"))
	m.settle()
	m.screenshot("ministry-journey-dashboard-open-1280")
	m.axe(t)

	// The same screens on a phone, signed in as the same officer.
	ph := b.context(t, phone, "en")
	ph.visit("/signin")
	ph.fill("Email", mail)
	ph.fill("Password", password)
	ph.in("Password").click("Sign in")
	ph.waitText("Dashboard")
	ph.in(title).waitText("Open")
	ph.settle()
	ph.screenshot("ministry-journey-dashboard-390")
	ph.axe(t)
	ph.visit("/assignments/new")
	ph.waitText("New assignment")
	ph.fill("Title", "Nurse for neonatal care")
	ph.fill("Start date", day(50))
	ph.fill("End date", day(30))
	ph.allowHTTP(http.StatusBadRequest, "/v1/assignments")
	ph.click("Save draft")
	ph.in("End date").waitText(containing("must not be before start"))
	ph.screenshot("ministry-journey-editor-error-390")
	ph.axe(t)
	ph.catalogueCheck(t, "en")
}
