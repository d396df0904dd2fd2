package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"sankofa"
)

// The WHO safeguards list and the agreements recorded under it live in
// one document of the collection "safeguards", _id "list": reading them
// is one read by _id (FerretDB v1 pushes down nothing else), and a change
// is one replace under the write lock with a version check, as for
// shortlists. Agreements are few (sankofa.MaxSafeguardAgreements), so they
// ride in the same document and one read refreshes everything.
//
// The rule runs on every match, so it reads an in-memory copy (Current),
// never the database. A change made through this process replaces the
// copy at once. Other replicas pick it up with Follow, which re-reads the
// document every SafeguardRefresh: the list changes a few times a year,
// one small read by _id per replica every 30 s costs nothing, and unlike
// an event on the stream it cannot be missed, so no replica stays stale
// for longer than that. On the embedded store this process is the only
// writer and Follow is not needed.

const safeguardsID = "list"

// SafeguardRefresh is how often Follow re-reads the list.
const SafeguardRefresh = 30 * time.Second

// safeguardTries bounds the retries when another replica changed the list
// between our read and our write (MongoDB only).
const safeguardTries = 5

type safeguardsDoc struct {
	ID         string                       `bson:"_id"`
	List       sankofa.SafeguardList        `bson:",inline"`
	Agreements []sankofa.SafeguardAgreement `bson:"agreements"`
}

func (d *safeguardsDoc) state() *sankofa.Safeguards {
	ag := d.Agreements
	if ag == nil {
		ag = []sankofa.SafeguardAgreement{}
	}
	return &sankofa.Safeguards{List: d.List, Agreements: ag}
}

// Safeguards keeps the safeguards list and its agreements, and the
// in-memory copy the matching rule reads.
type Safeguards struct {
	s   *Store
	cur atomic.Pointer[sankofa.Safeguards]
}

func (s *Store) safeguardsColl() *mongo.Collection { return s.db.Collection("safeguards") }

// OpenSafeguards loads the safeguards list, storing the edition Sankofa
// ships with (sankofa.DefaultSafeguardList) on first start.
func OpenSafeguards(ctx context.Context, s *Store) (*Safeguards, error) {
	g := &Safeguards{s: s}
	doc, found, err := g.read(ctx)
	if err != nil {
		return nil, err
	}
	if !found {
		l, err := sankofa.DefaultSafeguardList()
		if err != nil {
			return nil, err
		}
		l.UpdatedAt, l.Version = s.now().UTC().Truncate(time.Millisecond), 1
		doc = safeguardsDoc{ID: safeguardsID, List: l, Agreements: []sankofa.SafeguardAgreement{}}
		unlock := s.lockWrites()
		_, err = s.safeguardsColl().InsertOne(ctx, doc)
		unlock()
		if mongo.IsDuplicateKeyError(err) {
			// Another replica stored it first.
			if doc, _, err = g.read(ctx); err != nil {
				return nil, err
			}
		} else if err != nil {
			return nil, fmt.Errorf("store: seed safeguards list: %w", err)
		}
	}
	g.cur.Store(doc.state())
	return g, nil
}

// Safeguards returns the in-memory copy of the list and its agreements,
// which callers must not change. It implements matcher.SafeguardSource.
func (g *Safeguards) Safeguards() *sankofa.Safeguards { return g.cur.Load() }

// Refresh re-reads the list from the database; a copy newer than what it
// read (written here meanwhile) is kept.
func (g *Safeguards) Refresh(ctx context.Context) error {
	doc, found, err := g.read(ctx)
	if err != nil || !found {
		return err
	}
	g.keep(doc.state())
	return nil
}

// keep replaces the in-memory copy by next unless it holds a newer one.
func (g *Safeguards) keep(next *sankofa.Safeguards) {
	for {
		cur := g.cur.Load()
		if cur != nil && cur.List.Version > next.List.Version {
			return
		}
		if g.cur.CompareAndSwap(cur, next) {
			return
		}
	}
}

// Follow refreshes the in-memory copy every interval until ctx ends, so
// that this replica sees the changes made through the others (see the
// comment at the top of this file). A failed read is logged and tried
// again at the next tick.
func (g *Safeguards) Follow(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := g.Refresh(ctx); err != nil && ctx.Err() == nil {
			g.s.log.Warn("refresh the safeguards list", "err", err)
		}
	}
}

