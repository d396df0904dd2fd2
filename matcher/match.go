package matcher

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"sankofa"
)

// Features are what ranking needs from free text, extracted once when a
// profile or assignment is indexed rather than on every match.
type Features struct {
	// Skills and Specialties are concept ids; Terms are normalised terms
	// that named no concept.
	Skills      []string `json:"skills"`
	Specialties []string `json:"specialties"`
	Terms       []string `json:"terms"`
}

// AssignmentFeatures are the extracted skills of an assignment.
type AssignmentFeatures struct {
	Required      []string `json:"required"`
	RequiredTerms []string `json:"required_terms"`
	Preferred     []string `json:"preferred"`
	Specialties   []string `json:"specialties"`
}

// ProfileCandidate is a worker found by the search index for an
// assignment, with the features extracted when it was indexed.
type ProfileCandidate struct {
	Profile  *sankofa.Profile
	Features Features
	Active   bool
}

// AssignmentCandidate is an open assignment a worker might fill.
type AssignmentCandidate struct {
	Assignment *sankofa.Assignment
	Features   AssignmentFeatures
}

// Matcher decides whether a worker can do an assignment and how well.
type Matcher struct {
	tax   *Taxonomy
	zones zoneCache
}

// New returns a matcher over a taxonomy.
func New(t *Taxonomy) *Matcher { return &Matcher{tax: t} }

// Taxonomy returns the matcher's taxonomy.
func (m *Matcher) Taxonomy() *Taxonomy { return m.tax }

// ProfileFeatures extracts a profile's concepts.
func (m *Matcher) ProfileFeatures(p *sankofa.ProfileInput) Features {
	skills, unknown := m.tax.Extract(p.Skills)
	specs, unknown2 := m.tax.Extract(p.Specialties)
	// A specialty named among skills (or the reverse) still counts.
	f := Features{Skills: skills, Specialties: specs, Terms: append(unknown, unknown2...)}
	f.Skills = nilToEmpty(f.Skills)
	f.Specialties = nilToEmpty(f.Specialties)
	f.Terms = nilToEmpty(f.Terms)
	return f
}

// AssignmentFeatures extracts an assignment's concepts.
func (m *Matcher) AssignmentFeatures(a *sankofa.AssignmentInput) AssignmentFeatures {
	req, reqTerms := m.tax.Extract(a.RequiredSkills)
	pref, _ := m.tax.Extract(a.PreferredSkills)
	specs, _ := m.tax.Extract(a.Specialties)
	return AssignmentFeatures{Required: nilToEmpty(req), RequiredTerms: nilToEmpty(reqTerms),
		Preferred: nilToEmpty(pref), Specialties: nilToEmpty(specs)}
}

func nilToEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// The hard constraints, by the names Check reports.
const (
	ConstraintProfession   = "profession"
	ConstraintLanguage     = "language"
	ConstraintMode         = "mode"
	ConstraintAvailability = "availability"
	ConstraintShareWith    = "share_with"
	ConstraintExperience   = "experience"
	ConstraintLicence      = "licence"
	ConstraintActive       = "active"
)

// Check returns the hard constraints profile p breaks for assignment a; an
// empty result means p may be matched. active is the account's state.
func (m *Matcher) Check(a *sankofa.Assignment, p *sankofa.Profile, active bool) []string {
	p = Free(a, p)
	var broken []string
	if !slices.Contains(m.tax.Fillers(a.Profession), p.Profession) {
		broken = append(broken, ConstraintProfession)
	}
	for _, need := range a.Languages {
		if languageLevel(p, need.Code) < sankofa.CEFRRank(need.Level) {
			broken = append(broken, ConstraintLanguage)
			break
		}
	}
	onsite, virtual := needs(a.Mode)
	if (onsite && !slices.Contains(p.Modes, sankofa.ModeOnsite)) || (virtual && !slices.Contains(p.Modes, sankofa.ModeVirtual)) {
		broken = append(broken, ConstraintMode)
	} else if (onsite && !enoughOverlap(a, p)) || (virtual && p.VirtualHoursPerWeek < a.VirtualHoursPerWeek) {
		broken = append(broken, ConstraintAvailability)
	}
	if !p.SharedWith(a.Country) {
		broken = append(broken, ConstraintShareWith)
	}
	if p.YearsExperience < a.MinYearsExperience {
		broken = append(broken, ConstraintExperience)
	}
	if a.LicenceRequired && !licensedThrough(p, a.End) {
		broken = append(broken, ConstraintLicence)
	}
	if !active {
		broken = append(broken, ConstraintActive)
	}
	return broken
}

// needs says which kinds of availability a mode asks for: a hybrid
// assignment needs time on site and time online.
func needs(mode sankofa.Mode) (onsite, virtual bool) {
	return mode == sankofa.ModeOnsite || mode == sankofa.ModeHybrid, mode == sankofa.ModeVirtual || mode == sankofa.ModeHybrid
}

