package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"sankofa"
)

// erasureRequest confirms an erasure with the account's password.
type erasureRequest struct {
	Password string `json:"password"`
}

var errAdminNotErasable = &httpProblem{status: http.StatusConflict, code: "admin_not_erasable",
	detail: "an administrator account cannot be erased here; an operator removes it"}

// handleEraseMe erases the caller (GDPR Art. 17) once they confirm with
// their password. Wrong passwords are limited like failed sign-ins, so
// that a stolen access token cannot be used to guess the password.
func (s *Server) handleEraseMe() echo.HandlerFunc {
	return func(c echo.Context) error {
		var req erasureRequest
		if err := bind(c, &req); err != nil {
			return err
		}
		if strings.TrimSpace(req.Password) == "" {
			return invalidField("password", "type your password to confirm the erasure")
		}
		me := principal(c)
		if me.Role == sankofa.RoleAdmin {
			return errAdminNotErasable
		}
		ctx := c.Request().Context()
		keys := []limitKey{s.limiter.account(sankofa.NormalizeEmail(me.Email)), s.limiter.address(c.RealIP())}
		wait, admitted := s.limiter.reserve(keys...)
		if !admitted {
			secs := int((wait + time.Second - 1) / time.Second)
			return &httpProblem{status: http.StatusTooManyRequests, code: string(sankofa.RateLimited),
				detail: "too many wrong passwords; wait before trying again", retry: secs}
		}
		result := attemptAborted
		defer func() { s.limiter.end(result, keys...) }()
		ok, err := s.hasher.Verify(ctx, me.PasswordHash, req.Password)
		if err != nil {
			return err
		}
		if !ok {
			result = attemptFailed
			return &httpProblem{status: http.StatusForbidden, code: "wrong_password",
				detail: "the password is not this account's; nothing was erased"}
		}
		result = attemptSucceeded
		if err := s.erase(c, me); err != nil {
			return err
		}
		s.clearRefreshCookie(c)
		return c.NoContent(http.StatusNoContent)
	}
}

// handleEraseAccount lets an admin erase a professional's or a ministry's
// account, for instance on a request received by post.
func (s *Server) handleEraseAccount() echo.HandlerFunc {
	return func(c echo.Context) error {
		a, err := s.deps.Accounts.Account(c.Request().Context(), c.Param("id"))
		if err != nil {
			return err
		}
		if a.Role == sankofa.RoleAdmin {
			return errAdminNotErasable
		}
		if err := s.erase(c, a); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}

// erase records the erasure in the audit trail, then runs it. The entry
// holds ids only, so it outlives the person's data for the audit period.
func (s *Server) erase(c echo.Context, a *sankofa.Account) error {
	me := principal(c)
	if err := s.audit(c, sankofa.AuditEntry{Action: sankofa.AuditErasure, ActorID: me.ID, SubjectID: a.ID}); err != nil {
		return err
	}
	return s.flow.Erase(detached(c), a, me.ID)
}
