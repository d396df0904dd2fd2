package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime/debug"
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

// streamCheck is how often an open stream re-reads its account and checks
// its access token. Polling the account by _id is chosen over waking on an
// account event: it is a point read (well under a millisecond, reads run
// concurrently with the store's write lock), it cannot be lost the way a
// core NATS signal can, it works on every replica without a new event
// path, and it also catches an account that was deleted. At 5 s, 1,000
// open streams cost 200 reads a second.
var streamCheck = 5 * time.Second

// Reasons given in the final "end" event of a notification stream.
const (
	// StreamTokenExpired: refresh the access token and reconnect with
	// Last-Event-ID.
	StreamTokenExpired = "token_expired"
	// StreamAccountSuspended: the account was suspended; do not reconnect.
	StreamAccountSuspended = "account_suspended"
	// StreamAccountInactive: the account no longer exists or is not active.
	StreamAccountInactive = "account_inactive"
)

// handleStream sends the caller's notifications as Server-Sent Events. It
// listens for live signals before reading the inbox, and always reads the
// inbox for everything after the last id sent, so a signal that arrives
// mid-read, a lost signal or a reconnect with Last-Event-ID never causes a
// gap or a duplicate: the inbox is the truth, the signal only says "look".
// The stream ends with an "end" event when the access token that opened it
// expires or the account stops being active, so that a suspension or a
// token's lifetime is not outlived by an open connection.
func (s *Server) handleStream() echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		ctx := c.Request().Context()
		me := principal(c)
		defer s.recoverStream(me.ID, &err)
		// The token was checked by authenticate; its expiry bounds the
		// stream.
		raw, _ := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
		claims, err := s.tokens.parseAccess(raw)
		if err != nil {
			return err
		}
		expires := claims.ExpiresAt.Time
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
		defer s.cfg.Metrics.SSEOpened()()
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
		end := func(reason, detail string) error {
			s.log.Info("notification stream ended", "account", me.ID, "reason", reason)
			_ = send(func() error { return writeEnd(w, reason, detail) })
			return nil
		}
		if err := send(func() error { _, err := fmt.Fprint(w, "retry: 3000\n\n"); return err }); err != nil {
			return nil
		}
		beat := time.NewTicker(heartbeat)
		defer beat.Stop()
		check := time.NewTicker(streamCheck)
		defer check.Stop()
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
			case <-check.C:
				if !s.now().Before(expires) {
					return end(StreamTokenExpired, "the access token has expired; refresh it and reconnect with Last-Event-ID")
				}
				if reason := s.streamAccount(ctx, me.ID); reason != "" {
					return end(reason, "this account is not active")
				}
			case <-beat.C:
				if err := send(func() error { _, err := fmt.Fprint(w, ": heartbeat\n\n"); return err }); err != nil {
					return nil
				}
			}
		}
	}
}

// streamAccount re-reads a streaming account and returns why its stream
// must end, or "" while it is active. A failed read keeps the stream: the
// next check reads again, and the inbox read ends the stream if the store
// stays down.
func (s *Server) streamAccount(ctx context.Context, id string) (reason string) {
	ctx, cancel := context.WithTimeout(ctx, streamCheck)
	defer cancel()
	a, err := s.deps.Accounts.Account(ctx, id)
	switch {
	case sankofa.IsCode(err, sankofa.NotFound):
		return StreamAccountInactive
	case err != nil:
		if ctx.Err() == nil {
			s.log.Warn("notification stream: cannot re-read the account", "account", id, "err", err)
		}
		return ""
	case a.Status == sankofa.StatusSuspended:
		return StreamAccountSuspended
	case a.Status != sankofa.StatusActive:
		return StreamAccountInactive
	}
	return ""
}

// recoverStream turns a panic in a notification stream into the end of
// that stream: it is logged with the account and counted, and the process
// goes on. Before the stream started the client gets a 500.
func (s *Server) recoverStream(accountID string, err *error) {
	r := recover()
	if r == nil {
		return
	}
	s.log.Error("notification stream panicked", "account", accountID, "panic", r, "stack", string(debug.Stack()))
	s.cfg.Metrics.WorkerPanic("sse")
	*err = fmt.Errorf("api: notification stream of %s panicked: %v", accountID, r)
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

// streamEnd is the data of a stream's final "end" event.
type streamEnd struct {
	Reason string `json:"reason"`
	Detail string `json:"detail"`
}

// writeEnd writes the final event of a stream. It has no id, so the
// client's Last-Event-ID still names the last notification it received.
func writeEnd(w http.ResponseWriter, reason, detail string) error {
	data, err := json.Marshal(streamEnd{Reason: reason, Detail: detail})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "event: end\ndata: %s\n\n", data)
	return err
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
