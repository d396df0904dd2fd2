package api

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"sankofa"
)

// verificationQueueLimit bounds how many profiles one queue read scans.
const verificationQueueLimit = 500

// VerificationItem is one licence in a verifier's queue.
type VerificationItem struct {
	ProfileID        string          `json:"profile_id"`
	FullName         string          `json:"full_name"`
	Profession       string          `json:"profession"`
	ResidenceCountry string          `json:"residence_country"`
	Licence          sankofa.Licence `json:"licence"`
}

// verificationEvent is the snapshot a verification event carries: the
// profile (which the index applies like any profile event) and the
// licence concerned (which the notifier reads).
type verificationEvent struct {
	*sankofa.Profile
	LicenceID string `json:"licence_id"`
}

// profileLicence reads a profile, with its licences' states as of today,
// and finds one licence in it: not_found when either is missing.
func (s *Server) profileLicence(ctx context.Context, profileID, licenceID string, today sankofa.Date) (sankofa.Profile, int, error) {
	cur, err := s.deps.Profiles.Profile(ctx, profileID)
	if err != nil {
		return sankofa.Profile{}, -1, err
	}
	p := *cur
	p.ReviewLicences(today)
	i, err := findLicence(&p, licenceID)
	return p, i, err
}

func findLicence(p *sankofa.Profile, id string) (int, error) {
	for i, l := range p.Licences {
		if id != "" && l.ID == id {
			return i, nil
		}
	}
	return -1, sankofa.Errorf(sankofa.NotFound, "licence not found")
}

// canVerify reports whether me may verify a licence issued in country:
// admins any, an approved ministry those of its own country.
func canVerify(me *sankofa.Account, country string) bool {
	return me.Status == sankofa.StatusActive && (me.Role == sankofa.RoleAdmin || (me.Role == sankofa.RoleMinistry && me.Country == country))
}

// saveVerification stores p, whose licence i changed, as a new version
// with a profile event of action.
func (s *Server) saveVerification(c echo.Context, p *sankofa.Profile, i int, action string) error {
	ctx := c.Request().Context()
	p.Version++
	p.UpdatedAt = s.now().UTC()
	p.Completeness = p.Score()
	ev, err := s.event(c, "profile", action, p.ID, p.Version, verificationEvent{Profile: p, LicenceID: p.Licences[i].ID})
	if err != nil {
		return err
	}
	pe, err := s.deps.Profiles.SaveProfile(ctx, p, ev)
	if err != nil {
		return err
	}
	s.dispatcher.After(ctx, pe)
	return nil
}

// handleRequestVerification lets a worker ask for one of their licences
// to be verified: it goes to in-process, and the verifiers are notified.
func (s *Server) handleRequestVerification() echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		today := s.today()
		p, i, err := s.profileLicence(ctx, sankofa.ProfileIDFor(principal(c).ID), c.Param("licence_id"), today)
		if err != nil {
			return err
		}
		l := &p.Licences[i]
		switch st := l.VerificationStatusOf(today); {
		case l.Expires < today:
			return sankofa.Errorf(sankofa.Conflict, "this licence expired on %s; update its expiry before asking for verification", l.Expires)
		case st == sankofa.VerificationInProcess:
			return sankofa.Errorf(sankofa.Conflict, "this licence is already being verified")
		case st == sankofa.VerificationValidated:
			return sankofa.Errorf(sankofa.Conflict, "this licence is already verified (next review %s)", l.Verification.NextReview)
		}
		now := s.now().UTC()
		v := *l.Verification
		v.Status, v.RequestedAt = sankofa.VerificationInProcess, &now
		l.Verification = &v
		if err := s.saveVerification(c, &p, i, "verification_requested"); err != nil {
			return err
		}
		c.Response().Header().Set("ETag", etag(p.Version))
		return c.JSON(http.StatusOK, &p)
	}
}

// handleListVerifications is the verifier's queue: the licences with the
// status asked for (in-process unless said), those of the caller's own
// country for a ministry, longest waiting first.
func (s *Server) handleListVerifications() echo.HandlerFunc {
	return func(c echo.Context) error {
		want := sankofa.VerificationStatus(c.QueryParam("status"))
		stored := []sankofa.VerificationStatus{want}
		switch want {
		case "":
			want, stored = sankofa.VerificationInProcess, []sankofa.VerificationStatus{sankofa.VerificationInProcess}
		case sankofa.VerificationInProcess, sankofa.VerificationValidated, sankofa.VerificationFailed:
		case sankofa.VerificationRevalidate:
			stored = []sankofa.VerificationStatus{sankofa.VerificationValidated, sankofa.VerificationRevalidate}
		default:
			var pr sankofa.Problems
			pr.Add("status", "must be in-process, validated, val-fail or req-revalid")
			return pr.Err()
		}
		ps, err := s.deps.Profiles.LicenceQueue(c.Request().Context(), stored, verificationQueueLimit)
		if err != nil {
			return err
		}
		me, today := principal(c), s.today()
		items := []VerificationItem{}
		for _, p := range ps {
			view := *p
			view.ReviewLicences(today)
			for _, l := range view.Licences {
				if l.Verification.Status != want || !canVerify(me, l.Country) {
					continue
				}
				items = append(items, VerificationItem{ProfileID: p.ID, FullName: p.FullName, Profession: p.Profession,
					ResidenceCountry: p.ResidenceCountry, Licence: l})
			}
		}
		slices.SortStableFunc(items, func(a, b VerificationItem) int {
			return cmp.Or(waitingSince(a.Licence).Compare(waitingSince(b.Licence)), cmp.Compare(a.ProfileID, b.ProfileID))
		})
		return c.JSON(http.StatusOK, map[string]any{"items": items})
	}
}

// waitingSince orders a queue: when the verification was asked for, or
// else decided.
func waitingSince(l sankofa.Licence) time.Time {
	switch v := l.Verification; {
	case v.RequestedAt != nil:
		return *v.RequestedAt
	case v.VerifiedAt != nil:
		return *v.VerifiedAt
	}
	return time.Time{}
}

// handleDecideVerification records a verifier's decision about one
// licence; the worker is notified in their language.
func (s *Server) handleDecideVerification() echo.HandlerFunc {
	return func(c echo.Context) error {
		var d sankofa.VerificationDecision
		if err := bind(c, &d); err != nil {
			return err
		}
		ctx := c.Request().Context()
		me := principal(c)
		today := s.today()
		p, i, err := s.profileLicence(ctx, c.Param("profile_id"), c.Param("licence_id"), today)
		if err != nil {
			return err
		}
		l := &p.Licences[i]
		if !canVerify(me, l.Country) {
			// A licence of another country is not this verifier's to see.
			return sankofa.Errorf(sankofa.NotFound, "licence not found")
		}
		if err := d.Validate(l, today); err != nil {
			return err
		}
		// Recorded before the decision is stored, as every audited action
		// is (see Server.audit); the object names the profile and licence.
		if err := s.audit(c, sankofa.AuditEntry{Action: sankofa.AuditVerification, ActorID: me.ID,
			SubjectID: p.AccountID, ObjectID: p.ID + "/" + l.ID}); err != nil {
			return err
		}
		d.Apply(l, me.ID, s.now())
		if err := s.saveVerification(c, &p, i, "verification_decided"); err != nil {
			return err
		}
		return c.JSON(http.StatusOK, VerificationItem{ProfileID: p.ID, FullName: p.FullName, Profession: p.Profession,
			ResidenceCountry: p.ResidenceCountry, Licence: *l})
	}
}
