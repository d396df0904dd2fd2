package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sankofa"
)

func TestGenerateSeedData(t *testing.T) {
	todays := []time.Time{
		time.Date(2025, 6, 15, 9, 30, 0, 0, time.UTC),
		time.Date(2027, 12, 31, 23, 30, 0, 0, time.FixedZone("WAT", 3600)),
		time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC),
	}

	t.Run("Valid", func(t *testing.T) {
		for _, ms := range seedMinistries {
			for _, a := range ms.assignments {
				if _, _, _, ok := seedFit(ms.country, a); !ok {
					t.Errorf("assignment %q: no %s worker of profession %s in specialty %q can be drawn", a.title, ms.country, a.profession, a.pool)
				}
			}
		}
		for _, now := range todays {
			for _, seed := range []int64{1, 42, -7} {
				t.Run(fmt.Sprintf("%s/seed=%d", now.Format(time.RFC3339), seed), func(t *testing.T) {
					checkSeedData(t, GenerateSeedData(seed, now), sankofa.DateOf(now))
				})
			}
		}
	})

	t.Run("Deterministic", func(t *testing.T) {
		now := todays[0]
		a, b := GenerateSeedData(42, now), GenerateSeedData(42, now)
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("same seed gave different data (-first +second):\n%s", diff)
		}
		if cmp.Equal(a, GenerateSeedData(43, now)) {
			t.Error("seeds 42 and 43 gave identical data")
		}
	})
}

// checkSeedData asserts that every item validates and that the data set
// has the shape the demo needs.
func checkSeedData(t *testing.T, data SeedData, today sankofa.Date) {
	t.Helper()
	emails := map[string]bool{}
	addEmail := func(e string) {
		k := sankofa.NormalizeEmail(e)
		if emails[k] {
			t.Errorf("e-mail %s is used twice", e)
		}
		emails[k] = true
	}

	if n := len(data.Ministries); n < 3 {
		t.Errorf("got %d ministries, want at least 3", n)
	}
	assignments := 0
	modes := map[sankofa.Mode]int{}
	for _, m := range data.Ministries {
		reg := m.Registration
		if err := reg.Validate(); err != nil {
			t.Errorf("ministry %s: %v", reg.Email, err)
		}
		if reg.Role != sankofa.RoleMinistry {
			t.Errorf("ministry %s has role %s", reg.Email, reg.Role)
		}
		addEmail(reg.Email)
		for _, a := range m.Assignments {
			assignments++
			modes[a.Mode]++
			a.Normalize()
			if err := a.Validate(today); err != nil {
				t.Errorf("assignment %q: %v", a.Title, err)
			}
			if a.Start <= today {
				t.Errorf("assignment %q starts %s, not after %s", a.Title, a.Start, today)
			}
		}
	}
	if assignments < 15 || assignments > 25 {
		t.Errorf("got %d assignments, want 15-25", assignments)
	}
	for _, m := range []sankofa.Mode{sankofa.ModeOnsite, sankofa.ModeVirtual, sankofa.ModeHybrid} {
		if modes[m] == 0 {
			t.Errorf("no %s assignment", m)
		}
	}

	if n := len(data.Professionals); n < 180 || n > 220 {
		t.Errorf("got %d professionals, want 180-220", n)
	}
	professions := map[string]bool{}
	langs := map[string]bool{}
	for _, p := range data.Professionals {
		reg := p.Registration
		if err := reg.Validate(); err != nil {
			t.Errorf("professional %s: %v", reg.Email, err)
		}
		if reg.Role != sankofa.RoleProfessional {
			t.Errorf("professional %s has role %s", reg.Email, reg.Role)
		}
		addEmail(reg.Email)
		in := p.Profile
		windows := len(in.Availability)
		in.DropEndedWindows(today)
		in.Normalize()
		if len(in.Availability) != windows {
			t.Errorf("profile %s: %d of %d windows already ended", reg.Email, windows-len(in.Availability), windows)
		}
		if err := in.Validate(today); err != nil {
			t.Errorf("profile %s: %v", reg.Email, err)
		}
		professions[in.Profession] = true
		for _, l := range in.Languages {
			langs[l.Code] = true
		}
	}
	if len(professions) < 3 {
		t.Errorf("got %d distinct professions, want at least 3", len(professions))
	}
	for _, code := range []string{"en", "fr", "pt"} {
		if !langs[code] {
			t.Errorf("no professional speaks %s", code)
		}
	}
}
