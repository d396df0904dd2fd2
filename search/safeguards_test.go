package search_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"sankofa"
	"sankofa/matcher"
	"sankofa/search"
)

type fixedSafeguards struct{ s *sankofa.Safeguards }

func (f fixedSafeguards) Safeguards() *sankofa.Safeguards { return f.s }

// TestIndex_Safeguards: the first pass of an on-site match and a
// ministry's pool search leave out the workers the WHO safeguards list
// restricts, and keep the exceptions.
func TestIndex_Safeguards(t *testing.T) {
	ctx := context.Background()
	l, err := sankofa.DefaultSafeguardList()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	list := &sankofa.Safeguards{List: l}
	m := matcher.New(matcher.Default())
	m.UseSafeguards(fixedSafeguards{list}, func() time.Time { return now })
	ix, err := search.Open(t.TempDir(), m)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Built(); err != nil {
		t.Fatal(err)
	}
	nurse := func(id, residence, origin string, modes ...sankofa.Mode) *sankofa.Profile {
		in := sankofa.ProfileInput{FullName: id, Profession: "2221", Skills: []string{"ventilation mécanique"},
			Languages: []sankofa.Language{{Code: "en", Level: "C2"}}, OriginCountry: origin, ResidenceCountry: residence,
			Timezone: "UTC", YearsExperience: 5, Modes: modes, VirtualHoursPerWeek: 10, ShareWith: []string{"GB", "GH"},
			Availability: []sankofa.Window{{From: "2027-01-01", To: "2027-03-31"}}}
		in.Normalize()
		return &sankofa.Profile{ID: "pro_" + id, AccountID: "acc_" + id, ProfileInput: in, Version: 1, CreatedAt: now, UpdatedAt: now}
	}
	profiles := []*sankofa.Profile{
		nurse("gh-both", "GH", "NG", sankofa.ModeOnsite, sankofa.ModeVirtual),    // restricted for GB on site
		nurse("gh-onsite", "GH", "NG", sankofa.ModeOnsite),                       // restricted for GB on site
		nurse("np-onsite", "NP", "NP", sankofa.ModeOnsite),                       // restricted for GB unless an agreement
		nurse("gh-from-gb", "GH", "GB", sankofa.ModeOnsite, sankofa.ModeVirtual), // returns to GB, the origin
		nurse("gb-onsite", "GB", "GH", sankofa.ModeOnsite),                       // not in a listed country
	}
	for _, p := range profiles {
		if err := ix.IndexProfile(p, true); err != nil {
			t.Fatal(err)
		}
	}
	post := func(mode sankofa.Mode, interested ...string) *sankofa.Assignment {
		a := &sankofa.Assignment{ID: "asg_gb", Country: "GB", AssignmentInput: sankofa.AssignmentInput{
			Title: "ICU nurse", Profession: "2221", RequiredSkills: []string{"ventilation mécanique"}, Mode: mode,
			Start: "2027-01-04", End: "2027-02-26", Positions: 1}}
		if mode != sankofa.ModeOnsite {
			a.VirtualHoursPerWeek = 4
		}
		for _, id := range interested {
			a.Interested = append(a.Interested, sankofa.Interest{ProfileID: "pro_" + id, AccountID: "acc_" + id})
		}
		a.Normalize()
		return a
	}
	matched := func(t *testing.T, a *sankofa.Assignment) []string {
		t.Helper()
		cands, err := ix.MatchCandidates(ctx, a, m.AssignmentFeatures(&a.AssignmentInput), 50)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, c := range cands {
			ids = append(ids, c.Profile.ID)
		}
		slices.Sort(ids)
		return ids
	}
	searched := func(t *testing.T, q sankofa.ProfileQuery) []string {
		t.Helper()
		res, err := ix.SearchProfiles(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, p := range res.Profiles {
			ids = append(ids, p.ID)
		}
		slices.Sort(ids)
		sum := 0
		for _, n := range res.Facets["residence_country"] {
			sum += n
		}
		if uint64(len(ids)) != res.Total || sum != len(ids) {
			t.Errorf("total %d and residence facets %v disagree with %d hits", res.Total, res.Facets["residence_country"], len(ids))
		}
		return ids
	}
	for _, tc := range []struct {
		name string
		got  func(t *testing.T) []string
		want []string
	}{
		{"MatchOnsite", func(t *testing.T) []string { return matched(t, post(sankofa.ModeOnsite)) },
			[]string{"pro_gb-onsite", "pro_gh-from-gb"}},
		{"MatchHybrid", func(t *testing.T) []string { return matched(t, post(sankofa.ModeHybrid)) },
			[]string{"pro_gh-from-gb"}},
		{"MatchInterest", func(t *testing.T) []string { return matched(t, post(sankofa.ModeOnsite, "gh-onsite")) },
			[]string{"pro_gb-onsite", "pro_gh-from-gb", "pro_gh-onsite"}},
		{"PoolOnsite", func(t *testing.T) []string {
			return searched(t, sankofa.ProfileQuery{Country: "GB", Mode: sankofa.ModeOnsite})
		}, []string{"pro_gb-onsite", "pro_gh-from-gb"}},
		{"PoolAnyModeKeepsVirtualOnly", func(t *testing.T) []string { return searched(t, sankofa.ProfileQuery{Country: "GB"}) },
			[]string{"pro_gb-onsite", "pro_gh-both", "pro_gh-from-gb"}},
		{"PoolVirtual", func(t *testing.T) []string {
			return searched(t, sankofa.ProfileQuery{Country: "GB", Mode: sankofa.ModeVirtual})
		}, []string{"pro_gh-both", "pro_gh-from-gb"}},
		{"PoolOfResidenceCountry", func(t *testing.T) []string {
			return searched(t, sankofa.ProfileQuery{Country: "GH", Mode: sankofa.ModeOnsite})
		}, []string{"pro_gb-onsite", "pro_gh-from-gb", "pro_gh-onsite", "pro_gh-both"}},
		{"PoolAdmin", func(t *testing.T) []string { return searched(t, sankofa.ProfileQuery{Mode: sankofa.ModeOnsite}) },
			[]string{"pro_gb-onsite", "pro_gh-both", "pro_gh-from-gb", "pro_gh-onsite", "pro_np-onsite"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if got := tc.got(t); !slices.Equal(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
	t.Run("MatchVirtual", func(t *testing.T) {
		got := matched(t, post(sankofa.ModeVirtual))
		if !slices.Equal(got, []string{"pro_gh-both", "pro_gh-from-gb"}) {
			t.Errorf("got %v, want only the worker who offers virtual work", got)
		}
	})
	t.Run("AgreementOpensItsCountry", func(t *testing.T) {
		list.Agreements = []sankofa.SafeguardAgreement{{ID: "sga_1", EmployerCountry: "GB", SourceCountry: "NP", Title: "UK-Nepal", ValidFrom: "2022-11-01"}}
		defer func() { list.Agreements = nil }()
		if got := matched(t, post(sankofa.ModeOnsite)); !slices.Contains(got, "pro_np-onsite") || slices.Contains(got, "pro_gh-onsite") {
			t.Errorf("got %v, want the Nepal resident and not the Ghana residents", got)
		}
	})
}
