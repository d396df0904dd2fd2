package api

import (
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"sankofa"
)

// routes lists every route of the API in one place.
func (s *Server) routes() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = errorHandler(s.log)
	s.mountMetrics(e)
	e.IPExtractor = ipExtractor(s.cfg.TrustedProxies)
	e.Use(
		securityHeaders,
		middleware.RequestID(),
		s.requestLog(),
		middleware.Recover(),
		middleware.BodyLimit(strconv.FormatInt(s.cfg.MaxBodyBytes, 10)+"B"),
		middleware.GzipWithConfig(middleware.GzipConfig{MinLength: 1024,
			// A compressor would hold back the stream's events; the console
			// serves its files compressed already.
			Skipper: func(c echo.Context) bool { return strings.HasSuffix(c.Path(), "/stream") || c.Path() == consoleRoute }}),
	)

	e.GET("/healthz", s.handleHealthz())
	e.GET("/readyz", s.handleReadyz())
	e.GET("/openapi.yaml", handleOpenAPI())
	e.GET("/docs", handleDocs())

	v1 := e.Group("/v1")
	v1.POST("/auth/register", s.handleRegister(), requireJSON, s.idempotent)
	v1.POST("/auth/login", s.handleLogin(), requireJSON)
	v1.POST("/auth/refresh", s.handleRefresh(), requireJSON)
	v1.POST("/auth/logout", s.handleLogout(), requireJSON)
	v1.GET("/about", s.handleAbout())
	v1.GET("/safeguards", s.handleGetSafeguards())
	v1.GET("/reports", s.handleSearchReports())
	v1.GET("/reports/:id", s.handleGetPublicReport())
	v1.GET("/observatory/outcomes", s.handleObservatoryOutcomes())
	v1.GET("/observatory", s.handleObservatory())
	v1.GET("/observatory/stock", s.handleObservatoryStock())
	v1.GET("/observatory/supply-demand", s.handleObservatorySupplyDemand())
	v1.GET("/observatory/flows", s.handleObservatoryFlows())

	in := routeSet{g: v1, mw: []echo.MiddlewareFunc{s.authenticate}}
	in.GET("/me", s.handleMe())
	in.PATCH("/me", s.handlePatchMe(), requireJSON)
	in.GET("/me/export", s.handleExport())
	in.DELETE("/me", s.handleEraseMe(), requireJSON)

	admin := in.under("/admin", allow(sankofa.RoleAdmin))
	admin.GET("/accounts", s.handleListAccounts())
	admin.DELETE("/accounts/:id", s.handleEraseAccount())
	admin.POST("/accounts/:id/approve", s.handleSetAccountStatus(sankofa.StatusActive))
	admin.POST("/accounts/:id/suspend", s.handleSetAccountStatus(sankofa.StatusSuspended))
	admin.GET("/dead-letters", s.handleDeadLetters())
	admin.GET("/consistency", s.handleConsistency())
	admin.GET("/status", s.handleAdminStatus())
	admin.GET("/audit", s.handleListAudit())
	admin.PUT("/safeguards", s.handlePutSafeguards(), requireJSON)
	admin.POST("/safeguards/agreements", s.handleAddSafeguardAgreement(), requireJSON)
	admin.DELETE("/safeguards/agreements/:id", s.handleDeleteSafeguardAgreement())

	worker := allow(sankofa.RoleProfessional)
	in.PUT("/profiles/me", s.handlePutProfile(), worker, requireJSON)
	in.GET("/profiles/me", s.handleGetMyProfile(), worker)
	in.PATCH("/profiles/me", s.handlePatchProfile(), worker, requireJSON)
	in.DELETE("/profiles/me", s.handleDeleteMyProfile(), worker)
	in.GET("/profiles/me/matches", s.handleMyMatches(), worker)
	in.POST("/profiles/me/licences/:licence_id/verification", s.handleRequestVerification(), worker)
	in.GET("/verifications", s.handleListVerifications(), allow(sankofa.RoleMinistry, sankofa.RoleAdmin))
	in.POST("/verifications/:profile_id/:licence_id", s.handleDecideVerification(), allow(sankofa.RoleMinistry, sankofa.RoleAdmin), requireJSON)
	in.GET("/profiles/:id", s.handleGetProfile(), allow(sankofa.RoleMinistry, sankofa.RoleAdmin))
	in.GET("/profiles", s.handleSearchProfiles(), allow(sankofa.RoleMinistry, sankofa.RoleAdmin))

	ministry := allow(sankofa.RoleMinistry)
	anyone := allow(anyRole...)
	in.POST("/assignments", s.handleCreateAssignment(), ministry, requireJSON, s.idempotent)
	in.GET("/assignments", s.handleListAssignments(), anyone)
	in.GET("/occupations", s.handleOccupations(), anyone)
	in.GET("/assignments/:id", s.handleGetAssignment(), anyone)
	in.PATCH("/assignments/:id", s.handlePatchAssignment(), ministry, requireJSON)
	in.GET("/assignments/:id/matches", s.handleAssignmentMatches(), allow(sankofa.RoleMinistry, sankofa.RoleAdmin))
	in.POST("/assignments/:id/publish", s.handleTransition(sankofa.Publish), ministry)
	in.POST("/assignments/:id/close", s.handleTransition(sankofa.Close), allow(sankofa.RoleMinistry, sankofa.RoleAdmin))
	in.POST("/assignments/:id/cancel", s.handleTransition(sankofa.Cancel), allow(sankofa.RoleMinistry, sankofa.RoleAdmin))
	in.POST("/assignments/:id/offers", s.handleCreateOffer(), ministry, requireJSON, s.idempotent)
	in.POST("/assignments/:id/interest", s.handleExpressInterest(), worker)
	in.GET("/assignments/:id/interest", s.handleListInterest(), allow(sankofa.RoleMinistry, sankofa.RoleAdmin))
	in.GET("/assignments/:id/shortlist", s.handleGetShortlist(), allow(sankofa.RoleMinistry, sankofa.RoleAdmin))
	in.PUT("/assignments/:id/shortlist/:profile_id", s.handlePutShortlist(), ministry, requireJSON)
	in.DELETE("/assignments/:id/shortlist/:profile_id", s.handleDeleteShortlist(), ministry)
	in.GET("/taxonomy/suggest", s.handleSuggest(), anyone)

	in.GET("/offers", s.handleListOffers(), anyone)
	in.GET("/offers/:id", s.handleGetOffer(), anyone)
	in.POST("/offers/:id/accept", s.handleMoveOffer(sankofa.Accept), worker)
	in.POST("/offers/:id/decline", s.handleMoveOffer(sankofa.Decline), worker)
	in.POST("/offers/:id/withdraw", s.handleMoveOffer(sankofa.Withdraw), ministry)
	sides := allow(sankofa.RoleProfessional, sankofa.RoleMinistry)
	in.GET("/offers/:id/evaluation", s.handleGetEvaluation(), sides)
	in.POST("/offers/:id/evaluation", s.handlePostEvaluation(), sides, requireJSON)
	in.GET("/offers/:id/report", s.handleGetMissionReport(), sides)
	in.POST("/offers/:id/report", s.handlePostMissionReport(), worker, requireJSON)
	in.PUT("/offers/:id/report", s.handlePutMissionReport(), sides, requireJSON)
	in.PATCH("/offers/:id/report", s.handlePatchMissionReport(), sides, requireJSON)
	in.POST("/offers/:id/report/consent", s.handleReportConsent(true), sides)
	in.DELETE("/offers/:id/report/consent", s.handleReportConsent(false), sides)

	in.GET("/notifications", s.handleListNotifications(), anyone)
	in.GET("/notifications/unread-count", s.handleUnreadCount(), anyone)
	in.GET("/notifications/stream", s.handleStream(), anyone)
	in.POST("/notifications/read-all", s.handleReadAllNotifications(), anyone)
	in.POST("/notifications/:id/read", s.handleReadNotification(), anyone)

	in.POST("/webhooks", s.handleCreateWebhook(), ministry, requireJSON)
	in.GET("/webhooks", s.handleListWebhooks(), ministry)
	in.DELETE("/webhooks/:id", s.handleDeleteWebhook(), ministry)

	s.mountFHIR(e)    // /fhir/r4: FHIR R4, its errors as OperationOutcome
	s.mountConsole(e) // last: every GET and HEAD no route above takes
	return e
}

