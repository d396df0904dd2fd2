package api_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"sankofa"
	"sankofa/matcher"
)

const whoListURL = "https://www.who.int/publications/i/item/9789240069787"

// safeguardsBody is GET /v1/safeguards.
type safeguardsBody struct {
	Edition    string                       `json:"edition"`
	Title      string                       `json:"title"`
	Source     string                       `json:"source"`
	ISBN       string                       `json:"isbn"`
	Countries  []string                     `json:"countries"`
	UpdatedAt  string                       `json:"updated_at"`
	Agreements []sankofa.SafeguardAgreement `json:"agreements"`
}

// ministryIn registers an approved ministry of country whose account
// reads in lang.
func (e *env) ministryIn(t *testing.T, country, lang string) (sankofa.Account, string) {
	t.Helper()
	email := uniqueEmail("moh")
	var a sankofa.Account
	e.must(t, 201, req{Method: "POST", Path: "/v1/auth/register", Body: sankofa.Registration{
		Email: email, Password: testPassword, Name: "Officer", Role: sankofa.RoleMinistry, Country: country,
		Organization: "Ministry of Health " + country, Locale: lang}}).JSON(t, &a)
	e.must(t, 200, req{Method: "POST", Path: "/v1/admin/accounts/" + a.ID + "/approve", Token: e.Admin(t)})
	return a, e.login(t, email, testPassword)
}

// safeguardOf returns the safeguard part of the explanation of profileID
// in an assignment's matches; ranked is false when it is not ranked.
func (e *env) safeguardOf(t *testing.T, token, assignmentID, profileID string) (fit *matcher.SafeguardFit, reasons []string, ranked bool) {
	t.Helper()
	var l struct {
		Items []struct {
			Profile     sankofa.Profile     `json:"profile"`
			Explanation matcher.Explanation `json:"explanation"`
		} `json:"items"`
	}
	e.must(t, 200, req{Method: "GET", Path: "/v1/assignments/" + assignmentID + "/matches?limit=100", Token: token}).JSON(t, &l)
	for _, it := range l.Items {
		if it.Profile.ID == profileID {
			return it.Explanation.Safeguard, it.Explanation.Reasons, true
		}
	}
	return nil, nil, false
}

// pool lists the profile ids a ministry's pool search finds.
func (e *env) pool(t *testing.T, token, query string) []string {
	t.Helper()
	var l struct {
		Items []sankofa.Profile `json:"items"`
	}
	e.must(t, 200, req{Method: "GET", Path: "/v1/profiles?limit=100" + query, Token: token}).JSON(t, &l)
	var ids []string
	for _, p := range l.Items {
		ids = append(ids, p.ID)
	}
	return ids
}

