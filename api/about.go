package api

import (
	"cmp"
	"net/http"
	"runtime/debug"

	"github.com/labstack/echo/v4"
)

// About is what GET /v1/about tells anyone, signed in or not: what the
// service is, the languages it speaks, and whom to contact, for instance
// about a forgotten password.
type About struct {
	Name           string   `json:"name"`
	Languages      []string `json:"languages"`
	SupportContact string   `json:"support_contact"`
	Version        string   `json:"version"`
}

// handleAbout describes the service; it needs no sign-in.
func (s *Server) handleAbout() echo.HandlerFunc {
	about := About{
		Name:           "Sankofa",
		Languages:      []string{"en", "fr", "pt"},
		SupportContact: s.cfg.SupportContact,
		Version:        cmp.Or(s.cfg.Version, buildVersion()),
	}
	return func(c echo.Context) error {
		return c.JSON(http.StatusOK, about)
	}
}

// buildVersion is the main module's version as the go command stamped it
// into the binary, or "dev" for a build without one (go run, tests).
func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
