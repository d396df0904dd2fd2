package api_test

import (
	"strings"
	"testing"
	"time"

	"sankofa"
)

// freshLicence returns a function that stands a new worker with a new
// profile (its one licence from GB) in for the actor: the worker's own
// token and request path, or (asVerifier) the actor's token and the
// verifier's decision path.
func (f *mxFixtures) freshLicence(asVerifier bool) func(*testing.T, mxActor) mxCall {
	return func(t *testing.T, a mxActor) mxCall {
		_, token := f.e.Professional(t)
		p, _ := f.newProfile(t, token)
		lic := p.Licences[0].ID
		if asVerifier {
			return mxCall{token: f.token[a], path: "/v1/verifications/" + p.ID + "/" + lic}
		}
		return mxCall{token: token, path: "/v1/profiles/me/licences/" + lic + "/verification"}
	}
}

// licenceIs checks that a profile answer's first licence has status.
func licenceIs(status sankofa.VerificationStatus) func(*testing.T, mxActor, resp) {
	return func(t *testing.T, _ mxActor, r resp) {
		var p sankofa.Profile
		r.JSON(t, &p)
		if len(p.Licences) == 0 || p.Licences[0].Verification == nil || p.Licences[0].Verification.Status != status {
			t.Errorf("licences %+v, want the first %s", p.Licences, status)
		}
	}
}

// verdictIs checks a decision answer's status.
func verdictIs(status sankofa.VerificationStatus) func(*testing.T, mxActor, resp) {
	return func(t *testing.T, _ mxActor, r resp) {
		var it verificationItem
		r.JSON(t, &it)
		if it.Licence.Verification == nil || it.Licence.Verification.Status != status {
			t.Errorf("verdict %+v, want %s", it.Licence.Verification, status)
		}
	}
}

type verificationItem struct {
	ProfileID string          `json:"profile_id"`
	FullName  string          `json:"full_name"`
	Licence   sankofa.Licence `json:"licence"`
}

// queue reads a verifier's queue.
func (e *env) queue(t *testing.T, token, status string) []verificationItem {
	t.Helper()
	var q struct{ Items []verificationItem }
	path := "/v1/verifications"
	if status != "" {
		path += "?status=" + status
	}
	e.must(t, 200, req{Method: "GET", Path: path, Token: token}).JSON(t, &q)
	return q.Items
}

func queued(items []verificationItem, licenceID string) bool {
	for _, it := range items {
		if it.Licence.ID == licenceID {
			return true
		}
	}
	return false
}

// ghWorker registers a French-reading worker whose profile holds a licence
// from Ghana (first) and one from the United Kingdom.
func (e *env) ghWorker(t *testing.T) (sankofa.Account, string, sankofa.Profile) {
	t.Helper()
	w, tok := e.frenchWorker(t)
	in := e.profileInput()
	in.Licences = append([]sankofa.Licence{{Country: "GH", Body: "Nursing and Midwifery Council of Ghana", Number: "RM-0042", Expires: e.day(900)}}, in.Licences...)
	var p sankofa.Profile
	cur := e.must(t, 200, req{Method: "GET", Path: "/v1/profiles/me", Token: tok})
	e.must(t, 200, req{Method: "PUT", Path: "/v1/profiles/me", Token: tok, Body: in,
		Header: map[string]string{"If-Match": cur.Header.Get("ETag")}}).JSON(t, &p)
	return w, tok, p
}

