package sankofa_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"sankofa"
)

func TestProfile_RecordConsent(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	save := func(kept []sankofa.Consent, share []string, at time.Time) []sankofa.Consent {
		p := sankofa.Profile{ProfileInput: sankofa.ProfileInput{ShareWith: share}}
		p.RecordConsent(kept, at)
		return p.ConsentHistory
	}
	shares := func(h []sankofa.Consent) []string {
		out := make([]string, len(h))
		for i, c := range h {
			out[i] = fmt.Sprint(c.ShareWith)
		}
		return out
	}

	t.Run("FirstSave", func(t *testing.T) {
		h := save(nil, []string{"GH"}, t0)
		if len(h) != 1 || !h[0].At.Equal(t0) || !slices.Equal(h[0].ShareWith, []string{"GH"}) {
			t.Errorf("first save: %+v", h)
		}
		// Sharing with nobody is a consent too, recorded as an empty list.
		if h := save(nil, nil, t0); len(h) != 1 || h[0].ShareWith == nil || len(h[0].ShareWith) != 0 {
			t.Errorf("first save sharing with nobody: %#v", h)
		}
	})

	t.Run("OnlyChanges", func(t *testing.T) {
		h := save(nil, []string{"GH", "NG"}, t0)
		h = save(h, []string{"NG", "GH"}, t0.Add(time.Hour)) // reordered: no change
		h = save(h, []string{"GH"}, t0.Add(2*time.Hour))
		h = save(h, []string{"GH"}, t0.Add(3*time.Hour))
		h = save(h, []string{}, t0.Add(4*time.Hour))
		if got, want := shares(h), []string{"[GH NG]", "[GH]", "[]"}; !slices.Equal(got, want) {
			t.Errorf("history %v, want %v", got, want)
		}
		if !h[1].At.Equal(t0.Add(2*time.Hour)) || !h[2].At.Equal(t0.Add(4*time.Hour)) {
			t.Errorf("times %v, %v", h[1].At, h[2].At)
		}
	})

	t.Run("DoesNotAliasWhatItKept", func(t *testing.T) {
		kept := make([]sankofa.Consent, 1, 10)
		kept[0] = sankofa.Consent{At: t0, ShareWith: []string{"GH"}}
		share := []string{"NG"}
		h := save(kept, share, t0.Add(time.Hour))
		share[0] = "SN"
		if len(kept[:2][1].ShareWith) != 0 {
			t.Errorf("the stored history's spare capacity was written: %+v", kept[:2])
		}
		if h[1].ShareWith[0] != "NG" {
			t.Errorf("the recorded consent shares the worker's slice: %+v", h[1])
		}
	})

	t.Run("Bounded", func(t *testing.T) {
		var h []sankofa.Consent
		for i := range sankofa.MaxConsentHistory + 5 {
			h = save(h, []string{fmt.Sprintf("C%d", i)}, t0.Add(time.Duration(i)*time.Minute))
		}
		if len(h) != sankofa.MaxConsentHistory {
			t.Fatalf("%d entries, want %d", len(h), sankofa.MaxConsentHistory)
		}
		if h[0].ShareWith[0] != "C5" || h[len(h)-1].ShareWith[0] != fmt.Sprintf("C%d", sankofa.MaxConsentHistory+4) {
			t.Errorf("kept %v ... %v, want the newest", h[0], h[len(h)-1])
		}
	})
}
