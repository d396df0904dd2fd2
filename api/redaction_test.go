package api_test

import (
	"strings"
	"testing"

	"sankofa"
)

// TestProfiles_RedactedForMinistries: once a worker has accepted one
// ministry's offer, another ministry sees the time it takes but neither
// the offer, the assignment nor the worker's account, wherever it sees the
// profile; the worker sees it whole.
func TestProfiles_RedactedForMinistries(t *testing.T) {
	e := newEnv(t)
	_, firstTok := e.Ministry(t, "GH", false)
	_, otherTok := e.Ministry(t, "GH", false)
	first := e.publishedAssignment(t, firstTok, nil)
	worker, workerTok := e.worker(t, func(p *sankofa.ProfileInput) {
		p.Availability = []sankofa.Window{{From: e.day(30), To: e.day(300)}}
	})
	o := e.offer(t, firstTok, first.ID, worker, 201)
	e.must(t, 200, req{Method: "POST", Path: "/v1/offers/" + o.ID + "/accept", Token: workerTok})
	other := e.publishedAssignment(t, otherTok, func(a *sankofa.AssignmentInput) { a.Start, a.End = e.day(150), e.day(200) })
	e.must(t, 201, req{Method: "POST", Path: "/v1/assignments/" + other.ID + "/interest", Token: workerTok})

	var own sankofa.Profile
	e.must(t, 200, req{Method: "GET", Path: "/v1/profiles/me", Token: workerTok}).JSON(t, &own)
	if own.AccountID != worker.ID || len(own.Commitments) != 1 || own.Commitments[0].OfferID != o.ID || own.Commitments[0].AssignmentID != first.ID {
		t.Fatalf("the worker's own profile: account %q commitments %+v", own.AccountID, own.Commitments)
	}
	pid := sankofa.ProfileIDFor(worker.ID)
	for name, path := range map[string]string{
		"Profile":  "/v1/profiles/" + pid,
		"Search":   "/v1/profiles",
		"Matches":  "/v1/assignments/" + other.ID + "/matches",
		"Interest": "/v1/assignments/" + other.ID + "/interest",
	} {
		t.Run(name, func(t *testing.T) {
			body := string(e.must(t, 200, req{Method: "GET", Path: path, Token: otherTok}).Body)
			if !strings.Contains(body, pid) {
				t.Fatalf("the profile is not in %s", body)
			}
			for _, leak := range []string{o.ID, first.ID, `"account_id"`, worker.ID + `"`} {
				if strings.Contains(body, leak) {
					t.Errorf("a ministry sees %s in %s", leak, body)
				}
			}
			if !strings.Contains(body, `"commitments":[{"terms":{`) || !strings.Contains(body, string(first.Start)) {
				t.Errorf("the busy dates are missing from %s", body)
			}
		})
	}
}
