package journey_test

import (
	"net/http"
	"testing"
)

// TestBrowser_MissionReports: a midwife's mission in Ghana ends (the
// server restarts with its clock four days ahead, past the assignment's
// end); she evaluates it, writes her report in Portuguese (a field left
// empty is named under it), chooses to be shown by profession and origin
// only, and consents; Ghana's ministry evaluates it in French and
// consents; the report appears in the public library, signed out, for a
// French query ("césarienne") on the Portuguese text ("cesariana"),
// without her name.
func TestBrowser_MissionReports(t *testing.T) {
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

	proEmail := email("pro")
	s.do(t, http.StatusCreated, http.MethodPost, "/v1/auth/register", "", map[string]any{
		"email": proEmail, "password": password, "name": "Ama Mensah", "role": "professional"}, nil)
	pro := s.login(t, proEmail, password)
	var p struct{ ID string }
	s.do(t, http.StatusCreated, http.MethodPut, "/v1/profiles/me", pro, map[string]any{
		"full_name": "Ama Mensah", "profession": "2222", "specialties": []string{"obstetrics"},
		"skills":         []string{"caesarean section", "neonatal resuscitation"},
		"languages":      []map[string]string{{"code": "en", "level": "C2"}, {"code": "pt", "level": "C1"}},
		"origin_country": "GH", "residence_country": "PT", "timezone": "Europe/Lisbon", "years_experience": 9,
		"availability": []map[string]string{{"from": day(0), "to": day(360)}}, "virtual_hours_per_week": 4,
		"modes": []string{"onsite", "virtual"}, "alerts": true}, &p)
	asg := s.assignment(t, moh, 1, 1, 1) // tomorrow and the day after
	offer := s.offer(t, moh, asg, p.ID)
	s.do(t, http.StatusOK, http.MethodPost, "/v1/offers/"+offer+"/accept", pro, nil, nil)

	// The mission ends: four days later, by the server's clock.
	s.stop()
	s.env = append(s.env, "SANKOFA_CHAOS_CLOCK_OFFSET=96h")
	s.restart()

	b := newBrowser(t, s)
	w := b.context(t, phone, "en")
	// The filled assignment is closed to her; the report is not written
	// yet; the first try of it lacks its objectives.
	w.allowHTTP(http.StatusNotFound, "/v1/assignments/"+asg)
	w.allowHTTP(http.StatusNotFound, "/v1/offers/"+offer+"/report")
	w.allowHTTP(http.StatusBadRequest, "/v1/offers/"+offer+"/report")
	signInAs(t, w, proEmail, password, "en")
	w.visit("/offers/" + offer)
	w.waitText("Evaluate the mission")
	w.fill("Objectives met", "4 – very good")
	w.fill("Preparation", "3 – good")
	w.fill("Support on site", "5 – excellent")
	w.fill("Comment", "The maternity team was ready for the drills.")
	w.click("Send the evaluation")
	w.waitText(containing("You evaluated this mission on"))

	w.waitText("Mission report")
	w.fill("Activities", "Simulações diárias de cesariana de emergência com a equipa da maternidade.")
	w.fill("Lessons learned", "Os exercícios precisam de uma sala reservada e de um horário fixo.")
	w.fill("People trained", "14")
	w.fill("Procedures performed", "31")
	w.fill("Protocols or curricula written", "2")
	w.fill("Language of the report", "Portuguese")
	w.click("Show me only by profession and country of origin")
	w.click("Save the report")
	w.waitText("is required") // the objectives, under their field
	w.fill("Objectives", "Formar a equipa da maternidade em cesariana segura e em reanimação neonatal.")
	w.click("Save the report")
	w.waitText("Draft")
	w.waitText(containing("Shown by profession and origin only."))
	w.click("Consent to publish")
	w.waitText("You consent to publish it.")
	w.catalogueCheck(t, "en")
	w.axe(t)
	w.screenshot("worker-mission-report-phone")

	m := b.context(t, desktop, "fr")
	signInAs(t, m, mohEmail, password, "fr")
	m.visit("/missions/" + offer)
	m.waitText("Évaluer la mission")
	m.waitText("L’autre partie a évalué la mission.")
	m.fill("Objectifs atteints", "5 – excellent")
	m.fill("Préparation", "4 – très bien")
	m.fill("Soutien sur place", "4 – très bien")
	m.click("Envoyer l’évaluation")
	m.waitText(containing("Vous avez évalué cette mission le"))
	m.waitText("L’autre partie y consent.")
	m.click("Consentir à la publication")
	m.waitText(containing("avec l’accord des deux parties."))
	m.catalogueCheck(t, "fr", dataTexts...)
	m.axe(t)

	// The public library, signed out, in French: a French query finds the
	// Portuguese report, which does not name her.
	r := b.context(t, desktop, "fr")
	r.visit("/")
	r.click("Rapports de mission : l’échange de bonnes pratiques")
	r.waitText("Rapports de mission")
	r.fill("Mots recherchés", "césarienne")
	r.click("Rechercher")
	r.waitText("1 rapport(s)")
	r.waitText(containing("Formar a equipa da maternidade em cesariana segura"))
	r.noText("Ama Mensah")
	r.catalogueCheck(t, "fr", dataTexts...)
	r.axe(t)
	r.screenshot("public-reports-desktop")
	r.click("Midwife mentor, Tamale Teaching Hospital")
	r.waitText("Os exercícios precisam de uma sala reservada e de um horário fixo.")
	r.waitText("Rédigé par")
	r.noText("Ama Mensah")
	r.axe(t)
}
