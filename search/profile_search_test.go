package search_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sankofa"
	"sankofa/matcher/matchertest"
)

// TestIndex_SearchProfiles checks pages, totals and facets against a
// scan of the corpus, for filters that exercise the term filter, the
// newest-months window of the sort and cursors crossing months.
func TestIndex_SearchProfiles(t *testing.T) {
	today := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	c := matchertest.GenerateCorpus(7, 3000, 5, today)
	ix := MustOpenIndex(t, t.TempDir())
	active := func(i int) bool { return i%9 != 0 }
	b := ix.NewBulk()
	for i := range c.Profiles {
		if err := b.AddProfile(&c.Profiles[i], active(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Flush(); err != nil {
		t.Fatal(err)
	}
	// Updates leave deleted documents behind in older segments.
	for i := 0; i < len(c.Profiles); i += 50 {
		if err := ix.IndexProfile(&c.Profiles[i], active(i)); err != nil {
			t.Fatal(err)
		}
	}
	a := c.Assignments[0]
	from, to := a.Start, a.End
	tests := map[string]sankofa.ProfileQuery{
		"Everyone":   {},
		"Country":    {Country: a.Country},
		"Profession": {Country: a.Country, Profession: a.Profession},
		"Language":   {Country: a.Country, Language: "fr"},
		"Available":  {Country: a.Country, AvailableFrom: from, AvailableTo: to},
		"Mode":       {Mode: sankofa.ModeVirtual, ResidenceCountry: c.Profiles[1].ResidenceCountry},
	}
	for name, q := range tests {
		t.Run(name, func(t *testing.T) {
			var want []*sankofa.Profile
			facets := map[string]map[string]int{"profession": {}, "language": {}, "origin_country": {}, "residence_country": {}, "mode": {}}
			for i := range c.Profiles {
				p := &c.Profiles[i]
				if !active(i) || !matches(p, q) {
					continue
				}
				want = append(want, p)
				facets["profession"][p.Profession]++
				facets["origin_country"][p.OriginCountry]++
				facets["residence_country"][p.ResidenceCountry]++
				for _, l := range p.Languages {
					facets["language"][l.Code]++
				}
				for _, m := range p.Modes {
					facets["mode"][string(m)]++
				}
			}
			slices.SortFunc(want, func(x, y *sankofa.Profile) int {
				if c := y.CreatedAt.Compare(x.CreatedAt); c != 0 {
					return c
				}
				return strings.Compare(y.ID, x.ID)
			})
			q.Limit = 37
			var got []string
			for page := 0; ; page++ {
				res, err := ix.SearchProfiles(context.Background(), q)
				if err != nil {
					t.Fatal(err)
				}
				if res.Total != uint64(len(want)) {
					t.Fatalf("total %d, want %d", res.Total, len(want))
				}
				if page == 0 {
					for name, counts := range facets {
						if len(counts) > 60 {
							continue // only the 60 most frequent are returned
						}
						if diff := cmp.Diff(counts, res.Facets[name]); diff != "" {
							t.Errorf("facet %s (-want +got):\n%s", name, diff)
						}
					}
				}
				for _, p := range res.Profiles {
					got = append(got, p.ID)
				}
				if res.NextCursor == "" || page > 200 {
					break
				}
				q.Cursor = res.NextCursor
			}
			var ids []string
			for _, p := range want {
				ids = append(ids, p.ID)
			}
			if diff := cmp.Diff(ids, got); diff != "" {
				t.Errorf("pages (-want +got):\n%s", diff)
			}
		})
	}
}

// matches is the profile search's filter, by scanning.
func matches(p *sankofa.Profile, q sankofa.ProfileQuery) bool {
	if q.Country != "" && !p.SharedWith(q.Country) {
		return false
	}
	if q.Profession != "" && p.Profession != q.Profession {
		return false
	}
	if q.Language != "" && !slices.ContainsFunc(p.Languages, func(l sankofa.Language) bool { return l.Code == q.Language }) {
		return false
	}
	if q.ResidenceCountry != "" && p.ResidenceCountry != q.ResidenceCountry {
		return false
	}
	if q.Mode != "" && !slices.Contains(p.Modes, q.Mode) {
		return false
	}
	if q.AvailableFrom != "" {
		// Month resolution: a window touching a month of the range counts.
		lo, hi := string(q.AvailableFrom)[:7], string(q.AvailableTo)[:7]
		return slices.ContainsFunc(p.Availability, func(w sankofa.Window) bool {
			return string(w.From)[:7] <= hi && string(w.To)[:7] >= lo
		})
	}
	return true
}
