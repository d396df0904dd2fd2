package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/google/go-cmp/cmp"

	"sankofa"
	"sankofa/api"
)

// The browser console keeps its refresh token in the sankofa_refresh
// cookie; these tests hold the cookie flow to its contract.

var (
	// newCookie is the exact Set-Cookie of a refresh token over plain
	// HTTP (30 days, the default refresh lifetime).
	newCookie = regexp.MustCompile(`^sankofa_refresh=ses_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}; Path=/v1/auth; Max-Age=2592000; HttpOnly; SameSite=Strict$`)
	// clearedCookie is the exact Set-Cookie that makes the browser drop it.
	clearedCookie = "sankofa_refresh=; Path=/v1/auth; Max-Age=0; HttpOnly; SameSite=Strict"
)

// cookieLogin signs in in cookie mode and returns the refresh cookie's
// value and the access token.
func (e *env) cookieLogin(tb testing.TB, email string) (cookie, access string) {
	tb.Helper()
	got := e.must(tb, 200, req{Method: "POST", Path: "/v1/auth/login",
		Body: map[string]any{"email": email, "password": testPassword, "refresh_cookie": true}})
	var body map[string]any
	got.JSON(tb, &body)
	if _, ok := body["refresh_token"]; ok {
		tb.Fatalf("cookie-mode sign-in put the refresh token in the body: %s", got.Body)
	}
	return refreshCookie(tb, got), body["access_token"].(string)
}

// refreshCookie returns the value of the one Set-Cookie a response must
// carry, which must be a new refresh cookie.
func refreshCookie(tb testing.TB, r resp) string {
	tb.Helper()
	sc := r.Header.Values("Set-Cookie")
	if len(sc) != 1 || !newCookie.MatchString(sc[0]) {
		tb.Fatalf("Set-Cookie %q, want one matching %s", sc, newCookie)
	}
	v, _, _ := strings.Cut(strings.TrimPrefix(sc[0], api.RefreshCookie+"="), ";")
	return v
}

// withCookie is the header of a request carrying the refresh cookie and
// an Origin; an empty origin sends none.
func withCookie(cookie, origin string) map[string]string {
	h := map[string]string{"Cookie": api.RefreshCookie + "=" + cookie}
	if origin != "" {
		h["Origin"] = origin
	}
	return h
}

func TestAuth_CookieLogin(t *testing.T) {
	e := newEnv(t)
	acc, _ := e.Professional(t)
	tests := []struct {
		name   string
		body   map[string]any
		header map[string]string
		cookie bool // the answer sets the cookie instead of refresh_token
	}{
		{"CookieMode", map[string]any{"refresh_cookie": true}, nil, true},
		// X-Forwarded-Proto from a client that is no trusted proxy changes
		// nothing: the cookie stays without Secure, as over plain HTTP.
		{"ForgedForwardedProtoIgnored", map[string]any{"refresh_cookie": true}, map[string]string{"X-Forwarded-Proto": "https"}, true},
		{"JSONModeExplicit", map[string]any{"refresh_cookie": false}, nil, false},
		{"JSONModeByDefault", map[string]any{}, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := map[string]any{"email": acc.Email, "password": testPassword}
			for k, v := range tc.body {
				body[k] = v
			}
			got := e.must(t, 200, req{Method: "POST", Path: "/v1/auth/login", Body: body, Header: tc.header})
			if cc := got.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", cc)
			}
			var tp map[string]any
			got.JSON(t, &tp)
			if tp["token_type"] != "Bearer" || tp["expires_in"] != float64(900) || tp["access_token"] == "" {
				t.Errorf("answer %s", got.Body)
			}
			_, hasRefresh := tp["refresh_token"]
			if tc.cookie {
				if hasRefresh {
					t.Errorf("cookie mode answered refresh_token in the body: %s", got.Body)
				}
				refreshCookie(t, got)
			} else {
				if !hasRefresh {
					t.Errorf("JSON mode answered no refresh_token: %s", got.Body)
				}
				if sc := got.Header.Values("Set-Cookie"); len(sc) > 0 {
					t.Errorf("JSON mode set a cookie: %q", sc)
				}
			}
			e.must(t, 200, req{Method: "GET", Path: "/v1/me", Token: tp["access_token"].(string)})
		})
	}
	t.Run("ErrWrongType", func(t *testing.T) {
		got := e.do(t, req{Method: "POST", Path: "/v1/auth/login", Bad: true,
			Body: map[string]any{"email": acc.Email, "password": testPassword, "refresh_cookie": "yes"}})
		if got.Status != 400 || len(contains(got.Body, `"field":"refresh_cookie"`)) > 0 {
			t.Fatalf("status %d body %s, want 400 naming refresh_cookie", got.Status, got.Body)
		}
	})
}

