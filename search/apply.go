package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"

	"sankofa"
)

// The index only moves forward. Two writers race for every document: the
// writing request indexes its own write at once (the dispatcher), and the
// indexer consumer applies the same event again from JetStream, on every
// replica, as late and as often as redeliveries and replays make it. So
// every document keeps the version it was indexed at (versionField), and
// a write of an older or equal version is skipped. A deleted profile
// leaves a marker with its version, which no older upsert undoes. The
// check and the write of one document run under one lock (docGuard), so
// that two writers cannot both pass the check and land in the wrong
// order. Bulk rebuilds start from an empty index and check nothing.

// versionField is stored in every document so that a replayed or
// reordered event never overwrites a newer version.
const versionField = "_v"

// docGuard serialises the version check and the write of one document.
// Ids share a fixed set of mutexes, so it costs no memory per document.
type docGuard struct {
	locks [64]sync.Mutex
	// checked, for tests only, runs after a version check passed and
	// before its write.
	checked func(id string)
}

func (g *docGuard) lock(id string) func() {
	h := uint32(2166136261) // FNV-1a
	for i := 0; i < len(id); i++ {
		h = (h ^ uint32(id[i])) * 16777619
	}
	m := &g.locks[h%uint32(len(g.locks))]
	m.Lock()
	return m.Unlock
}

func (g *docGuard) passed(id string) {
	if g.checked != nil {
		g.checked(id)
	}
}

// IndexAccount adds or replaces an account, unless the index holds that
// version of it or a newer one.
func (ix *Index) IndexAccount(a *sankofa.Account) error {
	_, err := ix.putNewer(ix.accounts, "account", a.ID, a.Version, accountDoc(a))
	return err
}

// IndexAssignment adds or replaces an assignment, unless the index holds
// that version of it or a newer one.
func (ix *Index) IndexAssignment(a *sankofa.Assignment) error {
	doc, err := ix.assignmentDoc(a)
	if err != nil {
		return err
	}
	written, err := ix.putNewer(ix.assignments, "assignment", a.ID, a.Version, doc)
	if written {
		ix.obs.putAssignment(a.ID, assignmentObs(a))
	}
	return err
}

// IndexOffer adds or replaces an offer, unless the index holds that
// version of it or a newer one.
func (ix *Index) IndexOffer(o *sankofa.Offer) error {
	_, err := ix.putNewer(ix.offers, "offer", o.ID, o.Version, offerDoc(o))
	return err
}

// putNewer indexes doc as version of id unless idx holds that version or
// a newer one, and reports whether it wrote.
func (ix *Index) putNewer(idx bleve.Index, kind, id string, version int64, doc map[string]any) (bool, error) {
	defer ix.guard.lock(id)()
	if idx == ix.accounts && ix.accountErased(id) {
		return false, nil
	}
	if v, ok := storedVersion(idx, id); ok && v >= version {
		return false, nil
	}
	ix.guard.passed(id)
	if err := ix.group(idx).Index(id, doc); err != nil {
		return false, fmt.Errorf("search: index %s %s: %w", kind, id, err)
	}
	return true, nil
}

// IndexProfile adds or replaces a profile; active is its account's state.
// A version older than the one indexed, or one at or below the version it
// was deleted at, is skipped. The account's state is taken from the
// account index when it holds the account, since that one only moves
// forward: a profile indexed again with the same version changes only if
// its account's state did, and a late write of an older version keeps the
// newer snapshot.
func (ix *Index) IndexProfile(p *sankofa.Profile, active bool) error {
	defer ix.guard.lock(p.ID)()
	if v, ok := ix.deletedAt(p.ID); ok && v >= p.Version {
		return nil
	}
	if a, ok := ix.accountActive(p.AccountID); ok {
		active = a
	}
	if cur, ok := ix.profileSource(p.ID); ok && cur.Profile.Version >= p.Version {
		if cur.Active == active {
			return nil
		}
		p = cur.Profile
	}
	ix.guard.passed(p.ID)
	doc, err := ix.profileDoc(p, active)
	if err != nil {
		return err
	}
	if err := ix.group(ix.profiles).Index(p.ID, doc); err != nil {
		return fmt.Errorf("search: index profile %s: %w", p.ID, err)
	}
	ix.obs.putProfile(p, active)
	return nil
}

// DeleteProfile removes a profile deleted at version; a missing one is
// fine. The version is remembered so that an older event replayed later
// cannot bring the profile back; a profile created again after it, at a
// higher version, stays.
func (ix *Index) DeleteProfile(id string, version int64) error {
	defer ix.guard.lock(id)()
	if v, ok := ix.deletedAt(id); ok && v >= version {
		return nil
	}
	ix.guard.passed(id)
	if err := ix.profiles.SetInternal(deletedKey(id), []byte(strconv.FormatInt(version, 10))); err != nil {
		return fmt.Errorf("search: delete profile %s: %w", id, err)
	}
	if v, ok := storedVersion(ix.profiles, id); ok && v > version {
		return nil
	}
	if err := ix.profiles.Delete(id); err != nil {
		return fmt.Errorf("search: delete profile %s: %w", id, err)
	}
	ix.obs.deleteProfile(id)
	return nil
}

