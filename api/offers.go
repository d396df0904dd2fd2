package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"sankofa"
	"sankofa/matcher"
)

// offerView is an offer as its two sides see it. The counterpart's
// contact details appear only once the offer is accepted.
type offerView struct {
	*sankofa.Offer
	Contact *offerContact `json:"contact,omitempty"`
}

type offerContact struct {
	Name         string `json:"name"`
	Organization string `json:"organization,omitempty"`
	Email        string `json:"email,omitempty"`
	Phone        string `json:"phone,omitempty"`
}

// handleCreateOffer sends an offer for an open assignment to a worker who
// meets its hard constraints; the terms are copied from the assignment.
func (s *Server) handleCreateOffer() echo.HandlerFunc {
	return func(c echo.Context) error {
		a, err := s.ownAssignment(c, false)
		if err != nil {
			return err
		}
		var in sankofa.OfferRequest
		if err := bind(c, &in); err != nil {
			return err
		}
		o, err := s.flow.CreateOffer(c.Request().Context(), a, in, principal(c).ID)
		if err != nil {
			return err
		}
		c.Response().Header().Set(echo.HeaderLocation, "/v1/offers/"+o.ID)
		c.Response().Header().Set("ETag", etag(o.Version))
		return c.JSON(http.StatusCreated, offerView{Offer: o})
	}
}

// loadOffer fetches an offer the caller is a side of (admins see all);
// anyone else gets not_found.
func (s *Server) loadOffer(c echo.Context) (*sankofa.Offer, error) {
	o, err := s.deps.Offers.Offer(c.Request().Context(), c.Param("id"))
	if err != nil {
		return nil, err
	}
	me := principal(c)
	if me.Role != sankofa.RoleAdmin && me.ID != o.MinistryID && me.ID != o.ProfessionalID {
		return nil, sankofa.Errorf(sankofa.NotFound, "offer not found")
	}
	return o, nil
}

// handleGetOffer returns one offer.
func (s *Server) handleGetOffer() echo.HandlerFunc {
	return func(c echo.Context) error {
		o, err := s.loadOffer(c)
		if err != nil {
			return err
		}
		return s.writeOffer(c, o)
	}
}

func (s *Server) writeOffer(c echo.Context, o *sankofa.Offer) error {
	v, err := s.offerView(c, principal(c), o)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(o.Version))
	return c.JSON(http.StatusOK, v)
}

// offerView adds the counterpart's contact details to an accepted offer.
// Each time it does, the reveal is audited (see Server.audit), the
// counterpart being the subject; an admin, who is neither side, sees none.
func (s *Server) offerView(c echo.Context, me *sankofa.Account, o *sankofa.Offer) (offerView, error) {
	ctx := c.Request().Context()
	v := offerView{Offer: o}
	if o.Status != sankofa.OfferAccepted {
		return v, nil
	}
	reveal := func(subject string) error {
		return s.audit(c, sankofa.AuditEntry{Action: sankofa.AuditContactRevealed, ActorID: me.ID,
			SubjectID: subject, ObjectID: o.ID})
	}
	switch me.ID {
	case o.MinistryID:
		p, err := s.deps.Profiles.Profile(ctx, o.ProfileID)
		if sankofa.IsCode(err, sankofa.NotFound) {
			return v, nil
		}
		if err != nil {
			return v, err
		}
		if err := reveal(o.ProfessionalID); err != nil {
			return v, err
		}
		v.Contact = &offerContact{Name: p.FullName}
		if p.Contact != nil {
			v.Contact.Email, v.Contact.Phone = p.Contact.Email, p.Contact.Phone
		}
		if v.Contact.Email == "" {
			if acc, err := s.deps.Accounts.Account(ctx, o.ProfessionalID); err == nil {
				v.Contact.Email = acc.Email
			}
		}
	case o.ProfessionalID:
		acc, err := s.deps.Accounts.Account(ctx, o.MinistryID)
		if err != nil {
			return v, err
		}
		if err := reveal(o.MinistryID); err != nil {
			return v, err
		}
		v.Contact = &offerContact{Name: acc.Name, Organization: acc.Organization, Email: acc.Email}
	}
	return v, nil
}

