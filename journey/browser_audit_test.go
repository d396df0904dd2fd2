package journey_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestBrowser_AdminAudit: a failed and a successful sign-in show up in the
// admin's audit trail; the action filter goes into the address, so that a
// reload keeps it; the page reads in French too and passes axe.
func TestBrowser_AdminAudit(t *testing.T) {
	needChromium(t)
	s := startServer(t, "")
	s.do(t, http.StatusUnauthorized, http.MethodPost, "/v1/auth/login", "",
		map[string]string{"email": adminEmail, "password": "not-the-password"}, nil)

	b := newBrowser(t, s)
	p := b.context(t, phone, "en")
	signInAs(t, p, adminEmail, adminPassword, "en")
	p.visit("/admin/audit")
	p.waitText("Audit trail")
	p.waitText("Failed sign-in")
	p.waitText("Signed in")
	p.fill("Action", "Failed sign-in")
	p.waitText("Failed sign-in")
	if loc := p.waitLocation("action=auth.signin_failed"); !strings.Contains(loc, "action=auth.signin_failed") {
		t.Errorf("the filter is not in the address: %s", loc)
	}
	p.visit("/admin/audit?action=account.erased")
	p.waitText("No entry matches these filters.")
	p.catalogueCheck(t, "en")
	p.axe(t)
	p.screenshot("admin-audit-phone")

	f := b.context(t, desktop, "fr")
	signInAs(t, f, adminEmail, adminPassword, "fr")
	f.visit("/admin/audit")
	f.waitText("Journal d'audit")
	f.waitText("Échec de connexion")
	f.catalogueCheck(t, "fr", dataTexts...)
}
