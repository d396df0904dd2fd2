package search

import (
	"context"
	"fmt"

	"sankofa"
	"sankofa/matcher"
)

// MatchCandidates returns up to pool workers who pass the hard constraints
// of assignment a as far as terms can tell, best first by a first-pass
// score on shared concepts. The matcher then checks and ranks them
// exactly.
func (ix *Index) MatchCandidates(ctx context.Context, a *sankofa.Assignment, af matcher.AssignmentFeatures, pool int) ([]matcher.ProfileCandidate, error) {
	// The pass starts from the few active profiles shared with the
	// country in a profession the ministry accepts for the post, and keeps
	// those that pass the other hard constraints.
	var lead clause
	for _, code := range a.Accepted() {
		lead = append(lead, fieldTerm{"hc", hcTerm("sp", a.Country, code)})
	}
	if len(lead) == 0 {
		return []matcher.ProfileCandidate{}, nil
	}
	// Soft signals for the first pass: shared concepts and the diaspora tie.
	var should []weightedTerm
	for _, c := range af.Required {
		should = append(should, weightedTerm{"concepts", conceptTerm(c), 3})
	}
	for _, c := range af.Specialties {
		should = append(should, weightedTerm{"concepts", conceptTerm(c), 2})
	}
	for _, c := range af.Preferred {
		should = append(should, weightedTerm{"concepts", conceptTerm(c), 1})
	}
	should = append(should, weightedTerm{"origin_country", a.Country, 0.5})

	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("search: match candidates: %w", err)
	}
	r, snap, err := snapshot(ix.profiles)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	filter := matchFilter(a)
	if sc, err := ix.safeguardMatchClause(snap, a); err != nil {
		return nil, fmt.Errorf("search: match candidates: %w", err)
	} else if sc != nil {
		filter = append(filter, sc)
	}
	docs, err := firstPass(snap, lead, filter, should, pool)
	if err != nil {
		return nil, fmt.Errorf("search: match candidates: %w", err)
	}
	srcs := loadCandidates(snap, docs)
	out := make([]matcher.ProfileCandidate, 0, len(srcs))
	for _, src := range srcs {
		out = append(out, matcher.ProfileCandidate{Profile: src.Profile, Features: src.Features, Active: src.Active})
	}
	return out, nil
}

// matchFilter lists the hard constraints of a other than country,
// profession and activity, which the lead terms already carry.
// The most selective clauses come first, so that the later ones meet few
// candidates; modes, held by most workers, come last.
func matchFilter(a *sankofa.Assignment) []clause {
	var filter, modes []clause
	for _, l := range a.Languages {
		var levels clause
		for _, lv := range sankofa.CEFRLevels[max(sankofa.CEFRRank(l.Level), 1)-1:] {
			levels = append(levels, fieldTerm{"hc", hcTerm("l", l.Code, lv)})
		}
		filter = append(filter, levels)
	}
	onsite := a.Mode == sankofa.ModeOnsite || a.Mode == sankofa.ModeHybrid
	virtual := a.Mode == sankofa.ModeVirtual || a.Mode == sankofa.ModeHybrid
	if onsite {
		modes = append(modes, clause{{"modes", string(sankofa.ModeOnsite)}})
		var months clause
		for _, m := range monthsBetween(a.Start, a.End) {
			months = append(months, fieldTerm{"hc", hcTerm("m", m)})
		}
		if len(months) > 0 {
			filter = append(filter, months)
		}
	}
	if virtual {
		modes = append(modes, clause{{"modes", string(sankofa.ModeVirtual)}})
		if a.VirtualHoursPerWeek > 0 {
			filter = append(filter, atLeast("h", a.VirtualHoursPerWeek, sankofa.MaxHoursPerWeek))
		}
	}
	if a.MinYearsExperience > 0 {
		filter = append(filter, atLeast("e", a.MinYearsExperience, sankofa.MaxYearsExperience))
	}
	if a.LicenceRequired && len(a.End) >= 7 {
		// An end that is no date leaves nothing to match, as Check agrees.
		filter = append(filter, licensedThrough(string(a.End)))
	}
	return append(filter, modes...)
}
