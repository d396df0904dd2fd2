package matcher_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"sankofa"
	"sankofa/matcher"
)

// fixedSafeguards is a SafeguardSource over a fixed list.
type fixedSafeguards struct{ s *sankofa.Safeguards }

func (f fixedSafeguards) Safeguards() *sankofa.Safeguards { return f.s }

const whoList = "https://www.who.int/publications/i/item/9789240069787"

func safeguardedMatcher(t *testing.T, agreements ...sankofa.SafeguardAgreement) *matcher.Matcher {
	t.Helper()
	l, err := sankofa.DefaultSafeguardList()
	if err != nil {
		t.Fatal(err)
	}
	m := matcher.New(matcher.Default())
	m.UseSafeguards(fixedSafeguards{&sankofa.Safeguards{List: l, Agreements: agreements}}, func() time.Time { return matchNow })
	return m
}

// gbPost is an on-site post of the ministry of GB, and ghanaResident a
// Nigerian nurse living in Ghana who can do it.
func gbPost(mode sankofa.Mode) *sankofa.Assignment {
	a := icuPost()
	a.ID, a.Country, a.Mode = "asg-gb", "GB", mode
	a.Start, a.End = "2027-01-04", "2027-01-31"
	if mode == sankofa.ModeOnsite {
		a.VirtualHoursPerWeek = 0
	}
	return a
}

func ghanaResident() *sankofa.Profile {
	p := worker("gh-nurse", "2221", []string{"soins intensifs"}, []string{"ventilation mécanique", "réanimation"})
	p.ResidenceCountry, p.OriginCountry = "GH", "NG"
	p.Modes = []sankofa.Mode{sankofa.ModeOnsite, sankofa.ModeVirtual}
	p.Availability = []sankofa.Window{{From: "2027-01-01", To: "2027-02-28"}}
	p.ShareWith = []string{"GB", "NG", "SN"}
	return p
}

func TestMatcher_Safeguard(t *testing.T) {
	until := sankofa.Date("2027-12-31")
	agreement := sankofa.SafeguardAgreement{ID: "sga_1", EmployerCountry: "GB", SourceCountry: "GH", Title: "GB-GH", ValidFrom: "2026-01-01", ValidUntil: &until}
	interested := func(a *sankofa.Assignment) *sankofa.Assignment {
		a.Interested = []sankofa.Interest{{ProfileID: "gh-nurse", AccountID: "acc_gh"}}
		return a
	}
	ngPost := func() *sankofa.Assignment { a := gbPost(sankofa.ModeOnsite); a.Country = "NG"; return a }
	for _, tc := range []struct {
		name       string
		m          *matcher.Matcher
		a          *sankofa.Assignment
		restricted bool
		exception  sankofa.SafeguardException
		reason     string // a fragment of the English sentence
	}{
		{"ErrOnsite", safeguardedMatcher(t), gbPost(sankofa.ModeOnsite), true, "", "may not approach them"},
		{"ErrHybrid", safeguardedMatcher(t), gbPost(sankofa.ModeHybrid), true, "", "may not approach them"},
		{"OKVirtual", safeguardedMatcher(t), gbPost(sankofa.ModeVirtual), false, sankofa.ExceptVirtual, "the work is virtual"},
		{"OKOrigin", safeguardedMatcher(t), ngPost(), false, sankofa.ExceptOrigin, "return to their country of origin, NG"},
		{"OKInterest", safeguardedMatcher(t), interested(gbPost(sankofa.ModeOnsite)), false, sankofa.ExceptInterest, "expressed interest"},
		{"OKAgreement", safeguardedMatcher(t, agreement), gbPost(sankofa.ModeOnsite), false, sankofa.ExceptAgreement, "agreement between GB and GH"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := ghanaResident()
			broken := tc.m.Check(tc.a, p, true)
			if got := slices.Contains(broken, matcher.ConstraintSafeguard); got != tc.restricted {
				t.Fatalf("Check = %v; safeguard broken %v, want %v", broken, got, tc.restricted)
			}
			if !tc.restricted && len(broken) > 0 {
				t.Fatalf("Check = %v, want none", broken)
			}
			af := tc.m.AssignmentFeatures(&tc.a.AssignmentInput)
			ranked := tc.m.RankProfiles(tc.a, af, []matcher.ProfileCandidate{{Profile: p, Features: tc.m.ProfileFeatures(&p.ProfileInput), Active: true}}, matchNow, "en")
			if (len(ranked) == 0) != tc.restricted {
				t.Fatalf("ranked %d, restricted %v", len(ranked), tc.restricted)
			}
			_, ex := tc.m.Score(tc.a, af, p, tc.m.ProfileFeatures(&p.ProfileInput), matchNow, "en")
			want := matcher.SafeguardFit{SafeguardDecision: sankofa.SafeguardDecision{Listed: true, Country: "GH",
				Restricted: tc.restricted, Exception: tc.exception}, ListURL: whoList}
			if ex.Safeguard == nil || *ex.Safeguard != want {
				t.Errorf("explanation's safeguard %+v, want %+v", ex.Safeguard, want)
			}
			if !slices.ContainsFunc(ex.Reasons, func(r string) bool { return strings.Contains(r, tc.reason) && strings.Contains(r, "safeguards list") }) {
				t.Errorf("reasons %q, want one saying %q", ex.Reasons, tc.reason)
			}
			if err := tc.m.SafeguardError(tc.a, tc.m.Safeguard(tc.a, p)); (err != nil) != tc.restricted {
				t.Errorf("SafeguardError = %v, restricted %v", err, tc.restricted)
			}
		})
	}
	t.Run("OKAgreementEnded", func(t *testing.T) {
		ended := sankofa.Date("2026-11-30") // matchNow is 2026-12-01
		old := agreement
		old.ValidUntil = &ended
		if got := safeguardedMatcher(t, old).Check(gbPost(sankofa.ModeOnsite), ghanaResident(), true); !slices.Contains(got, matcher.ConstraintSafeguard) {
			t.Errorf("Check under an ended agreement = %v, want safeguard", got)
		}
	})
	t.Run("OKNotListed", func(t *testing.T) {
		m := safeguardedMatcher(t)
		p := ghanaResident()
		p.ResidenceCountry = "GB"
		a := gbPost(sankofa.ModeOnsite)
		a.Country = "SN"
		if got := m.Check(a, p, true); len(got) != 0 {
			t.Errorf("Check = %v, want none", got)
		}
		_, ex := m.Score(a, m.AssignmentFeatures(&a.AssignmentInput), p, m.ProfileFeatures(&p.ProfileInput), matchNow, "en")
		raw, _ := json.Marshal(ex)
		if ex.Safeguard != nil || strings.Contains(string(raw), `"safeguard"`) {
			t.Errorf("a worker outside the list has a safeguard: %s", raw)
		}
	})
	t.Run("OKCountryOfResidence", func(t *testing.T) {
		m := safeguardedMatcher(t)
		a := gbPost(sankofa.ModeOnsite)
		a.Country = "GH"
		p := ghanaResident()
		p.ShareWith = append(p.ShareWith, "GH")
		if got := m.Check(a, p, true); len(got) != 0 {
			t.Errorf("Check = %v, want none", got)
		}
		_, ex := m.Score(a, m.AssignmentFeatures(&a.AssignmentInput), p, m.ProfileFeatures(&p.ProfileInput), matchNow, "en")
		if ex.Safeguard == nil || ex.Safeguard.Restricted || ex.Safeguard.Exception != "" {
			t.Errorf("safeguard %+v, want listed, not restricted, no exception", ex.Safeguard)
		}
	})
	t.Run("OKWithoutList", func(t *testing.T) {
		m := matcher.New(matcher.Default())
		if got := m.Check(gbPost(sankofa.ModeOnsite), ghanaResident(), true); len(got) != 0 {
			t.Errorf("Check without a list = %v, want none", got)
		}
	})
}