func languageLevel(p *sankofa.Profile, code string) int {
	for _, l := range p.Languages {
		if l.Code == code {
			return sankofa.CEFRRank(l.Level)
		}
	}
	return 0
}

// windowDays is the length of an assignment's window in days, inclusive.
func windowDays(a *sankofa.Assignment) int {
	s, ok1 := a.Start.Time()
	e, ok2 := a.End.Time()
	if !ok1 || !ok2 || e.Before(s) {
		return 0
	}
	return int(e.Sub(s).Hours()/24) + 1
}

// OverlapDays counts the days of the assignment window the worker is
// available on site (windows may overlap each other; days count once).
func OverlapDays(a *sankofa.Assignment, p *sankofa.Profile) int {
	s, ok1 := a.Start.Time()
	e, ok2 := a.End.Time()
	if !ok1 || !ok2 {
		return 0
	}
	type span struct{ from, to time.Time }
	var spans []span
	for _, w := range p.Availability {
		f, ok1 := w.From.Time()
		t, ok2 := w.To.Time()
		if !ok1 || !ok2 {
			continue
		}
		f, t = later(f, s), earlier(t, e)
		if !t.Before(f) {
			spans = append(spans, span{f, t})
		}
	}
	slices.SortFunc(spans, func(x, y span) int { return x.from.Compare(y.from) })
	days := 0
	var end time.Time
	for _, sp := range spans {
		if !end.IsZero() && !sp.from.After(end) {
			if sp.to.After(end) {
				days += int(sp.to.Sub(end).Hours() / 24)
				end = sp.to
			}
			continue
		}
		days += int(sp.to.Sub(sp.from).Hours()/24) + 1
		end = sp.to
	}
	return days
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// MinOverlapShare is how much of an on-site window a worker must cover.
const MinOverlapShare = 0.5

func enoughOverlap(a *sankofa.Assignment, p *sankofa.Profile) bool {
	need := int(math.Ceil(float64(windowDays(a)) * MinOverlapShare))
	return OverlapDays(a, p) >= max(need, 1)
}

func licensedThrough(p *sankofa.Profile, end sankofa.Date) bool {
	for _, l := range p.Licences {
		if l.Expires >= end {
			return true
		}
	}
	return false
}

// LanguageFit reports how a worker meets one language requirement.
type LanguageFit struct {
	Code     string `json:"code"`
	Required string `json:"required"`
	Level    string `json:"level,omitempty"`
	Meets    bool   `json:"meets"`
}

// Explanation says why a worker ranks where they do and what is missing.
type Explanation struct {
	MatchedSkills           []string      `json:"matched_skills"`
	MissingSkills           []string      `json:"missing_skills"`
	Languages               []LanguageFit `json:"languages"`
	AvailabilityOverlapDays int           `json:"availability_overlap_days"`
	TimezoneOverlapHours    float64       `json:"timezone_overlap_hours"`
	Reasons                 []string      `json:"reasons"`
}

// Weights of the soft signals; they sum to 1 so that a score is in [0,1].
var weights = struct {
	required, preferred, specialty, experience, window, timezone, diaspora, credentials, recency float64
}{0.40, 0.12, 0.15, 0.08, 0.08, 0.06, 0.05, 0.03, 0.03}

// Score ranks a worker who passed Check: it returns a score in [0,1] and
// the explanation. lang is the language of the reasons (en, fr or pt;
// labels only for now).
func (m *Matcher) Score(a *sankofa.Assignment, af AssignmentFeatures, p *sankofa.Profile, pf Features, now time.Time, lang string) (float64, Explanation) {
	p = Free(a, p)
	ex := Explanation{MatchedSkills: []string{}, MissingSkills: []string{}, Languages: []LanguageFit{}, Reasons: []string{}}
	have := append(slices.Clone(pf.Skills), pf.Specialties...)

	// Required skills, through the taxonomy: a narrower or related skill
	// earns part of the credit.
	reqTotal, reqScore := 0, 0.0
	for _, c := range af.Required {
		reqTotal++
		best, via := m.closest(c, have)
		reqScore += best
		switch {
		case best == 1:
			ex.MatchedSkills = append(ex.MatchedSkills, m.tax.Label(c, lang))
		case best >= 0.8*0.8:
			ex.MatchedSkills = append(ex.MatchedSkills, m.tax.Label(c, lang)+" (through "+m.tax.Label(via, lang)+")")
		default:
			ex.MissingSkills = append(ex.MissingSkills, m.tax.Label(c, lang))
		}
	}
	for _, t := range af.RequiredTerms {
		reqTotal++
		if slices.Contains(pf.Terms, t) {
			reqScore++
			ex.MatchedSkills = append(ex.MatchedSkills, t)
		} else {
			ex.MissingSkills = append(ex.MissingSkills, t)
		}
	}
	required := ratio(reqScore, reqTotal)
	preferred := 1.0
	if len(af.Preferred) > 0 {
		sum := 0.0
		for _, c := range af.Preferred {
			sum += m.best(c, have)
		}
		preferred = sum / float64(len(af.Preferred))
	}
	specialty := 1.0
	if len(af.Specialties) > 0 {
		sum := 0.0
		for _, c := range af.Specialties {
			sum += m.best(c, have)
		}
		specialty = sum / float64(len(af.Specialties))
	}
	experience := math.Min(1, float64(p.YearsExperience)/15)

	onsite, virtual := needs(a.Mode)
	window := 1.0
	if onsite {
		ex.AvailabilityOverlapDays = OverlapDays(a, p)
		window = ratio(float64(ex.AvailabilityOverlapDays), windowDays(a))
	}
	tz := 1.0
	if virtual {
		ex.TimezoneOverlapHours = m.TimezoneOverlap(p.Timezone, CountryTimezone(a.Country), now)
		tz = ex.TimezoneOverlapHours / workdayHours
	}
	diaspora := 0.0
	if p.OriginCountry == a.Country {
		diaspora = 1
	}
	credentials := 0.0
	if licensedThrough(p, sankofa.DateOf(now)) {
		credentials = 1
	}
	age := now.Sub(p.UpdatedAt).Hours() / 24
	recency := math.Max(0, math.Min(1, 1-(age-90)/640))

	score := weights.required*required + weights.preferred*preferred + weights.specialty*specialty +
		weights.experience*experience + weights.window*window + weights.timezone*tz +
		weights.diaspora*diaspora + weights.credentials*credentials + weights.recency*recency

	for _, need := range a.Languages {
		lv := ""
		for _, l := range p.Languages {
			if l.Code == need.Code {
				lv = l.Level
			}
		}
		ex.Languages = append(ex.Languages, LanguageFit{Code: need.Code, Required: need.Level, Level: lv,
			Meets: sankofa.CEFRRank(lv) >= sankofa.CEFRRank(need.Level)})
	}
	ex.Reasons = m.reasons(a, p, ex, reqTotal, diaspora == 1, credentials == 1, onsite, virtual)
	return math.Round(score*10000) / 10000, ex
}

// best is the credit for concept c given the worker's concepts: full for
// the concept itself, less for a neighbour in the taxonomy. Squaring keeps
// "knows something close" clearly below "knows exactly this".
func (m *Matcher) best(c string, have []string) float64 {
	b, _ := m.closest(c, have)
	return b
}

// closest returns best's credit and the worker's concept that earned it.
func (m *Matcher) closest(c string, have []string) (float64, string) {
	best, via := 0.0, ""
	for _, h := range have {
		if s := m.tax.Similarity(c, h); s > best {
			best, via = s, h
			if best == 1 {
				break
			}
		}
	}
	return best * best, via
}

func ratio(x float64, n int) float64 {
	if n == 0 {
		return 1
	}
	return math.Min(1, x/float64(n))
}

func (m *Matcher) reasons(a *sankofa.Assignment, p *sankofa.Profile, ex Explanation, reqTotal int, tie, licensed, onsite, virtual bool) []string {
	var r []string
	switch {
	case reqTotal == 0:
	case len(ex.MissingSkills) == 0:
		r = append(r, fmt.Sprintf("Has all %d required skills: %s", reqTotal, strings.Join(ex.MatchedSkills, ", ")))
	case len(ex.MatchedSkills) > 0:
		r = append(r, fmt.Sprintf("Has %d of %d required skills: %s", len(ex.MatchedSkills), reqTotal, strings.Join(ex.MatchedSkills, ", ")))
	}
	if len(ex.MissingSkills) > 0 {
		r = append(r, "Missing: "+strings.Join(ex.MissingSkills, ", "))
	}
	if p.Profession == a.Profession {
		r = append(r, "Profession matches ("+sankofa.Occupations[p.Profession]+")")
	} else {
		r = append(r, "Can fill this role as "+sankofa.Occupations[p.Profession])
	}
	for _, l := range ex.Languages {
		r = append(r, fmt.Sprintf("Speaks %s at %s (%s required)", l.Code, l.Level, l.Required))
	}
	if onsite {
		r = append(r, fmt.Sprintf("Available on site %d of %d days of the window", ex.AvailabilityOverlapDays, windowDays(a)))
	}
	if virtual {
		r = append(r, fmt.Sprintf("Offers %d h a week remotely (%d needed); working days overlap %.0f h", p.VirtualHoursPerWeek, a.VirtualHoursPerWeek, ex.TimezoneOverlapHours))
	}
	r = append(r, fmt.Sprintf("%d years of experience", p.YearsExperience))
	if tie {
		r = append(r, "Originally from "+a.Country+": a diaspora tie")
	}
	if licensed {
		r = append(r, "Holds a current licence to practise")
	}
	return r
}
