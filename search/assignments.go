package search

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"sankofa"
	"sankofa/matcher"
)

func assignmentMapping() mapping.IndexMapping {
	m := newMapping([]string{"status", "country", "profession", "accepted", "mode", "ministry_id", "start"}, []string{"created"})
	m.DefaultMapping.AddFieldMappingsAt(sourceField, sourceFieldMapping())
	m.DefaultMapping.AddFieldMappingsAt(versionField, sourceFieldMapping())
	m.DefaultMapping.AddFieldMappingsAt(obsField, obsFieldMapping())
	return m
}

// assignmentSource is the snapshot kept in the index for matching
// workers to assignments without a database read per candidate.
type assignmentSource struct {
	Assignment *sankofa.Assignment        `json:"a"`
	Features   matcher.AssignmentFeatures `json:"f"`
}

func (ix *Index) assignmentDoc(a *sankofa.Assignment) (map[string]any, error) {
	src, err := json.Marshal(assignmentSource{Assignment: a, Features: ix.match.AssignmentFeatures(&a.AssignmentInput)})
	if err != nil {
		return nil, fmt.Errorf("search: encode assignment %s: %w", a.ID, err)
	}
	return map[string]any{
		"status": string(a.Status), "country": a.Country, "profession": a.Profession, "accepted": a.Accepted(),
		"mode": string(a.Mode), "ministry_id": a.MinistryID, "start": string(a.Start),
		"created": float64(a.CreatedAt.UnixMilli()), sourceField: string(src),
		versionField: strconv.FormatInt(a.Version, 10), obsField: assignmentObs(a),
	}, nil
}

// Assignments lists assignment ids, newest first. A bad cursor is invalid.
func (ix *Index) Assignments(ctx context.Context, f sankofa.AssignmentFilter) (sankofa.Page, error) {
	req, err := newList(assignmentQuery(f), f.Limit, f.Cursor)
	if err != nil {
		return sankofa.Page{}, err
	}
	return runList(ctx, ix.assignments, req)
}

// AssignmentList lists assignments as Assignments does, read from the
// snapshots the index keeps, so a page costs no database read. The index
// holds what the writing replica indexed before answering, and what the
// others applied from the event stream.
func (ix *Index) AssignmentList(ctx context.Context, f sankofa.AssignmentFilter) ([]*sankofa.Assignment, string, error) {
	req, err := newList(assignmentQuery(f), f.Limit, f.Cursor)
	if err != nil {
		return nil, "", err
	}
	req.Fields = []string{sourceField}
	res, err := ix.assignments.SearchInContext(ctx, req)
	if err != nil {
		return nil, "", fmt.Errorf("search: assignments: %w", err)
	}
	limit := req.Size - 1
	out := make([]*sankofa.Assignment, 0, min(len(res.Hits), limit))
	next := ""
	for i, h := range res.Hits {
		if i == limit {
			next = encodeCursor(res.Hits[i-1].Sort)
			break
		}
		var src assignmentSource
		if s, ok := h.Fields[sourceField].(string); ok && json.Unmarshal([]byte(s), &src) == nil && src.Assignment != nil {
			out = append(out, src.Assignment)
		}
	}
	return out, next, nil
}

// assignmentQuery is the query of a filtered assignment list.
func assignmentQuery(f sankofa.AssignmentFilter) query.Query {
	var qs []query.Query
	if !f.All {
		visible := term("status", string(sankofa.AssignmentOpen))
		if f.OwnerID != "" {
			visible = or(visible, term("ministry_id", f.OwnerID))
		}
		qs = append(qs, visible)
	}
	if f.Status != "" {
		qs = append(qs, term("status", string(f.Status)))
	}
	if f.Country != "" {
		qs = append(qs, term("country", f.Country))
	}
	if f.Profession != "" {
		qs = append(qs, term("profession", f.Profession))
	}
	if f.Mode != "" {
		qs = append(qs, term("mode", string(f.Mode)))
	}
	if f.StartsAfter != "" {
		// ISO dates sort lexically, so a term range on the keyword works.
		r := bleve.NewTermRangeInclusiveQuery(string(f.StartsAfter), "", new(false), nil)
		r.SetField("start")
		qs = append(qs, r)
	}
	return and(qs...)
}

// OpenAssignmentsFor returns the open assignments whose ministry accepts
// the worker's profession, in countries the profile is shared with: the candidates
// for ranking assignments for a worker. Open assignments are few (a
// country posts tens to hundreds), so all candidates are returned.
func (ix *Index) OpenAssignmentsFor(ctx context.Context, p *sankofa.Profile) ([]matcher.AssignmentCandidate, error) {
	if len(p.ShareWith) == 0 {
		return nil, nil
	}
	var countries []query.Query
	for _, c := range p.ShareWith {
		countries = append(countries, term("country", c))
	}
	q := and(term("status", string(sankofa.AssignmentOpen)), term("accepted", p.Profession), or(countries...))
	var out []matcher.AssignmentCandidate
	const page = 1000
	for from := 0; ; from += page {
		req := bleve.NewSearchRequestOptions(q, page, from, false)
		req.Fields = []string{sourceField}
		req.SortBy([]string{"_id"})
		res, err := ix.assignments.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("search: open assignments: %w", err)
		}
		for _, h := range res.Hits {
			var src assignmentSource
			if s, ok := h.Fields[sourceField].(string); ok && json.Unmarshal([]byte(s), &src) == nil && src.Assignment != nil {
				out = append(out, matcher.AssignmentCandidate{Assignment: src.Assignment, Features: src.Features})
			}
		}
		if len(res.Hits) < page {
			return out, nil
		}
	}
}
