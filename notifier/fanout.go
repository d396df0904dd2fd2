package notifier

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"sankofa"
)

// Inbox keeps people's notifications; AddNotification is idempotent by
// the notification's Key.
type Inbox interface {
	AddNotification(ctx context.Context, n *sankofa.Notification) (bool, error)
	CountAlert(ctx context.Context, userID, day, assignmentID string) (int, error)
	UpdateNotification(ctx context.Context, userID, id, title, body string, data map[string]string) error
	PruneInbox(ctx context.Context, userID string, olderThan time.Time) error
}

// Directory reads the records a notification talks about.
type Directory interface {
	Account(ctx context.Context, id string) (*sankofa.Account, error)
	Assignment(ctx context.Context, id string) (*sankofa.Assignment, error)
	Offer(ctx context.Context, id string) (*sankofa.Offer, error)
	// Verifiers are the accounts that may verify a licence issued in
	// country: active admins and that country's active ministries.
	Verifiers(ctx context.Context, country string) ([]*sankofa.Account, error)
}

// Audience returns the account ids of the best-matching workers who opted
// in to alerts for a newly published assignment, best first, at most n.
type Audience func(ctx context.Context, a *sankofa.Assignment, n int) ([]string, error)

// FanoutConfig tunes new-assignment alerts.
type FanoutConfig struct {
	// AlertTop is how many best-matching workers are alerted (50).
	AlertTop int
	// AlertDailyCap is how many alerts a person gets a day before the
	// rest are folded into one digest (3).
	AlertDailyCap int
	// Retention is how long notifications are kept (90 days).
	Retention time.Duration
}

// Fanout turns domain events into notifications: it is the handler of the
// shared "notify" consumer. Every notification is keyed by the event (or,
// for alerts, by the assignment), so a redelivered event adds nothing.
type Fanout struct {
	inbox    Inbox
	dir      Directory
	audience Audience
	live     *Notifier
	cfg      FanoutConfig
	log      *slog.Logger
}