// TestMatcher_SafeguardLanguages: the explanation's sentence and the
// refusal read in the reader's language, and a worker's own match list
// leaves out what the list restricts.
func TestMatcher_SafeguardLanguages(t *testing.T) {
	m := safeguardedMatcher(t)
	a := gbPost(sankofa.ModeVirtual)
	p := ghanaResident()
	af, pf := m.AssignmentFeatures(&a.AssignmentInput), m.ProfileFeatures(&p.ProfileInput)
	for lang, want := range map[string]string{
		"en": "allowed because the work is virtual",
		"fr": "la mission est à distance",
		"pt": "o trabalho é à distância",
		"de": "allowed because the work is virtual",
	} {
		_, ex := m.Score(a, af, p, pf, matchNow, lang)
		if !slices.ContainsFunc(ex.Reasons, func(r string) bool { return strings.Contains(r, want) }) {
			t.Errorf("%s: reasons %q, want %q", lang, ex.Reasons, want)
		}
	}
	onsite := gbPost(sankofa.ModeOnsite)
	err := m.SafeguardError(onsite, m.Safeguard(onsite, p))
	se, ok := err.(*sankofa.SafeguardError)
	if !ok || se.ListURL != whoList {
		t.Fatalf("SafeguardError = %#v", err)
	}
	for lang, want := range map[string]string{
		"en": "the ministry of GB may not approach them",
		"fr": "le ministère du pays GB ne peut pas le solliciter",
		"pt": "o ministério do país GB não o pode abordar",
	} {
		if got := matcher.SafeguardRefusal(se, lang); !strings.Contains(got, want) || !strings.Contains(got, "GH") || strings.Contains(got, "%!") {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
	got := m.RankAssignments(p, pf, true, []matcher.AssignmentCandidate{
		{Assignment: onsite, Features: m.AssignmentFeatures(&onsite.AssignmentInput)},
		{Assignment: a, Features: af},
	}, matchNow, "en")
	if len(got) != 1 || got[0].Assignment.Mode != sankofa.ModeVirtual {
		t.Errorf("the worker's own matches hold %d, want only the virtual one", len(got))
	}
}
