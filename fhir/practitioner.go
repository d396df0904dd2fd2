package fhir

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"sankofa"
)

// Options say what a reader may see of a profile.
type Options struct {
	// Today is the day against which licences are reviewed: a validated
	// licence whose expiry or next review passed reads as req-revalid.
	Today sankofa.Date
	// Contact, when set, is put in telecom: only for a reader who may see
	// the worker's contact details (a ministry with an accepted offer).
	Contact *sankofa.Contact
}

// PractitionerOf maps a profile onto a FHIR Practitioner: name, Sankofa id,
// licences as qualifications with their verification, languages with
// their level, nationality (origin) and residence, and telecom only when
// opts.Contact is given. It returns invalid for an id with no FHIR id.
func PractitionerOf(p *sankofa.Profile, opts Options) (*Practitioner, error) {
	id, err := ID(p.ID)
	if err != nil {
		return nil, err
	}
	r := &Practitioner{
		ResourceType: "Practitioner", ID: id, Meta: meta(p),
		Identifier: []Identifier{{System: SystemProfileID, Value: p.ID}},
		Active:     true,
	}
	if p.FullName != "" {
		r.Name = []HumanName{{Use: "official", Text: p.FullName}}
	}
	// Nationality is the worker's citizenships when given; a worker who
	// gave none is taken to hold that of their country of origin.
	nationalities := p.Citizenships
	if len(nationalities) == 0 && p.OriginCountry != "" {
		nationalities = []string{p.OriginCountry}
	}
	for _, c := range nationalities {
		r.Extension = append(r.Extension, Extension{URL: ExtIHRISNationality, ValueCoding: country(c)})
	}
	if p.OriginCountry != "" {
		r.Extension = append(r.Extension, Extension{URL: ExtOriginCountry, ValueCoding: country(p.OriginCountry)})
	}
	if p.CountryOfBirth != "" {
		r.Extension = append(r.Extension, Extension{URL: ExtCountryOfBirth, ValueCoding: country(p.CountryOfBirth)})
	}
	if p.ResidenceCountry != "" {
		r.Extension = append(r.Extension, Extension{URL: ExtIHRISResidence, ValueRef: &Reference{
			Identifier: &Identifier{System: SystemCountry, Value: p.ResidenceCountry}, Display: p.ResidenceCountry}})
	}
	if c := opts.Contact; c != nil {
		if c.Email != "" {
			r.Telecom = append(r.Telecom, ContactPoint{System: "email", Value: c.Email})
		}
		if c.Phone != "" {
			r.Telecom = append(r.Telecom, ContactPoint{System: "phone", Value: c.Phone, Use: "mobile"})
		}
	}
	for _, l := range p.Licences {
		r.Qualification = append(r.Qualification, qualification(p.Profession, l, opts.Today))
	}
	for _, l := range p.Languages {
		r.Communication = append(r.Communication, communication(l))
	}
	return r, nil
}

func meta(p *sankofa.Profile) *Meta {
	m := &Meta{VersionID: fmt.Sprint(p.Version)}
	if !p.UpdatedAt.IsZero() {
		m.LastUpdated = p.UpdatedAt.UTC().Format(time.RFC3339Nano)
	}
	return m
}

func country(code string) *Coding { return &Coding{System: SystemCountry, Code: code} }

