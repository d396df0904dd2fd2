package api_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"sankofa"
)

// reportBody is a valid report in lang, on caesarean sections.
func reportBody(lang string) map[string]any {
	texts := map[string][]string{
		"en": {"Train the maternity team in safe caesarean section.", "Daily ward rounds and simulation drills.",
			"Fewer complications after caesarean section.", "Drills need a room set aside."},
		"fr": {"Former l'équipe de la maternité à la césarienne sûre.", "Visites quotidiennes et exercices de simulation.",
			"Moins de complications après césarienne.", "Les exercices demandent une salle réservée."},
		"pt": {"Formar a equipa da maternidade em cesariana segura.", "Visitas diárias e exercícios de simulação.",
			"Menos complicações após cesariana.", "Os exercícios precisam de uma sala reservada."},
	}[lang]
	return map[string]any{
		"objectives": texts[0], "activities": texts[1],
		"outcomes":        map[string]any{"people_trained": 12, "procedures_performed": 30, "protocols_written": 2, "results": texts[2]},
		"lessons_learned": texts[3], "recommendations": "", "language": lang, "tags": []string{"neonatal resuscitation"},
	}
}

type reportOut struct {
	sankofa.Report
	TagLabels []struct{ ID, Label string } `json:"tag_labels"`
}

// endedMission gives an accepted offer of ministry GH to a new worker,
// and moves the clock to the day after its end; the tokens are fresh.
func endedMission(t *testing.T, e *env) (o sankofa.Offer, worker, ministry string, ghAcc, wAcc sankofa.Account) {
	t.Helper()
	gh, ghTok := e.Ministry(t, "GH", false)
	a := e.publishedAssignment(t, ghTok, nil)
	w, wTok := e.worker(t, func(*sankofa.ProfileInput) {})
	ob := e.offer(t, ghTok, a.ID, w, 201)
	e.must(t, 200, req{Method: "POST", Path: "/v1/offers/" + ob.ID + "/accept", Token: wTok}).JSON(t, &o)
	e.must(t, 409, req{Method: "POST", Path: "/v1/offers/" + o.ID + "/evaluation", Token: wTok,
		Body: map[string]any{"objectives_met": 4, "preparation": 4, "support": 4}})
	end, _ := o.Terms.End.Time()
	e.Now.Add(end.AddDate(0, 0, 1).Sub(e.Now.Now()) + time.Hour)
	return o, e.login(t, w.Email, testPassword), e.login(t, gh.Email, testPassword), gh, w
}

