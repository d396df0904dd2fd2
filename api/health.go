package api

import (
	"context"
	"net/http"
	"sort"
	"time"

	"github.com/labstack/echo/v4"
)

// handleHealthz says the process is alive.
func (s *Server) handleHealthz() echo.HandlerFunc {
	return func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
	}
}

// handleReadyz says whether every dependency answers (503 otherwise).
func (s *Server) handleReadyz() echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
		defer cancel()
		names := make([]string, 0, len(s.deps.Ready))
		for n := range s.deps.Ready {
			names = append(names, n)
		}
		sort.Strings(names)
		checks := map[string]string{}
		status, code := "ok", http.StatusOK
		for _, n := range names {
			if err := s.deps.Ready[n].Ping(ctx); err != nil {
				s.log.WarnContext(ctx, "readiness check failed", "dependency", n, "err", err)
				checks[n] = "unreachable"
				status, code = "unavailable", http.StatusServiceUnavailable
				continue
			}
			checks[n] = "ok"
		}
		return c.JSON(code, map[string]any{"status": status, "checks": checks})
	}
}
