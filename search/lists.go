package search

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"sankofa"
)

func accountMapping() mapping.IndexMapping {
	return newMapping([]string{"role", "status", "country"}, []string{"created"})
}

func assignmentMapping() mapping.IndexMapping {
	return newMapping([]string{"status", "country", "profession", "mode", "ministry_id", "start"}, []string{"created"})
}

func profileMapping() mapping.IndexMapping {
	return newMapping([]string{"profession", "origin_country", "residence_country", "share_with", "modes", "languages", "account_id"}, []string{"created"})
}

// IndexAccount adds or replaces an account in the index.
func (ix *Index) IndexAccount(a *sankofa.Account) error {
	if err := ix.accounts.Index(a.ID, accountDoc(a)); err != nil {
		return fmt.Errorf("search: index account %s: %w", a.ID, err)
	}
	return nil
}

// IndexAssignment adds or replaces an assignment in the index.
func (ix *Index) IndexAssignment(a *sankofa.Assignment) error {
	if err := ix.assignments.Index(a.ID, assignmentDoc(a)); err != nil {
		return fmt.Errorf("search: index assignment %s: %w", a.ID, err)
	}
	return nil
}

// IndexProfile adds or replaces a profile in the index.
func (ix *Index) IndexProfile(p *sankofa.Profile) error {
	if err := ix.profiles.Index(p.ID, profileDoc(p)); err != nil {
		return fmt.Errorf("search: index profile %s: %w", p.ID, err)
	}
	return nil
}

// DeleteProfile removes a profile from the index; a missing one is fine.
func (ix *Index) DeleteProfile(id string) error {
	if err := ix.profiles.Delete(id); err != nil {
		return fmt.Errorf("search: delete profile %s: %w", id, err)
	}
	return nil
}

// Accounts lists account ids, newest first. A bad cursor is invalid.
func (ix *Index) Accounts(ctx context.Context, f sankofa.AccountFilter) (sankofa.Page, error) {
	var qs []query.Query
	if f.Role != "" {
		qs = append(qs, term("role", string(f.Role)))
	}
	if f.Status != "" {
		qs = append(qs, term("status", string(f.Status)))
	}
	req, err := newList(and(qs...), f.Limit, f.Cursor)
	if err != nil {
		return sankofa.Page{}, err
	}
	return runList(ctx, ix.accounts, req)
}

// Assignments lists assignment ids, newest first. A bad cursor is invalid.
func (ix *Index) Assignments(ctx context.Context, f sankofa.AssignmentFilter) (sankofa.Page, error) {
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
	req, err := newList(and(qs...), f.Limit, f.Cursor)
	if err != nil {
		return sankofa.Page{}, err
	}
	return runList(ctx, ix.assignments, req)
}

func accountDoc(a *sankofa.Account) map[string]any {
	return map[string]any{
		"role": string(a.Role), "status": string(a.Status), "country": a.Country,
		"created": float64(a.CreatedAt.UnixMilli()),
	}
}

func assignmentDoc(a *sankofa.Assignment) map[string]any {
	return map[string]any{
		"status": string(a.Status), "country": a.Country, "profession": a.Profession,
		"mode": string(a.Mode), "ministry_id": a.MinistryID, "start": string(a.Start),
		"created": float64(a.CreatedAt.UnixMilli()),
	}
}

func profileDoc(p *sankofa.Profile) map[string]any {
	langs := make([]string, len(p.Languages))
	for i, l := range p.Languages {
		langs[i] = l.Code
	}
	modes := make([]string, len(p.Modes))
	for i, m := range p.Modes {
		modes[i] = string(m)
	}
	return map[string]any{
		"profession": p.Profession, "origin_country": p.OriginCountry, "residence_country": p.ResidenceCountry,
		"share_with": p.ShareWith, "modes": modes, "languages": langs, "account_id": p.AccountID,
		"created": float64(p.CreatedAt.UnixMilli()),
	}
}
