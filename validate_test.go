package sankofa_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sankofa"
)

// today is the fixed current day every date-dependent test uses.
const today = sankofa.Date("2026-11-27")

// invalidFields asserts that err is an invalid *sankofa.Error and returns
// the names of its fields, sorted.
func invalidFields(t *testing.T, err error) []string {
	t.Helper()
	var e *sankofa.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *sankofa.Error", err, err)
	}
	if e.Code != sankofa.Invalid {
		t.Fatalf("error code = %q, want %q (error: %v)", e.Code, sankofa.Invalid, err)
	}
	names := make([]string, 0, len(e.Fields))
	for _, f := range e.Fields {
		if f.Message == "" {
			t.Errorf("field %q has an empty message", f.Field)
		}
		names = append(names, f.Field)
	}
	slices.Sort(names)
	return names
}

// checkFields asserts that err is nil when want is empty, and otherwise an
// invalid *sankofa.Error naming exactly the fields in want.
func checkFields(t *testing.T, err error, want []string) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("got error %v, want nil", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("got nil error, want invalid fields %q", want)
	}
	want = slices.Sorted(slices.Values(want))
	if diff := cmp.Diff(want, invalidFields(t, err)); diff != "" {
		t.Errorf("invalid fields mismatch (-want +got):\n%s\nerror: %v", diff, err)
	}
}

func repeat[T any](v T, n int) []T {
	s := make([]T, n)
	for i := range s {
		s[i] = v
	}
	return s
}

// validProfile returns a fresh, fully valid profile input.
func validProfile() sankofa.ProfileInput {
	return sankofa.ProfileInput{
		FullName:         "Ama Mensah",
		Profession:       "2221",
		Specialties:      []string{"critical care", "neonatal nursing"},
		Skills:           []string{"triage", "IV cannulation", "wound care"},
		Languages:        []sankofa.Language{{Code: "en", Level: "C2"}, {Code: "fr", Level: "B1"}},
		OriginCountry:    "GH",
		ResidenceCountry: "GB",
		Timezone:         "Europe/London",
		YearsExperience:  8,
		Licences: []sankofa.Licence{{
			Country: "GB", Body: "Nursing and Midwifery Council", Number: "12A3456E", Expires: "2027-06-30",
		}},
		Availability:        []sankofa.Window{{From: "2026-12-01", To: "2027-02-28"}},
		VirtualHoursPerWeek: 6,
		Modes:               []sankofa.Mode{sankofa.ModeOnsite, sankofa.ModeVirtual},
		ShareWith:           []string{"GH", "NG"},
		Alerts:              true,
		Bio:                 "ICU nurse in Manchester, keen to mentor in Accra.",
		Contact:             &sankofa.Contact{Email: "ama@example.com", Phone: "+447700900123"},
	}
}

// sixtyOneCountries holds 61 distinct valid country codes.
var sixtyOneCountries = strings.Fields(`GH NG KE ZA EG MA DZ TN ET UG TZ RW SN CI CM ZM ZW MW MZ AO NA
	BW LS SZ MG MU SC GM SL LR GN ML BF NE TD SD SS ER DJ SO BJ TG GA CG CD CF GQ ST CV GW LY MR BI KM
	GB US CA FR DE NL BE`)

