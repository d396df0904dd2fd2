package journey_test

import (
	"net/http"
	"testing"
)

// TestBrowser_Verification: a worker asks for her Ghanaian licence to be
// verified from her profile editor; Ghana's ministry finds it in its
// verification queue and records a decision, with the worker's status
// following; the queue reads in French too and passes axe.
func TestBrowser_Verification(t *testing.T) {
	needChromium(t)
	s := startServer(t, "")
	admin := s.admin(t)
	mohEmail := email("moh")
	var acc struct{ ID string }
	s.do(t, http.StatusCreated, http.MethodPost, "/v1/auth/register", "", map[string]any{
		"email": mohEmail, "password": password, "name": "Akosua Owusu", "role": "ministry",
		"country": "GH", "organization": "Ministry of Health, Ghana"}, &acc)
	s.do(t, http.StatusOK, http.MethodPost, "/v1/admin/accounts/"+acc.ID+"/approve", admin, nil, nil)

	proEmail := email("pro")
	s.do(t, http.StatusCreated, http.MethodPost, "/v1/auth/register", "", map[string]any{
		"email": proEmail, "password": password, "name": "Ama Mensah", "role": "professional"}, nil)
	tok := s.login(t, proEmail, password)
	s.do(t, http.StatusCreated, http.MethodPut, "/v1/profiles/me", tok, map[string]any{
		"full_name": "Ama Mensah", "profession": "2222", "specialties": []string{"obstetrics"},
		"skills":         []string{"caesarean section", "neonatal resuscitation"},
		"languages":      []map[string]string{{"code": "en", "level": "C2"}},
		"origin_country": "GH", "residence_country": "GB", "timezone": "Europe/London", "years_experience": 9,
		"licences": []map[string]string{{"country": "GH", "body": "Nursing and Midwifery Council of Ghana",
			"number": "RM-0042", "expires": day(900)}},
		"availability": []map[string]string{{"from": day(1), "to": day(360)}}, "virtual_hours_per_week": 4,
		"modes": []string{"onsite", "virtual"}, "alerts": true}, nil)

	b := newBrowser(t, s)
	w := b.context(t, phone, "en")
	signInAs(t, w, proEmail, password, "en")
	w.visit("/profile")
	w.waitText("Not verified")
	w.click("Request verification")
	w.waitText("Verification in progress")
	w.catalogueCheck(t, "en")
	w.screenshot("worker-licence-verification-phone")

	m := b.context(t, phone, "en")
	signInAs(t, m, mohEmail, password, "en")
	m.visit("/verifications")
	m.waitText("Licence verification")
	m.waitText("Ama Mensah")
	m.catalogueCheck(t, "en")
	m.axe(t)
	m.screenshot("ministry-verifications-phone")
	m.fill("Decision", "Verified")
	m.fill("How you checked", "With the issuing body (primary source)")
	m.fill("Note", "Checked on the council's register.")
	m.click("Record the decision")
	m.waitText("No licence is waiting in this list.")

	w.visit("/profile")
	w.waitText("Verified")
	w.waitText(containing("Verifier’s note"))

	f := b.context(t, desktop, "fr")
	signInAs(t, f, mohEmail, password, "fr")
	f.visit("/verifications?status=validated")
	f.waitText("Vérification des autorisations d’exercer")
	f.waitText("Ama Mensah")
	f.catalogueCheck(t, "fr", dataTexts...)
}