func TestReports_Mission(t *testing.T) {
	e := newEnv(t)
	o, wTok, ghTok, _, _ := endedMission(t, e)
	path := "/v1/offers/" + o.ID

	t.Run("Evaluations", func(t *testing.T) {
		p := e.must(t, 400, req{Method: "POST", Path: path + "/evaluation", Token: wTok, Bad: true,
			Body: map[string]any{"objectives_met": 0, "preparation": 6, "support": 3}}).Problem(t)
		if len(p.Errors) != 2 || p.Errors[0].Field != "objectives_met" {
			t.Errorf("field errors %+v", p.Errors)
		}
		e.must(t, 201, req{Method: "POST", Path: path + "/evaluation", Token: wTok,
			Body: map[string]any{"objectives_met": 4, "preparation": 3, "support": 5, "comment": "Well prepared."}})
		if p := e.must(t, 409, req{Method: "POST", Path: path + "/evaluation", Token: wTok,
			Body: map[string]any{"objectives_met": 1, "preparation": 1, "support": 1}}).Problem(t); p.Code != sankofa.AlreadyEvaluated {
			t.Errorf("second evaluation: code %s", p.Code)
		}
		var st struct {
			Mine           *sankofa.Evaluation `json:"mine"`
			OtherSubmitted bool                `json:"other_side_submitted"`
			Open           bool
		}
		e.must(t, 200, req{Method: "GET", Path: path + "/evaluation", Token: ghTok}).JSON(t, &st)
		if st.Mine != nil || !st.OtherSubmitted || !st.Open {
			t.Errorf("ministry's view before its evaluation: %+v", st)
		}
		e.must(t, 201, req{Method: "POST", Path: path + "/evaluation", Token: ghTok,
			Body: map[string]any{"objectives_met": 5, "preparation": 4, "support": 4}})
		e.must(t, 200, req{Method: "GET", Path: path + "/evaluation", Token: wTok}).JSON(t, &st)
		if st.Mine == nil || st.Mine.Comment != "Well prepared." || !st.OtherSubmitted || st.Open {
			t.Errorf("worker's view after both: %+v", st)
		}
	})

	var r reportOut
	t.Run("Write", func(t *testing.T) {
		e.must(t, 403, req{Method: "POST", Path: path + "/report", Token: ghTok, Body: reportBody("fr")})
		bad := reportBody("fr")
		bad["tags"] = []string{"zzqxv wibble"}
		bad["objectives"] = ""
		p := e.must(t, 400, req{Method: "POST", Path: path + "/report", Token: wTok, Body: bad}).Problem(t)
		if len(p.Errors) != 1 || p.Errors[0].Field != "objectives" {
			t.Errorf("field errors %+v", p.Errors)
		}
		bad["objectives"] = "x"
		p = e.must(t, 400, req{Method: "POST", Path: path + "/report", Token: wTok, Body: bad}).Problem(t)
		if len(p.Errors) != 1 || p.Errors[0].Field != "tags[0]" {
			t.Errorf("field errors %+v", p.Errors)
		}
		res := e.must(t, 201, req{Method: "POST", Path: path + "/report", Token: wTok, Body: reportBody("fr")})
		res.JSON(t, &r)
		if r.Status != sankofa.ReportDraft || res.Header.Get("ETag") != `"v1"` || r.Mission.Country != "GH" ||
			r.Mission.OriginCountry != "GH" || r.WorkerName == "" || len(r.Tags) != 1 || !strings.HasPrefix(r.Tags[0], "skill:") {
			t.Errorf("new report %+v", r)
		}
		if p := e.must(t, 409, req{Method: "POST", Path: path + "/report", Token: wTok, Body: reportBody("fr")}).Problem(t); p.Code != sankofa.ReportExists {
			t.Errorf("second report: code %s", p.Code)
		}
		e.must(t, 428, req{Method: "PUT", Path: path + "/report", Token: wTok, Body: reportBody("fr"), Bad: true})
		e.must(t, 412, req{Method: "PUT", Path: path + "/report", Token: wTok, Body: reportBody("fr"), Header: map[string]string{"If-Match": `"v9"`}})
		e.must(t, 403, req{Method: "PATCH", Path: path + "/report", Token: ghTok, Body: map[string]any{"recommendations": "Plus."},
			Header: map[string]string{"If-Match": `"v1"`}})
		e.must(t, 200, req{Method: "PATCH", Path: path + "/report", Token: wTok, Body: map[string]any{"co_authored": true, "anonymous": true},
			Header: map[string]string{"If-Match": `"v1"`}}).JSON(t, &r)
		p = e.must(t, 400, req{Method: "PATCH", Path: path + "/report", Token: ghTok, Body: map[string]any{"anonymous": false},
			Header: map[string]string{"If-Match": `"v2"`}}).Problem(t)
		if len(p.Errors) != 1 || p.Errors[0].Field != "anonymous" {
			t.Errorf("ministry's change of anonymous: %+v", p.Errors)
		}
		e.must(t, 200, req{Method: "PATCH", Path: path + "/report", Token: ghTok,
			Body:   map[string]any{"recommendations": "Réserver une salle de simulation.", "outcomes": map[string]any{"people_trained": 14}},
			Header: map[string]string{"If-Match": `"v2"`}}).JSON(t, &r)
		if r.Outcomes.PeopleTrained != 14 || r.Outcomes.ProceduresPerformed != 30 || r.Version != 3 {
			t.Errorf("after the ministry's patch: %+v", r.Report)
		}
	})

	t.Run("Publish", func(t *testing.T) {
		e.must(t, 200, req{Method: "POST", Path: path + "/report/consent", Token: wTok}).JSON(t, &r)
		if r.Status != sankofa.ReportDraft || r.Consent.Worker == nil || r.Consent.Ministry != nil {
			t.Fatalf("after one consent: %+v", r.Consent)
		}
		// An edit by the ministry withdraws the worker's consent.
		e.must(t, 200, req{Method: "PATCH", Path: path + "/report", Token: ghTok, Body: map[string]any{"recommendations": "Réserver une salle."},
			Header: map[string]string{"If-Match": `"v4"`}}).JSON(t, &r)
		if r.Consent.Worker != nil {
			t.Fatalf("the worker's consent outlived the ministry's edit")
		}
		e.must(t, 200, req{Method: "POST", Path: path + "/report/consent", Token: ghTok})
		e.must(t, 200, req{Method: "DELETE", Path: path + "/report/consent", Token: ghTok})
		e.must(t, 200, req{Method: "POST", Path: path + "/report/consent", Token: ghTok})
		e.must(t, 200, req{Method: "POST", Path: path + "/report/consent", Token: wTok}).JSON(t, &r)
		if r.Status != sankofa.ReportPublished || r.PublishedAt == nil {
			t.Fatalf("after both consents: %s", r.Status)
		}
		if p := e.must(t, 409, req{Method: "DELETE", Path: path + "/report/consent", Token: wTok}).Problem(t); p.Code != sankofa.ReportAlreadyPublished {
			t.Errorf("withdrawal after publication: code %s", p.Code)
		}
		if p := e.must(t, 409, req{Method: "PATCH", Path: path + "/report", Token: wTok, Body: map[string]any{"objectives": "Changed."},
			Header: map[string]string{"If-Match": `"v` + strconv.FormatInt(r.Version, 10) + `"`}}).Problem(t); p.Code != sankofa.ReportAlreadyPublished {
			t.Errorf("edit after publication: code %s", p.Code)
		}
	})

	t.Run("PublicSearch", func(t *testing.T) {
		type page struct {
			Items []struct {
				ID     string
				Author struct {
					Name      string
					Anonymous bool
				}
				Tags     []struct{ ID, Label string }
				Language string
			}
			Total int
		}
		var got page
		// A Portuguese query finds the French report by concept.
		e.must(t, 200, req{Method: "GET", Path: "/v1/reports?q=" + url.QueryEscape("cesariana"), Header: map[string]string{"Accept-Language": "pt-PT"}}).JSON(t, &got)
		if len(got.Items) != 1 || got.Items[0].ID != r.ID || got.Items[0].Language != "fr" {
			t.Fatalf("search for cesariana: %+v", got)
		}
		if it := got.Items[0]; it.Author.Name != "" || !it.Author.Anonymous || len(it.Tags) != 1 || it.Tags[0].Label != "reanimação neonatal" {
			t.Errorf("public report %+v", it)
		}
		for q, want := range map[string]int{"?q=cardiac+surgery": 0, "?lang=pt": 0, "?lang=fr&country=GH": 1, "?profession=2221": 0, "": 1} {
			e.must(t, 200, req{Method: "GET", Path: "/v1/reports" + q}).JSON(t, &got)
			if len(got.Items) != want {
				t.Errorf("%s: %d reports, want %d", q, len(got.Items), want)
			}
		}
		e.must(t, 400, req{Method: "GET", Path: "/v1/reports?country=Ghana", Bad: true})
		e.must(t, 200, req{Method: "GET", Path: "/v1/reports/" + r.ID})
		var out struct {
			Missions int
			Cells    []struct {
				Missions      int
				Rounded       bool
				PeopleTrained int `json:"people_trained"`
			}
		}
		e.must(t, 200, req{Method: "GET", Path: "/v1/observatory/outcomes?country=GH"}).JSON(t, &out)
		if out.Missions != 5 || len(out.Cells) != 1 || !out.Cells[0].Rounded || out.Cells[0].PeopleTrained != 14 {
			t.Errorf("outcomes %+v", out)
		}
		e.must(t, 200, req{Method: "GET", Path: "/v1/observatory/outcomes?country=NG"}).JSON(t, &out)
		if out.Missions != 0 || len(out.Cells) != 0 {
			t.Errorf("outcomes of NG %+v", out)
		}
	})
}

