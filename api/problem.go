package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"sankofa"
)

// Problem is an RFC 9457 problem detail with Sankofa's stable code and
// per-field errors.
type Problem struct {
	Type      string               `json:"type"`
	Title     string               `json:"title"`
	Status    int                  `json:"status"`
	Detail    string               `json:"detail,omitempty"`
	Code      string               `json:"code"`
	Errors    []sankofa.FieldError `json:"errors,omitempty"`
	RequestID string               `json:"request_id,omitempty"`
	// ListURL, on a safeguarded_recruitment problem, is where the WHO
	// safeguards list is published.
	ListURL string `json:"list_url,omitempty"`
}

// httpProblem is an error that already knows its HTTP status and code, for
// the few conditions that exist only at the HTTP layer (428, 413, 415,
// 422).
type httpProblem struct {
	status int
	code   string
	detail string
	retry  int // seconds for Retry-After, 0 for none
}

func (p *httpProblem) Error() string { return p.code + ": " + p.detail }

var statusOf = map[sankofa.ErrorCode]int{
	sankofa.Invalid:            http.StatusBadRequest,
	sankofa.Unauthorized:       http.StatusUnauthorized,
	sankofa.Forbidden:          http.StatusForbidden,
	sankofa.NotFound:           http.StatusNotFound,
	sankofa.Conflict:           http.StatusConflict,
	sankofa.PreconditionFailed: http.StatusPreconditionFailed,
	sankofa.RateLimited:        http.StatusTooManyRequests,
	sankofa.Internal:           http.StatusInternalServerError,
}

// echoCodes names the codes of errors raised by Echo itself.
var echoCodes = map[int]string{
	http.StatusBadRequest:            string(sankofa.Invalid),
	http.StatusUnauthorized:          string(sankofa.Unauthorized),
	http.StatusForbidden:             string(sankofa.Forbidden),
	http.StatusNotFound:              string(sankofa.NotFound),
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusRequestEntityTooLarge: "payload_too_large",
	http.StatusUnsupportedMediaType:  "unsupported_media_type",
	http.StatusTooManyRequests:       string(sankofa.RateLimited),
	http.StatusServiceUnavailable:    "unavailable",
}

// errorHandler writes every error as application/problem+json. Only 5xx are
// logged, with their cause; clients never see the cause of a 5xx.
func errorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		if clientGone(c, err) {
			// Nobody reads the answer; the status only tells the request
			// log and the metrics that the client hung up (nginx's 499),
			// which is no fault of the server.
			c.Response().WriteHeader(StatusClientClosedRequest)
			return
		}
		p := toProblem(err)
		if se := (*sankofa.SafeguardError)(nil); errors.As(err, &se) {
			p = safeguardProblem(se, readerLang(c))
		}
		p.RequestID = c.Response().Header().Get(echo.HeaderXRequestID)
		if p.Status >= 500 {
			log.ErrorContext(c.Request().Context(), "request failed", "err", err,
				"method", c.Request().Method, "path", c.Path(), "request_id", p.RequestID)
		}
		var hp *httpProblem
		if errors.As(err, &hp) && hp.retry > 0 {
			c.Response().Header().Set("Retry-After", strconv.Itoa(hp.retry))
		}
		var de *sankofa.Error
		if errors.As(err, &de) && de.Code == sankofa.RateLimited {
			c.Response().Header().Set("Retry-After", "1")
		}
		if p.Status == http.StatusUnauthorized && c.Response().Header().Get(echo.HeaderWWWAuthenticate) == "" {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="sankofa"`)
		}
		body, _ := json.Marshal(p)
		c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
		c.Response().WriteHeader(p.Status)
		if c.Request().Method != http.MethodHead {
			_, _ = c.Response().Write(body)
		}
	}
}

// StatusClientClosedRequest is the status recorded for a request whose
// client hung up before the answer (nginx's 499); it is never sent.
const StatusClientClosedRequest = 499

// clientGone reports whether err comes from the client hanging up: the
// request's context was cancelled and the error would otherwise be a 5xx.
func clientGone(c echo.Context, err error) bool {
	if !errors.Is(c.Request().Context().Err(), context.Canceled) {
		return false
	}
	return errors.Is(err, context.Canceled) || toProblem(err).Status >= 500
}

func toProblem(err error) Problem {
	var (
		de *sankofa.Error
		hp *httpProblem
		he *echo.HTTPError
	)
	switch {
	case errors.As(err, &hp):
		return newProblem(hp.status, hp.code, hp.detail, nil)
	case errors.As(err, &de):
		status, ok := statusOf[de.Code]
		if !ok || status >= 500 {
			return newProblem(http.StatusInternalServerError, string(sankofa.Internal), "internal error", nil)
		}
		return newProblem(status, string(de.Code), de.Message, de.Fields)
	case errors.As(err, &he):
		code, ok := echoCodes[he.Code]
		if !ok || he.Code >= 500 {
			if he.Code == http.StatusServiceUnavailable {
				return newProblem(he.Code, code, "the service is not ready", nil)
			}
			return newProblem(http.StatusInternalServerError, string(sankofa.Internal), "internal error", nil)
		}
		detail := http.StatusText(he.Code)
		if m, ok := he.Message.(string); ok && he.Code < 500 {
			detail = m
		}
		if he.Code == http.StatusRequestEntityTooLarge {
			detail = "the request body is larger than the limit"
		}
		return newProblem(he.Code, code, detail, nil)
	}
	return newProblem(http.StatusInternalServerError, string(sankofa.Internal), "internal error", nil)
}

func newProblem(status int, code, detail string, fields []sankofa.FieldError) Problem {
	return Problem{
		Type:   "https://sankofa.dev/problems/" + code,
		Title:  http.StatusText(status),
		Status: status,
		Detail: detail,
		Code:   code,
		Errors: fields,
	}
}

// Errors of the HTTP layer.
var (
	errPreconditionRequired = &httpProblem{status: http.StatusPreconditionRequired, code: "precondition_required",
		detail: "send If-Match with the ETag you last read, so that no one else's change is overwritten"}
	errUnsupportedMedia = &httpProblem{status: http.StatusUnsupportedMediaType, code: "unsupported_media_type",
		detail: "send the body as application/json"}
)

func invalidField(field, msg string) error {
	return &sankofa.Error{Code: sankofa.Invalid, Message: "the request has invalid fields",
		Fields: []sankofa.FieldError{{Field: field, Message: msg}}}
}
