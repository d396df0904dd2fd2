package sankofa

import (
	"fmt"
	"slices"
	"time"
)

// AssignmentStatus is a step in an assignment's life cycle.
type AssignmentStatus string

// The life cycle is draft → open → filled | closed | cancelled.
const (
	AssignmentDraft     AssignmentStatus = "draft"
	AssignmentOpen      AssignmentStatus = "open"
	AssignmentFilled    AssignmentStatus = "filled"
	AssignmentClosed    AssignmentStatus = "closed"
	AssignmentCancelled AssignmentStatus = "cancelled"
)

// Location says where on-site work happens.
type Location struct {
	Region   string `json:"region,omitempty" bson:"region,omitempty"`
	Facility string `json:"facility,omitempty" bson:"facility,omitempty"`
}

// AssignmentInput is the part of an assignment the ministry writes.
type AssignmentInput struct {
	Title       string `json:"title" bson:"title"`
	Description string `json:"description" bson:"description"`
	Profession  string `json:"profession" bson:"profession"`
	// AcceptedProfessions are the ISCO-08 codes whose holders may fill the
	// post: the ministry's call. Left out, it is DefaultAcceptedProfessions.
	AcceptedProfessions []string   `json:"accepted_professions,omitzero" bson:"accepted_professions,omitempty"`
	Specialties         []string   `json:"specialties,omitzero" bson:"specialties"`
	RequiredSkills      []string   `json:"required_skills,omitzero" bson:"required_skills"`
	PreferredSkills     []string   `json:"preferred_skills,omitzero" bson:"preferred_skills"`
	Languages           []Language `json:"languages,omitzero" bson:"languages"`
	Mode                Mode       `json:"mode" bson:"mode"`
	Location            Location   `json:"location" bson:"location"`
	Start               Date       `json:"start" bson:"start"`
	End                 Date       `json:"end" bson:"end"`
	VirtualHoursPerWeek int        `json:"virtual_hours_per_week" bson:"virtual_hours_per_week"`
	MinYearsExperience  int        `json:"min_years_experience" bson:"min_years_experience"`
	LicenceRequired     bool       `json:"licence_required" bson:"licence_required"`
	// RequiresVerifiedLicence asks for a licence a verifier validated.
	RequiresVerifiedLicence bool `json:"requires_verified_licence" bson:"requires_verified_licence"`
	Positions               int  `json:"positions" bson:"positions"`
}

// Assignment is a need posted by a ministry of health.
type Assignment struct {
	ID              string `json:"id" bson:"_id"`
	MinistryID      string `json:"ministry_id" bson:"ministry_id"`
	Country         string `json:"country" bson:"country"`
	Organization    string `json:"organization" bson:"organization"`
	AssignmentInput `bson:",inline"`
	Status          AssignmentStatus `json:"status" bson:"status"`
	// Filled counts accepted offers, which are listed in AcceptedOffers.
	Filled         int      `json:"filled" bson:"filled"`
	AcceptedOffers []string `json:"-" bson:"accepted_offers"`
	// Interested are workers who asked for the assignment.
	Interested    []Interest `json:"-" bson:"interested"`
	InterestCount int        `json:"interest_count" bson:"interest_count"`
	Version       int64      `json:"version" bson:"version"`
	CreatedAt     time.Time  `json:"created_at" bson:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at" bson:"updated_at"`
}

// NewAssignmentInput returns the input a new assignment's body is decoded
// over: a body without positions asks for one, while an explicit 0 stays 0
// and is refused by Validate.
func NewAssignmentInput() AssignmentInput {
	return AssignmentInput{Positions: 1}
}

// Normalize replaces absent lists with empty ones and an absent (or empty)
// accepted_professions with the default policy for the profession. It
// does not default positions: see NewAssignmentInput.
func (in *AssignmentInput) Normalize() {
	in.DefaultPolicy()
	for _, l := range []*[]string{&in.Specialties, &in.RequiredSkills, &in.PreferredSkills} {
		if *l == nil {
			*l = []string{}
		}
	}
	if in.Languages == nil {
		in.Languages = []Language{}
	}
}

// Validate checks an assignment against the code lists and bounds; today
// is the current day. An assignment under way may have started before
// today (see ValidateNew). It returns an invalid *Error naming each bad
// field.
func (in *AssignmentInput) Validate(today Date) error {
	var p Problems
	in.validate(&p, today)
	return p.Err()
}

// ValidateNew checks an assignment being created or published: as
// Validate, and it must not start before today. It returns an invalid
// *Error naming each bad field.
func (in *AssignmentInput) ValidateNew(today Date) error {
	var p Problems
	in.validate(&p, today)
	if in.Start < today && validDay(in.Start) && validDay(today) {
		p.Add("start", "is in the past; an assignment must start today or later")
	}
	return p.Err()
}