func TestProfileInput_Validate(t *testing.T) {
	if len(sixtyOneCountries) != 61 {
		t.Fatalf("fixture has %d countries, want 61", len(sixtyOneCountries))
	}
	sixteenLanguages := []sankofa.Language{}
	for _, c := range strings.Fields("en fr pt es de it nl ar sw ha yo ig am zu xh so") {
		sixteenLanguages = append(sixteenLanguages, sankofa.Language{Code: c, Level: "B2"})
	}

	tests := []struct {
		name   string
		mutate func(*sankofa.ProfileInput)
		want   []string
	}{
		{"valid", func(*sankofa.ProfileInput) {}, nil},

		// full_name
		{"full_name empty", func(p *sankofa.ProfileInput) { p.FullName = "" }, []string{"full_name"}},
		{"full_name blank", func(p *sankofa.ProfileInput) { p.FullName = "   \t" }, []string{"full_name"}},
		{"full_name one rune", func(p *sankofa.ProfileInput) { p.FullName = "A" }, []string{"full_name"}},
		{"full_name two runes", func(p *sankofa.ProfileInput) { p.FullName = "Ye" }, nil},
		{"full_name 200 runes", func(p *sankofa.ProfileInput) { p.FullName = strings.Repeat("é", 200) }, nil},
		{"full_name 201 runes", func(p *sankofa.ProfileInput) { p.FullName = strings.Repeat("é", 201) }, []string{"full_name"}},
		{"full_name non-UTF8", func(p *sankofa.ProfileInput) { p.FullName = "Ama \xff\xfe" }, []string{"full_name"}},

		// profession
		{"profession unknown ISCO code", func(p *sankofa.ProfileInput) { p.Profession = "9999" }, []string{"profession"}},
		{"profession non-health ISCO code", func(p *sankofa.ProfileInput) { p.Profession = "2511" }, []string{"profession"}},
		{"profession empty", func(p *sankofa.ProfileInput) { p.Profession = "" }, []string{"profession"}},
		{"profession padded", func(p *sankofa.ProfileInput) { p.Profession = " 2221" }, []string{"profession"}},
		{"profession title", func(p *sankofa.ProfileInput) { p.Profession = "Nursing professionals" }, []string{"profession"}},

		// specialties and skills
		{"specialties nil", func(p *sankofa.ProfileInput) { p.Specialties = nil }, nil},
		{"specialties 30 items", func(p *sankofa.ProfileInput) { p.Specialties = repeat("x", 30) }, nil},
		{"specialties 31 items", func(p *sankofa.ProfileInput) { p.Specialties = repeat("x", 31) }, []string{"specialties"}},
		{"specialties empty item", func(p *sankofa.ProfileInput) { p.Specialties[1] = " " }, []string{"specialties[1]"}},
		{"skills item too long", func(p *sankofa.ProfileInput) { p.Skills[2] = strings.Repeat("s", 101) }, []string{"skills[2]"}},
		{"skills non-UTF8", func(p *sankofa.ProfileInput) { p.Skills[0] = "\xc3\x28" }, []string{"skills[0]"}},

		// languages
		{"languages nil", func(p *sankofa.ProfileInput) { p.Languages = nil }, []string{"languages"}},
		{"languages empty", func(p *sankofa.ProfileInput) { p.Languages = []sankofa.Language{} }, []string{"languages"}},
		{"languages 16", func(p *sankofa.ProfileInput) { p.Languages = sixteenLanguages }, []string{"languages"}},
		{"languages 15", func(p *sankofa.ProfileInput) { p.Languages = sixteenLanguages[:15] }, nil},
		{"language unknown code", func(p *sankofa.ProfileInput) { p.Languages[1].Code = "xx" }, []string{"languages[1].code"}},
		{"language upper case", func(p *sankofa.ProfileInput) { p.Languages[1].Code = "FR" }, []string{"languages[1].code"}},
		{"language three letters", func(p *sankofa.ProfileInput) { p.Languages[0].Code = "eng" }, []string{"languages[0].code"}},
		{"language tag with region", func(p *sankofa.ProfileInput) { p.Languages[0].Code = "en-GB" }, []string{"languages[0].code"}},
		{"language duplicate", func(p *sankofa.ProfileInput) { p.Languages[1].Code = "en" }, []string{"languages[1].code"}},
		{"language bad CEFR level", func(p *sankofa.ProfileInput) { p.Languages[0].Level = "D1" }, []string{"languages[0].level"}},
		{"language lower-case CEFR level", func(p *sankofa.ProfileInput) { p.Languages[1].Level = "b1" }, []string{"languages[1].level"}},
		{"language empty CEFR level", func(p *sankofa.ProfileInput) { p.Languages[1].Level = "" }, []string{"languages[1].level"}},
		{"language native is not CEFR", func(p *sankofa.ProfileInput) { p.Languages[0].Level = "native" }, []string{"languages[0].level"}},

		// countries
		{"origin_country XX", func(p *sankofa.ProfileInput) { p.OriginCountry = "XX" }, []string{"origin_country"}},
		{"origin_country lower case", func(p *sankofa.ProfileInput) { p.OriginCountry = "gh" }, []string{"origin_country"}},
		{"origin_country empty", func(p *sankofa.ProfileInput) { p.OriginCountry = "" }, []string{"origin_country"}},
		{"origin_country non-UTF8", func(p *sankofa.ProfileInput) { p.OriginCountry = "G\xff" }, []string{"origin_country"}},
		{"residence_country UK is not ISO 3166-1", func(p *sankofa.ProfileInput) { p.ResidenceCountry = "UK" }, []string{"residence_country"}},
		{"residence_country alpha-3", func(p *sankofa.ProfileInput) { p.ResidenceCountry = "GBR" }, []string{"residence_country"}},
		{"residence_country EU is not a country", func(p *sankofa.ProfileInput) { p.ResidenceCountry = "EU" }, []string{"residence_country"}},

		// timezone
		{"timezone Mars/Olympus", func(p *sankofa.ProfileInput) { p.Timezone = "Mars/Olympus" }, []string{"timezone"}},
		{"timezone Local", func(p *sankofa.ProfileInput) { p.Timezone = "Local" }, []string{"timezone"}},
		{"timezone empty", func(p *sankofa.ProfileInput) { p.Timezone = "" }, []string{"timezone"}},
		{"timezone lower case", func(p *sankofa.ProfileInput) { p.Timezone = "europe/london" }, []string{"timezone"}},
		{"timezone path traversal", func(p *sankofa.ProfileInput) { p.Timezone = "../../etc/passwd" }, []string{"timezone"}},
		{"timezone UTC", func(p *sankofa.ProfileInput) { p.Timezone = "UTC" }, nil},
		{"timezone three parts", func(p *sankofa.ProfileInput) { p.Timezone = "America/Argentina/Buenos_Aires" }, nil},

		// years_experience
		{"years_experience negative", func(p *sankofa.ProfileInput) { p.YearsExperience = -1 }, []string{"years_experience"}},
		{"years_experience 60", func(p *sankofa.ProfileInput) { p.YearsExperience = 60 }, nil},
		{"years_experience 61", func(p *sankofa.ProfileInput) { p.YearsExperience = 61 }, []string{"years_experience"}},

		// licences
		{"licences none", func(p *sankofa.ProfileInput) { p.Licences = nil }, nil},
		{"licences 10", func(p *sankofa.ProfileInput) { p.Licences = repeat(p.Licences[0], 10) }, nil},
		{"licences 11", func(p *sankofa.ProfileInput) { p.Licences = repeat(p.Licences[0], 11) }, []string{"licences"}},
		{"licence country", func(p *sankofa.ProfileInput) { p.Licences[0].Country = "XX" }, []string{"licences[0].country"}},
		{"licence body empty", func(p *sankofa.ProfileInput) { p.Licences[0].Body = "" }, []string{"licences[0].body"}},
		{"licence body non-UTF8", func(p *sankofa.ProfileInput) { p.Licences[0].Body = "NMC \xff" }, []string{"licences[0].body"}},
		{"licence number empty", func(p *sankofa.ProfileInput) { p.Licences[0].Number = " " }, []string{"licences[0].number"}},
		{"licence expires not a day", func(p *sankofa.ProfileInput) { p.Licences[0].Expires = "2027-02-30" }, []string{"licences[0].expires"}},
		{"licence expires wrong format", func(p *sankofa.ProfileInput) { p.Licences[0].Expires = "30/06/2027" }, []string{"licences[0].expires"}},
		{"licence expires empty", func(p *sankofa.ProfileInput) { p.Licences[0].Expires = "" }, []string{"licences[0].expires"}},

		// availability
		{"availability none", func(p *sankofa.ProfileInput) { p.Availability = nil }, nil},
		{"availability window in the past", func(p *sankofa.ProfileInput) {
			p.Availability[0] = sankofa.Window{From: "2026-10-01", To: "2026-11-26"}
		}, []string{"availability[0].to"}},
		{"availability window ending today", func(p *sankofa.ProfileInput) {
			p.Availability[0] = sankofa.Window{From: "2026-10-01", To: today}
		}, nil},
		{"availability one-day window today", func(p *sankofa.ProfileInput) {
			p.Availability[0] = sankofa.Window{From: today, To: today}
		}, nil},
		{"availability to before from", func(p *sankofa.ProfileInput) {
			p.Availability[0] = sankofa.Window{From: "2027-03-01", To: "2027-02-28"}
		}, []string{"availability[0].to"}},
		{"availability longer than 2 years", func(p *sankofa.ProfileInput) {
			p.Availability[0] = sankofa.Window{From: "2026-12-01", To: "2029-01-01"}
		}, []string{"availability[0].to"}},
		{"availability exactly MaxWindowDays", func(p *sankofa.ProfileInput) {
			p.Availability[0] = sankofa.Window{From: "2026-11-27", To: "2028-11-27"} // 731 days
		}, nil},
		{"availability one day over MaxWindowDays", func(p *sankofa.ProfileInput) {
			p.Availability[0] = sankofa.Window{From: "2026-11-27", To: "2028-11-28"} // 732 days
		}, []string{"availability[0].to"}},
		{"availability from not a day", func(p *sankofa.ProfileInput) { p.Availability[0].From = "2026-13-01" }, []string{"availability[0].from"}},
		{"availability to with time", func(p *sankofa.ProfileInput) { p.Availability[0].To = "2027-02-28T00:00:00Z" }, []string{"availability[0].to"}},
		{"availability both empty", func(p *sankofa.ProfileInput) { p.Availability[0] = sankofa.Window{} }, []string{"availability[0].from", "availability[0].to"}},
		{"availability from non-UTF8", func(p *sankofa.ProfileInput) { p.Availability[0].From = "2026-12-0\xff" }, []string{"availability[0].from"}},
		{"availability second window bad", func(p *sankofa.ProfileInput) {
			p.Availability = append(p.Availability, sankofa.Window{From: "2027-05-01", To: "2027-04-01"})
		}, []string{"availability[1].to"}},
		{"availability 20 windows", func(p *sankofa.ProfileInput) { p.Availability = repeat(p.Availability[0], 20) }, nil},
		{"availability 21 windows", func(p *sankofa.ProfileInput) { p.Availability = repeat(p.Availability[0], 21) }, []string{"availability"}},

		// virtual hours and modes
		{"virtual mode with 0 hours", func(p *sankofa.ProfileInput) { p.VirtualHoursPerWeek = 0 }, []string{"virtual_hours_per_week"}},
		{"onsite only with 0 hours", func(p *sankofa.ProfileInput) {
			p.Modes = []sankofa.Mode{sankofa.ModeOnsite}
			p.VirtualHoursPerWeek = 0
		}, nil},
		{"virtual hours negative", func(p *sankofa.ProfileInput) { p.VirtualHoursPerWeek = -1 }, []string{"virtual_hours_per_week"}},
		{"virtual hours 80", func(p *sankofa.ProfileInput) { p.VirtualHoursPerWeek = 80 }, nil},
		{"virtual hours 81", func(p *sankofa.ProfileInput) { p.VirtualHoursPerWeek = 81 }, []string{"virtual_hours_per_week"}},
		{"modes nil", func(p *sankofa.ProfileInput) { p.Modes = nil }, []string{"modes"}},
		{"modes hybrid not allowed for a profile", func(p *sankofa.ProfileInput) { p.Modes[1] = sankofa.ModeHybrid }, []string{"modes[1]"}},
		{"modes wrong case", func(p *sankofa.ProfileInput) { p.Modes[0] = "Onsite" }, []string{"modes[0]"}},
		{"modes duplicate", func(p *sankofa.ProfileInput) { p.Modes[1] = sankofa.ModeOnsite }, []string{"modes[1]"}},

		// share_with
		{"share_with empty", func(p *sankofa.ProfileInput) { p.ShareWith = []string{} }, nil},
		{"share_with lower case", func(p *sankofa.ProfileInput) { p.ShareWith[1] = "ng" }, []string{"share_with[1]"}},
		{"share_with duplicate", func(p *sankofa.ProfileInput) { p.ShareWith[1] = "GH" }, []string{"share_with[1]"}},
		{"share_with 60", func(p *sankofa.ProfileInput) { p.ShareWith = sixtyOneCountries[:60] }, nil},
		{"share_with 61", func(p *sankofa.ProfileInput) { p.ShareWith = sixtyOneCountries }, []string{"share_with"}},

		// bio
		{"bio empty", func(p *sankofa.ProfileInput) { p.Bio = "" }, nil},
		{"bio 2000 runes", func(p *sankofa.ProfileInput) { p.Bio = strings.Repeat("ɛ", sankofa.MaxBioRunes) }, nil},
		{"bio 2001 runes", func(p *sankofa.ProfileInput) { p.Bio = strings.Repeat("ɛ", sankofa.MaxBioRunes+1) }, []string{"bio"}},
		{"bio non-UTF8", func(p *sankofa.ProfileInput) { p.Bio = "hello \xed\xa0\x80" }, []string{"bio"}},

		// contact
		{"contact nil", func(p *sankofa.ProfileInput) { p.Contact = nil }, nil},
		{"contact empty", func(p *sankofa.ProfileInput) { p.Contact = &sankofa.Contact{} }, nil},
		{"contact email invalid", func(p *sankofa.ProfileInput) { p.Contact.Email = "ama.example.com" }, []string{"contact.email"}},
		{"contact email with display name", func(p *sankofa.ProfileInput) { p.Contact.Email = "Ama <ama@example.com>" }, []string{"contact.email"}},
		{"contact phone national format", func(p *sankofa.ProfileInput) { p.Contact.Phone = "0201234567" }, []string{"contact.phone"}},
		{"contact phone with spaces", func(p *sankofa.ProfileInput) { p.Contact.Phone = "+233 20 123 4567" }, []string{"contact.phone"}},
		{"contact phone non-UTF8", func(p *sankofa.ProfileInput) { p.Contact.Phone = "+23320\xff1234567" }, []string{"contact.phone"}},

		// several fields at once
		{"zero value", func(p *sankofa.ProfileInput) { *p = sankofa.ProfileInput{} }, []string{
			"full_name", "profession", "languages", "origin_country", "residence_country", "timezone", "modes",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validProfile()
			tt.mutate(&p)
			checkFields(t, p.Validate(today), tt.want)
		})
	}
}

