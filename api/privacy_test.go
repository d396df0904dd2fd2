package api_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"sankofa"
	"sankofa/api"
)

// exportDoc is GET /v1/me/export as a test reads it.
type exportDoc struct {
	Format        string                 `json:"format"`
	ExportedAt    time.Time              `json:"exported_at"`
	Account       sankofa.Account        `json:"account"`
	Profile       *sankofa.Profile       `json:"profile"`
	Offers        []sankofa.Offer        `json:"offers"`
	Notifications []sankofa.Notification `json:"notifications"`
	Interest      []struct {
		AssignmentID string    `json:"assignment_id"`
		Title        string    `json:"title"`
		At           time.Time `json:"at"`
	} `json:"interest"`
	Verifications []struct {
		LicenceID    string               `json:"licence_id"`
		Country      string               `json:"country"`
		Verification sankofa.Verification `json:"verification"`
	} `json:"verifications"`
	Sessions []struct {
		Device     string     `json:"device"`
		CreatedAt  time.Time  `json:"created_at"`
		LastUsedAt *time.Time `json:"last_used_at"`
		ExpiresAt  time.Time  `json:"expires_at"`
		Revoked    bool       `json:"revoked"`
	} `json:"sessions"`
	Audit            []sankofa.AuditEntry `json:"audit"`
	Assignments      []sankofa.Assignment `json:"assignments"`
	ShortlistEntries []struct {
		AssignmentID string `json:"assignment_id"`
		ProfileID    string `json:"profile_id"`
		Note         string `json:"note"`
	} `json:"shortlist_entries"`
	Webhooks []sankofa.Webhook `json:"webhooks"`
}

// export downloads the caller's data export, checks its headers and
// returns it with the raw answer.
func (e *env) export(t *testing.T, token string, header map[string]string) (exportDoc, resp) {
	t.Helper()
	r := e.must(t, 200, req{Method: "GET", Path: "/v1/me/export", Token: token, Header: header})
	day := e.Now.Now().UTC().Format(time.DateOnly)
	if got, want := r.Header.Get("Content-Disposition"), `attachment; filename="sankofa-export-`+day+`.json"`; got != want {
		t.Errorf("Content-Disposition %q, want %q", got, want)
	}
	if got := r.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", got)
	}
	var doc exportDoc
	r.JSON(t, &doc)
	if doc.Format != "sankofa-export/1" {
		t.Errorf("format %q", doc.Format)
	}
	// Every section is there for every role, as an array (or null for the
	// profile of someone without one).
	var members map[string]json.RawMessage
	r.JSON(t, &members)
	for _, k := range []string{"offers", "interest", "notifications", "verifications", "sessions", "audit",
		"assignments", "shortlist_entries", "webhooks"} {
		if v := string(members[k]); !strings.HasPrefix(v, "[") {
			t.Errorf("section %s is %.40q, want an array", k, v)
		}
	}
	for _, secret := range []string{"password_hash", "$argon2", testPassword, token} {
		if strings.Contains(string(r.Body), secret) {
			t.Errorf("the export holds a password hash, a password or a token: %.12s...", secret)
		}
	}
	return doc, r
}

func consentIs(t *testing.T, h []sankofa.Consent, want ...[]string) {
	t.Helper()
	got := make([][]string, len(h))
	for i, c := range h {
		got[i] = c.ShareWith
		if c.At.IsZero() {
			t.Errorf("consent %d has no time", i)
		}
	}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("consent history %v, want %v", got, want)
	}
}