// routeSet adds routes under a prefix, each with the set's middleware
// first. Echo's group middleware would also register catch-all routes,
// which answer a wrong method with 404 instead of 405 and Allow.
type routeSet struct {
	g      *echo.Group
	prefix string
	mw     []echo.MiddlewareFunc
}

// under returns a set for routes under prefix with more middleware.
func (r routeSet) under(prefix string, mw ...echo.MiddlewareFunc) routeSet {
	return routeSet{g: r.g, prefix: r.prefix + prefix, mw: append(slices.Clip(r.mw), mw...)}
}

func (r routeSet) add(method, path string, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) {
	r.g.Add(method, r.prefix+path, h, append(slices.Clip(r.mw), mw...)...)
}

func (r routeSet) GET(path string, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) {
	r.add(http.MethodGet, path, h, mw...)
}

func (r routeSet) POST(path string, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) {
	r.add(http.MethodPost, path, h, mw...)
}

func (r routeSet) PUT(path string, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) {
	r.add(http.MethodPut, path, h, mw...)
}

func (r routeSet) PATCH(path string, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) {
	r.add(http.MethodPatch, path, h, mw...)
}

func (r routeSet) DELETE(path string, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) {
	r.add(http.MethodDelete, path, h, mw...)
}

// ipExtractor finds the client's address, which the login limiter keys on.
// X-Forwarded-For is believed only when it comes through the trusted
// proxies; with none, it is the client's to forge, so the peer address is
// used.
func ipExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// requestLog logs every request with its request id.
func (s *Server) requestLog() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURI: true, LogMethod: true, LogLatency: true, LogRequestID: true, LogError: true,
		HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			switch {
			case v.Status == StatusClientClosedRequest:
				level = slog.LevelWarn // the client hung up: worth seeing, not a failure
			case v.Status >= 500:
				level = slog.LevelError
			}
			s.log.LogAttrs(c.Request().Context(), level, "request",
				slog.String("request_id", v.RequestID), slog.String("method", v.Method), slog.String("uri", v.URI),
				slog.Int("status", v.Status), slog.Duration("latency", v.Latency))
			return nil
		},
	})
}
