package api_test

import (
	"strings"
	"testing"
	"time"

	"sankofa"
)

func TestProfiles_Lifecycle(t *testing.T) {
	e := newEnv(t)
	acc, token := e.Professional(t)
	_, gh := e.Ministry(t, "GH", false)
	_, ng := e.Ministry(t, "NG", false)
	_, pendingGH := e.Ministry(t, "GH", true)
	in := e.profileInput()

	created := e.must(t, 201, req{Method: "PUT", Path: "/v1/profiles/me", Token: token, Body: in})
	var p sankofa.Profile
	created.JSON(t, &p)
	t.Run("Created", func(t *testing.T) {
		if p.ID != sankofa.ProfileIDFor(acc.ID) || p.Version != 1 || created.Header.Get("ETag") != `"v1"` {
			t.Fatalf("profile %s v%d etag %s", p.ID, p.Version, created.Header.Get("ETag"))
		}
		if created.Header.Get("Location") != "/v1/profiles/"+p.ID {
			t.Errorf("Location %q", created.Header.Get("Location"))
		}
		if len(p.ShareWith) != 1 || p.ShareWith[0] != "GH" {
			t.Errorf("share_with defaults to the origin country, got %v", p.ShareWith)
		}
		if p.Completeness.Score != 100 || len(p.Completeness.Hints) != 0 {
			t.Errorf("completeness %+v", p.Completeness)
		}
	})
	t.Run("ReplaceNeedsIfMatch", func(t *testing.T) {
		got := e.do(t, req{Method: "PUT", Path: "/v1/profiles/me", Token: token, Body: in})
		if got.Status != 428 || got.Problem(t).Code != "precondition_required" {
			t.Fatalf("status %d %s", got.Status, got.Body)
		}
		got = e.do(t, req{Method: "PUT", Path: "/v1/profiles/me", Token: token, Body: in, Header: map[string]string{"If-Match": `"v7"`}})
		if got.Status != 412 {
			t.Fatalf("stale If-Match: %d", got.Status)
		}
		in.Bio = "Midwife and teacher."
		got = e.must(t, 200, req{Method: "PUT", Path: "/v1/profiles/me", Token: token, Body: in, Header: map[string]string{"If-Match": `"v1"`}})
		if got.Header.Get("ETag") != `"v2"` {
			t.Fatalf("etag %q", got.Header.Get("ETag"))
		}
	})
	t.Run("Patch", func(t *testing.T) {
		got := e.must(t, 200, req{Method: "PATCH", Path: "/v1/profiles/me", Token: token,
			Body:   map[string]any{"bio": "Patched.", "contact": nil, "share_with": []string{"GH", "NG"}},
			Header: map[string]string{"If-Match": `"v2"`, "Content-Type": "application/merge-patch+json"}})
		var after sankofa.Profile
		got.JSON(t, &after)
		if after.Bio != "Patched." || after.Contact != nil || after.FullName != in.FullName || after.Version != 3 {
			t.Fatalf("after patch %+v", after)
		}
		if after.Completeness.Score == 100 {
			t.Error("removing contact details must lower completeness")
		}
	})
	t.Run("ErrPatch", func(t *testing.T) {
		cases := []struct {
			name, body string
			status     int
			field      string
		}{
			{"UnknownField", `{"salary":1}`, 400, "salary"},
			{"PastWindow", `{"availability":[{"from":"2020-01-01","to":"2020-02-01"}]}`, 400, "availability[0].to"},
			{"TooLong", `{"availability":[{"from":"` + string(e.day(1)) + `","to":"` + string(e.day(900)) + `"}]}`, 400, "availability[0].to"},
			{"BadLanguage", `{"languages":[{"code":"english","level":"C2"}]}`, 400, "languages[0].code"},
			{"BadCEFR", `{"languages":[{"code":"en","level":"native"}]}`, 400, "languages[0].level"},
			{"BadTimeZone", `{"timezone":"Mars/Olympus"}`, 400, "timezone"},
			{"BadPhone", `{"contact":{"phone":"0044 77"}}`, 400, "contact.phone"},
			{"BadISCO", `{"profession":"9999"}`, 400, "profession"},
			{"NotObject", `[1,2]`, 400, ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				got := e.do(t, req{Method: "PATCH", Path: "/v1/profiles/me", Token: token, Body: tc.body, Bad: true,
					Header: map[string]string{"If-Match": `"v3"`}})
				if got.Status != tc.status {
					t.Fatalf("status %d, want %d: %s", got.Status, tc.status, got.Body)
				}
				if tc.field != "" {
					pr := got.Problem(t)
					if len(pr.Errors) == 0 || pr.Errors[0].Field != tc.field {
						t.Fatalf("errors %+v, want field %s", pr.Errors, tc.field)
					}
				}
			})
		}
		// Bad input changes nothing.
		var now sankofa.Profile
		e.must(t, 200, req{Method: "GET", Path: "/v1/profiles/me", Token: token}).JSON(t, &now)
		if now.Version != 3 {
			t.Fatalf("version %d after rejected patches, want 3", now.Version)
		}
	})
	t.Run("MinistryView", func(t *testing.T) {
		got := e.must(t, 200, req{Method: "GET", Path: "/v1/profiles/" + p.ID, Token: gh})
		if strings.Contains(string(got.Body), `"contact":`) || strings.Contains(string(got.Body), "+44") {
			t.Fatalf("a ministry must never see contact details: %s", got.Body)
		}
		e.must(t, 200, req{Method: "GET", Path: "/v1/profiles/" + p.ID, Token: ng}) // shared with NG by the patch
		e.must(t, 403, req{Method: "GET", Path: "/v1/profiles/" + p.ID, Token: pendingGH})
		e.must(t, 200, req{Method: "GET", Path: "/v1/profiles/" + p.ID, Token: e.Admin(t)})
		e.must(t, 403, req{Method: "GET", Path: "/v1/profiles/" + p.ID, Token: token})
	})
	t.Run("NotSharedIsNotFound", func(t *testing.T) {
		e.must(t, 200, req{Method: "PATCH", Path: "/v1/profiles/me", Token: token, Body: map[string]any{"share_with": []string{"GH"}},
			Header: map[string]string{"If-Match": `"v3"`}})
		e.must(t, 404, req{Method: "GET", Path: "/v1/profiles/" + p.ID, Token: ng})
	})
	t.Run("DeleteAndRecreate", func(t *testing.T) {
		e.must(t, 412, req{Method: "DELETE", Path: "/v1/profiles/me", Token: token, Header: map[string]string{"If-Match": `"v1"`}})
		e.must(t, 204, req{Method: "DELETE", Path: "/v1/profiles/me", Token: token})
		e.must(t, 404, req{Method: "GET", Path: "/v1/profiles/me", Token: token})
		e.must(t, 404, req{Method: "GET", Path: "/v1/profiles/" + p.ID, Token: gh})
		got := e.must(t, 201, req{Method: "PUT", Path: "/v1/profiles/me", Token: token, Body: in})
		if got.Header.Get("ETag") != `"v6"` {
			t.Fatalf("a re-created profile continues the version (for unique event ids): %s", got.Header.Get("ETag"))
		}
	})
	t.Run("ErrMinistryHasNoProfile", func(t *testing.T) {
		e.must(t, 403, req{Method: "PUT", Path: "/v1/profiles/me", Token: gh, Body: in})
	})
}

func TestProfiles_ExpiredWindowsDropped(t *testing.T) {
	e := newEnv(t)
	acc, token := e.Professional(t)
	in := e.profileInput()
	in.Availability = []sankofa.Window{{From: e.day(1), To: e.day(3)}, {From: e.day(10), To: e.day(20)}}
	e.must(t, 201, req{Method: "PUT", Path: "/v1/profiles/me", Token: token, Body: in})
	e.Now.Add(5 * 24 * time.Hour) // five days later the first window has ended
	token = e.login(t, acc.Email, testPassword)
	var p sankofa.Profile
	e.must(t, 200, req{Method: "PATCH", Path: "/v1/profiles/me", Token: token, Body: map[string]any{"bio": "Back from leave."},
		Header: map[string]string{"If-Match": `"v1"`}}).JSON(t, &p)
	if len(p.Availability) != 1 || p.Availability[0].From != in.Availability[1].From {
		t.Fatalf("availability %+v: the ended window must be dropped, not block the patch", p.Availability)
	}
}
