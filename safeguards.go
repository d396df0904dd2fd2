package sankofa

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// The WHO Global Code of Practice on the International Recruitment of
// Health Personnel asks states to discourage active recruitment from the
// countries on the WHO Health Workforce Support and Safeguards List.
// Sankofa exists for return and circulation towards countries of origin,
// so it must not work as such a recruitment funnel: SafeguardList.Check is
// the one rule, and matching, the pool search, alerts and offers all apply
// it.

//go:embed safeguards_2023.json
var safeguards2023 []byte

// SafeguardList is the edition of the WHO list in force: the countries,
// as ISO 3166-1 alpha-2 codes, whose health workforce is safeguarded.
type SafeguardList struct {
	Edition   string    `json:"edition" bson:"edition"`
	Title     string    `json:"title" bson:"title"`
	Source    string    `json:"source" bson:"source"`
	ISBN      string    `json:"isbn" bson:"isbn"`
	Countries []string  `json:"countries" bson:"countries"`
	UpdatedAt time.Time `json:"updated_at" bson:"updated_at"`
	// UpdatedBy is the admin who last changed the list; empty for the
	// edition shipped with Sankofa.
	UpdatedBy string `json:"-" bson:"updated_by,omitempty"`
	Version   int64  `json:"-" bson:"version"`
}

// SafeguardAgreement is a government-to-government agreement under which
// the ministry of EmployerCountry may recruit health workers residing in
// SourceCountry, a listed country, from ValidFrom to ValidUntil (open
// ended when nil). NHS Employers, for instance, mark Nepal amber rather
// than red because of the UK-Nepal agreement.
type SafeguardAgreement struct {
	ID              string    `json:"id" bson:"id"`
	EmployerCountry string    `json:"employer_country" bson:"employer_country"`
	SourceCountry   string    `json:"source_country" bson:"source_country"`
	Title           string    `json:"title" bson:"title"`
	ValidFrom       Date      `json:"valid_from" bson:"valid_from"`
	ValidUntil      *Date     `json:"valid_until,omitempty" bson:"valid_until,omitempty"`
	CreatedAt       time.Time `json:"-" bson:"created_at"`
	CreatedBy       string    `json:"-" bson:"created_by"`
}

// ValidOn reports whether the agreement is in force on day.
func (g *SafeguardAgreement) ValidOn(day Date) bool {
	return g.ValidFrom <= day && (g.ValidUntil == nil || day <= *g.ValidUntil)
}

// Safeguards is the list in force and the agreements recorded under it:
// what the rule reads.
type Safeguards struct {
	List       SafeguardList
	Agreements []SafeguardAgreement
}

// SafeguardException says why a worker residing in a listed country may
// still be approached for an assignment.
type SafeguardException string

// The exceptions, in the order Check tries them.
const (
	// ExceptOrigin: the assignment is in the worker's country of origin, a
	// return the Code protects.
	ExceptOrigin SafeguardException = "origin"
	// ExceptVirtual: the work is virtual; the worker does not leave.
	ExceptVirtual SafeguardException = "virtual"
	// ExceptAgreement: an agreement between the assignment's country and
	// the worker's country of residence is in force.
	ExceptAgreement SafeguardException = "agreement"
	// ExceptInterest: the worker expressed interest in the assignment
	// first, on their own initiative.
	ExceptInterest SafeguardException = "interest"
)

// SafeguardInput is what the rule needs about one worker and one
// assignment.
type SafeguardInput struct {
	ResidenceCountry  string
	OriginCountry     string
	AssignmentCountry string
	Mode              Mode
	// Interested: the worker expressed interest in this assignment.
	Interested bool
	Agreements []SafeguardAgreement
	// Today is the day agreements must be in force on.
	Today Date
}

// SafeguardDecision is the rule's answer. Listed is true when the worker
// resides in a listed country, whatever the assignment; Restricted when
// the assignment's ministry may not approach them; Exception, when Listed
// and not Restricted, which exception allows it ("" when the assignment
// is in the country of residence itself, where the list does not apply).
type SafeguardDecision struct {
	Listed     bool               `json:"listed"`
	Country    string             `json:"country"`
	Restricted bool               `json:"restricted"`
	Exception  SafeguardException `json:"exception"`
}

