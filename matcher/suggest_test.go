package matcher_test

import (
	"fmt"
	"slices"
	"testing"

	"sankofa/matcher"
)

func TestTaxonomy_Suggest(t *testing.T) {
	tx := matcher.Default()
	codes := func(ss []matcher.Suggestion) []string {
		out := make([]string, len(ss))
		for i, s := range ss {
			out[i] = s.Code
		}
		return out
	}
	tests := []struct {
		name, q, lang, kind string
		limit               int
		first               matcher.Suggestion // the top suggestion
		wantAll             []string           // codes that must all be present
		none                bool
	}{
		{name: "PrefixEnglish", q: "caesar", lang: "en", limit: 8,
			first: matcher.Suggestion{Code: "skill:caesarean-section", Label: "caesarean section", Matched: "caesarean section", Kind: "skill"}},
		{name: "PrefixFrenchAccentsIgnored", q: "CESARI", lang: "fr", limit: 8,
			first: matcher.Suggestion{Code: "skill:caesarean-section", Label: "césarienne", Matched: "césarienne", Kind: "skill"}},
		{name: "PrefixPortugueseLabelInPortuguese", q: "cesarian", lang: "pt", limit: 8,
			first: matcher.Suggestion{Code: "skill:caesarean-section", Label: "cesariana", Matched: "cesariana", Kind: "skill"}},
		{name: "PortugueseWithAccents", q: "reanimação neo", lang: "pt", limit: 8,
			first: matcher.Suggestion{Code: "skill:neonatal-resuscitation", Label: "reanimação neonatal", Matched: "reanimação neonatal", Kind: "skill"}},
		{name: "WordPrefix", q: "resusc", lang: "en", limit: 20,
			wantAll: []string{"skill:neonatal-resuscitation"}},
		{name: "TypoEnglish", q: "obstetirc ultra", lang: "en", limit: 8,
			first: matcher.Suggestion{Code: "skill:obstetric-ultrasound", Label: "obstetric ultrasound", Matched: "obstetric ultrasound", Kind: "skill"}},
		{name: "TypoFrench", q: "echografie obst", lang: "fr", limit: 8,
			first: matcher.Suggestion{Code: "skill:obstetric-ultrasound", Label: "échographie obstétricale", Matched: "échographie obstétricale", Kind: "skill"}},
		{name: "KindFilter", q: "obstet", lang: "en", kind: matcher.KindSpecialty, limit: 20,
			wantAll: []string{"specialty:obstetrics-gynaecology"}},
		{name: "Code", q: "skill:caesarean-section", lang: "en", limit: 3,
			first: matcher.Suggestion{Code: "skill:caesarean-section", Label: "caesarean section", Matched: "skill:caesarean-section", Kind: "skill"}},
		{name: "Limit", q: "o", lang: "en", limit: 2},
		{name: "NothingClose", q: "xyzzyq", lang: "en", limit: 8, none: true},
		{name: "OnlyPunctuation", q: "--", lang: "en", limit: 8, none: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tx.Suggest(tt.q, tt.lang, tt.kind, tt.limit)
			if got == nil {
				t.Fatal("nil, want a slice")
			}
			if len(got) > tt.limit {
				t.Fatalf("%d suggestions, limit %d", len(got), tt.limit)
			}
			if tt.none {
				if len(got) != 0 {
					t.Fatalf("got %v, want none", got)
				}
				return
			}
			if len(got) == 0 {
				t.Fatal("no suggestions")
			}
			if tt.first.Code != "" && got[0] != tt.first {
				t.Errorf("first %+v, want %+v (all: %v)", got[0], tt.first, codes(got))
			}
			for _, c := range tt.wantAll {
				if !slices.Contains(codes(got), c) {
					t.Errorf("%s missing from %v", c, codes(got))
				}
			}
			seen := map[string]bool{}
			for _, s := range got {
				if seen[s.Code] {
					t.Errorf("%s suggested twice", s.Code)
				}
				seen[s.Code] = true
				if tt.kind != "" && s.Kind != tt.kind {
					t.Errorf("%s is a %s, want only %s", s.Code, s.Kind, tt.kind)
				}
			}
		})
	}
	t.Run("PrefixBeforeWordPrefixBeforeTypo", func(t *testing.T) {
		// "neonat" begins "neonatal resuscitation" and is a later word of
		// "réanimation néonatale": the whole-phrase prefixes come first.
		got := tx.Suggest("neonat", "en", "", 20)
		if len(got) < 2 {
			t.Fatalf("got %v", codes(got))
		}
		if n := matcher.Normalize(got[0].Matched); n[:6] != "neonat" {
			t.Errorf("first matched %q, want a phrase beginning with the query", got[0].Matched)
		}
	})
}

// BenchmarkSuggest measures one completion, for queries of growing length
// and one that only typo tolerance answers.
func BenchmarkSuggest(b *testing.B) {
	tx := matcher.Default()
	tx.Suggest("warm", "en", "", 8) // build the index outside the loop
	for _, q := range []string{"c", "caes", "obstetric ultra", "echografie obst", "xyzzyqw"} {
		b.Run(fmt.Sprintf("q=%s", q), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				tx.Suggest(q, "fr", "", 8)
			}
		})
	}
}

func FuzzSuggest(f *testing.F) {
	for _, s := range []string{"", "c", "caes", "CÉSARI", "obstetirc ultra", "skill:caesarean-section", "œuvre", "\xff\xfe", "  --  ", "ETAT+"} {
		f.Add(s)
	}
	tx := matcher.Default()
	f.Fuzz(func(t *testing.T, q string) {
		got := tx.Suggest(q, "pt", "", 8)
		if got == nil || len(got) > 8 {
			t.Fatalf("%q: %d suggestions (nil %t)", q, len(got), got == nil)
		}
		seen := map[string]bool{}
		for _, s := range got {
			if seen[s.Code] || s.Label == "" || s.Matched == "" {
				t.Fatalf("%q: bad suggestion %+v in %v", q, s, got)
			}
			seen[s.Code] = true
		}
	})
}
