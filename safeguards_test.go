package sankofa_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sankofa"
)

func TestDefaultSafeguardList(t *testing.T) {
	l, err := sankofa.DefaultSafeguardList()
	if err != nil {
		t.Fatal(err)
	}
	if l.Edition != "2023" || l.ISBN != "9789240069787" || l.Source != "https://www.who.int/publications/i/item/9789240069787" {
		t.Errorf("edition %q, isbn %q, source %q: want the 2023 edition from who.int", l.Edition, l.ISBN, l.Source)
	}
	if len(l.Countries) != 55 {
		t.Errorf("%d countries, want 55", len(l.Countries))
	}
	// Nepal stays listed: its G2G agreement is recorded as an agreement.
	for _, c := range []string{"GH", "NG", "NP", "PK", "ZW", "HT", "TV"} {
		if !l.Lists(c) {
			t.Errorf("%s is not on the list", c)
		}
	}
	for _, c := range []string{"GB", "KE", "ZA", "FR", "US"} {
		if l.Lists(c) {
			t.Errorf("%s is on the list", c)
		}
	}
}

func TestSafeguardList_Check(t *testing.T) {
	l := sankofa.SafeguardList{Countries: []string{"GH", "NG", "NP"}}
	until := sankofa.Date("2026-12-31")
	gbGH := sankofa.SafeguardAgreement{ID: "sga_1", EmployerCountry: "GB", SourceCountry: "GH", ValidFrom: "2026-01-01", ValidUntil: &until}
	ghGB := sankofa.SafeguardAgreement{ID: "sga_2", EmployerCountry: "GH", SourceCountry: "GB", ValidFrom: "2026-01-01"}
	gbNP := sankofa.SafeguardAgreement{ID: "sga_3", EmployerCountry: "GB", SourceCountry: "NP", ValidFrom: "2026-01-01"}
	// A worker residing in GH, from NG.
	base := sankofa.SafeguardInput{ResidenceCountry: "GH", OriginCountry: "NG", AssignmentCountry: "GB",
		Mode: sankofa.ModeOnsite, Today: "2026-06-01"}
	restricted := sankofa.SafeguardDecision{Listed: true, Country: "GH", Restricted: true}
	allowed := func(e sankofa.SafeguardException) sankofa.SafeguardDecision {
		return sankofa.SafeguardDecision{Listed: true, Country: "GH", Exception: e}
	}
	for _, tc := range []struct {
		name string
		edit func(*sankofa.SafeguardInput)
		want sankofa.SafeguardDecision
	}{
		{"ResidenceNotListed", func(in *sankofa.SafeguardInput) { in.ResidenceCountry = "GB"; in.AssignmentCountry = "FR" }, sankofa.SafeguardDecision{}},
		{"ResidenceEmpty", func(in *sankofa.SafeguardInput) { in.ResidenceCountry = "" }, sankofa.SafeguardDecision{}},
		{"OnsiteElsewhere", func(*sankofa.SafeguardInput) {}, restricted},
		{"HybridElsewhere", func(in *sankofa.SafeguardInput) { in.Mode = sankofa.ModeHybrid }, restricted},
		{"ListedToListed", func(in *sankofa.SafeguardInput) { in.AssignmentCountry = "NP" }, restricted},
		{"CountryOfResidence", func(in *sankofa.SafeguardInput) { in.AssignmentCountry = "GH" }, allowed("")},
		{"ReturnToOrigin", func(in *sankofa.SafeguardInput) { in.AssignmentCountry = "NG" }, allowed(sankofa.ExceptOrigin)},
		{"ReturnToOriginVirtual", func(in *sankofa.SafeguardInput) { in.AssignmentCountry = "NG"; in.Mode = sankofa.ModeVirtual }, allowed(sankofa.ExceptOrigin)},
		{"Virtual", func(in *sankofa.SafeguardInput) { in.Mode = sankofa.ModeVirtual }, allowed(sankofa.ExceptVirtual)},
		{"Interest", func(in *sankofa.SafeguardInput) { in.Interested = true }, allowed(sankofa.ExceptInterest)},
		{"Agreement", func(in *sankofa.SafeguardInput) { in.Agreements = []sankofa.SafeguardAgreement{gbGH} }, allowed(sankofa.ExceptAgreement)},
		{"AgreementAndInterest", func(in *sankofa.SafeguardInput) {
			in.Agreements, in.Interested = []sankofa.SafeguardAgreement{gbGH}, true
		}, allowed(sankofa.ExceptAgreement)},
		{"AgreementFirstDay", func(in *sankofa.SafeguardInput) {
			in.Agreements, in.Today = []sankofa.SafeguardAgreement{gbGH}, "2026-01-01"
		}, allowed(sankofa.ExceptAgreement)},
		{"AgreementLastDay", func(in *sankofa.SafeguardInput) {
			in.Agreements, in.Today = []sankofa.SafeguardAgreement{gbGH}, "2026-12-31"
		}, allowed(sankofa.ExceptAgreement)},
		{"AgreementNotYet", func(in *sankofa.SafeguardInput) {
			in.Agreements, in.Today = []sankofa.SafeguardAgreement{gbGH}, "2025-12-31"
		}, restricted},
		{"AgreementEnded", func(in *sankofa.SafeguardInput) {
			in.Agreements, in.Today = []sankofa.SafeguardAgreement{gbGH}, "2027-01-01"
		}, restricted},
		{"AgreementOtherWay", func(in *sankofa.SafeguardInput) { in.Agreements = []sankofa.SafeguardAgreement{ghGB} }, restricted},
		{"AgreementOtherSource", func(in *sankofa.SafeguardInput) { in.Agreements = []sankofa.SafeguardAgreement{gbNP} }, restricted},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := base
			tc.edit(&in)
			if diff := cmp.Diff(tc.want, l.Check(in)); diff != "" {
				t.Errorf("Check (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSafeguards_RestrictedResidences(t *testing.T) {
	s := sankofa.Safeguards{List: sankofa.SafeguardList{Countries: []string{"GH", "NG", "NP"}},
		Agreements: []sankofa.SafeguardAgreement{
			{EmployerCountry: "GB", SourceCountry: "NP", ValidFrom: "2026-01-01"},
			{EmployerCountry: "GB", SourceCountry: "NG", ValidFrom: "2027-01-01"},
		}}
	if got, want := s.RestrictedResidences("GB", "2026-06-01"), []string{"GH", "NG"}; !slices.Equal(got, want) {
		t.Errorf("for GB: %v, want %v", got, want)
	}
	if got, want := s.RestrictedResidences("GH", "2026-06-01"), []string{"NG", "NP"}; !slices.Equal(got, want) {
		t.Errorf("for GH: %v, want %v", got, want)
	}
}

func TestSafeguardListInput_Validate(t *testing.T) {
	ok := func() sankofa.SafeguardListInput {
		return sankofa.SafeguardListInput{Edition: "2023", Title: "WHO health workforce support and safeguards list 2023",
			Source: "https://www.who.int/publications/i/item/9789240069787", ISBN: "978-92-4-006978-7", Countries: []string{"NP", "GH"}}
	}
	in := ok()
	if err := in.Validate(); err != nil {
		t.Fatalf("valid input: %v", err)
	}
	if !slices.Equal(in.Countries, []string{"GH", "NP"}) {
		t.Errorf("countries %v, want them sorted", in.Countries)
	}
	for _, tc := range []struct {
		name  string
		edit  func(*sankofa.SafeguardListInput)
		field string
	}{
		{"NoEdition", func(in *sankofa.SafeguardListInput) { in.Edition = " " }, "edition"},
		{"ShortTitle", func(in *sankofa.SafeguardListInput) { in.Title = "x" }, "title"},
		{"HTTPSource", func(in *sankofa.SafeguardListInput) { in.Source = "http://www.who.int/x" }, "source"},
		{"RelativeSource", func(in *sankofa.SafeguardListInput) { in.Source = "/publications" }, "source"},
		{"SourceWithSpace", func(in *sankofa.SafeguardListInput) { in.Source = "https://who.int/a b" }, "source"},
		{"BadISBN", func(in *sankofa.SafeguardListInput) { in.ISBN = "97892400697" }, "isbn"},
		{"NoCountries", func(in *sankofa.SafeguardListInput) { in.Countries = nil }, "countries"},
		{"NotISO", func(in *sankofa.SafeguardListInput) { in.Countries = []string{"GH", "UK"} }, "countries[1]"},
		{"LowerCase", func(in *sankofa.SafeguardListInput) { in.Countries = []string{"gh"} }, "countries[0]"},
		{"Twice", func(in *sankofa.SafeguardListInput) { in.Countries = []string{"GH", "NP", "GH"} }, "countries[2]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := ok()
			tc.edit(&in)
			requireField(t, in.Validate(), tc.field)
		})
	}
}

func TestSafeguardAgreementInput_Validate(t *testing.T) {
	l := &sankofa.SafeguardList{Countries: []string{"GH", "NP"}}
	until := sankofa.Date("2030-12-31")
	before := sankofa.Date("2025-12-31")
	bad := sankofa.Date("2030-02-30")
	ok := func() sankofa.SafeguardAgreementInput {
		return sankofa.SafeguardAgreementInput{EmployerCountry: "GB", SourceCountry: "NP",
			Title: "UK-Nepal government-to-government agreement", ValidFrom: "2026-01-01", ValidUntil: &until}
	}
	in := ok()
	if err := in.Validate(l); err != nil {
		t.Fatalf("valid input: %v", err)
	}
	in.ValidUntil = nil
	if err := in.Validate(l); err != nil {
		t.Fatalf("open-ended agreement: %v", err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(*sankofa.SafeguardAgreementInput)
		field string
	}{
		{"BadEmployer", func(in *sankofa.SafeguardAgreementInput) { in.EmployerCountry = "UK" }, "employer_country"},
		{"BadSource", func(in *sankofa.SafeguardAgreementInput) { in.SourceCountry = "XX" }, "source_country"},
		{"SameCountry", func(in *sankofa.SafeguardAgreementInput) { in.EmployerCountry = "NP" }, "source_country"},
		{"SourceNotListed", func(in *sankofa.SafeguardAgreementInput) { in.SourceCountry = "KE" }, "source_country"},
		{"NoTitle", func(in *sankofa.SafeguardAgreementInput) { in.Title = "" }, "title"},
		{"BadFrom", func(in *sankofa.SafeguardAgreementInput) { in.ValidFrom = "2026-1-1" }, "valid_from"},
		{"BadUntil", func(in *sankofa.SafeguardAgreementInput) { in.ValidUntil = &bad }, "valid_until"},
		{"UntilBeforeFrom", func(in *sankofa.SafeguardAgreementInput) { in.ValidUntil = &before }, "valid_until"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := ok()
			tc.edit(&in)
			requireField(t, in.Validate(l), tc.field)
		})
	}
}

func TestSafeguardError(t *testing.T) {
	var err error = &sankofa.SafeguardError{Decision: sankofa.SafeguardDecision{Listed: true, Country: "GH", Restricted: true},
		Assignment: "GB", ListURL: "https://www.who.int/publications/i/item/9789240069787"}
	if !sankofa.IsCode(err, sankofa.Conflict) {
		t.Errorf("code %s, want conflict", sankofa.ErrorCodeOf(err))
	}
	var se *sankofa.SafeguardError
	if !errors.As(err, &se) || se.Decision.Country != "GH" {
		t.Errorf("errors.As found %+v", se)
	}
}

// requireField fails unless err is invalid and names field.
func requireField(t *testing.T, err error, field string) {
	t.Helper()
	var e *sankofa.Error
	if !errors.As(err, &e) || e.Code != sankofa.Invalid {
		t.Fatalf("error %v, want invalid naming %s", err, field)
	}
	if !slices.ContainsFunc(e.Fields, func(f sankofa.FieldError) bool { return f.Field == field }) {
		t.Errorf("fields %+v, want %s", e.Fields, field)
	}
}

// FuzzSafeguardInputs decodes arbitrary bodies as the list and agreement
// inputs and validates them: never a panic, only invalid errors, and a
// valid list is sorted and free of duplicates.
func FuzzSafeguardInputs(f *testing.F) {
	for _, s := range commonSeeds {
		f.Add([]byte(s))
	}
	for _, s := range []string{
		`{"edition":"2023","title":"WHO list","source":"https://who.int/x","countries":["GH","NP"]}`,
		`{"edition":"2023","title":"WHO list","source":"https://who.int/x","isbn":"978-92-4-006978-7","countries":["GH","GH"]}`,
		`{"employer_country":"GB","source_country":"NP","title":"G2G","valid_from":"2026-01-01","valid_until":"2025-01-01"}`,
		`{"employer_country":"GB","source_country":"NP","title":"G2G","valid_from":"2026-01-01","valid_until":null}`,
		`{"countries":[1]}`, `{"source":"https://\u0000"}`, `{"isbn":"XXXXXXXXXX"}`,
	} {
		f.Add([]byte(s))
	}
	l, err := sankofa.DefaultSafeguardList()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var in sankofa.SafeguardListInput
		if err := sankofa.DecodeJSON(body, &in); err == nil {
			err = in.Validate()
			requireInvalid(t, "list", err)
			if err == nil && (!slices.IsSorted(in.Countries) || len(slices.Compact(slices.Clone(in.Countries))) != len(in.Countries)) {
				t.Fatalf("valid list %v is not sorted and unique", in.Countries)
			}
		}
		var ag sankofa.SafeguardAgreementInput
		if err := sankofa.DecodeJSON(body, &ag); err == nil {
			requireInvalid(t, "agreement", ag.Validate(&l))
		}
	})
}
