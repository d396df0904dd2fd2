package main

import (
	"fmt"
	"testing"
	"time"

	"sankofa"
	"sankofa/disclosure"
	"sankofa/matcher"
	"sankofa/search"
)

// TestSeedData_Observatory checks the demo gives the observatory
// something to show: nationals trained abroad (so foreign-born and
// foreign-trained differ), and tables with both published and suppressed
// cells.
func TestSeedData_Observatory(t *testing.T) {
	now := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	data := GenerateSeedData(1, now)
	ix, err := search.Open(t.TempDir(), matcher.New(matcher.Default()))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	trainedAbroad, bornAbroad := 0, 0
	for i, sp := range data.Professionals {
		in := sp.Profile
		if in.CountryOfBirth == in.OriginCountry && in.CountryOfTraining != "" && in.CountryOfTraining != in.CountryOfBirth {
			trainedAbroad++
		}
		if in.CountryOfBirth != "" && in.CountryOfBirth != in.ResidenceCountry {
			bornAbroad++
		}
		in.Normalize()
		p := &sankofa.Profile{ID: fmt.Sprintf("pro_%d", i), AccountID: fmt.Sprintf("acc_%d", i), ProfileInput: in,
			Version: 1, CreatedAt: now.AddDate(0, 0, -i)}
		if err := ix.IndexProfile(p, true); err != nil {
			t.Fatal(err)
		}
	}
	n := len(data.Professionals)
	if trainedAbroad < n/10 || bornAbroad < n/2 {
		t.Errorf("of %d workers %d are nationals trained abroad and %d foreign-born", n, trainedAbroad, bornAbroad)
	}
	o := ix.Observatory(disclosure.DefaultRules(), 0)
	for _, by := range [][]string{{"origin_country"}, {"residence_country", "country_of_training"}, {"residence_country", "country_of_birth"}} {
		tb, err := o.Stock(by, now)
		if err != nil {
			t.Fatal(err)
		}
		published, suppressed := 0, 0
		for _, c := range tb.Cells {
			if c.Count.Suppressed {
				suppressed++
			} else {
				published++
			}
		}
		if published == 0 || suppressed == 0 {
			t.Errorf("stock by %v: %d cells published, %d suppressed", by, published, suppressed)
		}
	}
}
