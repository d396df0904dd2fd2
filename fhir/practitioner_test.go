package fhir_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"sankofa"
	"sankofa/fhir"
	"sankofa/fhir/fhirtest"
)

func profile() *sankofa.Profile {
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	return &sankofa.Profile{
		ID: "pro_06f3abc", AccountID: "acc_06f3abc", Version: 3, UpdatedAt: at,
		ProfileInput: sankofa.ProfileInput{
			FullName: "Ama Mensah", Profession: "2221", Specialties: []string{"neonatal care", "ICU"},
			Languages:     []sankofa.Language{{Code: "en", Level: "C2"}, {Code: "fr", Level: "B1"}},
			OriginCountry: "GH", ResidenceCountry: "GB", Timezone: "Europe/London",
			Citizenships: []string{"GH", "GB"}, CountryOfBirth: "GH",
			Licences: []sankofa.Licence{
				{ID: "lic_1", Country: "GB", Body: "Nursing & Midwifery Council", Number: "12A3456B", Expires: "2028-01-31",
					Verification: &sankofa.Verification{Status: sankofa.VerificationValidated, Method: sankofa.MethodPrimarySource,
						Source: "NMC register", VerifiedAt: &at, NextReview: "2027-03-01"}},
				{ID: "lic_2", Country: "GH", Body: "Nursing and Midwifery Council of Ghana", Number: "GH-77", Expires: "2026-01-01"},
			},
			Availability: []sankofa.Window{{From: "2026-06-01", To: "2026-06-30"}, {From: "2026-09-01", To: "2026-10-15"}},
			Modes:        []sankofa.Mode{sankofa.ModeOnsite, sankofa.ModeVirtual}, VirtualHoursPerWeek: 6,
			ShareWith: []string{"GH"},
			Contact:   &sankofa.Contact{Email: "ama@example.org", Phone: "+447700900123"},
		},
		Commitments: []sankofa.Commitment{
			{Terms: sankofa.OfferTerms{Mode: sankofa.ModeOnsite, Start: "2026-06-10", End: "2026-06-20"}},
			{Terms: sankofa.OfferTerms{Mode: sankofa.ModeVirtual, Start: "2026-04-01", End: "2026-12-31", VirtualHoursPerWeek: 2}},
			{Terms: sankofa.OfferTerms{Mode: sankofa.ModeOnsite, Start: "2025-01-01", End: "2025-02-01"}}, // over
		},
	}
}