// LicenceSystem is the identifier system of the licence numbers a body of
// a country issues: Base/NamingSystem/licence/{country}/{body}, the body's
// name lower-cased with every run of other characters as one "-".
func LicenceSystem(country, body string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(body) {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return systemLicence + country + "/" + b.String()
}

func qualification(profession string, l sankofa.Licence, today sankofa.Date) Qualification {
	q := Qualification{
		Identifier: []Identifier{{System: LicenceSystem(l.Country, l.Body), Value: l.Number}},
		Code: CodeableConcept{
			Coding: []Coding{{System: SystemISCO08, Code: profession, Display: sankofa.Occupations[profession]}},
			Text:   "Licence to practise in " + l.Country,
		},
		Issuer: &Reference{Display: l.Body},
	}
	if l.Expires != "" {
		q.Period = &Period{End: string(l.Expires)}
	}
	q.Extension = []Extension{verification(&l, today)}
	return q
}

// verification is the licence's verification as an extension: its status
// as a FHIR VerificationResult status, or Sankofa's "unverified".
func verification(l *sankofa.Licence, today sankofa.Date) Extension {
	st := l.VerificationStatusOf(today)
	status := &Coding{System: SystemVerificationStatus, Code: string(st)}
	if st == sankofa.VerificationUnverified {
		status = &Coding{System: SystemUnverified, Code: string(st)}
	}
	ext := Extension{URL: ExtLicenceVerification, Extension: []Extension{{URL: "status", ValueCoding: status}}}
	v := l.Verification
	if v == nil {
		return ext
	}
	if v.Method != "" {
		ext.Extension = append(ext.Extension, Extension{URL: "method", ValueCoding: &Coding{System: SystemVerificationMethd, Code: string(v.Method)}})
	}
	if v.Source != "" {
		ext.Extension = append(ext.Extension, Extension{URL: "source", ValueString: v.Source})
	}
	if v.VerifiedAt != nil {
		ext.Extension = append(ext.Extension, Extension{URL: "verified-at", ValueDateTime: v.VerifiedAt.UTC().Format(time.RFC3339)})
	}
	if v.NextReview != "" {
		ext.Extension = append(ext.Extension, Extension{URL: "next-review", ValueDate: string(v.NextReview)})
	}
	return ext
}

// proficiency maps a CEFR level onto HL7 v3 LanguageAbilityProficiency:
// C1-C2 excellent, B2 good, B1 fair, A1-A2 poor.
func proficiency(level string) (code, display string) {
	switch level {
	case "C1", "C2":
		return "E", "Excellent"
	case "B2":
		return "G", "Good"
	case "B1":
		return "F", "Fair"
	default:
		return "P", "Poor"
	}
}

func communication(l sankofa.Language) Communication {
	c := Communication{Coding: []Coding{{System: SystemLanguage, Code: l.Code}}, Text: l.Code}
	if l.Level == "" {
		return c
	}
	code, display := proficiency(l.Level)
	c.Extension = []Extension{
		{URL: ExtIHRISLanguageProficiency, Extension: []Extension{
			{URL: "level", ValueCoding: &Coding{System: SystemLanguageProficiency, Code: code, Display: display}},
			// CEFR levels describe speaking as much as the rest.
			{URL: "type", ValueCoding: &Coding{System: SystemLanguageMode, Code: "ESP", Display: "Expressed spoken"}},
		}},
		{URL: ExtCEFR, ValueCode: l.Level},
	}
	return c
}

// The service modes of PractitionerRole.characteristic.
const (
	modeInPerson = "in-person"
	modeVideo    = "videoconference"
)

// RoleID is the id of a practitioner's role in one service mode:
// "<practitioner id>.in-person" or "<practitioner id>.videoconference".
// FHIR ids allow ".", which ID never writes, so the two cannot clash.
func RoleID(practitionerID, mode string) string { return practitionerID + "." + mode }

var everyDay = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// RolesOf maps a profile onto one PractitionerRole per mode of
// work it offers: in-person for on-site work (available all day within
// its availability windows; the gaps between windows and the on-site
// bookings are notAvailable) and videoconference for virtual work (weekly
// hours; virtual bookings are notAvailable with their hours). Each has the
// profession as code, the specialties and the service mode. Bookings are
// the profile's commitments (accepted offers) that have not ended.
func RolesOf(p *sankofa.Profile, opts Options) ([]PractitionerRole, error) {
	pid, err := ID(p.ID)
	if err != nil {
		return nil, err
	}
	base := PractitionerRole{
		ResourceType: "PractitionerRole", Meta: meta(p), Active: true,
		Practitioner: Reference{Reference: "Practitioner/" + pid, Display: p.FullName},
	}
	if p.Profession != "" {
		base.Code = []CodeableConcept{{Coding: []Coding{{System: SystemISCO08, Code: p.Profession, Display: sankofa.Occupations[p.Profession]}}}}
	}
	for _, s := range p.Specialties {
		base.Specialty = append(base.Specialty, CodeableConcept{Text: s})
	}
	var out []PractitionerRole
	if slices.Contains(p.Modes, sankofa.ModeOnsite) {
		r := base
		r.ID = RoleID(pid, modeInPerson)
		r.Extension = []Extension{modeExtension(modeInPerson, "In-person")}
		wins := slices.Clone(p.Availability)
		slices.SortFunc(wins, func(a, b sankofa.Window) int { return strings.Compare(string(a.From), string(b.From)) })
		wins = slices.DeleteFunc(wins, func(w sankofa.Window) bool { return opts.Today != "" && w.To < opts.Today })
		if len(wins) > 0 {
			r.Period = &Period{Start: string(wins[0].From), End: string(wins[len(wins)-1].To)}
			r.AvailableTime = []AvailableTime{{DaysOfWeek: everyDay, AllDay: true}}
			for i := 1; i < len(wins); i++ {
				from, to := nextDay(wins[i-1].To), prevDay(wins[i].From)
				if from != "" && to != "" && from <= to {
					r.NotAvailable = append(r.NotAvailable, NotAvailable{Description: "Not available between two availability windows",
						During: &Period{Start: from, End: to}})
				}
			}
		} else {
			r.AvailabilityExceptions = "No on-site availability declared"
		}
		for _, c := range bookings(p, opts.Today) {
			if c.Terms.Mode != sankofa.ModeVirtual {
				r.NotAvailable = append(r.NotAvailable, NotAvailable{Description: "Booked for an accepted assignment (" + string(c.Terms.Mode) + ")",
					During: &Period{Start: string(c.Terms.Start), End: string(c.Terms.End)}})
			}
		}
		out = append(out, r)
	}
	if slices.Contains(p.Modes, sankofa.ModeVirtual) {
		r := base
		r.ID = RoleID(pid, modeVideo)
		hours := p.VirtualHoursPerWeek
		r.Extension = []Extension{modeExtension(modeVideo, "Videoconferencing"), {URL: ExtVirtualHoursPerWeek, ValueInteger: &hours}}
		r.AvailableTime = []AvailableTime{{DaysOfWeek: everyDay[:5]}}
		r.AvailabilityExceptions = fmt.Sprintf("Up to %d hours a week by videoconference", hours)
		for _, c := range bookings(p, opts.Today) {
			if c.Terms.VirtualHoursPerWeek > 0 && c.Terms.Mode != sankofa.ModeOnsite {
				r.NotAvailable = append(r.NotAvailable, NotAvailable{
					Description: fmt.Sprintf("%d hours a week booked for an accepted assignment (%s)", c.Terms.VirtualHoursPerWeek, c.Terms.Mode),
					During:      &Period{Start: string(c.Terms.Start), End: string(c.Terms.End)}})
			}
		}
		out = append(out, r)
	}
	return out, nil
}

func modeExtension(code, display string) Extension {
	return Extension{URL: ExtCharacteristic, ValueConcept: &CodeableConcept{Coding: []Coding{{System: SystemServiceMode, Code: code, Display: display}}}}
}

// bookings are the commitments that have not ended by today.
func bookings(p *sankofa.Profile, today sankofa.Date) []sankofa.Commitment {
	var out []sankofa.Commitment
	for _, c := range p.Commitments {
		if today == "" || c.Terms.End >= today {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b sankofa.Commitment) int {
		return strings.Compare(string(a.Terms.Start), string(b.Terms.Start))
	})
	return out
}

func nextDay(d sankofa.Date) string {
	t, ok := d.Time()
	if !ok {
		return ""
	}
	return string(sankofa.DateOf(t.AddDate(0, 0, 1)))
}

func prevDay(d sankofa.Date) string {
	t, ok := d.Time()
	if !ok {
		return ""
	}
	return string(sankofa.DateOf(t.AddDate(0, 0, -1)))
}
