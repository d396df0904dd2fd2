package sankofa

import (
	"fmt"
	"strings"
	"time"
)

// Missions and their reports (the best-practice exchange). When an
// accepted offer's end date has passed, its two sides each evaluate the
// mission within EvaluationDays, and the worker (with the ministry, when
// they co-author it) writes a report within ReportDays. A report is
// published only once both sides consent; either side may withdraw its
// consent until then, and a published report can no longer be edited or
// withdrawn (its author may still erase their account, which strips its
// texts and name and keeps its facts).

// Side names one of an offer's two parties.
type Side string

// The two sides of a mission.
const (
	SideWorker   Side = "worker"
	SideMinistry Side = "ministry"
)

// The windows after a mission's end date, in days.
const (
	EvaluationDays = 7
	ReportDays     = 30
)

// The conflicts of a mission's evaluation and report, each a stable code
// (409) that says what to do.
const (
	MissionNotAccepted     = "mission_not_accepted"
	MissionNotEnded        = "mission_not_ended"
	EvaluationClosed       = "evaluation_closed"
	AlreadyEvaluated       = "already_evaluated"
	ReportClosed           = "report_closed"
	ReportExists           = "report_exists"
	ReportAlreadyPublished = "report_published"
)

// MissionError is a conflict of the mission's timing or state, with one of
// the codes above; the API answers it with 409 and that code.
type MissionError struct {
	Code    string
	Message string
}

// Error implements error.
func (e *MissionError) Error() string { return e.Code + ": " + e.Message }

// SideOf returns which side of offer o account accountID is, or "".
func SideOf(o *Offer, accountID string) Side {
	switch accountID {
	case "":
		return ""
	case o.ProfessionalID:
		return SideWorker
	case o.MinistryID:
		return SideMinistry
	}
	return ""
}

// MissionOpen checks that offer o was accepted and that today lies after
// its end date and at most days after it; the error is a *MissionError,
// closed naming the code of a window that has passed.
func MissionOpen(o *Offer, today Date, days int, closed string) error {
	if o.Status != OfferAccepted {
		return &MissionError{Code: MissionNotAccepted, Message: fmt.Sprintf("only an accepted offer's mission is evaluated and reported; this offer is %s", o.Status)}
	}
	end, ok := o.Terms.End.Time()
	now, ok2 := today.Time()
	if !ok || !ok2 {
		return &MissionError{Code: MissionNotEnded, Message: "the mission has no end date"}
	}
	if !now.After(end) {
		return &MissionError{Code: MissionNotEnded, Message: fmt.Sprintf("the mission ends on %s; come back after that day", o.Terms.End)}
	}
	if due := end.AddDate(0, 0, days); now.After(due) {
		return &MissionError{Code: closed, Message: fmt.Sprintf("this was open for %d days after the mission's end, until %s", days, DateOf(due))}
	}
	return nil
}

// DueDate returns the last day of a window of days after offer o's end.
func DueDate(o *Offer, days int) Date {
	end, ok := o.Terms.End.Time()
	if !ok {
		return ""
	}
	return DateOf(end.AddDate(0, 0, days))
}

// EvaluationInput is one side's evaluation of a mission: three ratings from
// 1 (poor) to 5 (excellent) and a comment.
type EvaluationInput struct {
	ObjectivesMet int    `json:"objectives_met" bson:"objectives_met"`
	Preparation   int    `json:"preparation" bson:"preparation"`
	Support       int    `json:"support" bson:"support"`
	Comment       string `json:"comment" bson:"comment"`
}

// Validate checks the ratings and bounds the comment; it returns an
// invalid *Error.
func (in *EvaluationInput) Validate() error {
	var p Problems
	for _, r := range []struct {
		field string
		v     int
	}{{"objectives_met", in.ObjectivesMet}, {"preparation", in.Preparation}, {"support", in.Support}} {
		if r.v < 1 || r.v > 5 {
			p.Add(r.field, "must be a rating from 1 to 5")
		}
	}
	checkText(&p, "comment", in.Comment, 0, 4000)
	return p.Err()
}

// Evaluation is one side's evaluation of a mission; it is seen by its side
// only, and kept once given.
type Evaluation struct {
	OfferID         string `json:"offer_id" bson:"offer_id"`
	Side            Side   `json:"side" bson:"side"`
	AuthorID        string `json:"-" bson:"author_id"`
	EvaluationInput `bson:",inline"`
	CreatedAt       time.Time `json:"created_at" bson:"created_at"`
}

// ReportOutcomes are what a mission achieved, as numbers the observatory
// adds up, and in words.
type ReportOutcomes struct {
	PeopleTrained       int `json:"people_trained" bson:"people_trained"`
	ProceduresPerformed int `json:"procedures_performed" bson:"procedures_performed"`
	// ProtocolsWritten counts protocols, guidelines and curricula written.
	ProtocolsWritten int    `json:"protocols_written" bson:"protocols_written"`
	Results          string `json:"results" bson:"results"`
}