func encode(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestPractitionerOf(t *testing.T) {
	p := profile()
	t.Run("OK", func(t *testing.T) {
		r, err := fhir.PractitionerOf(p, fhir.Options{Today: "2026-03-02"})
		if err != nil {
			t.Fatal(err)
		}
		raw := encode(t, r)
		fhirtest.Valid(t, raw)
		for _, want := range []string{
			`"id":"pro-06f3abc"`, `"system":"https://sankofa.dev/fhir/NamingSystem/profile-id","value":"pro_06f3abc"`,
			`"text":"Ama Mensah"`,
			`"system":"https://sankofa.dev/fhir/NamingSystem/licence/GB/nursing-midwifery-council","value":"12A3456B"`,
			`"issuer":{"display":"Nursing \u0026 Midwifery Council"}`, `"period":{"end":"2028-01-31"}`,
			`{"url":"status","valueCoding":{"system":"http://hl7.org/fhir/CodeSystem/status","code":"validated"}}`,
			`{"url":"next-review","valueDate":"2027-03-01"}`,
			// GH's licence has passed its expiry but was never verified.
			`{"system":"https://sankofa.dev/fhir/CodeSystem/licence-verification","code":"unverified"}`,
			`"url":"http://ihris.org/fhir/StructureDefinition/ihris-practitioner-language-proficiency"`,
			`{"url":"level","valueCoding":{"system":"http://terminology.hl7.org/CodeSystem/v3-LanguageAbilityProficiency","code":"E"`,
			`{"url":"https://sankofa.dev/fhir/StructureDefinition/language-cefr-level","valueCode":"B1"}`,
			`{"url":"http://ihris.org/fhir/StructureDefinition/ihris-practitioner-nationality","valueCoding":{"system":"urn:iso:std:iso:3166","code":"GH"}}`,
			`{"url":"http://ihris.org/fhir/StructureDefinition/ihris-practitioner-nationality","valueCoding":{"system":"urn:iso:std:iso:3166","code":"GB"}}`,
			`{"url":"https://sankofa.dev/fhir/StructureDefinition/country-of-birth","valueCoding":{"system":"urn:iso:std:iso:3166","code":"GH"}}`,
			`"valueReference":{"identifier":{"system":"urn:iso:std:iso:3166","value":"GB"}`,
		} {
			if !strings.Contains(string(raw), want) {
				t.Errorf("lacks %s\n%s", want, raw)
			}
		}
		if strings.Contains(string(raw), "telecom") || strings.Contains(string(raw), "ama@example.org") {
			t.Errorf("contact details without leave: %s", raw)
		}
	})
	t.Run("RevalidationDue", func(t *testing.T) {
		r, _ := fhir.PractitionerOf(p, fhir.Options{Today: "2027-03-02"})
		raw := encode(t, r)
		fhirtest.Valid(t, raw)
		if !strings.Contains(string(raw), `"code":"req-revalid"`) {
			t.Errorf("a validated licence past its next review is not req-revalid: %s", raw)
		}
	})
	t.Run("Contact", func(t *testing.T) {
		r, _ := fhir.PractitionerOf(p, fhir.Options{Today: "2026-03-02", Contact: p.Contact})
		raw := encode(t, r)
		fhirtest.Valid(t, raw)
		if !strings.Contains(string(raw), `"telecom":[{"system":"email","value":"ama@example.org"},{"system":"phone","value":"+447700900123","use":"mobile"}]`) {
			t.Errorf("telecom: %s", raw)
		}
	})
	t.Run("Minimal", func(t *testing.T) {
		r, err := fhir.PractitionerOf(&sankofa.Profile{ID: "pro_x"}, fhir.Options{})
		if err != nil {
			t.Fatal(err)
		}
		fhirtest.Valid(t, encode(t, r))
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		if _, err := fhir.PractitionerOf(&sankofa.Profile{ID: "pro-x"}, fhir.Options{}); !sankofa.IsCode(err, sankofa.Invalid) {
			t.Fatalf("err %v, want invalid", err)
		}
	})
}

func TestRolesOf(t *testing.T) {
	p := profile()
	roles, err := fhir.RolesOf(p, fhir.Options{Today: "2026-03-02"})
	if err != nil {
		t.Fatal(err)
	}
	if len(roles) != 2 {
		t.Fatalf("%d roles, want in-person and videoconference", len(roles))
	}
	onsite, virtual := string(encode(t, roles[0])), string(encode(t, roles[1]))
	fhirtest.Valid(t, []byte(onsite))
	fhirtest.Valid(t, []byte(virtual))
	for _, want := range []string{
		`"id":"pro-06f3abc.in-person"`, `"practitioner":{"reference":"Practitioner/pro-06f3abc"`,
		`"code":"in-person"`, `"period":{"start":"2026-06-01","end":"2026-10-15"}`,
		`"availableTime":[{"daysOfWeek":["mon","tue","wed","thu","fri","sat","sun"],"allDay":true}]`,
		`"during":{"start":"2026-07-01","end":"2026-08-31"}`, // the gap between windows
		`"during":{"start":"2026-06-10","end":"2026-06-20"}`, // the on-site booking
		`{"text":"neonatal care"}`, `"code":"2221"`,
	} {
		if !strings.Contains(onsite, want) {
			t.Errorf("in-person role lacks %s\n%s", want, onsite)
		}
	}
	if strings.Contains(onsite, "2025-01-01") {
		t.Errorf("a booking that ended is listed: %s", onsite)
	}
	for _, want := range []string{
		`"id":"pro-06f3abc.videoconference"`, `"code":"videoconference"`, `"valueInteger":6`,
		`"2 hours a week booked`, `"during":{"start":"2026-04-01","end":"2026-12-31"}`,
	} {
		if !strings.Contains(virtual, want) {
			t.Errorf("videoconference role lacks %s\n%s", want, virtual)
		}
	}
}

func TestID(t *testing.T) {
	for _, id := range []string{"pro_06f3abc", "acc_0123456789abcdefghjkmnpq", "x"} {
		f, err := fhir.ID(id)
		if err != nil || !fhir.ValidID(f) || strings.Contains(f, "_") {
			t.Fatalf("ID(%q) = %q, %v", id, f, err)
		}
		back, err := fhir.SankofaID(f)
		if err != nil || back != id {
			t.Fatalf("SankofaID(%q) = %q, %v; want %q", f, back, err, id)
		}
	}
	for _, bad := range []string{"", "a-b", "a.b", "a b", strings.Repeat("a", 65)} {
		if _, err := fhir.ID(bad); !sankofa.IsCode(err, sankofa.Invalid) {
			t.Errorf("ID(%q): %v, want invalid", bad, err)
		}
	}
	for _, bad := range []string{"", "pro-x.in-person", "a_b", "a/b", strings.Repeat("a", 65)} {
		if _, err := fhir.SankofaID(bad); !sankofa.IsCode(err, sankofa.NotFound) {
			t.Errorf("SankofaID(%q): %v, want not_found", bad, err)
		}
	}
}

func FuzzSankofaID(f *testing.F) {
	for _, s := range []string{"pro-06f3", "a.b", "", "x_y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := fhir.SankofaID(s)
		if err != nil {
			return
		}
		back, err := fhir.ID(id)
		if err != nil || back != s {
			t.Fatalf("ID(SankofaID(%q)) = %q, %v", s, back, err)
		}
	})
}

func TestCapabilityStatement(t *testing.T) {
	fhirtest.Valid(t, encode(t, fhir.CapabilityStatement("https://example.org/fhir/r4", "2026-03-01T10:00:00Z", "1.0")))
}

func TestBundleAndOutcome(t *testing.T) {
	r, _ := fhir.PractitionerOf(profile(), fhir.Options{})
	fhirtest.Valid(t, encode(t, fhir.Bundle("https://example.org/fhir/r4/Practitioner?identifier=x", []string{"https://example.org/fhir/r4/Practitioner/pro-06f3abc"}, []any{r})))
	fhirtest.Valid(t, encode(t, fhir.Bundle("https://example.org/fhir/r4/Practitioner", nil, nil)))
	for _, status := range []int{400, 401, 403, 404, 405, 409, 410, 429, 500, 202} {
		fhirtest.Valid(t, encode(t, fhir.OperationOutcome(status, "not_found", "profile not found")))
	}
}

// TestSchema_RejectsBadResources proves the validator can fail.
func TestSchema_RejectsBadResources(t *testing.T) {
	for _, bad := range []string{
		`{"resourceType":"Practitioner","id":"pro_x"}`,
		`{"resourceType":"Practitioner","id":"x","characteristic":[]}`,
		`{"resourceType":"PractitionerRole","id":"x","characteristic":[{"text":"in-person"}]}`,
		`{"resourceType":"Practitioner","id":"x","qualification":[{"period":{"end":"31/01/2028"}}]}`,
		`{"resourceType":"Nothing"}`,
	} {
		if fhirtest.Check([]byte(bad)) == nil {
			t.Errorf("the schema accepts %s", bad)
		}
	}
}
