package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"sankofa"
	"sankofa/api"
)

func TestAuth_Register(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail("reg")
	ok := sankofa.Registration{Email: email, Password: testPassword, Name: "Kofi Boateng", Role: sankofa.RoleProfessional, Country: "GH"}
	tests := []struct {
		name      string
		r         req
		status    int
		fragments []string
	}{
		{"OK", req{Method: "POST", Path: "/v1/auth/register", Body: ok}, 201, []string{`"status":"active"`, `"role":"professional"`}},
		{"ErrDuplicateEmail", req{Method: "POST", Path: "/v1/auth/register", Body: sankofa.Registration{
			Email: strings.ToUpper(email), Password: testPassword, Name: "Again", Role: sankofa.RoleProfessional}}, 409, []string{`"code":"conflict"`}},
		{"MinistryStartsPending", req{Method: "POST", Path: "/v1/auth/register", Body: sankofa.Registration{
			Email: uniqueEmail("m"), Password: testPassword, Name: "Officer", Role: sankofa.RoleMinistry, Country: "SN", Organization: "Ministère de la Santé"}},
			201, []string{`"status":"pending"`, `"country":"SN"`}},
		{"ErrMinistryWithoutCountry", req{Method: "POST", Path: "/v1/auth/register", Bad: true, Body: map[string]any{
			"email": uniqueEmail("m"), "password": testPassword, "name": "Officer", "role": "ministry", "organization": "MoH"}},
			400, []string{`"field":"country"`}},
		{"ErrAdminRole", req{Method: "POST", Path: "/v1/auth/register", Bad: true, Body: map[string]any{
			"email": uniqueEmail("x"), "password": testPassword, "name": "X", "role": "admin"}}, 400, []string{`"field":"role"`}},
		{"ErrUnknownField", req{Method: "POST", Path: "/v1/auth/register", Bad: true, Body: map[string]any{
			"email": uniqueEmail("x"), "password": testPassword, "name": "X", "role": "professional", "is_admin": true}},
			400, []string{`"field":"is_admin"`, "not a known field"}},
		{"ErrWrongType", req{Method: "POST", Path: "/v1/auth/register", Bad: true, Body: `{"email":1}`}, 400, []string{`"field":"email"`}},
		{"ErrMalformed", req{Method: "POST", Path: "/v1/auth/register", Bad: true, Body: `{"email":`}, 400, []string{`"code":"invalid"`}},
		{"ErrShortPassword", req{Method: "POST", Path: "/v1/auth/register", Bad: true, Body: sankofa.Registration{
			Email: uniqueEmail("x"), Password: "short", Name: "X", Role: sankofa.RoleProfessional}}, 400, []string{`"field":"password"`}},
		{"ErrNotJSON", req{Method: "POST", Path: "/v1/auth/register", Bad: true, Body: "email=a", Header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}},
			415, []string{`"code":"unsupported_media_type"`}},
		{"ErrTooLarge", req{Method: "POST", Path: "/v1/auth/register", Bad: true, Body: `{"name":"` + strings.Repeat("a", 2<<20) + `"}`},
			413, []string{`"code":"payload_too_large"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := e.do(t, tc.r)
			if got.Status != tc.status {
				t.Fatalf("status %d, want %d; body %s", got.Status, tc.status, got.Body)
			}
			if m := contains(got.Body, tc.fragments...); len(m) > 0 {
				t.Errorf("body %s lacks %q", got.Body, m)
			}
			if got.Status >= 400 {
				got.Problem(t)
			}
		})
	}
}

func TestAuth_LoginAndRefresh(t *testing.T) {
	e := newEnv(t)
	acc, _ := e.Professional(t)
	login := func(t *testing.T) api.TokenPair {
		var tp api.TokenPair
		e.must(t, 200, req{Method: "POST", Path: "/v1/auth/login", Body: sankofa.Credentials{Email: acc.Email, Password: testPassword}}).JSON(t, &tp)
		return tp
	}
	refresh := func(t *testing.T, token string) resp {
		return e.do(t, req{Method: "POST", Path: "/v1/auth/refresh", Body: map[string]string{"refresh_token": token}})
	}
	t.Run("OK", func(t *testing.T) {
		tp := login(t)
		if tp.TokenType != "Bearer" || tp.ExpiresIn != 900 || tp.AccessToken == "" || tp.RefreshToken == "" {
			t.Fatalf("token pair %+v", tp)
		}
		got := e.must(t, 200, req{Method: "GET", Path: "/v1/me", Token: tp.AccessToken})
		if m := contains(got.Body, acc.ID, `"role":"professional"`); len(m) > 0 {
			t.Errorf("me lacks %q", m)
		}
		if strings.Contains(string(got.Body), "password") {
			t.Error("the password hash must never leave the server")
		}
	})
	t.Run("ErrWrongPassword", func(t *testing.T) {
		got := e.do(t, req{Method: "POST", Path: "/v1/auth/login", Body: sankofa.Credentials{Email: acc.Email, Password: "wrong-password-x"}})
		if got.Status != 401 || got.Problem(t).Code != "unauthorized" {
			t.Fatalf("status %d body %s", got.Status, got.Body)
		}
	})
	t.Run("RefreshRotates", func(t *testing.T) {
		tp := login(t)
		r1 := refresh(t, tp.RefreshToken)
		if r1.Status != 200 {
			t.Fatalf("refresh: %d %s", r1.Status, r1.Body)
		}
		var next api.TokenPair
		r1.JSON(t, &next)
		if next.RefreshToken == tp.RefreshToken {
			t.Fatal("the refresh token must rotate")
		}
		e.must(t, 200, req{Method: "GET", Path: "/v1/me", Token: next.AccessToken})
	})
	t.Run("ReuseRevokesFamily", func(t *testing.T) {
		tp := login(t)
		var next api.TokenPair
		e.must(t, 200, req{Method: "POST", Path: "/v1/auth/refresh", Body: map[string]string{"refresh_token": tp.RefreshToken}}).JSON(t, &next)
		if got := refresh(t, tp.RefreshToken); got.Status != 401 {
			t.Fatalf("reusing a rotated token: %d, want 401", got.Status)
		}
		if got := refresh(t, next.RefreshToken); got.Status != 401 {
			t.Fatalf("after reuse the newest token of the family must be revoked too: %d", got.Status)
		}
	})
	t.Run("LogoutRevokes", func(t *testing.T) {
		tp := login(t)
		e.must(t, 204, req{Method: "POST", Path: "/v1/auth/logout", Body: map[string]string{"refresh_token": tp.RefreshToken}})
		if got := refresh(t, tp.RefreshToken); got.Status != 401 {
			t.Fatalf("refresh after logout: %d", got.Status)
		}
	})
	t.Run("ErrBadRefreshToken", func(t *testing.T) {
		for _, tok := range []string{"", "nodot", "ses_x.y", strings.Repeat("a.", 200)} {
			if got := refresh(t, tok); got.Status != 401 {
				t.Errorf("refresh %q: %d, want 401", tok, got.Status)
			}
		}
	})
}

func TestAuth_AccessToken(t *testing.T) {
	e := newEnv(t)
	acc, token := e.Professional(t)
	secret := []byte("0123456789abcdef0123456789abcdef")
	sign := func(method jwt.SigningMethod, key any, mutate func(*api.Claims)) string {
		c := api.Claims{Role: sankofa.RoleProfessional, RegisteredClaims: jwt.RegisteredClaims{
			Issuer: "sankofa", Subject: acc.ID, Audience: jwt.ClaimStrings{"sankofa-api"},
			ExpiresAt: jwt.NewNumericDate(e.Now.Now().Add(time.Minute)), NotBefore: jwt.NewNumericDate(e.Now.Now().Add(-time.Minute))}}
		if mutate != nil {
			mutate(&c)
		}
		s, err := jwt.NewWithClaims(method, c).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	tests := []struct {
		name   string
		token  string
		status int
	}{
		{"OK", token, 200},
		{"OKSelfSigned", sign(jwt.SigningMethodHS256, secret, nil), 200},
		{"ErrAlgNone", sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, nil), 401},
		{"ErrHS512", sign(jwt.SigningMethodHS512, secret, nil), 401},
		{"ErrOtherSecret", sign(jwt.SigningMethodHS256, []byte("another-secret-another-secret-xx"), nil), 401},
		{"ErrIssuer", sign(jwt.SigningMethodHS256, secret, func(c *api.Claims) { c.Issuer = "evil" }), 401},
		{"ErrAudience", sign(jwt.SigningMethodHS256, secret, func(c *api.Claims) { c.Audience = jwt.ClaimStrings{"other"} }), 401},
		{"ErrExpired", sign(jwt.SigningMethodHS256, secret, func(c *api.Claims) { c.ExpiresAt = jwt.NewNumericDate(e.Now.Now().Add(-time.Second)) }), 401},
		{"ErrNoExpiry", sign(jwt.SigningMethodHS256, secret, func(c *api.Claims) { c.ExpiresAt = nil }), 401},
		{"ErrNotYetValid", sign(jwt.SigningMethodHS256, secret, func(c *api.Claims) { c.NotBefore = jwt.NewNumericDate(e.Now.Now().Add(time.Hour)) }), 401},
		{"ErrUnknownSubject", sign(jwt.SigningMethodHS256, secret, func(c *api.Claims) { c.Subject = "acc_nobody" }), 401},
		{"ErrGarbage", "a.b.c", 401},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := e.do(t, req{Method: "GET", Path: "/v1/me", Token: tc.token})
			if got.Status != tc.status {
				t.Fatalf("status %d, want %d: %s", got.Status, tc.status, got.Body)
			}
		})
	}
	t.Run("ExpiresAfter15Minutes", func(t *testing.T) {
		e.Now.Add(16 * time.Minute)
		defer e.Now.Add(-16 * time.Minute)
		if got := e.do(t, req{Method: "GET", Path: "/v1/me", Token: token}); got.Status != 401 {
			t.Fatalf("status %d, want 401", got.Status)
		}
	})
}

func TestAuth_RateLimit(t *testing.T) {
	e := newEnv(t)
	acc, _ := e.Professional(t)
	bad := req{Method: "POST", Path: "/v1/auth/login", Body: sankofa.Credentials{Email: acc.Email, Password: "wrong-password-x"}}
	for i := range 5 {
		if got := e.do(t, bad); got.Status != 401 {
			t.Fatalf("attempt %d: %d, want 401", i+1, got.Status)
		}
	}
	got := e.do(t, bad)
	if got.Status != 401 {
		t.Fatalf("6th attempt is checked and starts the back-off: %d", got.Status)
	}
	got = e.do(t, req{Method: "POST", Path: "/v1/auth/login", Body: sankofa.Credentials{Email: acc.Email, Password: testPassword}})
	if got.Status != 429 || got.Header.Get("Retry-After") == "" {
		t.Fatalf("during back-off even the right password waits: %d, Retry-After %q", got.Status, got.Header.Get("Retry-After"))
	}
	if p := got.Problem(t); p.Code != "rate_limited" {
		t.Errorf("code %q", p.Code)
	}
	t.Run("NeverLockedForGood", func(t *testing.T) {
		e.Now.Add(2 * time.Second)
		e.must(t, 200, req{Method: "POST", Path: "/v1/auth/login", Body: sankofa.Credentials{Email: acc.Email, Password: testPassword}})
	})
}

func TestAuth_Suspension(t *testing.T) {
	e := newEnv(t)
	acc, token := e.Professional(t)
	var tp api.TokenPair
	e.must(t, 200, req{Method: "POST", Path: "/v1/auth/login", Body: sankofa.Credentials{Email: acc.Email, Password: testPassword}}).JSON(t, &tp)
	e.must(t, 200, req{Method: "POST", Path: "/v1/admin/accounts/" + acc.ID + "/suspend", Token: e.Admin(t)})
	t.Run("TokensStopAtOnce", func(t *testing.T) {
		if got := e.do(t, req{Method: "GET", Path: "/v1/me", Token: token}); got.Status != 401 {
			t.Fatalf("status %d, want 401", got.Status)
		}
	})
	t.Run("RefreshRefused", func(t *testing.T) {
		if got := e.do(t, req{Method: "POST", Path: "/v1/auth/refresh", Body: map[string]string{"refresh_token": tp.RefreshToken}}); got.Status != 401 {
			t.Fatalf("status %d, want 401", got.Status)
		}
	})
	t.Run("LoginRefused", func(t *testing.T) {
		got := e.do(t, req{Method: "POST", Path: "/v1/auth/login", Body: sankofa.Credentials{Email: acc.Email, Password: testPassword}})
		if got.Status != 401 {
			t.Fatalf("status %d, want 401 (the answer to a wrong password)", got.Status)
		}
	})
	t.Run("ApproveReinstates", func(t *testing.T) {
		e.must(t, 200, req{Method: "POST", Path: "/v1/admin/accounts/" + acc.ID + "/approve", Token: e.Admin(t)})
		e.must(t, 200, req{Method: "GET", Path: "/v1/me", Token: token})
	})
}

func TestAdmin_ListAccounts(t *testing.T) {
	e := newEnv(t)
	for range 3 {
		e.Ministry(t, "GH", true)
	}
	e.Ministry(t, "NG", false)
	for range 2 {
		e.Professional(t)
	}
	admin := e.Admin(t)
	t.Run("PendingMinistriesPaged", func(t *testing.T) {
		var ids []string
		path := "/v1/admin/accounts?role=ministry&status=pending&limit=2"
		for range 5 {
			var page struct {
				Items      []sankofa.Account `json:"items"`
				NextCursor *string           `json:"next_cursor"`
			}
			e.must(t, 200, req{Method: "GET", Path: path, Token: admin}).JSON(t, &page)
			for _, a := range page.Items {
				if a.Role != sankofa.RoleMinistry || a.Status != sankofa.StatusPending {
					t.Fatalf("filter leaked %+v", a)
				}
				ids = append(ids, a.ID)
			}
			if page.NextCursor == nil {
				break
			}
			path = "/v1/admin/accounts?role=ministry&status=pending&limit=2&cursor=" + *page.NextCursor
		}
		if len(ids) != 3 {
			t.Fatalf("listed %d pending ministries, want 3", len(ids))
		}
	})
	t.Run("ErrBadFilter", func(t *testing.T) {
		got := e.do(t, req{Method: "GET", Path: "/v1/admin/accounts?role=king", Token: admin, Bad: true})
		if got.Status != 400 {
			t.Fatalf("status %d", got.Status)
		}
	})
	t.Run("ErrBadCursor", func(t *testing.T) {
		got := e.do(t, req{Method: "GET", Path: "/v1/admin/accounts?cursor=zzz", Token: admin})
		if got.Status != 400 || got.Problem(t).Errors[0].Field != "cursor" {
			t.Fatalf("status %d %s", got.Status, got.Body)
		}
	})
	t.Run("ErrApproveOwnAccount", func(t *testing.T) {
		var me sankofa.Account
		e.must(t, 200, req{Method: "GET", Path: "/v1/me", Token: admin}).JSON(t, &me)
		if got := e.do(t, req{Method: "POST", Path: "/v1/admin/accounts/" + me.ID + "/suspend", Token: admin}); got.Status != 409 {
			t.Fatalf("status %d, want 409", got.Status)
		}
	})
}