// ReportInput is what a report's authors write.
type ReportInput struct {
	Objectives      string         `json:"objectives" bson:"objectives"`
	Activities      string         `json:"activities" bson:"activities"`
	Outcomes        ReportOutcomes `json:"outcomes" bson:"outcomes"`
	LessonsLearned  string         `json:"lessons_learned" bson:"lessons_learned"`
	Recommendations string         `json:"recommendations" bson:"recommendations"`
	// Language is the ISO 639-1 code of the language it is written in.
	Language string `json:"language" bson:"language"`
	// Tags are taxonomy concept ids; wordings sent are mapped to them.
	Tags []string `json:"tags" bson:"tags"`
	// Anonymous shows the worker only by profession and origin, and the
	// host only by country.
	Anonymous bool `json:"anonymous" bson:"anonymous"`
	// CoAuthored lets the ministry edit the report too.
	CoAuthored bool `json:"co_authored" bson:"co_authored"`
}

// MaxReportTags bounds a report's tags.
const MaxReportTags = 20

// maxCount bounds an outcome count.
const maxCount = 1_000_000

// Validate checks a report's fields; it returns an invalid *Error. Tags
// are checked for form here, and against the taxonomy by the caller.
func (in *ReportInput) Validate() error {
	var p Problems
	checkText(&p, "objectives", in.Objectives, 1, 4000)
	checkText(&p, "activities", in.Activities, 1, 8000)
	checkText(&p, "outcomes.results", in.Outcomes.Results, 0, 8000)
	checkText(&p, "lessons_learned", in.LessonsLearned, 1, 8000)
	checkText(&p, "recommendations", in.Recommendations, 0, 8000)
	for _, c := range []struct {
		field string
		v     int
	}{{"outcomes.people_trained", in.Outcomes.PeopleTrained}, {"outcomes.procedures_performed", in.Outcomes.ProceduresPerformed},
		{"outcomes.protocols_written", in.Outcomes.ProtocolsWritten}} {
		if c.v < 0 || c.v > maxCount {
			p.Add(c.field, "must be a whole number from 0 to %d", maxCount)
		}
	}
	if !ValidLanguage(in.Language) {
		p.Add("language", "must be an ISO 639-1 code such as en, fr or pt")
	}
	if len(in.Tags) > MaxReportTags {
		p.Add("tags", "at most %d tags", MaxReportTags)
	} else {
		for i, t := range in.Tags {
			checkText(&p, fmt.Sprintf("tags[%d]", i), t, 1, 100)
		}
	}
	return p.Err()
}

// ReportPatch is a JSON merge patch of a report: absent fields stay.
type ReportPatch struct {
	Objectives      *string             `json:"objectives"`
	Activities      *string             `json:"activities"`
	Outcomes        *ReportOutcomePatch `json:"outcomes"`
	LessonsLearned  *string             `json:"lessons_learned"`
	Recommendations *string             `json:"recommendations"`
	Language        *string             `json:"language"`
	Tags            *[]string           `json:"tags"`
	Anonymous       *bool               `json:"anonymous"`
	CoAuthored      *bool               `json:"co_authored"`
}

// ReportOutcomePatch patches a report's outcomes.
type ReportOutcomePatch struct {
	PeopleTrained       *int    `json:"people_trained"`
	ProceduresPerformed *int    `json:"procedures_performed"`
	ProtocolsWritten    *int    `json:"protocols_written"`
	Results             *string `json:"results"`
}

// Apply returns in with the patch applied.
func (pt *ReportPatch) Apply(in ReportInput) ReportInput {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&in.Objectives, pt.Objectives)
	set(&in.Activities, pt.Activities)
	set(&in.LessonsLearned, pt.LessonsLearned)
	set(&in.Recommendations, pt.Recommendations)
	set(&in.Language, pt.Language)
	if pt.Tags != nil {
		in.Tags = *pt.Tags
	}
	if pt.Anonymous != nil {
		in.Anonymous = *pt.Anonymous
	}
	if pt.CoAuthored != nil {
		in.CoAuthored = *pt.CoAuthored
	}
	if o := pt.Outcomes; o != nil {
		for _, n := range []struct {
			dst *int
			v   *int
		}{{&in.Outcomes.PeopleTrained, o.PeopleTrained}, {&in.Outcomes.ProceduresPerformed, o.ProceduresPerformed},
			{&in.Outcomes.ProtocolsWritten, o.ProtocolsWritten}} {
			if n.v != nil {
				*n.dst = *n.v
			}
		}
		set(&in.Outcomes.Results, o.Results)
	}
	return in
}

// ReportStatus is draft until both sides consent, then published.
type ReportStatus string