// TestAuth_CookieRefreshAndLogout runs refresh and logout through the
// cookie: each scenario signs in afresh, sends one request, and checks the
// answer, the Set-Cookie, and what the cookie can still do afterwards.
func TestAuth_CookieRefreshAndLogout(t *testing.T) {
	e := newEnv(t)
	acc, _ := e.Professional(t)
	self := e.URL // the console's own origin: http://127.0.0.1:<port>
	u, _ := url.Parse(e.URL)
	refreshWith := func(t *testing.T, cookie, origin string) resp {
		return e.do(t, req{Method: "POST", Path: "/v1/auth/refresh", Body: map[string]any{}, Header: withCookie(cookie, origin)})
	}

	const (
		setsNew = "new"
		clears  = "cleared"
		none    = "none"
	)
	tests := []struct {
		name   string
		path   string
		body   any
		cookie func(t *testing.T, fresh string) string // the cookie sent, from a fresh sign-in's; "" sends none
		origin string                                  // "" sends none
		status int
		code   string // the problem's code
		detail string // a fragment of the problem's detail
		set    string // setsNew, clears or none
		// after checks what the sent and the new cookie can do afterwards.
		after func(t *testing.T, sent, next string)
	}{
		{
			name: "RefreshRotates", path: "/v1/auth/refresh", body: map[string]any{}, origin: self, status: 200, set: setsNew,
			after: func(t *testing.T, sent, next string) {
				if next == sent {
					t.Fatal("the cookie's refresh token must rotate")
				}
				// The old cookie is a reused token: 401, the browser is told
				// to drop it, and the whole family is revoked.
				got := refreshWith(t, sent, self)
				if got.Status != 401 || !strings.Contains(got.Problem(t).Detail, "already used") {
					t.Fatalf("reusing the old cookie: %d %s, want 401 already used", got.Status, got.Body)
				}
				if sc := got.Header.Get("Set-Cookie"); sc != clearedCookie {
					t.Errorf("reuse answered Set-Cookie %q, want %q", sc, clearedCookie)
				}
				if got := refreshWith(t, next, self); got.Status != 401 {
					t.Fatalf("after reuse the newest cookie must be revoked too: %d %s", got.Status, got.Body)
				} else if sc := got.Header.Get("Set-Cookie"); sc != clearedCookie {
					t.Errorf("revoked cookie answered Set-Cookie %q, want %q", sc, clearedCookie)
				}
			},
		},
		{
			name: "RefreshOriginWithDefaultSlash", path: "/v1/auth/refresh", body: map[string]any{}, origin: self + "/", status: 200, set: setsNew,
		},
		{
			name: "ErrRefreshWithoutOrigin", path: "/v1/auth/refresh", body: map[string]any{}, status: 403,
			code: "forbidden", detail: "must carry an Origin header", set: none,
			after: stillWorks(e, self),
		},
		{
			name: "ErrRefreshFromAnotherSite", path: "/v1/auth/refresh", body: map[string]any{}, origin: "https://evil.example",
			status: 403, code: "forbidden", detail: "is not this server's", set: none, after: stillWorks(e, self),
		},
		{
			name: "ErrRefreshOtherScheme", path: "/v1/auth/refresh", body: map[string]any{}, origin: "https://" + u.Host,
			status: 403, code: "forbidden", detail: "is not this server's", set: none, after: stillWorks(e, self),
		},
		{
			name: "ErrRefreshOtherPort", path: "/v1/auth/refresh", body: map[string]any{}, origin: "http://" + u.Hostname() + ":1",
			status: 403, code: "forbidden", detail: "is not this server's", set: none, after: stillWorks(e, self),
		},
		{
			name: "ErrRefreshOpaqueOrigin", path: "/v1/auth/refresh", body: map[string]any{}, origin: "null",
			status: 403, code: "forbidden", detail: "is not this server's", set: none, after: stillWorks(e, self),
		},
		{
			name: "ErrRefreshNeitherTokenNorCookie", path: "/v1/auth/refresh", body: map[string]any{},
			cookie: func(*testing.T, string) string { return "" }, origin: self,
			status: 401, code: "unauthorized", detail: "refresh_cookie", set: none,
		},
		{
			name: "ErrRefreshMangledCookie", path: "/v1/auth/refresh", body: map[string]any{},
			cookie: func(*testing.T, string) string { return "not-a-token" }, origin: self,
			status: 401, code: "unauthorized", detail: "not valid", set: clears,
		},
		{
			// A body token keeps the JSON flow whatever cookie comes along:
			// the answer holds the token and leaves the cookie alone.
			name: "RefreshBodyTokenWins", path: "/v1/auth/refresh",
			body: func() any {
				var tp api.TokenPair
				e.must(t, 200, req{Method: "POST", Path: "/v1/auth/login", Body: sankofa.Credentials{Email: acc.Email, Password: testPassword}}).JSON(t, &tp)
				return map[string]string{"refresh_token": tp.RefreshToken}
			}(),
			status: 200, set: none,
			after: stillWorks(e, self),
		},
		{
			name: "LogoutRevokes", path: "/v1/auth/logout", body: map[string]any{}, origin: self, status: 204, set: clears,
			after: func(t *testing.T, sent, _ string) {
				got := refreshWith(t, sent, self)
				if got.Status != 401 || !strings.Contains(got.Problem(t).Detail, "revoked") {
					t.Fatalf("refresh after logout: %d %s, want 401 revoked", got.Status, got.Body)
				}
			},
		},
		{
			name: "ErrLogoutWithoutOrigin", path: "/v1/auth/logout", body: map[string]any{}, status: 403,
			code: "forbidden", detail: "must carry an Origin header", set: none, after: stillWorks(e, self),
		},
		{
			name: "ErrLogoutFromAnotherSite", path: "/v1/auth/logout", body: map[string]any{}, origin: "http://evil.example",
			status: 403, code: "forbidden", detail: "is not this server's", set: none, after: stillWorks(e, self),
		},
		{
			// Signing out with no cookie left still tells the browser to
			// drop it, and says nothing.
			name: "LogoutWithoutCookie", path: "/v1/auth/logout", body: map[string]any{},
			cookie: func(*testing.T, string) string { return "" }, status: 204, set: clears,
		},
		{
			name: "LogoutMangledCookie", path: "/v1/auth/logout", body: map[string]any{},
			cookie: func(*testing.T, string) string { return "not-a-token" }, origin: self, status: 204, set: clears,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fresh, _ := e.cookieLogin(t, acc.Email)
			sent := fresh
			if tc.cookie != nil {
				sent = tc.cookie(t, fresh)
			}
			header := map[string]string{}
			if sent != "" {
				header["Cookie"] = api.RefreshCookie + "=" + sent
			}
			if tc.origin != "" {
				header["Origin"] = tc.origin
			}
			got := e.do(t, req{Method: "POST", Path: tc.path, Body: tc.body, Header: header})
			if got.Status != tc.status {
				t.Fatalf("status %d, want %d; body %s", got.Status, tc.status, got.Body)
			}
			if got.Status >= 400 {
				p := got.Problem(t)
				if p.Code != tc.code || !strings.Contains(p.Detail, tc.detail) {
					t.Errorf("problem %s %q, want %s mentioning %q", p.Code, p.Detail, tc.code, tc.detail)
				}
			}
			if got.Status == 200 {
				var tp map[string]any
				got.JSON(t, &tp)
				_, inBody := tp["refresh_token"]
				if inBody != (tc.set == none) {
					t.Errorf("refresh_token in the body: %v; cookie %s; body %s", inBody, tc.set, got.Body)
				}
				e.must(t, 200, req{Method: "GET", Path: "/v1/me", Token: tp["access_token"].(string)})
			}
			var next string
			switch sc := got.Header.Values("Set-Cookie"); tc.set {
			case setsNew:
				next = refreshCookie(t, got)
			case clears:
				if len(sc) != 1 || sc[0] != clearedCookie {
					t.Errorf("Set-Cookie %q, want %q", sc, clearedCookie)
				}
			case none:
				if len(sc) > 0 {
					t.Errorf("Set-Cookie %q, want none", sc)
				}
			}
			if tc.after != nil {
				tc.after(t, fresh, next)
			}
		})
	}
}