func TestProfiles_ConsentHistory(t *testing.T) {
	e := newEnv(t)
	_, gh := e.Ministry(t, "GH", false)
	_, tok := e.Professional(t)
	var p sankofa.Profile
	created := e.Now.Now().UTC()
	r := e.must(t, 201, req{Method: "PUT", Path: "/v1/profiles/me", Token: tok, Body: e.profileInput()})
	r.JSON(t, &p)
	// The first save records the consent it gives: share_with defaults to
	// the origin country.
	consentIs(t, p.ConsentHistory, []string{"GH"})
	if !p.ConsentHistory[0].At.Equal(created.Truncate(time.Millisecond)) && !p.ConsentHistory[0].At.Equal(created) {
		t.Errorf("first consent at %v, want %v", p.ConsentHistory[0].At, created)
	}
	tag := r.Header.Get("ETag")
	patch := func(body map[string]any) {
		t.Helper()
		e.Now.Add(time.Minute)
		r := e.must(t, 200, req{Method: "PATCH", Path: "/v1/profiles/me", Token: tok, Body: body, Header: map[string]string{"If-Match": tag}})
		r.JSON(t, &p)
		tag = r.Header.Get("ETag")
	}
	patch(map[string]any{"bio": "Back in Kumasi soon."}) // no change of consent
	patch(map[string]any{"share_with": []string{"GH", "NG"}})
	patch(map[string]any{"share_with": []string{"NG", "GH"}}) // the same countries in another order
	in := p.ProfileInput
	in.ShareWith = []string{"GH"}
	e.Now.Add(time.Minute)
	r = e.must(t, 200, req{Method: "PUT", Path: "/v1/profiles/me", Token: tok, Body: in, Header: map[string]string{"If-Match": tag}})
	r.JSON(t, &p)
	tag = r.Header.Get("ETag")
	consentIs(t, p.ConsentHistory, []string{"GH"}, []string{"GH", "NG"}, []string{"GH"})
	for i := 1; i < len(p.ConsentHistory); i++ {
		if !p.ConsentHistory[i].At.After(p.ConsentHistory[i-1].At) {
			t.Errorf("consent %d at %v is not after %v", i, p.ConsentHistory[i].At, p.ConsentHistory[i-1].At)
		}
	}
	var read sankofa.Profile
	e.must(t, 200, req{Method: "GET", Path: "/v1/profiles/me", Token: tok}).JSON(t, &read)
	consentIs(t, read.ConsentHistory, []string{"GH"}, []string{"GH", "NG"}, []string{"GH"})

	t.Run("WorkerCannotSetIt", func(t *testing.T) {
		forged := []map[string]any{{"at": "2020-01-01T00:00:00Z", "share_with": []string{}}}
		body := map[string]any{}
		raw, _ := json.Marshal(read.ProfileInput)
		_ = json.Unmarshal(raw, &body)
		body["consent_history"] = forged
		for _, r := range []req{
			{Method: "PUT", Path: "/v1/profiles/me", Token: tok, Body: body, Header: map[string]string{"If-Match": tag}, Bad: true},
			{Method: "PATCH", Path: "/v1/profiles/me", Token: tok, Body: map[string]any{"consent_history": forged},
				Header: map[string]string{"If-Match": tag}, Bad: true},
			// Sending it back as read is refused too: it is not part of
			// what a worker writes.
			{Method: "PATCH", Path: "/v1/profiles/me", Token: tok, Body: map[string]any{"consent_history": read.ConsentHistory},
				Header: map[string]string{"If-Match": tag}, Bad: true},
		} {
			got := e.must(t, 400, r)
			pr := got.Problem(t)
			if len(pr.Errors) != 1 || pr.Errors[0].Field != "consent_history" || !strings.Contains(pr.Errors[0].Message, "kept by the server") {
				t.Errorf("%s: %s", r.Method, got.Body)
			}
		}
		var after sankofa.Profile
		e.must(t, 200, req{Method: "GET", Path: "/v1/profiles/me", Token: tok}).JSON(t, &after)
		consentIs(t, after.ConsentHistory, []string{"GH"}, []string{"GH", "NG"}, []string{"GH"})
	})

	t.Run("MinistriesDoNotSeeIt", func(t *testing.T) {
		r := e.must(t, 200, req{Method: "GET", Path: "/v1/profiles/" + p.ID, Token: gh})
		if strings.Contains(string(r.Body), "consent_history") {
			t.Errorf("a ministry reads the consent history: %s", r.Body)
		}
		r = e.must(t, 200, req{Method: "GET", Path: "/v1/profiles/" + p.ID, Token: e.Admin(t)})
		if !strings.Contains(string(r.Body), "consent_history") {
			t.Errorf("an admin does not read the consent history: %s", r.Body)
		}
	})
}

