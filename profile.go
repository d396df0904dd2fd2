package sankofa

import (
	"fmt"
	"slices"
	"time"
)

// Mode is how a worker gives their time: on site, virtually, or (for an
// assignment) both.
type Mode string

// The modes of work.
const (
	ModeOnsite  Mode = "onsite"
	ModeVirtual Mode = "virtual"
	ModeHybrid  Mode = "hybrid"
)

// Language is a spoken language at a CEFR level.
type Language struct {
	Code  string `json:"code" bson:"code"`
	Level string `json:"level" bson:"level"`
}

// Licence is a licence to practise issued by a body in a country.
type Licence struct {
	// ID is assigned by the server when the licence is first saved.
	ID      string `json:"id,omitempty" bson:"id,omitempty"`
	Country string `json:"country" bson:"country"`
	Body    string `json:"body" bson:"body"`
	Number  string `json:"number" bson:"number"`
	Expires Date   `json:"expires" bson:"expires"`
	// Verification is server-owned: see KeepVerifications.
	Verification *Verification `json:"verification,omitempty" bson:"verification,omitempty"`
}

// Window is an inclusive span of calendar days.
type Window struct {
	From Date `json:"from" bson:"from"`
	To   Date `json:"to" bson:"to"`
}

// Contact holds the details that stay hidden from ministries until the
// worker accepts an offer.
type Contact struct {
	Email string `json:"email,omitempty" bson:"email,omitempty"`
	Phone string `json:"phone,omitempty" bson:"phone,omitempty"`
}

// ProfileInput is the part of a profile its owner writes.
type ProfileInput struct {
	FullName            string     `json:"full_name" bson:"full_name"`
	Profession          string     `json:"profession" bson:"profession"`
	Specialties         []string   `json:"specialties,omitzero" bson:"specialties"`
	Skills              []string   `json:"skills,omitzero" bson:"skills"`
	Languages           []Language `json:"languages,omitzero" bson:"languages"`
	OriginCountry       string     `json:"origin_country" bson:"origin_country"`
	ResidenceCountry    string     `json:"residence_country" bson:"residence_country"`
	Timezone            string     `json:"timezone" bson:"timezone"`
	YearsExperience     int        `json:"years_experience" bson:"years_experience"`
	Licences            []Licence  `json:"licences,omitzero" bson:"licences"`
	Availability        []Window   `json:"availability,omitzero" bson:"availability"`
	VirtualHoursPerWeek int        `json:"virtual_hours_per_week" bson:"virtual_hours_per_week"`
	Modes               []Mode     `json:"modes,omitzero" bson:"modes"`
	ShareWith           []string   `json:"share_with,omitzero" bson:"share_with"`
	Alerts              bool       `json:"alerts" bson:"alerts"`
	Bio                 string     `json:"bio" bson:"bio"`
	Contact             *Contact   `json:"contact,omitempty" bson:"contact,omitempty"`

	// CountryOfBirth, Citizenships and CountryOfTraining (of the first
	// professional qualification) are optional and feed the observatory:
	// foreign-born is not foreign-trained, and many foreign-trained workers
	// are nationals who studied abroad.
	CountryOfBirth    string   `json:"country_of_birth,omitempty" bson:"country_of_birth,omitempty"`
	Citizenships      []string `json:"citizenships,omitzero" bson:"citizenships,omitempty"`
	CountryOfTraining string   `json:"country_of_training,omitempty" bson:"country_of_training,omitempty"`
}

// Completeness scores how complete a profile is (0-100) and says what to
// add next.
type Completeness struct {
	Score int      `json:"score" bson:"score"`
	Hints []string `json:"hints,omitzero" bson:"hints"`
}

// Profile is a diaspora health worker's profile.
type Profile struct {
	ID string `json:"id" bson:"_id"`
	// AccountID is the owner's account; Redacted leaves it out.
	AccountID    string `json:"account_id,omitempty" bson:"account_id"`
	ProfileInput `bson:",inline"`
	Completeness Completeness `json:"completeness" bson:"completeness"`
	// Commitments are accepted offers; the server keeps them.
	Commitments []Commitment `json:"commitments,omitzero" bson:"commitments"`
	// ConsentHistory records, oldest first, each change of ShareWith with
	// its time; the server keeps it (see RecordConsent).
	ConsentHistory []Consent `json:"consent_history,omitempty" bson:"consent_history,omitempty"`
	Version        int64     `json:"version" bson:"version"`
	CreatedAt      time.Time `json:"created_at" bson:"created_at"`
	UpdatedAt      time.Time `json:"updated_at" bson:"updated_at"`
}