// NewFanout builds the notification handler. live may be nil (no live
// signals).
func NewFanout(inbox Inbox, dir Directory, audience Audience, live *Notifier, cfg FanoutConfig, log *slog.Logger) *Fanout {
	if cfg.AlertTop <= 0 {
		cfg.AlertTop = 50
	}
	if cfg.AlertDailyCap <= 0 {
		cfg.AlertDailyCap = 3
	}
	if cfg.Retention <= 0 {
		cfg.Retention = 90 * 24 * time.Hour
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Fanout{inbox: inbox, dir: dir, audience: audience, live: live, cfg: cfg, log: log}
}

// Handle notifies the people an event concerns.
func (f *Fanout) Handle(ctx context.Context, ev sankofa.Event) error {
	kind, action, _ := strings.Cut(strings.TrimPrefix(ev.Subject, "sankofa."), ".")
	switch kind {
	case "offer":
		var o sankofa.Offer
		if err := json.Unmarshal(ev.Data, &o); err != nil {
			return fmt.Errorf("%w: offer event %s: %v", ErrPermanent, ev.ID, err)
		}
		return f.offer(ctx, ev, action, &o)
	case "assignment":
		var a sankofa.Assignment
		if err := json.Unmarshal(ev.Data, &a); err != nil {
			return fmt.Errorf("%w: assignment event %s: %v", ErrPermanent, ev.ID, err)
		}
		return f.assignment(ctx, ev, action, &a)
	case "mission":
		return f.mission(ctx, ev, action)
	case "profile":
		if action != "verification_requested" && action != "verification_decided" {
			return nil
		}
		var v verificationEvent
		if err := json.Unmarshal(ev.Data, &v); err != nil {
			return fmt.Errorf("%w: profile event %s: %v", ErrPermanent, ev.ID, err)
		}
		return f.verification(ctx, ev, action, &v)
	}
	return nil
}

func (f *Fanout) offer(ctx context.Context, ev sankofa.Event, action string, o *sankofa.Offer) error {
	switch action {
	case "created", "accepted", "declined", "withdrawn", "expired":
	default:
		return nil // the saga's own steps (accepting, released) tell nobody
	}
	a, err := f.dir.Assignment(ctx, o.AssignmentID)
	if err != nil {
		return err
	}
	ministry, err := f.dir.Account(ctx, o.MinistryID)
	if err != nil {
		return err
	}
	worker, err := f.dir.Account(ctx, o.ProfessionalID)
	if sankofa.IsCode(err, sankofa.NotFound) {
		return nil // the professional erased their account: nobody to tell, nobody to name
	}
	if err != nil {
		return err
	}
	params := map[string]string{
		"assignment": a.Title, "country": a.Country, "ministry": orgName(ministry),
		"professional": worker.Name, "reason": o.Reason, "expires": o.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC"),
	}
	data := map[string]string{"offer_id": o.ID, "assignment_id": a.ID}
	switch action {
	case "created":
		return f.deliver(ctx, worker, sankofa.NoteOfferReceived, ev.ID, params, data)
	case "accepted":
		return f.deliver(ctx, ministry, sankofa.NoteOfferAccepted, ev.ID, params, data)
	case "declined":
		return f.deliver(ctx, ministry, sankofa.NoteOfferDeclined, ev.ID, params, data)
	case "withdrawn":
		return f.deliver(ctx, worker, sankofa.NoteOfferWithdrawn, ev.ID, params, data)
	case "expired":
		return errors.Join(
			f.deliver(ctx, worker, sankofa.NoteOfferExpired, ev.ID, params, data),
			f.deliver(ctx, ministry, sankofa.NoteOfferExpired, ev.ID, params, data))
	}
	return nil
}

func orgName(a *sankofa.Account) string {
	if a.Organization != "" {
		return a.Organization
	}
	return a.Name
}

func (f *Fanout) assignment(ctx context.Context, ev sankofa.Event, action string, a *sankofa.Assignment) error {
	switch action {
	case "published":
		return f.alert(ctx, a)
	case "interest":
		ministry, err := f.dir.Account(ctx, a.MinistryID)
		if err != nil {
			return err
		}
		worker, err := f.dir.Account(ctx, ev.ActorID)
		if sankofa.IsCode(err, sankofa.NotFound) {
			return nil // erased since: their name is not to be passed on
		}
		if err != nil {
			return err
		}
		return f.deliver(ctx, ministry, sankofa.NoteInterest, ev.ID,
			map[string]string{"assignment": a.Title, "professional": worker.Name},
			map[string]string{"assignment_id": a.ID, "profile_id": sankofa.ProfileIDFor(worker.ID)})
	case "closed", "cancelled":
		// Workers who accepted it must hear that it will not happen.
		stored, err := f.dir.Assignment(ctx, a.ID)
		if err != nil {
			return err
		}
		var errs []error
		for _, id := range stored.AcceptedOffers {
			o, err := f.dir.Offer(ctx, id)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			worker, err := f.dir.Account(ctx, o.ProfessionalID)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			errs = append(errs, f.deliver(ctx, worker, sankofa.NoteAssignmentDone, ev.ID,
				map[string]string{"assignment": a.Title, "status": action},
				map[string]string{"assignment_id": a.ID, "offer_id": o.ID}))
		}
		return errors.Join(errs...)
	}
	return nil
}

// alert tells the best-matching workers who opted in about a new
// assignment: at most one alert per assignment and person, and past the
// daily cap the alert joins the day's digest instead.
func (f *Fanout) alert(ctx context.Context, a *sankofa.Assignment) error {
	if f.audience == nil {
		return nil
	}
	ids, err := f.audience(ctx, a, f.cfg.AlertTop)
	if err != nil {
		return err
	}
	ministry, err := f.dir.Account(ctx, a.MinistryID)
	if err != nil {
		return err
	}
	params := map[string]string{"assignment": a.Title, "country": a.Country, "ministry": orgName(ministry)}
	data := map[string]string{"assignment_id": a.ID}
	day := time.Now().UTC().Format(time.DateOnly)
	var errs []error
	for _, id := range ids {
		worker, err := f.dir.Account(ctx, id)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		errs = append(errs, f.alertOne(ctx, worker, a, day, params, data))
	}
	return errors.Join(errs...)
}

func (f *Fanout) alertOne(ctx context.Context, worker *sankofa.Account, a *sankofa.Assignment, day string, params, data map[string]string) error {
	n, err := f.inbox.CountAlert(ctx, worker.ID, day, a.ID)
	if err != nil {
		return err
	}
	if n <= f.cfg.AlertDailyCap {
		return f.deliver(ctx, worker, sankofa.NoteAssignmentNew, "alert:"+a.ID, params, data)
	}
	// Past the cap: one digest a day, grown in place, signalled once.
	digest := &sankofa.Notification{UserID: worker.ID, Kind: sankofa.NoteAlertDigest, Key: "digest:" + day,
		Data: map[string]string{"assignment_ids": a.ID, "count": "1"}}
	digest.Title, digest.Body = Render(sankofa.NoteAlertDigest, worker.Locale, map[string]string{"count": "1"})
	added, err := f.inbox.AddNotification(ctx, digest)
	if err != nil {
		return err
	}
	if added {
		f.signal(worker.ID, digest.Seq)
		return nil
	}
	listed := strings.Split(digest.Data["assignment_ids"], ",")
	for _, id := range listed {
		if id == a.ID {
			return nil // a redelivered event: already folded in
		}
	}
	listed = append(listed, a.ID)
	count := strconv.Itoa(len(listed))
	title, body := Render(sankofa.NoteAlertDigest, worker.Locale, map[string]string{"count": count})
	return f.inbox.UpdateNotification(ctx, worker.ID, digest.ID, title, body,
		map[string]string{"assignment_ids": strings.Join(listed, ","), "count": count})
}

// deliver adds one notification in the recipient's language and signals
// it live.
func (f *Fanout) deliver(ctx context.Context, to *sankofa.Account, kind, key string, params, data map[string]string) error {
	n := &sankofa.Notification{UserID: to.ID, Kind: kind, Key: key, Data: data}
	n.Title, n.Body = Render(kind, to.Locale, params)
	added, err := f.inbox.AddNotification(ctx, n)
	if err != nil {
		return err
	}
	if !added {
		return nil
	}
	f.signal(to.ID, n.Seq)
	// Expired notifications go page by page; a new page is the moment to
	// look, so an inbox is pruned only as it grows.
	if n.Seq%pruneEvery == 1 {
		if err := f.inbox.PruneInbox(ctx, to.ID, time.Now().Add(-f.cfg.Retention)); err != nil {
			f.log.Warn("notifier: prune inbox", "user", to.ID, "err", err)
		}
	}
	return nil
}

// pruneEvery is how many notifications a person receives between prunes
// of their inbox.
const pruneEvery = 100

func (f *Fanout) signal(userID string, seq int64) {
	if f.live == nil {
		return
	}
	if err := f.live.Signal(userID, seq); err != nil {
		f.log.Warn("notifier: live signal", "user", userID, "err", err)
	}
}
