package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"sankofa"
)

// principalKey is where authenticate leaves the caller's account.
const principalKey = "sankofa.principal"

// principal returns the signed-in account; routes without authenticate
// never call it.
func principal(c echo.Context) *sankofa.Account {
	a, _ := c.Get(principalKey).(*sankofa.Account)
	return a
}

// authenticate checks the bearer token and loads the caller's account on
// every request, so that a suspension takes effect at once.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Request().Header.Get(echo.HeaderAuthorization)
		raw, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || raw == "" {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="sankofa"`)
			return sankofa.Errorf(sankofa.Unauthorized, "sign in and send the access token as 'Authorization: Bearer <token>'")
		}
		claims, err := s.tokens.parseAccess(raw)
		if err != nil {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="sankofa", error="invalid_token"`)
			return err
		}
		acc, err := s.deps.Accounts.Account(c.Request().Context(), claims.Subject)
		if sankofa.IsCode(err, sankofa.NotFound) {
			return sankofa.Errorf(sankofa.Unauthorized, "the account of this token no longer exists")
		}
		if err != nil {
			return err
		}
		if acc.Status == sankofa.StatusSuspended {
			return sankofa.Errorf(sankofa.Unauthorized, "this account is suspended")
		}
		c.Set(principalKey, acc)
		return next(c)
	}
}

// allow admits only the given roles, and only once the account is active:
// a ministry awaiting approval may sign in and read /v1/me, nothing more.
func allow(roles ...sankofa.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			a := principal(c)
			if !slices.Contains(roles, a.Role) {
				return sankofa.Errorf(sankofa.Forbidden, "this action is not open to a %s account", a.Role)
			}
			if a.Status != sankofa.StatusActive {
				return sankofa.Errorf(sankofa.Forbidden, "this account is awaiting approval by an administrator")
			}
			return next(c)
		}
	}
}

var anyRole = []sankofa.Role{sankofa.RoleProfessional, sankofa.RoleMinistry, sankofa.RoleAdmin}

// requireJSON rejects bodies that are not JSON with 415.
func requireJSON(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ct := c.Request().Header.Get(echo.HeaderContentType)
		mt, _, _ := strings.Cut(ct, ";")
		mt = strings.TrimSpace(strings.ToLower(mt))
		if mt != echo.MIMEApplicationJSON && mt != "application/merge-patch+json" {
			return errUnsupportedMedia
		}
		return next(c)
	}
}

// readBody reads the (size-limited) body; a body over the limit is 413.
func readBody(c echo.Context) ([]byte, error) {
	b, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var (
			tooLarge *http.MaxBytesError
			he       *echo.HTTPError
		)
		if errors.As(err, &he) {
			return nil, he
		}
		if errors.As(err, &tooLarge) {
			return nil, echo.NewHTTPError(http.StatusRequestEntityTooLarge)
		}
		return nil, sankofa.Errorf(sankofa.Invalid, "the request body could not be read")
	}
	return b, nil
}

// bind decodes a JSON body strictly into v and validates it.
func bind(c echo.Context, v any) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	return sankofa.DecodeJSON(body, v)
}

// etag is the entity tag of a version.
func etag(version int64) string { return `"v` + strconv.FormatInt(version, 10) + `"` }

// checkIfMatch enforces If-Match: required (428 when absent), made of
// quoted entity tags (400 otherwise, so that an unquoted v4 is not taken
// for a change) and equal to the current version (412 otherwise).
func checkIfMatch(c echo.Context, current int64, required bool) error {
	h := c.Request().Header.Get("If-Match")
	if h == "" {
		if required {
			return errPreconditionRequired
		}
		return nil
	}
	tags := strings.Split(h, ",")
	for _, t := range tags {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t != "*" && (len(t) < 2 || t[0] != '"' || t[len(t)-1] != '"') {
			return invalidField("If-Match", fmt.Sprintf("must hold the ETag quoted as the server sends it, such as If-Match: %s", etag(current)))
		}
	}
	for _, t := range tags {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag(current) {
			return nil
		}
	}
	return sankofa.Errorf(sankofa.PreconditionFailed, "the resource has changed since you read it (now %s); fetch it again", etag(current))
}

// idempotent makes a POST safe to retry with an Idempotency-Key: the
// first response is recorded and replayed for 24 hours; the same key with
// another body is 422.
func (s *Server) idempotent(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		key := c.Request().Header.Get("Idempotency-Key")
		if key == "" {
			return next(c)
		}
		if len(key) > 200 {
			return invalidField("Idempotency-Key", "must be at most 200 characters")
		}
		body, err := readBody(c)
		if err != nil {
			return err
		}
		c.Request().Body = io.NopCloser(bytes.NewReader(body))
		scope := "anon"
		if a := principal(c); a != nil {
			scope = a.ID
		}
		req := c.Request()
		sum := sha256.Sum256(append([]byte(req.Method+" "+req.URL.Path+"\n"), body...))
		hash := hex.EncodeToString(sum[:])
		storeKey := scope + " " + req.Method + " " + req.URL.Path + " " + key
		ctx := req.Context()
		prev, owned, err := s.deps.Idempotency.ReserveIdempotencyKey(ctx, storeKey, hash)
		if err != nil {
			return err
		}
		if !owned {
			switch {
			case prev.RequestHash != hash:
				return &httpProblem{status: http.StatusUnprocessableEntity, code: "unprocessable",
					detail: "this Idempotency-Key was already used with a different request body"}
			case !prev.Done:
				return sankofa.Errorf(sankofa.Conflict, "a request with this Idempotency-Key is still being processed; retry shortly")
			}
			for k, v := range prev.Headers {
				c.Response().Header().Set(k, v)
			}
			c.Response().Header().Set("Idempotent-Replayed", "true")
			c.Response().WriteHeader(prev.Status)
			_, err := c.Response().Write(prev.Body)
			return err
		}
		rec := &recorder{ResponseWriter: c.Response().Writer}
		c.Response().Writer = rec
		err = next(c)
		c.Response().Writer = rec.ResponseWriter
		status := c.Response().Status
		if err != nil || status >= 500 || !c.Response().Committed {
			if rerr := s.deps.Idempotency.ReleaseIdempotencyKey(detached(c), storeKey); rerr != nil {
				s.log.Warn("release idempotency key", "err", rerr)
			}
			return err
		}
		headers := map[string]string{}
		for _, h := range []string{echo.HeaderContentType, echo.HeaderLocation, "ETag"} {
			if v := c.Response().Header().Get(h); v != "" {
				headers[h] = v
			}
		}
		if cerr := s.deps.Idempotency.CompleteIdempotencyKey(detached(c), storeKey, status, headers, rec.body.Bytes()); cerr != nil {
			s.log.Warn("record idempotent response", "err", cerr)
		}
		return nil
	}
}

// recorder keeps a copy of what a handler writes.
type recorder struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