// Redacted returns a copy as ministries see it: without contact details,
// without the account id or the consent history (whom else the worker
// shares with, or did, is none of a ministry's business), and with
// commitments reduced to the time they take (their offer and assignment
// ids belong to other ministries).
func (p Profile) Redacted() Profile {
	p.Contact = nil
	p.AccountID = ""
	p.ConsentHistory = nil
	if p.Commitments != nil {
		busy := make([]Commitment, len(p.Commitments))
		for i, c := range p.Commitments {
			busy[i] = Commitment{Terms: c.Terms}
		}
		p.Commitments = busy
	}
	return p
}

// Consent is one state of a worker's consent to be seen: the countries
// whose ministries may see the profile from At on.
type Consent struct {
	At        time.Time `json:"at" bson:"at"`
	ShareWith []string  `json:"share_with" bson:"share_with"`
}

// MaxConsentHistory bounds a profile's consent history: past it, the
// oldest changes are dropped.
const MaxConsentHistory = 200

// RecordConsent gives p the consent history kept so far (that of the
// stored profile, nil for a first save) and appends p's ShareWith at at
// when it differs, as a set, from the last one recorded, or when nothing
// is recorded yet. Only the last MaxConsentHistory entries are kept.
func (p *Profile) RecordConsent(kept []Consent, at time.Time) {
	h := kept
	if n := len(h); n == 0 || !sameCountries(h[n-1].ShareWith, p.ShareWith) {
		share := append([]string{}, p.ShareWith...)
		h = append(slices.Clip(h), Consent{At: at.UTC(), ShareWith: share})
	}
	if len(h) > MaxConsentHistory {
		h = slices.Clone(h[len(h)-MaxConsentHistory:])
	}
	p.ConsentHistory = h
}

