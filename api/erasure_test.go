package api_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"sankofa"
)

// TestErasure_Worker walks a worker's erasure from the API: the refusals
// that change nothing, then the erasure and what each side sees after it.
func TestErasure_Worker(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	_, ghTok := e.Ministry(t, "GH", false)
	a := e.publishedAssignment(t, ghTok, nil)
	b := e.publishedAssignment(t, ghTok, nil)
	email := uniqueEmail("erase")
	var w sankofa.Account
	e.must(t, 201, req{Method: "POST", Path: "/v1/auth/register", Body: sankofa.Registration{
		Email: email, Password: testPassword, Name: "Efua Zqxerasable", Role: sankofa.RoleProfessional}}).JSON(t, &w)
	wTok := e.login(t, email, testPassword)
	in := e.profileInput()
	in.FullName = "Efua Zqxerasable"
	var p sankofa.Profile
	e.must(t, 201, req{Method: "PUT", Path: "/v1/profiles/me", Token: wTok, Body: in}).JSON(t, &p)
	e.must(t, 201, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/interest", Token: wTok})
	pending := e.offer(t, ghTok, b.ID, w, 201)
	e.must(t, 200, req{Method: "POST", Path: "/v1/profiles/me/licences/" + p.Licences[0].ID + "/verification", Token: wTok})
	admin := e.Admin(t)
	named := func() int {
		n := 0
		for _, it := range e.inbox(t, admin, 0) {
			if strings.Contains(it.Title+it.Body, "Zqxerasable") {
				n++
			}
		}
		return n
	}
	deadline := time.Now().Add(10 * time.Second)
	for named() == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if named() == 0 {
		t.Fatal("the admin was not told of the licence to verify by the worker's name")
	}

	t.Run("RefusedChangesNothing", func(t *testing.T) {
		if got := e.do(t, req{Method: "DELETE", Path: "/v1/me", Token: wTok, Body: map[string]string{"password": ""}}); got.Status != 400 ||
			len(got.Problem(t).Errors) != 1 || got.Problem(t).Errors[0].Field != "password" {
			t.Errorf("no password: %d %s", got.Status, got.Body)
		}
		got := e.do(t, req{Method: "DELETE", Path: "/v1/me", Token: wTok, Body: map[string]string{"password": "not-the-password-1"}})
		if got.Status != 403 || got.Problem(t).Code != "wrong_password" {
			t.Errorf("wrong password: %d %s", got.Status, got.Body)
		}
		got = e.do(t, req{Method: "DELETE", Path: "/v1/me", Token: admin, Body: map[string]string{"password": adminPassword}})
		if got.Status != 409 || got.Problem(t).Code != "admin_not_erasable" {
			t.Errorf("an admin erasing themself: %d %s", got.Status, got.Body)
		}
		e.must(t, 200, req{Method: "GET", Path: "/v1/profiles/me", Token: wTok})
		if n, _ := e.Flow.ErasuresPending(ctx); n != 0 {
			t.Errorf("%d erasures recorded by refused requests", n)
		}
	})

	e.must(t, 204, req{Method: "DELETE", Path: "/v1/me", Token: wTok, Body: map[string]string{"password": testPassword}})

	t.Run("GoneAtOnce", func(t *testing.T) {
		if got := e.do(t, req{Method: "POST", Path: "/v1/auth/login", Body: sankofa.Credentials{Email: email, Password: testPassword}}); got.Status != 401 {
			t.Errorf("sign-in after the erasure: %d", got.Status)
		}
		if got := e.do(t, req{Method: "GET", Path: "/v1/profiles/me", Token: wTok}); got.Status != 401 {
			t.Errorf("the erased person's token still works: %d", got.Status)
		}
		if got := e.do(t, req{Method: "GET", Path: "/v1/profiles/" + p.ID, Token: ghTok}); got.Status != 404 {
			t.Errorf("the ministry still reads the profile: %d %s", got.Status, got.Body)
		}
	})

	t.Run("MinistryKeepsTheFacts", func(t *testing.T) {
		var o offerBody
		e.must(t, 200, req{Method: "GET", Path: "/v1/offers/" + pending.ID, Token: ghTok}).JSON(t, &o)
		if !o.Erased || o.ProfessionalID != sankofa.ErasedID || o.ProfileID != sankofa.ErasedID || o.Message != "" ||
			o.Status != sankofa.OfferDeclined || o.AssignmentID != b.ID || !o.CreatedAt.Equal(pending.CreatedAt.Truncate(time.Millisecond)) {
			t.Errorf("the offer after the erasure: %+v", o.Offer)
		}
		var got sankofa.Assignment
		e.must(t, 200, req{Method: "GET", Path: "/v1/assignments/" + a.ID, Token: ghTok}).JSON(t, &got)
		if got.InterestCount != 1 {
			t.Errorf("interest_count %d after the erasure, want 1 (the fact stays)", got.InterestCount)
		}
		r := e.must(t, 200, req{Method: "GET", Path: "/v1/assignments/" + a.ID + "/interest", Token: ghTok})
		if strings.Contains(string(r.Body), p.ID) || strings.Contains(string(r.Body), "Zqxerasable") {
			t.Errorf("the interest list still names the person: %s", r.Body)
		}
	})

	t.Run("BackgroundPart", func(t *testing.T) {
		if n, _ := e.Flow.ErasuresPending(ctx); n != 1 {
			t.Fatalf("%d erasures pending, want 1", n)
		}
		if err := e.Flow.FinishErasures(ctx); err != nil {
			t.Fatal(err)
		}
		if st := e.status(t); st.Erasures.Pending != 0 {
			t.Errorf("status: %d erasures pending after they finished", st.Erasures.Pending)
		}
		if n := named(); n != 0 {
			t.Errorf("%d of the admin's notifications still name the person", n)
		}
	})

	t.Run("AuditedByIDs", func(t *testing.T) {
		got := e.allAudit(t, url.Values{"action": {string(sankofa.AuditErasure)}, "subject": {w.ID}})
		if len(got) != 1 || got[0].ActorID != w.ID {
			t.Errorf("erasure audit entries %+v, want one by the person", got)
		}
	})

	t.Run("SameEmailIsANewPerson", func(t *testing.T) {
		var again sankofa.Account
		e.must(t, 201, req{Method: "POST", Path: "/v1/auth/register", Body: sankofa.Registration{
			Email: email, Password: testPassword, Name: "Someone Else", Role: sankofa.RoleProfessional}}).JSON(t, &again)
		if again.ID == w.ID {
			t.Error("the new registration got the erased person's id")
		}
		tok := e.login(t, email, testPassword)
		if got := e.do(t, req{Method: "GET", Path: "/v1/profiles/me", Token: tok}); got.Status != 404 {
			t.Errorf("the new person has a profile: %d %s", got.Status, got.Body)
		}
	})
}

// TestErasure_ByAdmin: an admin erases a ministry; unknown ids and admins
// are refused.
func TestErasure_ByAdmin(t *testing.T) {
	e := newEnv(t)
	admin := e.Admin(t)
	m, mTok := e.Ministry(t, "GH", false)
	a := e.publishedAssignment(t, mTok, nil)
	if got := e.do(t, req{Method: "DELETE", Path: "/v1/admin/accounts/acc_nobody", Token: admin}); got.Status != 404 {
		t.Errorf("unknown account: %d %s", got.Status, got.Body)
	}
	var me sankofa.Account
	e.must(t, 200, req{Method: "GET", Path: "/v1/me", Token: admin}).JSON(t, &me)
	if got := e.do(t, req{Method: "DELETE", Path: "/v1/admin/accounts/" + me.ID, Token: admin}); got.Status != 409 || got.Problem(t).Code != "admin_not_erasable" {
		t.Errorf("erasing an admin: %d %s", got.Status, got.Body)
	}
	e.must(t, 204, req{Method: "DELETE", Path: "/v1/admin/accounts/" + m.ID, Token: admin})
	if got := e.do(t, req{Method: "DELETE", Path: "/v1/admin/accounts/" + m.ID, Token: admin}); got.Status != 404 {
		t.Errorf("erasing twice: %d %s", got.Status, got.Body)
	}
	if got := e.do(t, req{Method: "GET", Path: "/v1/me", Token: mTok}); got.Status != 401 {
		t.Errorf("the erased ministry's token still works: %d", got.Status)
	}
	// The assignment is the organisation's, not the officer's.
	_, wTok := e.worker(t, func(*sankofa.ProfileInput) {})
	e.must(t, 200, req{Method: "GET", Path: "/v1/assignments/" + a.ID, Token: wTok})
	if err := e.Flow.FinishErasures(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := e.allAudit(t, url.Values{"action": {string(sankofa.AuditErasure)}, "subject": {m.ID}})
	if len(got) != 1 || got[0].ActorID != me.ID {
		t.Errorf("erasure audit entries %+v, want one by the admin", got)
	}
}
