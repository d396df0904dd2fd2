package matcher

import (
	"time"

	"sankofa"
)

// Free returns the worker as available for assignment a once their
// commitments to other assignments are taken out: on-site commitments are
// cut out of the availability windows, and virtual ones reduce the weekly
// hours when their dates overlap a's. Commitments to a itself are left
// in, so that a worker who accepted it still matches it. p is not changed.
func Free(a *sankofa.Assignment, p *sankofa.Profile) *sankofa.Profile {
	if len(p.Commitments) == 0 {
		return p
	}
	q := *p
	for _, c := range p.Commitments {
		if c.AssignmentID == a.ID {
			continue
		}
		onsite, virtual := needs(c.Terms.Mode)
		if onsite {
			q.Availability = cutOut(q.Availability, c.Terms.Start, c.Terms.End)
		}
		if virtual && datesOverlap(c.Terms.Start, c.Terms.End, a.Start, a.End) {
			q.VirtualHoursPerWeek = max(q.VirtualHoursPerWeek-c.Terms.VirtualHoursPerWeek, 0)
		}
	}
	return &q
}

// cutOut removes the days from..to from a list of windows.
func cutOut(ws []sankofa.Window, from, to sankofa.Date) []sankofa.Window {
	f, ok1 := from.Time()
	t, ok2 := to.Time()
	if !ok1 || !ok2 {
		return ws
	}
	day := 24 * time.Hour
	out := make([]sankofa.Window, 0, len(ws)+1)
	for _, w := range ws {
		wf, ok1 := w.From.Time()
		wt, ok2 := w.To.Time()
		if !ok1 || !ok2 || wt.Before(f) || wf.After(t) {
			out = append(out, w)
			continue
		}
		if wf.Before(f) {
			out = append(out, sankofa.Window{From: w.From, To: sankofa.DateOf(f.Add(-day))})
		}
		if wt.After(t) {
			out = append(out, sankofa.Window{From: sankofa.DateOf(t.Add(day)), To: w.To})
		}
	}
	return out
}

func datesOverlap(f1, t1, f2, t2 sankofa.Date) bool {
	// ISO dates compare as strings.
	return f1 <= t2 && f2 <= t1
}
