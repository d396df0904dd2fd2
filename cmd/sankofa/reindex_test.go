package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"sankofa"
)

// A rebuilt index remembers deleted profiles, so an old event replayed
// after the rebuild (the indexer consumer resumes where it was) cannot
// bring one back.
func TestReindex_KeepsDeletions(t *testing.T) {
	dir := t.TempDir()
	cfg := DefaultConfig()
	cfg.DataDir = dir
	ctx := context.Background()
	quiet := slog.New(slog.DiscardHandler)
	a, err := openApp(ctx, cfg, quiet)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	acc := &sankofa.Account{ID: sankofa.NewID("acc"), Email: "gone@example.org", Name: "Gone", Role: sankofa.RoleProfessional,
		Status: sankofa.StatusActive, Locale: "en", Version: 1, CreatedAt: now, UpdatedAt: now}
	ev := func(kind, action, id string, v int64, x any) sankofa.Event {
		e, err := sankofa.NewEvent(kind, action, id, v, "", now, x)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	p := &sankofa.Profile{ID: sankofa.ProfileIDFor(acc.ID), AccountID: acc.ID, Version: 1, CreatedAt: now, UpdatedAt: now,
		ProfileInput: sankofa.ProfileInput{FullName: "Gone", Profession: "2221", ShareWith: []string{"GH"}}}
	created := ev("profile", "created", p.ID, 1, p)
	for _, step := range []func() (sankofa.PendingEvent, error){
		func() (sankofa.PendingEvent, error) {
			return a.store.CreateAccount(ctx, acc, ev("account", "created", acc.ID, 1, acc))
		},
		func() (sankofa.PendingEvent, error) { return a.store.SaveProfile(ctx, p, created) },
		func() (sankofa.PendingEvent, error) {
			return a.store.DeleteProfile(ctx, p, ev("profile", "deleted", p.ID, 2, map[string]string{"id": p.ID}))
		},
	} {
		pe, err := step()
		if err != nil {
			t.Fatal(err)
		}
		if err := a.flow.Dispatcher().Dispatch(ctx, pe); err != nil {
			t.Fatal(err)
		}
	}
	a.close()
	if err := os.RemoveAll(filepath.Join(dir, "search")); err != nil {
		t.Fatal(err)
	}
	a, err = openApp(ctx, cfg, quiet) // rebuilds the index from the store
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	if err := a.index.Apply(ctx, created); err != nil {
		t.Fatal(err)
	}
	found := false
	if err := a.index.Versions(ctx, "profiles", func(id string, _ int64) error {
		found = found || id == p.ID
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if found {
		t.Fatal("an old event brought a deleted profile back into the rebuilt index")
	}
}
