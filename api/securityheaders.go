package api

import "github.com/labstack/echo/v4"

// securityHeaders marks every response, errors included: browsers must not
// guess a content type other than the one sent (so that no upload or JSON
// answer runs as a script or style), and no page of the API or console
// hands its address, with its identifiers, to the sites it links to. The
// Content-Security-Policy is left to each page: the console and /docs need
// different ones.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set(echo.HeaderXContentTypeOptions, "nosniff")
		h.Set(echo.HeaderReferrerPolicy, "no-referrer")
		return next(c)
	}
}
