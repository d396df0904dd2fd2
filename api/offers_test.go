package api_test

import (
	"testing"
	"time"

	"sankofa"
)

type offerBody struct {
	sankofa.Offer
	Contact *struct {
		Name, Organization, Email, Phone string
	} `json:"contact"`
}

type offerList struct {
	Items      []offerBody `json:"items"`
	NextCursor *string     `json:"next_cursor"`
}

func (e *env) publishedAssignment(t testing.TB, token string, edit func(*sankofa.AssignmentInput)) sankofa.Assignment {
	t.Helper()
	in := e.assignmentInput()
	if edit != nil {
		edit(&in)
	}
	var a sankofa.Assignment
	e.must(t, 201, req{Method: "POST", Path: "/v1/assignments", Token: token, Body: in}).JSON(t, &a)
	e.must(t, 200, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/publish", Token: token}).JSON(t, &a)
	return a
}

func (e *env) offer(t testing.TB, token, assignmentID string, worker sankofa.Account, want int) offerBody {
	t.Helper()
	var o offerBody
	r := e.must(t, want, req{Method: "POST", Path: "/v1/assignments/" + assignmentID + "/offers", Token: token,
		Body: map[string]any{"profile_id": sankofa.ProfileIDFor(worker.ID), "message": "Will you come?"}})
	if want == 201 {
		r.JSON(t, &o)
	}
	return o
}

func TestOffers_LifeCycle(t *testing.T) {
	e := newEnv(t)
	gh, ghTok := e.Ministry(t, "GH", false)
	_, otherTok := e.Ministry(t, "GH", false)
	a := e.publishedAssignment(t, ghTok, nil) // two positions
	ama, amaTok := e.worker(t, func(*sankofa.ProfileInput) {})
	kofi, kofiTok := e.worker(t, func(*sankofa.ProfileInput) {})
	esi, esiTok := e.worker(t, func(*sankofa.ProfileInput) {})
	yaw, yawTok := e.worker(t, func(*sankofa.ProfileInput) {})
	weak, _ := e.worker(t, func(p *sankofa.ProfileInput) { p.Languages = []sankofa.Language{{Code: "en", Level: "A2"}} })

	o := e.offer(t, ghTok, a.ID, ama, 201)
	if o.Status != sankofa.OfferPending || o.Terms.Start != a.Start || o.Terms.Mode != a.Mode || o.Contact != nil {
		t.Fatalf("new offer = %+v", o)
	}
	if !o.ExpiresAt.Equal(e.Now.Now().UTC().Add(sankofa.DefaultOfferLifetime).Truncate(time.Millisecond)) && o.ExpiresAt.Sub(e.Now.Now()) < 6*24*time.Hour {
		t.Errorf("default expiry = %v", o.ExpiresAt)
	}

	t.Run("Refusals", func(t *testing.T) {
		e.offer(t, ghTok, a.ID, ama, 409)     // one live offer per worker and assignment
		e.offer(t, ghTok, a.ID, weak, 409)    // breaks the language constraint
		e.offer(t, otherTok, a.ID, kofi, 403) // not their assignment
		draft := sankofa.Assignment{}
		e.must(t, 201, req{Method: "POST", Path: "/v1/assignments", Token: ghTok, Body: e.assignmentInput()}).JSON(t, &draft)
		e.offer(t, ghTok, draft.ID, kofi, 409) // not open
		e.must(t, 400, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/offers", Token: ghTok,
			Body: map[string]any{"profile_id": sankofa.ProfileIDFor(kofi.ID), "expires_at": e.Now.Now().Add(time.Minute)}})
		e.must(t, 403, req{Method: "POST", Path: "/v1/offers/" + o.ID + "/withdraw", Token: amaTok})
		e.must(t, 404, req{Method: "GET", Path: "/v1/offers/" + o.ID, Token: kofiTok})
		e.must(t, 403, req{Method: "POST", Path: "/v1/offers/" + o.ID + "/accept", Token: ghTok})
	})

	t.Run("DeclineFreesThePair", func(t *testing.T) {
		ok := e.offer(t, ghTok, a.ID, kofi, 201)
		var d offerBody
		e.must(t, 200, req{Method: "POST", Path: "/v1/offers/" + ok.ID + "/decline", Token: kofiTok,
			Body: map[string]string{"reason": "Not this term"}}).JSON(t, &d)
		if d.Status != sankofa.OfferDeclined || d.Reason != "Not this term" {
			t.Fatalf("declined = %+v", d)
		}
		e.must(t, 409, req{Method: "POST", Path: "/v1/offers/" + ok.ID + "/decline", Token: kofiTok})
		e.must(t, 409, req{Method: "POST", Path: "/v1/offers/" + ok.ID + "/accept", Token: kofiTok})
		e.offer(t, ghTok, a.ID, kofi, 201) // a new offer may follow a declined one
	})

	t.Run("AcceptShowsContactsAndBooks", func(t *testing.T) {
		var acc offerBody
		e.must(t, 200, req{Method: "POST", Path: "/v1/offers/" + o.ID + "/accept", Token: amaTok}).JSON(t, &acc)
		if acc.Status != sankofa.OfferAccepted || acc.Contact == nil || acc.Contact.Email != gh.Email {
			t.Fatalf("accepted (worker's view) = %+v", acc)
		}
		var again offerBody
		e.must(t, 200, req{Method: "POST", Path: "/v1/offers/" + o.ID + "/accept", Token: amaTok}).JSON(t, &again)
		if again.Version != acc.Version {
			t.Errorf("accepting twice changed the offer: v%d then v%d", acc.Version, again.Version)
		}
		var seen offerBody
		e.must(t, 200, req{Method: "GET", Path: "/v1/offers/" + o.ID, Token: ghTok}).JSON(t, &seen)
		if seen.Contact == nil || seen.Contact.Phone != "+447700900123" {
			t.Errorf("the ministry does not see the worker's contact after acceptance: %+v", seen.Contact)
		}
		var got sankofa.Assignment
		e.must(t, 200, req{Method: "GET", Path: "/v1/assignments/" + a.ID, Token: ghTok}).JSON(t, &got)
		if got.Filled != 1 || got.Status != sankofa.AssignmentOpen {
			t.Errorf("after one acceptance: filled %d, status %s", got.Filled, got.Status)
		}
		var p sankofa.Profile
		e.must(t, 200, req{Method: "GET", Path: "/v1/profiles/me", Token: amaTok}).JSON(t, &p)
		if len(p.Commitments) != 1 || p.Commitments[0].OfferID != o.ID {
			t.Errorf("commitments = %+v", p.Commitments)
		}
		// The booked time is no longer free: an overlapping assignment
		// cannot be offered to her.
		b := e.publishedAssignment(t, ghTok, func(in *sankofa.AssignmentInput) { in.Title = "Second mission" })
		e.offer(t, ghTok, b.ID, ama, 409)
	})

	t.Run("FillingWithdrawsTheRest", func(t *testing.T) {
		last := e.offer(t, ghTok, a.ID, esi, 201)
		left := e.offer(t, ghTok, a.ID, yaw, 201)
		e.must(t, 200, req{Method: "POST", Path: "/v1/offers/" + last.ID + "/accept", Token: esiTok})
		var got sankofa.Assignment
		e.must(t, 200, req{Method: "GET", Path: "/v1/assignments/" + a.ID, Token: ghTok}).JSON(t, &got)
		if got.Filled != 2 || got.Status != sankofa.AssignmentFilled {
			t.Fatalf("after two acceptances: filled %d, status %s", got.Filled, got.Status)
		}
		var w offerBody
		e.must(t, 200, req{Method: "GET", Path: "/v1/offers/" + left.ID, Token: yawTok}).JSON(t, &w)
		if w.Status != sankofa.OfferWithdrawn {
			t.Errorf("the remaining pending offer is %s, want withdrawn", w.Status)
		}
		e.must(t, 409, req{Method: "POST", Path: "/v1/offers/" + left.ID + "/accept", Token: yawTok})
	})

	t.Run("Lists", func(t *testing.T) {
		var mine offerList
		e.must(t, 200, req{Method: "GET", Path: "/v1/offers", Token: kofiTok}).JSON(t, &mine)
		if len(mine.Items) != 2 {
			t.Errorf("kofi sees %d offers, want 2 (declined and withdrawn): %+v", len(mine.Items), mine.Items)
		}
		var sent offerList
		e.must(t, 200, req{Method: "GET", Path: "/v1/offers?status=accepted", Token: ghTok}).JSON(t, &sent)
		if len(sent.Items) != 2 {
			t.Errorf("the ministry sees %d accepted offers, want 2", len(sent.Items))
		}
		for _, it := range sent.Items {
			if it.Status != sankofa.OfferAccepted || it.Contact == nil {
				t.Errorf("listed offer %s: status %s, contact %v", it.ID, it.Status, it.Contact)
			}
		}
		var none offerList
		e.must(t, 200, req{Method: "GET", Path: "/v1/offers", Token: otherTok}).JSON(t, &none)
		if len(none.Items) != 0 {
			t.Errorf("another ministry sees %d offers", len(none.Items))
		}
		e.must(t, 400, req{Method: "GET", Path: "/v1/offers?status=bogus", Token: ghTok, Bad: true})
	})
}

