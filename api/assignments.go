package api

import (
	"context"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"sankofa"
	"sankofa/workflow"
)

// handleCreateAssignment creates a draft assignment for the caller's
// ministry, in the ministry's own country.
func (s *Server) handleCreateAssignment() echo.HandlerFunc {
	return func(c echo.Context) error {
		in := sankofa.NewAssignmentInput()
		if err := bind(c, &in); err != nil {
			return err
		}
		in.Normalize()
		if err := in.ValidateNew(s.today()); err != nil {
			return err
		}
		me := principal(c)
		now := s.now().UTC()
		a := &sankofa.Assignment{
			ID:              sankofa.NewID("asg"),
			MinistryID:      me.ID,
			Country:         me.Country,
			Organization:    me.Organization,
			AssignmentInput: in,
			Status:          sankofa.AssignmentDraft,
			Version:         1,
			CreatedAt:       now,
			UpdatedAt:       now,
		}
		c.Response().Header().Set(echo.HeaderLocation, "/v1/assignments/"+a.ID)
		return s.saveAssignment(c, a, "created", http.StatusCreated)
	}
}

func (s *Server) saveAssignment(c echo.Context, a *sankofa.Assignment, action string, status int) error {
	ctx := c.Request().Context()
	ev, err := s.event(c, "assignment", action, a.ID, a.Version, a)
	if err != nil {
		return err
	}
	var pe sankofa.PendingEvent
	if a.Version == 1 {
		pe, err = s.deps.Assignments.CreateAssignment(ctx, a, ev)
	} else {
		pe, err = s.deps.Assignments.UpdateAssignment(ctx, a, ev)
	}
	if err != nil {
		return err
	}
	s.dispatcher.After(ctx, pe)
	c.Response().Header().Set("ETag", etag(a.Version))
	return c.JSON(status, a)
}

// visible reports whether the caller may see an assignment: open ones are
// public to signed-in users; others only to their ministry and admins.
func visible(me *sankofa.Account, a *sankofa.Assignment) bool {
	return a.Status == sankofa.AssignmentOpen || me.Role == sankofa.RoleAdmin || a.MinistryID == me.ID
}

// loadAssignment fetches an assignment the caller may see; one they may not
// see is not found.
func (s *Server) loadAssignment(c echo.Context) (*sankofa.Assignment, error) {
	a, err := s.deps.Assignments.Assignment(c.Request().Context(), c.Param("id"))
	if err != nil {
		return nil, err
	}
	if !visible(principal(c), a) {
		return nil, sankofa.Errorf(sankofa.NotFound, "assignment not found")
	}
	return a, nil
}

// handleGetAssignment returns one assignment.
func (s *Server) handleGetAssignment() echo.HandlerFunc {
	return func(c echo.Context) error {
		a, err := s.loadAssignment(c)
		if err != nil {
			return err
		}
		c.Response().Header().Set("ETag", etag(a.Version))
		return c.JSON(http.StatusOK, a)
	}
}

// ownAssignment fetches an assignment the caller's ministry owns (admins
// pass when adminToo); anyone else gets not_found or forbidden.
func (s *Server) ownAssignment(c echo.Context, adminToo bool) (*sankofa.Assignment, error) {
	a, err := s.loadAssignment(c)
	if err != nil {
		return nil, err
	}
	me := principal(c)
	if a.MinistryID != me.ID && !(adminToo && me.Role == sankofa.RoleAdmin) {
		return nil, sankofa.Errorf(sankofa.Forbidden, "only the ministry that posted this assignment may do this")
	}
	return a, nil
}

// handlePatchAssignment applies a JSON merge patch to an assignment that
// is still a draft or open; If-Match is required.
func (s *Server) handlePatchAssignment() echo.HandlerFunc {
	return func(c echo.Context) error {
		a, err := s.ownAssignment(c, false)
		if err != nil {
			return err
		}
		if err := checkIfMatch(c, a.Version, true); err != nil {
			return err
		}
		if !a.Status.Editable() {
			return sankofa.Errorf(sankofa.Conflict, "an assignment that is %s can no longer be changed", a.Status)
		}
		body, err := readBody(c)
		if err != nil {
			return err
		}
		in, err := applyPatch(a.AssignmentInput, body)
		if err != nil {
			return err
		}
		in.Normalize()
		if err := in.Validate(s.today()); err != nil {
			return err
		}
		if in.Positions < a.Filled {
			return invalidField("positions", fmt.Sprintf("cannot be fewer than the %d offers already accepted", a.Filled))
		}
		a.AssignmentInput = in
		a.Version++
		a.UpdatedAt = s.now().UTC()
		if a.Status != sankofa.AssignmentOpen || a.Filled < a.Positions {
			return s.saveAssignment(c, a, "updated", http.StatusOK)
		}
		// Fewer positions, all taken: the assignment is filled.
		a.Status = sankofa.AssignmentFilled
		if err := s.saveAssignment(c, a, "filled", http.StatusOK); err != nil {
			return err
		}
		s.withdrawPending(c, a.ID, "all positions are filled")
		return nil
	}
}