// A report's statuses.
const (
	ReportDraft     ReportStatus = "draft"
	ReportPublished ReportStatus = "published"
)

// ReportMission describes the mission a report is about, copied from the
// offer, the assignment and the worker's profile when it is written.
type ReportMission struct {
	Title         string `json:"title" bson:"title"`
	Country       string `json:"country" bson:"country"`
	Mode          Mode   `json:"mode" bson:"mode"`
	Start         Date   `json:"start" bson:"start"`
	End           Date   `json:"end" bson:"end"`
	Profession    string `json:"profession" bson:"profession"`
	OriginCountry string `json:"origin_country" bson:"origin_country"`
}

// Year is the year the mission ended.
func (m ReportMission) Year() int {
	t, ok := m.End.Time()
	if !ok {
		return 0
	}
	return t.Year()
}

// ReportConsent records when each side consented to publication.
type ReportConsent struct {
	Worker   *time.Time `json:"worker" bson:"worker,omitempty"`
	Ministry *time.Time `json:"ministry" bson:"ministry,omitempty"`
}

// Of returns the consent of side s.
func (c *ReportConsent) Of(s Side) **time.Time {
	if s == SideWorker {
		return &c.Worker
	}
	return &c.Ministry
}

// Report is a mission's report. Its id follows from the offer's, so an
// offer has at most one.
type Report struct {
	ID             string `json:"id" bson:"_id"`
	OfferID        string `json:"offer_id" bson:"offer_id"`
	AssignmentID   string `json:"assignment_id" bson:"assignment_id"`
	ProfileID      string `json:"-" bson:"profile_id"`
	ProfessionalID string `json:"-" bson:"professional_id"`
	MinistryID     string `json:"-" bson:"ministry_id"`
	ReportInput    `bson:",inline"`
	Mission        ReportMission `json:"mission" bson:"mission"`
	// WorkerName and HostName are the authors' names when it was written.
	WorkerName  string        `json:"worker_name,omitempty" bson:"worker_name,omitempty"`
	HostName    string        `json:"host_name,omitempty" bson:"host_name,omitempty"`
	Consent     ReportConsent `json:"consent" bson:"consent"`
	Status      ReportStatus  `json:"status" bson:"status"`
	PublishedAt *time.Time    `json:"published_at,omitempty" bson:"published_at,omitempty"`
	// AuthorErased: the worker erased their account; the texts and the
	// name are gone and the facts stay.
	AuthorErased bool      `json:"author_erased,omitempty" bson:"author_erased,omitempty"`
	Version      int64     `json:"version" bson:"version"`
	CreatedAt    time.Time `json:"created_at" bson:"created_at"`
	UpdatedAt    time.Time `json:"updated_at" bson:"updated_at"`
}

// ReportIDFor returns the id of offer offerID's report.
func ReportIDFor(offerID string) string { return "rep_" + strings.TrimPrefix(offerID, "of_") }

// Authors reports whether account id may edit r: its worker, and its
// ministry when the report is co-authored.
func (r *Report) Authors(id string) bool {
	return id != "" && (id == r.ProfessionalID || (r.CoAuthored && id == r.MinistryID))
}

// Texts returns the report's free texts, in a fixed order.
func (r *Report) Texts() []string {
	return []string{r.Objectives, r.Activities, r.Outcomes.Results, r.LessonsLearned, r.Recommendations}
}

// ReportQuery is a search of published reports.
type ReportQuery struct {
	Q          string
	Country    string
	Profession string
	Language   string
	Cursor     string
	Limit      int
}

// Validate checks the query's filters; it returns an invalid *Error.
func (q *ReportQuery) Validate() error {
	var p Problems
	checkText(&p, "q", q.Q, 0, 200)
	if q.Country != "" && !ValidCountry(q.Country) {
		p.Add("country", "must be an ISO 3166-1 alpha-2 code such as GH")
	}
	if _, ok := Occupations[q.Profession]; q.Profession != "" && !ok {
		p.Add("profession", "must be an ISCO-08 code this server knows, such as 2221")
	}
	if q.Language != "" && !ValidLanguage(q.Language) {
		p.Add("lang", "must be an ISO 639-1 code such as en, fr or pt")
	}
	return p.Err()
}

// ReportHits are a page of a report search, best first.
type ReportHits struct {
	IDs        []string
	Total      uint64
	NextCursor string
}

// MissionOutcome is one published report's figures, for the observatory.
type MissionOutcome struct {
	Country             string
	Profession          string
	Language            string
	Year                int
	PeopleTrained       int
	ProceduresPerformed int
	ProtocolsWritten    int
}

// Notification kinds of missions: both sides are asked to evaluate once
// the end date passed; the worker is reminded that the report is due.
const (
	NoteMissionEvaluate  = "mission.evaluate"
	NoteMissionReportDue = "mission.report_due"
)
