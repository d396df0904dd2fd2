package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"sankofa"
)

// sinceRetention is the oldest creation time still shown: notifications
// older than the retention period have expired.
func (s *Server) sinceRetention() time.Time {
	return s.now().Add(-s.cfg.NotificationRetention)
}

// handleListNotifications lists the caller's inbox, newest first.
func (s *Server) handleListNotifications() echo.HandlerFunc {
	return func(c echo.Context) error {
		limit, cursor, err := pageParams(c)
		if err != nil {
			return err
		}
		unread := false
		if v := c.QueryParam("unread"); v != "" {
			if unread, err = strconv.ParseBool(v); err != nil {
				return invalidField("unread", "must be true or false")
			}
		}
		page, err := s.deps.Inbox.Notifications(c.Request().Context(), principal(c).ID, unread, cursor, limit, s.sinceRetention())
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, newList(page.Items, page.NextCursor))
	}
}

// handleUnreadCount counts the caller's unread notifications.
func (s *Server) handleUnreadCount() echo.HandlerFunc {
	return func(c echo.Context) error {
		n, err := s.deps.Inbox.UnreadCount(c.Request().Context(), principal(c).ID)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]int{"unread": n})
	}
}

// handleReadNotification marks one of the caller's notifications read.
func (s *Server) handleReadNotification() echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := s.deps.Inbox.MarkNotificationRead(c.Request().Context(), principal(c).ID, c.Param("id")); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}

// handleReadAllNotifications marks the caller's whole inbox read.
func (s *Server) handleReadAllNotifications() echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := s.deps.Inbox.MarkAllNotificationsRead(c.Request().Context(), principal(c).ID); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}

// heartbeat is how often an idle notification stream sends a comment, so
// that mobile networks and proxies keep the connection open.
var heartbeat = 20 * time.Second

// handleStream sends the caller's notifications as Server-Sent Events. It
// listens for live signals before reading the inbox, and always reads the
// inbox for everything after the last id sent, so a signal that arrives
// mid-read, a lost signal or a reconnect with Last-Event-ID never causes a
// gap or a duplicate: the inbox is the truth, the signal only says "look".
func (s *Server) handleStream() echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		me := principal(c)
		last, resume, err := lastEventID(c)
		if err != nil {
			return err
		}
		wake, stop, err := s.deps.Live.Listen(me.ID)
		if err != nil {
			return err
		}
		defer stop()
		if !resume {
			// A first connection streams what happens from now on; the
			// inbox list holds what came before.
			if last, err = s.deps.Inbox.LastNotificationSeq(ctx, me.ID); err != nil {
				return err
			}
		}
		w := c.Response()
		w.Header().Set(echo.HeaderContentType, "text/event-stream")
		w.Header().Set(echo.HeaderCacheControl, "no-cache")
		w.Header().Set("X-Accel-Buffering", "no") // no proxy buffering
		w.WriteHeader(http.StatusOK)
		rc := http.NewResponseController(w.Writer)
		// The server's ReadTimeout would otherwise end the stream: once the
		// request is read, net/http watches the connection with that
		// deadline and cancels the request when it passes.
		_ = rc.SetReadDeadline(time.Time{})
		send := func(f func() error) error {
			// Each write gets its own deadline: the server's WriteTimeout
			// would otherwise end every stream after a minute.
			_ = rc.SetWriteDeadline(time.Now().Add(heartbeat + 10*time.Second))
			if err := f(); err != nil {
				return err
			}
			return rc.Flush()
		}
		if err := send(func() error { _, err := fmt.Fprint(w, "retry: 3000\n\n"); return err }); err != nil {
			return nil
		}
		beat := time.NewTicker(heartbeat)
		defer beat.Stop()
		var gapSince time.Time
		for {
			items, err := s.deps.Inbox.NotificationsAfter(ctx, me.ID, last, 100)
			if err != nil {
				return nil // the client reconnects with Last-Event-ID
			}
			// Two replicas may store a person's notifications out of seq
			// order; a hole is given a moment to fill before it is skipped
			// (a crash can leave one for good), so that nothing is passed
			// over and then missed.
			if n := contiguous(items, last); n < len(items) {
				if gapSince.IsZero() {
					gapSince = time.Now()
				}
				if time.Since(gapSince) < gapWait {
					items = items[:n]
				}
			} else {
				gapSince = time.Time{}
			}
			for _, n := range items {
				if err := send(func() error { return writeEvent(w, n) }); err != nil {
					return nil
				}
				last = n.Seq
			}
			if len(items) == 100 {
				continue // more waiting
			}
			var retry <-chan time.Time
			if !gapSince.IsZero() {
				retry = time.After(gapWait / 10)
			}
			select {
			case <-ctx.Done():
				return nil
			case <-retry:
			case <-wake:
			case <-beat.C:
				if err := send(func() error { _, err := fmt.Fprint(w, ": heartbeat\n\n"); return err }); err != nil {
					return nil
				}
			}
		}
	}
}

// gapWait is how long a stream waits for a hole in seq numbers to fill.
const gapWait = 2 * time.Second

// contiguous counts the notifications that follow last without a hole.
func contiguous(items []sankofa.Notification, last int64) int {
	for i, n := range items {
		if n.Seq != last+int64(i)+1 {
			return i
		}
	}
	return len(items)
}

// lastEventID reads where a reconnecting client stopped: the Last-Event-ID
// header, or last_event_id in the query for clients that cannot set
// headers (browsers' EventSource on first connect). resume is false when
// the client gave neither.
func lastEventID(c echo.Context) (last int64, resume bool, err error) {
	v := c.Request().Header.Get("Last-Event-ID")
	if v == "" {
		v = c.QueryParam("last_event_id")
	}
	if v == "" {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n < 0 {
		return 0, false, invalidField("Last-Event-ID", "must be the id of an event this stream sent")
	}
	return n, true, nil
}

func writeEvent(w http.ResponseWriter, n sankofa.Notification) error {
	data, err := json.Marshal(n)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "id: %d\nevent: %s\ndata: %s\n\n", n.Seq, n.Kind, data)
	return err
}

// AlertAudience returns the best-matching workers for a newly published
// assignment who opted in to alerts, best first: the audience of
// new-assignment alerts.
func (s *Server) AlertAudience(ctx context.Context, a *sankofa.Assignment, n int) ([]string, error) {
	m := s.deps.Matcher
	af := m.AssignmentFeatures(&a.AssignmentInput)
	cands, err := s.deps.Index.MatchCandidates(ctx, a, af, min(maxMatchPool, 4*n))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range m.RankProfiles(a, af, cands, s.now(), "en") {
		if r.Profile.Alerts {
			out = append(out, r.Profile.AccountID)
			if len(out) == n {
				break
			}
		}
	}
	return out, nil
}