func TestOffers_Expire(t *testing.T) {
	e := newEnv(t)
	gh, ghTok := e.Ministry(t, "GH", false)
	a := e.publishedAssignment(t, ghTok, nil)
	w, wTok := e.worker(t, func(*sankofa.ProfileInput) {})
	var o offerBody
	e.must(t, 201, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/offers", Token: ghTok,
		Body: map[string]any{"profile_id": sankofa.ProfileIDFor(w.ID), "expires_at": e.Now.Now().Add(2 * time.Hour)}}).JSON(t, &o)
	if n, err := e.Flow.ExpireDue(t.Context()); err != nil || n != 0 {
		t.Fatalf("expired %d (%v) before the time", n, err)
	}
	e.Now.Add(3 * time.Hour)
	wTok, ghTok = e.login(t, w.Email, testPassword), e.login(t, gh.Email, testPassword)
	e.must(t, 409, req{Method: "POST", Path: "/v1/offers/" + o.ID + "/accept", Token: wTok})
	if n, err := e.Flow.ExpireDue(t.Context()); err != nil || n != 1 {
		t.Fatalf("expired %d (%v), want 1", n, err)
	}
	var got offerBody
	e.must(t, 200, req{Method: "GET", Path: "/v1/offers/" + o.ID, Token: wTok}).JSON(t, &got)
	if got.Status != sankofa.OfferExpired {
		t.Errorf("status = %s, want expired", got.Status)
	}
	e.offer(t, ghTok, a.ID, w, 201) // an expired offer frees the pair
}