// sameCountries reports whether a and b hold the same countries, in any
// order: reordering share_with changes nobody's consent.
func sameCountries(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// SharedWith reports whether the profile may be seen by ministries of
// country.
func (p *Profile) SharedWith(country string) bool {
	return slices.Contains(p.ShareWith, country)
}

// Limits on sizes of profile and assignment fields.
const (
	MaxListItems       = 30
	MaxLanguages       = 15
	MaxLicences        = 10
	MaxShareWith       = 60
	MaxCitizenships    = 5
	maxModes           = 2
	MaxWindows         = 20
	MaxWindowDays      = 731 // two years, leap day included
	MaxBioRunes        = 2000
	MaxYearsExperience = 60
	MaxHoursPerWeek    = 80
)

// DropEndedWindows removes availability that has already ended, so that a
// stored profile's stale windows never block an update or list a worker as
// free. New input is not pruned: a window in the past is an error there.
func (in *ProfileInput) DropEndedWindows(today Date) {
	in.Availability = slices.DeleteFunc(in.Availability, func(w Window) bool {
		return w.To < today && validDay(w.To)
	})
}

// Normalize fills defaults: share_with is the origin country unless given,
// and absent lists are empty.
func (in *ProfileInput) Normalize() {
	if in.ShareWith == nil && in.OriginCountry != "" {
		in.ShareWith = []string{in.OriginCountry}
	}
	if in.Specialties == nil {
		in.Specialties = []string{}
	}
	if in.Skills == nil {
		in.Skills = []string{}
	}
	if in.Languages == nil {
		in.Languages = []Language{}
	}
	if in.Licences == nil {
		in.Licences = []Licence{}
	}
	if in.Availability == nil {
		in.Availability = []Window{}
	}
}

func validDay(d Date) bool { _, ok := d.Time(); return ok }

// Validate checks every field against the code lists and bounds; today is
// the current day, against which windows in the past are rejected. It
// returns an invalid *Error naming each bad field.
func (in *ProfileInput) Validate(today Date) error {
	var p Problems
	checkText(&p, "full_name", in.FullName, 2, 200)
	if _, ok := Occupations[in.Profession]; !ok {
		p.Add("profession", "must be an ISCO-08 health occupation code such as 2221 (nursing professionals)")
	}
	checkTerms(&p, "specialties", in.Specialties)
	checkTerms(&p, "skills", in.Skills)
	checkLanguages(&p, "languages", in.Languages, true)
	if !ValidCountry(in.OriginCountry) {
		p.Add("origin_country", "must be an ISO 3166-1 alpha-2 country code such as GH")
	}
	if !ValidCountry(in.ResidenceCountry) {
		p.Add("residence_country", "must be an ISO 3166-1 alpha-2 country code such as GB")
	}
	if in.CountryOfBirth != "" && !ValidCountry(in.CountryOfBirth) {
		p.Add("country_of_birth", "must be an ISO 3166-1 alpha-2 country code such as GH")
	}
	if in.CountryOfTraining != "" && !ValidCountry(in.CountryOfTraining) {
		p.Add("country_of_training", "must be an ISO 3166-1 alpha-2 country code such as GB")
	}
	if len(in.Citizenships) > MaxCitizenships {
		p.Add("citizenships", "at most %d countries", MaxCitizenships)
	}
	for i, c := range upTo(in.Citizenships, MaxCitizenships) {
		if !ValidCountry(c) {
			p.Add(fmt.Sprintf("citizenships[%d]", i), "must be an ISO 3166-1 alpha-2 country code such as GH")
		} else if slices.Index(in.Citizenships, c) != i {
			p.Add(fmt.Sprintf("citizenships[%d]", i), "is listed twice")
		}
	}
	if !ValidTimeZone(in.Timezone) {
		p.Add("timezone", "must be an IANA time zone such as Europe/London")
	}
	if in.YearsExperience < 0 || in.YearsExperience > MaxYearsExperience {
		p.Add("years_experience", "must be between 0 and %d", MaxYearsExperience)
	}
	// Each list's length is checked before its items, so that a large body
	// costs no more than a small one.
	if len(in.Licences) > MaxLicences {
		p.Add("licences", "at most %d licences", MaxLicences)
	}
	for i, l := range upTo(in.Licences, MaxLicences) {
		f := fmt.Sprintf("licences[%d]", i)
		if !ValidCountry(l.Country) {
			p.Add(f+".country", "must be an ISO 3166-1 alpha-2 country code")
		}
		checkText(&p, f+".body", l.Body, 2, 200)
		checkText(&p, f+".number", l.Number, 1, 100)
		if !validDay(l.Expires) {
			p.Add(f+".expires", "must be a date as YYYY-MM-DD")
		}
	}
	if len(in.Availability) > MaxWindows {
		p.Add("availability", "at most %d windows", MaxWindows)
	}
	for i, w := range upTo(in.Availability, MaxWindows) {
		checkWindow(&p, fmt.Sprintf("availability[%d]", i), "from", "to", w.From, w.To, today)
	}
	if in.VirtualHoursPerWeek < 0 || in.VirtualHoursPerWeek > MaxHoursPerWeek {
		p.Add("virtual_hours_per_week", "must be between 0 and %d", MaxHoursPerWeek)
	}
	switch {
	case len(in.Modes) == 0:
		p.Add("modes", "choose at least one of onsite, virtual")
	case len(in.Modes) > maxModes:
		p.Add("modes", "choose onsite, virtual or both")
	}
	for i, m := range upTo(in.Modes, maxModes) {
		if m != ModeOnsite && m != ModeVirtual {
			p.Add(fmt.Sprintf("modes[%d]", i), "must be onsite or virtual")
		} else if slices.Index(in.Modes, m) != i {
			p.Add(fmt.Sprintf("modes[%d]", i), "is listed twice")
		}
	}
	if slices.Contains(in.Modes, ModeVirtual) && in.VirtualHoursPerWeek == 0 {
		p.Add("virtual_hours_per_week", "must be at least 1 when virtual mode is chosen")
	}
	if len(in.ShareWith) > MaxShareWith {
		p.Add("share_with", "at most %d countries", MaxShareWith)
	}
	for i, c := range upTo(in.ShareWith, MaxShareWith) {
		if !ValidCountry(c) {
			p.Add(fmt.Sprintf("share_with[%d]", i), "must be an ISO 3166-1 alpha-2 country code")
		} else if slices.Index(in.ShareWith, c) != i {
			p.Add(fmt.Sprintf("share_with[%d]", i), "is listed twice")
		}
	}
	checkText(&p, "bio", in.Bio, 0, MaxBioRunes)
	if c := in.Contact; c != nil {
		if c.Email != "" && !ValidEmail(c.Email) {
			p.Add("contact.email", "must be a valid e-mail address")
		}
		if c.Phone != "" && !ValidPhone(c.Phone) {
			p.Add("contact.phone", "must be an E.164 number such as +233201234567")
		}
	}
	return p.Err()
}

// Score computes how complete the profile is and what to add next.
func (in *ProfileInput) Score() Completeness {
	type part struct {
		weight int
		done   bool
		hint   string
	}
	parts := []part{
		{10, in.FullName != "" && in.Profession != "", "add your name and profession"},
		{10, len(in.Specialties) > 0, "add your specialties"},
		{15, len(in.Skills) >= 3, "list at least 3 skills or procedures you practise"},
		{10, len(in.Languages) > 0, "add the languages you work in"},
		{15, len(in.Licences) > 0, "add a licence to practise"},
		{15, len(in.Availability) > 0 || in.VirtualHoursPerWeek > 0, "say when you are available (dates or virtual hours)"},
		{10, in.Bio != "", "write a short bio"},
		{10, in.Contact != nil && (in.Contact.Email != "" || in.Contact.Phone != ""), "add contact details (shown only after you accept an offer)"},
		{5, in.YearsExperience > 0, "add your years of experience"},
	}
	c := Completeness{Hints: []string{}}
	for _, pt := range parts {
		if pt.done {
			c.Score += pt.weight
		} else {
			c.Hints = append(c.Hints, pt.hint)
		}
	}
	return c
}

// upTo returns the list to check item by item: none of it when it is
// longer than maxLen, which is reported once for the whole list.
func upTo[T any](list []T, maxLen int) []T {
	if len(list) > maxLen {
		return nil
	}
	return list
}

func checkTerms(p *Problems, field string, terms []string) {
	if len(terms) > MaxListItems {
		p.Add(field, "at most %d items", MaxListItems)
		return
	}
	for i, t := range terms {
		checkText(p, fmt.Sprintf("%s[%d]", field, i), t, 1, 100)
	}
}

func checkLanguages(p *Problems, field string, langs []Language, required bool) {
	if required && len(langs) == 0 {
		p.Add(field, "add at least one language")
	}
	if len(langs) > MaxLanguages {
		p.Add(field, "at most %d languages", MaxLanguages)
		return
	}
	seen := map[string]bool{}
	for i, l := range langs {
		f := fmt.Sprintf("%s[%d]", field, i)
		if !ValidLanguage(l.Code) {
			p.Add(f+".code", "must be an ISO 639-1 code such as en, fr or pt")
		} else if seen[l.Code] {
			p.Add(f+".code", "is listed twice")
		}
		seen[l.Code] = true
		if CEFRRank(l.Level) == 0 {
			p.Add(f+".level", "must be a CEFR level A1, A2, B1, B2, C1 or C2")
		}
	}
}

// checkWindow validates a date span that must end no earlier than today and
// last at most MaxWindowDays.
func checkWindow(p *Problems, prefix, fromName, toName string, from, to Date, today Date) {
	sep := "."
	if prefix == "" {
		sep = ""
	}
	ft, okFrom := from.Time()
	tt, okTo := to.Time()
	if !okFrom {
		p.Add(prefix+sep+fromName, "must be a date as YYYY-MM-DD")
	}
	if !okTo {
		p.Add(prefix+sep+toName, "must be a date as YYYY-MM-DD")
	}
	if !okFrom || !okTo {
		return
	}
	switch {
	case tt.Before(ft):
		p.Add(prefix+sep+toName, "must not be before %s", fromName)
	case to < today:
		p.Add(prefix+sep+toName, "is in the past; only windows that end today or later are accepted")
	case tt.Sub(ft) > MaxWindowDays*24*time.Hour:
		p.Add(prefix+sep+toName, "a window may last at most 2 years")
	}
}
