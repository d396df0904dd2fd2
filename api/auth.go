package api

import (
	"cmp"
	"context"
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"sankofa"
)

// handleRegister creates a professional (active) or ministry (pending)
// account.
func (s *Server) handleRegister() echo.HandlerFunc {
	return func(c echo.Context) error {
		var r sankofa.Registration
		if err := bind(c, &r); err != nil {
			return err
		}
		if err := r.Validate(); err != nil {
			return err
		}
		ctx := c.Request().Context()
		hash, err := s.hasher.Hash(ctx, r.Password)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		a := &sankofa.Account{
			ID:           sankofa.NewID("acc"),
			Email:        strings.TrimSpace(r.Email),
			Name:         strings.TrimSpace(r.Name),
			Role:         r.Role,
			Status:       sankofa.StatusActive,
			Country:      r.Country,
			Organization: strings.TrimSpace(r.Organization),
			Locale:       cmp.Or(r.Locale, "en"),
			PasswordHash: hash,
			Version:      1,
			CreatedAt:    now,
			UpdatedAt:    now,
		}
		if a.Role == sankofa.RoleMinistry {
			a.Status = sankofa.StatusPending
		}
		ev, err := s.event(c, "account", "created", a.ID, a.Version, a)
		if err != nil {
			return err
		}
		p, err := s.deps.Accounts.CreateAccount(ctx, a, ev)
		if err != nil {
			return err
		}
		s.dispatcher.After(ctx, p)
		c.Response().Header().Set(echo.HeaderLocation, "/v1/me")
		c.Response().Header().Set("ETag", etag(a.Version))
		return c.JSON(http.StatusCreated, a)
	}
}

// handleLogin exchanges e-mail and password for a token pair. Failures are
// slowed down per account and per address (429 with Retry-After).
func (s *Server) handleLogin() echo.HandlerFunc {
	return func(c echo.Context) error {
		var cr sankofa.Credentials
		if err := bind(c, &cr); err != nil {
			return err
		}
		if err := cr.Validate(); err != nil {
			return err
		}
		ctx := c.Request().Context()
		keys := []limitKey{s.limiter.account(sankofa.NormalizeEmail(cr.Email)), s.limiter.address(c.RealIP())}
		// The attempt takes its place before the password is hashed, so
		// that parallel guesses are limited like sequential ones.
		wait, admitted := s.limiter.reserve(keys...)
		if !admitted {
			secs := int((wait + time.Second - 1) / time.Second)
			return &httpProblem{status: http.StatusTooManyRequests, code: string(sankofa.RateLimited),
				detail: "too many failed sign-ins; wait before trying again", retry: secs}
		}
		result := attemptAborted
		defer func() { s.limiter.end(result, keys...) }()
		a, err := s.deps.Accounts.AccountByEmail(ctx, cr.Email)
		if err != nil && !sankofa.IsCode(err, sankofa.NotFound) {
			return err
		}
		hash := ""
		if a != nil {
			hash = a.PasswordHash
		}
		ok, err := s.hasher.Verify(ctx, hash, cr.Password)
		if err != nil {
			return err
		}
		// A suspended account gets the answer of a wrong password whatever
		// the password, so that the answer never confirms one; it counts
		// as a failure too.
		if !ok || a.Status == sankofa.StatusSuspended {
			result = attemptFailed
			return errSignInFailed
		}
		result = attemptSucceeded
		sess := &sankofa.Session{ID: sankofa.NewID("ses"), AccountID: a.ID, CreatedAt: s.now().UTC(),
			ExpiresAt: s.now().Add(s.cfg.RefreshTTL).UTC()}
		refresh, secret := newRefresh(sess.ID)
		sess.TokenHash = sankofa.HashToken(secret)
		if err := s.deps.Sessions.CreateSession(ctx, sess); err != nil {
			return err
		}
		return s.writeTokens(c, a, refresh)
	}
}

// errSignInFailed is the one answer to every failed sign-in: unknown
// e-mail, wrong password or suspended account.
var errSignInFailed = sankofa.Errorf(sankofa.Unauthorized,
	"the e-mail address or password is wrong, or the account is suspended")

type refreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

// handleRefresh rotates a refresh token. Presenting a token that was
// already rotated revokes the whole family.
func (s *Server) handleRefresh() echo.HandlerFunc {
	return func(c echo.Context) error {
		var r refreshRequest
		if err := bind(c, &r); err != nil {
			return err
		}
		id, secret, err := splitRefresh(r.RefreshToken)
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		next, nextSecret := newRefresh(id)
		sess, err := s.deps.Sessions.RotateSession(ctx, id, secret, nextSecret, s.now().Add(s.cfg.RefreshTTL).UTC())
		if err != nil {
			return err
		}
		a, err := s.deps.Accounts.Account(ctx, sess.AccountID)
		if err != nil {
			return err
		}
		if a.Status == sankofa.StatusSuspended {
			_ = s.deps.Sessions.RevokeSession(ctx, id)
			return sankofa.Errorf(sankofa.Unauthorized, "this account is suspended")
		}
		return s.writeTokens(c, a, next)
	}
}

