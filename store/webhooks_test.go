package store_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sankofa"
)

func newWebhook(account string, i int) sankofa.Webhook {
	return sankofa.Webhook{
		ID:        fmt.Sprintf("whk_%s_%d", account, i),
		AccountID: account,
		URL:       fmt.Sprintf("https://hooks.example.org/%d", i),
		Events:    []string{"offer.accepted", "assignment.filled"},
		Secret:    sankofa.NewWebhookSecret(),
		CreatedAt: time.Now().UTC().Truncate(time.Millisecond),
	}
}

func TestWebhooks_CRUD(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	h1, h2 := newWebhook("acc_m1", 1), newWebhook("acc_m1", 2)

	t.Run("EmptyWhenNone", func(t *testing.T) {
		got, err := s.Webhooks(ctx, "acc_m1")
		if err != nil {
			t.Fatal(err)
		}
		if got == nil || len(got) != 0 {
			t.Fatalf("got %#v, want an empty non-nil slice", got)
		}
	})
	t.Run("Add", func(t *testing.T) {
		for _, h := range []sankofa.Webhook{h1, h2, newWebhook("acc_m2", 1)} {
			if err := s.AddWebhook(ctx, h); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.Webhooks(ctx, "acc_m1")
		if err != nil {
			t.Fatal(err)
		}
		// The secret is kept: deliveries sign with it.
		if diff := cmp.Diff([]sankofa.Webhook{h1, h2}, got); diff != "" {
			t.Fatalf("webhooks (-want +got):\n%s", diff)
		}
	})
	t.Run("ErrConflictSameID", func(t *testing.T) {
		if err := s.AddWebhook(ctx, h1); !sankofa.IsCode(err, sankofa.Conflict) {
			t.Fatalf("%v, want conflict", err)
		}
	})
	t.Run("ErrInvalidNoIDs", func(t *testing.T) {
		if err := s.AddWebhook(ctx, sankofa.Webhook{AccountID: "acc_m1"}); !sankofa.IsCode(err, sankofa.Invalid) {
			t.Fatalf("%v, want invalid", err)
		}
		if err := s.AddWebhook(ctx, sankofa.Webhook{ID: "whk_x"}); !sankofa.IsCode(err, sankofa.Invalid) {
			t.Fatalf("%v, want invalid", err)
		}
	})
	t.Run("Delete", func(t *testing.T) {
		if err := s.DeleteWebhook(ctx, "acc_m1", h1.ID); err != nil {
			t.Fatal(err)
		}
		got, err := s.Webhooks(ctx, "acc_m1")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].ID != h2.ID {
			t.Fatalf("after delete: %+v", got)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		for _, c := range [][2]string{{"acc_m1", h1.ID}, {"acc_m2", h2.ID}, {"acc_none", h2.ID}} {
			if err := s.DeleteWebhook(ctx, c[0], c[1]); !sankofa.IsCode(err, sankofa.NotFound) {
				t.Fatalf("delete %s of %s: %v, want not_found", c[1], c[0], err)
			}
		}
	})
	t.Run("DeleteLastLeavesEmpty", func(t *testing.T) {
		if err := s.DeleteWebhook(ctx, "acc_m1", h2.ID); err != nil {
			t.Fatal(err)
		}
		got, err := s.Webhooks(ctx, "acc_m1")
		if err != nil || got == nil || len(got) != 0 {
			t.Fatalf("got %#v, %v; want an empty slice", got, err)
		}
		if err := s.AddWebhook(ctx, h1); err != nil {
			t.Fatalf("add again: %v", err)
		}
	})
}

func TestWebhooks_Limit(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	// Concurrent adds must neither lose a webhook nor pass the limit.
	n := sankofa.MaxWebhooks + 10
	var wg sync.WaitGroup
	var ok, conflicts atomic.Int32
	for i := range n {
		wg.Go(func() {
			err := s.AddWebhook(ctx, newWebhook("acc_m", i))
			switch {
			case err == nil:
				ok.Add(1)
			case sankofa.IsCode(err, sankofa.Conflict):
				conflicts.Add(1)
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got, err := s.Webhooks(ctx, "acc_m")
	if err != nil {
		t.Fatal(err)
	}
	if int(ok.Load()) != sankofa.MaxWebhooks || int(conflicts.Load()) != n-sankofa.MaxWebhooks || len(got) != sankofa.MaxWebhooks {
		t.Fatalf("%d added, %d conflicts, %d stored; want %d stored", ok.Load(), conflicts.Load(), len(got), sankofa.MaxWebhooks)
	}
	if err := s.DeleteWebhook(ctx, "acc_m", got[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := s.AddWebhook(ctx, newWebhook("acc_m", 999)); err != nil {
		t.Fatalf("add after delete: %v", err)
	}
}