func (in *AssignmentInput) validate(p *Problems, today Date) {
	checkText(p, "title", in.Title, 3, 200)
	checkText(p, "description", in.Description, 0, 10000)
	if _, ok := Occupations[in.Profession]; !ok {
		p.Add("profession", "must be an ISCO-08 health occupation code such as 2222 (midwifery professionals)")
	}
	in.validatePolicy(p)
	checkTerms(p, "specialties", in.Specialties)
	checkTerms(p, "required_skills", in.RequiredSkills)
	checkTerms(p, "preferred_skills", in.PreferredSkills)
	checkLanguages(p, "languages", in.Languages, false)
	switch in.Mode {
	case ModeOnsite, ModeVirtual, ModeHybrid:
	default:
		p.Add("mode", "must be onsite, virtual or hybrid")
	}
	checkText(p, "location.region", in.Location.Region, 0, 200)
	checkText(p, "location.facility", in.Location.Facility, 0, 200)
	checkWindow(p, "", "start", "end", in.Start, in.End, today)
	if in.VirtualHoursPerWeek < 0 || in.VirtualHoursPerWeek > MaxHoursPerWeek {
		p.Add("virtual_hours_per_week", "must be between 0 and %d", MaxHoursPerWeek)
	} else if in.Mode != ModeOnsite && in.VirtualHoursPerWeek == 0 {
		p.Add("virtual_hours_per_week", "must be at least 1 for %s work", in.Mode)
	}
	if in.MinYearsExperience < 0 || in.MinYearsExperience > MaxYearsExperience {
		p.Add("min_years_experience", "must be between 0 and %d", MaxYearsExperience)
	}
	if in.Positions < 1 || in.Positions > 1000 {
		p.Add("positions", "must be between 1 and 1000")
	}
}

// defaultFillers lists, for a post of an ISCO-08 code, the codes that hold
// the same competence at a higher level and so may fill it unless the
// ministry says otherwise: a specialist for a generalist post, a physician
// for a clinical officer's, the professional for the associate post of the
// same field. A code absent here is filled by its own holders only.
// Sideways substitutions (a midwife for a nurse, a nurse for a community
// health worker, a clinical officer for a doctor) are never a default:
// whether they are allowed depends on the country's regulation and on the
// post, so only the ministry may list them.
var defaultFillers = map[string][]string{
	"2211": {"2212"},
	"2240": {"2211", "2212"},
	"3213": {"2262"},
	"3221": {"2221"},
	"3222": {"2222"},
	"3251": {"2261"},
	"3254": {"2267"},
	"3255": {"2264"},
	"3256": {"2240"},
	"3257": {"2263"},
}

// DefaultAcceptedProfessions returns the policy of a post of occupation
// code when its ministry states none: the code itself first, then the
// codes holding the same competence at a higher level. It returns nil for
// a code that is not a health occupation.
func DefaultAcceptedProfessions(code string) []string {
	if _, ok := Occupations[code]; !ok {
		return nil
	}
	return append([]string{code}, defaultFillers[code]...)
}

// Accepted returns the ISCO-08 codes whose holders may fill the post: the
// ministry's list, or the default for the profession when there is none
// (an assignment stored before the policy existed, for one).
func (in *AssignmentInput) Accepted() []string {
	if len(in.AcceptedProfessions) > 0 {
		return in.AcceptedProfessions
	}
	return DefaultAcceptedProfessions(in.Profession)
}

// Accepts reports whether a worker of occupation code may fill the post.
func (in *AssignmentInput) Accepts(code string) bool {
	return slices.Contains(in.Accepted(), code)
}

// AcceptsByDefault reports whether occupation code would fill the post
// under the default policy; a code accepted but not by default is a
// substitution the ministry chose.
func (in *AssignmentInput) AcceptsByDefault(code string) bool {
	return slices.Contains(DefaultAcceptedProfessions(in.Profession), code)
}

// DefaultPolicy sets accepted_professions to the default for the
// profession when it is absent or empty; it is how assignments stored
// before the policy existed get it.
func (in *AssignmentInput) DefaultPolicy() {
	if len(in.AcceptedProfessions) == 0 {
		if d := DefaultAcceptedProfessions(in.Profession); d != nil {
			in.AcceptedProfessions = d
		}
	}
}

// validatePolicy checks accepted_professions: health occupation codes,
// each once, including the profession itself. Empty means the default.
func (in *AssignmentInput) validatePolicy(p *Problems) {
	list := in.AcceptedProfessions
	if len(list) == 0 {
		return
	}
	if len(list) > len(Occupations) {
		p.Add("accepted_professions", "at most %d codes", len(Occupations))
		return
	}
	for i, c := range list {
		f := fmt.Sprintf("accepted_professions[%d]", i)
		if _, ok := Occupations[c]; !ok {
			p.Add(f, "must be an ISCO-08 health occupation code such as 2222 (midwifery professionals); GET /v1/occupations lists them")
		} else if slices.Index(list, c) < i {
			p.Add(f, "lists %s twice", c)
		}
	}
	if _, ok := Occupations[in.Profession]; ok && !slices.Contains(list, in.Profession) {
		p.Add("accepted_professions", "must include the post's own profession %s; send an empty list for the default policy", in.Profession)
	}
}

// Transition is a named move in the assignment life cycle.
type Transition string

// The transitions a ministry can ask for.
const (
	Publish Transition = "publish"
	Close   Transition = "close"
	Cancel  Transition = "cancel"
)

// Next returns the status that transition t leads to from s, or a conflict
// *Error when the move is illegal.
func (s AssignmentStatus) Next(t Transition) (AssignmentStatus, error) {
	switch {
	case t == Publish && s == AssignmentDraft:
		return AssignmentOpen, nil
	case t == Close && s == AssignmentOpen:
		return AssignmentClosed, nil
	case t == Cancel && (s == AssignmentDraft || s == AssignmentOpen):
		return AssignmentCancelled, nil
	}
	return "", Errorf(Conflict, "cannot %s an assignment that is %s", t, s)
}

// Editable reports whether the assignment's terms may still change.
func (s AssignmentStatus) Editable() bool {
	return s == AssignmentDraft || s == AssignmentOpen
}

// String makes statuses print plainly in messages.
func (s AssignmentStatus) String() string { return string(s) }

var _ fmt.Stringer = AssignmentDraft
