package main

import (
	"slices"
	"testing"
	"time"

	"sankofa"
	"sankofa/matcher"
)

type seedSafeguardSource struct{ s *sankofa.Safeguards }

func (f seedSafeguardSource) Safeguards() *sankofa.Safeguards { return f.s }

// TestGenerateSeedData_Safeguards: the demo's workers living in listed
// countries are matched to some published assignment under every
// exception of the WHO safeguards list, and the one who expresses
// interest would be restricted without it.
func TestGenerateSeedData_Safeguards(t *testing.T) {
	now := time.Now().UTC()
	data := GenerateSeedData(1, now)
	l, err := sankofa.DefaultSafeguardList()
	if err != nil {
		t.Fatal(err)
	}
	var agreements []sankofa.SafeguardAgreement
	for i, in := range data.Agreements {
		if err := in.Validate(&l); err != nil {
			t.Fatalf("agreement %q: %v", in.Title, err)
		}
		agreements = append(agreements, sankofa.SafeguardAgreement{ID: "sga_" + string(rune('a'+i)), EmployerCountry: in.EmployerCountry,
			SourceCountry: in.SourceCountry, Title: in.Title, ValidFrom: in.ValidFrom, ValidUntil: in.ValidUntil})
	}
	m := matcher.New(matcher.Default())
	m.UseSafeguards(seedSafeguardSource{&sankofa.Safeguards{List: l, Agreements: agreements}}, func() time.Time { return now })

	var profiles []*sankofa.Profile
	interest := map[string][]sankofa.Interest{} // by assignment title
	for _, sp := range data.Professionals {
		in := sp.Profile
		in.Normalize()
		p := &sankofa.Profile{ID: sp.Registration.Email, AccountID: sp.Registration.Email, ProfileInput: in, UpdatedAt: now}
		for _, title := range sp.Interested {
			interest[title] = append(interest[title], sankofa.Interest{ProfileID: p.ID, AccountID: p.AccountID})
		}
		if l.Lists(in.ResidenceCountry) {
			profiles = append(profiles, p)
		}
	}
	if len(profiles) == 0 {
		t.Fatal("no demo worker lives in a listed country")
	}
	seen := map[sankofa.SafeguardException][]string{}
	for _, ms := range data.Ministries {
		for j, in := range ms.Assignments {
			if j%5 == 4 {
				continue // left as a draft by seed
			}
			in.Normalize()
			a := &sankofa.Assignment{ID: in.Title, Country: ms.Registration.Country, AssignmentInput: in,
				Status: sankofa.AssignmentOpen, Interested: interest[in.Title]}
			for _, p := range profiles {
				if len(m.Check(a, p, true)) > 0 {
					continue
				}
				d := m.Safeguard(a, p)
				seen[d.Exception] = append(seen[d.Exception], p.FullName+" for "+a.Title)
				if d.Exception == sankofa.ExceptInterest {
					without := *a
					without.Interested = nil
					if got := m.Check(&without, p, true); !slices.Contains(got, matcher.ConstraintSafeguard) {
						t.Errorf("%s for %s: without her interest Check = %v, want safeguard", p.FullName, a.Title, got)
					}
				}
			}
		}
	}
	for _, e := range []sankofa.SafeguardException{sankofa.ExceptOrigin, sankofa.ExceptVirtual, sankofa.ExceptAgreement, sankofa.ExceptInterest} {
		if len(seen[e]) == 0 {
			t.Errorf("no demo worker is matched under the %q exception; matched: %v", e, seen)
		}
	}
}
