package api

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"sankofa"
)

// The data export (GDPR Art. 15 and 20). GET /v1/me/export answers with
// one JSON document of everything Sankofa holds about the caller, written
// section by section as it is read, so that neither the server nor a slow
// client holds the whole of it: a worker with years of notifications costs
// the server one page of them at a time.
//
// Once the first byte is sent the status is 200 and cannot change; a read
// that fails after that aborts the connection (http.ErrAbortHandler), so
// the client sees a failed download rather than a file that looks whole.

// ExportFormat names the export document's layout; a change that is not
// an addition gets a new number.
const ExportFormat = "sankofa-export/1"

// exportPage is the page size in which the export reads the lists it
// pages through (offers, notifications); a variable so that tests can
// make it small and cross pages with few items.
var exportPage = sankofa.MaxPageSize

const (
	// exportFlushEvery is how many items a section writes between
	// flushes.
	exportFlushEvery = 50
	// exportWriteWindow is how long the client has to take each flushed
	// part; the server's WriteTimeout would otherwise cut a long export.
	exportWriteWindow = 30 * time.Second
)

// exportInterest is one assignment a worker said they would like.
type exportInterest struct {
	AssignmentID string    `json:"assignment_id"`
	Title        string    `json:"title"`
	At           time.Time `json:"at"`
}

// exportVerification is the verification record of one of the worker's
// licences.
type exportVerification struct {
	LicenceID    string               `json:"licence_id"`
	Country      string               `json:"country"`
	Body         string               `json:"body"`
	Number       string               `json:"number"`
	Expires      sankofa.Date         `json:"expires"`
	Verification sankofa.Verification `json:"verification"`
}

