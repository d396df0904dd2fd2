package search

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"

	"sankofa"
)

// The observatory counts from a compact table kept in memory beside the
// indexes: per active profile a few small-int codes (origin, residence,
// profession, country of training, mode, month of registration,
// languages, countries shared with, virtual hours, on-site windows and
// accepted offers' terms), per assignment its country, profession and
// open positions. The index methods keep it up to date as they write, and
// Open fills it from the indexes' "obs" doc values, one short term per
// document, so that no count ever scans the store or decodes a snapshot.

// obsField holds a document's codes for the observatory, as one term with
// doc values (see profileObs and assignmentObs).
const obsField = "obs"

// obsDay is a day as days since 1970-01-01.
type obsDay int32

func obsDayOf(d sankofa.Date) (obsDay, bool) {
	t, ok := d.Time()
	if !ok {
		return 0, false
	}
	return obsDay(t.Unix() / 86400), true
}

// obsEngagement is an accepted offer, from the profile's commitments.
type obsEngagement struct {
	assignment string
	mode       sankofa.Mode
	start, end obsDay
	hours      int
}

// obsProfile is one active profile's codes. Countries, professions and
// languages are strings interned by the table, so a row is small.
type obsProfile struct {
	origin, residence, training, birth string
	profession                         string
	mode                               string // onsite, virtual or both
	month                              string // YYYY-MM of registration
	languages, share                   []string
	hours                              int
	windows                            [][2]obsDay
	engagements                        []obsEngagement
}

// obsAssignment is one assignment's codes.
type obsAssignment struct {
	country, profession string
	mode                sankofa.Mode
	open                bool
	positions, filled   int
	hours               int
}

// obsTable is the observatory's table. gen counts its changes, so that
// tabulations are cached until the next one.
type obsTable struct {
	mu          sync.RWMutex
	gen         uint64
	changed     time.Time
	profiles    map[string]*obsProfile
	assignments map[string]*obsAssignment
	intern      map[string]string
}

func newObsTable() *obsTable {
	return &obsTable{profiles: map[string]*obsProfile{}, assignments: map[string]*obsAssignment{}, intern: map[string]string{}}
}

func (t *obsTable) in(s string) string {
	if v, ok := t.intern[s]; ok {
		return v
	}
	t.intern[s] = s
	return s
}

func (t *obsTable) touch() {
	t.gen++
	t.changed = time.Now().UTC()
}

// putProfile records p, or forgets it when its account is not active.
func (t *obsTable) putProfile(p *sankofa.Profile, active bool) {
	t.putProfileObs(p.ID, profileObs(p, active))
}

func (t *obsTable) putProfileObs(id, obs string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if obs == "" {
		if _, ok := t.profiles[id]; ok {
			delete(t.profiles, id)
			t.touch()
		}
		return
	}
	row, err := t.parseProfile(obs)
	if err != nil {
		return // an obs term this version did not write: the row stays out
	}
	t.profiles[id] = row
	t.touch()
}

func (t *obsTable) deleteProfile(id string) { t.putProfileObs(id, "") }

func (t *obsTable) putAssignment(id, obs string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	row, err := t.parseAssignment(obs)
	if err != nil {
		return
	}
	t.assignments[id] = row
	t.touch()
}

// profileObs encodes what the observatory counts of an active profile as
// one term of fields separated by "~" (countries, codes and dates hold no
// "~", "," or ";"); an inactive profile has none.
//
//	o~r~t~b~profession~mode~YYYY-MM~langs~share~hours~from-to;...~assignment,mode,start,end,hours;...
func profileObs(p *sankofa.Profile, active bool) string {
	if !active {
		return ""
	}
	mode := "onsite"
	switch {
	case slices.Contains(p.Modes, sankofa.ModeOnsite) && slices.Contains(p.Modes, sankofa.ModeVirtual):
		mode = "both"
	case slices.Contains(p.Modes, sankofa.ModeVirtual):
		mode = "virtual"
	}
	langs := make([]string, len(p.Languages))
	for i, l := range p.Languages {
		langs[i] = l.Code
	}
	var windows []string
	for _, w := range p.Availability {
		windows = append(windows, string(w.From)+"/"+string(w.To))
	}
	var engagements []string
	for _, c := range p.Commitments {
		engagements = append(engagements, strings.Join([]string{c.AssignmentID, string(c.Terms.Mode),
			string(c.Terms.Start), string(c.Terms.End), strconv.Itoa(c.Terms.VirtualHoursPerWeek)}, ","))
	}
	return strings.Join([]string{p.OriginCountry, p.ResidenceCountry, p.CountryOfTraining, p.CountryOfBirth,
		p.Profession, mode, p.CreatedAt.UTC().Format("2006-01"), strings.Join(langs, ","), strings.Join(p.ShareWith, ","),
		strconv.Itoa(p.VirtualHoursPerWeek), strings.Join(windows, ";"), strings.Join(engagements, ";")}, "~")
}

