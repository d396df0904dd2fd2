package api

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// TestErrorHandler_ClientGone: a handler that fails because its client
// hung up is logged as a 499 warning, not as a 500 error.
func TestErrorHandler_ClientGone(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	s := &Server{log: log}
	e := echo.New()
	e.HTTPErrorHandler = errorHandler(log)
	e.Use(s.requestLog())
	e.GET("/slow", func(c echo.Context) error {
		<-c.Request().Context().Done()
		return fmt.Errorf("store: find profile: %w", c.Request().Context().Err())
	})
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the client hung up
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest("GET", "/slow", nil).WithContext(ctx))
	out := logs.String()
	if strings.Contains(out, "level=ERROR") || !strings.Contains(out, "status=499") || !strings.Contains(out, "level=WARN") {
		t.Fatalf("logs:\n%s", out)
	}
	t.Run("ServerFailureStillAnError", func(t *testing.T) {
		logs.Reset()
		e.GET("/fail", func(c echo.Context) error { return fmt.Errorf("store: boom") })
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest("GET", "/fail", nil))
		if rec.Code != 500 || !strings.Contains(logs.String(), "level=ERROR") {
			t.Fatalf("status %d, logs:\n%s", rec.Code, logs.String())
		}
	})
}
