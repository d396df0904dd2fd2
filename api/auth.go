package api

import (
	"cmp"
	"context"
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

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
			Locale:       cmp.Or(r.Locale, acceptedLocale(c.Request().Header.Get("Accept-Language"))),
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

// loginRequest is the body of a sign-in: the credentials and, for the
// browser console, whether the refresh token should travel in a cookie.
type loginRequest struct {
	sankofa.Credentials
	RefreshCookie bool `json:"refresh_cookie"`
}

// handleLogin exchanges e-mail and password for a token pair. Failures are
// slowed down per account and per address (429 with Retry-After).
func (s *Server) handleLogin() echo.HandlerFunc {
	return func(c echo.Context) error {
		var lr loginRequest
		if err := bind(c, &lr); err != nil {
			return err
		}
		cr := lr.Credentials
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
			// The entry names the account tried, if there is one; an
			// unknown address is kept only as a hash (see AuditEntry).
			e := sankofa.AuditEntry{Action: sankofa.AuditSignInFailed}
			if a != nil {
				e.SubjectID = a.ID
			} else {
				e.EmailHash = sankofa.AuditEmailHash(cr.Email)
			}
			if err := s.audit(c, e); err != nil {
				return err
			}
			return errSignInFailed
		}
		result = attemptSucceeded
		if err := s.audit(c, sankofa.AuditEntry{Action: sankofa.AuditSignIn, ActorID: a.ID, SubjectID: a.ID}); err != nil {
			return err
		}
		now := s.now().UTC()
		sess := &sankofa.Session{ID: sankofa.NewID("ses"), AccountID: a.ID, CreatedAt: now, LastUsedAt: now,
			Device: sankofa.TruncateUserAgent(c.Request().UserAgent()), ExpiresAt: now.Add(s.cfg.RefreshTTL)}
		refresh, secret := newRefresh(sess.ID)
		sess.TokenHash = sankofa.HashToken(secret)
		if err := s.deps.Sessions.CreateSession(ctx, sess); err != nil {
			return err
		}
		return s.writeTokens(c, a, refresh, lr.RefreshCookie)
	}
}

// errSignInFailed is the one answer to every failed sign-in: unknown
// e-mail, wrong password or suspended account.
var errSignInFailed = sankofa.Errorf(sankofa.Unauthorized,
	"the e-mail address or password is wrong, or the account is suspended")

// refreshRequest is the body of refresh and logout. Without a
// refresh_token the sankofa_refresh cookie is used.
type refreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

// presentedRefresh is the refresh token a refresh or logout acts on: the
// body's, or else the cookie's, which only counts from this server's own
// pages (forbidden otherwise). fromCookie says which; the token is "" when
// there is neither.
func (s *Server) presentedRefresh(c echo.Context) (token string, fromCookie bool, err error) {
	var r refreshRequest
	if err := bind(c, &r); err != nil {
		return "", false, err
	}
	if r.RefreshToken != "" {
		return r.RefreshToken, false, nil
	}
	token = refreshFromCookie(c)
	if token == "" {
		return "", false, nil
	}
	if err := s.checkOrigin(c); err != nil {
		return "", true, err
	}
	return token, true, nil
}

// handleRefresh rotates a refresh token, taken from the body or else from
// the sankofa_refresh cookie, and answers the way it came. Presenting a
// token that was already rotated revokes the whole family.
func (s *Server) handleRefresh() echo.HandlerFunc {
	return func(c echo.Context) error {
		token, fromCookie, err := s.presentedRefresh(c)
		if err != nil {
			return err
		}
		if token == "" {
			return sankofa.Errorf(sankofa.Unauthorized,
				"send the refresh token as refresh_token, or sign in with refresh_cookie to keep it in the %s cookie", RefreshCookie)
		}
		err = s.rotate(c, token, fromCookie)
		if fromCookie && sankofa.IsCode(err, sankofa.Unauthorized) {
			// The cookie's token will never work again: the browser may as
			// well forget it.
			s.clearRefreshCookie(c)
		}
		return err
	}
}

// rotate replaces the refresh token and writes the new pair.
func (s *Server) rotate(c echo.Context, token string, fromCookie bool) error {
	id, secret, err := splitRefresh(token)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	next, nextSecret := newRefresh(id)
	now := s.now().UTC()
	sess, err := s.deps.Sessions.RotateSession(ctx, id, secret, nextSecret, sankofa.SessionUse{
		Expires: now.Add(s.cfg.RefreshTTL), Device: sankofa.TruncateUserAgent(c.Request().UserAgent()), At: now})
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
	return s.writeTokens(c, a, next, fromCookie)
}

// handleLogout revokes the refresh-token family of the presented token
// (the body's, or else the cookie's) when its secret is the family's
// current one. It answers 204 whether or not it revoked anything, so that
// it reveals nothing about the token; without a body token it also clears
// the cookie.
func (s *Server) handleLogout() echo.HandlerFunc {
	return func(c echo.Context) error {
		token, fromCookie, err := s.presentedRefresh(c)
		if err != nil {
			return err
		}
		if token == "" || fromCookie {
			s.clearRefreshCookie(c)
			if token == "" {
				return c.NoContent(http.StatusNoContent)
			}
		}
		id, secret, err := splitRefresh(token)
		if fromCookie && err != nil {
			return c.NoContent(http.StatusNoContent) // a mangled cookie signs nobody in
		}
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

// writeTokens answers a sign-in or refresh with a new access token and the
// refresh token: in the JSON body, or in the sankofa_refresh cookie when
// inCookie (and then not in the body, where a script could read it).
func (s *Server) writeTokens(c echo.Context, a *sankofa.Account, refresh string, inCookie bool) error {
	access, err := s.tokens.issueAccess(a)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	if inCookie {
		s.setRefreshCookie(c, refresh)
		refresh = ""
	}
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

// acceptedLocale picks the notification language of a new account from
// its browser's Accept-Language: the first of en, fr and pt in the order of
// preference (regional forms such as pt-BR count), or en.
func acceptedLocale(header string) string {
	if header == "" || len(header) > 1000 {
		return "en"
	}
	tags, weights, err := language.ParseAcceptLanguage(header)
	if err != nil {
		return "en"
	}
	for i, t := range tags {
		if weights[i] <= 0 {
			continue
		}
		if b, conf := t.Base(); conf == language.Exact {
			switch l := b.String(); l {
			case "en", "fr", "pt":
				return l
			}
		}
	}
	return "en"
}