// UpdateSafeguardList replaces the edition, title, source, ISBN and
// countries of the list, validated (in.Validate) by the caller; the
// agreements stay. ifVersion, when not negative, is the version the caller
// read: precondition_failed when the list changed since.
func (g *Safeguards) UpdateSafeguardList(ctx context.Context, in sankofa.SafeguardListInput, by string, ifVersion int64) (*sankofa.Safeguards, error) {
	return g.change(ctx, func(doc *safeguardsDoc) error {
		if ifVersion >= 0 && doc.List.Version != ifVersion {
			return sankofa.Errorf(sankofa.PreconditionFailed, "the list changed since you read it (now version %d); read it again", doc.List.Version)
		}
		doc.List.Edition, doc.List.Title, doc.List.Source, doc.List.ISBN = in.Edition, in.Title, in.Source, in.ISBN
		doc.List.Countries = slices.Clone(in.Countries)
		doc.List.UpdatedBy = by
		return nil
	})
}

// AddSafeguardAgreement records an agreement under the list. It returns
// invalid when in does not fit the list as it stands (in.Validate), and
// conflict past sankofa.MaxSafeguardAgreements.
func (g *Safeguards) AddSafeguardAgreement(ctx context.Context, in sankofa.SafeguardAgreementInput, by string) (sankofa.SafeguardAgreement, *sankofa.Safeguards, error) {
	var added sankofa.SafeguardAgreement
	state, err := g.change(ctx, func(doc *safeguardsDoc) error {
		if err := in.Validate(&doc.List); err != nil {
			return err
		}
		if len(doc.Agreements) >= sankofa.MaxSafeguardAgreements {
			return sankofa.Errorf(sankofa.Conflict, "at most %d agreements can be recorded; delete one that has ended first", sankofa.MaxSafeguardAgreements)
		}
		added = sankofa.SafeguardAgreement{ID: sankofa.NewID("sga"), EmployerCountry: in.EmployerCountry, SourceCountry: in.SourceCountry,
			Title: in.Title, ValidFrom: in.ValidFrom, ValidUntil: in.ValidUntil,
			CreatedAt: g.s.now().UTC().Truncate(time.Millisecond), CreatedBy: by}
		doc.Agreements = append(slices.Clone(doc.Agreements), added)
		return nil
	})
	return added, state, err
}

// DeleteSafeguardAgreement removes an agreement; not_found when there is
// none with that id.
func (g *Safeguards) DeleteSafeguardAgreement(ctx context.Context, id string) (*sankofa.Safeguards, error) {
	return g.change(ctx, func(doc *safeguardsDoc) error {
		i := slices.IndexFunc(doc.Agreements, func(a sankofa.SafeguardAgreement) bool { return a.ID == id })
		if i < 0 {
			return sankofa.Errorf(sankofa.NotFound, "agreement not found")
		}
		doc.Agreements = slices.Delete(slices.Clone(doc.Agreements), i, i+1)
		return nil
	})
}

// change applies edit to the stored document and writes it back with the
// next version, retrying when another replica wrote in between; the new
// state becomes the in-memory copy.
func (g *Safeguards) change(ctx context.Context, edit func(doc *safeguardsDoc) error) (*sankofa.Safeguards, error) {
	unlock := g.s.lockWrites()
	defer unlock()
	for range safeguardTries {
		doc, found, err := g.read(ctx)
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, fmt.Errorf("store: the safeguards list is missing")
		}
		read := doc.List.Version
		if err := edit(&doc); err != nil {
			return nil, err
		}
		doc.List.Version = read + 1
		doc.List.UpdatedAt = g.s.now().UTC().Truncate(time.Millisecond)
		res, err := g.s.safeguardsColl().ReplaceOne(ctx, g.s.idFilter(safeguardsID, read), doc)
		if err != nil {
			return nil, fmt.Errorf("store: update safeguards list: %w", err)
		}
		if res.MatchedCount == 1 {
			state := doc.state()
			g.keep(state)
			return state, nil
		}
	}
	return nil, sankofa.Errorf(sankofa.Conflict, "the safeguards list changed concurrently; try again")
}

// read loads the document; found is false when there is none yet.
func (g *Safeguards) read(ctx context.Context) (doc safeguardsDoc, found bool, err error) {
	err = g.s.safeguardsColl().FindOne(ctx, bson.D{{Key: "_id", Value: safeguardsID}}).Decode(&doc)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return safeguardsDoc{}, false, nil
	case err != nil:
		return safeguardsDoc{}, false, fmt.Errorf("store: find safeguards list: %w", err)
	}
	if doc.List.Countries == nil {
		doc.List.Countries = []string{}
	}
	return doc, true, nil
}