// exportSession is one sign-in (refresh-token family), without its token.
type exportSession struct {
	Device    string    `json:"device"`
	CreatedAt time.Time `json:"created_at"`
	// LastUsedAt is null for a session from before uses were recorded.
	LastUsedAt *time.Time `json:"last_used_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	Revoked    bool       `json:"revoked"`
}

// exportShortlistEntry is a note a ministry kept on one of its
// assignments' shortlists.
type exportShortlistEntry struct {
	AssignmentID string `json:"assignment_id"`
	sankofa.ShortlistEntry
}

// handleExport streams the caller's data export. The export is audited
// (data.exported) before the first byte goes out.
func (s *Server) handleExport() echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		me := principal(c)
		today := s.today()
		var profile *sankofa.Profile
		if me.Role == sankofa.RoleProfessional {
			p, err := s.deps.Profiles.Profile(ctx, sankofa.ProfileIDFor(me.ID))
			switch {
			case err == nil:
				view := *p
				view.ReviewLicences(today)
				profile = &view
			case !sankofa.IsCode(err, sankofa.NotFound):
				return err
			}
		}
		if err := s.audit(c, sankofa.AuditEntry{Action: sankofa.AuditExport, ActorID: me.ID, SubjectID: me.ID}); err != nil {
			return err
		}
		at := s.now().UTC()
		w := c.Response()
		w.Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSONCharsetUTF8)
		w.Header().Set(echo.HeaderContentDisposition, `attachment; filename="sankofa-export-`+at.Format(time.DateOnly)+`.json"`)
		w.Header().Set(echo.HeaderCacheControl, "no-store")
		w.Header().Set("X-Accel-Buffering", "no")
		w.WriteHeader(http.StatusOK)
		x := newExportWriter(w)
		// The request has been read: its ReadTimeout must not end a long
		// export (see handleStream).
		_ = x.rc.SetReadDeadline(time.Time{})
		if err := s.writeExport(c, x, me, profile, at); err != nil {
			rid := w.Header().Get(echo.HeaderXRequestID)
			if ctx.Err() != nil {
				s.log.InfoContext(ctx, "export ended: the client left", "account", me.ID, "request_id", rid)
			} else {
				s.log.ErrorContext(ctx, "export failed after it began", "err", err, "account", me.ID, "request_id", rid)
			}
			panic(http.ErrAbortHandler)
		}
		return nil
	}
}

// writeExport writes the document's sections in order. Every section is
// present for every role, empty when it does not apply (a ministry has no
// profile, a worker no assignments), so that readers need not guess.
func (s *Server) writeExport(c echo.Context, x *exportWriter, me *sankofa.Account, profile *sankofa.Profile, at time.Time) error {
	ctx := c.Request().Context()
	if err := x.value("format", ExportFormat); err != nil {
		return err
	}
	if err := x.value("exported_at", at); err != nil {
		return err
	}
	if err := x.value("account", me); err != nil { // its JSON never holds the password hash
		return err
	}
	if err := x.value("profile", profile); err != nil {
		return err
	}
	if err := x.list("offers", func(item func(any) error) error { return s.exportOffers(c, me, item) }); err != nil {
		return err
	}
	if err := x.list("missions", func(item func(any) error) error { return s.exportMissions(c, me, item) }); err != nil {
		return err
	}
	if err := x.list("interest", func(item func(any) error) error {
		if profile == nil {
			return nil
		}
		// Interest lives inside each assignment, and nothing indexes it by
		// worker: an export, a rare request, walks the assignments.
		return s.deps.Assignments.EachAssignment(ctx, func(a *sankofa.Assignment) error {
			for _, in := range a.Interested {
				if in.ProfileID == profile.ID {
					return item(exportInterest{AssignmentID: a.ID, Title: a.Title, At: in.At.UTC()})
				}
			}
			return nil
		})
	}); err != nil {
		return err
	}
	if err := x.list("notifications", func(item func(any) error) error {
		cursor := ""
		for {
			// Every notification still held, however old: the zero time
			// leaves none out.
			page, err := s.deps.Inbox.Notifications(ctx, me.ID, false, cursor, exportPage, time.Time{})
			if err != nil {
				return err
			}
			for _, n := range page.Items {
				if err := item(n); err != nil {
					return err
				}
			}
			if page.NextCursor == "" {
				return nil
			}
			cursor = page.NextCursor
		}
	}); err != nil {
		return err
	}
	if err := x.list("verifications", func(item func(any) error) error {
		if profile == nil {
			return nil
		}
		for _, l := range profile.Licences {
			v := sankofa.Verification{Status: sankofa.VerificationUnverified}
			if l.Verification != nil {
				v = *l.Verification
			}
			if err := item(exportVerification{LicenceID: l.ID, Country: l.Country, Body: l.Body, Number: l.Number,
				Expires: l.Expires, Verification: v}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if err := x.list("sessions", func(item func(any) error) error {
		sessions, err := s.deps.Sessions.SessionsOf(ctx, me.ID)
		if err != nil {
			return err
		}
		for _, ss := range sessions {
			e := exportSession{Device: ss.Device, CreatedAt: ss.CreatedAt, ExpiresAt: ss.ExpiresAt, Revoked: ss.Revoked}
			if !ss.LastUsedAt.IsZero() {
				e.LastUsedAt = &ss.LastUsedAt
			}
			if err := item(e); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if err := x.list("audit", func(item func(any) error) error { return s.exportAudit(c, me, item) }); err != nil {
		return err
	}
	var owned []string // the ministry's assignments, for their shortlists
	if err := x.list("assignments", func(item func(any) error) error {
		if me.Role != sankofa.RoleMinistry {
			return nil
		}
		return s.deps.Assignments.EachAssignment(ctx, func(a *sankofa.Assignment) error {
			if a.MinistryID != me.ID {
				return nil
			}
			owned = append(owned, a.ID)
			return item(a)
		})
	}); err != nil {
		return err
	}
	if err := x.list("shortlist_entries", func(item func(any) error) error {
		slices.Sort(owned)
		for _, id := range owned {
			entries, err := s.deps.Shortlists.Shortlist(ctx, id)
			if sankofa.IsCode(err, sankofa.NotFound) {
				continue
			}
			if err != nil {
				return err
			}
			for _, e := range entries {
				if err := item(exportShortlistEntry{AssignmentID: id, ShortlistEntry: e}); err != nil {
					return err
				}
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if err := x.list("webhooks", func(item func(any) error) error {
		if me.Role != sankofa.RoleMinistry {
			return nil
		}
		hooks, err := s.deps.Webhooks.Webhooks(ctx, me.ID)
		if err != nil {
			return err
		}
		for _, h := range hooks {
			if err := item(h.Redacted()); err != nil { // the signing secret is a credential, not personal data
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	return x.end()
}

// exportOffers writes the offers a worker received or a ministry sent,
// as stored: without the other side's contact details, which are theirs
// and whose every showing is audited.
func (s *Server) exportOffers(c echo.Context, me *sankofa.Account, item func(any) error) error {
	return s.eachOffer(c, me, func(o *sankofa.Offer) error { return item(o) })
}

// exportMission is the caller's side of a mission: their own evaluation
// and the mission's report, as the two sides read them.
type exportMission struct {
	OfferID    string              `json:"offer_id"`
	Evaluation *sankofa.Evaluation `json:"evaluation"`
	Report     *reportView         `json:"report"`
}

// exportMissions writes, for each accepted offer of the caller, what they
// evaluated and the report, when there is either.
func (s *Server) exportMissions(c echo.Context, me *sankofa.Account, item func(any) error) error {
	if s.deps.Missions == nil {
		return nil
	}
	ctx := c.Request().Context()
	return s.eachOffer(c, me, func(o *sankofa.Offer) error {
		if o.Status != sankofa.OfferAccepted {
			return nil
		}
		m := exportMission{OfferID: o.ID}
		ev, err := s.deps.Missions.Evaluation(ctx, o, me.ID)
		if err != nil {
			return err
		}
		m.Evaluation = ev.Mine
		r, err := s.deps.Missions.Report(ctx, o, me.ID)
		switch {
		case err == nil:
			m.Report = &reportView{Report: r, TagLabels: s.tagViews(r.Tags, readerLang(c))}
		case !sankofa.IsCode(err, sankofa.NotFound):
			return err
		}
		if m.Evaluation == nil && m.Report == nil {
			return nil
		}
		return item(m)
	})
}

// eachOffer calls fn with every offer a worker received or a ministry
// sent.
func (s *Server) eachOffer(c echo.Context, me *sankofa.Account, fn func(*sankofa.Offer) error) error {
	ctx := c.Request().Context()
	f := sankofa.OfferFilter{Limit: exportPage}
	switch me.Role {
	case sankofa.RoleProfessional:
		f.ProfessionalID = me.ID
	case sankofa.RoleMinistry:
		f.MinistryID = me.ID
	default:
		return nil // an admin is neither side of any offer
	}
	for {
		page, err := s.deps.Index.Offers(ctx, f)
		if err != nil {
			return err
		}
		for _, id := range page.IDs {
			o, err := s.deps.Offers.Offer(ctx, id)
			if sankofa.IsCode(err, sankofa.NotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if err := fn(o); err != nil {
				return err
			}
		}
		if page.NextCursor == "" {
			return nil
		}
		f.Cursor = page.NextCursor
	}
}

// exportAudit writes the audit entries the caller made or that are about
// them. Where someone else acted (an admin who read the profile, a
// ministry shown the contact details), the entry keeps who did what and
// when but not their address and browser, which are that person's data;
// a sign-in attempt on the caller's account, by nobody signed in, keeps
// them, so that the caller can tell whether it was them.
func (s *Server) exportAudit(c echo.Context, me *sankofa.Account, item func(any) error) error {
	if s.deps.Audit == nil {
		return nil
	}
	entries, err := s.deps.Audit.AuditAbout(c.Request().Context(), me.ID)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.ActorID != "" && e.ActorID != me.ID {
			e.IP, e.UserAgent, e.RequestID = "", "", ""
		}
		if err := item(e); err != nil {
			return err
		}
	}
	return nil
}

// exportWriter writes one JSON object member by member to a response,
// flushing as it goes.
type exportWriter struct {
	w       io.Writer
	rc      *http.ResponseController
	enc     *json.Encoder
	members int // written so far
	pending int // items written since the last flush
}

func newExportWriter(w *echo.Response) *exportWriter {
	return &exportWriter{w: w, rc: http.NewResponseController(w), enc: json.NewEncoder(w)}
}

// key starts a member.
func (x *exportWriter) key(name string) error {
	sep := ",\n"
	if x.members == 0 {
		sep = "{\n"
	}
	x.members++
	k, err := json.Marshal(name)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(x.w, "%s%s: ", sep, k)
	return err
}

// value writes a member whose value is v.
func (x *exportWriter) value(name string, v any) error {
	if err := x.key(name); err != nil {
		return err
	}
	return x.enc.Encode(v)
}

// list writes a member whose value is an array of the items fill gives
// item, one per line, and flushes.
func (x *exportWriter) list(name string, fill func(item func(any) error) error) error {
	if err := x.key(name); err != nil {
		return err
	}
	if _, err := io.WriteString(x.w, "["); err != nil {
		return err
	}
	n := 0
	err := fill(func(v any) error {
		if n > 0 {
			if _, err := io.WriteString(x.w, ","); err != nil {
				return err
			}
		}
		n++
		if err := x.enc.Encode(v); err != nil {
			return err
		}
		if x.pending++; x.pending >= exportFlushEvery {
			return x.flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if _, err := io.WriteString(x.w, "]"); err != nil {
		return err
	}
	return x.flush()
}

// end closes the object and flushes.
func (x *exportWriter) end() error {
	if _, err := io.WriteString(x.w, "\n}\n"); err != nil {
		return err
	}
	return x.flush()
}

// flush sends what is buffered and gives the client a new window to take
// the next part.
func (x *exportWriter) flush() error {
	x.pending = 0
	_ = x.rc.SetWriteDeadline(time.Now().Add(exportWriteWindow))
	return x.rc.Flush()
}