// handleTransition moves an assignment through its life cycle; an illegal
// move is a conflict. Without If-Match the caller asks for the move
// whatever the version, so a write that lost a race (an acceptance taking
// a position meanwhile) is tried again on the fresh assignment rather
// than answered 412.
func (s *Server) handleTransition(t sankofa.Transition) echo.HandlerFunc {
	action := map[sankofa.Transition]string{sankofa.Publish: "published", sankofa.Close: "closed", sankofa.Cancel: "cancelled"}[t]
	return func(c echo.Context) error {
		conditional := c.Request().Header.Get("If-Match") != ""
		var err error
		for range transitionAttempts {
			err = s.transition(c, t, action)
			if conditional || !sankofa.IsCode(err, sankofa.PreconditionFailed) {
				return err
			}
		}
		return err
	}
}

// transitionAttempts bounds the retries of an unconditional transition.
const transitionAttempts = 8

func (s *Server) transition(c echo.Context, t sankofa.Transition, action string) error {
	a, err := s.ownAssignment(c, t != sankofa.Publish)
	if err != nil {
		return err
	}
	if err := checkIfMatch(c, a.Version, false); err != nil {
		return err
	}
	next, err := a.Status.Next(t)
	if err != nil {
		return err
	}
	if t == sankofa.Publish {
		if _, ok := a.End.Time(); ok && a.End < s.today() {
			return sankofa.Errorf(sankofa.Conflict, "the assignment ended on %s; change its dates before publishing", a.End)
		}
		if err := a.ValidateNew(s.today()); err != nil {
			return err
		}
	}
	a.Status = next
	a.Version++
	a.UpdatedAt = s.now().UTC()
	if err := s.saveAssignment(c, a, action, http.StatusOK); err != nil {
		return err
	}
	if next == sankofa.AssignmentClosed || next == sankofa.AssignmentCancelled {
		// Its pending offers can no longer be accepted; the workflow
		// consumer would get there too, this is sooner.
		s.withdrawPending(c, a.ID, "the assignment was "+action)
	}
	return nil
}

// handleListAssignments lists the assignments the caller may see, newest
// first, filtered by the query.
func (s *Server) handleListAssignments() echo.HandlerFunc {
	return func(c echo.Context) error {
		limit, cursor, err := pageParams(c)
		if err != nil {
			return err
		}
		q := c.QueryParams()
		f := sankofa.AssignmentFilter{
			Status:      sankofa.AssignmentStatus(q.Get("status")),
			Country:     q.Get("country"),
			Profession:  q.Get("profession"),
			Mode:        sankofa.Mode(q.Get("mode")),
			StartsAfter: sankofa.Date(q.Get("starts_after")),
			Limit:       limit,
			Cursor:      cursor,
		}
		var p sankofa.Problems
		switch f.Status {
		case "", sankofa.AssignmentDraft, sankofa.AssignmentOpen, sankofa.AssignmentFilled, sankofa.AssignmentClosed, sankofa.AssignmentCancelled:
		default:
			p.Add("status", "must be draft, open, filled, closed or cancelled")
		}
		if f.Country != "" && !sankofa.ValidCountry(f.Country) {
			p.Add("country", "must be an ISO 3166-1 alpha-2 country code")
		}
		if _, ok := sankofa.Occupations[f.Profession]; f.Profession != "" && !ok {
			p.Add("profession", "must be an ISCO-08 health occupation code")
		}
		switch f.Mode {
		case "", sankofa.ModeOnsite, sankofa.ModeVirtual, sankofa.ModeHybrid:
		default:
			p.Add("mode", "must be onsite, virtual or hybrid")
		}
		if _, ok := f.StartsAfter.Time(); f.StartsAfter != "" && !ok {
			p.Add("starts_after", "must be a date as YYYY-MM-DD")
		}
		if err := p.Err(); err != nil {
			return err
		}
		me := principal(c)
		switch me.Role {
		case sankofa.RoleAdmin:
			f.All = true
		case sankofa.RoleMinistry:
			f.OwnerID = me.ID
		}
		ctx := c.Request().Context()
		// The page comes whole from the index's snapshots: twenty database
		// reads would cost more than the search.
		listed, next, err := s.deps.Index.AssignmentList(ctx, f)
		if err != nil {
			return err
		}
		items := make([]*sankofa.Assignment, 0, len(listed))
		for _, a := range listed {
			if visible(me, a) {
				items = append(items, a)
			}
		}
		return c.JSON(http.StatusOK, newList(items, next))
	}
}

// withdrawPending withdraws the assignment's pending offers now, on a
// context of its own. A failure is only logged: the workflow consumer does
// the same from the assignment's event and retries.
func (s *Server) withdrawPending(c echo.Context, assignmentID, reason string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request().Context()), workflow.SagaTimeout)
	defer cancel()
	if err := s.flow.WithdrawPending(ctx, assignmentID, reason); err != nil {
		s.log.WarnContext(ctx, "withdraw pending offers", "assignment", assignmentID, "err", err)
	}
}
