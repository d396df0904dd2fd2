package store_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"sankofa"
	"sankofa/store"
)

// Saves of different documents run side by side on the embedded store,
// while a second save of the same document waits for the first and then
// finds itself stale: no write is lost.
func TestSave_OneDocumentAtATime(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	a, b := newProfile(1), newProfile(2)
	for _, p := range []*sankofa.Profile{a, b} {
		if _, err := s.SaveProfile(ctx, p, event(t, "profile", "created", p.ID, 1, p)); err != nil {
			t.Fatal(err)
		}
	}

	// The first save to take its lock stops there until released.
	entered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	store.SetHook(s, func(at string) {
		if at != "save: locked" {
			return
		}
		first := false
		once.Do(func() { first = true })
		if first {
			close(entered)
			<-release
		}
	})
	save := func(p sankofa.Profile, skill string) <-chan error {
		done := make(chan error, 1)
		p.Skills = append(p.Skills, skill)
		p.Version++
		go func() {
			_, err := s.SaveProfile(ctx, &p, event(t, "profile", "updated", p.ID, p.Version, p))
			done <- err
		}()
		return done
	}

	first := save(*a, "first")
	<-entered
	other := save(*b, "another document")
	select {
	case err := <-other:
		if err != nil {
			t.Fatalf("save of another document: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("a save of another document waited for the first one's")
	}
	second := save(*a, "second") // expects the same version as the first
	select {
	case err := <-second:
		t.Fatalf("a second save of the same document ran while the first held it (err %v)", err)
	case <-time.After(200 * time.Millisecond):
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatalf("first save: %v", err)
	}
	if err := <-second; !sankofa.IsCode(err, sankofa.PreconditionFailed) {
		t.Fatalf("second save of the same version: err %v, want precondition_failed", err)
	}
	got, err := s.Profile(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 || got.Skills[len(got.Skills)-1] != "first" {
		t.Errorf("stored version %d with skills %v, want version 2 ending in the first save's", got.Version, got.Skills)
	}
}

// The embedded store checkpoints SQLite's write-ahead log in the
// background, since commits no longer do it: a committed update reaches
// the database file itself with no further write to carry it there.
func TestCheckpoint_RunsInTheBackground(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := mustOpenAt(t, dir)
	p := newProfile(1)
	if _, err := s.SaveProfile(ctx, p, event(t, "profile", "created", p.ID, 1, p)); err != nil {
		t.Fatal(err)
	}
	const marker = "Zqxcheckpointmarker"
	for i := 0; i < 50; i++ {
		p.Version++
		if i == 49 {
			p.FullName = marker
		}
		pe, err := s.SaveProfile(ctx, p, event(t, "profile", "updated", p.ID, p.Version, p))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Ack(ctx, pe); err != nil {
			t.Fatal(err)
		}
	}
	db := filepath.Join(dir, "ferretdb", "sankofa.sqlite")
	deadline := time.Now().Add(30 * time.Second)
	for {
		raw, err := os.ReadFile(db)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte(marker)) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the last update is still only in the write-ahead log: nothing checkpoints it")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