func TestInterest(t *testing.T) {
	e := newEnv(t)
	_, ghTok := e.Ministry(t, "GH", false)
	_, otherTok := e.Ministry(t, "GH", false)
	a := e.publishedAssignment(t, ghTok, nil)
	_, wTok := e.worker(t, func(*sankofa.ProfileInput) {})
	_, noProfile := e.Professional(t)
	e.must(t, 201, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/interest", Token: wTok})
	e.must(t, 200, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/interest", Token: wTok})
	e.must(t, 409, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/interest", Token: noProfile})
	var l struct {
		Items []struct {
			Profile     sankofa.Profile `json:"profile"`
			Score       float64         `json:"score"`
			Explanation struct {
				Reasons []string `json:"reasons"`
			} `json:"explanation"`
			Unmet []string `json:"unmet"`
		} `json:"items"`
	}
	e.must(t, 200, req{Method: "GET", Path: "/v1/assignments/" + a.ID + "/interest", Token: ghTok}).JSON(t, &l)
	if len(l.Items) != 1 || l.Items[0].Score <= 0 || len(l.Items[0].Explanation.Reasons) == 0 || len(l.Items[0].Unmet) != 0 || l.Items[0].Profile.Contact != nil {
		t.Fatalf("interest list = %+v", l)
	}
	e.must(t, 403, req{Method: "GET", Path: "/v1/assignments/" + a.ID + "/interest", Token: otherTok})
	var got sankofa.Assignment
	e.must(t, 200, req{Method: "GET", Path: "/v1/assignments/" + a.ID, Token: ghTok}).JSON(t, &got)
	if got.InterestCount != 1 {
		t.Errorf("interest_count = %d", got.InterestCount)
	}
}

func TestOffers_ClosingWithdrawsPending(t *testing.T) {
	e := newEnv(t)
	_, ghTok := e.Ministry(t, "GH", false)
	a := e.publishedAssignment(t, ghTok, nil)
	w, wTok := e.worker(t, func(*sankofa.ProfileInput) {})
	o := e.offer(t, ghTok, a.ID, w, 201)
	e.must(t, 200, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/close", Token: ghTok})
	var got offerBody
	e.must(t, 200, req{Method: "GET", Path: "/v1/offers/" + o.ID, Token: wTok}).JSON(t, &got)
	if got.Status != sankofa.OfferWithdrawn || got.Reason == "" {
		t.Errorf("after closing, the offer is %s (%q), want withdrawn with a reason", got.Status, got.Reason)
	}
}

func TestOffers_PositionsFollowAcceptances(t *testing.T) {
	e := newEnv(t)
	_, ghTok := e.Ministry(t, "GH", false)
	a := e.publishedAssignment(t, ghTok, func(in *sankofa.AssignmentInput) { in.Positions = 3 })
	x, xTok := e.worker(t, func(*sankofa.ProfileInput) {})
	y, yTok := e.worker(t, func(*sankofa.ProfileInput) {})
	z, zTok := e.worker(t, func(*sankofa.ProfileInput) {})
	for _, acc := range []struct {
		w   sankofa.Account
		tok string
	}{{x, xTok}, {y, yTok}} {
		o := e.offer(t, ghTok, a.ID, acc.w, 201)
		e.must(t, 200, req{Method: "POST", Path: "/v1/offers/" + o.ID + "/accept", Token: acc.tok})
	}
	pending := e.offer(t, ghTok, a.ID, z, 201)
	var cur sankofa.Assignment
	r := e.must(t, 200, req{Method: "GET", Path: "/v1/assignments/" + a.ID, Token: ghTok})
	r.JSON(t, &cur)
	tag := map[string]string{"If-Match": r.Header.Get("ETag")}
	e.must(t, 400, req{Method: "PATCH", Path: "/v1/assignments/" + a.ID, Token: ghTok, Body: map[string]any{"positions": 1}, Header: tag})
	e.must(t, 200, req{Method: "PATCH", Path: "/v1/assignments/" + a.ID, Token: ghTok, Body: map[string]any{"positions": 2}, Header: tag}).JSON(t, &cur)
	if cur.Status != sankofa.AssignmentFilled {
		t.Errorf("two positions, two acceptances: status %s, want filled", cur.Status)
	}
	var got offerBody
	e.must(t, 200, req{Method: "GET", Path: "/v1/offers/" + pending.ID, Token: zTok}).JSON(t, &got)
	if got.Status != sankofa.OfferWithdrawn {
		t.Errorf("the pending offer is %s, want withdrawn", got.Status)
	}
}
