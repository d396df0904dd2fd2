package api_test

import (
	"net/url"
	"testing"

	"sankofa"
	"sankofa/matcher"
)

func TestTaxonomySuggest(t *testing.T) {
	e := newEnv(t)
	_, pro := e.Professional(t)
	_, fr := e.frenchWorker(t)
	type answer struct {
		Items []matcher.Suggestion `json:"items"`
	}
	tests := []struct {
		name   string
		token  string
		query  string
		status int
		first  matcher.Suggestion
		field  string // the field a 400 names
	}{
		{name: "English", token: pro, query: "q=caesar&lang=en", status: 200,
			first: matcher.Suggestion{Code: "skill:caesarean-section", Label: "caesarean section", Matched: "caesarean section", Kind: "skill"}},
		{name: "FrenchAccentsIgnored", token: pro, query: "q=" + url.QueryEscape("CÉSARI") + "&lang=fr", status: 200,
			first: matcher.Suggestion{Code: "skill:caesarean-section", Label: "césarienne", Matched: "césarienne", Kind: "skill"}},
		{name: "Portuguese", token: pro, query: "q=" + url.QueryEscape("reanimação neo") + "&lang=pt&kind=skill", status: 200,
			first: matcher.Suggestion{Code: "skill:neonatal-resuscitation", Label: "reanimação neonatal", Matched: "reanimação neonatal", Kind: "skill"}},
		{name: "Typo", token: pro, query: "q=" + url.QueryEscape("obstetirc ultra") + "&lang=en&limit=3", status: 200,
			first: matcher.Suggestion{Code: "skill:obstetric-ultrasound", Label: "obstetric ultrasound", Matched: "obstetric ultrasound", Kind: "skill"}},
		{name: "LangFromAccountLocale", token: fr, query: "q=caesarean", status: 200,
			first: matcher.Suggestion{Code: "skill:caesarean-section", Label: "césarienne", Matched: "caesarean", Kind: "skill"}},
		{name: "ErrNoQuery", token: pro, query: "lang=en", status: 400, field: "q"},
		{name: "ErrLang", token: pro, query: "q=caes&lang=de", status: 400, field: "lang"},
		{name: "ErrKind", token: pro, query: "q=caes&kind=language", status: 400, field: "kind"},
		{name: "ErrLimit", token: pro, query: "q=caes&limit=21", status: 400, field: "limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := e.do(t, req{Method: "GET", Path: "/v1/taxonomy/suggest?" + tt.query, Token: tt.token, Bad: tt.status >= 400})
			if got.Status != tt.status {
				t.Fatalf("status %d, want %d; body %s", got.Status, tt.status, got.Body)
			}
			if tt.status >= 400 {
				p := got.Problem(t)
				if len(p.Errors) == 0 || p.Errors[0].Field != tt.field {
					t.Errorf("field errors %+v, want one on %s", p.Errors, tt.field)
				}
				return
			}
			var a answer
			got.JSON(t, &a)
			if len(a.Items) == 0 || a.Items[0] != tt.first {
				t.Errorf("items %+v, want first %+v", a.Items, tt.first)
			}
		})
	}

	// What the console sends back: a suggestion's label, in the worker's
	// language, is read as the concept when matching.
	t.Run("LabelInProfileMatches", func(t *testing.T) {
		_, gh := e.Ministry(t, "GH", false)
		a := e.publishedAssignment(t, gh, nil)
		w, _ := e.worker(t, func(in *sankofa.ProfileInput) { in.Skills = []string{"césarienne"} })
		var l struct {
			Items []struct {
				Profile     sankofa.Profile
				Explanation matcher.Explanation
			}
		}
		e.must(t, 200, req{Method: "GET", Path: "/v1/assignments/" + a.ID + "/matches", Token: gh}).JSON(t, &l)
		for _, it := range l.Items {
			if it.Profile.ID == sankofa.ProfileIDFor(w.ID) {
				if len(it.Explanation.MatchedSkills) == 0 {
					t.Errorf("césarienne did not meet caesarean section: %+v", it.Explanation)
				}
				return
			}
		}
		t.Error("the worker is not ranked")
	})
}