// Lists reports whether country is on the list.
func (l *SafeguardList) Lists(country string) bool { return slices.Contains(l.Countries, country) }

// Check decides whether the ministry of in.AssignmentCountry may approach
// a worker for an assignment: when the worker resides in a listed country
// R, the assignment is on site or hybrid and its country is neither R nor
// the worker's country of origin, the worker is restricted, unless they
// expressed interest in it first or an agreement between the assignment's
// country (employer) and R (source) is in force on in.Today.
func (l *SafeguardList) Check(in SafeguardInput) SafeguardDecision {
	r := in.ResidenceCountry
	if !l.Lists(r) {
		return SafeguardDecision{}
	}
	d := SafeguardDecision{Listed: true, Country: r}
	switch x := in.AssignmentCountry; {
	case x == r:
	case x == in.OriginCountry:
		d.Exception = ExceptOrigin
	case in.Mode == ModeVirtual:
		d.Exception = ExceptVirtual
	case slices.ContainsFunc(in.Agreements, func(g SafeguardAgreement) bool {
		return g.EmployerCountry == x && g.SourceCountry == r && g.ValidOn(in.Today)
	}):
		d.Exception = ExceptAgreement
	case in.Interested:
		d.Exception = ExceptInterest
	default:
		d.Restricted = true
	}
	return d
}

// Check is SafeguardList.Check with the agreements and the day filled in.
func (s *Safeguards) Check(in SafeguardInput, today Date) SafeguardDecision {
	in.Agreements, in.Today = s.Agreements, today
	return s.List.Check(in)
}

// RestrictedResidences lists the listed countries whose residents the
// ministry of country may not approach for on-site work on day, short of
// the worker's interest or origin: every listed country but country itself
// and those an agreement in force covers.
func (s *Safeguards) RestrictedResidences(country string, day Date) []string {
	out := make([]string, 0, len(s.List.Countries))
	for _, r := range s.List.Countries {
		if r == country || slices.ContainsFunc(s.Agreements, func(g SafeguardAgreement) bool {
			return g.EmployerCountry == country && g.SourceCountry == r && g.ValidOn(day)
		}) {
			continue
		}
		out = append(out, r)
	}
	return out
}

// DefaultSafeguardList returns the edition Sankofa ships with: the WHO
// health workforce support and safeguards list 2023 (55 countries).
func DefaultSafeguardList() (SafeguardList, error) {
	var l SafeguardList
	if err := json.Unmarshal(safeguards2023, &l); err != nil {
		return SafeguardList{}, fmt.Errorf("safeguards: embedded list: %w", err)
	}
	in := SafeguardListInput{Edition: l.Edition, Title: l.Title, Source: l.Source, ISBN: l.ISBN, Countries: l.Countries}
	if err := in.Validate(); err != nil {
		return SafeguardList{}, fmt.Errorf("safeguards: embedded list: %w", err)
	}
	return l, nil
}

// SafeguardError refuses an approach the list forbids: an offer to a
// worker the assignment's ministry may not approach. It unwraps to a
// conflict *Error.
type SafeguardError struct {
	Decision SafeguardDecision
	// Assignment is the country of the assignment's ministry.
	Assignment string
	// ListURL is where the list in force is published.
	ListURL string
}

// Error implements the error interface.
func (e *SafeguardError) Error() string { return e.Unwrap().Error() }

// Unwrap returns the error as a conflict.
func (e *SafeguardError) Unwrap() error {
	return Errorf(Conflict, "the worker resides in %s, on the WHO health workforce support and safeguards list; "+
		"the ministry of %s may not approach them for on-site work unless they express interest first or an agreement between the two governments is in force",
		e.Decision.Country, e.Assignment)
}

// Bounds of the safeguard list and its agreements.
const (
	MaxSafeguardAgreements = 500
	maxSafeguardURL        = 500
)

