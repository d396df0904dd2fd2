package api_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"sankofa"
)

type auditList struct {
	Items      []sankofa.AuditEntry `json:"items"`
	NextCursor *string              `json:"next_cursor"`
}

// auditQuery lists the audit trail as an admin.
func (e *env) auditQuery(t *testing.T, q url.Values) auditList {
	t.Helper()
	var l auditList
	e.must(t, 200, req{Method: "GET", Path: "/v1/admin/audit?" + q.Encode(), Token: e.Admin(t)}).JSON(t, &l)
	return l
}

// auditByRequest returns the entries one request left, found by its id.
func (e *env) auditByRequest(t *testing.T, requestID string) []sankofa.AuditEntry {
	t.Helper()
	var out []sankofa.AuditEntry
	for _, it := range e.allAudit(t, url.Values{}) {
		if it.RequestID == requestID {
			out = append(out, it)
		}
	}
	return out
}

// allAudit pages through the whole trail under q, 100 at a time.
func (e *env) allAudit(t *testing.T, q url.Values) []sankofa.AuditEntry {
	t.Helper()
	var all []sankofa.AuditEntry
	q.Set("limit", "100")
	for {
		l := e.auditQuery(t, q)
		all = append(all, l.Items...)
		if l.NextCursor == nil {
			return all
		}
		q.Set("cursor", *l.NextCursor)
	}
}

// from marks a request with a user agent and a request id of its own.
func from(rid string) map[string]string {
	return map[string]string{"User-Agent": "audit-test/1.0 " + strings.Repeat("x", 400), "X-Request-ID": rid}
}

// oneEntry checks that the request rid left exactly one entry, of action,
// with where it came from, and returns it.
func (e *env) oneEntry(t *testing.T, rid string, action sankofa.AuditAction) sankofa.AuditEntry {
	t.Helper()
	got := e.auditByRequest(t, rid)
	if len(got) != 1 {
		t.Fatalf("request %s left %d audit entries, want 1: %+v", rid, len(got), got)
	}
	it := got[0]
	if it.Action != action || it.IP != "127.0.0.1" || !strings.HasPrefix(it.UserAgent, "audit-test/1.0 ") ||
		len(it.UserAgent) != sankofa.AuditUserAgentMax || it.At.IsZero() || !strings.HasPrefix(it.ID, "aud_") {
		t.Errorf("entry of %s = %+v, want %s from 127.0.0.1 with the user agent cut to %d bytes", rid, it, action, sankofa.AuditUserAgentMax)
	}
	return it
}

