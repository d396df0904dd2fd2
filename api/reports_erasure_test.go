package api_test

import (
	"testing"
	"time"

	"sankofa"
)

// TestReports_Erasure: a worker who erases their account takes their
// evaluations and their unpublished report with them; their published
// report keeps its facts (mission, figures, tags) and loses its texts and
// their name.
func TestReports_Erasure(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	gh, ghTok := e.Ministry(t, "GH", false)
	w, wTok := e.worker(t, func(*sankofa.ProfileInput) {})
	var o, second sankofa.Offer
	a := e.publishedAssignment(t, ghTok, nil)
	e.must(t, 200, req{Method: "POST", Path: "/v1/offers/" + e.offer(t, ghTok, a.ID, w, 201).ID + "/accept", Token: wTok}).JSON(t, &o)
	b := e.publishedAssignment(t, ghTok, func(in *sankofa.AssignmentInput) {
		in.Mode, in.VirtualHoursPerWeek, in.Start, in.End = sankofa.ModeVirtual, 2, e.day(41), e.day(80)
	})
	e.must(t, 200, req{Method: "POST", Path: "/v1/offers/" + e.offer(t, ghTok, b.ID, w, 201).ID + "/accept", Token: wTok}).JSON(t, &second)
	e.Now.Add(101 * 24 * time.Hour)
	wTok, ghTok = e.login(t, w.Email, testPassword), e.login(t, gh.Email, testPassword)
	path := "/v1/offers/" + o.ID
	e.must(t, 201, req{Method: "POST", Path: path + "/evaluation", Token: wTok,
		Body: map[string]any{"objectives_met": 4, "preparation": 4, "support": 4, "comment": "Zqx evaluation."}})
	e.must(t, 201, req{Method: "POST", Path: path + "/evaluation", Token: ghTok,
		Body: map[string]any{"objectives_met": 5, "preparation": 5, "support": 5}})
	body := reportBody("pt")
	body["objectives"] = "Zqxobjectives: formar a equipa em cesariana."
	var published reportOut
	e.must(t, 201, req{Method: "POST", Path: path + "/report", Token: wTok, Body: body}).JSON(t, &published)
	e.must(t, 200, req{Method: "POST", Path: path + "/report/consent", Token: wTok})
	e.must(t, 200, req{Method: "POST", Path: path + "/report/consent", Token: ghTok}).JSON(t, &published)
	if published.Status != sankofa.ReportPublished || published.WorkerName == "" {
		t.Fatalf("report before the erasure: %+v", published.Report)
	}

	// The second mission's report is a draft.
	e.must(t, 201, req{Method: "POST", Path: "/v1/offers/" + second.ID + "/report", Token: wTok, Body: reportBody("en")})

	e.must(t, 204, req{Method: "DELETE", Path: "/v1/me", Token: wTok, Body: map[string]string{"password": testPassword}})

	if _, err := e.Store.Evaluation(ctx, o.ID, sankofa.SideWorker); !sankofa.IsCode(err, sankofa.NotFound) {
		t.Errorf("the worker's evaluation outlived the erasure: %v", err)
	}
	if _, err := e.Store.Evaluation(ctx, o.ID, sankofa.SideMinistry); err != nil {
		t.Errorf("the ministry's evaluation: %v", err)
	}
	r, err := e.Store.Report(ctx, published.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range append(r.Texts(), r.WorkerName, r.ProfileID, r.ProfessionalID) {
		if s != "" && s != sankofa.ErasedID {
			t.Errorf("the published report kept %q", s)
		}
	}
	if !r.AuthorErased || r.Outcomes.PeopleTrained != 12 || len(r.Tags) == 0 || r.Status != sankofa.ReportPublished {
		t.Errorf("the published report lost its facts: %+v", r)
	}
	var pub struct {
		Author struct {
			Name   string
			Erased bool
		}
		Objectives string
	}
	e.must(t, 200, req{Method: "GET", Path: "/v1/reports/" + published.ID}).JSON(t, &pub)
	if pub.Author.Name != "" || !pub.Author.Erased || pub.Objectives != "" {
		t.Errorf("public view after the erasure: %+v", pub)
	}
	if _, err := e.Store.Report(ctx, sankofa.ReportIDFor(second.ID)); !sankofa.IsCode(err, sankofa.NotFound) {
		t.Errorf("the draft report of the second mission outlived the erasure: %v", err)
	}
}
