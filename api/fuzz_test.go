package api_test

import (
	"bytes"
	"net/http"
	"testing"
)

// FuzzAPI_Bodies sends arbitrary bodies to every endpoint that decodes
// one, through the full server, and requires a non-5xx answer in
// problem+json for anything refused. Bad input must never cause a 500.
func FuzzAPI_Bodies(f *testing.F) {
	e := newEnv(f)
	_, pro := e.Professional(f)
	_, moh := e.Ministry(f, "GH", false)
	var p struct{ ID string }
	e.must(f, 201, req{Method: "PUT", Path: "/v1/profiles/me", Token: pro, Body: e.profileInput()}).JSON(f, &p)
	a := e.publishedAssignment(f, moh, nil)
	var o struct{ ID string }
	e.must(f, 201, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/offers", Token: moh,
		Body: map[string]any{"profile_id": p.ID}}).JSON(f, &o)
	for _, seed := range []string{
		`{"profile_id":"` + p.ID + `","expires_at":"2999-01-01T00:00:00Z"}`, `{"profile_id":"` + p.ID + `","expires_at":"not a time"}`,
		`{"reason":"` + string(bytes.Repeat([]byte("r"), 600)) + `"}`, `{"url":"http://[::ffff:127.0.0.1]/x","events":["offer.accepted"]}`,
		`{"url":"https://0x7f.1/x","events":["offer.accepted","offer.accepted"]}`, `{"locale":"xx","name":""}`,
		`{}`, `null`, `[]`, `"x"`, `1e400`, `{"full_name":null}`, `{"languages":[{"code":"en","level":"C2"}]}`,
		`{"availability":[{"from":"2027-02-30","to":"2027-03-01"}]}`, `{"contact":{"phone":"+1"}}`,
		`{"title":"x","mode":"hybrid","start":"9999-99-99"}`, `{"email":"a@b.c","password":"` + string(bytes.Repeat([]byte("p"), 600)) + `"}`,
		"{\"full_name\":\"\xff\xfe\"}", `{"share_with":["GH","GH"]}`, `{"positions":-1}`, `{"virtual_hours_per_week":1.5}`,
		`{"a":{"b":{"c":{"d":{"e":{"f":[[[[[[]]]]]]}}}}}}`, `{"profession":"2221","modes":["teleport"]}`,
		`{"edition":"2023","title":"WHO list","source":"https://www.who.int/x","countries":["GH","NP"]}`,
		`{"edition":"","title":"x","source":"javascript:alert(1)","isbn":"X","countries":["GH","GH","gh",""]}`,
		`{"employer_country":"GB","source_country":"NP","title":"UK-Nepal","valid_from":"2026-01-01","valid_until":"2025-01-01"}`,
		`{"employer_country":"GB","source_country":"GB","title":"x","valid_from":"2026-02-30","valid_until":null}`,
	} {
		f.Add([]byte(seed))
	}
	targets := []struct {
		method, path, token string
		header              map[string]string
	}{
		{"PUT", "/v1/profiles/me", pro, map[string]string{"If-Match": `*`}},
		{"PATCH", "/v1/profiles/me", pro, map[string]string{"If-Match": `*`}},
		{"POST", "/v1/assignments", moh, nil},
		{"POST", "/v1/auth/register", "", nil},
		{"POST", "/v1/auth/login", "", nil},
		{"POST", "/v1/auth/refresh", "", nil},
		{"POST", "/v1/assignments/" + a.ID + "/offers", moh, nil},
		{"POST", "/v1/offers/" + o.ID + "/decline", pro, nil},
		{"POST", "/v1/webhooks", moh, nil},
		{"PATCH", "/v1/me", pro, map[string]string{"If-Match": `*`}},
		{"PUT", "/v1/admin/safeguards", e.Admin(f), nil},
		{"POST", "/v1/admin/safeguards/agreements", e.Admin(f), nil},
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, tg := range targets {
			got := e.do(t, req{Method: tg.method, Path: tg.path, Token: tg.token, Body: body, Header: tg.header, Bad: true})
			if got.Status >= 500 {
				t.Fatalf("%s %s with %q: %d %s", tg.method, tg.path, body, got.Status, got.Body)
			}
			if got.Status >= 400 && got.Header.Get("Content-Type") != "application/problem+json" && got.Status != http.StatusTooManyRequests {
				t.Fatalf("%s %s: %d without problem+json", tg.method, tg.path, got.Status)
			}
		}
	})
}