func TestAudit(t *testing.T) {
	e := newEnv(t)
	admin := e.Admin(t)
	var adminAcc sankofa.Account
	e.must(t, 200, req{Method: "GET", Path: "/v1/me", Token: admin}).JSON(t, &adminAcc)
	gh, ghTok := e.Ministry(t, "GH", false)
	ama, amaTok := e.worker(t, func(*sankofa.ProfileInput) {})
	const wrongPassword = "wrong-password-9"
	const unknownEmail = "nobody-here@test.example.org"
	var secrets = []string{testPassword, wrongPassword, unknownEmail, adminPassword, admin, ghTok, amaTok}

	t.Run("FailedSignIn", func(t *testing.T) {
		e.must(t, 401, req{Method: "POST", Path: "/v1/auth/login", Header: from("rid-fail-known"),
			Body: sankofa.Credentials{Email: ama.Email, Password: wrongPassword}})
		it := e.oneEntry(t, "rid-fail-known", sankofa.AuditSignInFailed)
		if it.ActorID != "" || it.SubjectID != ama.ID || it.EmailHash != "" {
			t.Errorf("failed sign-in of a known account = %+v, want no actor, subject %s", it, ama.ID)
		}
		e.must(t, 401, req{Method: "POST", Path: "/v1/auth/login", Header: from("rid-fail-unknown"),
			Body: sankofa.Credentials{Email: unknownEmail, Password: wrongPassword}})
		it = e.oneEntry(t, "rid-fail-unknown", sankofa.AuditSignInFailed)
		if it.ActorID != "" || it.SubjectID != "" || it.EmailHash != sankofa.AuditEmailHash(unknownEmail) {
			t.Errorf("failed sign-in of an unknown address = %+v, want only its hash", it)
		}
	})

	t.Run("SignIn", func(t *testing.T) {
		var tp struct {
			AccessToken string `json:"access_token"`
		}
		e.must(t, 200, req{Method: "POST", Path: "/v1/auth/login", Header: from("rid-signin"),
			Body: sankofa.Credentials{Email: ama.Email, Password: testPassword}}).JSON(t, &tp)
		secrets = append(secrets, tp.AccessToken)
		it := e.oneEntry(t, "rid-signin", sankofa.AuditSignIn)
		if it.ActorID != ama.ID || it.SubjectID != ama.ID {
			t.Errorf("sign-in = %+v, want actor and subject %s", it, ama.ID)
		}
	})

	// A second later (tokens last 15 minutes), for since and until.
	e.Now.Add(time.Second)
	mark := e.Now.Now().Truncate(time.Millisecond)

	t.Run("Approval", func(t *testing.T) {
		pending, _ := e.Ministry(t, "NG", true)
		e.must(t, 200, req{Method: "POST", Path: "/v1/admin/accounts/" + pending.ID + "/approve", Token: admin, Header: from("rid-approve")})
		it := e.oneEntry(t, "rid-approve", sankofa.AuditAccountApproved)
		if it.ActorID != adminAcc.ID || it.SubjectID != pending.ID {
			t.Errorf("approval = %+v", it)
		}
		// Approving again changes nothing and records nothing.
		e.must(t, 200, req{Method: "POST", Path: "/v1/admin/accounts/" + pending.ID + "/approve", Token: admin, Header: from("rid-approve-again")})
		if got := e.auditByRequest(t, "rid-approve-again"); len(got) != 0 {
			t.Errorf("a repeated approval left %+v", got)
		}
		e.must(t, 200, req{Method: "POST", Path: "/v1/admin/accounts/" + pending.ID + "/suspend", Token: admin, Header: from("rid-suspend")})
		if it := e.oneEntry(t, "rid-suspend", sankofa.AuditAccountSuspended); it.SubjectID != pending.ID {
			t.Errorf("suspension = %+v", it)
		}
	})

	t.Run("AdminReadsProfile", func(t *testing.T) {
		pid := sankofa.ProfileIDFor(ama.ID)
		e.must(t, 200, req{Method: "GET", Path: "/v1/profiles/" + pid, Token: admin, Header: from("rid-read")})
		it := e.oneEntry(t, "rid-read", sankofa.AuditProfileRead)
		if it.ActorID != adminAcc.ID || it.SubjectID != ama.ID || it.ObjectID != pid {
			t.Errorf("admin read = %+v", it)
		}
		// A ministry's read of a shared profile is its job, not audited.
		e.must(t, 200, req{Method: "GET", Path: "/v1/profiles/" + pid, Token: ghTok, Header: from("rid-ministry-read")})
		if got := e.auditByRequest(t, "rid-ministry-read"); len(got) != 0 {
			t.Errorf("a ministry's read left %+v", got)
		}
	})

	t.Run("ContactRevealed", func(t *testing.T) {
		a := e.publishedAssignment(t, ghTok, nil)
		o := e.offer(t, ghTok, a.ID, ama, 201)
		e.must(t, 200, req{Method: "GET", Path: "/v1/offers/" + o.ID, Token: ghTok, Header: from("rid-pending")})
		if got := e.auditByRequest(t, "rid-pending"); len(got) != 0 {
			t.Errorf("a pending offer revealed %+v", got)
		}
		e.must(t, 200, req{Method: "POST", Path: "/v1/offers/" + o.ID + "/accept", Token: amaTok, Header: from("rid-accept")})
		it := e.oneEntry(t, "rid-accept", sankofa.AuditContactRevealed)
		if it.ActorID != ama.ID || it.SubjectID != gh.ID || it.ObjectID != o.ID {
			t.Errorf("worker's reveal = %+v", it)
		}
		e.must(t, 200, req{Method: "GET", Path: "/v1/offers/" + o.ID, Token: ghTok, Header: from("rid-ministry-view")})
		it = e.oneEntry(t, "rid-ministry-view", sankofa.AuditContactRevealed)
		if it.ActorID != gh.ID || it.SubjectID != ama.ID || it.ObjectID != o.ID {
			t.Errorf("ministry's reveal = %+v", it)
		}
	})

	t.Run("VerificationDecided", func(t *testing.T) {
		pid := sankofa.ProfileIDFor(ama.ID)
		var p sankofa.Profile
		e.must(t, 200, req{Method: "GET", Path: "/v1/profiles/me", Token: amaTok}).JSON(t, &p)
		lic := p.Licences[0].ID
		e.must(t, 200, req{Method: "POST", Path: "/v1/profiles/me/licences/" + lic + "/verification", Token: amaTok})
		decide := "/v1/verifications/" + pid + "/" + lic
		// A refused decision decides nothing and records nothing.
		e.must(t, 400, req{Method: "POST", Path: decide, Token: admin, Header: from("rid-verify-bad"), Bad: true,
			Body: map[string]any{"status": "approved", "method": "guess", "note": ""}})
		if got := e.auditByRequest(t, "rid-verify-bad"); len(got) != 0 {
			t.Errorf("a refused decision left %+v", got)
		}
		e.must(t, 200, req{Method: "POST", Path: decide, Token: admin, Header: from("rid-verify"),
			Body: map[string]any{"status": "val-fail", "method": "primary-source", "note": "Not on the register."}})
		it := e.oneEntry(t, "rid-verify", sankofa.AuditVerification)
		if it.ActorID != adminAcc.ID || it.SubjectID != ama.ID || it.ObjectID != pid+"/"+lic {
			t.Errorf("verification decision = %+v, want actor %s, subject %s, object %s/%s", it, adminAcc.ID, ama.ID, pid, lic)
		}
	})

	t.Run("Exported", func(t *testing.T) {
		e.must(t, 200, req{Method: "GET", Path: "/v1/me/export", Token: amaTok, Header: from("rid-export")})
		if it := e.oneEntry(t, "rid-export", sankofa.AuditExport); it.ActorID != ama.ID || it.SubjectID != ama.ID {
			t.Errorf("export = %+v, want actor and subject %s", it, ama.ID)
		}
	})

	t.Run("NoSecrets", func(t *testing.T) {
		raw, err := json.Marshal(e.allAudit(t, url.Values{}))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range secrets {
			if s != "" && strings.Contains(string(raw), s) {
				t.Errorf("the audit trail holds a secret or a typed e-mail: %.12s...", s)
			}
		}
	})

	t.Run("Filters", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			q    url.Values
			ok   func(sankofa.AuditEntry) bool
		}{
			{"action", url.Values{"action": {"auth.signin_failed"}}, func(it sankofa.AuditEntry) bool { return it.Action == sankofa.AuditSignInFailed }},
			{"actor", url.Values{"actor": {adminAcc.ID}}, func(it sankofa.AuditEntry) bool { return it.ActorID == adminAcc.ID }},
			{"subject", url.Values{"subject": {ama.ID}}, func(it sankofa.AuditEntry) bool { return it.SubjectID == ama.ID }},
			{"since", url.Values{"since": {mark.Format(time.RFC3339Nano)}}, func(it sankofa.AuditEntry) bool { return !it.At.Before(mark) }},
			{"until", url.Values{"until": {mark.Format(time.RFC3339Nano)}}, func(it sankofa.AuditEntry) bool { return it.At.Before(mark) }},
		} {
			got := e.allAudit(t, tc.q)
			if len(got) == 0 {
				t.Errorf("%s: no entries", tc.name)
			}
			for _, it := range got {
				if !tc.ok(it) {
					t.Errorf("%s=%v listed %+v", tc.name, tc.q, it)
				}
			}
		}
		// The admin's sign-in is before the mark, the approval after it.
		before, after := e.allAudit(t, url.Values{"until": {mark.Format(time.RFC3339Nano)}}), e.allAudit(t, url.Values{"since": {mark.Format(time.RFC3339Nano)}})
		if len(before)+len(after) != len(e.allAudit(t, url.Values{})) {
			t.Errorf("since and until split the trail into %d and %d entries, not all of it", len(before), len(after))
		}
		for _, bad := range []string{"action=auth.nope", "since=yesterday", "until=2026-13-01", "cursor=abc", "limit=0",
			"since=2026-12-04T10:00:00Z&until=2026-12-04T09:00:00Z"} {
			r := e.do(t, req{Method: "GET", Path: "/v1/admin/audit?" + bad, Token: admin, Bad: true})
			if r.Status != 400 || r.Problem(t).Code != "invalid" {
				t.Errorf("?%s: status %d, want 400 invalid; body %s", bad, r.Status, r.Body)
			}
		}
	})

	t.Run("Paging", func(t *testing.T) {
		all := e.allAudit(t, url.Values{})
		var paged []sankofa.AuditEntry
		q := url.Values{"limit": {"2"}}
		for pages := 0; ; pages++ {
			if pages > len(all) {
				t.Fatal("paging does not end")
			}
			l := e.auditQuery(t, q)
			paged = append(paged, l.Items...)
			if l.NextCursor == nil {
				break
			}
			q.Set("cursor", *l.NextCursor)
		}
		if len(paged) != len(all) {
			t.Fatalf("pages of 2 gave %d entries, one page of 100 %d", len(paged), len(all))
		}
		for i := range all {
			if paged[i].ID != all[i].ID {
				t.Fatalf("entry %d: %s paged, %s at once", i, paged[i].ID, all[i].ID)
			}
			if i > 0 && all[i].ID >= all[i-1].ID {
				t.Errorf("entries are not newest first at %d", i)
			}
		}
	})

	t.Run("AuditAbout", func(t *testing.T) {
		about, err := e.Store.AuditAbout(context.Background(), ama.ID)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[sankofa.AuditAction]int{}
		for _, it := range about {
			if it.ActorID != ama.ID && it.SubjectID != ama.ID {
				t.Errorf("AuditAbout(%s) holds %+v", ama.ID, it)
			}
			seen[it.Action]++
		}
		for _, a := range []sankofa.AuditAction{sankofa.AuditSignIn, sankofa.AuditSignInFailed, sankofa.AuditProfileRead, sankofa.AuditContactRevealed,
			sankofa.AuditVerification, sankofa.AuditExport} {
			if seen[a] == 0 {
				t.Errorf("AuditAbout(%s) has no %s: %v", ama.ID, a, seen)
			}
		}
	})

	t.Run("Retention", func(t *testing.T) {
		ctx := context.Background()
		now := time.Now()
		old := &sankofa.AuditEntry{At: now.Add(-401 * 24 * time.Hour), Action: sankofa.AuditSignIn, ActorID: "acc_old", SubjectID: "acc_old"}
		kept := &sankofa.AuditEntry{At: now.Add(-399 * 24 * time.Hour), Action: sankofa.AuditSignIn, ActorID: "acc_old", SubjectID: "acc_old"}
		for _, it := range []*sankofa.AuditEntry{old, kept} {
			if err := e.Store.AddAudit(ctx, it); err != nil {
				t.Fatal(err)
			}
		}
		n, err := e.Store.PruneAudit(ctx, 400*24*time.Hour)
		if err != nil || n != 1 {
			t.Fatalf("PruneAudit = %d, %v; want 1 entry pruned", n, err)
		}
		got := e.allAudit(t, url.Values{"actor": {"acc_old"}})
		if len(got) != 1 || got[0].ID != kept.ID {
			t.Errorf("after pruning: %+v, want only %s", got, kept.ID)
		}
		if rest := e.allAudit(t, url.Values{"subject": {ama.ID}}); len(rest) == 0 {
			t.Error("pruning took recent entries")
		}
	})
}
