package api_test

import (
	"strings"
	"testing"

	"sankofa"
)

type matchList struct {
	Items []struct {
		Profile     sankofa.Profile `json:"profile"`
		Score       float64         `json:"score"`
		Explanation struct {
			MatchedSkills []string `json:"matched_skills"`
			MissingSkills []string `json:"missing_skills"`
			Overlap       int      `json:"availability_overlap_days"`
			Reasons       []string `json:"reasons"`
		} `json:"explanation"`
	} `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// worker registers a professional with a profile changed by edit.
func (e *env) worker(t testing.TB, edit func(*sankofa.ProfileInput)) (sankofa.Account, string) {
	t.Helper()
	acc, tok := e.Professional(t)
	in := e.profileInput()
	edit(&in)
	e.must(t, 201, req{Method: "PUT", Path: "/v1/profiles/me", Token: tok, Body: in})
	return acc, tok
}

func TestMatches(t *testing.T) {
	e := newEnv(t)
	_, gh := e.Ministry(t, "GH", false)
	_, gh2 := e.Ministry(t, "GH", false)
	in := e.assignmentInput()
	in.RequiredSkills = []string{"caesarean section", "neonatal resuscitation"}
	in.PreferredSkills = []string{"clinical teaching"}
	in.Languages = []sankofa.Language{{Code: "en", Level: "B2"}}
	in.MinYearsExperience = 3
	var a sankofa.Assignment
	e.must(t, 201, req{Method: "POST", Path: "/v1/assignments", Token: gh, Body: in}).JSON(t, &a)
	e.must(t, 200, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/publish", Token: gh})

	best, bestTok := e.worker(t, func(p *sankofa.ProfileInput) {
		p.FullName = "Best Fit"
		p.Skills = []string{"césarienne", "réanimation néonatale", "clinical teaching"}
		p.Availability = []sankofa.Window{{From: e.day(35), To: e.day(110)}}
		p.YearsExperience = 15
	})
	partial, _ := e.worker(t, func(p *sankofa.ProfileInput) {
		p.FullName = "Partial Fit"
		p.Skills, p.Specialties = []string{"family planning"}, nil
		p.Availability = []sankofa.Window{{From: e.day(40), To: e.day(75)}}
		p.YearsExperience = 4
	})
	noLang, _ := e.worker(t, func(p *sankofa.ProfileInput) {
		p.Languages = []sankofa.Language{{Code: "en", Level: "A2"}, {Code: "fr", Level: "C2"}}
	})
	notShared, _ := e.worker(t, func(p *sankofa.ProfileInput) { p.ShareWith = []string{"NG"} })
	unavailable, _ := e.worker(t, func(p *sankofa.ProfileInput) {
		p.Availability = []sankofa.Window{{From: e.day(95), To: e.day(120)}}
	})
	junior, _ := e.worker(t, func(p *sankofa.ProfileInput) { p.YearsExperience = 1 })
	wrongJob, _ := e.worker(t, func(p *sankofa.ProfileInput) { p.Profession = "2262" })
	suspended, _ := e.worker(t, func(p *sankofa.ProfileInput) {})
	e.must(t, 200, req{Method: "POST", Path: "/v1/admin/accounts/" + suspended.ID + "/suspend", Token: e.Admin(t)})

	var got matchList
	e.must(t, 200, req{Method: "GET", Path: "/v1/assignments/" + a.ID + "/matches", Token: gh}).JSON(t, &got)
	ids := map[string]int{}
	for i, it := range got.Items {
		ids[it.Profile.ID] = i // ministries do not see account_id
		if it.Profile.Contact != nil {
			t.Errorf("match %s shows contact details", it.Profile.ID)
		}
		if it.Score < 0 || it.Score > 1 || len(it.Explanation.Reasons) == 0 {
			t.Errorf("match %s: score %v reasons %v", it.Profile.ID, it.Score, it.Explanation.Reasons)
		}
	}
	t.Run("HardConstraintsNeverViolated", func(t *testing.T) {
		for name, acc := range map[string]sankofa.Account{"language": noLang, "share_with": notShared,
			"availability": unavailable, "experience": junior, "profession": wrongJob, "suspended": suspended} {
			if _, ok := ids[sankofa.ProfileIDFor(acc.ID)]; ok {
				t.Errorf("a worker breaking %s was matched", name)
			}
		}
	})
	t.Run("RankedAndExplained", func(t *testing.T) {
		bi, ok1 := ids[sankofa.ProfileIDFor(best.ID)]
		pi, ok2 := ids[sankofa.ProfileIDFor(partial.ID)]
		if !ok1 || !ok2 {
			t.Fatalf("eligible workers missing from %v", ids)
		}
		if bi > pi {
			t.Fatalf("the best fit ranks %d, below the partial fit at %d", bi, pi)
		}
		top := got.Items[bi].Explanation
		if len(top.MatchedSkills) != 2 || len(top.MissingSkills) != 0 {
			t.Errorf("best fit explanation: matched %v missing %v (césarienne is a caesarean section)", top.MatchedSkills, top.MissingSkills)
		}
		if top.Overlap != 61 {
			t.Errorf("overlap %d days, want the whole 61-day window", top.Overlap)
		}
		low := got.Items[pi].Explanation
		if len(low.MissingSkills) != 2 || !strings.Contains(strings.Join(low.Reasons, "|"), "Missing") {
			t.Errorf("partial fit explanation %+v", low)
		}
	})
	t.Run("Paged", func(t *testing.T) {
		var first, second matchList
		e.must(t, 200, req{Method: "GET", Path: "/v1/assignments/" + a.ID + "/matches?limit=1", Token: gh}).JSON(t, &first)
		if len(first.Items) != 1 || first.NextCursor == nil {
			t.Fatalf("first page %+v", first)
		}
		e.must(t, 200, req{Method: "GET", Path: "/v1/assignments/" + a.ID + "/matches?limit=1&cursor=" + *first.NextCursor, Token: gh}).JSON(t, &second)
		if len(second.Items) != 1 || second.Items[0].Profile.ID != got.Items[1].Profile.ID {
			t.Fatalf("second page %+v", second)
		}
	})
	t.Run("OnlyOwnerAndAdmin", func(t *testing.T) {
		e.must(t, 403, req{Method: "GET", Path: "/v1/assignments/" + a.ID + "/matches", Token: gh2})
		e.must(t, 403, req{Method: "GET", Path: "/v1/assignments/" + a.ID + "/matches", Token: bestTok})
		e.must(t, 200, req{Method: "GET", Path: "/v1/assignments/" + a.ID + "/matches", Token: e.Admin(t)})
	})
	t.Run("WorkerSeesAssignment", func(t *testing.T) {
		var mine struct {
			Items []struct {
				Assignment sankofa.Assignment `json:"assignment"`
				Score      float64            `json:"score"`
			} `json:"items"`
		}
		e.must(t, 200, req{Method: "GET", Path: "/v1/profiles/me/matches", Token: bestTok}).JSON(t, &mine)
		if len(mine.Items) != 1 || mine.Items[0].Assignment.ID != a.ID {
			t.Fatalf("worker's matches %+v", mine.Items)
		}
	})
}

func TestProfiles_Search(t *testing.T) {
	e := newEnv(t)
	_, gh := e.Ministry(t, "GH", false)
	_, ng := e.Ministry(t, "NG", false)
	e.worker(t, func(p *sankofa.ProfileInput) { p.Skills = []string{"césarienne"} })
	e.worker(t, func(p *sankofa.ProfileInput) {
		p.Profession, p.Skills = "2221", []string{"triage"}
		p.Languages = []sankofa.Language{{Code: "fr", Level: "C2"}}
	})
	e.worker(t, func(p *sankofa.ProfileInput) { p.ShareWith = []string{"NG"} })
	type search struct {
		Items  []sankofa.Profile         `json:"items"`
		Total  int                       `json:"total"`
		Facets map[string]map[string]int `json:"facets"`
	}
	t.Run("SharedOnlyWithFacets", func(t *testing.T) {
		var s search
		e.must(t, 200, req{Method: "GET", Path: "/v1/profiles", Token: gh}).JSON(t, &s)
		if s.Total != 2 || len(s.Items) != 2 {
			t.Fatalf("GH sees %d profiles, want the 2 shared with GH", s.Total)
		}
		if s.Facets["profession"]["2222"] != 1 || s.Facets["profession"]["2221"] != 1 || s.Facets["language"]["fr"] != 2 || s.Facets["language"]["en"] != 1 {
			t.Errorf("facets %v", s.Facets)
		}
		for _, p := range s.Items {
			if p.Contact != nil {
				t.Error("contact details shown to a ministry")
			}
		}
		e.must(t, 200, req{Method: "GET", Path: "/v1/profiles", Token: ng}).JSON(t, &s)
		if s.Total != 1 {
			t.Fatalf("NG sees %d, want 1", s.Total)
		}
	})
	t.Run("ConceptQueryAcrossLanguages", func(t *testing.T) {
		var s search
		e.must(t, 200, req{Method: "GET", Path: "/v1/profiles?q=caesarean+section", Token: gh}).JSON(t, &s)
		if s.Total != 1 || s.Items[0].Skills[0] != "césarienne" {
			t.Fatalf("q=caesarean section found %d: %+v", s.Total, s.Items)
		}
	})
	t.Run("Filters", func(t *testing.T) {
		var s search
		e.must(t, 200, req{Method: "GET", Path: "/v1/profiles?profession=2221&language=fr", Token: gh}).JSON(t, &s)
		if s.Total != 1 {
			t.Fatalf("filtered total %d", s.Total)
		}
		got := e.do(t, req{Method: "GET", Path: "/v1/profiles?language=french", Token: gh, Bad: true})
		if got.Status != 400 {
			t.Fatalf("bad filter: %d", got.Status)
		}
	})
}