func TestVerification_RequestQueueDecide(t *testing.T) {
	e := newEnv(t)
	ghAcc, gh := e.Ministry(t, "GH", false)
	_, ng := e.Ministry(t, "NG", false)
	w, wTok, p := e.ghWorker(t)
	for i, l := range p.Licences {
		if l.ID == "" || l.Verification == nil || l.Verification.Status != sankofa.VerificationUnverified {
			t.Fatalf("licence %d: %+v, want an id and unverified", i, l)
		}
	}
	lic := p.Licences[0].ID

	var asked sankofa.Profile
	e.must(t, 200, req{Method: "POST", Path: "/v1/profiles/me/licences/" + lic + "/verification", Token: wTok}).JSON(t, &asked)
	if v := asked.Licences[0].Verification; v.Status != sankofa.VerificationInProcess || v.RequestedAt == nil {
		t.Errorf("after the request: %+v", v)
	}
	if asked.Licences[1].Verification.Status != sankofa.VerificationUnverified {
		t.Errorf("the other licence moved: %+v", asked.Licences[1].Verification)
	}
	e.must(t, 409, req{Method: "POST", Path: "/v1/profiles/me/licences/" + lic + "/verification", Token: wTok})
	e.must(t, 404, req{Method: "POST", Path: "/v1/profiles/me/licences/lic_nope/verification", Token: wTok})

	// The queue: Ghana's ministry and admins see the Ghanaian licence,
	// Nigeria's does not; the licence from GB waits for no one.
	if !queued(e.queue(t, gh, ""), lic) || !queued(e.queue(t, e.Admin(t), "in-process"), lic) {
		t.Errorf("the request is missing from Ghana's or the admin's queue")
	}
	if queued(e.queue(t, ng, ""), lic) {
		t.Errorf("Nigeria's ministry sees a Ghanaian licence")
	}
	if queued(e.queue(t, gh, "validated"), lic) {
		t.Errorf("an in-process licence is listed as validated")
	}
	r := e.must(t, 400, req{Method: "GET", Path: "/v1/verifications?status=maybe", Token: gh, Bad: true})
	if pr := r.Problem(t); len(pr.Errors) == 0 || pr.Errors[0].Field != "status" {
		t.Errorf("bad status filter: %s", r.Body)
	}
	notes := e.inbox(t, gh, 1)
	if notes[0].Kind != sankofa.NoteVerifyRequested || notes[0].Data["licence_id"] != lic || !strings.Contains(notes[0].Body, "Ama Mensah") {
		t.Errorf("Ghana's ministry was not told: %+v", notes)
	}

	decide := "/v1/verifications/" + p.ID + "/" + lic
	body := map[string]any{"status": "validated", "method": "primary-source", "note": "Checked on the council's register."}
	e.must(t, 404, req{Method: "POST", Path: decide, Token: ng, Body: body})
	e.must(t, 404, req{Method: "POST", Path: "/v1/verifications/" + p.ID + "/" + p.Licences[1].ID, Token: gh, Body: body})
	r = e.must(t, 400, req{Method: "POST", Path: decide, Token: gh, Bad: true,
		Body: map[string]any{"status": "approved", "method": "guess", "note": ""}})
	if missing := contains(r.Body, `"status"`, `"method"`); missing != nil {
		t.Errorf("bad decision: %s lacks %v", r.Body, missing)
	}
	var it verificationItem
	e.must(t, 200, req{Method: "POST", Path: decide, Token: gh, Body: body}).JSON(t, &it)
	v := it.Licence.Verification
	if v.Status != sankofa.VerificationValidated || v.Method != sankofa.MethodPrimarySource || v.VerifiedBy == "" ||
		v.VerifiedAt == nil || v.NextReview == "" || v.Source != "Nursing and Midwifery Council of Ghana" {
		t.Errorf("decision: %+v", v)
	}
	if queued(e.queue(t, gh, ""), lic) || !queued(e.queue(t, gh, "validated"), lic) {
		t.Errorf("the decided licence is still waiting")
	}
	var mine sankofa.Profile
	e.must(t, 200, req{Method: "GET", Path: "/v1/profiles/me", Token: wTok}).JSON(t, &mine)
	if mine.Licences[0].Verification.Status != sankofa.VerificationValidated {
		t.Errorf("the worker reads %+v", mine.Licences[0].Verification)
	}
	// The worker is told, in French.
	deadline := time.Now().Add(10 * time.Second)
	for {
		var told *sankofa.Notification
		for _, n := range e.inbox(t, wTok, 1) {
			if n.Kind == sankofa.NoteVerifyDecided {
				told = &n
			}
		}
		if told != nil {
			if !strings.Contains(told.Body, "vérifiée") || !strings.Contains(told.Body, "Checked on the council") {
				t.Errorf("the worker's notice: %+v", told)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the worker was not told of the decision")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Validated: nothing to ask for until it needs reviewing.
	e.must(t, 409, req{Method: "POST", Path: "/v1/profiles/me/licences/" + lic + "/verification", Token: wTok})

	// A passed next review reads as req-revalid, and it may be asked again.
	e.Now.Add(400 * 24 * time.Hour)
	wTok, gh = e.login(t, w.Email, testPassword), e.login(t, ghAcc.Email, testPassword)
	e.must(t, 200, req{Method: "GET", Path: "/v1/profiles/me", Token: wTok}).JSON(t, &mine)
	if mine.Licences[0].Verification.Status != sankofa.VerificationRevalidate {
		t.Errorf("a year on, the licence reads %+v", mine.Licences[0].Verification)
	}
	if !queued(e.queue(t, gh, "req-revalid"), lic) || queued(e.queue(t, gh, "validated"), lic) {
		t.Errorf("the req-revalid queue lacks the licence")
	}
	e.must(t, 200, req{Method: "POST", Path: "/v1/profiles/me/licences/" + lic + "/verification", Token: wTok})
}

func TestVerification_WorkerCannotSetIt(t *testing.T) {
	e := newEnv(t)
	_, gh := e.Ministry(t, "GH", false)
	_, wTok, p := e.ghWorker(t)
	lic := p.Licences[0].ID
	e.must(t, 200, req{Method: "POST", Path: "/v1/verifications/" + p.ID + "/" + lic, Token: gh,
		Body: map[string]any{"status": "validated", "method": "document", "note": ""}})

	get := func() (sankofa.Profile, string) {
		var cur sankofa.Profile
		r := e.must(t, 200, req{Method: "GET", Path: "/v1/profiles/me", Token: wTok})
		r.JSON(t, &cur)
		return cur, r.Header.Get("ETag")
	}
	cur, tag := get()

	// Setting a verification by PUT or PATCH is a field error.
	in := cur.ProfileInput
	in.Licences = append([]sankofa.Licence(nil), cur.Licences...)
	forged := *in.Licences[1].Verification
	forged.Status = sankofa.VerificationValidated
	in.Licences[1].Verification = &forged
	r := e.must(t, 400, req{Method: "PUT", Path: "/v1/profiles/me", Token: wTok, Body: in, Header: map[string]string{"If-Match": tag}})
	if missing := contains(r.Body, `"licences[1].verification"`); missing != nil {
		t.Errorf("PUT: %s", r.Body)
	}
	r = e.must(t, 400, req{Method: "PATCH", Path: "/v1/profiles/me", Token: wTok, Body: map[string]any{"licences": in.Licences},
		Header: map[string]string{"If-Match": tag, "Content-Type": "application/merge-patch+json"}})
	if missing := contains(r.Body, `"licences[1].verification"`); missing != nil {
		t.Errorf("PATCH: %s", r.Body)
	}
	e.must(t, 400, req{Method: "PUT", Path: "/v1/profiles/me", Token: wTok, Header: map[string]string{"If-Match": tag},
		Body: func() sankofa.ProfileInput {
			x := cur.ProfileInput
			x.Licences = []sankofa.Licence{{ID: "lic_forged", Country: "GH", Body: "Council", Number: "1", Expires: e.day(100)}}
			return x
		}()})

	// Sending the profile back as read keeps the verification; so does an
	// unrelated patch.
	e.must(t, 200, req{Method: "PUT", Path: "/v1/profiles/me", Token: wTok, Body: cur.ProfileInput, Header: map[string]string{"If-Match": tag}})
	cur, tag = get()
	e.must(t, 200, req{Method: "PATCH", Path: "/v1/profiles/me", Token: wTok, Body: map[string]any{"bio": "Back in Kumasi soon."},
		Header: map[string]string{"If-Match": tag}})
	cur, tag = get()
	if cur.Licences[0].ID != lic || cur.Licences[0].Verification.Status != sankofa.VerificationValidated {
		t.Fatalf("after unrelated changes: %+v", cur.Licences[0])
	}

	// A new number makes it unverified again, under the same id.
	ls := append([]sankofa.Licence(nil), cur.Licences...)
	ls[0].Number, ls[0].Verification = "RM-0043", nil
	e.must(t, 200, req{Method: "PATCH", Path: "/v1/profiles/me", Token: wTok, Body: map[string]any{"licences": ls},
		Header: map[string]string{"If-Match": tag}})
	cur, _ = get()
	if cur.Licences[0].ID != lic || cur.Licences[0].Verification.Status != sankofa.VerificationUnverified {
		t.Errorf("after a new number: %+v", cur.Licences[0])
	}
}

func TestVerification_RequiredByAssignment(t *testing.T) {
	e := newEnv(t)
	_, gh := e.Ministry(t, "GH", false)
	w, _, p := e.ghWorker(t)
	a := e.publishedAssignment(t, gh, func(in *sankofa.AssignmentInput) { in.RequiresVerifiedLicence = true })
	if !a.RequiresVerifiedLicence {
		t.Fatalf("assignment %+v", a)
	}
	matched := func() *struct {
		Licences []struct {
			ID           string `json:"id"`
			Verification string `json:"verification"`
		} `json:"licences"`
		Reasons []string `json:"reasons"`
	} {
		var got struct {
			Items []struct {
				Profile     sankofa.Profile `json:"profile"`
				Explanation struct {
					Licences []struct {
						ID           string `json:"id"`
						Verification string `json:"verification"`
					} `json:"licences"`
					Reasons []string `json:"reasons"`
				} `json:"explanation"`
			} `json:"items"`
		}
		e.must(t, 200, req{Method: "GET", Path: "/v1/assignments/" + a.ID + "/matches", Token: gh}).JSON(t, &got)
		for i := range got.Items {
			if got.Items[i].Profile.ID == p.ID {
				ex := got.Items[i].Explanation
				return &struct {
					Licences []struct {
						ID           string `json:"id"`
						Verification string `json:"verification"`
					} `json:"licences"`
					Reasons []string `json:"reasons"`
				}{ex.Licences, ex.Reasons}
			}
		}
		return nil
	}
	if matched() != nil {
		t.Errorf("a worker without a verified licence is matched")
	}
	r := e.must(t, 409, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/offers", Token: gh,
		Body: map[string]any{"profile_id": sankofa.ProfileIDFor(w.ID)}})
	if missing := contains(r.Body, "verified_licence"); missing != nil {
		t.Errorf("offer refused without saying why: %s", r.Body)
	}

	e.must(t, 200, req{Method: "POST", Path: "/v1/verifications/" + p.ID + "/" + p.Licences[0].ID, Token: gh,
		Body: map[string]any{"status": "validated", "method": "document", "note": ""}})
	ex := matched()
	if ex == nil {
		t.Fatal("the verified worker is not matched")
	}
	if len(ex.Licences) != 2 || ex.Licences[0].Verification != "validated" || ex.Licences[1].Verification != "unverified" {
		t.Errorf("explanation licences %+v", ex.Licences)
	}
	if !strings.Contains(strings.Join(ex.Reasons, "|"), "Nursing and Midwifery Council of Ghana (GH): verified") {
		t.Errorf("reasons %q", ex.Reasons)
	}
	e.offer(t, gh, a.ID, w, 201)
}