func TestExport_Worker(t *testing.T) {
	// Pages of two: the three offers and the notifications cross pages.
	old := api.SetExportPage(2)
	t.Cleanup(func() { api.SetExportPage(old) })
	e := newEnv(t)
	admin := e.Admin(t)
	gh, ghTok := e.Ministry(t, "GH", false)
	w, wTok, p := e.ghWorker(t)
	ghLicence := p.Licences[0].ID

	// A sign-in from a named device, then a refresh from another.
	const ua1, ua2 = "export-test/1.0 (phone)", "export-test/2.0 (laptop)"
	var tp api.TokenPair
	e.must(t, 200, req{Method: "POST", Path: "/v1/auth/login", Header: map[string]string{"User-Agent": ua1},
		Body: sankofa.Credentials{Email: w.Email, Password: testPassword}}).JSON(t, &tp)
	e.Now.Add(time.Minute)
	refreshedAt := e.Now.Now().UTC().Truncate(time.Millisecond)
	var next api.TokenPair
	e.must(t, 200, req{Method: "POST", Path: "/v1/auth/refresh", Header: map[string]string{"User-Agent": ua2},
		Body: map[string]string{"refresh_token": tp.RefreshToken}}).JSON(t, &next)

	// Consent: share with Nigeria too.
	cur := e.must(t, 200, req{Method: "GET", Path: "/v1/profiles/me", Token: wTok})
	e.must(t, 200, req{Method: "PATCH", Path: "/v1/profiles/me", Token: wTok, Body: map[string]any{"share_with": []string{"GH", "NG"}},
		Header: map[string]string{"If-Match": cur.Header.Get("ETag")}})

	// Three offers, interest in one assignment, a verification decided by
	// Ghana's ministry and a profile read by an admin.
	var offers []string
	var interested sankofa.Assignment
	for i := range 3 {
		a := e.publishedAssignment(t, ghTok, func(in *sankofa.AssignmentInput) { in.Title = "Midwife mentor " + string(rune('A'+i)) })
		offers = append(offers, e.offer(t, ghTok, a.ID, w, 201).ID)
		interested = a
	}
	e.must(t, 201, req{Method: "POST", Path: "/v1/assignments/" + interested.ID + "/interest", Token: wTok})
	e.must(t, 200, req{Method: "POST", Path: "/v1/profiles/me/licences/" + ghLicence + "/verification", Token: wTok})
	e.must(t, 200, req{Method: "POST", Path: "/v1/verifications/" + p.ID + "/" + ghLicence, Token: ghTok,
		Body: map[string]any{"status": "validated", "method": "document", "note": "Register checked."}})
	e.must(t, 200, req{Method: "GET", Path: "/v1/profiles/" + p.ID, Token: admin})
	inbox := e.inbox(t, wTok, 4) // the offers and the decision, at least

	doc, _ := e.export(t, wTok, map[string]string{"X-Request-ID": "rid-export-worker"})
	if doc.Account.ID != w.ID || doc.Account.Email != w.Email {
		t.Errorf("account %+v, want %s", doc.Account, w.ID)
	}
	if doc.Profile == nil || doc.Profile.ID != p.ID || doc.Profile.FullName != "Ama Mensah" {
		t.Fatalf("profile %+v, want %s", doc.Profile, p.ID)
	}
	consentIs(t, doc.Profile.ConsentHistory, []string{"GH"}, []string{"GH", "NG"})

	var got []string
	for _, o := range doc.Offers {
		got = append(got, o.ID)
	}
	slices.Sort(got)
	slices.Sort(offers)
	if !slices.Equal(got, offers) {
		t.Errorf("offers %v, want %v", got, offers)
	}
	if len(doc.Interest) != 1 || doc.Interest[0].AssignmentID != interested.ID || doc.Interest[0].Title != interested.Title || doc.Interest[0].At.IsZero() {
		t.Errorf("interest %+v, want %s", doc.Interest, interested.ID)
	}
	// The inbox may have grown (alerts) since it was read: every
	// notification read then is in the export.
	exported := map[string]bool{}
	for _, n := range doc.Notifications {
		exported[n.ID] = true
	}
	for _, n := range inbox {
		if !exported[n.ID] {
			t.Errorf("notification %s (%s) is missing from the export", n.ID, n.Kind)
		}
	}
	verified := map[string]sankofa.VerificationStatus{}
	for _, v := range doc.Verifications {
		verified[v.LicenceID] = v.Verification.Status
	}
	if len(doc.Verifications) != 2 || verified[ghLicence] != sankofa.VerificationValidated || verified[p.Licences[1].ID] != sankofa.VerificationUnverified {
		t.Errorf("verifications %+v", doc.Verifications)
	}
	var seen bool
	for _, s := range doc.Sessions {
		if s.Device == ua2 {
			seen = true
			if s.LastUsedAt == nil || !s.LastUsedAt.Equal(refreshedAt) || !s.CreatedAt.Before(*s.LastUsedAt) || s.Revoked {
				t.Errorf("the refreshed session: %+v, want last used at %v", s, refreshedAt)
			}
		}
		if s.Device == ua1 {
			t.Errorf("the session still names the sign-in's device after a refresh from another: %+v", s)
		}
	}
	if !seen || len(doc.Sessions) != 2 { // the sign-in of ghWorker, and this one
		t.Errorf("sessions %+v, want one from %q", doc.Sessions, ua2)
	}

	actions := map[sankofa.AuditAction]sankofa.AuditEntry{}
	for _, it := range doc.Audit {
		if it.ActorID != w.ID && it.SubjectID != w.ID {
			t.Errorf("the export holds an entry about someone else: %+v", it)
		}
		actions[it.Action] = it
	}
	if it := actions[sankofa.AuditExport]; it.RequestID != "rid-export-worker" || it.IP == "" {
		t.Errorf("the export's own entry: %+v", it)
	}
	if it := actions[sankofa.AuditVerification]; it.ActorID != gh.ID || it.ObjectID != p.ID+"/"+ghLicence || it.IP != "" || it.UserAgent != "" {
		t.Errorf("the verification decision, by someone else, without their address: %+v", it)
	}
	if it, ok := actions[sankofa.AuditProfileRead]; !ok || it.IP != "" || it.UserAgent != "" || it.RequestID != "" {
		t.Errorf("the admin's read, without their address: %+v", it)
	}
	if it := actions[sankofa.AuditSignIn]; it.IP != "127.0.0.1" {
		t.Errorf("the worker's own sign-in keeps its address: %+v", it)
	}
	if doc.Assignments == nil || len(doc.Assignments) != 0 || len(doc.ShortlistEntries) != 0 || len(doc.Webhooks) != 0 {
		t.Errorf("a worker's export lists a ministry's sections: %+v %+v %+v", doc.Assignments, doc.ShortlistEntries, doc.Webhooks)
	}
}