// stillWorks checks that a refused request changed nothing: the fresh
// cookie still refreshes.
func stillWorks(e *env, origin string) func(t *testing.T, sent, next string) {
	return func(t *testing.T, sent, _ string) {
		t.Helper()
		got := e.do(t, req{Method: "POST", Path: "/v1/auth/refresh", Body: map[string]any{}, Header: withCookie(sent, origin)})
		if got.Status != 200 {
			t.Fatalf("the cookie no longer refreshes: %d %s", got.Status, got.Body)
		}
		refreshCookie(t, got)
	}
}

// TestAuth_CookieSuspended: a suspended account's cookie gets 401, and
// the browser is told to drop it.
func TestAuth_CookieSuspended(t *testing.T) {
	e := newEnv(t)
	acc, _ := e.Professional(t)
	cookie, _ := e.cookieLogin(t, acc.Email)
	e.must(t, 200, req{Method: "POST", Path: "/v1/admin/accounts/" + acc.ID + "/suspend", Token: e.Admin(t)})
	got := e.do(t, req{Method: "POST", Path: "/v1/auth/refresh", Body: map[string]any{}, Header: withCookie(cookie, e.URL)})
	if got.Status != 401 || got.Header.Get("Set-Cookie") != clearedCookie {
		t.Fatalf("status %d Set-Cookie %q body %s, want 401 clearing the cookie", got.Status, got.Header.Get("Set-Cookie"), got.Body)
	}
}

