package matcher

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"sankofa"
)

// ProfileMatch is a worker ranked for an assignment.
type ProfileMatch struct {
	Profile     *sankofa.Profile
	Score       float64
	Explanation Explanation
}

// AssignmentMatch is an assignment ranked for a worker.
type AssignmentMatch struct {
	Assignment  *sankofa.Assignment
	Score       float64
	Explanation Explanation
}

// RankProfiles drops the candidates that break a hard constraint, scores
// the rest and orders them best first; ties break on the profile id so
// the order is stable.
func (m *Matcher) RankProfiles(a *sankofa.Assignment, af AssignmentFeatures, cands []ProfileCandidate, now time.Time, lang string) []ProfileMatch {
	out := make([]ProfileMatch, 0, len(cands))
	for _, c := range cands {
		if len(m.Check(a, c.Profile, c.Active)) > 0 {
			continue
		}
		score, ex := m.Score(a, af, c.Profile, c.Features, now, lang)
		out = append(out, ProfileMatch{Profile: c.Profile, Score: score, Explanation: ex})
	}
	slices.SortFunc(out, func(x, y ProfileMatch) int { return byScore(x.Score, y.Score, x.Profile.ID, y.Profile.ID) })
	return out
}

// RankAssignments ranks open assignments for a worker with the same rules.
func (m *Matcher) RankAssignments(p *sankofa.Profile, pf Features, active bool, cands []AssignmentCandidate, now time.Time, lang string) []AssignmentMatch {
	out := make([]AssignmentMatch, 0, len(cands))
	for _, c := range cands {
		if len(m.Check(c.Assignment, p, active)) > 0 {
			continue
		}
		score, ex := m.Score(c.Assignment, c.Features, p, pf, now, lang)
		out = append(out, AssignmentMatch{Assignment: c.Assignment, Score: score, Explanation: ex})
	}
	slices.SortFunc(out, func(x, y AssignmentMatch) int {
		return byScore(x.Score, y.Score, x.Assignment.ID, y.Assignment.ID)
	})
	return out
}

// byScore orders best score first, then by id, so equal scores keep a
// stable order.
func byScore(sx, sy float64, idx, idy string) int {
	if c := cmp.Compare(sy, sx); c != 0 {
		return c
	}
	return strings.Compare(idx, idy)
}
