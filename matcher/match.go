package matcher

import (
	"math"
	"slices"
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
	// safe holds the WHO safeguards list, clock the day its agreements
	// are checked against (see UseSafeguards).
	safe  SafeguardSource
	clock func() time.Time
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
	// ConstraintVerifiedLicence: the assignment asks for a licence a
	// verifier validated, current through the assignment's end and not due
	// for review before its start.
	ConstraintVerifiedLicence = "verified_licence"
	ConstraintActive          = "active"
)

// Check returns the hard constraints profile p breaks for assignment a; an
// empty result means p may be matched. active is the account's state.
func (m *Matcher) Check(a *sankofa.Assignment, p *sankofa.Profile, active bool) []string {
	p = Free(a, p)
	var broken []string
	if !a.Accepts(p.Profession) {
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
	if a.RequiresVerifiedLicence && !slices.ContainsFunc(p.Licences, func(l sankofa.Licence) bool { return l.VerifiedThrough(a.Start, a.End) }) {
		broken = append(broken, ConstraintVerifiedLicence)
	}
	if m.Safeguard(a, p).Restricted {
		broken = append(broken, ConstraintSafeguard)
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
	// Substitution is set when the worker fills the post under another
	// occupation than the one posted.
	Substitution *Substitution `json:"substitution,omitempty"`
	// Evidence is false when the worker shares no skill or specialty with
	// those asked for: eligible, and ranked after every worker who does.
	Evidence bool     `json:"evidence"`
	Reasons  []string `json:"reasons"`
	// Licences lists each of the worker's licences with its verification
	// status as of the time of matching.
	Licences []LicenceFit `json:"licences"`
	// Safeguard is set when the worker resides in a country on the WHO
	// safeguards list: whether the list restricts this assignment, and
	// which exception allows it.
	Safeguard *SafeguardFit `json:"safeguard,omitempty"`
}

// LicenceFit is one of a worker's licences as an explanation shows it.
type LicenceFit struct {
	ID           string                     `json:"id,omitempty"`
	Country      string                     `json:"country"`
	Body         string                     `json:"body"`
	Expires      sankofa.Date               `json:"expires"`
	Verification sankofa.VerificationStatus `json:"verification"`
}

func licenceFits(p *sankofa.Profile, today sankofa.Date) []LicenceFit {
	out := make([]LicenceFit, len(p.Licences))
	for i := range p.Licences {
		l := &p.Licences[i]
		out[i] = LicenceFit{ID: l.ID, Country: l.Country, Body: l.Body, Expires: l.Expires, Verification: l.VerificationStatusOf(today)}
	}
	return out
}

// Weights of the soft signals; they sum to 1 so that a score is in [0,1].
var weights = struct {
	required, preferred, specialty, experience, window, timezone, diaspora, credentials, recency float64
}{0.40, 0.12, 0.15, 0.08, 0.08, 0.06, 0.05, 0.03, 0.03}

// EvidenceTier splits scores: a worker with evidence of the competence
// asked for (a skill or specialty the same as, narrower or broader than,
// or related to one asked) scores at least EvidenceTier, a worker without
// below it, so bare eligibility (profession, languages, dates) never
// outranks evidence.
const EvidenceTier = 0.1

// evidenceCredit is the least credit of one asked concept that counts as
// evidence: a related concept (0.6², see closest) or closer, not a
// distant cousin in the taxonomy.
const evidenceCredit = 0.6*0.6 - 1e-9

// Score ranks a worker who passed Check: it returns a score in [0,1] and
// the explanation, whose sentences are in lang (en, fr or pt; any other
// reads as English).
func (m *Matcher) Score(a *sankofa.Assignment, af AssignmentFeatures, p *sankofa.Profile, pf Features, now time.Time, lang string) (float64, Explanation) {
	p = Free(a, p)
	ex := Explanation{MatchedSkills: []string{}, MissingSkills: []string{}, Languages: []LanguageFit{}, Reasons: []string{},
		Licences: licenceFits(p, sankofa.DateOf(now))}
	have := append(slices.Clone(pf.Skills), pf.Specialties...)

	// Required skills, through the taxonomy: a narrower or related skill
	// earns part of the credit.
	reqTotal, reqScore := 0, 0.0
	asked := len(af.Required) + len(af.RequiredTerms) + len(af.Preferred) + len(af.Specialties)
	evidence := asked == 0
	for _, c := range af.Required {
		reqTotal++
		best, via := m.closest(c, have)
		reqScore += best
		evidence = evidence || best >= evidenceCredit
		switch {
		case best == 1:
			ex.MatchedSkills = append(ex.MatchedSkills, m.tax.Label(c, lang))
		case best >= 0.8*0.8:
			ex.MatchedSkills = append(ex.MatchedSkills, say(lang, rThrough, m.tax.Label(c, lang), m.tax.Label(via, lang)))
		default:
			ex.MissingSkills = append(ex.MissingSkills, m.tax.Label(c, lang))
		}
	}
	for _, t := range af.RequiredTerms {
		reqTotal++
		if slices.Contains(pf.Terms, t) {
			reqScore++
			evidence = true
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
			b := m.best(c, have)
			sum += b
			evidence = evidence || b >= evidenceCredit
		}
		preferred = sum / float64(len(af.Preferred))
	}
	specialty := 1.0
	if len(af.Specialties) > 0 {
		sum := 0.0
		for _, c := range af.Specialties {
			b := m.best(c, have)
			sum += b
			evidence = evidence || b >= evidenceCredit
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
	if evidence {
		score = EvidenceTier + (1-EvidenceTier)*score
	} else {
		score = EvidenceTier * score * 0.999
	}
	ex.Evidence = evidence
	if p.Profession != a.Profession {
		ex.Substitution = &Substitution{Profession: p.Profession, Label: m.tax.Label("isco:"+p.Profession, lang), By: SubstitutionMinistry}
		if a.AcceptsByDefault(p.Profession) {
			ex.Substitution.By = SubstitutionDefault
		}
	}

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
	ex.Safeguard = m.safeguardFit(m.safeguardOn(a, p, sankofa.DateOf(now)))
	ex.Reasons = m.reasons(a, p, ex, reqTotal, diaspora == 1, credentials == 1, onsite, virtual, lang)
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

func (m *Matcher) reasons(a *sankofa.Assignment, p *sankofa.Profile, ex Explanation, reqTotal int, tie, licensed, onsite, virtual bool, lang string) []string {
	var r []string
	switch {
	case reqTotal == 0:
	case len(ex.MissingSkills) == 0:
		r = append(r, say(lang, rAllSkills, reqTotal, list(ex.MatchedSkills)))
	case len(ex.MatchedSkills) > 0:
		r = append(r, say(lang, rSomeSkills, len(ex.MatchedSkills), reqTotal, list(ex.MatchedSkills)))
	}
	if len(ex.MissingSkills) > 0 {
		r = append(r, say(lang, rMissing, list(ex.MissingSkills)))
	}
	if !ex.Evidence {
		r = append(r, say(lang, rNoEvidence))
	}
	switch {
	case ex.Substitution == nil:
		r = append(r, say(lang, rProfession, m.tax.Label("isco:"+p.Profession, lang)))
	case ex.Substitution.By == SubstitutionDefault:
		r = append(r, say(lang, rSubstitutionDefault, OccupationAs(p.Profession, lang)))
	default:
		r = append(r, say(lang, rSubstitutionMinistry, OccupationAs(p.Profession, lang)))
	}
	for _, l := range ex.Languages {
		r = append(r, say(lang, rSpeaks, l.Code, l.Level, l.Required))
	}
	if onsite {
		r = append(r, say(lang, rOnsite, ex.AvailabilityOverlapDays, windowDays(a)))
	}
	if virtual {
		r = append(r, say(lang, rRemote, p.VirtualHoursPerWeek, a.VirtualHoursPerWeek, ex.TimezoneOverlapHours))
	}
	r = append(r, say(lang, rExperience, p.YearsExperience))
	if tie {
		r = append(r, say(lang, rDiaspora, a.Country))
	}
	if licensed {
		r = append(r, say(lang, rLicence))
	}
	for _, l := range ex.Licences {
		r = append(r, say(lang, rLicenceState, l.Body, l.Country, verificationWord(l.Verification, lang)))
	}
	if ex.Safeguard != nil {
		r = append(r, safeguardReason(ex.Safeguard.SafeguardDecision, a.Country, lang))
	}
	return r
}