func TestProfileInput_Normalize(t *testing.T) {
	tests := []struct {
		name string
		in   sankofa.ProfileInput
		want sankofa.ProfileInput
	}{
		{
			name: "zero value gets empty lists and no share_with",
			in:   sankofa.ProfileInput{},
			want: sankofa.ProfileInput{
				Specialties: []string{}, Skills: []string{}, Languages: []sankofa.Language{},
				Licences: []sankofa.Licence{}, Availability: []sankofa.Window{},
			},
		},
		{
			name: "share_with defaults to origin country",
			in:   sankofa.ProfileInput{OriginCountry: "GH"},
			want: sankofa.ProfileInput{
				OriginCountry: "GH", ShareWith: []string{"GH"},
				Specialties: []string{}, Skills: []string{}, Languages: []sankofa.Language{},
				Licences: []sankofa.Licence{}, Availability: []sankofa.Window{},
			},
		},
		{
			name: "explicit empty share_with is kept (opt out)",
			in:   sankofa.ProfileInput{OriginCountry: "GH", ShareWith: []string{}},
			want: sankofa.ProfileInput{
				OriginCountry: "GH", ShareWith: []string{},
				Specialties: []string{}, Skills: []string{}, Languages: []sankofa.Language{},
				Licences: []sankofa.Licence{}, Availability: []sankofa.Window{},
			},
		},
		{
			name: "explicit share_with is kept",
			in:   sankofa.ProfileInput{OriginCountry: "GH", ShareWith: []string{"NG", "KE"}},
			want: sankofa.ProfileInput{
				OriginCountry: "GH", ShareWith: []string{"NG", "KE"},
				Specialties: []string{}, Skills: []string{}, Languages: []sankofa.Language{},
				Licences: []sankofa.Licence{}, Availability: []sankofa.Window{},
			},
		},
		{
			name: "expired windows dropped, current and malformed kept",
			in: sankofa.ProfileInput{Availability: []sankofa.Window{
				{From: "2026-01-01", To: "2026-03-01"},     // expired
				{From: "2026-11-01", To: "2026-11-26"},     // ended yesterday
				{From: "2026-11-01", To: today},            // ends today
				{From: "2027-01-01", To: "2027-02-01"},     // future
				{From: "2026-01-01", To: "2026-02-30"},     // not a day: left for Validate
				{From: "2026-01-01", To: ""},               // missing: left for Validate
				{From: "2026-01-01", To: "2026-1-1"},       // malformed: left for Validate
				{From: "2024-02-29", To: "2025-12-31"},     // expired
				{From: "garbage", To: "2026-11-20"},        // expired even with a bad start
				{From: "2026-12-24", To: "2026-12-24"},     // future one-day window
				{From: "2026-11-27", To: "2026-11-27\xff"}, // not a day: left for Validate
			}},
			want: sankofa.ProfileInput{
				Specialties: []string{}, Skills: []string{}, Languages: []sankofa.Language{},
				Licences: []sankofa.Licence{},
				Availability: []sankofa.Window{
					{From: "2026-11-01", To: today},
					{From: "2027-01-01", To: "2027-02-01"},
					{From: "2026-01-01", To: "2026-02-30"},
					{From: "2026-01-01", To: ""},
					{From: "2026-01-01", To: "2026-1-1"},
					{From: "2026-12-24", To: "2026-12-24"},
					{From: "2026-11-27", To: "2026-11-27\xff"},
				},
			},
		},
		{
			name: "all windows expired leaves an empty non-nil list",
			in:   sankofa.ProfileInput{Availability: []sankofa.Window{{From: "2025-01-01", To: "2025-02-01"}}},
			want: sankofa.ProfileInput{
				Specialties: []string{}, Skills: []string{}, Languages: []sankofa.Language{},
				Licences: []sankofa.Licence{}, Availability: []sankofa.Window{},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.in
			got.DropEndedWindows(today)
			got.Normalize()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Normalize mismatch (-want +got):\n%s", diff)
			}
			again := got
			again.Availability = slices.Clone(got.Availability)
			again.DropEndedWindows(today)
			again.Normalize()
			if diff := cmp.Diff(got, again); diff != "" {
				t.Errorf("Normalize is not idempotent (-first +second):\n%s", diff)
			}
		})
	}

	t.Run("valid profile unchanged", func(t *testing.T) {
		p := validProfile()
		p.DropEndedWindows(today)
		p.Normalize()
		if diff := cmp.Diff(validProfile(), p); diff != "" {
			t.Errorf("Normalize changed a valid profile (-want +got):\n%s", diff)
		}
	})

	t.Run("past window passes Validate after Normalize", func(t *testing.T) {
		p := validProfile()
		p.Availability = append(p.Availability, sankofa.Window{From: "2026-01-01", To: "2026-02-01"})
		checkFields(t, p.Validate(today), []string{"availability[1].to"})
		p.DropEndedWindows(today)
		p.Normalize()
		checkFields(t, p.Validate(today), nil)
	})
}