// handleListOffers lists the caller's offers, newest first: received ones
// for a worker, sent ones for a ministry, all for an admin.
func (s *Server) handleListOffers() echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		limit, cursor, err := pageParams(c)
		if err != nil {
			return err
		}
		me := principal(c)
		f := sankofa.OfferFilter{Status: sankofa.OfferStatus(c.QueryParam("status")), AssignmentID: c.QueryParam("assignment_id"), Limit: limit, Cursor: cursor}
		if f.Status != "" && !sankofa.ValidOfferStatus(f.Status) {
			return invalidField("status", "must be pending, accepted, declined, withdrawn or expired")
		}
		switch me.Role {
		case sankofa.RoleProfessional:
			f.ProfessionalID = me.ID
		case sankofa.RoleMinistry:
			f.MinistryID = me.ID
		}
		page, err := s.deps.Index.Offers(ctx, f)
		if err != nil {
			return err
		}
		items := make([]offerView, 0, len(page.IDs))
		for _, id := range page.IDs {
			o, err := s.deps.Offers.Offer(ctx, id)
			if sankofa.IsCode(err, sankofa.NotFound) {
				continue
			}
			if err != nil {
				return err
			}
			v, err := s.offerView(c, me, o)
			if err != nil {
				return err
			}
			items = append(items, v)
		}
		return c.JSON(http.StatusOK, newList(items, page.NextCursor))
	}
}

// handleMoveOffer answers (worker) or retracts (ministry) an offer.
func (s *Server) handleMoveOffer(m sankofa.OfferMove) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		o, err := s.loadOffer(c)
		if err != nil {
			return err
		}
		me := principal(c)
		side := o.ProfessionalID
		if m == sankofa.Withdraw {
			side = o.MinistryID
		}
		if me.ID != side {
			return sankofa.Errorf(sankofa.Forbidden, "only the %s side of the offer may %s it", map[bool]string{true: "ministry", false: "worker"}[m == sankofa.Withdraw], m)
		}
		reason := ""
		if m == sankofa.Decline {
			body, err := readBody(c)
			if err != nil {
				return err
			}
			if len(body) > 0 { // the reason is optional, and so is the body
				var in sankofa.DeclineRequest
				if err := sankofa.DecodeJSON(body, &in); err != nil {
					return err
				}
				if err := in.Validate(); err != nil {
					return err
				}
				reason = in.Reason
			}
		}
		if o, err = s.flow.Move(ctx, o, m, reason, me.ID); err != nil {
			return err
		}
		return s.writeOffer(c, o)
	}
}

// interestView is an interested worker as the ministry sees them.
type interestView struct {
	Profile     sankofa.Profile     `json:"profile"`
	At          time.Time           `json:"at"`
	Score       float64             `json:"score"`
	Explanation matcher.Explanation `json:"explanation"`
	// Unmet lists the hard constraints the worker does not meet.
	Unmet []string `json:"unmet"`
}

// handleExpressInterest records that the calling worker would like an
// open assignment; the ministry is notified. Saying it twice is harmless.
func (s *Server) handleExpressInterest() echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		me := principal(c)
		if _, err := s.loadAssignment(c); err != nil {
			return err
		}
		p, err := s.deps.Profiles.Profile(ctx, sankofa.ProfileIDFor(me.ID))
		if sankofa.IsCode(err, sankofa.NotFound) {
			return sankofa.Errorf(sankofa.Conflict, "create your profile before expressing interest")
		}
		if err != nil {
			return err
		}
		created, err := s.flow.AddInterest(ctx, c.Param("id"), p, me.ID)
		if err != nil {
			return err
		}
		status := http.StatusOK
		if created {
			status = http.StatusCreated
		}
		return c.JSON(status, sankofa.Interest{ProfileID: p.ID, At: s.now().UTC()})
	}
}

// handleListInterest shows the ministry who is interested in its
// assignment, best match first, each with the explanation.
func (s *Server) handleListInterest() echo.HandlerFunc {
	return func(c echo.Context) error {
		a, err := s.ownAssignment(c, true)
		if err != nil {
			return err
		}
		list, err := s.flow.InterestList(c.Request().Context(), a, readerLang(c))
		if err != nil {
			return err
		}
		items := make([]interestView, len(list))
		for i, in := range list {
			items[i] = interestView{Profile: in.Profile.Redacted(), At: in.At, Score: in.Score, Explanation: in.Explanation, Unmet: in.Unmet}
		}
		return c.JSON(http.StatusOK, newList(items, ""))
	}
}