// TestSafeguards_Rule: a midwife from Nigeria living in Ghana, a listed
// country, and the ministry of the United Kingdom. She is kept from its
// on-site work (matches, pool, alerts, offers) until she expresses
// interest or an agreement is recorded; virtual work and her own
// country's assignments are open to her, and the explanation says why.
func TestSafeguards_Rule(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	_, gbTok := e.ministryIn(t, "GB", "fr")
	_, ngTok := e.ministryIn(t, "NG", "pt")
	admin := e.Admin(t)
	w, wTok := e.worker(t, func(p *sankofa.ProfileInput) {
		p.ResidenceCountry, p.OriginCountry, p.Timezone = "GH", "NG", "Africa/Accra"
		p.ShareWith = []string{"GB", "NG"}
	})
	wID := sankofa.ProfileIDFor(w.ID)
	// A control: a midwife living in the United Kingdom.
	c, _ := e.worker(t, func(p *sankofa.ProfileInput) { p.ShareWith = []string{"GB", "NG"} })
	cID := sankofa.ProfileIDFor(c.ID)
	onsite := e.publishedAssignment(t, gbTok, nil)

	t.Run("ErrOnsiteMatches", func(t *testing.T) {
		if _, _, ok := e.safeguardOf(t, gbTok, onsite.ID, wID); ok {
			t.Error("the Ghana resident is ranked for the UK's on-site assignment")
		}
		fit, _, ok := e.safeguardOf(t, gbTok, onsite.ID, cID)
		if !ok || fit != nil {
			t.Errorf("the UK resident: ranked %v, safeguard %+v; want ranked without one", ok, fit)
		}
	})
	t.Run("ErrOnsitePool", func(t *testing.T) {
		if got := e.pool(t, gbTok, "&mode=onsite"); slices.Contains(got, wID) || !slices.Contains(got, cID) {
			t.Errorf("pool for on-site work: %v; want %s and not %s", got, cID, wID)
		}
		// Without a mode she is found for the virtual work she offers.
		if got := e.pool(t, gbTok, ""); !slices.Contains(got, wID) {
			t.Errorf("pool without a mode: %v; want %s, who offers virtual work", got, wID)
		}
		// The ministry of her country of origin finds her.
		if got := e.pool(t, ngTok, "&mode=onsite"); !slices.Contains(got, wID) {
			t.Errorf("Nigeria's pool: %v; want %s", got, wID)
		}
	})
	t.Run("ErrOnsiteAlerts", func(t *testing.T) {
		ids, err := e.Server.AlertAudience(ctx, &onsite, 50)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(ids, w.ID) || !slices.Contains(ids, c.ID) {
			t.Errorf("alert audience %v; want %s and not %s", ids, c.ID, w.ID)
		}
	})
	t.Run("ErrOnsiteOffer", func(t *testing.T) {
		r := e.must(t, 409, req{Method: "POST", Path: "/v1/assignments/" + onsite.ID + "/offers", Token: gbTok,
			Body: map[string]any{"profile_id": wID}})
		p := r.Problem(t)
		if p.Code != "safeguarded_recruitment" || p.ListURL != whoListURL || p.Type != "https://sankofa.dev/problems/safeguarded_recruitment" {
			t.Errorf("problem %+v", p)
		}
		// The ministry reads French.
		if !strings.Contains(p.Detail, "liste OMS d'appui et de sauvegarde") || !strings.Contains(p.Detail, "GH") || !strings.Contains(p.Detail, "GB") {
			t.Errorf("detail %q, want it in French, naming GH and GB", p.Detail)
		}
	})
	t.Run("OKVirtual", func(t *testing.T) {
		virtual := e.publishedAssignment(t, gbTok, func(in *sankofa.AssignmentInput) {
			in.Title, in.Mode, in.VirtualHoursPerWeek = "Tele-mentoring of midwives", sankofa.ModeVirtual, 2
		})
		fit, reasons, ok := e.safeguardOf(t, gbTok, virtual.ID, wID)
		want := sankofa.SafeguardDecision{Listed: true, Country: "GH", Exception: sankofa.ExceptVirtual}
		if !ok || fit == nil || fit.SafeguardDecision != want || fit.ListURL != whoListURL {
			t.Fatalf("ranked %v, safeguard %+v; want %+v", ok, fit, want)
		}
		if !slices.ContainsFunc(reasons, func(r string) bool { return strings.Contains(r, "la mission est à distance") }) {
			t.Errorf("reasons %q, want the French sentence on virtual work", reasons)
		}
		ids, err := e.Server.AlertAudience(ctx, &virtual, 50)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(ids, w.ID) {
			t.Errorf("alert audience %v; want %s for virtual work", ids, w.ID)
		}
		e.offer(t, gbTok, virtual.ID, w, 201)
	})
	t.Run("OKOrigin", func(t *testing.T) {
		home := e.publishedAssignment(t, ngTok, func(in *sankofa.AssignmentInput) { in.Title = "Midwife mentor, Kano" })
		fit, reasons, ok := e.safeguardOf(t, ngTok, home.ID, wID)
		if !ok || fit == nil || fit.Exception != sankofa.ExceptOrigin || fit.Restricted {
			t.Fatalf("ranked %v, safeguard %+v; want the origin exception", ok, fit)
		}
		if !slices.ContainsFunc(reasons, func(r string) bool { return strings.Contains(r, "regresso ao país de origem (NG)") }) {
			t.Errorf("reasons %q, want the Portuguese sentence on a return", reasons)
		}
		e.offer(t, ngTok, home.ID, w, 201)
	})
	t.Run("OKInterest", func(t *testing.T) {
		mine := e.publishedAssignment(t, gbTok, func(in *sankofa.AssignmentInput) { in.Title = "Midwife mentor, Leeds" })
		e.offer(t, gbTok, mine.ID, w, 409)
		e.must(t, 201, req{Method: "POST", Path: "/v1/assignments/" + mine.ID + "/interest", Token: wTok})
		fit, _, ok := e.safeguardOf(t, gbTok, mine.ID, wID)
		if !ok || fit == nil || fit.Exception != sankofa.ExceptInterest {
			t.Fatalf("ranked %v, safeguard %+v; want the interest exception", ok, fit)
		}
		e.offer(t, gbTok, mine.ID, w, 201)
	})
	t.Run("OKAgreement", func(t *testing.T) {
		var ag sankofa.SafeguardAgreement
		e.must(t, 201, req{Method: "POST", Path: "/v1/admin/safeguards/agreements", Token: admin, Body: map[string]any{
			"employer_country": "GB", "source_country": "GH", "title": "UK-Ghana agreement on health workers",
			"valid_from": string(e.day(-30)),
		}}).JSON(t, &ag)
		fit, _, ok := e.safeguardOf(t, gbTok, onsite.ID, wID)
		if !ok || fit == nil || fit.Exception != sankofa.ExceptAgreement {
			t.Fatalf("ranked %v, safeguard %+v; want the agreement exception", ok, fit)
		}
		if got := e.pool(t, gbTok, "&mode=onsite"); !slices.Contains(got, wID) {
			t.Errorf("pool under the agreement: %v; want %s", got, wID)
		}
		// Once the agreement is gone, so is she.
		e.must(t, 204, req{Method: "DELETE", Path: "/v1/admin/safeguards/agreements/" + ag.ID, Token: admin})
		if _, _, ok := e.safeguardOf(t, gbTok, onsite.ID, wID); ok {
			t.Error("ranked after the agreement was deleted")
		}
		e.offer(t, gbTok, onsite.ID, w, 409)
	})
}

