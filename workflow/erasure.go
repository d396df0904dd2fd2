package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"sankofa"
)

// ErasureStore keeps the records only an erasure reads or deletes.
type ErasureStore interface {
	BeginErasure(ctx context.Context, e *sankofa.Erasure) error
	Erasures(ctx context.Context) ([]*sankofa.Erasure, error)
	EndErasure(ctx context.Context, accountID string) error
	DeleteProfile(ctx context.Context, p *sankofa.Profile, ev sankofa.Event) (sankofa.PendingEvent, error)
	DeleteAccountRecords(ctx context.Context, a *sankofa.Account) error
	AssignmentsWithInterest(ctx context.Context, profileID string) ([]*sankofa.Assignment, error)
	RemoveFromShortlists(ctx context.Context, profileID string) error
	StaffAccounts(ctx context.Context) ([]*sankofa.Account, error)
	RedactNotifications(ctx context.Context, userID string, needles []string, redact func(n *sankofa.Notification)) (int, error)
	Shred(ctx context.Context) error
}

// EventPurger overwrites the stored events that hold any of needles.
type EventPurger interface {
	Purge(ctx context.Context, needles [][]byte) (int, error)
}

// IndexEraser takes an erased person out of the search index, files
// included.
type IndexEraser interface {
	RemoveAccount(accountID string) error
	EraseAccount(ctx context.Context, accountID, profileID string) error
}

// ExportEraser takes an erased person out of the files of FHIR Bulk Data
// exports.
type ExportEraser interface {
	EraseProfile(ctx context.Context, profileID string) error
}

// Erasure (GDPR Art. 17) runs in two parts.
//
//  1. Erase, before the request answers: the erasure is recorded, then the
//     person's own records are deleted (account, e-mail key, profile,
//     sessions, inbox, replayable responses, webhooks, shortlist entries)
//     and the records a ministry keeps (offers, interest) lose the person:
//     ids become sankofa.ErasedID and their texts go. From then on the
//     person cannot sign in, and the same e-mail registers a new person.
//  2. FinishErasures, in the background: the copies that are not records.
//     Other people's notifications that named them are rewritten, the
//     event and dead-letter streams' messages that hold them are
//     overwritten, the index's segments are rewritten, and the database's
//     write-ahead log is emptied. The erasure's record goes last.
//
// Every step is idempotent. A crash anywhere leaves the record, and the
// next start finishes the erasure from the beginning.

// Erase erases account a on behalf of actorID and returns once part 1 is
// done; part 2 follows in the background.
func (w *Workflow) Erase(ctx context.Context, a *sankofa.Account, actorID string) error {
	if w.d.Erasure == nil {
		return errors.New("workflow: erasure is not wired")
	}
	e := &sankofa.Erasure{AccountID: a.ID, Role: a.Role, ActorID: actorID, Email: sankofa.NormalizeEmail(a.Email),
		CreatedAt: w.now().UTC(), Needles: []string{a.ID, a.Email, sankofa.NormalizeEmail(a.Email), a.Name}}
	if a.Role == sankofa.RoleProfessional {
		e.ProfileID = sankofa.ProfileIDFor(a.ID)
		e.Needles = append(e.Needles, e.ProfileID)
		p, err := w.d.Profiles.Profile(ctx, e.ProfileID)
		if err != nil && !sankofa.IsCode(err, sankofa.NotFound) {
			return err
		}
		if p != nil {
			e.Needles = append(e.Needles, p.FullName)
			if p.Contact != nil {
				e.Needles = append(e.Needles, p.Contact.Email, p.Contact.Phone)
			}
		}
	}
	e.Needles = needles(e.Needles)
	if err := w.d.Erasure.BeginErasure(ctx, e); err != nil {
		return err
	}
	if err := w.eraseRecords(ctx, e, a, false); err != nil {
		return err
	}
	select {
	case w.erasing <- struct{}{}:
	default: // a pass is already due
	}
	return nil
}

