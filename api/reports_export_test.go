package api_test

import (
	"testing"

	"sankofa"
)

// TestExport_Missions: a worker's export holds their own evaluation of a
// mission and its report; the ministry's holds its own evaluation only.
func TestExport_Missions(t *testing.T) {
	e := newEnv(t)
	o, wTok, ghTok, _, _ := endedMission(t, e)
	path := "/v1/offers/" + o.ID
	e.must(t, 201, req{Method: "POST", Path: path + "/evaluation", Token: wTok,
		Body: map[string]any{"objectives_met": 4, "preparation": 3, "support": 5, "comment": "Zqxworkercomment"}})
	e.must(t, 201, req{Method: "POST", Path: path + "/evaluation", Token: ghTok,
		Body: map[string]any{"objectives_met": 5, "preparation": 4, "support": 4, "comment": "Zqxministrycomment"}})
	e.must(t, 201, req{Method: "POST", Path: path + "/report", Token: wTok, Body: reportBody("pt")})

	type mission struct {
		OfferID    string              `json:"offer_id"`
		Evaluation *sankofa.Evaluation `json:"evaluation"`
		Report     *sankofa.Report     `json:"report"`
	}
	missions := func(token string) []mission {
		var doc struct {
			Missions []mission `json:"missions"`
		}
		e.must(t, 200, req{Method: "GET", Path: "/v1/me/export", Token: token}).JSON(t, &doc)
		return doc.Missions
	}
	w := missions(wTok)
	if len(w) != 1 || w[0].OfferID != o.ID || w[0].Evaluation == nil || w[0].Evaluation.Comment != "Zqxworkercomment" ||
		w[0].Report == nil || w[0].Report.Language != "pt" {
		t.Errorf("the worker's missions: %+v", w)
	}
	m := missions(ghTok)
	if len(m) != 1 || m[0].Evaluation == nil || m[0].Evaluation.Comment != "Zqxministrycomment" {
		t.Errorf("the ministry's missions: %+v", m)
	}
}
