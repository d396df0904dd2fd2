package api

import (
	"testing"

	"sankofa"
)

func TestContiguous(t *testing.T) {
	seqs := func(ns ...int64) []sankofa.Notification {
		out := make([]sankofa.Notification, len(ns))
		for i, n := range ns {
			out[i].Seq = n
		}
		return out
	}
	for _, c := range []struct {
		items []sankofa.Notification
		last  int64
		want  int
	}{
		{seqs(), 0, 0},
		{seqs(1, 2, 3), 0, 3},
		{seqs(5, 6, 8), 4, 2},
		{seqs(7), 5, 0},
	} {
		if got := contiguous(c.items, c.last); got != c.want {
			t.Errorf("contiguous(%v after %d) = %d, want %d", c.items, c.last, got, c.want)
		}
	}
}