func (t *obsTable) parseProfile(obs string) (*obsProfile, error) {
	f := strings.Split(obs, "~")
	if len(f) != 12 {
		return nil, fmt.Errorf("search: observatory codes of %d fields", len(f))
	}
	row := &obsProfile{origin: t.in(f[0]), residence: t.in(f[1]), training: t.in(f[2]), birth: t.in(f[3]),
		profession: t.in(f[4]), mode: t.in(f[5]), month: t.in(f[6])}
	for _, l := range splitNonEmpty(f[7], ",") {
		row.languages = append(row.languages, t.in(l))
	}
	for _, c := range splitNonEmpty(f[8], ",") {
		row.share = append(row.share, t.in(c))
	}
	row.hours, _ = strconv.Atoi(f[9])
	for _, w := range splitNonEmpty(f[10], ";") {
		from, to, _ := strings.Cut(w, "/")
		a, ok1 := obsDayOf(sankofa.Date(from))
		b, ok2 := obsDayOf(sankofa.Date(to))
		if ok1 && ok2 {
			row.windows = append(row.windows, [2]obsDay{a, b})
		}
	}
	for _, e := range splitNonEmpty(f[11], ";") {
		p := strings.Split(e, ",")
		if len(p) != 5 {
			continue
		}
		start, ok1 := obsDayOf(sankofa.Date(p[2]))
		end, ok2 := obsDayOf(sankofa.Date(p[3]))
		if !ok1 || !ok2 {
			continue
		}
		hours, _ := strconv.Atoi(p[4])
		row.engagements = append(row.engagements, obsEngagement{assignment: p[0], mode: sankofa.Mode(t.in(p[1])),
			start: start, end: end, hours: hours})
	}
	return row, nil
}

// assignmentObs encodes an assignment's codes:
// country~profession~mode~open~positions~filled~hours.
func assignmentObs(a *sankofa.Assignment) string {
	return strings.Join([]string{a.Country, a.Profession, string(a.Mode), strconv.FormatBool(a.Status == sankofa.AssignmentOpen),
		strconv.Itoa(a.Positions), strconv.Itoa(a.Filled), strconv.Itoa(a.VirtualHoursPerWeek)}, "~")
}

func (t *obsTable) parseAssignment(obs string) (*obsAssignment, error) {
	f := strings.Split(obs, "~")
	if len(f) != 7 {
		return nil, fmt.Errorf("search: assignment codes of %d fields", len(f))
	}
	row := &obsAssignment{country: t.in(f[0]), profession: t.in(f[1]), mode: sankofa.Mode(t.in(f[2])), open: f[3] == "true"}
	row.positions, _ = strconv.Atoi(f[4])
	row.filled, _ = strconv.Atoi(f[5])
	row.hours, _ = strconv.Atoi(f[6])
	return row, nil
}

func splitNonEmpty(s, sep string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, sep)
}

// loadObservatory fills the table from the indexes' obs doc values: a
// walk of every document's one term, without a search or a snapshot
// decoded. Writes that land meanwhile wait for it and apply after.
func (ix *Index) loadObservatory() error {
	t := ix.obs
	t.mu.Lock()
	defer t.mu.Unlock()
	t.profiles, t.assignments = map[string]*obsProfile{}, map[string]*obsAssignment{}
	err := visitObs(ix.profiles.Advanced, func(id, obs string) {
		if row, err := t.parseProfile(obs); err == nil {
			t.profiles[id] = row
		}
	})
	if err != nil {
		return err
	}
	err = visitObs(ix.assignments.Advanced, func(id, obs string) {
		if row, err := t.parseAssignment(obs); err == nil {
			t.assignments[id] = row
		}
	})
	t.touch()
	return err
}

func visitObs(advanced func() (index.Index, error), fn func(id, obs string)) error {
	adv, err := advanced()
	if err != nil {
		return fmt.Errorf("search: observatory: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return fmt.Errorf("search: observatory: %w", err)
	}
	defer r.Close()
	all, err := r.DocIDReaderAll()
	if err != nil {
		return fmt.Errorf("search: observatory: %w", err)
	}
	defer all.Close()
	dv, err := r.DocValueReader([]string{obsField})
	if err != nil {
		return fmt.Errorf("search: observatory: %w", err)
	}
	for {
		iid, err := all.Next()
		if err != nil {
			return fmt.Errorf("search: observatory: %w", err)
		}
		if iid == nil {
			return nil
		}
		var obs string
		found := false
		if err := dv.VisitDocValues(iid, func(field string, term []byte) {
			if field == obsField {
				obs, found = string(term), true
			}
		}); err != nil {
			return fmt.Errorf("search: observatory: %w", err)
		}
		if !found {
			continue
		}
		id, err := r.ExternalID(iid)
		if err != nil {
			return fmt.Errorf("search: observatory: %w", err)
		}
		fn(id, obs)
	}
}

// obsFieldMapping indexes the obs term with doc values only: Open walks
// them, and nothing searches or stores it.
func obsFieldMapping() *mapping.FieldMapping {
	f := keywordField()
	f.DocValues = true
	f.Store = false
	return f
}

func (t *obsTable) clear() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.profiles, t.assignments = map[string]*obsProfile{}, map[string]*obsAssignment{}
	t.touch()
}