func TestExport_Ministry(t *testing.T) {
	e := newEnv(t)
	gh, ghTok := e.Ministry(t, "GH", false)
	_, otherTok := e.Ministry(t, "GH", false)
	w, wTok := e.worker(t, func(*sankofa.ProfileInput) {})
	a := e.publishedAssignment(t, ghTok, nil)
	e.publishedAssignment(t, otherTok, nil) // another ministry's
	pid := sankofa.ProfileIDFor(w.ID)
	e.must(t, 201, req{Method: "PUT", Path: "/v1/assignments/" + a.ID + "/shortlist/" + pid, Token: ghTok,
		Body: map[string]any{"note": "Call about the March dates."}})
	var hook sankofa.Webhook
	e.must(t, 201, req{Method: "POST", Path: "/v1/webhooks", Token: ghTok,
		Body: map[string]any{"url": "https://93.184.215.14/sankofa", "events": []string{"offer.accepted"}}}).JSON(t, &hook)
	o := e.offer(t, ghTok, a.ID, w, 201)
	e.must(t, 200, req{Method: "POST", Path: "/v1/offers/" + o.ID + "/accept", Token: wTok})

	doc, r := e.export(t, ghTok, nil)
	if doc.Account.ID != gh.ID || doc.Profile != nil {
		t.Errorf("account %s, profile %+v; want %s and no profile", doc.Account.ID, doc.Profile, gh.ID)
	}
	if len(doc.Assignments) != 1 || doc.Assignments[0].ID != a.ID {
		t.Errorf("assignments %+v, want only %s", doc.Assignments, a.ID)
	}
	if len(doc.Offers) != 1 || doc.Offers[0].ID != o.ID || doc.Offers[0].Status != sankofa.OfferAccepted {
		t.Errorf("offers %+v, want %s accepted", doc.Offers, o.ID)
	}
	if len(doc.ShortlistEntries) != 1 || doc.ShortlistEntries[0].AssignmentID != a.ID || doc.ShortlistEntries[0].ProfileID != pid ||
		doc.ShortlistEntries[0].Note != "Call about the March dates." {
		t.Errorf("shortlist entries %+v", doc.ShortlistEntries)
	}
	if len(doc.Webhooks) != 1 || doc.Webhooks[0].ID != hook.ID || doc.Webhooks[0].Secret != "" || hook.Secret == "" ||
		strings.Contains(string(r.Body), hook.Secret) {
		t.Errorf("webhooks %+v, want %s without its secret", doc.Webhooks, hook.ID)
	}
	// The worker's contact details, shown to the ministry on the accepted
	// offer, are hers: the ministry's export does not copy them.
	for _, theirs := range []string{"ama@example.org", "+447700900123"} {
		if strings.Contains(string(r.Body), theirs) {
			t.Errorf("the ministry's export holds the worker's %s", theirs)
		}
	}
	if len(doc.Interest) != 0 || len(doc.Verifications) != 0 {
		t.Errorf("a ministry's export lists a worker's sections: %+v %+v", doc.Interest, doc.Verifications)
	}
}
