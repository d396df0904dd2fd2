package search_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sankofa"
	"sankofa/matcher"
	"sankofa/search"
)

func TestReports_SearchAcrossLanguages(t *testing.T) {
	r, err := search.OpenReports(matcher.New(matcher.Default()))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	at := time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)
	report := func(id, lang, country, profession, objectives string, status sankofa.ReportStatus) *sankofa.Report {
		return &sankofa.Report{ID: id, Status: status, Version: 1, PublishedAt: &at, UpdatedAt: at,
			ReportInput: sankofa.ReportInput{Objectives: objectives, Activities: "Ward rounds.", LessonsLearned: "Plan ahead.", Language: lang, Tags: []string{},
				Outcomes: sankofa.ReportOutcomes{PeopleTrained: 10}},
			Mission: sankofa.ReportMission{Country: country, Profession: profession, End: "2027-03-01", Title: "Mission"}}
	}
	for _, rep := range []*sankofa.Report{
		report("rep_pt", "pt", "MZ", "2222", "Formar parteiras em cesariana segura.", sankofa.ReportPublished),
		report("rep_en", "en", "GH", "2221", "Set up a cardiac catheterisation service.", sankofa.ReportPublished),
		report("rep_draft", "fr", "SN", "2222", "Former à la césarienne.", sankofa.ReportDraft),
	} {
		if err := r.Put(rep); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		q    sankofa.ReportQuery
		want []string
	}{
		{sankofa.ReportQuery{Q: "césarienne"}, []string{"rep_pt"}},        // French finds Portuguese by concept
		{sankofa.ReportQuery{Q: "caesarean section"}, []string{"rep_pt"}}, // and English too
		{sankofa.ReportQuery{Q: "césarienne", Country: "GH"}, []string{}},
		{sankofa.ReportQuery{Language: "en"}, []string{"rep_en"}},
		{sankofa.ReportQuery{}, []string{"rep_en", "rep_pt"}},
		{sankofa.ReportQuery{Profession: "2221"}, []string{"rep_en"}},
	} {
		hits, err := r.Search(t.Context(), c.q)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(c.want, hits.IDs); diff != "" && !(len(c.want) == 0 && len(hits.IDs) == 0) {
			t.Errorf("%+v (-want +got):\n%s", c.q, diff)
		}
	}
	// Unpublishing or an older version never brings the draft in; a
	// removal is final.
	if err := r.Remove("rep_pt"); err != nil {
		t.Fatal(err)
	}
	if err := r.Put(report("rep_pt", "pt", "MZ", "2222", "cesariana", sankofa.ReportPublished)); err != nil {
		t.Fatal(err)
	}
	hits, _ := r.Search(t.Context(), sankofa.ReportQuery{Q: "cesariana"})
	if len(hits.IDs) != 0 {
		t.Errorf("a removed report came back: %v", hits.IDs)
	}
	out, err := r.Outcomes(t.Context(), "GH")
	if err != nil || len(out) != 1 || out[0].PeopleTrained != 10 || out[0].Year != 2027 {
		t.Errorf("outcomes of GH = %+v, %v", out, err)
	}
}
