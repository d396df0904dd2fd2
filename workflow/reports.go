package workflow

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"sankofa"
	"sankofa/matcher"
)

// ReportStore keeps missions' evaluations, reports and reminders.
type ReportStore interface {
	AddEvaluation(ctx context.Context, e *sankofa.Evaluation) error
	Evaluation(ctx context.Context, offerID string, side sankofa.Side) (*sankofa.Evaluation, error)
	CreateReport(ctx context.Context, r *sankofa.Report) error
	Report(ctx context.Context, id string) (*sankofa.Report, error)
	UpdateReport(ctx context.Context, r *sankofa.Report) error
	Reminded(ctx context.Context, offerID, kind string) (bool, error)
	MarkReminded(ctx context.Context, offerID, kind string) error
}

// ReportIndex is the search index of published reports.
type ReportIndex interface {
	Put(r *sankofa.Report) error
	Remove(id string) error
}

// MissionDeps are what Missions runs on.
type MissionDeps struct {
	Offers      OfferStore
	Reports     ReportStore
	Accounts    AccountReader
	Profiles    ProfileStore
	Assignments AssignmentStore
	// OfferIndex lists accepted offers for the reminders.
	OfferIndex  Index
	ReportIndex ReportIndex
	Events      Publisher
	Matcher     *matcher.Matcher
	Logger      *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Missions runs what follows an accepted offer's end: both sides'
// evaluations, the report, its publication, and the reminders.
type Missions struct {
	d   MissionDeps
	now func() time.Time
	log *slog.Logger
	// ends caches accepted offers' end dates (terms never change once
	// accepted), and done the offers whose reminders are all behind them,
	// so that a sweep reads only what it must.
	mu   sync.Mutex
	ends map[string]sankofa.Date
	done map[string]bool
}

// NewMissions builds the mission operations over their adapters.
func NewMissions(d MissionDeps) *Missions {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Missions{d: d, now: d.Now, log: d.Logger, ends: map[string]sankofa.Date{}, done: map[string]bool{}}
}

// Today is the current day, by the missions' clock.
func (m *Missions) Today() sankofa.Date { return sankofa.DateOf(m.now()) }

// side returns actor's side of o; anyone else gets not_found, as if the
// offer did not exist.
func side(o *sankofa.Offer, actor string) (sankofa.Side, error) {
	s := sankofa.SideOf(o, actor)
	if s == "" {
		return "", sankofa.Errorf(sankofa.NotFound, "offer not found")
	}
	return s, nil
}

// EvaluationState is what one side sees of a mission's evaluations.
type EvaluationState struct {
	Side sankofa.Side `json:"side"`
	// Mine is this side's evaluation, or null.
	Mine *sankofa.Evaluation `json:"mine"`
	// OtherSubmitted says whether the other side has evaluated; what it
	// said is its own.
	OtherSubmitted bool         `json:"other_side_submitted"`
	Due            sankofa.Date `json:"due"`
	// Open says whether this side may evaluate now.
	Open bool `json:"open"`
	// Reason is why it may not, a code of sankofa.MissionError.
	Reason string `json:"reason,omitempty"`
}

// Evaluation returns what actor's side sees of offer o's evaluations; it
// returns not_found for anyone but the offer's two sides.
func (m *Missions) Evaluation(ctx context.Context, o *sankofa.Offer, actor string) (*EvaluationState, error) {
	s, err := side(o, actor)
	if err != nil {
		return nil, err
	}
	st := &EvaluationState{Side: s, Due: sankofa.DueDate(o, sankofa.EvaluationDays)}
	other := sankofa.SideWorker
	if s == sankofa.SideWorker {
		other = sankofa.SideMinistry
	}
	mine, err := m.d.Reports.Evaluation(ctx, o.ID, s)
	switch {
	case err == nil:
		st.Mine = mine
	case !sankofa.IsCode(err, sankofa.NotFound):
		return nil, err
	}
	if _, err := m.d.Reports.Evaluation(ctx, o.ID, other); err == nil {
		st.OtherSubmitted = true
	} else if !sankofa.IsCode(err, sankofa.NotFound) {
		return nil, err
	}
	if st.Mine != nil {
		st.Reason = sankofa.AlreadyEvaluated
	} else if err := sankofa.MissionOpen(o, m.Today(), sankofa.EvaluationDays, sankofa.EvaluationClosed); err != nil {
		st.Reason = err.(*sankofa.MissionError).Code
	} else {
		st.Open = true
	}
	return st, nil
}

// Evaluate records actor's side's evaluation of offer o's mission. It
// returns not_found for anyone but the two sides, invalid for bad
// ratings, and a *sankofa.MissionError when the mission has not ended,
// the window is closed or the side evaluated already.
func (m *Missions) Evaluate(ctx context.Context, o *sankofa.Offer, actor string, in sankofa.EvaluationInput) (*sankofa.Evaluation, error) {
	s, err := side(o, actor)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := sankofa.MissionOpen(o, m.Today(), sankofa.EvaluationDays, sankofa.EvaluationClosed); err != nil {
		return nil, err
	}
	in.Comment = strings.TrimSpace(in.Comment)
	e := &sankofa.Evaluation{OfferID: o.ID, Side: s, AuthorID: actor, EvaluationInput: in, CreatedAt: m.now().UTC()}
	if err := m.d.Reports.AddEvaluation(ctx, e); err != nil {
		return nil, err
	}
	return e, nil
}

// Report returns offer o's report to its two sides; not_found for anyone
// else or when there is none.
func (m *Missions) Report(ctx context.Context, o *sankofa.Offer, actor string) (*sankofa.Report, error) {
	if _, err := side(o, actor); err != nil {
		return nil, err
	}
	return m.d.Reports.Report(ctx, sankofa.ReportIDFor(o.ID))
}

// Tags maps a report's tags to taxonomy concept ids: a concept id stays,
// a wording becomes the concepts it names, and one that names none is a
// field error.
func (m *Missions) Tags(tags []string) ([]string, error) {
	tax := m.d.Matcher.Taxonomy()
	out := []string{}
	var p sankofa.Problems
	for i, t := range tags {
		t = strings.TrimSpace(t)
		var ids []string
		if _, ok := tax.Concept(t); ok {
			ids = []string{t}
		} else {
			ids, _ = tax.Extract([]string{t})
		}
		if len(ids) == 0 {
			p.Add("tags["+strconv.Itoa(i)+"]", "names nothing in the taxonomy; pick one of the suggestions")
		}
		for _, id := range ids {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if len(out) > sankofa.MaxReportTags {
		out = out[:sankofa.MaxReportTags]
	}
	return out, nil
}

// prepare validates in and maps its tags.
func (m *Missions) prepare(in *sankofa.ReportInput) error {
	if in.Tags == nil {
		in.Tags = []string{}
	}
	if err := in.Validate(); err != nil {
		return err
	}
	tags, err := m.Tags(in.Tags)
	if err != nil {
		return err
	}
	in.Tags = tags
	return nil
}

// CreateReport stores the worker's report on offer o's mission. It returns
// not_found for anyone but the two sides, forbidden for the ministry,
// invalid for bad fields, and a *sankofa.MissionError when the mission has
// not ended, the 30 days are over or a report exists.
func (m *Missions) CreateReport(ctx context.Context, o *sankofa.Offer, actor string, in sankofa.ReportInput) (*sankofa.Report, error) {
	s, err := side(o, actor)
	if err != nil {
		return nil, err
	}
	if s != sankofa.SideWorker {
		return nil, sankofa.Errorf(sankofa.Forbidden, "the worker writes the report; once they make it co-authored, the ministry may edit it")
	}
	if err := m.prepare(&in); err != nil {
		return nil, err
	}
	if err := sankofa.MissionOpen(o, m.Today(), sankofa.ReportDays, sankofa.ReportClosed); err != nil {
		return nil, err
	}
	now := m.now().UTC()
	r := &sankofa.Report{ID: sankofa.ReportIDFor(o.ID), OfferID: o.ID, AssignmentID: o.AssignmentID, ProfileID: o.ProfileID,
		ProfessionalID: o.ProfessionalID, MinistryID: o.MinistryID, ReportInput: in, Status: sankofa.ReportDraft,
		Version: 1, CreatedAt: now, UpdatedAt: now}
	r.Mission = sankofa.ReportMission{Title: o.Terms.Title, Mode: o.Terms.Mode, Start: o.Terms.Start, End: o.Terms.End}
	if a, err := m.d.Assignments.Assignment(ctx, o.AssignmentID); err == nil {
		r.Mission.Country = a.Country
		if r.Mission.Title == "" {
			r.Mission.Title = a.Title
		}
		r.Mission.Profession = a.Profession
	} else if !sankofa.IsCode(err, sankofa.NotFound) {
		return nil, err
	}
	if p, err := m.d.Profiles.Profile(ctx, o.ProfileID); err == nil {
		r.Mission.Profession, r.Mission.OriginCountry, r.WorkerName = p.Profession, p.OriginCountry, p.FullName
	} else if !sankofa.IsCode(err, sankofa.NotFound) {
		return nil, err
	}
	if acc, err := m.d.Accounts.Account(ctx, o.MinistryID); err == nil {
		r.HostName = acc.Organization
		if r.HostName == "" {
			r.HostName = acc.Name
		}
	} else if !sankofa.IsCode(err, sankofa.NotFound) {
		return nil, err
	}
	if err := m.d.Reports.CreateReport(ctx, r); err != nil {
		return nil, err
	}
	m.changed(ctx, r, "created", actor)
	return r, nil
}

// EditReport changes offer o's report while it is unpublished: check
// (If-Match) sees the stored report first, then edit returns the new
// input. It returns not_found for anyone but the two sides or when there
// is no report, forbidden for a ministry that is not a co-author, invalid
// for bad fields or a ministry's change of anonymous or co_authored, and
// a *sankofa.MissionError once published or after the 30 days. The other
// side's consent is withdrawn: it consented to another text.
func (m *Missions) EditReport(ctx context.Context, o *sankofa.Offer, actor string, check func(*sankofa.Report) error,
	edit func(sankofa.ReportInput) (sankofa.ReportInput, error)) (*sankofa.Report, error) {
	s, err := side(o, actor)
	if err != nil {
		return nil, err
	}
	var out *sankofa.Report
	var refused error // the caller's precondition, which no retry changes
	err = retryStale(func() error {
		r, err := m.d.Reports.Report(ctx, sankofa.ReportIDFor(o.ID))
		if err != nil {
			return err
		}
		if refused = check(r); refused != nil {
			return nil
		}
		if !r.Authors(actor) {
			return sankofa.Errorf(sankofa.Forbidden, "only the report's authors edit it; the worker may make it co-authored")
		}
		if r.Status == sankofa.ReportPublished {
			return &sankofa.MissionError{Code: sankofa.ReportAlreadyPublished, Message: "the report is published and can no longer be edited"}
		}
		in, err := edit(r.ReportInput)
		if err != nil {
			return err
		}
		if s == sankofa.SideMinistry {
			var p sankofa.Problems
			if in.Anonymous != r.Anonymous {
				p.Add("anonymous", "only the worker chooses how they are shown")
			}
			if in.CoAuthored != r.CoAuthored {
				p.Add("co_authored", "only the worker chooses their co-author")
			}
			if err := p.Err(); err != nil {
				return err
			}
		}
		if err := m.prepare(&in); err != nil {
			return err
		}
		if err := sankofa.MissionOpen(o, m.Today(), sankofa.ReportDays, sankofa.ReportClosed); err != nil {
			return err
		}
		n := *r
		n.ReportInput = in
		other := sankofa.SideMinistry
		if s == sankofa.SideMinistry {
			other = sankofa.SideWorker
		}
		*n.Consent.Of(other) = nil
		n.Version++
		n.UpdatedAt = m.now().UTC()
		if err := m.d.Reports.UpdateReport(ctx, &n); err != nil {
			return err
		}
		out = &n
		return nil
	})
	if err == nil {
		err = refused
	}
	if err != nil {
		return nil, err
	}
	m.changed(ctx, out, "updated", actor)
	return out, nil
}

// Consent records (give) or withdraws actor's side's consent to publish
// offer o's report; once both sides consent it is published. It returns
// not_found for anyone but the two sides or when there is no report, and
// a *sankofa.MissionError for a withdrawal once published. Either side may
// withdraw its consent until the report is published.
func (m *Missions) Consent(ctx context.Context, o *sankofa.Offer, actor string, give bool) (*sankofa.Report, error) {
	s, err := side(o, actor)
	if err != nil {
		return nil, err
	}
	var out *sankofa.Report
	changed := false
	err = retryStale(func() error {
		r, err := m.d.Reports.Report(ctx, sankofa.ReportIDFor(o.ID))
		if err != nil {
			return err
		}
		out, changed = r, false
		if r.Status == sankofa.ReportPublished {
			if give {
				return nil
			}
			return &sankofa.MissionError{Code: sankofa.ReportAlreadyPublished, Message: "the report is published; consent can be withdrawn only before"}
		}
		n := *r
		now := m.now().UTC()
		c := n.Consent.Of(s)
		switch {
		case give && *c == nil:
			*c = &now
		case !give && *c != nil:
			*c = nil
		default:
			return nil
		}
		if n.Consent.Worker != nil && n.Consent.Ministry != nil {
			n.Status, n.PublishedAt = sankofa.ReportPublished, &now
		}
		n.Version++
		n.UpdatedAt = now
		if err := m.d.Reports.UpdateReport(ctx, &n); err != nil {
			return err
		}
		out, changed = &n, true
		return nil
	})
	if err != nil {
		return nil, err
	}
	if changed {
		action := "consent"
		if out.Status == sankofa.ReportPublished {
			action = "published"
		}
		m.changed(ctx, out, action, actor)
	}
	return out, nil
}

// reportEvent is what a report's event carries: the report, with the
// worker's account id, so that their erasure finds it among the events.
type reportEvent struct {
	*sankofa.Report
	ProfessionalID string `json:"professional_id"`
	MinistryID     string `json:"ministry_id"`
}

// changed indexes a report this process wrote (the writer reads its own
// write) and publishes it for the other replicas' indexes. A failed
// publish is logged: the store holds the report, and every start
// rebuilds the index from it.
func (m *Missions) changed(ctx context.Context, r *sankofa.Report, action, actor string) {
	if err := m.d.ReportIndex.Put(r); err != nil {
		m.log.WarnContext(ctx, "index report", "report", r.ID, "err", err)
	}
	ev, err := sankofa.NewEvent("report", action, r.ID, r.Version, actor, m.now(), reportEvent{r, r.ProfessionalID, r.MinistryID})
	if err == nil {
		err = m.d.Events.Publish(context.WithoutCancel(ctx), ev)
	}
	if err != nil {
		m.log.WarnContext(ctx, "publish report event", "report", r.ID, "err", err)
	}
}

// ApplyEvent brings the report index up to date with a report event from
// any replica; other events are ignored.
func (m *Missions) ApplyEvent(ev sankofa.Event) error {
	kind, action, _ := strings.Cut(strings.TrimPrefix(ev.Subject, "sankofa."), ".")
	if kind != "report" {
		return nil
	}
	if action == "deleted" {
		return m.d.ReportIndex.Remove(ev.EntityID)
	}
	var r sankofa.Report
	if err := json.Unmarshal(ev.Data, &r); err != nil {
		return nil // not ours to fix: a report event is always a report
	}
	return m.d.ReportIndex.Put(&r)
}

// Reminder kinds, and the events that carry them ("sankofa.mission.<kind>").
const (
	// RemindEvaluate asks both sides for an evaluation once the end passed.
	RemindEvaluate = "ended"
	// RemindReport reminds the worker a week before the report is due.
	RemindReport = "report_due"
)

// reportReminderDays: the report reminder comes this many days before the
// report's window closes.
const reportReminderDays = 7

// Remind sends, once per accepted offer, the request to evaluate when its
// end date has passed (within the evaluation window), and the reminder
// to write the report a week before it is due, unless it is published.
// Each goes out as a "sankofa.mission.<kind>" event, which the notifier
// turns into notifications in each person's language (keyed by the
// offer, so one each). It returns how many it sent.
func (m *Missions) Remind(ctx context.Context) (int, error) {
	today, _ := m.Today().Time()
	sent := 0
	cursor := ""
	for {
		page, err := m.d.OfferIndex.Offers(ctx, sankofa.OfferFilter{Status: sankofa.OfferAccepted, Cursor: cursor, Limit: sankofa.MaxPageSize})
		if err != nil {
			return sent, err
		}
		for _, id := range page.IDs {
			n, err := m.remindOne(ctx, id, today)
			sent += n
			if err != nil && !sankofa.IsCode(err, sankofa.NotFound) {
				return sent, err
			}
		}
		if page.NextCursor == "" {
			return sent, nil
		}
		cursor = page.NextCursor
	}
}

func (m *Missions) remindOne(ctx context.Context, id string, today time.Time) (int, error) {
	m.mu.Lock()
	done, end := m.done[id], m.ends[id]
	known := end != ""
	m.mu.Unlock()
	if done {
		return 0, nil
	}
	var o *sankofa.Offer
	if !known {
		var err error
		if o, err = m.d.Offers.Offer(ctx, id); err != nil {
			return 0, err
		}
		if o.Status != sankofa.OfferAccepted || o.Erased {
			return 0, nil
		}
		end = o.Terms.End
		m.mu.Lock()
		m.ends[id] = end
		m.mu.Unlock()
	}
	endT, ok := end.Time()
	if !ok || !today.After(endT) {
		return 0, nil
	}
	days := int(today.Sub(endT).Hours() / 24)
	var due []string
	if days <= sankofa.EvaluationDays {
		due = append(due, RemindEvaluate)
	}
	if days >= sankofa.ReportDays-reportReminderDays && days <= sankofa.ReportDays {
		due = append(due, RemindReport)
	}
	if days > sankofa.ReportDays {
		m.markDone(id)
		return 0, nil
	}
	sent := 0
	for _, kind := range due {
		if ok, err := m.d.Reports.Reminded(ctx, id, kind); err != nil || ok {
			if err == nil && kind == RemindReport {
				m.markDone(id)
			}
			if err != nil {
				return sent, err
			}
			continue
		}
		if o == nil {
			var err error
			if o, err = m.d.Offers.Offer(ctx, id); err != nil {
				return sent, err
			}
		}
		if o.Erased || o.Status != sankofa.OfferAccepted {
			m.markDone(id)
			return sent, nil
		}
		if kind == RemindReport {
			r, err := m.d.Reports.Report(ctx, sankofa.ReportIDFor(id))
			if err != nil && !sankofa.IsCode(err, sankofa.NotFound) {
				return sent, err
			}
			if r != nil && r.Status == sankofa.ReportPublished {
				m.markDone(id)
				continue
			}
		}
		ev, err := sankofa.NewEvent("mission", kind, id, o.Version, "", m.now(), o)
		if err != nil {
			return sent, err
		}
		ev.ID = id + ":" + kind
		if err := m.d.Events.Publish(ctx, ev); err != nil {
			return sent, err
		}
		if err := m.d.Reports.MarkReminded(ctx, id, kind); err != nil {
			return sent, err
		}
		sent++
		if kind == RemindReport {
			m.markDone(id)
		}
	}
	return sent, nil
}

func (m *Missions) markDone(id string) {
	m.mu.Lock()
	m.done[id] = true
	delete(m.ends, id)
	m.mu.Unlock()
}
