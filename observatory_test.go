package sankofa_test

import (
	"slices"
	"strings"
	"testing"

	"sankofa"
)

func TestParseStockDimensions(t *testing.T) {
	for by, want := range map[string][]string{
		"":                                     nil,
		"origin_country":                       {"origin_country"},
		" languages , registered_month ,":      {"languages", "registered_month"},
		"country_of_birth,country_of_training": {"country_of_birth", "country_of_training"},
	} {
		got, err := sankofa.ParseStockDimensions(by)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("ParseStockDimensions(%q) = %v, %v; want %v", by, got, err, want)
		}
	}
	for _, by := range []string{"shoe_size", "origin_country,origin_country", "Origin_Country", "origin_country;mode"} {
		_, err := sankofa.ParseStockDimensions(by)
		if e, ok := err.(*sankofa.Error); !ok || e.Code != sankofa.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "by" {
			t.Errorf("ParseStockDimensions(%q) = %v, want an invalid error on by", by, err)
		}
	}
}

func FuzzParseStockDimensions(f *testing.F) {
	for _, s := range []string{"", ",", "origin_country", "languages,languages", strings.Join(sankofa.StockDimensions, ","), "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, by string) {
		dims, err := sankofa.ParseStockDimensions(by)
		if err != nil {
			if e, ok := err.(*sankofa.Error); !ok || e.Code != sankofa.Invalid {
				t.Fatalf("error %v is not invalid", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, d := range dims {
			if !slices.Contains(sankofa.StockDimensions, d) || seen[d] {
				t.Fatalf("ParseStockDimensions(%q) = %v", by, dims)
			}
			seen[d] = true
		}
	})
}