// AddDeletedProfile records, in a rebuild, that a profile was deleted at
// version, so that an older event replayed after the rebuild cannot bring
// it back.
func (b *Bulk) AddDeletedProfile(id string, version int64) error {
	if b.flushed {
		return errors.New("search: bulk already flushed")
	}
	batch, ok := b.batches[b.ix.profiles]
	if !ok {
		batch = b.ix.profiles.NewBatch()
		b.batches[b.ix.profiles] = batch
	}
	batch.SetInternal(deletedKey(id), []byte(strconv.FormatInt(version, 10)))
	if batch.Size() >= bulkSize {
		b.queue <- bulkWrite{b.ix.profiles, batch}
		delete(b.batches, b.ix.profiles)
	}
	return nil
}

// Apply brings the index up to date with one domain event; it is the
// handler of the indexer's durable JetStream consumer. Events arrive at
// least once and may repeat what the writing replica already indexed; the
// Index methods skip what is not newer than what the index holds.
func (ix *Index) Apply(ctx context.Context, ev sankofa.Event) error {
	kind, action, _ := strings.Cut(strings.TrimPrefix(ev.Subject, "sankofa."), ".")
	switch kind {
	case "account":
		if action == "erased" {
			var e struct {
				ProfileID string `json:"profile_id"`
			}
			if err := json.Unmarshal(ev.Data, &e); err != nil {
				return fmt.Errorf("search: apply %s: %w", ev.ID, err)
			}
			if ix.erasureDone(ev.EntityID) {
				return nil // this replica's erasure did it already
			}
			return ix.EraseAccount(ctx, ev.EntityID, e.ProfileID)
		}
		var a sankofa.Account
		if err := json.Unmarshal(ev.Data, &a); err != nil {
			return fmt.Errorf("search: apply %s: %w", ev.ID, err)
		}
		written, err := ix.putNewer(ix.accounts, "account", a.ID, a.Version, accountDoc(&a))
		if err != nil || !written || a.Role != sankofa.RoleProfessional {
			return err
		}
		// The account's state decides whether its profile is matched.
		src, ok := ix.profileSource(sankofa.ProfileIDFor(a.ID))
		if !ok {
			return nil
		}
		return ix.IndexProfile(src.Profile, a.Status == sankofa.StatusActive)
	case "profile":
		if action == "deleted" {
			return ix.DeleteProfile(ev.EntityID, ev.Version)
		}
		var p sankofa.Profile
		if err := json.Unmarshal(ev.Data, &p); err != nil {
			return fmt.Errorf("search: apply %s: %w", ev.ID, err)
		}
		active := true // a profile's account is active unless the index knows otherwise
		if src, ok := ix.profileSource(p.ID); ok {
			active = src.Active
		}
		return ix.IndexProfile(&p, active)
	case "assignment":
		var a sankofa.Assignment
		if err := json.Unmarshal(ev.Data, &a); err != nil {
			return fmt.Errorf("search: apply %s: %w", ev.ID, err)
		}
		return ix.IndexAssignment(&a)
	case "offer":
		var o sankofa.Offer
		if err := json.Unmarshal(ev.Data, &o); err != nil {
			return fmt.Errorf("search: apply %s: %w", ev.ID, err)
		}
		return ix.IndexOffer(&o)
	}
	return nil // events of other kinds do not concern the index
}

func deletedKey(id string) []byte { return []byte("deleted:" + id) }

// deletedAt returns the version a profile was deleted at, if it was.
func (ix *Index) deletedAt(id string) (int64, bool) {
	raw, err := ix.profiles.GetInternal(deletedKey(id))
	if err != nil || raw == nil {
		return 0, false
	}
	v, err := strconv.ParseInt(string(raw), 10, 64)
	return v, err == nil
}

// storedVersion returns the version of a document in idx, if it is there.
func storedVersion(idx bleve.Index, id string) (int64, bool) {
	doc, err := idx.Document(id)
	if err != nil || doc == nil {
		return 0, false
	}
	var v int64
	found := false
	doc.VisitFields(func(f index.Field) {
		if f.Name() == versionField {
			n, err := strconv.ParseInt(string(f.Value()), 10, 64)
			v, found = n, err == nil
		}
	})
	return v, found
}

// accountActive reports whether the account index holds the account, and
// whether it is active.
// AccountActive reports whether the index has an account and whether it
// is active, so that indexing a profile needs no read of its account from
// the store.
func (ix *Index) AccountActive(id string) (active, ok bool) { return ix.accountActive(id) }

func (ix *Index) accountActive(id string) (active, ok bool) {
	doc, err := ix.accounts.Document(id)
	if err != nil || doc == nil {
		return false, false
	}
	doc.VisitFields(func(f index.Field) {
		if f.Name() == "status" {
			active, ok = string(f.Value()) == string(sankofa.StatusActive), true
		}
	})
	return active, ok
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