func TestSafeguards_API(t *testing.T) {
	e := newEnv(t)
	admin := e.Admin(t)
	var first safeguardsBody
	r := e.must(t, 200, req{Method: "GET", Path: "/v1/safeguards"})
	r.JSON(t, &first)

	t.Run("GetPublic", func(t *testing.T) {
		if first.Edition != "2023" || first.ISBN != "9789240069787" || first.Source != whoListURL ||
			len(first.Countries) != 55 || !slices.Contains(first.Countries, "NP") || len(first.Agreements) != 0 {
			t.Errorf("GET /v1/safeguards = %+v", first)
		}
		if r.Header.Get("ETag") != `"v1"` || r.Header.Get("Cache-Control") != "public, no-cache" {
			t.Errorf("ETag %q, Cache-Control %q", r.Header.Get("ETag"), r.Header.Get("Cache-Control"))
		}
		nm := e.must(t, 304, req{Method: "GET", Path: "/v1/safeguards", Header: map[string]string{"If-None-Match": `"v1"`}})
		if len(nm.Body) != 0 {
			t.Errorf("304 with a body: %s", nm.Body)
		}
	})

	t.Run("ErrAgreementInvalid", func(t *testing.T) {
		for _, tc := range []struct {
			name  string
			body  map[string]any
			field string
		}{
			{"SameCountries", map[string]any{"employer_country": "GH", "source_country": "GH", "title": "Same", "valid_from": "2026-01-01"}, "source_country"},
			{"SourceNotListed", map[string]any{"employer_country": "GB", "source_country": "KE", "title": "Kenya", "valid_from": "2026-01-01"}, "source_country"},
			{"DatesReversed", map[string]any{"employer_country": "GB", "source_country": "NP", "title": "UK-Nepal",
				"valid_from": "2026-01-01", "valid_until": "2025-12-31"}, "valid_until"},
			{"NotACountry", map[string]any{"employer_country": "UK", "source_country": "NP", "title": "UK-Nepal", "valid_from": "2026-01-01"}, "employer_country"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := e.must(t, 400, req{Method: "POST", Path: "/v1/admin/safeguards/agreements", Token: admin, Body: tc.body,
					Bad: tc.name == "NotACountry"}).Problem(t)
				if !slices.ContainsFunc(p.Errors, func(f sankofa.FieldError) bool { return f.Field == tc.field }) {
					t.Errorf("errors %+v, want %s", p.Errors, tc.field)
				}
			})
		}
	})

	var ag sankofa.SafeguardAgreement
	t.Run("AddAgreement", func(t *testing.T) {
		r := e.must(t, 201, req{Method: "POST", Path: "/v1/admin/safeguards/agreements", Token: admin, Header: from("sg-add"),
			Body: map[string]any{"employer_country": "GB", "source_country": "NP", "title": "UK-Nepal government-to-government agreement",
				"valid_from": "2022-11-01", "valid_until": nil}})
		r.JSON(t, &ag)
		if ag.ID == "" || ag.EmployerCountry != "GB" || ag.SourceCountry != "NP" || ag.ValidUntil != nil || r.Header.Get("ETag") != `"v2"` {
			t.Errorf("agreement %+v, ETag %s", ag, r.Header.Get("ETag"))
		}
		var now safeguardsBody
		e.must(t, 200, req{Method: "GET", Path: "/v1/safeguards", Header: map[string]string{"If-None-Match": `"v1"`}}).JSON(t, &now)
		if len(now.Agreements) != 1 || now.Agreements[0].ID != ag.ID {
			t.Errorf("agreements %+v", now.Agreements)
		}
		if got := e.oneEntry(t, "sg-add", sankofa.AuditSafeguards); got.ObjectID != ag.ID {
			t.Errorf("audit entry %+v, want the agreement as its object", got)
		}
	})

	t.Run("ErrPutInvalid", func(t *testing.T) {
		p := e.must(t, 400, req{Method: "PUT", Path: "/v1/admin/safeguards", Token: admin, Bad: true, Body: map[string]any{
			"edition": "2026", "title": "WHO list 2026", "source": "http://who.int/x", "countries": []string{"GH", "XX", "GH"}}}).Problem(t)
		for _, f := range []string{"source", "countries[1]", "countries[2]"} {
			if !slices.ContainsFunc(p.Errors, func(fe sankofa.FieldError) bool { return fe.Field == f }) {
				t.Errorf("errors %+v, want %s", p.Errors, f)
			}
		}
	})

	t.Run("ErrPutStale", func(t *testing.T) {
		e.must(t, 412, req{Method: "PUT", Path: "/v1/admin/safeguards", Token: admin, Header: map[string]string{"If-Match": `"v1"`},
			Body: map[string]any{"edition": "2026", "title": "WHO list 2026", "source": whoListURL, "countries": []string{"GH"}}})
	})

	t.Run("Put", func(t *testing.T) {
		r := e.must(t, 200, req{Method: "PUT", Path: "/v1/admin/safeguards", Token: admin,
			Header: map[string]string{"If-Match": `"v2"`, "X-Request-ID": "sg-put", "User-Agent": "audit-test/1.0"},
			Body: map[string]any{"edition": "2026", "title": "WHO health workforce support and safeguards list 2026",
				"source": whoListURL, "countries": []string{"NP", "GH", "NG"}}})
		var got safeguardsBody
		r.JSON(t, &got)
		if got.Edition != "2026" || !slices.Equal(got.Countries, []string{"GH", "NG", "NP"}) || len(got.Agreements) != 1 || r.Header.Get("ETag") != `"v3"` {
			t.Errorf("PUT answered %+v, ETag %s", got, r.Header.Get("ETag"))
		}
		if got.UpdatedAt <= first.UpdatedAt {
			t.Errorf("updated_at %s, want after %s", got.UpdatedAt, first.UpdatedAt)
		}
		l := e.auditQuery(t, url.Values{"action": {string(sankofa.AuditSafeguards)}})
		if !slices.ContainsFunc(l.Items, func(it sankofa.AuditEntry) bool { return it.RequestID == "sg-put" && it.ObjectID == "list" }) {
			t.Errorf("no audit entry of the PUT in %+v", l.Items)
		}
		// The new list applies at once: AF is no longer on it.
		e.must(t, 400, req{Method: "POST", Path: "/v1/admin/safeguards/agreements", Token: admin,
			Body: map[string]any{"employer_country": "GB", "source_country": "AF", "title": "UK-Afghanistan", "valid_from": "2026-01-01"}})
	})

	t.Run("Delete", func(t *testing.T) {
		e.must(t, 404, req{Method: "DELETE", Path: "/v1/admin/safeguards/agreements/sga_unknown", Token: admin})
		e.must(t, 204, req{Method: "DELETE", Path: "/v1/admin/safeguards/agreements/" + ag.ID, Token: admin})
		e.must(t, 404, req{Method: "DELETE", Path: "/v1/admin/safeguards/agreements/" + ag.ID, Token: admin})
		var now safeguardsBody
		e.must(t, 200, req{Method: "GET", Path: "/v1/safeguards"}).JSON(t, &now)
		if len(now.Agreements) != 0 {
			t.Errorf("agreements %+v after delete", now.Agreements)
		}
	})
}
