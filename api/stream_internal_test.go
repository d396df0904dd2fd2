package api

import (
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"sankofa"
	"sankofa/metrics"
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

func TestRecoverStream(t *testing.T) {
	m := metrics.New()
	s := &Server{log: slog.New(slog.DiscardHandler), cfg: Config{Metrics: m}}
	var err error
	func() {
		defer s.recoverStream("acc_1", &err)
		panic("boom")
	}()
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("err = %v, want the panic as an error", err)
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if want := `sankofa_worker_panics_total{worker="sse"} 1`; !strings.Contains(rec.Body.String(), want) {
		t.Errorf("metrics lack %s", want)
	}
}