// needles drops empty and repeated strings, and those too short to name
// anyone without also matching strangers.
func needles(in []string) []string {
	out := []string{}
	for _, s := range in {
		s = strings.TrimSpace(s)
		if len([]rune(s)) >= 4 && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// eraseRecords is part 1. finishing is set when it runs again in part 2,
// where an offer a live saga still holds makes it fail, to be tried again.
func (w *Workflow) eraseRecords(ctx context.Context, e *sankofa.Erasure, a *sankofa.Account, finishing bool) error {
	if err := w.eraseReports(ctx, e); err != nil {
		return err
	}
	if err := w.eraseOffers(ctx, e, finishing); err != nil {
		return err
	}
	if e.ProfileID != "" {
		if err := w.eraseInterest(ctx, e); err != nil {
			return err
		}
		if err := w.d.Erasure.RemoveFromShortlists(ctx, e.ProfileID); err != nil {
			return err
		}
		if err := w.eraseProfile(ctx, e); err != nil {
			return err
		}
	}
	if ix, ok := w.d.Index.(IndexEraser); ok {
		if err := ix.RemoveAccount(e.AccountID); err != nil {
			return err
		}
	}
	return w.d.Erasure.DeleteAccountRecords(ctx, a)
}

// eraseOffers takes the person out of the offers made to them. The
// ministry keeps when, what and how it ended; a pending offer ends as
// declined, since nobody is left to answer it.
func (w *Workflow) eraseOffers(ctx context.Context, e *sankofa.Erasure, finishing bool) error {
	if e.Role != sankofa.RoleProfessional {
		return nil
	}
	var held []string
	cursor := ""
	for {
		page, err := w.d.Index.Offers(ctx, sankofa.OfferFilter{ProfessionalID: e.AccountID, Cursor: cursor, Limit: sankofa.MaxPageSize})
		if err != nil {
			return err
		}
		for _, id := range page.IDs {
			err := retryStale(func() error {
				o, err := w.d.Offers.Offer(ctx, id)
				if err != nil || o.Erased {
					return err
				}
				if o.Lease != nil && w.sagaMayRun(o.Lease) {
					held = append(held, id)
					return nil
				}
				n := *o
				n.ProfileID, n.ProfessionalID, n.Message, n.Reason, n.Erased = sankofa.ErasedID, sankofa.ErasedID, "", "", true
				if n.Status == sankofa.OfferPending {
					n.Status = sankofa.OfferDeclined
				}
				n.Lease = nil
				n.Version++
				n.UpdatedAt = w.now().UTC()
				return w.saveOffer(ctx, &n, "erased", e.ActorID)
			})
			if err != nil && !sankofa.IsCode(err, sankofa.NotFound) {
				return err
			}
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	if finishing && len(held) > 0 {
		return fmt.Errorf("workflow: erase %s: offers %v are being accepted; trying again", e.AccountID, held)
	}
	return nil
}

// eraseInterest keeps, in each assignment, that someone was interested
// and when, not who.
func (w *Workflow) eraseInterest(ctx context.Context, e *sankofa.Erasure) error {
	list, err := w.d.Erasure.AssignmentsWithInterest(ctx, e.ProfileID)
	if err != nil {
		return err
	}
	for _, found := range list {
		err := retryStale(func() error {
			a, err := w.d.Assignments.Assignment(ctx, found.ID)
			if err != nil {
				return err
			}
			n := *a
			n.Interested = slices.Clone(a.Interested)
			changed := false
			for i, in := range n.Interested {
				if in.ProfileID == e.ProfileID {
					n.Interested[i] = sankofa.Interest{ProfileID: sankofa.ErasedID, At: in.At}
					changed = true
				}
			}
			if !changed {
				return nil
			}
			n.Version++
			n.UpdatedAt = w.now().UTC()
			return w.saveAssignment(ctx, &n, "interest_erased", e.ActorID)
		})
		if err != nil && !sankofa.IsCode(err, sankofa.NotFound) {
			return err
		}
	}
	return nil
}

// eraseProfile replaces the profile by a tombstone that holds ids only.
func (w *Workflow) eraseProfile(ctx context.Context, e *sankofa.Erasure) error {
	return retryStale(func() error {
		p, err := w.d.Profiles.Profile(ctx, e.ProfileID)
		if sankofa.IsCode(err, sankofa.NotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		ev, err := sankofa.NewEvent("profile", "deleted", p.ID, p.Version+1, e.ActorID, w.now(),
			map[string]string{"id": p.ID, "account_id": p.AccountID})
		if err != nil {
			return err
		}
		pe, err := w.d.Erasure.DeleteProfile(ctx, p, ev)
		if err != nil {
			return err
		}
		w.dispatcher.After(ctx, pe)
		return nil
	})
}

// erasureRetry is how long a failed erasure waits before it is tried
// again; a pass also runs whenever a new erasure is recorded.
const erasureRetry = time.Minute

// RunErasures finishes every recorded erasure, at start and whenever one
// is recorded, until ctx ends.
func (w *Workflow) RunErasures(ctx context.Context) {
	t := time.NewTicker(erasureRetry)
	defer t.Stop()
	// A run killed after an erasure ended but before the write-ahead log
	// was emptied left earlier page images there.
	if w.d.Erasure != nil {
		if err := w.d.Erasure.Shred(ctx); err != nil && ctx.Err() == nil {
			w.log.Warn("empty the database's write-ahead log", "err", err)
		}
	}
	for {
		if err := w.FinishErasures(ctx); err != nil && ctx.Err() == nil {
			w.log.Warn("erasure not finished; it will be tried again", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-w.erasing:
		case <-t.C:
		}
	}
}

// FinishErasures runs part 2 of every recorded erasure.
func (w *Workflow) FinishErasures(ctx context.Context) error {
	if w.d.Erasure == nil {
		return nil
	}
	list, err := w.d.Erasure.Erasures(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range list {
		if err := w.finishErasure(ctx, e); err != nil {
			errs = append(errs, fmt.Errorf("erase %s: %w", e.AccountID, err))
		}
	}
	return errors.Join(errs...)
}

// ErasuresPending counts the erasures whose part 2 has not finished.
func (w *Workflow) ErasuresPending(ctx context.Context) (int, error) {
	if w.d.Erasure == nil {
		return 0, nil
	}
	list, err := w.d.Erasure.Erasures(ctx)
	return len(list), err
}

func (w *Workflow) finishErasure(ctx context.Context, e *sankofa.Erasure) error {
	start := time.Now()
	// Again: an offer indexed late, or a record part 1 did not reach
	// before a crash.
	a, err := w.d.Accounts.Account(ctx, e.AccountID)
	if sankofa.IsCode(err, sankofa.NotFound) {
		a, err = &sankofa.Account{ID: e.AccountID, Email: e.Email, Role: e.Role}, nil
	}
	if err != nil {
		return err
	}
	if err := w.eraseRecords(ctx, e, a, true); err != nil {
		return err
	}
	var raw [][]byte
	for _, n := range e.Needles {
		raw = append(raw, []byte(n))
		if j, err := json.Marshal(n); err == nil && string(j[1:len(j)-1]) != n {
			raw = append(raw, j[1:len(j)-1]) // as it appears inside a JSON payload
		}
	}
	erased := 0
	if w.d.Purger != nil {
		if erased, err = w.d.Purger.Purge(ctx, raw); err != nil {
			return err
		}
	}
	// Replicas rewrite their own index when this event reaches them; this
	// one does it now. The event names ids only.
	ev, err := sankofa.NewEvent("account", "erased", e.AccountID, 0, e.ActorID, w.now(), map[string]string{"id": e.AccountID, "profile_id": e.ProfileID})
	if err != nil {
		return err
	}
	ev.ID = e.AccountID + ":erased"
	if err := w.d.Events.Publish(ctx, ev); err != nil {
		return err
	}
	if ix, ok := w.d.Index.(IndexEraser); ok {
		if err := ix.EraseAccount(ctx, e.AccountID, e.ProfileID); err != nil {
			return err
		}
	}
	// The profile is gone from the store, so no export writes it again.
	if w.d.Exports != nil && e.ProfileID != "" {
		if err := w.d.Exports.EraseProfile(ctx, e.ProfileID); err != nil {
			return err
		}
	}
	// Last, after the consumers had the time of the merge to deliver what
	// they held: other people's notifications that named the person.
	redacted, err := w.redactNotifications(ctx, e)
	if err != nil {
		return err
	}
	if err := w.d.Erasure.EndErasure(ctx, e.AccountID); err != nil {
		return err
	}
	if err := w.d.Erasure.Shred(ctx); err != nil {
		return err
	}
	w.log.Info("erasure finished", "account", e.AccountID, "events_overwritten", erased,
		"notifications_redacted", redacted, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// redactNotifications rewrites the notifications of ministries and admins
// that named the person. Professionals' notifications never name another
// professional, so theirs are not read.
func (w *Workflow) redactNotifications(ctx context.Context, e *sankofa.Erasure) (int, error) {
	staff, err := w.d.Erasure.StaffAccounts(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, to := range staff {
		if to.ID == e.AccountID {
			continue
		}
		title, body := sankofa.ErasedNotice(to.Locale)
		n, err := w.d.Erasure.RedactNotifications(ctx, to.ID, e.Needles, func(n *sankofa.Notification) {
			n.Title, n.Body = title, body
			data := map[string]string{}
			for k, v := range n.Data {
				if k != "profile_id" && k != "licence_id" {
					data[k] = v
				}
			}
			n.Data = data
		})
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}