// SafeguardListInput is a new edition of the list, as an admin writes it.
type SafeguardListInput struct {
	Edition   string   `json:"edition"`
	Title     string   `json:"title"`
	Source    string   `json:"source"`
	ISBN      string   `json:"isbn,omitempty"`
	Countries []string `json:"countries"`
}

// Validate checks the edition: texts, an https source, an ISBN of 10 or
// 13 digits when given, and at least one country, each an ISO 3166-1
// alpha-2 code listed once. It sorts the countries. It returns an invalid
// *Error naming each bad field.
func (in *SafeguardListInput) Validate() error {
	var p Problems
	checkText(&p, "edition", in.Edition, 1, 40)
	checkText(&p, "title", in.Title, 3, 200)
	if u, err := url.Parse(in.Source); err != nil || u.Scheme != "https" || u.Host == "" || len(in.Source) > maxSafeguardURL || strings.ContainsAny(in.Source, " \t\r\n") {
		p.Add("source", "must be an https address of at most %d characters where the list is published", maxSafeguardURL)
	}
	if in.ISBN != "" && !validISBN(in.ISBN) {
		p.Add("isbn", "must be an ISBN of 10 or 13 digits (hyphens allowed)")
	}
	if len(in.Countries) == 0 {
		p.Add("countries", "must list at least one country")
	}
	seen := map[string]bool{}
	for i, c := range in.Countries {
		field := fmt.Sprintf("countries[%d]", i)
		switch {
		case !ValidCountry(c):
			p.Add(field, "must be an ISO 3166-1 alpha-2 country code such as GH")
		case seen[c]:
			p.Add(field, "lists %s twice", c)
		}
		seen[c] = true
	}
	if err := p.Err(); err != nil {
		return err
	}
	in.Countries = slices.Clone(in.Countries)
	slices.Sort(in.Countries)
	return nil
}

func validISBN(s string) bool {
	digits := strings.ReplaceAll(s, "-", "")
	if len(s) > 17 || (len(digits) != 10 && len(digits) != 13) {
		return false
	}
	for i, r := range digits {
		if (r < '0' || r > '9') && !(r == 'X' && len(digits) == 10 && i == 9) {
			return false
		}
	}
	return true
}

// SafeguardAgreementInput is an agreement as an admin records it.
type SafeguardAgreementInput struct {
	EmployerCountry string `json:"employer_country"`
	SourceCountry   string `json:"source_country"`
	Title           string `json:"title"`
	ValidFrom       Date   `json:"valid_from"`
	ValidUntil      *Date  `json:"valid_until,omitempty"`
}

// Validate checks an agreement against list l: two different countries,
// the source on the list, a title, and valid_until, when given, on or
// after valid_from. It returns an invalid *Error naming each bad field.
func (in *SafeguardAgreementInput) Validate(l *SafeguardList) error {
	var p Problems
	if !ValidCountry(in.EmployerCountry) {
		p.Add("employer_country", "must be an ISO 3166-1 alpha-2 country code such as GB")
	}
	switch {
	case !ValidCountry(in.SourceCountry):
		p.Add("source_country", "must be an ISO 3166-1 alpha-2 country code such as NP")
	case in.SourceCountry == in.EmployerCountry:
		p.Add("source_country", "must differ from employer_country")
	case !l.Lists(in.SourceCountry):
		p.Add("source_country", "is not on the safeguards list; an agreement is needed only for a listed country")
	}
	checkText(&p, "title", in.Title, 3, 200)
	from, okFrom := in.ValidFrom.Time()
	if !okFrom {
		p.Add("valid_from", "must be a date as YYYY-MM-DD")
	}
	if in.ValidUntil != nil {
		until, ok := in.ValidUntil.Time()
		switch {
		case !ok:
			p.Add("valid_until", "must be a date as YYYY-MM-DD")
		case okFrom && until.Before(from):
			p.Add("valid_until", "must be on or after valid_from")
		}
	}
	return p.Err()
}