func TestProfileInput_Score(t *testing.T) {
	allHints := []string{
		"add your name and profession",
		"add your specialties",
		"list at least 3 skills or procedures you practise",
		"add the languages you work in",
		"add a licence to practise",
		"say when you are available (dates or virtual hours)",
		"write a short bio",
		"add contact details (shown only after you accept an offer)",
		"add your years of experience",
	}
	tests := []struct {
		name   string
		mutate func(*sankofa.ProfileInput)
		want   sankofa.Completeness
	}{
		{"complete", func(*sankofa.ProfileInput) {}, sankofa.Completeness{Score: 100, Hints: []string{}}},
		{"empty", func(p *sankofa.ProfileInput) { *p = sankofa.ProfileInput{} }, sankofa.Completeness{Score: 0, Hints: allHints}},
		{"name without profession", func(p *sankofa.ProfileInput) { p.Profession = "" },
			sankofa.Completeness{Score: 90, Hints: allHints[0:1]}},
		{"no specialties", func(p *sankofa.ProfileInput) { p.Specialties = []string{} },
			sankofa.Completeness{Score: 90, Hints: allHints[1:2]}},
		{"two skills", func(p *sankofa.ProfileInput) { p.Skills = p.Skills[:2] },
			sankofa.Completeness{Score: 85, Hints: allHints[2:3]}},
		{"no languages", func(p *sankofa.ProfileInput) { p.Languages = nil },
			sankofa.Completeness{Score: 90, Hints: allHints[3:4]}},
		{"no licence", func(p *sankofa.ProfileInput) { p.Licences = nil },
			sankofa.Completeness{Score: 85, Hints: allHints[4:5]}},
		{"virtual hours alone count as availability", func(p *sankofa.ProfileInput) { p.Availability = nil },
			sankofa.Completeness{Score: 100, Hints: []string{}}},
		{"windows alone count as availability", func(p *sankofa.ProfileInput) { p.VirtualHoursPerWeek = 0 },
			sankofa.Completeness{Score: 100, Hints: []string{}}},
		{"no availability", func(p *sankofa.ProfileInput) { p.Availability = nil; p.VirtualHoursPerWeek = 0 },
			sankofa.Completeness{Score: 85, Hints: allHints[5:6]}},
		{"no bio", func(p *sankofa.ProfileInput) { p.Bio = "" },
			sankofa.Completeness{Score: 90, Hints: allHints[6:7]}},
		{"contact without details", func(p *sankofa.ProfileInput) { p.Contact = &sankofa.Contact{} },
			sankofa.Completeness{Score: 90, Hints: allHints[7:8]}},
		{"phone only", func(p *sankofa.ProfileInput) { p.Contact.Email = "" },
			sankofa.Completeness{Score: 100, Hints: []string{}}},
		{"no experience", func(p *sankofa.ProfileInput) { p.YearsExperience = 0 },
			sankofa.Completeness{Score: 95, Hints: allHints[8:9]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validProfile()
			tt.mutate(&p)
			if diff := cmp.Diff(tt.want, p.Score()); diff != "" {
				t.Errorf("Score mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// validAssignment returns a fresh, fully valid assignment input.
func validAssignment() sankofa.AssignmentInput {
	return sankofa.AssignmentInput{
		Title:               "Neonatal nursing mentor",
		Description:         "Mentor NICU nurses on site and follow up by video.",
		Profession:          "2221",
		AcceptedProfessions: []string{"2221"},
		Specialties:         []string{"neonatal nursing"},
		RequiredSkills:      []string{"neonatal resuscitation", "kangaroo mother care"},
		PreferredSkills:     []string{"teaching"},
		Languages:           []sankofa.Language{{Code: "en", Level: "B2"}},
		Mode:                sankofa.ModeHybrid,
		Location:            sankofa.Location{Region: "Greater Accra", Facility: "Korle Bu Teaching Hospital"},
		Start:               "2027-01-04",
		End:                 "2027-03-26",
		VirtualHoursPerWeek: 4,
		MinYearsExperience:  3,
		LicenceRequired:     true,
		Positions:           2,
	}
}

func TestAssignmentInput_Validate(t *testing.T) {
	tests := []struct {
		name      string
		mutate    func(*sankofa.AssignmentInput)
		normalize bool
		want      []string
	}{
		{"valid", func(*sankofa.AssignmentInput) {}, false, nil},
		{"valid after Normalize", func(*sankofa.AssignmentInput) {}, true, nil},

		{"title too short", func(a *sankofa.AssignmentInput) { a.Title = "ab" }, false, []string{"title"}},
		{"title empty", func(a *sankofa.AssignmentInput) { a.Title = "" }, false, []string{"title"}},
		{"title too long", func(a *sankofa.AssignmentInput) { a.Title = strings.Repeat("t", 201) }, false, []string{"title"}},
		{"title non-UTF8", func(a *sankofa.AssignmentInput) { a.Title = "Mentor \xff\xff" }, false, []string{"title"}},
		{"description empty", func(a *sankofa.AssignmentInput) { a.Description = "" }, false, nil},
		{"description too long", func(a *sankofa.AssignmentInput) { a.Description = strings.Repeat("d", 10001) }, false, []string{"description"}},
		{"profession unknown ISCO code", func(a *sankofa.AssignmentInput) { a.Profession = "0110" }, false, []string{"profession"}},
		{"profession empty", func(a *sankofa.AssignmentInput) { a.Profession = "" }, false, []string{"profession"}},
		{"specialties 31", func(a *sankofa.AssignmentInput) { a.Specialties = repeat("x", 31) }, false, []string{"specialties"}},

		{"accepted_professions left out", func(a *sankofa.AssignmentInput) { a.AcceptedProfessions = nil }, false, nil},
		{"accepted_professions a sideways code", func(a *sankofa.AssignmentInput) { a.AcceptedProfessions = []string{"2221", "2222"} }, false, nil},
		{"accepted_professions not a health occupation", func(a *sankofa.AssignmentInput) { a.AcceptedProfessions = []string{"2221", "2310"} }, false, []string{"accepted_professions[1]"}},
		{"accepted_professions not a code", func(a *sankofa.AssignmentInput) { a.AcceptedProfessions = []string{"nurse", "2221"} }, false, []string{"accepted_professions[0]"}},
		{"accepted_professions twice", func(a *sankofa.AssignmentInput) { a.AcceptedProfessions = []string{"2221", "2222", "2222"} }, false, []string{"accepted_professions[2]"}},
		{"accepted_professions without the profession", func(a *sankofa.AssignmentInput) { a.AcceptedProfessions = []string{"2222"} }, false, []string{"accepted_professions"}},
		{"accepted_professions too many", func(a *sankofa.AssignmentInput) { a.AcceptedProfessions = repeat("2221", 40) }, false, []string{"accepted_professions"}},
		{"required_skills empty item", func(a *sankofa.AssignmentInput) { a.RequiredSkills[1] = "" }, false, []string{"required_skills[1]"}},
		{"preferred_skills non-UTF8", func(a *sankofa.AssignmentInput) { a.PreferredSkills[0] = "\x80" }, false, []string{"preferred_skills[0]"}},

		{"languages optional", func(a *sankofa.AssignmentInput) { a.Languages = nil }, false, nil},
		{"language bad CEFR level", func(a *sankofa.AssignmentInput) { a.Languages[0].Level = "C3" }, false, []string{"languages[0].level"}},
		{"language duplicate", func(a *sankofa.AssignmentInput) {
			a.Languages = append(a.Languages, sankofa.Language{Code: "en", Level: "C1"})
		}, false, []string{"languages[1].code"}},
		{"language unknown", func(a *sankofa.AssignmentInput) { a.Languages[0].Code = "zz" }, false, []string{"languages[0].code"}},

		{"mode unknown", func(a *sankofa.AssignmentInput) { a.Mode = "remote" }, false, []string{"mode"}},
		{"mode onsite with 0 hours", func(a *sankofa.AssignmentInput) {
			a.Mode = sankofa.ModeOnsite
			a.VirtualHoursPerWeek = 0
		}, false, nil},
		{"hybrid with 0 hours", func(a *sankofa.AssignmentInput) { a.VirtualHoursPerWeek = 0 }, false, []string{"virtual_hours_per_week"}},
		{"virtual with 0 hours", func(a *sankofa.AssignmentInput) {
			a.Mode = sankofa.ModeVirtual
			a.VirtualHoursPerWeek = 0
		}, false, []string{"virtual_hours_per_week"}},
		{"virtual hours negative", func(a *sankofa.AssignmentInput) { a.VirtualHoursPerWeek = -3 }, false, []string{"virtual_hours_per_week"}},
		{"virtual hours 81", func(a *sankofa.AssignmentInput) { a.VirtualHoursPerWeek = 81 }, false, []string{"virtual_hours_per_week"}},

		{"location region too long", func(a *sankofa.AssignmentInput) { a.Location.Region = strings.Repeat("r", 201) }, false, []string{"location.region"}},
		{"location facility non-UTF8", func(a *sankofa.AssignmentInput) { a.Location.Facility = "Korle \xfe Bu" }, false, []string{"location.facility"}},
		{"location empty", func(a *sankofa.AssignmentInput) { a.Location = sankofa.Location{} }, false, nil},

		{"start not a date", func(a *sankofa.AssignmentInput) { a.Start = "2027-1-4" }, false, []string{"start"}},
		{"end not a day", func(a *sankofa.AssignmentInput) { a.End = "2027-02-29" }, false, []string{"end"}},
		{"start and end missing", func(a *sankofa.AssignmentInput) { a.Start, a.End = "", "" }, false, []string{"start", "end"}},
		{"window in the past", func(a *sankofa.AssignmentInput) { a.Start, a.End = "2026-10-01", "2026-11-26" }, false, []string{"end"}},
		{"started already, ends today", func(a *sankofa.AssignmentInput) { a.Start, a.End = "2026-10-01", today }, false, nil},
		{"end before start", func(a *sankofa.AssignmentInput) { a.Start, a.End = "2027-03-26", "2027-01-04" }, false, []string{"end"}},
		{"longer than 2 years", func(a *sankofa.AssignmentInput) { a.End = "2029-01-05" }, false, []string{"end"}},

		{"min_years_experience negative", func(a *sankofa.AssignmentInput) { a.MinYearsExperience = -1 }, false, []string{"min_years_experience"}},
		{"min_years_experience 61", func(a *sankofa.AssignmentInput) { a.MinYearsExperience = 61 }, false, []string{"min_years_experience"}},

		{"positions 0 without Normalize", func(a *sankofa.AssignmentInput) { a.Positions = 0 }, false, []string{"positions"}},
		{"positions 0 after Normalize", func(a *sankofa.AssignmentInput) { a.Positions = 0 }, true, []string{"positions"}},
		{"positions negative after Normalize", func(a *sankofa.AssignmentInput) { a.Positions = -1 }, true, []string{"positions"}},
		{"positions 1000", func(a *sankofa.AssignmentInput) { a.Positions = 1000 }, false, nil},
		{"positions 1001", func(a *sankofa.AssignmentInput) { a.Positions = 1001 }, false, []string{"positions"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := validAssignment()
			tt.mutate(&a)
			if tt.normalize {
				a.Normalize()
			}
			checkFields(t, a.Validate(today), tt.want)
		})
	}
}

func TestAssignmentInput_Normalize(t *testing.T) {
	var a sankofa.AssignmentInput
	a.Normalize()
	want := sankofa.AssignmentInput{
		Specialties: []string{}, RequiredSkills: []string{}, PreferredSkills: []string{},
		Languages: []sankofa.Language{},
	}
	if diff := cmp.Diff(want, a); diff != "" {
		t.Errorf("Normalize mismatch (-want +got):\n%s", diff)
	}
	b := validAssignment()
	b.Normalize()
	if diff := cmp.Diff(validAssignment(), b); diff != "" {
		t.Errorf("Normalize changed a valid assignment (-want +got):\n%s", diff)
	}
}

func TestAssignmentInput_ValidateNew(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		a := validAssignment()
		checkFields(t, a.ValidateNew(today), nil)
	})
	t.Run("OKStartsToday", func(t *testing.T) {
		a := validAssignment()
		a.Start = today
		checkFields(t, a.ValidateNew(today), nil)
	})
	t.Run("ErrStartInPast", func(t *testing.T) {
		a := validAssignment()
		a.Start = "2026-10-28" // 30 days before today, still ending in the future
		checkFields(t, a.ValidateNew(today), []string{"start"})
		checkFields(t, a.Validate(today), nil) // an assignment under way may be edited
	})
	t.Run("ErrStartInPastWithOtherFields", func(t *testing.T) {
		a := validAssignment()
		a.Start, a.Title, a.Positions = "2026-10-28", "", 0
		checkFields(t, a.ValidateNew(today), []string{"positions", "start", "title"})
	})
}

func TestNewAssignmentInput_Positions(t *testing.T) {
	for _, tt := range []struct {
		name string
		body string
		want []string
	}{
		{"OKAbsentMeansOne", `{}`, nil},
		{"OKExplicitThree", `{"positions":3}`, nil},
		{"ErrExplicitZero", `{"positions":0}`, []string{"positions"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := sankofa.NewAssignmentInput()
			if err := sankofa.DecodeJSON([]byte(tt.body), &in); err != nil {
				t.Fatal(err)
			}
			v := validAssignment()
			v.Positions = in.Positions
			v.Normalize()
			checkFields(t, v.ValidateNew(today), tt.want)
		})
	}
}

func TestProblems_Capped(t *testing.T) {
	var p sankofa.Problems
	for i := range 1000 {
		p.Add("f", "bad %d", i)
	}
	var e *sankofa.Error
	if !errors.As(p.Err(), &e) {
		t.Fatalf("error %v", p.Err())
	}
	if len(e.Fields) != sankofa.MaxFieldErrors || !strings.Contains(e.Message, "950 more were omitted") {
		t.Fatalf("%d fields, message %q", len(e.Fields), e.Message)
	}
}

// TestValidate_LargeLists checks that a list far over its limit gives one
// error for the list, not one per item.
func TestValidate_LargeLists(t *testing.T) {
	const n = 100000
	t.Run("Profile", func(t *testing.T) {
		for _, tt := range []struct {
			field  string
			mutate func(*sankofa.ProfileInput)
		}{
			{"modes", func(p *sankofa.ProfileInput) { p.Modes = repeat(sankofa.Mode("x"), n) }},
			{"share_with", func(p *sankofa.ProfileInput) { p.ShareWith = repeat("xx", n) }},
			{"licences", func(p *sankofa.ProfileInput) { p.Licences = repeat(sankofa.Licence{}, n) }},
			{"availability", func(p *sankofa.ProfileInput) { p.Availability = repeat(sankofa.Window{}, n) }},
			{"skills", func(p *sankofa.ProfileInput) { p.Skills = repeat("", n) }},
			{"languages", func(p *sankofa.ProfileInput) { p.Languages = repeat(sankofa.Language{}, n) }},
		} {
			t.Run(tt.field, func(t *testing.T) {
				in := validProfile()
				tt.mutate(&in)
				checkFields(t, in.Validate(today), []string{tt.field})
			})
		}
	})
	t.Run("Assignment", func(t *testing.T) {
		a := validAssignment()
		a.RequiredSkills = repeat("", n)
		a.Languages = repeat(sankofa.Language{}, n)
		checkFields(t, a.ValidateNew(today), []string{"languages", "required_skills"})
	})
}

func TestAssignmentStatus_Next(t *testing.T) {
	statuses := []sankofa.AssignmentStatus{
		sankofa.AssignmentDraft, sankofa.AssignmentOpen, sankofa.AssignmentFilled,
		sankofa.AssignmentClosed, sankofa.AssignmentCancelled, "", "archived",
	}
	transitions := []sankofa.Transition{sankofa.Publish, sankofa.Close, sankofa.Cancel, "", "fill", "reopen"}
	legal := map[sankofa.AssignmentStatus]map[sankofa.Transition]sankofa.AssignmentStatus{
		sankofa.AssignmentDraft: {sankofa.Publish: sankofa.AssignmentOpen, sankofa.Cancel: sankofa.AssignmentCancelled},
		sankofa.AssignmentOpen:  {sankofa.Close: sankofa.AssignmentClosed, sankofa.Cancel: sankofa.AssignmentCancelled},
	}
	for _, s := range statuses {
		for _, tr := range transitions {
			t.Run(string(s)+"/"+string(tr), func(t *testing.T) {
				got, err := s.Next(tr)
				want, ok := legal[s][tr]
				if ok {
					if err != nil || got != want {
						t.Fatalf("Next(%q) from %q = %q, %v; want %q, nil", tr, s, got, err, want)
					}
					return
				}
				if got != "" {
					t.Errorf("Next(%q) from %q returned status %q with an illegal move", tr, s, got)
				}
				if !sankofa.IsCode(err, sankofa.Conflict) {
					t.Errorf("Next(%q) from %q error = %v (code %q), want a conflict", tr, s, err, sankofa.ErrorCodeOf(err))
				}
			})
		}
	}
}

func TestAssignmentStatus_Editable(t *testing.T) {
	want := map[sankofa.AssignmentStatus]bool{
		sankofa.AssignmentDraft: true, sankofa.AssignmentOpen: true,
		sankofa.AssignmentFilled: false, sankofa.AssignmentClosed: false, sankofa.AssignmentCancelled: false, "": false,
	}
	for s, w := range want {
		if got := s.Editable(); got != w {
			t.Errorf("%q.Editable() = %v, want %v", s, got, w)
		}
	}
}

func validRegistration(role sankofa.Role) sankofa.Registration {
	if role == sankofa.RoleMinistry {
		return sankofa.Registration{
			Email: "hrh@moh.gov.gh", Password: "correct horse battery", Name: "Kofi Boateng",
			Role: sankofa.RoleMinistry, Country: "GH", Organization: "Ministry of Health, Ghana",
		}
	}
	return sankofa.Registration{
		Email: "ama@example.com", Password: "correct horse battery", Name: "Ama Mensah",
		Role: sankofa.RoleProfessional, Country: "GH",
	}
}

func TestRegistration_Validate(t *testing.T) {
	tests := []struct {
		name   string
		role   sankofa.Role
		mutate func(*sankofa.Registration)
		want   []string
	}{
		{"professional valid", sankofa.RoleProfessional, func(*sankofa.Registration) {}, nil},
		{"ministry valid", sankofa.RoleMinistry, func(*sankofa.Registration) {}, nil},

		{"email invalid", sankofa.RoleProfessional, func(r *sankofa.Registration) { r.Email = "ama" }, []string{"email"}},
		{"email empty", sankofa.RoleProfessional, func(r *sankofa.Registration) { r.Email = "" }, []string{"email"}},
		{"email with display name", sankofa.RoleProfessional, func(r *sankofa.Registration) { r.Email = "Ama <ama@example.com>" }, []string{"email"}},
		{"email surrounded by spaces is trimmed", sankofa.RoleProfessional, func(r *sankofa.Registration) { r.Email = "  ama@example.com\n" }, nil},
		{"email non-UTF8", sankofa.RoleProfessional, func(r *sankofa.Registration) { r.Email = "am\xffa@example.com" }, []string{"email"}},

		{"password 9 characters", sankofa.RoleProfessional, func(r *sankofa.Registration) { r.Password = "123456789" }, []string{"password"}},
		{"password 10 characters", sankofa.RoleProfessional, func(r *sankofa.Registration) { r.Password = "1234567890" }, nil},
		{"password counts runes, not bytes", sankofa.RoleProfessional, func(r *sankofa.Registration) { r.Password = strings.Repeat("ɛ", 128) }, nil},
		{"password 129 runes", sankofa.RoleProfessional, func(r *sankofa.Registration) { r.Password = strings.Repeat("ɛ", 129) }, []string{"password"}},
		{"password empty", sankofa.RoleProfessional, func(r *sankofa.Registration) { r.Password = "" }, []string{"password"}},

		{"name empty", sankofa.RoleProfessional, func(r *sankofa.Registration) { r.Name = " " }, []string{"name"}},
		{"name too long", sankofa.RoleProfessional, func(r *sankofa.Registration) { r.Name = strings.Repeat("n", 201) }, []string{"name"}},
		{"name non-UTF8", sankofa.RoleProfessional, func(r *sankofa.Registration) { r.Name = "Ama \xc0\xaf" }, []string{"name"}},

		{"role empty", sankofa.RoleProfessional, func(r *sankofa.Registration) { r.Role = "" }, []string{"role"}},
		{"role admin cannot self-register", sankofa.RoleProfessional, func(r *sankofa.Registration) { r.Role = sankofa.RoleAdmin }, []string{"role"}},
		{"role wrong case", sankofa.RoleProfessional, func(r *sankofa.Registration) { r.Role = "Professional" }, []string{"role"}},

		{"professional country optional", sankofa.RoleProfessional, func(r *sankofa.Registration) { r.Country = "" }, nil},
		{"professional country lower case", sankofa.RoleProfessional, func(r *sankofa.Registration) { r.Country = "gh" }, []string{"country"}},
		{"professional country XX", sankofa.RoleProfessional, func(r *sankofa.Registration) { r.Country = "XX" }, []string{"country"}},
		{"professional organization optional", sankofa.RoleProfessional, func(r *sankofa.Registration) { r.Organization = "" }, nil},
		{"professional organization 200 runes", sankofa.RoleProfessional, func(r *sankofa.Registration) { r.Organization = strings.Repeat("ö", 200) }, nil},
		{"professional organization 201 runes", sankofa.RoleProfessional, func(r *sankofa.Registration) { r.Organization = strings.Repeat("ö", 201) }, []string{"organization"}},

		{"ministry country missing", sankofa.RoleMinistry, func(r *sankofa.Registration) { r.Country = "" }, []string{"country"}},
		{"ministry country alpha-3", sankofa.RoleMinistry, func(r *sankofa.Registration) { r.Country = "GHA" }, []string{"country"}},
		{"ministry organization missing", sankofa.RoleMinistry, func(r *sankofa.Registration) { r.Organization = "" }, []string{"organization"}},
		{"ministry organization too short", sankofa.RoleMinistry, func(r *sankofa.Registration) { r.Organization = "M" }, []string{"organization"}},
		{"ministry organization non-UTF8", sankofa.RoleMinistry, func(r *sankofa.Registration) { r.Organization = "MoH \xff" }, []string{"organization"}},

		{"zero value", sankofa.RoleProfessional, func(r *sankofa.Registration) { *r = sankofa.Registration{} }, []string{"email", "password", "name", "role"}},
		{"bad role reports a bad country too", sankofa.RoleProfessional, func(r *sankofa.Registration) {
			r.Role, r.Country, r.Email = "doctor", "XX", "nope"
		}, []string{"country", "email", "role"}},
		{"bad role reports a long organization too", sankofa.RoleProfessional, func(r *sankofa.Registration) {
			r.Role, r.Organization = "", strings.Repeat("o", 201)
		}, []string{"organization", "role"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := validRegistration(tt.role)
			tt.mutate(&r)
			checkFields(t, r.Validate(), tt.want)
		})
	}
}

func TestCredentials_Validate(t *testing.T) {
	tests := []struct {
		name string
		in   sankofa.Credentials
		want []string
	}{
		{"valid", sankofa.Credentials{Email: "ama@example.com", Password: "secret"}, nil},
		{"email is not checked for form", sankofa.Credentials{Email: "ama", Password: "secret"}, nil},
		{"email empty", sankofa.Credentials{Password: "secret"}, []string{"email"}},
		{"email 254 bytes", sankofa.Credentials{Email: strings.Repeat("e", 254), Password: "secret"}, nil},
		{"email 255 bytes", sankofa.Credentials{Email: strings.Repeat("e", 255), Password: "secret"}, []string{"email"}},
		{"password empty", sankofa.Credentials{Email: "ama@example.com"}, []string{"password"}},
		{"password 512 bytes", sankofa.Credentials{Email: "ama@example.com", Password: strings.Repeat("p", 512)}, nil},
		{"password 513 bytes", sankofa.Credentials{Email: "ama@example.com", Password: strings.Repeat("p", 513)}, []string{"password"}},
		{"both empty", sankofa.Credentials{}, []string{"email", "password"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkFields(t, tt.in.Validate(), tt.want)
		})
	}
}

type validatorCase struct {
	in   string
	want bool
}

func runValidator(t *testing.T, name string, fn func(string) bool, cases []validatorCase) {
	t.Helper()
	for _, c := range cases {
		if got := fn(c.in); got != c.want {
			t.Errorf("%s(%q) = %v, want %v", name, c.in, got, c.want)
		}
	}
}

func TestValidCountry(t *testing.T) {
	runValidator(t, "ValidCountry", sankofa.ValidCountry, []validatorCase{
		{"GH", true}, {"GB", true}, {"NG", true}, {"US", true}, {"ZA", true}, {"CV", true},
		{"XX", false}, {"gh", false}, {"Gh", false}, {"", false}, {"G", false}, {"GBR", false},
		{"ZZ", false}, {"EU", false}, {"QM", false}, {"AA", false}, {"1A", false}, {" GH", false},
		{"ＧＢ", false}, {"G\xff", false},
		// Not ISO 3166-1 alpha-2 assigned codes: UK is exceptionally
		// reserved (the code is GB), UN and EZ are groupings, SU was
		// withdrawn.
		{"UK", false}, {"UN", false}, {"EZ", false}, {"SU", false},
	})
}

func TestValidLanguage(t *testing.T) {
	runValidator(t, "ValidLanguage", sankofa.ValidLanguage, []validatorCase{
		{"en", true}, {"fr", true}, {"pt", true}, {"sw", true}, {"yo", true}, {"ha", true}, {"ar", true},
		{"EN", false}, {"En", false}, {"eng", false}, {"", false}, {"e", false}, {"xx", false},
		{"zz", false}, {"en-GB", false}, {"en_GB", false}, {"und", false}, {" en", false}, {"e\xff", false},
	})
}

func TestValidTimeZone(t *testing.T) {
	runValidator(t, "ValidTimeZone", sankofa.ValidTimeZone, []validatorCase{
		{"Africa/Accra", true}, {"Europe/London", true}, {"UTC", true}, {"Etc/GMT+5", true},
		{"America/Argentina/Buenos_Aires", true}, {"America/Port-au-Prince", true},
		{"Mars/Olympus", false}, {"Local", false}, {"", false}, {"utc", false}, {"europe/london", false},
		{"Europe/London ", false}, {"Europe//London", false}, {"Africa/", false}, {"/etc/localtime", false},
		{"../../etc/passwd", false}, {"Europe/../Africa/Accra", false}, {"Europe\\London", false},
		{"+01:00", false}, {"GMT+1", false}, {"Africa/Accra\x00", false}, {"Africa/Acc\xffra", false},
		{"Africa", false}, {strings.Repeat("A", 65), false},
	})
}

func TestValidPhone(t *testing.T) {
	runValidator(t, "ValidPhone", sankofa.ValidPhone, []validatorCase{
		{"+233201234567", true}, {"+447700900123", true}, {"+1234567", true}, {"+123456789012345", true},
		{"+123456", false}, {"+1234567890123456", false}, {"233201234567", false}, {"0201234567", false},
		{"+0201234567", false}, {"+233 20 123 4567", false}, {"+233-20-123-4567", false}, {"", false},
		{"+", false}, {"+233201234567\n", false}, {"+٢٣٣٢٠١٢٣٤٥٦٧", false}, {"+2332012\xff34567", false},
	})
}

func TestValidEmail(t *testing.T) {
	max := strings.Repeat("a", 64) + "@" + strings.Repeat("b", 185) + ".com"
	if len(max) != 254 {
		t.Fatalf("fixture length %d", len(max))
	}
	runValidator(t, "ValidEmail", sankofa.ValidEmail, []validatorCase{
		{"ama@example.com", true}, {"ama.mensah+sankofa@mail.example.org", true}, {max, true},
		{"x" + max, false}, {"ama@example", false}, {"ama", false}, {"", false}, {"@example.com", false},
		{"ama@", false}, {"ama@@example.com", false}, {"Ama <ama@example.com>", false},
		{"<ama@example.com>", false}, {" ama@example.com", false}, {"ama@example.com ", false},
		{"ama@example.com\n", false}, {"ama @example.com", false}, {"ama@example.com, kofi@example.com", false},
		{"\"ama\"@example.com", false}, {"ama@exa\xffmple.com", false}, {"a..b@example.com", false},
	})
}

func TestDate_Time(t *testing.T) {
	runValidator(t, "Date.Time", func(s string) bool { _, ok := sankofa.Date(s).Time(); return ok }, []validatorCase{
		{"2026-11-27", true}, {"2028-02-29", true}, {"0001-01-01", true},
		{"2026-02-29", false}, {"2026-13-01", false}, {"2026-00-10", false}, {"2026-04-31", false},
		{"2026-1-1", false}, {"26-11-27", false}, {"2026/11/27", false}, {"2026-11-27T00:00:00Z", false},
		{"2026-11-27\n", false}, {" 2026-11-27", false}, {"", false}, {"２０２６-11-27", false},
	})
	d, ok := today.Time()
	if !ok || sankofa.DateOf(d) != today {
		t.Errorf("DateOf(%v) = %q, want %q", d, sankofa.DateOf(d), today)
	}
}

func TestDecodeJSON(t *testing.T) {
	validBody := `{
		"full_name": "Ama Mensah", "profession": "2221",
		"specialties": ["critical care"], "skills": ["triage"],
		"languages": [{"code": "en", "level": "C2"}],
		"origin_country": "GH", "residence_country": "GB", "timezone": "Europe/London",
		"years_experience": 8, "licences": [], "availability": [{"from": "2026-12-01", "to": "2027-02-28"}],
		"virtual_hours_per_week": 6, "modes": ["onsite", "virtual"], "share_with": ["GH"],
		"alerts": true, "bio": "", "contact": {"email": "ama@example.com"}
	}`
	wantValid := sankofa.ProfileInput{
		FullName: "Ama Mensah", Profession: "2221",
		Specialties: []string{"critical care"}, Skills: []string{"triage"},
		Languages:     []sankofa.Language{{Code: "en", Level: "C2"}},
		OriginCountry: "GH", ResidenceCountry: "GB", Timezone: "Europe/London",
		YearsExperience: 8, Licences: []sankofa.Licence{},
		Availability:        []sankofa.Window{{From: "2026-12-01", To: "2027-02-28"}},
		VirtualHoursPerWeek: 6, Modes: []sankofa.Mode{"onsite", "virtual"}, ShareWith: []string{"GH"},
		Alerts: true, Contact: &sankofa.Contact{Email: "ama@example.com"},
	}

	tests := []struct {
		name       string
		body       string
		wantErr    bool
		wantFields []sankofa.FieldError  // checked when wantErr and non-nil
		want       *sankofa.ProfileInput // checked when !wantErr
	}{
		{name: "valid", body: validBody, want: &wantValid},
		{name: "valid with trailing whitespace", body: validBody + "\n\t ", want: &wantValid},
		{name: "empty object", body: `{}`, want: &sankofa.ProfileInput{}},
		{name: "null leaves the value untouched", body: `null`, want: &sankofa.ProfileInput{}},
		{name: "invalid UTF-8 is replaced", body: "{\"full_name\":\"Ama \xff\"}", want: &sankofa.ProfileInput{FullName: "Ama \uFFFD"}},

		{name: "empty body", body: ``, wantErr: true},
		{name: "whitespace only", body: " \n", wantErr: true},
		{name: "truncated", body: `{"full_name": "Ama`, wantErr: true},
		{name: "malformed", body: `{"full_name" "Ama"}`, wantErr: true},
		{name: "trailing comma", body: `{"full_name": "Ama",}`, wantErr: true},
		{name: "two values", body: `{} {}`, wantErr: true},
		{name: "trailing garbage", body: `{}x`, wantErr: true},
		{name: "trailing bracket", body: `{}]`, wantErr: true},
		{name: "deep nesting", body: `{"contact":` + strings.Repeat("[", 20000), wantErr: true},
		{name: "invalid escape", body: `{"full_name":"\x"}`, wantErr: true},

		{name: "unknown field", body: `{"shoe_size": 42}`, wantErr: true,
			wantFields: []sankofa.FieldError{{Field: "shoe_size", Message: "is not a known field"}}},
		{name: "string for number", body: `{"years_experience": "8"}`, wantErr: true,
			wantFields: []sankofa.FieldError{{Field: "years_experience", Message: "must be a number"}}},
		{name: "fraction for int", body: `{"years_experience": 1.5}`, wantErr: true,
			wantFields: []sankofa.FieldError{{Field: "years_experience", Message: "must be a number"}}},
		{name: "huge number", body: `{"virtual_hours_per_week": 1e400}`, wantErr: true,
			wantFields: []sankofa.FieldError{{Field: "virtual_hours_per_week", Message: "must be a number"}}},
		{name: "int overflow", body: `{"years_experience": 99999999999999999999}`, wantErr: true,
			wantFields: []sankofa.FieldError{{Field: "years_experience", Message: "must be a number"}}},
		{name: "number for string", body: `{"full_name": 7}`, wantErr: true,
			wantFields: []sankofa.FieldError{{Field: "full_name", Message: "must be a string"}}},
		{name: "string for bool", body: `{"alerts": "yes"}`, wantErr: true,
			wantFields: []sankofa.FieldError{{Field: "alerts", Message: "must be true or false"}}},
		{name: "string for array", body: `{"modes": "onsite"}`, wantErr: true,
			wantFields: []sankofa.FieldError{{Field: "modes", Message: "must be an array"}}},
		{name: "array for object", body: `{"contact": []}`, wantErr: true,
			wantFields: []sankofa.FieldError{{Field: "contact", Message: "must be an object"}}},
		{name: "array body", body: `[]`, wantErr: true,
			wantFields: []sankofa.FieldError{{Field: "body", Message: "must be an object"}}},
		{name: "string body", body: `"hello"`, wantErr: true,
			wantFields: []sankofa.FieldError{{Field: "body", Message: "must be an object"}}},
		{name: "number body", body: `42`, wantErr: true,
			wantFields: []sankofa.FieldError{{Field: "body", Message: "must be an object"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got sankofa.ProfileInput
			err := sankofa.DecodeJSON([]byte(tt.body), &got)
			if !tt.wantErr {
				if err != nil {
					t.Fatalf("DecodeJSON error = %v, want nil", err)
				}
				if diff := cmp.Diff(*tt.want, got); diff != "" {
					t.Errorf("decoded value mismatch (-want +got):\n%s", diff)
				}
				return
			}
			if err == nil {
				t.Fatalf("DecodeJSON(%.60q) = nil, want an invalid error", tt.body)
			}
			var e *sankofa.Error
			if !errors.As(err, &e) || e.Code != sankofa.Invalid {
				t.Fatalf("DecodeJSON error = %v (%T), want an invalid *sankofa.Error", err, err)
			}
			if e.Message == "" {
				t.Error("error has an empty message")
			}
			if tt.wantFields != nil {
				if diff := cmp.Diff(tt.wantFields, e.Fields); diff != "" {
					t.Errorf("fields mismatch (-want +got):\n%s", diff)
				}
			}
		})
	}

	t.Run("nested type error names the nested field", func(t *testing.T) {
		var got sankofa.ProfileInput
		err := sankofa.DecodeJSON([]byte(`{"languages": [{"code": 1, "level": "B2"}]}`), &got)
		fields := invalidFields(t, err)
		if len(fields) != 1 || !strings.HasPrefix(fields[0], "languages") || !strings.HasSuffix(fields[0], "code") {
			t.Errorf("fields = %q, want one naming languages…code", fields)
		}
	})

	t.Run("registration", func(t *testing.T) {
		var got sankofa.Registration
		err := sankofa.DecodeJSON([]byte(`{"email":"ama@example.com","password":"correct horse battery","name":"Ama","role":"professional"}`), &got)
		if err != nil {
			t.Fatal(err)
		}
		want := sankofa.Registration{Email: "ama@example.com", Password: "correct horse battery", Name: "Ama", Role: sankofa.RoleProfessional}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("mismatch (-want +got):\n%s", diff)
		}
		checkFields(t, got.Validate(), nil)
	})
}

// jsonEqual compares two JSON texts by value.
func jsonEqual(t *testing.T, want, got []byte) {
	t.Helper()
	var w, g any
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("bad want JSON %s: %v", want, err)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("result is not JSON: %s: %v", got, err)
	}
	if diff := cmp.Diff(w, g); diff != "" {
		t.Errorf("result mismatch (-want +got):\n%s\ngot: %s", diff, got)
	}
}

func TestMergePatch(t *testing.T) {
	// The examples of RFC 7396 appendix A whose patch is an object.
	rfc := []struct{ doc, patch, want string }{
		{`{"a":"b"}`, `{"a":"c"}`, `{"a":"c"}`},
		{`{"a":"b"}`, `{"b":"c"}`, `{"a":"b","b":"c"}`},
		{`{"a":"b"}`, `{"a":null}`, `{}`},
		{`{"a":"b","b":"c"}`, `{"a":null}`, `{"b":"c"}`},
		{`{"a":["b"]}`, `{"a":"c"}`, `{"a":"c"}`},
		{`{"a":"c"}`, `{"a":["b"]}`, `{"a":["b"]}`},
		{`{"a":{"b":"c"}}`, `{"a":{"b":"d","c":null}}`, `{"a":{"b":"d"}}`},
		{`{"a":[{"b":"c"}]}`, `{"a":[1]}`, `{"a":[1]}`},
		{`{"e":null}`, `{"a":1}`, `{"e":null,"a":1}`},
		{`[1,2]`, `{"a":"b","c":null}`, `{"a":"b"}`},
		{`{}`, `{"a":{"bb":{"ccc":null}}}`, `{"a":{"bb":{}}}`},
		// The example of RFC 7396 section 3.
		{
			`{"title":"Goodbye!","author":{"givenName":"John","familyName":"Doe"},"tags":["example","sample"],"content":"This will be unchanged"}`,
			`{"title":"Hello!","phoneNumber":"+01-123-456-7890","author":{"familyName":null},"tags":["example"]}`,
			`{"title":"Hello!","author":{"givenName":"John"},"tags":["example"],"content":"This will be unchanged","phoneNumber":"+01-123-456-7890"}`,
		},
	}
	for _, tt := range rfc {
		t.Run("rfc "+tt.doc+" + "+tt.patch, func(t *testing.T) {
			got, err := sankofa.MergePatch([]byte(tt.doc), []byte(tt.patch))
			if err != nil {
				t.Fatalf("MergePatch error = %v", err)
			}
			jsonEqual(t, []byte(tt.want), got)
		})
	}

	// RFC 7396 lets a non-object patch replace the whole document; this API
	// deliberately refuses such patches as invalid input instead.
	for _, tt := range []struct{ name, doc, patch string }{
		{"rfc array patch", `["a","b"]`, `["c","d"]`},
		{"rfc array patch over object", `{"a":"b"}`, `["c"]`},
		{"rfc null patch", `{"a":"foo"}`, `null`},
		{"rfc string patch", `{"a":"foo"}`, `"bar"`},
		{"number patch", `{"a":"foo"}`, `1`},
		{"malformed patch", `{"a":"foo"}`, `{"a":`},
		{"empty patch", `{"a":"foo"}`, ``},
		{"trailing data", `{"a":"foo"}`, `{"a":1} {"b":2}`},
		{"huge number", `{"a":"foo"}`, `{"a":1e400}`},
		{"deep nesting", `{"a":"foo"}`, strings.Repeat(`{"a":`, 20000)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sankofa.MergePatch([]byte(tt.doc), []byte(tt.patch))
			if !sankofa.IsCode(err, sankofa.Invalid) {
				t.Fatalf("MergePatch = %s, %v (code %q); want an invalid error", got, err, sankofa.ErrorCodeOf(err))
			}
			if got != nil {
				t.Errorf("MergePatch returned %s with an error", got)
			}
		})
	}

	t.Run("malformed document", func(t *testing.T) {
		if got, err := sankofa.MergePatch([]byte(`{"a":`), []byte(`{}`)); err == nil {
			t.Errorf("MergePatch = %s, nil; want an error", got)
		}
	})

	t.Run("patched profile decodes and validates", func(t *testing.T) {
		doc, err := json.Marshal(validProfile())
		if err != nil {
			t.Fatal(err)
		}
		out, err := sankofa.MergePatch(doc, []byte(`{"bio":null,"contact":{"phone":null},"modes":["onsite"],"years_experience":9}`))
		if err != nil {
			t.Fatal(err)
		}
		var got sankofa.ProfileInput
		if err := sankofa.DecodeJSON(out, &got); err != nil {
			t.Fatalf("DecodeJSON(patched) = %v", err)
		}
		want := validProfile()
		want.Bio = ""
		want.Contact.Phone = ""
		want.Modes = []sankofa.Mode{sankofa.ModeOnsite}
		want.YearsExperience = 9
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("patched profile mismatch (-want +got):\n%s", diff)
		}
		checkFields(t, got.Validate(today), nil)
	})

	t.Run("unknown field in patch is caught by DecodeJSON", func(t *testing.T) {
		doc, _ := json.Marshal(validProfile())
		out, err := sankofa.MergePatch(doc, []byte(`{"shoe_size":42}`))
		if err != nil {
			t.Fatal(err)
		}
		var got sankofa.ProfileInput
		if diff := cmp.Diff([]string{"shoe_size"}, invalidFields(t, sankofa.DecodeJSON(out, &got))); diff != "" {
			t.Errorf("fields mismatch (-want +got):\n%s", diff)
		}
	})
}
