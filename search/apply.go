package search

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"

	"sankofa"
)

// versionField is stored in every document so that a replayed or
// reordered event never overwrites a newer version.
const versionField = "_v"

// Apply brings the index up to date with one domain event; it is the
// handler of the indexer's durable JetStream consumer. Events arrive at
// least once and may repeat what the writing replica already indexed, so
// an event no newer than what the index holds is skipped.
func (ix *Index) Apply(_ context.Context, ev sankofa.Event) error {
	kind, action, _ := strings.Cut(strings.TrimPrefix(ev.Subject, "sankofa."), ".")
	switch kind {
	case "account":
		var a sankofa.Account
		if err := json.Unmarshal(ev.Data, &a); err != nil {
			return fmt.Errorf("search: apply %s: %w", ev.ID, err)
		}
		if ix.indexedVersion(ix.accounts, a.ID) >= a.Version {
			return nil
		}
		if err := ix.IndexAccount(&a); err != nil {
			return err
		}
		if a.Role != sankofa.RoleProfessional {
			return nil
		}
		// The account's state decides whether its profile is matched.
		src, ok := ix.profileSource(sankofa.ProfileIDFor(a.ID))
		if !ok || src.Active == (a.Status == sankofa.StatusActive) {
			return nil
		}
		return ix.IndexProfile(src.Profile, a.Status == sankofa.StatusActive)
	case "profile":
		if deleted := ix.deletedVersion(ev.EntityID); deleted >= ev.Version || ix.indexedVersion(ix.profiles, ev.EntityID) >= ev.Version {
			return nil
		}
		if action == "deleted" {
			return ix.DeleteProfile(ev.EntityID, ev.Version)
		}
		var p sankofa.Profile
		if err := json.Unmarshal(ev.Data, &p); err != nil {
			return fmt.Errorf("search: apply %s: %w", ev.ID, err)
		}
		active := true
		if src, ok := ix.profileSource(p.ID); ok {
			active = src.Active
		}
		return ix.IndexProfile(&p, active)
	case "assignment":
		var a sankofa.Assignment
		if err := json.Unmarshal(ev.Data, &a); err != nil {
			return fmt.Errorf("search: apply %s: %w", ev.ID, err)
		}
		if ix.indexedVersion(ix.assignments, a.ID) >= a.Version {
			return nil
		}
		return ix.IndexAssignment(&a)
	case "offer":
		var o sankofa.Offer
		if err := json.Unmarshal(ev.Data, &o); err != nil {
			return fmt.Errorf("search: apply %s: %w", ev.ID, err)
		}
		if ix.indexedVersion(ix.offers, o.ID) >= o.Version {
			return nil
		}
		return ix.IndexOffer(&o)
	}
	return nil // events of other kinds do not concern the index
}

func deletedKey(id string) []byte { return []byte("deleted:" + id) }

func (ix *Index) deletedVersion(id string) int64 {
	raw, err := ix.profiles.GetInternal(deletedKey(id))
	if err != nil || raw == nil {
		return 0
	}
	v, _ := strconv.ParseInt(string(raw), 10, 64)
	return v
}

// indexedVersion returns the version of a document in idx, 0 when absent.
func (ix *Index) indexedVersion(idx bleve.Index, id string) int64 {
	doc, err := idx.Document(id)
	if err != nil || doc == nil {
		return 0
	}
	var v int64
	doc.VisitFields(func(f index.Field) {
		if f.Name() == versionField {
			v, _ = strconv.ParseInt(string(f.Value()), 10, 64)
		}
	})
	return v
}

func (ix *Index) profileSource(id string) (profileSource, bool) {
	var src profileSource
	doc, err := ix.profiles.Document(id)
	if err != nil || doc == nil {
		return src, false
	}
	found := false
	doc.VisitFields(func(f index.Field) {
		if f.Name() == sourceField {
			found = json.Unmarshal(f.Value(), &src) == nil && src.Profile != nil
		}
	})
	return src, found
}