// handleLogout revokes the refresh-token family of the presented token
// when its secret is the family's current one. It answers 204 whether or
// not it revoked anything, so that it reveals nothing about the token.
func (s *Server) handleLogout() echo.HandlerFunc {
	return func(c echo.Context) error {
		var r refreshRequest
		if err := bind(c, &r); err != nil {
			return err
		}
		id, secret, err := splitRefresh(r.RefreshToken)
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		sess, err := s.deps.Sessions.Session(ctx, id)
		if sankofa.IsCode(err, sankofa.NotFound) {
			return c.NoContent(http.StatusNoContent)
		}
		if err != nil {
			return err
		}
		// Only the holder of the family's current secret may end it; any
		// other token changes nothing and gets the same answer.
		if subtle.ConstantTimeCompare([]byte(sess.TokenHash), []byte(sankofa.HashToken(secret))) != 1 {
			return c.NoContent(http.StatusNoContent)
		}
		if err := s.deps.Sessions.RevokeSession(ctx, id); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}

func (s *Server) writeTokens(c echo.Context, a *sankofa.Account, refresh string) error {
	access, err := s.tokens.issueAccess(a)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, TokenPair{
		AccessToken:  access,
		RefreshToken: refresh,
		TokenType:    "Bearer",
		ExpiresIn:    int(s.cfg.AccessTTL / time.Second),
	})
}

// handleMe returns the caller's account.
func (s *Server) handleMe() echo.HandlerFunc {
	return func(c echo.Context) error {
		a := principal(c)
		c.Response().Header().Set("ETag", etag(a.Version))
		return c.JSON(http.StatusOK, a)
	}
}

// handlePatchMe changes the caller's name or notification language (JSON
// merge patch; If-Match required).
func (s *Server) handlePatchMe() echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		cur, err := s.deps.Accounts.Account(ctx, principal(c).ID)
		if err != nil {
			return err
		}
		if err := checkIfMatch(c, cur.Version, true); err != nil {
			return err
		}
		body, err := readBody(c)
		if err != nil {
			return err
		}
		in, err := applyPatch(sankofa.AccountPatch{Name: cur.Name, Locale: cmp.Or(cur.Locale, "en")}, body)
		if err != nil {
			return err
		}
		in.Name = strings.TrimSpace(in.Name)
		if err := in.Validate(); err != nil {
			return err
		}
		a := *cur
		a.Name, a.Locale = in.Name, in.Locale
		a.Version++
		a.UpdatedAt = s.now().UTC()
		ev, err := s.event(c, "account", "updated", a.ID, a.Version, &a)
		if err != nil {
			return err
		}
		p, err := s.deps.Accounts.UpdateAccount(ctx, &a, ev)
		if err != nil {
			return err
		}
		s.dispatcher.After(ctx, p)
		c.Response().Header().Set("ETag", etag(a.Version))
		return c.JSON(http.StatusOK, &a)
	}
}

// EnsureAdmin creates an active admin account with the given e-mail and
// password unless an account with that e-mail exists.
func (s *Server) EnsureAdmin(ctx context.Context, email, password string) error {
	if _, err := s.deps.Accounts.AccountByEmail(ctx, email); err == nil {
		return nil
	} else if !sankofa.IsCode(err, sankofa.NotFound) {
		return err
	}
	r := sankofa.Registration{Email: email, Password: password, Name: "Administrator", Role: sankofa.RoleProfessional}
	if err := r.Validate(); err != nil {
		return err
	}
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	a := &sankofa.Account{ID: sankofa.NewID("acc"), Email: strings.TrimSpace(email), Name: "Administrator",
		Role: sankofa.RoleAdmin, Status: sankofa.StatusActive, PasswordHash: hash, Version: 1, CreatedAt: now, UpdatedAt: now}
	ev, err := sankofa.NewEvent("account", "created", a.ID, 1, "", now, a)
	if err != nil {
		return err
	}
	p, err := s.deps.Accounts.CreateAccount(ctx, a, ev)
	if sankofa.IsCode(err, sankofa.Conflict) {
		return nil // another replica created it first
	}
	if err != nil {
		return err
	}
	s.dispatcher.After(ctx, p)
	s.log.Info("created the first admin", "email", a.Email)
	return nil
}