func TestReports_Windows(t *testing.T) {
	e := newEnv(t)
	o, _, _, gh, w := endedMission(t, e)
	path := "/v1/offers/" + o.ID
	e.Now.Add(8 * 24 * time.Hour)
	wTok, ghTok := e.login(t, w.Email, testPassword), e.login(t, gh.Email, testPassword)
	if p := e.must(t, 409, req{Method: "POST", Path: path + "/evaluation", Token: ghTok,
		Body: map[string]any{"objectives_met": 4, "preparation": 4, "support": 4}}).Problem(t); p.Code != sankofa.EvaluationClosed {
		t.Errorf("late evaluation: code %s", p.Code)
	}
	e.must(t, 201, req{Method: "POST", Path: path + "/report", Token: wTok, Body: reportBody("en")})
	e.Now.Add(23 * 24 * time.Hour)
	wTok = e.login(t, w.Email, testPassword)
	if p := e.must(t, 409, req{Method: "PATCH", Path: path + "/report", Token: wTok, Body: map[string]any{"objectives": "Late."},
		Header: map[string]string{"If-Match": `"v1"`}}).Problem(t); p.Code != sankofa.ReportClosed {
		t.Errorf("late edit: code %s", p.Code)
	}
	// Consent stays open after the 30 days.
	e.must(t, 200, req{Method: "POST", Path: path + "/report/consent", Token: wTok})
}

func TestReports_Reminders(t *testing.T) {
	e := newEnv(t)
	o, _, _, gh, w := endedMission(t, e)
	ctx := t.Context()
	if n, err := e.Missions.Remind(ctx); err != nil || n != 1 {
		t.Fatalf("first sweep sent %d (%v), want the evaluation request", n, err)
	}
	if n, err := e.Missions.Remind(ctx); err != nil || n != 0 {
		t.Fatalf("second sweep sent %d (%v), want none", n, err)
	}
	// The inbox is read from the store: the clock moved past the
	// retention of what the API lists.
	asked := func(userID, kind string) func() bool {
		return func() bool {
			page, err := e.Store.Notifications(ctx, userID, false, "", 50, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range page.Items {
				if n.Kind == kind && n.Data["offer_id"] == o.ID {
					return true
				}
			}
			return false
		}
	}
	waitFor(t, "the worker's evaluation request", asked(w.ID, sankofa.NoteMissionEvaluate))
	waitFor(t, "the ministry's evaluation request", asked(gh.ID, sankofa.NoteMissionEvaluate))
	e.Now.Add(24 * 24 * time.Hour)
	if n, err := e.Missions.Remind(ctx); err != nil || n != 1 {
		t.Fatalf("sweep a week before the report is due sent %d (%v), want 1", n, err)
	}
	waitFor(t, "the worker's report reminder", asked(w.ID, sankofa.NoteMissionReportDue))
}
