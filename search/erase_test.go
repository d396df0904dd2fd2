package search_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"sankofa"
)

// TestIndex_EraseAccount: after an erasure, no file of the index holds the
// person's name, while the other people stay searchable.
func TestIndex_EraseAccount(t *testing.T) {
	dir := t.TempDir()
	ix := MustOpenIndex(t, dir)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, who := range []struct{ id, name string }{{"acc_gone", "Zqxmarkerperson"}, {"acc_stay", "Zqxotherperson"}} {
		a := &sankofa.Account{ID: who.id, Role: sankofa.RoleProfessional, Status: sankofa.StatusActive, Name: who.name,
			Email: who.name + "@example.org", CreatedAt: now, Version: 1}
		if err := ix.IndexAccount(a); err != nil {
			t.Fatal(err)
		}
		p := &sankofa.Profile{ID: sankofa.ProfileIDFor(who.id), AccountID: who.id, Version: 1, UpdatedAt: now,
			ProfileInput: sankofa.ProfileInput{FullName: who.name, Profession: "2221", OriginCountry: "GH", ResidenceCountry: "GB", ShareWith: []string{"GH"}}}
		if err := ix.IndexProfile(p, true); err != nil {
			t.Fatal(err)
		}
	}
	// Let the persister write the segments that hold both people.
	time.Sleep(500 * time.Millisecond)
	if scan(t, dir, "Zqxmarkerperson") == 0 {
		t.Fatal("the index files do not hold the name before the erasure: the scan sees nothing")
	}
	// Other people keep writing while the segments are rewritten.
	stop, wrote := make(chan struct{}), make(chan int)
	go func() {
		n := 0
		for {
			select {
			case <-stop:
				wrote <- n
				return
			default:
			}
			n++
			p := &sankofa.Profile{ID: "pro_busy", AccountID: "acc_busy", Version: int64(n), UpdatedAt: now,
				ProfileInput: sankofa.ProfileInput{FullName: "Busy Writer", Profession: "2221", OriginCountry: "GH", ResidenceCountry: "GB", ShareWith: []string{"GH"}}}
			if err := ix.IndexProfile(p, true); err != nil {
				t.Error(err)
			}
		}
	}()
	err := ix.EraseAccount(ctx, "acc_gone", sankofa.ProfileIDFor("acc_gone"))
	close(stop)
	if n := <-wrote; n < 2 {
		t.Errorf("%d writes during the erasure: writes were held up", n)
	}
	if err != nil {
		t.Fatal(err)
	}
	if n := scan(t, dir, "Zqxmarkerperson"); n > 0 {
		t.Errorf("%d files still hold the erased name", n)
	}
	if scan(t, dir, "Zqxotherperson") == 0 {
		t.Error("the other person's name is gone from the index files")
	}
	page, err := ix.Accounts(ctx, sankofa.AccountFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.IDs) != 1 || page.IDs[0] != "acc_stay" {
		t.Errorf("accounts after the erasure: %v, want [acc_stay]", page.IDs)
	}
	// An old event replayed after the erasure does not bring the person back.
	if err := ix.IndexAccount(&sankofa.Account{ID: "acc_gone", Role: sankofa.RoleProfessional, Name: "Zqxmarkerperson", Version: 1}); err != nil {
		t.Fatal(err)
	}
	if page, _ := ix.Accounts(ctx, sankofa.AccountFilter{}); len(page.IDs) != 1 {
		t.Errorf("a replayed event brought the erased account back: %v", page.IDs)
	}
}

// scan counts the files under dir that hold marker.
func scan(t *testing.T, dir, marker string) int {
	t.Helper()
	hits := 0
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		// Bleve removes merged-away files as it goes: one gone between
		// the listing and the read holds nothing any more.
		if os.IsNotExist(err) {
			return nil
		}
		if err != nil || info.IsDir() {
			return err
		}
		raw, err := os.ReadFile(path)
		if os.IsNotExist(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if bytes.Contains(raw, []byte(marker)) {
			t.Logf("%s holds %s", path, marker)
			hits++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hits
}
