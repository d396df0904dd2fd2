package api

import (
	"cmp"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"sankofa"
	"sankofa/fhir"
)

// FHIR R4 under /fhir/r4: a CapabilityStatement, Practitioner and
// PractitionerRole reads and searches, and Bulk Data $export
// (fhir_export.go). It answers application/fhir+json, and its errors are
// FHIR OperationOutcomes, not problem+json.

// fhirPrefix is where the FHIR endpoint lives.
const fhirPrefix = "/fhir/r4"

// mimeFHIR is FHIR's JSON media type.
const mimeFHIR = "application/fhir+json"

// fhirRoutes adds routes under /fhir/r4 and remembers each path's
// methods, so that another method on it answers 405 with Allow.
type fhirRoutes struct {
	routeSet
	methods map[string][]string
}

func (r fhirRoutes) under(mw ...echo.MiddlewareFunc) fhirRoutes {
	return fhirRoutes{routeSet: r.routeSet.under("", mw...), methods: r.methods}
}

func (r fhirRoutes) GET(path string, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) {
	r.methods[path] = append(r.methods[path], http.MethodGet)
	r.routeSet.GET(path, h, mw...)
}

func (r fhirRoutes) DELETE(path string, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) {
	r.methods[path] = append(r.methods[path], http.MethodDelete)
	r.routeSet.DELETE(path, h, mw...)
}

// mountFHIR adds the FHIR routes, each behind fhirErrors.
func (s *Server) mountFHIR(e *echo.Echo) {
	base := routeSet{g: e.Group(fhirPrefix), mw: []echo.MiddlewareFunc{s.fhirErrors}}
	r := fhirRoutes{routeSet: base, methods: map[string][]string{}}
	r.GET("/metadata", s.handleFHIRMetadata())
	in := r.under(s.authenticate)
	readers := allow(sankofa.RoleMinistry, sankofa.RoleAdmin)
	in.GET("/Practitioner/:id", s.handleFHIRPractitioner(), readers)
	in.GET("/Practitioner", s.handleFHIRSearchPractitioners(), readers)
	in.GET("/PractitionerRole", s.handleFHIRRoles(), readers)
	s.mountFHIRExport(in)
	// Anything else under /fhir/r4 is a FHIR 405 or 404, not the
	// console's page. (Echo prefers a catch-all's handler to its own 405.)
	notFound := func(c echo.Context) error {
		path := strings.TrimPrefix(c.Request().URL.Path, fhirPrefix)
		for pattern, methods := range r.methods {
			if matchPath(pattern, path) {
				allowed := strings.Join(methods, ", ")
				c.Response().Header().Set(echo.HeaderAllow, allowed)
				return echo.NewHTTPError(http.StatusMethodNotAllowed, "this FHIR path answers "+allowed+" only")
			}
		}
		return sankofa.Errorf(sankofa.NotFound, "Sankofa's FHIR endpoint has no such resource or operation; see %s/metadata", fhirPrefix)
	}
	base.add(echo.RouteNotFound, "", notFound)
	base.add(echo.RouteNotFound, "/*", notFound)
}

// matchPath reports whether path fits an Echo route pattern whose ":name"
// segments match any one segment.
func matchPath(pattern, path string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i, p := range ps {
		if !strings.HasPrefix(p, ":") && p != xs[i] || strings.HasPrefix(p, ":") && xs[i] == "" {
			return false
		}
	}
	return true
}

