package journey_test

import (
	"fmt"
	"testing"
)

// TestBrowser_Axe is journey 5: axe-core finds no serious or critical
// violation on any main screen of any role, on a desktop and on a phone,
// in English. The same tour is the screenshot pass: one full-page
// screenshot of each screen at 1280 and 390 px, in the folder it prints
// ($SANKOFA_SCREENSHOTS, or $TMPDIR/sankofa-screenshots), and the English
// screens show no missing key either.
func TestBrowser_Axe(t *testing.T) {
	needChromium(t)
	t.Parallel() // with the other long tour: most of their time is waiting
	s := startServer(t, "")
	w := newWorld(t, s)
	b := newBrowser(t, s)
	for _, width := range []int{desktop, phone} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			w.tour(t, b, width, "en", func(p *page, v visitor, st stop) {
				p.screenshot(fmt.Sprintf("%s-%s-%d", v.role, st.name, width))
				p.catalogueCheck(t, "en")
				p.axe(t)
			})
		})
	}
}
