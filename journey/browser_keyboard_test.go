package journey_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestBrowser_Keyboard is journey 4: a worker with a pending offer reaches
// it and accepts it with the keyboard alone (Tab, Enter, Space), on a
// desktop and on a phone, where the menu is folded behind a button.
func TestBrowser_Keyboard(t *testing.T) {
	needChromium(t)
	s := startServer(t, "")
	admin := s.admin(t)
	moh := s.ministry(t, admin)
	asg := s.assignment(t, moh, 2, 10, 30)
	b := newBrowser(t, s)

	for _, c := range []struct {
		name  string
		width int
		key   string // the key that activates the Accept button
	}{{"desktop", desktop, "Enter"}, {"phone", phone, "Space"}} {
		t.Run(c.name, func(t *testing.T) {
			e := email("pro")
			w := registerWorker(t, s, e)
			s.offer(t, moh, asg, w.profileID)

			p := b.context(t, c.width, "en")
			p.visit("/signin")
			p.waitText("Sign in")
			// Typing is keyboard use; the form is sent with Enter.
			p.fill("Email", e)
			p.fill("Password", password)
			p.press("Enter")
			p.waitText("Opportunities")
			p.settle()

			if c.width == phone {
				tabTo(t, p, "Menu")
				p.press("Enter")
			}
			tabTo(t, p, "Offers")
			p.press("Enter")
			p.waitText("Would you mentor our midwives?")
			p.settle()
			tabTo(t, p, "Accept: Midwife mentor, Tamale Teaching Hospital")
			p.press(c.key)
			p.waitText("The ministry's contact details")
			p.waitText("Akosua Owusu")
			p.waitText("Accepted")

			var offers struct{ Items []offerView }
			s.do(t, http.StatusOK, http.MethodGet, "/v1/offers", w.token, nil, &offers)
			if len(offers.Items) != 1 || offers.Items[0].Status != "accepted" {
				t.Fatalf("after accepting with the keyboard the worker's offers are %+v", offers.Items)
			}
			p.close()
		})
	}
}

// tabTo presses Tab until the focused element's accessible name is name,
// failing after as many presses as a long page could need.
func tabTo(t *testing.T, p *page, name string) {
	t.Helper()
	var seen []string
	for range 80 {
		p.press("Tab")
		got := p.focusedName()
		if got == name {
			return
		}
		seen = append(seen, got)
	}
	t.Fatalf("Tab never reached %q; the focus went through: %s", name, strings.Join(seen, " | "))
}