// fhirErrors writes the errors of a FHIR route as an OperationOutcome
// with the status the API would give them.
func (s *Server) fhirErrors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		if err == nil || c.Response().Committed || clientGone(c, err) {
			return err
		}
		p := toProblem(err)
		if p.Status >= 500 {
			s.log.ErrorContext(c.Request().Context(), "request failed", "err", err,
				"method", c.Request().Method, "path", c.Path(), "request_id", c.Response().Header().Get(echo.HeaderXRequestID))
		}
		if p.Status == http.StatusUnauthorized && c.Response().Header().Get(echo.HeaderWWWAuthenticate) == "" {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="sankofa"`)
		}
		msgs := []string{p.Detail}
		for _, f := range p.Errors {
			msgs = append(msgs, f.Field+": "+f.Message)
		}
		return writeFHIR(c, p.Status, fhir.OperationOutcome(p.Status, p.Code, msgs...))
	}
}

// writeFHIR writes v as application/fhir+json.
func writeFHIR(c echo.Context, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.Blob(status, mimeFHIR, b)
}

// fhirBase is the FHIR endpoint's absolute URL, as the client reached it.
func (s *Server) fhirBase(c echo.Context) string {
	return s.scheme(c) + "://" + c.Request().Host + fhirPrefix
}

// handleFHIRMetadata serves the CapabilityStatement; it is public.
func (s *Server) handleFHIRMetadata() echo.HandlerFunc {
	started := s.now().UTC().Format(time.RFC3339)
	return func(c echo.Context) error {
		return writeFHIR(c, http.StatusOK, fhir.CapabilityStatement(s.fhirBase(c), started, cmp.Or(s.cfg.Version, buildVersion())))
	}
}

// fhirProfile reads the profile behind a Practitioner id with the rules
// of the API's profile read (readProfile), and the contact details the
// caller may see: those a ministry sees on an accepted offer of its own
// to the worker (offerView, which audits the reveal).
func (s *Server) fhirProfile(c echo.Context, fhirID string) (*sankofa.Profile, fhir.Options, error) {
	opts := fhir.Options{Today: s.today()}
	id, err := fhir.SankofaID(fhirID)
	if err != nil {
		return nil, opts, err
	}
	p, view, err := s.readProfile(c, id)
	if err != nil {
		return nil, opts, err
	}
	if me := principal(c); me.Role == sankofa.RoleMinistry {
		page, err := s.deps.Index.Offers(c.Request().Context(), sankofa.OfferFilter{MinistryID: me.ID,
			ProfessionalID: p.AccountID, Status: sankofa.OfferAccepted, Limit: 1})
		if err != nil {
			return nil, opts, err
		}
		for _, oid := range page.IDs {
			o, err := s.deps.Offers.Offer(c.Request().Context(), oid)
			if sankofa.IsCode(err, sankofa.NotFound) {
				continue
			}
			if err != nil {
				return nil, opts, err
			}
			v, err := s.offerView(c, me, o)
			if err != nil {
				return nil, opts, err
			}
			if v.Contact != nil {
				opts.Contact = &sankofa.Contact{Email: v.Contact.Email, Phone: v.Contact.Phone}
			}
		}
	}
	return &view, opts, nil
}

// handleFHIRPractitioner reads one Practitioner.
func (s *Server) handleFHIRPractitioner() echo.HandlerFunc {
	return func(c echo.Context) error {
		p, opts, err := s.fhirProfile(c, c.Param("id"))
		if err != nil {
			return err
		}
		r, err := fhir.PractitionerOf(p, opts)
		if err != nil {
			return err
		}
		c.Response().Header().Set("ETag", `W/"`+r.Meta.VersionID+`"`)
		if r.Meta.LastUpdated != "" {
			c.Response().Header().Set("Last-Modified", p.UpdatedAt.UTC().Format(http.TimeFormat))
		}
		return writeFHIR(c, http.StatusOK, r)
	}
}

// handleFHIRSearchPractitioners finds a Practitioner by its Sankofa id:
// identifier=<fhir.SystemProfileID>|<profile id>, or the id alone. The
// answer is a searchset Bundle, empty when the caller may not see it.
func (s *Server) handleFHIRSearchPractitioners() echo.HandlerFunc {
	return func(c echo.Context) error {
		q := c.QueryParams()
		for k := range q {
			if k != "identifier" && k != "_format" {
				return invalidField(k, "is not a search parameter Sankofa supports; use identifier="+fhir.SystemProfileID+"|<profile id>")
			}
		}
		raw := q.Get("identifier")
		if raw == "" {
			return invalidField("identifier", "is required: "+fhir.SystemProfileID+"|<profile id>")
		}
		value := raw
		if system, v, ok := strings.Cut(raw, "|"); ok {
			if system != "" && system != fhir.SystemProfileID {
				return invalidField("identifier", "the system must be "+fhir.SystemProfileID)
			}
			value = v
		}
		self := s.fhirBase(c) + "/Practitioner?identifier=" + url.QueryEscape(raw)
		fid, err := fhir.ID(value)
		if err != nil {
			return writeFHIR(c, http.StatusOK, fhir.Bundle(self, nil, nil))
		}
		p, opts, err := s.fhirProfile(c, fid)
		if sankofa.IsCode(err, sankofa.NotFound) {
			return writeFHIR(c, http.StatusOK, fhir.Bundle(self, nil, nil))
		}
		if err != nil {
			return err
		}
		r, err := fhir.PractitionerOf(p, opts)
		if err != nil {
			return err
		}
		return writeFHIR(c, http.StatusOK, fhir.Bundle(self, []string{s.fhirBase(c) + "/Practitioner/" + r.ID}, []any{r}))
	}
}

// handleFHIRRoles lists a Practitioner's roles (one per mode of work):
// practitioner=<id> or Practitioner/<id>, as a searchset Bundle.
func (s *Server) handleFHIRRoles() echo.HandlerFunc {
	return func(c echo.Context) error {
		q := c.QueryParams()
		for k := range q {
			if k != "practitioner" && k != "_format" {
				return invalidField(k, "is not a search parameter Sankofa supports; use practitioner=<id>")
			}
		}
		raw := q.Get("practitioner")
		if raw == "" {
			return invalidField("practitioner", "is required: a Practitioner id")
		}
		self := s.fhirBase(c) + "/PractitionerRole?practitioner=" + url.QueryEscape(raw)
		p, opts, err := s.fhirProfile(c, strings.TrimPrefix(raw, "Practitioner/"))
		if sankofa.IsCode(err, sankofa.NotFound) {
			return writeFHIR(c, http.StatusOK, fhir.Bundle(self, nil, nil))
		}
		if err != nil {
			return err
		}
		roles, err := fhir.RolesOf(p, opts)
		if err != nil {
			return err
		}
		urls, res := make([]string, len(roles)), make([]any, len(roles))
		for i := range roles {
			urls[i], res[i] = s.fhirBase(c)+"/PractitionerRole/"+roles[i].ID, roles[i]
		}
		return writeFHIR(c, http.StatusOK, fhir.Bundle(self, urls, res))
	}
}
