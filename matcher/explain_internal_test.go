package matcher

import (
	"strings"
	"testing"
)

// TestReasonText_EveryLanguage: no sentence is missing in any language,
// and each takes the same arguments as the English one.
func TestReasonText_EveryLanguage(t *testing.T) {
	for _, lang := range Languages {
		texts, ok := reasonText[lang]
		if !ok {
			t.Fatalf("no sentences in %s", lang)
		}
		for k := range reasonCount {
			if texts[k] == "" {
				t.Errorf("%s: sentence %d missing", lang, k)
			}
			if got, want := strings.Count(texts[k], "%"), strings.Count(reasonText["en"][k], "%"); got != want {
				t.Errorf("%s: sentence %d has %d verbs, English %d", lang, k, got, want)
			}
		}
	}
}

// TestSafeguardText_EveryLanguage: every sentence about the safeguards
// list exists in every language and names the worker's country.
func TestSafeguardText_EveryLanguage(t *testing.T) {
	for _, lang := range Languages {
		texts, ok := safeguardText[lang]
		if !ok {
			t.Fatalf("no safeguard sentences in %s", lang)
		}
		for k := range safeguardCount {
			got := saySafeguard(lang, k, "GH", "GB")
			if texts[k] == "" || !strings.Contains(got, "GH") || strings.Contains(got, "%!") {
				t.Errorf("%s: sentence %d reads %q", lang, k, got)
			}
		}
	}
}
