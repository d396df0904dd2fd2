package api

import (
	"time"

	"github.com/labstack/echo/v4"

	"sankofa"
)

// mountMetrics counts every request and serves GET /metrics to admins.
// The counting middleware is registered before the others, so that it
// wraps them all: it sees the status of errors and recovered panics too.
func (s *Server) mountMetrics(e *echo.Echo) {
	e.Use(s.countRequests)
	e.GET("/metrics", s.handleMetrics(), s.authenticate, allow(sankofa.RoleAdmin))
}

// countRequests records each request's method, route pattern, status and
// latency. The route is the pattern (c.Path(), "/v1/offers/:id"), never
// the URL, so that ids do not make a series each.
func (s *Server) countRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			// Write the problem now, so that its status is the one counted;
			// the error handler does nothing for a committed response.
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		s.cfg.Metrics.HTTPRequest(c.Request().Method, route, c.Response().Status, time.Since(start))
		return err
	}
}

// handleMetrics serves the process's metrics in the Prometheus text
// format. They can also be served, without a token, on a listen address
// of their own (SANKOFA_METRICS_ADDR).
func (s *Server) handleMetrics() echo.HandlerFunc {
	h := s.cfg.Metrics.Handler()
	return func(c echo.Context) error {
		if s.cfg.Metrics == nil {
			return sankofa.Errorf(sankofa.NotFound, "metrics are not collected by this server")
		}
		// The gzip middleware compresses the answer; the Prometheus
		// handler must not compress it a second time.
		r := c.Request().Clone(c.Request().Context())
		r.Header.Del(echo.HeaderAcceptEncoding)
		h.ServeHTTP(c.Response(), r)
		return nil
	}
}

// SetReady adds (or replaces) a dependency that /readyz checks, such as the
// supervisor of the background workers, which only `serve` starts. Call
// it before the server takes requests.
func (s *Server) SetReady(name string, p Pinger) {
	if s.deps.Ready == nil {
		s.deps.Ready = map[string]Pinger{}
	}
	s.deps.Ready[name] = p
}
