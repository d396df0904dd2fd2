package journey_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"testing"
	"time"
)

// newMarker returns "Zqx" and ten letters drawn from the consonants but s
// and y: a word found nowhere else, that no stemmer changes (they cut
// suffixes with a vowel in them, and a final s).
func newMarker() string {
	const letters = "bcdfghjklmnpqrtvwxz"
	b := []byte("Zqx")
	for range 10 {
		b = append(b, letters[rand.IntN(len(letters))])
	}
	return string(b)
}

// erasureWait bounds an erasure's background part (the event stream, the
// index segments, other people's notifications) on a journey's small data
// dir.
const erasureWait = 60 * time.Second

// personMarkers are the unique strings a person is registered with, one
// for each thing erasure must reach, by what they are.
type personMarkers map[string]string

// The labels of personMarkers.
const (
	mkAccountName  = "account name"
	mkFullName     = "profile full_name, also the name the ministry writes in its offer messages"
	mkEmail        = "e-mail (local part)"
	mkContactEmail = "contact e-mail"
	mkPhone        = "contact phone (digits)"
	mkBio          = "bio"
	mkLicence      = "licence number"
	mkReason       = "decline reason"
)

func newPersonMarkers() personMarkers {
	m := personMarkers{}
	for _, l := range []string{mkAccountName, mkFullName, mkBio, mkLicence, mkReason} {
		m[l] = newMarker()
	}
	// Addresses are compared in lower case: the marker is lower case, so
	// that the stored address holds it as it is.
	m[mkEmail] = strings.ToLower(newMarker())
	m[mkContactEmail] = strings.ToLower(newMarker())
	// A Ghanaian mobile number no one else has: +233 5 and nine digits.
	d := []byte("2335")
	for range 10 {
		d = append(d, byte('0'+rand.IntN(10)))
	}
	m[mkPhone] = string(d)
	return m
}

// list returns the markers of labels (all of them when none are given)
// and a label for each marker, for messages.
func (m personMarkers) list(labels ...string) ([]string, map[string]string) {
	if len(labels) == 0 {
		for l := range m {
			labels = append(labels, l)
		}
		sort.Strings(labels)
	}
	var out []string
	label := map[string]string{}
	for _, l := range labels {
		out = append(out, m[l])
		label[m[l]] = l
	}
	return out, label
}

func (m personMarkers) address() string { return m[mkEmail] + "@journey.example.org" }

// offerMessage is what the ministry writes to the person: their name, as
// it reads it on the profile.
func (m personMarkers) offerMessage() string {
	return "Dear Ama " + m[mkFullName] + ", would you mentor our midwives in Tamale?"
}

// markedWorker is a professional registered with the markers everywhere
// they can type text about themselves.
type markedWorker struct {
	worker
	accountID, licenceID string
}

// markedWorker registers a midwife of Ghanaian origin living in the UK
// (her profile is shared with Ghana), with a Ghanaian licence, contact
// details and a bio, each carrying its marker.
func (s *server) markedWorker(t testing.TB, m personMarkers) markedWorker {
	t.Helper()
	var acc struct{ ID string }
	s.do(t, http.StatusCreated, http.MethodPost, "/v1/auth/register", "", map[string]any{
		"email": m.address(), "password": password, "name": "Ama " + m[mkAccountName], "role": "professional"}, &acc)
	tok := s.login(t, m.address(), password)
	var p struct {
		ID       string
		Licences []struct{ ID string } `json:"licences"`
	}
	s.do(t, http.StatusCreated, http.MethodPut, "/v1/profiles/me", tok, map[string]any{
		"full_name": "Ama " + m[mkFullName], "profession": "2222", "specialties": []string{"obstetrics"},
		"skills":         []string{"caesarean section", "neonatal resuscitation"},
		"languages":      []map[string]string{{"code": "en", "level": "C2"}},
		"origin_country": "GH", "residence_country": "GB", "timezone": "Europe/London", "years_experience": 9,
		"licences": []map[string]string{{"country": "GH", "body": "Nursing and Midwifery Council of Ghana",
			"number": "RM-" + m[mkLicence], "expires": day(900)}},
		"availability": []map[string]string{{"from": day(1), "to": day(360)}}, "virtual_hours_per_week": 4,
		"modes": []string{"onsite", "virtual"}, "alerts": true,
		"bio":     "Nine years on a labour ward in Kumasi, then Leeds; I trained with " + m[mkBio] + " and teach neonatal resuscitation.",
		"contact": map[string]string{"email": m[mkContactEmail] + "@example.net", "phone": "+" + m[mkPhone]},
	}, &p)
	if len(p.Licences) != 1 || p.Licences[0].ID == "" {
		t.Fatalf("PUT /v1/profiles/me: licences %+v, want one with an id", p.Licences)
	}
	return markedWorker{worker: worker{token: tok, profileID: p.ID}, accountID: acc.ID, licenceID: p.Licences[0].ID}
}

