package api_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"sankofa"
)

// policyMatches is a page of GET /v1/assignments/{id}/matches as the
// profession policy scenario reads it.
type policyMatches struct {
	Items []struct {
		Profile     sankofa.Profile `json:"profile"`
		Score       float64         `json:"score"`
		Explanation struct {
			Substitution *struct {
				Profession string `json:"profession"`
				By         string `json:"by"`
			} `json:"substitution"`
			Evidence bool     `json:"evidence"`
			Reasons  []string `json:"reasons"`
		} `json:"explanation"`
	} `json:"items"`
}

// TestProfessionPolicy drives the scenario of the issue through the API: a
// Senegalese ministry posts an intensive-care nursing post. Midwives are
// out by default, everywhere (matches, a worker's matches, offers, alerts,
// the interest list); once the ministry lists 2222 the midwife with
// critical-care skills is in and her explanation says why, while a worker
// whose skills share nothing with the post stays in the tail.
func TestProfessionPolicy(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	_, sn := e.Ministry(t, "SN", false)
	me := e.must(t, 200, req{Method: "GET", Path: "/v1/me", Token: sn})
	e.must(t, 200, req{Method: "PATCH", Path: "/v1/me", Token: sn, Header: map[string]string{"If-Match": me.Header.Get("ETag")},
		Body: map[string]any{"locale": "fr"}})

	in := e.assignmentInput()
	in.Title, in.Description = "Infirmier diplômé d'État – soins intensifs", "Service de réanimation, Hôpital Principal de Dakar."
	in.Profession = "2221"
	in.Specialties = []string{"soins infirmiers en réanimation"}
	in.RequiredSkills = []string{"ventilation mécanique", "gestion des voies aériennes"}
	in.Languages = []sankofa.Language{{Code: "fr", Level: "B2"}}
	in.Mode, in.VirtualHoursPerWeek = sankofa.ModeVirtual, 6
	var a sankofa.Assignment
	e.must(t, 201, req{Method: "POST", Path: "/v1/assignments", Token: sn, Body: in}).JSON(t, &a)
	if !slices.Equal(a.AcceptedProfessions, []string{"2221"}) {
		t.Fatalf("accepted_professions %v, want the default [2221]", a.AcceptedProfessions)
	}
	e.must(t, 200, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/publish", Token: sn}).JSON(t, &a)

	senegal := func(prof string, specialties, skills []string) func(*sankofa.ProfileInput) {
		return func(p *sankofa.ProfileInput) {
			p.Profession, p.Specialties, p.Skills = prof, specialties, skills
			p.Languages = []sankofa.Language{{Code: "fr", Level: "C1"}}
			p.ShareWith, p.Modes, p.VirtualHoursPerWeek = []string{"SN"}, []sankofa.Mode{sankofa.ModeVirtual}, 10
		}
	}
	nurse, _ := e.worker(t, senegal("2221", []string{"soins intensifs"}, []string{"ventilation mécanique", "gestion des voies aériennes"}))
	bareNurse, _ := e.worker(t, senegal("2221", []string{"biologie médicale"}, []string{"microscopie"}))
	midwife, midwifeTok := e.worker(t, senegal("2222", []string{"soins infirmiers en réanimation"}, []string{"ventilation mécanique"}))
	bioMidwife, _ := e.worker(t, senegal("2222", []string{"biologie médicale"}, []string{"microscopie"}))
	e.must(t, 201, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/interest", Token: midwifeTok})

	matches := func(t *testing.T) (policyMatches, map[string]int) {
		t.Helper()
		var got policyMatches
		e.must(t, 200, req{Method: "GET", Path: "/v1/assignments/" + a.ID + "/matches", Token: sn}).JSON(t, &got)
		at := map[string]int{}
		for i, it := range got.Items {
			at[it.Profile.ID] = i
		}
		return got, at
	}
	myMatches := func(t *testing.T, tok string) []string {
		t.Helper()
		var mine struct {
			Items []struct {
				Assignment  sankofa.Assignment `json:"assignment"`
				Explanation struct {
					Reasons []string `json:"reasons"`
				} `json:"explanation"`
			} `json:"items"`
		}
		e.must(t, 200, req{Method: "GET", Path: "/v1/profiles/me/matches", Token: tok}).JSON(t, &mine)
		var out []string
		for _, it := range mine.Items {
			if it.Assignment.ID == a.ID {
				out = append(out, it.Explanation.Reasons...)
				out = append(out, "matched")
			}
		}
		return out
	}
	unmet := func(t *testing.T) []string {
		t.Helper()
		var l struct {
			Items []struct {
				Profile sankofa.Profile `json:"profile"`
				Unmet   []string        `json:"unmet"`
			} `json:"items"`
		}
		e.must(t, 200, req{Method: "GET", Path: "/v1/assignments/" + a.ID + "/interest", Token: sn}).JSON(t, &l)
		if len(l.Items) != 1 {
			t.Fatalf("interest list %+v", l)
		}
		return l.Items[0].Unmet
	}
	audience := func(t *testing.T) []string {
		t.Helper()
		ids, err := e.Server.AlertAudience(ctx, &a, 10)
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}

	t.Run("MidwifeOutByDefault", func(t *testing.T) {
		got, at := matches(t)
		for _, w := range []sankofa.Account{midwife, bioMidwife} {
			if _, ok := at[sankofa.ProfileIDFor(w.ID)]; ok {
				t.Errorf("a midwife was matched to a nursing post without the ministry's say: %+v", got)
			}
		}
		if i, ok := at[sankofa.ProfileIDFor(nurse.ID)]; !ok || i != 0 {
			t.Errorf("the critical-care nurse ranks %d (%v), want first", i, ok)
		}
		if i, ok := at[sankofa.ProfileIDFor(bareNurse.ID)]; !ok || got.Items[i].Explanation.Evidence {
			t.Errorf("the nurse with no related skill: at %d (%v), want matched without evidence", i, ok)
		}
		if r := myMatches(t, midwifeTok); r != nil {
			t.Errorf("the midwife's own matches list the post: %v", r)
		}
		if u := unmet(t); !slices.Equal(u, []string{"profession"}) {
			t.Errorf("interest list unmet %v, want [profession]", u)
		}
		if ids := audience(t); slices.Contains(ids, midwife.ID) || slices.Contains(ids, bioMidwife.ID) || !slices.Contains(ids, nurse.ID) {
			t.Errorf("alert audience %v", ids)
		}
		p := e.do(t, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/offers", Token: sn,
			Body: map[string]any{"profile_id": sankofa.ProfileIDFor(midwife.ID), "message": "Viendrez-vous ?"}})
		if p.Status != 409 || !strings.Contains(string(p.Body), "profession") {
			t.Errorf("offer to the midwife: %d %s, want 409 naming the profession", p.Status, p.Body)
		}
	})

	etag := e.must(t, 200, req{Method: "GET", Path: "/v1/assignments/" + a.ID, Token: sn}).Header.Get("ETag")
	t.Run("ErrNotAHealthOccupation", func(t *testing.T) {
		p := e.do(t, req{Method: "PATCH", Path: "/v1/assignments/" + a.ID, Token: sn, Header: map[string]string{"If-Match": etag},
			Body: map[string]any{"accepted_professions": []string{"2221", "2310"}}})
		if p.Status != 400 || !strings.Contains(string(p.Body), "accepted_professions[1]") {
			t.Errorf("a teacher's code accepted: %d %s", p.Status, p.Body)
		}
	})

	e.must(t, 200, req{Method: "PATCH", Path: "/v1/assignments/" + a.ID, Token: sn, Header: map[string]string{"If-Match": etag},
		Body: map[string]any{"accepted_professions": []string{"2221", "2222"}}}).JSON(t, &a)

	t.Run("MidwifeInOnceListed", func(t *testing.T) {
		got, at := matches(t)
		i, ok := at[sankofa.ProfileIDFor(midwife.ID)]
		if !ok {
			t.Fatalf("the critical-care midwife is not matched once the ministry lists 2222: %+v", got)
		}
		ex := got.Items[i].Explanation
		const want = "Peut occuper ce poste en tant que sage-femme (accepté par le ministère)"
		if ex.Substitution == nil || ex.Substitution.Profession != "2222" || ex.Substitution.By != "ministry" || !slices.Contains(ex.Reasons, want) {
			t.Errorf("midwife explanation %+v, want a substitution by the ministry and %q", ex, want)
		}
		for _, w := range []sankofa.Account{bareNurse, bioMidwife} {
			j, ok := at[sankofa.ProfileIDFor(w.ID)]
			if !ok || j < i || j < at[sankofa.ProfileIDFor(nurse.ID)] || got.Items[j].Explanation.Evidence {
				t.Errorf("a worker with no related skill ranks %d (matched %v), above a worker with evidence", j, ok)
			}
		}
		if r := myMatches(t, midwifeTok); !slices.Contains(r, "Can fill this post as a midwifery professional (accepted by the ministry)") {
			t.Errorf("the midwife's own matches: %v", r)
		}
		if u := unmet(t); len(u) != 0 {
			t.Errorf("interest list unmet %v, want none", u)
		}
		if ids := audience(t); !slices.Contains(ids, midwife.ID) {
			t.Errorf("alert audience %v lacks the midwife", ids)
		}
		e.offer(t, sn, a.ID, midwife, 201)
	})

	t.Run("Occupations", func(t *testing.T) {
		var l struct {
			Items []struct {
				Code           string            `json:"code"`
				Names          map[string]string `json:"names"`
				DefaultFillers []string          `json:"default_fillers"`
			} `json:"items"`
		}
		e.must(t, 200, req{Method: "GET", Path: "/v1/occupations", Token: sn}).JSON(t, &l)
		if len(l.Items) != len(sankofa.Occupations) {
			t.Fatalf("%d occupations, want %d", len(l.Items), len(sankofa.Occupations))
		}
		for _, o := range l.Items {
			if o.Names["en"] != sankofa.Occupations[o.Code] || o.Names["fr"] == "" || o.Names["pt"] == "" {
				t.Errorf("%s: names %v", o.Code, o.Names)
			}
			switch o.Code {
			case "2221":
				if !slices.Equal(o.DefaultFillers, []string{"2221"}) {
					t.Errorf("2221 default fillers %v", o.DefaultFillers)
				}
			case "3221":
				if !slices.Equal(o.DefaultFillers, []string{"3221", "2221"}) {
					t.Errorf("3221 default fillers %v", o.DefaultFillers)
				}
			}
		}
		e.must(t, 401, req{Method: "GET", Path: "/v1/occupations"})
	})
}
