package api

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/labstack/echo/v4"

	"sankofa"
)

// Tokens issues and checks access tokens (JWT, HS256) and refresh tokens.
type Tokens struct {
	secret     []byte
	issuer     string
	audience   string
	accessTTL  time.Duration
	refreshTTL time.Duration
	now        func() time.Time
}

// Claims are the claims of an access token.
type Claims struct {
	Role    sankofa.Role `json:"role"`
	Country string       `json:"country,omitempty"`
	jwt.RegisteredClaims
}

// TokenPair is what login and refresh return. In cookie mode the refresh
// token travels in the sankofa_refresh cookie instead, and RefreshToken is
// empty and left out.
type TokenPair struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
}

// issueAccess signs an access token for an account.
func (t *Tokens) issueAccess(a *sankofa.Account) (string, error) {
	now := t.now()
	claims := Claims{
		Role:    a.Role,
		Country: a.Country,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    t.issuer,
			Subject:   a.ID,
			Audience:  jwt.ClaimStrings{t.audience},
			ExpiresAt: jwt.NewNumericDate(now.Add(t.accessTTL)),
			NotBefore: jwt.NewNumericDate(now.Add(-5 * time.Second)),
			IssuedAt:  jwt.NewNumericDate(now),
		},
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.secret)
	if err != nil {
		return "", fmt.Errorf("api: sign token: %w", err)
	}
	return s, nil
}

// parseAccess verifies an access token: the algorithm is pinned to HS256
// (so "none" and every other algorithm fail), and iss, aud, exp and nbf
// must all hold. It returns unauthorized.
func (t *Tokens) parseAccess(raw string) (*Claims, error) {
	var c Claims
	_, err := jwt.ParseWithClaims(raw, &c, func(*jwt.Token) (any, error) { return t.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(t.issuer),
		jwt.WithAudience(t.audience),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(t.now),
	)
	if err != nil {
		msg := "the access token is not valid"
		if errors.Is(err, jwt.ErrTokenExpired) {
			msg = "the access token has expired; refresh it"
		}
		return nil, sankofa.Errorf(sankofa.Unauthorized, "%s", msg)
	}
	if c.Subject == "" {
		return nil, sankofa.Errorf(sankofa.Unauthorized, "the access token has no subject")
	}
	return &c, nil
}

// newRefresh returns a refresh token "<session id>.<secret>" and its secret.
func newRefresh(sessionID string) (token, secret string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	secret = base64.RawURLEncoding.EncodeToString(b)
	return sessionID + "." + secret, secret
}

// splitRefresh parses a refresh token; it returns unauthorized when
// malformed.
func splitRefresh(token string) (sessionID, secret string, err error) {
	id, secret, ok := strings.Cut(token, ".")
	if !ok || id == "" || secret == "" || len(token) > 256 {
		return "", "", sankofa.Errorf(sankofa.Unauthorized, "the refresh token is not valid")
	}
	return id, secret, nil
}

// RefreshCookie is the cookie that carries the refresh token for the
// browser console, out of reach of its scripts.
const RefreshCookie = "sankofa_refresh"

// refreshCookiePath scopes the cookie to the token endpoints, so that no
// other request carries it.
const refreshCookiePath = "/v1/auth"

// setRefreshCookie hands the refresh token to the browser: HttpOnly, so
// that no script reads it; SameSite=Strict, so that no other site's page
// sends it; Secure whenever the request came over TLS.
func (s *Server) setRefreshCookie(c echo.Context, token string) {
	c.SetCookie(&http.Cookie{Name: RefreshCookie, Value: token, Path: refreshCookiePath,
		MaxAge: int(s.cfg.RefreshTTL / time.Second), HttpOnly: true, Secure: s.scheme(c) == "https",
		SameSite: http.SameSiteStrictMode})
}

// clearRefreshCookie tells the browser to drop the refresh cookie
// (Max-Age=0, with the attributes it was set with).
func (s *Server) clearRefreshCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: RefreshCookie, Value: "", Path: refreshCookiePath,
		MaxAge: -1, HttpOnly: true, Secure: s.scheme(c) == "https", SameSite: http.SameSiteStrictMode})
}

// refreshFromCookie returns the refresh cookie's token, or "" without one.
func refreshFromCookie(c echo.Context) string {
	ck, err := c.Cookie(RefreshCookie)
	if err != nil {
		return ""
	}
	return ck.Value
}

// scheme is how the client reached the server: https under TLS, or when a
// trusted proxy says so in X-Forwarded-Proto; http otherwise. Echo's own
// c.Scheme() believes X-Forwarded-Proto from anyone.
func (s *Server) scheme(c echo.Context) string {
	r := c.Request()
	if r.TLS != nil {
		return "https"
	}
	if len(s.cfg.TrustedProxies) > 0 && s.fromTrustedProxy(r.RemoteAddr) {
		p, _, _ := strings.Cut(r.Header.Get(echo.HeaderXForwardedProto), ",")
		if strings.EqualFold(strings.TrimSpace(p), "https") {
			return "https"
		}
	}
	return "http"
}

// fromTrustedProxy reports whether the connecting address is one of the
// trusted proxies.
func (s *Server) fromTrustedProxy(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return false
	}
	for _, n := range s.cfg.TrustedProxies {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// checkOrigin guards the requests that the refresh cookie authenticates:
// the browser names the page's origin in Origin, which must be this
// server's own (scheme, host and port), so that no other site can make a
// page sign its visitors in or out. It returns forbidden.
func (s *Server) checkOrigin(c echo.Context) error {
	origin := c.Request().Header.Get(echo.HeaderOrigin)
	if origin == "" {
		return sankofa.Errorf(sankofa.Forbidden,
			"a request authenticated by the %s cookie must carry an Origin header naming this server", RefreshCookie)
	}
	want := s.scheme(c)
	u, err := url.Parse(origin)
	if err != nil || u.Scheme != want || u.Opaque != "" || u.User != nil || (u.Path != "" && u.Path != "/") ||
		!sameHost(u.Scheme, u.Host, c.Request().Host) {
		return sankofa.Errorf(sankofa.Forbidden,
			"the Origin %q is not this server's (%s://%s); the %s cookie is accepted only from the console's own pages",
			origin, want, c.Request().Host, RefreshCookie)
	}
	return nil
}

// sameHost compares two host[:port] forms, case-insensitively and with the
// scheme's default port made explicit.
func sameHost(scheme, a, b string) bool {
	return a != "" && strings.EqualFold(withPort(scheme, a), withPort(scheme, b))
}

func withPort(scheme, hostport string) string {
	if _, _, err := net.SplitHostPort(hostport); err == nil {
		return hostport
	}
	if scheme == "https" {
		return net.JoinHostPort(strings.Trim(hostport, "[]"), "443")
	}
	return net.JoinHostPort(strings.Trim(hostport, "[]"), "80")
}
