package notifier_test

import (
	"strings"
	"testing"

	"sankofa"
	"sankofa/notifier"
)

var kinds = []string{
	sankofa.NoteOfferReceived, sankofa.NoteOfferAccepted, sankofa.NoteOfferDeclined,
	sankofa.NoteOfferWithdrawn, sankofa.NoteOfferExpired, sankofa.NoteInterest,
	sankofa.NoteAssignmentNew, sankofa.NoteAlertDigest, sankofa.NoteAssignmentDone,
}

var fullParams = map[string]string{
	"assignment": "Obstetric surgery training", "country": "GH", "ministry": "Ghana Health Service",
	"professional": "Ama Mensah", "count": "3", "reason": "Dates changed.", "status": "filled",
	"expires": "2026-12-04",
}

func TestRender(t *testing.T) {
	generic, _ := notifier.Render("no.such.kind", "en", nil)
	for _, kind := range kinds {
		for _, locale := range sankofa.Locales {
			for name, params := range map[string]map[string]string{"Full": fullParams, "Empty": nil, "One": {"count": "1"}} {
				t.Run(kind+"/"+locale+"/"+name, func(t *testing.T) {
					title, body := notifier.Render(kind, locale, params)
					if title == "" || body == "" {
						t.Fatalf("empty: %q / %q", title, body)
					}
					if title == generic {
						t.Fatalf("kind %s has no texts of its own", kind)
					}
					for _, s := range []string{title, body} {
						if strings.ContainsAny(s, "{}") || strings.Contains(s, "  ") || strings.Contains(s, "()") ||
							strings.Contains(s, " .") || s != strings.TrimSpace(s) {
							t.Errorf("untidy text %q", s)
						}
					}
					if len(title) > 80 {
						t.Errorf("title of %d bytes is long for a phone: %q", len(title), title)
					}
				})
			}
		}
	}
}

func TestRender_Values(t *testing.T) {
	tests := []struct {
		kind, locale    string
		params          map[string]string
		title, bodyPart string
	}{
		{sankofa.NoteOfferReceived, "en", fullParams, "New offer: Obstetric surgery training", "Ghana Health Service has an offer for you: Obstetric surgery training (GH)."},
		{sankofa.NoteOfferAccepted, "fr", fullParams, "Offre acceptée\u00a0: Obstetric surgery training", "Ama Mensah a accepté"},
		{sankofa.NoteOfferDeclined, "pt", fullParams, "Oferta recusada: Obstetric surgery training", "recusou a sua oferta para Obstetric surgery training. Dates changed."},
		{sankofa.NoteAssignmentDone, "fr", fullParams, "Mise à jour\u00a0: Obstetric surgery training", "est désormais pourvue."},
		{sankofa.NoteAssignmentDone, "pt", fullParams, "Atualização: Obstetric surgery training", "está agora preenchida."},
		{sankofa.NoteAlertDigest, "en", map[string]string{"count": "3"}, "3 new assignments for you", "3 assignments"},
		{sankofa.NoteAlertDigest, "en", map[string]string{"count": "1"}, "1 new assignment for you", "An assignment"},
		{sankofa.NoteAssignmentNew, "en", map[string]string{"ministry": "MoH"}, "New assignment:", "MoH posted an assignment"},
		// Unknown locales fall back to English, regional ones to their language.
		{sankofa.NoteOfferExpired, "de", fullParams, "Offer expired: Obstetric surgery training", "expired without an answer"},
		{sankofa.NoteOfferExpired, "", fullParams, "Offer expired: Obstetric surgery training", "expired without an answer"},
		{sankofa.NoteOfferExpired, "fr-CA", fullParams, "Offre expirée\u00a0: Obstetric surgery training", "L’offre pour"},
		{sankofa.NoteOfferExpired, "PT_br", fullParams, "Oferta expirada: Obstetric surgery training", "expirou sem resposta"},
		// Values are inserted as they are, never expanded again.
		{sankofa.NoteOfferExpired, "en", map[string]string{"assignment": "{ministry}"}, "Offer expired: {ministry}", "for {ministry} expired"},
		{"no.such.kind", "fr", nil, "Sankofa", "Vous avez une nouvelle notification."},
	}
	for _, tt := range tests {
		t.Run(tt.kind+"/"+tt.locale, func(t *testing.T) {
			title, body := notifier.Render(tt.kind, tt.locale, tt.params)
			if title != tt.title || !strings.Contains(body, tt.bodyPart) {
				t.Fatalf("got %q / %q; want %q / …%q…", title, body, tt.title, tt.bodyPart)
			}
		})
	}
}

func TestRender_Accents(t *testing.T) {
	// A sanity check that the French and Portuguese texts were not written
	// without their accents.
	for locale, accents := range map[string]string{"fr": "éèêàçô", "pt": "ãõáéíóúçâê"} {
		var all strings.Builder
		for _, kind := range kinds {
			title, body := notifier.Render(kind, locale, fullParams)
			all.WriteString(title + body)
		}
		if !strings.ContainsAny(all.String(), accents) {
			t.Errorf("%s texts have no accents", locale)
		}
		if en, _ := notifier.Render(sankofa.NoteOfferReceived, "en", fullParams); strings.Contains(all.String(), en) {
			t.Errorf("%s texts contain the English title %q", locale, en)
		}
	}
}

func FuzzRender(f *testing.F) {
	f.Add(sankofa.NoteOfferReceived, "fr", "{assignment}", "(")
	f.Add(sankofa.NoteAlertDigest, "pt-BR", "", "1")
	f.Fuzz(func(t *testing.T, kind, locale, assignment, count string) {
		title, body := notifier.Render(kind, locale, map[string]string{"assignment": assignment, "count": count})
		if title == "" || body == "" {
			t.Fatalf("empty text for %q/%q", kind, locale)
		}
	})
}