// offerWithMessage sends an offer with the ministry's own message.
func (s *server) offerWithMessage(t testing.TB, moh, asg, profileID, message string) string {
	t.Helper()
	var o struct{ ID string }
	s.do(t, http.StatusCreated, http.MethodPost, "/v1/assignments/"+asg+"/offers", moh,
		map[string]any{"profile_id": profileID, "message": message}, &o)
	return o.ID
}

// waitErasures waits until /v1/admin/status reports no erasure pending
// (nor an error reading them). When that does not come within timeout it
// fails the test and returns false, and the journey goes on to show what
// is left on disk.
func (s *server) waitErasures(t testing.TB, admin string, timeout time.Duration) bool {
	t.Helper()
	var last string
	deadline := time.Now().Add(timeout)
	for {
		var st struct {
			Erasures *struct {
				Pending *int   `json:"pending"`
				Error   string `json:"error"`
			} `json:"erasures"`
		}
		r := s.do(t, http.StatusOK, http.MethodGet, "/v1/admin/status", admin, nil, &st)
		if st.Erasures != nil && st.Erasures.Pending != nil && *st.Erasures.Pending == 0 && st.Erasures.Error == "" {
			return true
		}
		last = "no erasures in " + string(tailOf(r.body, 600))
		if st.Erasures != nil {
			b, _ := json.Marshal(st.Erasures)
			last = string(b)
		}
		if time.Now().After(deadline) {
			t.Errorf("after %v, /v1/admin/status still reports erasures %s\n%s", timeout, last, s.linesBut("/v1/admin/status"))
			return false
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// linesBut is the end of the server's log without the lines that hold
// skip (a poll's request lines).
func (s *server) linesBut(skip string) string {
	s.mu.Lock()
	name := s.logf.Name()
	s.mu.Unlock()
	raw, err := os.ReadFile(name)
	if err != nil {
		return err.Error()
	}
	var keep []string
	for _, l := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		if !strings.Contains(l, skip) {
			keep = append(keep, l)
		}
	}
	keep = keep[max(0, len(keep)-30):]
	return "--- the last lines of sankofa's log but " + skip + "\n" + strings.Join(keep, "\n")
}

// notificationsOf is the raw body of someone's latest notifications.
func (s *server) notificationsOf(t testing.TB, token string) []byte {
	t.Helper()
	return s.do(t, http.StatusOK, http.MethodGet, "/v1/notifications?limit=100", token, nil, nil).body
}

// markersIn returns the markers body holds, as they are or lowercased.
func markersIn(body []byte, markers []string) []string {
	var in []string
	lower := bytes.ToLower(body)
	for _, m := range markers {
		if bytes.Contains(body, []byte(m)) || bytes.Contains(lower, []byte(strings.ToLower(m))) {
			in = append(in, m)
		}
	}
	return in
}

// reads are what the other people of a journey read about the person
// over HTTP: each is a name, a token and a path.
type read struct{ who, token, path string }

// readsAbout lists what the ministry and the admin read that may name the
// person: offers, interest, matches, search, queues, inboxes, the audit.
func readsAbout(moh, admin string, asgs []string, offers []string, m personMarkers) []read {
	rs := []read{
		{"ministry", moh, "/v1/notifications?limit=100"},
		{"ministry", moh, "/v1/verifications"},
		{"ministry", moh, "/v1/verifications?status=validated"},
		{"ministry", moh, "/v1/profiles?q=" + url.QueryEscape(m[mkFullName])},
		{"admin", admin, "/v1/notifications?limit=100"},
		{"admin", admin, "/v1/verifications?status=validated"},
		{"admin", admin, "/v1/admin/accounts?limit=100"},
		{"admin", admin, "/v1/admin/accounts?q=" + url.QueryEscape(m[mkAccountName])},
		{"admin", admin, "/v1/admin/audit?limit=100"},
	}
	for _, a := range asgs {
		rs = append(rs,
			read{"ministry", moh, "/v1/offers?limit=100&assignment_id=" + a},
			read{"ministry", moh, "/v1/assignments/" + a + "/interest"},
			read{"ministry", moh, "/v1/assignments/" + a + "/matches"},
			read{"ministry", moh, "/v1/assignments/" + a + "/shortlist"},
		)
	}
	for _, o := range offers {
		rs = append(rs, read{"ministry", moh, "/v1/offers/" + o})
	}
	return rs
}

// markersRead returns, for each read, the markers its answer holds.
func (s *server) markersRead(t testing.TB, rs []read, markers []string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, r := range rs {
		body := s.do(t, http.StatusOK, http.MethodGet, r.path, r.token, nil, nil).body
		if in := markersIn(body, markers); len(in) > 0 {
			out[r.who+" GET "+r.path] = in
		}
	}
	return out
}

// offerFacts is what a ministry keeps of an offer after its worker's
// erasure.
type offerFacts struct {
	ID             string    `json:"id"`
	AssignmentID   string    `json:"assignment_id"`
	ProfileID      string    `json:"profile_id"`
	ProfessionalID string    `json:"professional_id"`
	Status         string    `json:"status"`
	Erased         bool      `json:"erased"`
	CreatedAt      time.Time `json:"created_at"`
	ExpiresAt      time.Time `json:"expires_at"`
	Terms          struct {
		Start string `json:"start"`
		End   string `json:"end"`
	} `json:"terms"`
}

// requireEveryMarkerOnDisk is the negative control: a scan that finds a
// marker nowhere before the erasure proves nothing after it.
func requireEveryMarkerOnDisk(t *testing.T, dir string, markers []string, label map[string]string) {
	t.Helper()
	hits := scanForMarkers(t, dir, markers)
	by := hitsByMarker(hits)
	var where []string
	for _, m := range markers {
		areas := map[string]bool{}
		for _, h := range by[m] {
			areas[strings.SplitN(h.file, "/", 2)[0]] = true
		}
		var as []string
		for a := range areas {
			as = append(as, a)
		}
		sort.Strings(as)
		where = append(where, fmt.Sprintf("%s (%s): %d hits in %v", label[m], m, len(by[m]), as))
		if len(by[m]) == 0 {
			t.Errorf("negative control: the scan finds the %s marker %q nowhere before the erasure, so its absence after proves nothing", label[m], m)
		}
	}
	t.Logf("before the erasure the scan finds:\n  %s", strings.Join(where, "\n  "))
	if t.Failed() {
		t.FailNow()
	}
}

// requireNoMarkerOnDisk is the test proper: no marker, in any form, in any
// file under dir.
func requireNoMarkerOnDisk(t *testing.T, dir string, markers []string, label map[string]string) {
	t.Helper()
	hits := scanForMarkers(t, dir, markers)
	if len(hits) > 0 {
		t.Errorf("after the erasure and a restart, %d places under the data dir still hold the person's markers:\n%s", len(hits), formatHits(hits, label))
	}
}

// TestErasure_ReachesEveryByte: a professional registers with a unique
// marker in every field (account name, full name, e-mail, contact e-mail
// and phone, bio, licence number), expresses interest, is sent two offers
// whose messages name her, declines one with a reason and accepts the
// other, and has her licence verified, so that her name reaches the
// ministry's and the admin's inboxes, the event stream, the indexes and
// the ministry's offers. A scan of the data dir finds every marker. She
// erases her account (a wrong password first changes nothing); the
// ministry keeps its offers, with their facts and without her; her e-mail
// registers a new person. After a restart and the background purge, no
// file under the data dir holds any marker in any form.
func TestErasure_ReachesEveryByte(t *testing.T) {
	t.Parallel()
	begin := time.Now()
	dir := t.TempDir()
	s := startServer(t, dir)
	admin := s.admin(t)
	moh := s.ministry(t, admin)
	asgs := []string{s.assignment(t, moh, 1, 40, 20), s.assignment(t, moh, 1, 80, 20)}
	mk := newPersonMarkers()
	markers, label := mk.list()
	w := s.markedWorker(t, mk)

	s.do(t, http.StatusCreated, http.MethodPost, "/v1/assignments/"+asgs[0]+"/interest", w.token, nil, nil)
	offers := []string{
		s.offerWithMessage(t, moh, asgs[0], w.profileID, mk.offerMessage()),
		s.offerWithMessage(t, moh, asgs[1], w.profileID, mk.offerMessage()),
	}
	s.do(t, http.StatusOK, http.MethodPost, "/v1/offers/"+offers[1]+"/decline", w.token,
		map[string]string{"reason": "My mother is unwell; I stay near " + mk[mkReason] + " this season."}, nil)
	s.do(t, http.StatusOK, http.MethodPost, "/v1/offers/"+offers[0]+"/accept", w.token, nil, nil)
	accepted := s.do(t, http.StatusOK, http.MethodGet, "/v1/offers/"+offers[0], moh, nil, nil).body
	if in := markersIn(accepted, []string{mk[mkContactEmail], mk[mkPhone]}); len(in) != 2 {
		t.Fatalf("the accepted offer does not reveal the contact details to the ministry: %s", accepted)
	}
	s.do(t, http.StatusOK, http.MethodPost, "/v1/profiles/me/licences/"+w.licenceID+"/verification", w.token, nil, nil)
	s.do(t, http.StatusOK, http.MethodPost, "/v1/verifications/"+w.profileID+"/"+w.licenceID, admin,
		map[string]string{"status": "validated", "method": "document", "note": "Certificate and register entry seen."}, nil)

	// Her name reaches other people's inboxes: the ministry's (interest,
	// the answers to its offers, the verification request for a Ghanaian
	// licence) and the admin's (the verification request).
	eventually(t, settle, "the ministry's notifications name the worker and carry her reason", func() bool {
		return len(markersIn(s.notificationsOf(t, moh), []string{mk[mkAccountName], mk[mkReason], mk[mkFullName]})) == 3
	})
	eventually(t, settle, "the admin's notifications name the worker", func() bool {
		return len(markersIn(s.notificationsOf(t, admin), []string{mk[mkFullName]})) == 1
	})
	reads := readsAbout(moh, admin, asgs, offers, mk)
	before := s.markersRead(t, reads, markers)
	var seen []string
	for r, ms := range before {
		for _, m := range ms {
			seen = append(seen, r+": "+label[m])
		}
	}
	sort.Strings(seen)
	t.Logf("before the erasure, the ministry and the admin read:\n  %s", strings.Join(seen, "\n  "))
	var factsBefore [2]offerFacts
	for i, o := range offers {
		s.do(t, http.StatusOK, http.MethodGet, "/v1/offers/"+o, moh, nil, &factsBefore[i])
	}

	// The negative control, on a stopped server so that every byte is on
	// disk.
	s.stop()
	requireEveryMarkerOnDisk(t, dir, markers, label)
	s.restart()
	admin = s.admin(t)

	// A wrong password erases nothing.
	s.do(t, http.StatusForbidden, http.MethodDelete, "/v1/me", w.token, map[string]string{"password": "not-" + password}, nil)
	w.token = s.login(t, mk.address(), password)
	s.do(t, http.StatusOK, http.MethodGet, "/v1/profiles/me", w.token, nil, nil)

	s.do(t, http.StatusNoContent, http.MethodDelete, "/v1/me", w.token, map[string]string{"password": password}, nil)
	if r, err := s.try(http.MethodPost, "/v1/auth/login", "", map[string]string{"email": mk.address(), "password": password}); err != nil || r.status != http.StatusUnauthorized {
		t.Errorf("sign-in after the erasure = %v %v, want 401", r, err)
	}
	if r, err := s.try(http.MethodGet, "/v1/me", w.token, nil); err != nil || r.status == http.StatusOK {
		t.Errorf("the erased account's access token still reads /v1/me: %v %v", r, err)
	}
	s.waitErasures(t, admin, erasureWait)

	// The ministry keeps its offers' facts, without the person.
	for i, o := range offers {
		var f offerFacts
		body := s.do(t, http.StatusOK, http.MethodGet, "/v1/offers/"+o, moh, nil, &f).body
		b := factsBefore[i]
		if f.ID != b.ID || f.AssignmentID != b.AssignmentID || f.Status != b.Status || !f.CreatedAt.Equal(b.CreatedAt) ||
			!f.ExpiresAt.Equal(b.ExpiresAt) || f.Terms != b.Terms {
			t.Errorf("offer %s lost its facts in the erasure:\nbefore %+v\nafter  %+v", o, b, f)
		}
		if f.ProfileID == w.profileID || f.ProfessionalID == w.accountID || !(f.Erased || f.ProfileID == "erased") {
			t.Errorf("offer %s does not show the person as erased: %s", o, body)
		}
	}
	after := s.markersRead(t, reads, markers)
	for _, r := range reads {
		k := r.who + " GET " + r.path
		for _, m := range after[k] {
			t.Errorf("after the erasure, %s still shows the %s marker %q", k, label[m], m)
		}
	}
	if r, err := s.try(http.MethodGet, "/v1/profiles/"+w.profileID, moh, nil); err != nil {
		t.Fatal(s.diagnose(err))
	} else if r.status != http.StatusNotFound {
		t.Errorf("the ministry reads the erased profile: %v, want 404", r)
	}

	// The same e-mail registers a new person, whom the admin then erases.
	var again struct{ ID string }
	s.do(t, http.StatusCreated, http.MethodPost, "/v1/auth/register", "", map[string]any{
		"email": mk.address(), "password": password, "name": "Ama " + mk[mkAccountName], "role": "professional"}, &again)
	if again.ID == "" || again.ID == w.accountID {
		t.Errorf("registering the erased e-mail again gave account %q, the erased one was %q: want a new id", again.ID, w.accountID)
	}
	s.login(t, mk.address(), password)
	s.do(t, http.StatusNoContent, http.MethodDelete, "/v1/admin/accounts/"+again.ID, admin, nil, nil)
	if r, err := s.try(http.MethodPost, "/v1/auth/login", "", map[string]string{"email": mk.address(), "password": password}); err != nil || r.status != http.StatusUnauthorized {
		t.Errorf("sign-in after the admin's erasure = %v %v, want 401", r, err)
	}

	// Restart, let the deep purge finish, stop, and scan every byte.
	s.stop()
	s.restart()
	s.waitErasures(t, s.admin(t), erasureWait)
	s.mustBeAlive(t)
	s.stop()
	requireNoMarkerOnDisk(t, dir, markers, label)
	t.Logf("erasure journey: %d markers, %v", len(markers), time.Since(begin).Round(time.Second))
}

// TestErasure_SurvivesSIGKILL: a professional with markers in every field
// expresses interest and is sent an offer naming her; she erases her
// account and the process is killed at once with SIGKILL. The erasure is
// finished at the next start: once it reports none pending, no file under
// the data dir holds any marker.
func TestErasure_SurvivesSIGKILL(t *testing.T) {
	t.Parallel()
	begin := time.Now()
	dir := t.TempDir()
	s := startServer(t, dir)
	admin := s.admin(t)
	moh := s.ministry(t, admin)
	asg := s.assignment(t, moh, 1, 40, 20)
	mk := newPersonMarkers()
	markers, label := mk.list(mkAccountName, mkFullName, mkEmail, mkContactEmail, mkPhone, mkBio, mkLicence)
	w := s.markedWorker(t, mk)
	s.do(t, http.StatusCreated, http.MethodPost, "/v1/assignments/"+asg+"/interest", w.token, nil, nil)
	s.offerWithMessage(t, moh, asg, w.profileID, mk.offerMessage())
	eventually(t, settle, "the ministry's notifications name the worker", func() bool {
		return len(markersIn(s.notificationsOf(t, moh), []string{mk[mkAccountName]})) == 1
	})
	// A smaller control, on the running server: her names are on disk.
	by := hitsByMarker(scanForMarkers(t, dir, markers))
	for _, l := range []string{mkAccountName, mkFullName} {
		if len(by[mk[l]]) == 0 {
			t.Fatalf("negative control: the scan finds the %s marker %q nowhere before the erasure", l, mk[l])
		}
	}

	s.do(t, http.StatusNoContent, http.MethodDelete, "/v1/me", w.token, map[string]string{"password": password}, nil)
	s.kill()
	s.restart()
	admin = s.admin(t)
	s.waitErasures(t, admin, erasureWait)
	if r, err := s.try(http.MethodPost, "/v1/auth/login", "", map[string]string{"email": mk.address(), "password": password}); err != nil || r.status != http.StatusUnauthorized {
		t.Errorf("sign-in after the erasure = %v %v, want 401", r, err)
	}
	s.mustBeAlive(t)
	s.stop()
	requireNoMarkerOnDisk(t, dir, markers, label)
	t.Logf("erasure SIGKILL journey: %d markers, %v", len(markers), time.Since(begin).Round(time.Second))
}
