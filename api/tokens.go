package api

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

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

// TokenPair is what login and refresh return.
type TokenPair struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
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
