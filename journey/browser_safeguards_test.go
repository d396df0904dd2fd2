package journey_test

import (
	"net/http"
	"slices"
	"testing"
	"time"
)

// TestBrowser_Safeguards: the WHO health workforce support and safeguards
// list in the console. A Ghanaian ministry signs up and is approved; a
// midwife who lives in Nigeria, a listed country, shares her profile with
// Ghana. She is among the matches of Ghana's virtual assignment, with a
// note saying why that is allowed (beside a midwife living in the United
// Kingdom, without one, when the two are compared), and not among those
// of its on-site one. An admin finds the 2023 list on /admin/safeguards, is told that a
// code is no country, takes Tuvalu off the list and puts it back, is told
// that an agreement cannot end before it starts, then records an
// agreement between Ghana and Nigeria: the on-site match
// list now shows her, allowed by the agreement. The admin removes it
// while the ministry's page is open; the offer the ministry then sends is
// refused with the reason and a link to the list, and the public page
// that link leads to lists the countries. The midwife reads the note on
// her own matches; the public page reads in French without signing in.
func TestBrowser_Safeguards(t *testing.T) {
	needChromium(t)
	s := startServer(t, "")
	b := newBrowser(t, s)

	const (
		officer   = "Abena Sarpong"
		midwife   = "Chidinma Okafor"
		agreement = "Ghana–Nigeria health workforce exchange"
	)
	mail := email("moh-sg")
	m := b.ministrySignsUp(t, officer, "Ghana Health Service (safeguards)", mail)
	a := b.adminApproves(t, officer)
	moh := s.login(t, mail, password)

	proEmail := email("pro-ng")
	s.do(t, http.StatusCreated, http.MethodPost, "/v1/auth/register", "", map[string]any{
		"email": proEmail, "password": password, "name": midwife, "role": "professional"}, nil)
	pro := s.login(t, proEmail, password)
	var prof struct{ ID string }
	s.do(t, http.StatusCreated, http.MethodPut, "/v1/profiles/me", pro, map[string]any{
		"full_name": midwife, "profession": "2222", "specialties": []string{"obstetrics"},
		"skills":         []string{"caesarean section", "neonatal resuscitation"},
		"languages":      []map[string]string{{"code": "en", "level": "C2"}, {"code": "ig", "level": "C2"}},
		"origin_country": "NG", "residence_country": "NG", "share_with": []string{"NG", "GH"},
		"timezone": "Africa/Lagos", "years_experience": 11,
		"availability": []map[string]string{{"from": day(1), "to": day(360)}}, "virtual_hours_per_week": 6,
		"modes": []string{"onsite", "virtual"}, "alerts": true}, &prof)

	onsite := s.assignment(t, moh, 1, 30, 60)
	var v struct{ ID string }
	s.do(t, http.StatusCreated, http.MethodPost, "/v1/assignments", moh, map[string]any{
		"title": "Tele-mentoring of midwives, Tamale", "profession": "2222",
		"required_skills": []string{"caesarean section"}, "languages": []map[string]string{{"code": "en", "level": "B2"}},
		"mode": "virtual", "virtual_hours_per_week": 4, "start": day(20), "end": day(110), "positions": 1}, &v)
	s.do(t, http.StatusOK, http.MethodPost, "/v1/assignments/"+v.ID+"/publish", moh, nil, nil)
	matched := func(asg string) bool {
		var page struct {
			Items []struct{ Profile struct{ ID string } }
		}
		s.do(t, http.StatusOK, http.MethodGet, "/v1/assignments/"+asg+"/matches?limit=50", moh, nil, &page)
		return slices.ContainsFunc(page.Items, func(it struct{ Profile struct{ ID string } }) bool { return it.Profile.ID == prof.ID })
	}
	eventually(t, 60*time.Second, "the midwife matches the virtual assignment", func() bool { return matched(v.ID) })
	ama := registerWorker(t, s, email("pro-gb"))
	for _, id := range []string{prof.ID, ama.profileID} {
		s.do(t, http.StatusCreated, http.MethodPut, "/v1/assignments/"+v.ID+"/shortlist/"+id, moh, map[string]string{"note": ""}, nil)
	}

	// The virtual assignment: she is there, and the note says why.
	m.visit("/assignments/" + v.ID)
	m.waitText("Ranked matches")
	m.in(midwife).waitText("WHO safeguards list")
	m.in(midwife).waitText(containing("Resides in Nigeria, a country on the WHO health workforce support and safeguards list."))
	m.in(midwife).waitText(containing("Allowed: virtual work."))
	m.settle()
	m.catalogueCheck(t, "en")
	m.axe(t)
	m.screenshot("safeguards-ministry-virtual-match")
	// Side by side with a midwife who lives in the United Kingdom.
	m.visit("/assignments/" + v.ID + "?tab=shortlist")
	m.click("Compare " + midwife)
	m.click("Compare Ama Mensah")
	m.click("Compare selected (2)")
	m.waitText("Side by side")
	m.in(midwife).waitText(containing("Allowed: virtual work."))
	m.in("Ama Mensah").waitText("Does not reside in a listed country")
	m.settle()
	m.catalogueCheck(t, "en")
	m.axe(t)
	m.screenshot("safeguards-ministry-compare")
	// The on-site one: the list keeps her out.
	m.visit("/assignments/" + onsite)
	m.waitText("Ranked matches")
	m.waitText("Ama Mensah")
	m.settle()
	m.noText(midwife)
	// The pool search says whom it leaves out for on-site work.
	m.visit("/pool")
	m.waitText(containing("appear here only for virtual work"))

	// The admin's page: the 2023 edition, a code that is no country, an
	// agreement that ends before it starts, then one that holds.
	a.visit("/admin/safeguards")
	a.waitText("WHO safeguards list")
	a.waitText("55 countries on the list")
	a.in("Countries on the list").waitText(containing("Nigeria"))
	a.fill("Countries on the list", "XX")
	a.click("Add")
	a.waitText("“XX” is not an ISO 3166-1 alpha-2 country code.")
	a.click("Remove Tuvalu")
	a.waitText("54 countries on the list")
	a.click("Save the list")
	a.waitText("Safeguards list saved: 54 countries.")
	a.fill("Countries on the list", "tv")
	a.press("Enter")
	a.waitText("55 countries on the list")
	a.click("Save the list")
	a.waitText("Safeguards list saved: 55 countries.")
	a.fill("Employer country", "Ghana")
	a.fill("Source country", "Nigeria")
	a.fill("Name of the agreement", agreement)
	a.fill("Valid from", day(0))
	a.fill("Valid until", day(-1))
	a.allowHTTP(http.StatusBadRequest, "/v1/admin/safeguards/agreements")
	a.click("Record the agreement")
	a.waitText("Please correct the 1 highlighted field(s) below.")
	a.in("Valid until").waitText(containing("valid_from"))
	a.fill("Valid until", day(365))
	a.click("Record the agreement")
	a.in(agreement).waitText("Ghana")
	a.in(agreement).waitText("Nigeria")
	a.settle()
	a.catalogueCheck(t, "en", dataTexts...)
	a.axe(t)
	a.screenshot("safeguards-admin")

	// With the agreement, the on-site match list shows her, and says why.
	eventually(t, 60*time.Second, "the midwife matches the on-site assignment", func() bool { return matched(onsite) })
	m.visit("/assignments/" + onsite)
	m.in(midwife).waitText(containing("Allowed: a government-to-government agreement."))
	m.settle()

	// The admin removes the agreement while the ministry's page is open:
	// the offer is refused, with the reason and the list.
	a.in(agreement).click("Remove")
	a.in(agreement).click("Remove it?")
	a.waitText("No agreement is recorded.")
	m.allowHTTP(http.StatusConflict, "/v1/assignments/")
	m.click("Send offer to " + midwife)
	m.click("Send the offer")
	m.waitText("Sankofa does not send this offer")
	m.waitText(containing("WHO Global Code of Practice"))
	var link struct{ Href, Target, Rel string }
	m.eval(`(() => { const a = document.querySelector('.safeguard-refusal a[target]');
		return a ? { href: a.href, target: a.target, rel: a.rel } : {}; })()`, &link)
	if link.Href != "https://www.who.int/publications/i/item/9789240069787" || link.Target != "_blank" || link.Rel != "noopener noreferrer" {
		t.Errorf("the refusal's link to the list: %+v", link)
	}
	m.catalogueCheck(t, "en")
	m.screenshot("safeguards-offer-refused")
	m.click("About the safeguards list")
	m.waitText("The WHO safeguards list")
	m.waitText("Nigeria")
	m.waitText("No agreement is recorded.")
	m.settle()
	m.catalogueCheck(t, "en")

	// The midwife reads the note on her own matches, on a phone.
	w := b.context(t, phone, "en")
	signInAs(t, w, proEmail, password, "en")
	w.visit("/matches")
	w.in("Tele-mentoring of midwives, Tamale").waitText(containing("You reside in Nigeria"))
	w.in("Tele-mentoring of midwives, Tamale").waitText(containing("Allowed: virtual work, from where you live."))
	w.settle()
	w.catalogueCheck(t, "en")
	w.axe(t)
	w.screenshot("safeguards-worker-matches-phone")

	// The public page, in French, without signing in.
	f := b.context(t, phone, "fr")
	f.visit("/safeguards")
	f.waitText("La liste de sauvegarde de l’OMS")
	f.waitText("Éthiopie")
	f.settle()
	f.catalogueCheck(t, "fr")
	f.axe(t)
	f.screenshot("safeguards-public-phone-fr")
}
