package store_test

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"

	"sankofa"
	"sankofa/store"
)

func TestSafeguards(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := store.Open(ctx, store.Config{DataDir: dir, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	g, err := store.OpenSafeguards(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	// A second replica's copy over the same database.
	other, err := store.OpenSafeguards(ctx, s)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("SeededOnFirstStart", func(t *testing.T) {
		cur := g.Safeguards()
		if cur.List.Edition != "2023" || len(cur.List.Countries) != 55 || cur.List.Version != 1 || len(cur.Agreements) != 0 {
			t.Errorf("first start: edition %q, %d countries, version %d, %d agreements", cur.List.Edition, len(cur.List.Countries), cur.List.Version, len(cur.Agreements))
		}
		if other.Safeguards().List.Version != 1 {
			t.Errorf("the second copy is at version %d, want the one stored (1)", other.Safeguards().List.Version)
		}
	})

	var agreementID string
	t.Run("AddAgreement", func(t *testing.T) {
		ag, cur, err := g.AddSafeguardAgreement(ctx, sankofa.SafeguardAgreementInput{EmployerCountry: "GB", SourceCountry: "NP",
			Title: "UK-Nepal government-to-government agreement", ValidFrom: "2022-11-01"}, "acc_admin")
		if err != nil {
			t.Fatal(err)
		}
		agreementID = ag.ID
		if len(cur.Agreements) != 1 || cur.Agreements[0].ID != ag.ID || cur.List.Version != 2 || g.Safeguards() != cur {
			t.Errorf("after adding: %+v, version %d; the in-memory copy must be it", cur.Agreements, cur.List.Version)
		}
	})

	t.Run("ErrAgreementSourceNotListed", func(t *testing.T) {
		_, _, err := g.AddSafeguardAgreement(ctx, sankofa.SafeguardAgreementInput{EmployerCountry: "GB", SourceCountry: "KE",
			Title: "Not a listed country", ValidFrom: "2022-11-01"}, "acc_admin")
		if !sankofa.IsCode(err, sankofa.Invalid) {
			t.Errorf("err %v, want invalid", err)
		}
	})

	t.Run("OtherReplicaAfterRefresh", func(t *testing.T) {
		if n := len(other.Safeguards().Agreements); n != 0 {
			t.Fatalf("the other copy changed by itself: %d agreements", n)
		}
		if err := other.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if cur := other.Safeguards(); len(cur.Agreements) != 1 || cur.List.Version != 2 {
			t.Errorf("after Refresh: %d agreements, version %d", len(cur.Agreements), cur.List.Version)
		}
	})

	t.Run("UpdateList", func(t *testing.T) {
		in := sankofa.SafeguardListInput{Edition: "2023-rev", Title: "WHO health workforce support and safeguards list 2023",
			Source: "https://www.who.int/publications/i/item/9789240069787", Countries: []string{"GH", "NG", "NP"}}
		if err := in.Validate(); err != nil {
			t.Fatal(err)
		}
		if _, err := g.UpdateSafeguardList(ctx, in, "acc_admin", 1); !sankofa.IsCode(err, sankofa.PreconditionFailed) {
			t.Errorf("stale version: err %v, want precondition_failed", err)
		}
		cur, err := g.UpdateSafeguardList(ctx, in, "acc_admin", 2)
		if err != nil {
			t.Fatal(err)
		}
		if cur.List.Edition != "2023-rev" || !slices.Equal(cur.List.Countries, []string{"GH", "NG", "NP"}) || cur.List.Version != 3 || len(cur.Agreements) != 1 {
			t.Errorf("after update: %+v", cur)
		}
	})

	t.Run("DeleteAgreement", func(t *testing.T) {
		if _, err := g.DeleteSafeguardAgreement(ctx, "sga_unknown"); !sankofa.IsCode(err, sankofa.NotFound) {
			t.Errorf("unknown id: err %v, want not_found", err)
		}
		cur, err := g.DeleteSafeguardAgreement(ctx, agreementID)
		if err != nil {
			t.Fatal(err)
		}
		if len(cur.Agreements) != 0 || cur.List.Version != 4 {
			t.Errorf("after delete: %d agreements, version %d", len(cur.Agreements), cur.List.Version)
		}
	})

	t.Run("KeptAcrossRestart", func(t *testing.T) {
		if err := s.Close(ctx); err != nil {
			t.Fatal(err)
		}
		s2, err := store.Open(ctx, store.Config{DataDir: dir, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		defer s2.Close(ctx)
		g2, err := store.OpenSafeguards(ctx, s2)
		if err != nil {
			t.Fatal(err)
		}
		if cur := g2.Safeguards(); cur.List.Edition != "2023-rev" || cur.List.Version != 4 || len(cur.List.Countries) != 3 {
			t.Errorf("after restart: %+v (the admin's edition must not be replaced by the shipped one)", cur.List)
		}
		// A replica following the list sees a change made through another.
		g3, err := store.OpenSafeguards(ctx, s2)
		if err != nil {
			t.Fatal(err)
		}
		fctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { g3.Follow(fctx, 10*time.Millisecond); close(done) }()
		defer func() { cancel(); <-done }()
		if _, _, err := g2.AddSafeguardAgreement(ctx, sankofa.SafeguardAgreementInput{EmployerCountry: "GB", SourceCountry: "GH",
			Title: "GB-GH agreement", ValidFrom: "2026-01-01"}, "acc_admin"); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(10 * time.Second); g3.Safeguards().List.Version != 5; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("the following copy is still at version %d", g3.Safeguards().List.Version)
			}
		}
	})
}
