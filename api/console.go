package api

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// consoleRoute is the catch-all route of the web console.
const consoleRoute = "/*"

// mountConsole serves the web console on every GET and HEAD path that no
// API route takes: its history routes (/signin, /assignments/asg_x) and
// its assets. The console compresses its own files, so the gzip
// middleware skips this route.
func (s *Server) mountConsole(e *echo.Echo) {
	if s.deps.Console == nil {
		return
	}
	h := handleConsole(e, s.deps.Console)
	e.GET(consoleRoute, h)
	e.HEAD(consoleRoute, h)
}

// handleConsole hands a request to the console unless the path belongs to
// the API. The router falls back to the catch-all whenever the method does
// not match, so a path that an API route takes with other methods answers
// 405 with Allow, as without the console, and an unknown path under /v1
// answers the API's 404 problem, not the console's page.
func handleConsole(e *echo.Echo, console http.Handler) echo.HandlerFunc {
	serve := echo.WrapHandler(console)
	return func(c echo.Context) error {
		p := c.Request().URL.Path
		// Route the path again with a method no route has: it lands on the
		// API route that takes the path, if any, else on the catch-all.
		probe := e.NewContext(c.Request(), nil)
		e.Router().Find("CONSOLE-PROBE", p, probe)
		if probe.Path() != consoleRoute && probe.Path() != "" {
			if allow, ok := probe.Get(echo.ContextKeyHeaderAllow).(string); ok {
				c.Set(echo.ContextKeyHeaderAllow, allow)
			}
			return echo.MethodNotAllowedHandler(c)
		}
		if p == "/v1" || strings.HasPrefix(p, "/v1/") {
			return echo.ErrNotFound
		}
		return serve(c)
	}
}