// TestAuth_CookieOverTLS serves the same API over TLS: the cookie is
// Secure, and the Origin must be https.
func TestAuth_CookieOverTLS(t *testing.T) {
	e := newEnv(t)
	acc, _ := e.Professional(t)
	srv := httptest.NewTLSServer(e.Server.Handler())
	t.Cleanup(srv.Close)
	client := srv.Client()
	send := func(t *testing.T, path, body string, header map[string]string) *http.Response {
		t.Helper()
		r, err := http.NewRequest("POST", srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("Content-Type", "application/json")
		for k, v := range header {
			r.Header.Set(k, v)
		}
		res, err := client.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		validateResponse(t, r, body, res)
		return res
	}
	secure := regexp.MustCompile(`^sankofa_refresh=ses_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}; Path=/v1/auth; Max-Age=2592000; HttpOnly; Secure; SameSite=Strict$`)
	login, _ := json.Marshal(map[string]any{"email": acc.Email, "password": testPassword, "refresh_cookie": true})
	res := send(t, "/v1/auth/login", string(login), nil)
	sc := res.Header.Get("Set-Cookie")
	if res.StatusCode != 200 || !secure.MatchString(sc) {
		t.Fatalf("login over TLS: %d Set-Cookie %q, want a Secure cookie", res.StatusCode, sc)
	}
	cookie := res.Cookies()[0].Value
	if res := send(t, "/v1/auth/refresh", `{}`, withCookie(cookie, strings.Replace(srv.URL, "https:", "http:", 1))); res.StatusCode != 403 {
		t.Fatalf("refresh over TLS from an http Origin: %d, want 403", res.StatusCode)
	}
	res = send(t, "/v1/auth/refresh", `{}`, withCookie(cookie, srv.URL))
	if sc := res.Header.Get("Set-Cookie"); res.StatusCode != 200 || !secure.MatchString(sc) {
		t.Fatalf("refresh over TLS: %d Set-Cookie %q, want 200 and a Secure cookie", res.StatusCode, sc)
	}
	res = send(t, "/v1/auth/logout", `{}`, withCookie(res.Cookies()[0].Value, srv.URL))
	if want := clearedCookie[:strings.LastIndex(clearedCookie, ";")] + "; Secure; SameSite=Strict"; res.StatusCode != 204 || res.Header.Get("Set-Cookie") != want {
		t.Fatalf("logout over TLS: %d Set-Cookie %q, want 204 and %q", res.StatusCode, res.Header.Get("Set-Cookie"), want)
	}
}

// validateResponse checks a request sent outside env.do against
// openapi.yaml, as env.do does.
func validateResponse(t *testing.T, r *http.Request, body string, res *http.Response) {
	t.Helper()
	vr := r.Clone(context.Background())
	vr.Body = http.NoBody
	if body != "" {
		vr.Body = io.NopCloser(strings.NewReader(body))
	}
	route, params, err := contract(t).FindRoute(vr)
	if err != nil {
		t.Fatalf("%s %s is not in openapi.yaml: %v", r.Method, r.URL.Path, err)
	}
	in := &openapi3filter.RequestValidationInput{Request: vr, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		t.Fatalf("%s %s: request breaks openapi.yaml: %v", r.Method, r.URL.Path, err)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode, Header: res.Header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true, ExcludeResponseBody: true}}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%s %s -> %d: response breaks openapi.yaml: %v", r.Method, r.URL.Path, res.StatusCode, err)
	}
}

