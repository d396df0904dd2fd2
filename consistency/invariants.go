package consistency

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"sankofa"
)

// snapshot is what the checker keeps of the store: little of each
// profile, since there may be a million.
type snapshot struct {
	accounts    map[string]int64 // id: version
	profiles    map[string]*profileView
	deleted     map[string]int64 // profile tombstones: id: version
	assignments map[string]*sankofa.Assignment
	offers      map[string]*sankofa.Offer
}

type profileView struct {
	version     int64
	commitments []sankofa.Commitment
}

func load(ctx context.Context, st Store, r *Report) (*snapshot, error) {
	s := &snapshot{accounts: map[string]int64{}, profiles: map[string]*profileView{}, deleted: map[string]int64{},
		assignments: map[string]*sankofa.Assignment{}, offers: map[string]*sankofa.Offer{}}
	err := st.EachAccount(ctx, func(a *sankofa.Account) error { s.accounts[a.ID] = a.Version; return nil })
	if err != nil {
		return nil, fmt.Errorf("consistency: read accounts: %w", err)
	}
	err = st.EachProfile(ctx, func(p *sankofa.Profile) error {
		s.profiles[p.ID] = &profileView{version: p.Version, commitments: p.Commitments}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("consistency: read profiles: %w", err)
	}
	err = st.EachDeletedProfile(ctx, func(id string, v int64) error { s.deleted[id] = v; return nil })
	if err != nil {
		return nil, fmt.Errorf("consistency: read deleted profiles: %w", err)
	}
	err = st.EachAssignment(ctx, func(a *sankofa.Assignment) error {
		a.Interested = nil // not checked; can be long
		s.assignments[a.ID] = a
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("consistency: read assignments: %w", err)
	}
	err = st.EachOffer(ctx, func(o *sankofa.Offer) error {
		o.Message = ""
		s.offers[o.ID] = o
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("consistency: read offers: %w", err)
	}
	r.Counts.Accounts, r.Counts.Profiles = len(s.accounts), len(s.profiles)
	r.Counts.Assignments, r.Counts.Offers = len(s.assignments), len(s.offers)
	return s, nil
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// checkFilled: filled = accepted offers = len(accepted_offers) <= positions,
// and the status agrees with the count.
func checkFilled(s *snapshot, r *Report) {
	accepted := map[string][]string{} // assignment: accepted offers
	for _, id := range sortedKeys(s.offers) {
		o := s.offers[id]
		if o.Status != sankofa.OfferAccepted {
			continue
		}
		if _, ok := s.assignments[o.AssignmentID]; !ok {
			r.add(Filled, "offer is accepted for an assignment that does not exist", o.ID, o.AssignmentID)
			continue
		}
		accepted[o.AssignmentID] = append(accepted[o.AssignmentID], o.ID)
	}
	for _, id := range sortedKeys(s.assignments) {
		a := s.assignments[id]
		got := accepted[id]
		if a.Filled != len(got) || a.Filled != len(a.AcceptedOffers) {
			r.add(Filled, fmt.Sprintf("assignment has filled %d, but %d accepted offers and %d in accepted_offers", a.Filled, len(got), len(a.AcceptedOffers)), a.ID)
		}
		if a.Filled > a.Positions {
			r.add(Filled, fmt.Sprintf("assignment has filled %d of %d positions", a.Filled, a.Positions), a.ID)
		}
		switch {
		case a.Status == sankofa.AssignmentFilled && a.Filled < a.Positions:
			r.add(Filled, fmt.Sprintf("assignment is filled with %d of %d positions taken", a.Filled, a.Positions), a.ID)
		case a.Status == sankofa.AssignmentOpen && a.Positions > 0 && a.Filled >= a.Positions:
			r.add(Filled, fmt.Sprintf("assignment is open with %d of %d positions taken", a.Filled, a.Positions), a.ID)
		}
		seen := map[string]bool{}
		for _, oid := range a.AcceptedOffers {
			if seen[oid] {
				r.add(Filled, "accepted_offers lists an offer twice", a.ID, oid)
				continue
			}
			seen[oid] = true
			o, ok := s.offers[oid]
			switch {
			case !ok:
				r.add(Filled, "accepted_offers lists an offer that does not exist", a.ID, oid)
			case o.AssignmentID != a.ID:
				r.add(Filled, "accepted_offers lists an offer of another assignment", a.ID, oid, o.AssignmentID)
			case o.Status != sankofa.OfferAccepted:
				r.add(Filled, fmt.Sprintf("accepted_offers lists an offer that is %s", o.Status), a.ID, oid)
			}
		}
		for _, oid := range got {
			if !seen[oid] {
				r.add(Filled, "offer is accepted but missing from its assignment's accepted_offers", a.ID, oid)
			}
		}
	}
}

// checkBookings: every accepted offer has exactly one booking on its
// worker's profile, and every booking has its offer, accepted.
func checkBookings(s *snapshot, r *Report) {
	for _, id := range sortedKeys(s.offers) {
		o := s.offers[id]
		if o.Status != sankofa.OfferAccepted {
			continue
		}
		p, ok := s.profiles[o.ProfileID]
		if !ok {
			why := "accepted offer has no booking: its worker's profile does not exist"
			if _, gone := s.deleted[o.ProfileID]; gone {
				why = "accepted offer has no booking: its worker's profile was deleted"
			}
			r.add(Booking, why, o.ID, o.ProfileID)
			continue
		}
		n := 0
		for _, c := range p.commitments {
			if c.OfferID == o.ID {
				n++
			}
		}
		if n != 1 {
			r.add(Booking, fmt.Sprintf("accepted offer has %d bookings on its worker's profile", n), o.ID, o.ProfileID)
		}
	}
	for _, pid := range sortedKeys(s.profiles) {
		for _, c := range s.profiles[pid].commitments {
			o, ok := s.offers[c.OfferID]
			switch {
			case !ok:
				r.add(Booking, "profile has a booking for an offer that does not exist", pid, c.OfferID)
			case o.ProfileID != pid:
				r.add(Booking, "profile has a booking for another worker's offer", pid, c.OfferID, o.ProfileID)
			case o.Status != sankofa.OfferAccepted:
				r.add(Booking, fmt.Sprintf("profile has a booking for an offer that is %s", o.Status), pid, c.OfferID)
			case c.AssignmentID != o.AssignmentID:
				r.add(Booking, "booking names another assignment than its offer", pid, c.OfferID, c.AssignmentID, o.AssignmentID)
			}
		}
	}
}

// onsite says whether a booking takes the worker's days, as matcher.Free
// decides when it cuts commitments out of availability.
func onsite(m sankofa.Mode) bool { return m == sankofa.ModeOnsite || m == sankofa.ModeHybrid }

// checkOverlaps: no worker has two on-site bookings on a common day. Days
// are inclusive, as in matcher's cutOut, and ISO dates compare as strings.
func checkOverlaps(s *snapshot, r *Report) {
	for _, pid := range sortedKeys(s.profiles) {
		cs := s.profiles[pid].commitments
		for i, a := range cs {
			if !onsite(a.Terms.Mode) {
				continue
			}
			for _, b := range cs[i+1:] {
				if onsite(b.Terms.Mode) && a.Terms.Start <= b.Terms.End && b.Terms.Start <= a.Terms.End {
					r.add(Overlap, fmt.Sprintf("worker has overlapping on-site bookings, %s to %s and %s to %s",
						a.Terms.Start, a.Terms.End, b.Terms.Start, b.Terms.End), pid, a.OfferID, b.OfferID)
				}
			}
		}
	}
}

// checkPending: no offer is pending on an assignment that takes no more
// acceptances.
func checkPending(s *snapshot, r *Report) {
	for _, id := range sortedKeys(s.offers) {
		o := s.offers[id]
		if o.Status != sankofa.OfferPending {
			continue
		}
		a, ok := s.assignments[o.AssignmentID]
		if !ok {
			continue
		}
		switch a.Status {
		case sankofa.AssignmentFilled, sankofa.AssignmentClosed, sankofa.AssignmentCancelled:
			r.add(PendingOffer, fmt.Sprintf("offer is pending on an assignment that is %s", a.Status), o.ID, a.ID)
		}
	}
}

// checkIndex: every index entry has the store's version, every stored
// entity is indexed, and no deleted profile is.
func checkIndex(ctx context.Context, ix Index, s *snapshot, r *Report) error {
	stored := map[string]map[string]int64{
		"accounts":    s.accounts,
		"profiles":    {},
		"assignments": {},
		"offers":      {},
	}
	for id, p := range s.profiles {
		stored["profiles"][id] = p.version
	}
	for id, a := range s.assignments {
		stored["assignments"][id] = a.Version
	}
	for id, o := range s.offers {
		stored["offers"][id] = o.Version
	}
	for _, kind := range []string{"accounts", "profiles", "assignments", "offers"} {
		want := stored[kind]
		seen := make(map[string]bool, len(want))
		err := ix.Versions(ctx, kind, func(id string, v int64) error {
			seen[id] = true
			sv, ok := want[id]
			switch {
			case ok && sv != v:
				r.add(IndexVersion, fmt.Sprintf("the %s index holds version %d, the store %d", kind, v, sv), id)
			case !ok && kind == "profiles" && s.deleted[id] > 0:
				r.add(IndexVersion, fmt.Sprintf("the profiles index still holds a profile deleted at version %d", s.deleted[id]), id)
			case !ok:
				r.add(IndexVersion, fmt.Sprintf("the %s index holds an entry the store does not have", kind), id)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("consistency: read the %s index: %w", kind, err)
		}
		for _, id := range sortedKeys(want) {
			if !seen[id] {
				r.add(IndexVersion, fmt.Sprintf("the %s index lacks an entry the store has at version %d", kind, want[id]), id)
			}
		}
	}
	return nil
}

// recipients says who the notify consumer tells of each offer event (see
// notifier.Fanout.offer), keyed by the event id.
var recipients = map[string][]string{
	"created":   {"worker"},
	"accepted":  {"ministry"},
	"declined":  {"ministry"},
	"withdrawn": {"worker"},
	"expired":   {"worker", "ministry"},
}

type inboxView struct {
	oldestPage int64
	keys       map[string]int64 // key: seq
	// bySeq holds the stored notifications' keys; earliest is the
	// oldest one kept.
	bySeq    map[int64]string
	earliest time.Time
}

// checkNotifications: no inbox holds a key twice, every key has its
// notification, and every offer event the notify consumer handled has
// its recipients' notifications.
func checkNotifications(ctx context.Context, src Source, s *snapshot, r *Report) error {
	inboxes := map[string]*inboxView{}
	inbox := func(user string) *inboxView {
		v := inboxes[user]
		if v == nil {
			v = &inboxView{keys: map[string]int64{}, bySeq: map[int64]string{}}
			inboxes[user] = v
		}
		return v
	}
	err := src.Inboxes.EachInboxHead(ctx, func(user string, _, oldestPage int64) error {
		inbox(user).oldestPage = oldestPage
		return nil
	})
	if err != nil {
		return fmt.Errorf("consistency: read inboxes: %w", err)
	}
	err = src.Inboxes.EachInboxKey(ctx, func(user, key string, seq int64) error {
		inbox(user).keys[key] = seq
		return nil
	})
	if err != nil {
		return fmt.Errorf("consistency: read inbox keys: %w", err)
	}
	type userKey struct{ user, key string }
	seqsOf := map[userKey][]int64{}
	err = src.Inboxes.EachNotification(ctx, func(n *sankofa.Notification) error {
		r.Counts.Notifications++
		v := inbox(n.UserID)
		v.bySeq[n.Seq] = n.Key
		if v.earliest.IsZero() || n.CreatedAt.Before(v.earliest) {
			v.earliest = n.CreatedAt
		}
		if n.Key != "" {
			k := userKey{n.UserID, n.Key}
			seqsOf[k] = append(seqsOf[k], n.Seq)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("consistency: read notifications: %w", err)
	}
	for _, k := range slices.SortedFunc(maps.Keys(seqsOf), func(a, b userKey) int {
		return strings.Compare(a.user+"|"+a.key, b.user+"|"+b.key)
	}) {
		seqs := seqsOf[k]
		if len(seqs) > 1 {
			slices.Sort(seqs)
			r.add(Notification, fmt.Sprintf("inbox holds key %q %d times, as seq %s", k.key, len(seqs), joinInts(seqs)), k.user, k.key)
		}
		if want, ok := inboxes[k.user].keys[k.key]; !ok {
			r.add(Notification, fmt.Sprintf("notification with key %q (seq %d) has no key record", k.key, seqs[0]), k.user, k.key)
		} else if !slices.Contains(seqs, want) {
			r.add(Notification, fmt.Sprintf("key %q was given seq %d, but its notification is seq %s", k.key, want, joinInts(seqs)), k.user, k.key)
		}
	}
	for _, user := range sortedKeys(inboxes) {
		v := inboxes[user]
		for _, key := range sortedKeys(v.keys) {
			seq := v.keys[key]
			if (seq-1)/inboxPageSize < v.oldestPage {
				continue // its page was pruned
			}
			if _, ok := v.bySeq[seq]; !ok {
				r.add(Notification, fmt.Sprintf("key %q was given seq %d, but no notification is stored there", key, seq), user, key)
			}
		}
	}
	if src.Bus == nil {
		r.Skipped = append(r.Skipped, Notification+": handled offer events not checked: no event bus to read")
		return nil
	}
	dead, err := deadLettered(ctx, src.Bus)
	if err != nil {
		return err
	}
	if len(dead) > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("%d events were dead-lettered by the %s consumer; their notifications are not expected", len(dead), NotifyConsumer))
	}
	err = src.Bus.HandledEvents(ctx, NotifyConsumer, func(ev sankofa.Event) error {
		kind, action, _ := strings.Cut(strings.TrimPrefix(ev.Subject, "sankofa."), ".")
		who := recipients[action]
		if kind != "offer" || len(who) == 0 || dead[ev.ID] {
			return nil
		}
		var o sankofa.Offer
		if err := json.Unmarshal(ev.Data, &o); err != nil {
			r.add(Notification, "handled offer event cannot be read: "+err.Error(), ev.ID)
			return nil
		}
		r.Counts.HandledEvents++
		for _, role := range who {
			user := o.ProfessionalID
			if role == "ministry" {
				user = o.MinistryID
			}
			v := inboxes[user]
			if v != nil {
				if _, ok := v.keys[ev.ID]; ok {
					continue
				}
				if v.oldestPage > 0 && ev.At.Before(v.earliest) {
					continue // pruned with its page
				}
			}
			r.add(Notification, fmt.Sprintf("%s was handled, but the %s has no notification of it", ev.Subject, role), ev.ID, o.ID, user)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("consistency: read handled events: %w", err)
	}
	return nil
}

// inboxPageSize is store's: the pages of an inbox hold 100 notifications,
// seq 1 to 100 in page 0. Only pruned pages are told apart with it.
const inboxPageSize = 100

// maxDeadLetters bounds the dead letters read.
const maxDeadLetters = 100_000

// deadLettered returns the ids of the events the notify consumer gave up
// on.
func deadLettered(ctx context.Context, bus Bus) (map[string]bool, error) {
	dls, err := bus.DeadLetters(ctx, maxDeadLetters)
	if err != nil {
		return nil, fmt.Errorf("consistency: read dead letters: %w", err)
	}
	out := map[string]bool{}
	for _, d := range dls {
		if d.Consumer != NotifyConsumer {
			continue
		}
		var ev sankofa.Event
		if json.Unmarshal(d.Event, &ev) == nil && ev.ID != "" {
			out[ev.ID] = true
		}
	}
	return out, nil
}

func joinInts(xs []int64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.FormatInt(x, 10)
	}
	return strings.Join(s, ", ")
}
