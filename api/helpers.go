package api

import (
	stdctx "context"
	"strconv"

	"github.com/labstack/echo/v4"

	"sankofa"
)

// detached returns a context for finishing bookkeeping after the handler
// even if the client hung up; the store's own timeout bounds it.
func detached(c echo.Context) stdctx.Context {
	return stdctx.WithoutCancel(c.Request().Context())
}

// pageParams reads limit and cursor from the query string.
func pageParams(c echo.Context) (limit int, cursor string, err error) {
	limit = 20
	if v := c.QueryParam("limit"); v != "" {
		n, convErr := strconv.Atoi(v)
		if convErr != nil || n < 1 || n > sankofa.MaxPageSize {
			return 0, "", invalidField("limit", "must be a whole number from 1 to 100")
		}
		limit = n
	}
	return limit, c.QueryParam("cursor"), nil
}

// list is the shape of every list response.
type list[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

func newList[T any](items []T, next string) list[T] {
	l := list[T]{Items: items}
	if l.Items == nil {
		l.Items = []T{}
	}
	if next != "" {
		l.NextCursor = &next
	}
	return l
}

// event builds the event of a change by the caller.
func (s *Server) event(c echo.Context, kind, action, id string, version int64, snapshot any) (sankofa.Event, error) {
	actor := ""
	if a := principal(c); a != nil {
		actor = a.ID
	}
	return sankofa.NewEvent(kind, action, id, version, actor, s.now(), snapshot)
}