func TestAbout(t *testing.T) {
	e := newEnv(t)
	// Signed in, signed out or with a broken token, everyone reads it.
	for _, token := range []string{"", "not-a-jwt", e.Admin(t)} {
		got := e.must(t, 200, req{Method: "GET", Path: "/v1/about", Token: token})
		var a api.About
		got.JSON(t, &a)
		// The test server names no support contact; a test binary has no
		// stamped version.
		want := api.About{Name: "Sankofa", Languages: []string{"en", "fr", "pt"}, SupportContact: "", Version: "dev"}
		if diff := cmp.Diff(want, a); diff != "" {
			t.Errorf("about (-want +got):\n%s", diff)
		}
	}
}

func TestAuth_RegisterLocale(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name, locale, acceptLanguage, want string
	}{
		{"NoHeader", "", "", "en"},
		{"French", "", "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", "fr"},
		{"BrazilianPortuguese", "", "pt-BR", "pt"},
		{"FirstKnownByPreference", "", "de-DE,de;q=0.9,pt;q=0.5,fr;q=0.4", "pt"},
		{"QualityOrderNotListOrder", "", "en;q=0.1, fr;q=0.9", "fr"},
		{"RefusedLanguageSkipped", "", "fr;q=0, pt;q=0.2", "pt"},
		{"NoneKnown", "", "de-CH, ja;q=0.8", "en"},
		{"Wildcard", "", "*", "en"},
		{"Malformed", "", "!!!;;q=x", "en"},
		{"BodyWins", "pt", "fr", "pt"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var h map[string]string
			if tc.acceptLanguage != "" {
				h = map[string]string{"Accept-Language": tc.acceptLanguage}
			}
			var a sankofa.Account
			e.must(t, 201, req{Method: "POST", Path: "/v1/auth/register", Header: h, Body: sankofa.Registration{
				Email: uniqueEmail("loc"), Password: testPassword, Name: "Awa Diop", Role: sankofa.RoleProfessional, Locale: tc.locale}}).JSON(t, &a)
			if a.Locale != tc.want {
				t.Errorf("locale %q, want %q", a.Locale, tc.want)
			}
		})
	}
}

func TestAbout_SecurityHeaders(t *testing.T) {
	e := newEnv(t)
	for _, r := range []req{
		{Method: "GET", Path: "/v1/about"},
		{Method: "GET", Path: "/v1/me"}, // 401 problem
		{Method: "POST", Path: "/v1/auth/login", Body: map[string]any{"email": "x@example.org", "password": "wrong-password-1", "refresh_cookie": true}},
		{Method: "GET", Path: "/healthz"},
		{Method: "GET", Path: "/openapi.yaml"},
		{Method: "GET", Path: "/docs"},
	} {
		got := e.do(t, r)
		if h := got.Header.Get("X-Content-Type-Options"); h != "nosniff" {
			t.Errorf("%s %s -> %d: X-Content-Type-Options %q, want nosniff", r.Method, r.Path, got.Status, h)
		}
		if h := got.Header.Get("Referrer-Policy"); h != "no-referrer" {
			t.Errorf("%s %s -> %d: Referrer-Policy %q, want no-referrer", r.Method, r.Path, got.Status, h)
		}
	}
	// A path nobody serves is answered the same way.
	res, err := http.Get(e.URL + "/v1/no-such-thing")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("404: X-Content-Type-Options %q", res.Header.Get("X-Content-Type-Options"))
	}
}
