package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"sankofa"
)

// The authorization matrix: every actor against every authenticated route
// under /v1, one subtest per cell, named "<actor>/<METHOD>_<path>". The
// auth routes (register, login, refresh, logout) are public and left out;
// GET /v1/about, public too, is in to prove that it stays open to all.
//
// One server serves the whole matrix. Read-only cells share the fixtures
// built once in newMatrix; a cell that is expected to succeed and changes
// state builds its own fixture first (mxRow.fresh), so that no cell depends
// on the order in which the others run.

// mxActor names a caller of the matrix.
type mxActor string

const (
	mxAnonymous    mxActor = "anonymous"              // no Authorization header
	mxGarbage      mxActor = "garbage_token"          // "Bearer not-a-jwt"
	mxPro          mxActor = "professional"           // active, has a profile shared with GH
	mxOtherPro     mxActor = "other_professional"     // active, has its own profile
	mxMinistryGH   mxActor = "ministry_GH"            // approved; owns the draft and the open assignment
	mxMinistryNG   mxActor = "ministry_NG"            // approved; owns nothing, the profile is not shared with NG
	mxPendingGH    mxActor = "pending_ministry_GH"    // awaiting approval
	mxSuspendedPro mxActor = "suspended_professional" // suspended after signing in
	mxSuspendedMoH mxActor = "suspended_ministry"     // approved, signed in, then suspended
	mxAdmin        mxActor = "admin"
)

var mxActors = []mxActor{mxAnonymous, mxGarbage, mxPro, mxOtherPro, mxMinistryGH, mxMinistryNG,
	mxPendingGH, mxSuspendedPro, mxSuspendedMoH, mxAdmin}

// mxOutcome is the answer a cell must get: a status and, for errors, a
// fragment of the problem's detail that says why.
type mxOutcome struct {
	status int
	detail string
	code   string // the problem code, when not the status's usual one
}

var (
	mx200 = mxOutcome{status: http.StatusOK}
	mx201 = mxOutcome{status: http.StatusCreated}
	mx204 = mxOutcome{status: http.StatusNoContent}

	mxNoToken     = mxOutcome{http.StatusUnauthorized, "sign in", ""}
	mxBadToken    = mxOutcome{http.StatusUnauthorized, "not valid", ""}
	mxSuspended   = mxOutcome{http.StatusUnauthorized, "suspended", ""}
	mxWrongRole   = mxOutcome{http.StatusForbidden, "is not open to a", ""}
	mxAwaiting    = mxOutcome{http.StatusForbidden, "awaiting approval", ""}
	mxNotOwner    = mxOutcome{http.StatusForbidden, "only the ministry that posted", ""}
	mxHidden      = mxOutcome{http.StatusNotFound, "not found", ""}
	mxMissing     = mxOutcome{http.StatusNotFound, "", ""}
	mxBadMove     = mxOutcome{http.StatusConflict, "cannot", ""}
	mxOwnStatus   = mxOutcome{http.StatusConflict, "their own status", ""}
	mxNeedIfMatch = mxOutcome{http.StatusPreconditionRequired, "If-Match", ""}
	mxNotErasable = mxOutcome{http.StatusConflict, "administrator", "admin_not_erasable"}
)

// mxCodes is the problem code each error status must carry.
var mxCodes = map[int]string{
	http.StatusUnauthorized:         "unauthorized",
	http.StatusForbidden:            "forbidden",
	http.StatusNotFound:             "not_found",
	http.StatusConflict:             "conflict",
	http.StatusPreconditionRequired: "precondition_required",
}

// mxCall is what a cell sends on top of its row.
type mxCall struct {
	token  string
	path   string
	header map[string]string
}

// mxRow is one endpoint and what each actor must get from it.
type mxRow struct {
	method string
	name   string // the path as shown in subtest names, e.g. /v1/assignments/{draft}
	path   string // the path on the shared fixtures
	// pathFor, if set, gives the path when it depends on the caller.
	pathFor func(a mxActor) string
	body    any               // nil for none
	header  map[string]string // sent by every cell of the row
	bad     bool              // the request deliberately breaks openapi.yaml
	// fresh, if set, builds a fixture for one cell whose outcome is 2xx and
	// returns what to send instead of the shared path and actor's token.
	fresh func(t *testing.T, a mxActor) mxCall
	// check, if set, inspects a 2xx answer.
	check func(t *testing.T, a mxActor, r resp)
	// fhir: the route answers FHIR, its errors as OperationOutcome.
	fhir bool
	want map[mxActor]mxOutcome
}

// mxFixtures are the shared actors and resources.
type mxFixtures struct {
	e       *env
	token   map[mxActor]string
	account map[mxActor]sankofa.Account
	profile sankofa.Profile // the professional's, shared with GH only
	draft   sankofa.Assignment
	open    sankofa.Assignment
	target  sankofa.Account // a pending ministry that refused admin calls aim at
	offer   sankofa.Offer   // pending, from ministry GH to the professional, on open
}

func TestAuthorization_Matrix(t *testing.T) {
	f := newMatrixFixtures(t)
	e := f.e
	rows := f.rows()

	cells := 0
	for _, r := range rows {
		for _, a := range mxActors {
			want, ok := r.want[a]
			if !ok {
				t.Fatalf("%s %s: no outcome for %s", r.method, r.name, a)
			}
			cells++
			t.Run(string(a)+"/"+r.method+" "+r.name, func(t *testing.T) {
				c := mxCall{token: f.token[a], path: r.path}
				if r.pathFor != nil {
					c.path = r.pathFor(a)
				}
				if r.fresh != nil && want.status < 300 {
					c = r.fresh(t, a)
				}
				header := map[string]string{}
				for k, v := range r.header {
					header[k] = v
				}
				for k, v := range c.header {
					header[k] = v
				}
				got := e.do(t, req{Method: r.method, Path: c.path, Token: c.token, Body: r.body, Header: header, Bad: r.bad})
				if got.Status != want.status {
					t.Fatalf("%s %s as %s: status %d, want %d; body %s", r.method, c.path, a, got.Status, want.status, got.Body)
				}
				if got.Status >= 400 && r.fhir {
					outcome(t, got, want.status, want.detail)
					return
				}
				if got.Status >= 400 {
					p := got.Problem(t)
					wantCode := mxCodes[want.status]
					if want.code != "" {
						wantCode = want.code
					}
					if p.Code != wantCode {
						t.Errorf("problem code %q, want %q; body %s", p.Code, wantCode, got.Body)
					}
					if p.Status != got.Status {
						t.Errorf("problem status %d, want %d", p.Status, got.Status)
					}
					if !strings.Contains(p.Detail, want.detail) {
						t.Errorf("problem detail %q, want it to mention %q", p.Detail, want.detail)
					}
					if a == mxAnonymous || a == mxGarbage {
						if h := got.Header.Get("WWW-Authenticate"); !strings.HasPrefix(h, "Bearer") {
							t.Errorf("WWW-Authenticate %q, want a Bearer challenge", h)
						}
					}
					return
				}
				if r.check != nil {
					r.check(t, a, got)
				}
			})
		}
	}
	t.Logf("%d endpoints x %d actors = %d cells", len(rows), len(mxActors), cells)
}

// newMatrixFixtures starts the server and builds the shared actors and
// resources.
func newMatrixFixtures(t *testing.T) *mxFixtures {
	t.Helper()
	e := newEnv(t)
	f := &mxFixtures{e: e, token: map[mxActor]string{}, account: map[mxActor]sankofa.Account{}}
	admin := e.Admin(t)
	f.token[mxAdmin] = admin
	var me sankofa.Account
	e.must(t, 200, req{Method: "GET", Path: "/v1/me", Token: admin}).JSON(t, &me)
	f.account[mxAdmin] = me
	f.token[mxGarbage] = "not-a-jwt"

	for _, a := range []mxActor{mxPro, mxOtherPro} {
		f.account[a], f.token[a] = e.Professional(t)
		p, _ := f.newProfile(t, f.token[a])
		if a == mxPro {
			f.profile = p
		}
	}
	if !slices.Equal(f.profile.ShareWith, []string{"GH"}) {
		t.Fatalf("profile share_with %v, want [GH] by default", f.profile.ShareWith)
	}
	f.account[mxMinistryGH], f.token[mxMinistryGH] = e.Ministry(t, "GH", false)
	f.account[mxMinistryNG], f.token[mxMinistryNG] = e.Ministry(t, "NG", false)
	f.account[mxPendingGH], f.token[mxPendingGH] = e.Ministry(t, "GH", true)
	f.account[mxSuspendedPro], f.token[mxSuspendedPro] = e.Professional(t)
	f.account[mxSuspendedMoH], f.token[mxSuspendedMoH] = e.Ministry(t, "GH", false)
	for _, a := range []mxActor{mxSuspendedPro, mxSuspendedMoH} {
		var acc sankofa.Account
		e.must(t, 200, req{Method: "POST", Path: "/v1/admin/accounts/" + f.account[a].ID + "/suspend", Token: admin}).JSON(t, &acc)
		if acc.Status != sankofa.StatusSuspended {
			t.Fatalf("%s: status %s after suspension", a, acc.Status)
		}
		f.account[a] = acc
	}
	f.target = f.register(t, sankofa.RoleMinistry, "GH")

	f.draft, _ = f.newAssignment(t, sankofa.AssignmentDraft)
	f.open, _ = f.newAssignment(t, sankofa.AssignmentOpen)
	e.must(t, 201, req{Method: "POST", Path: "/v1/assignments/" + f.open.ID + "/offers", Token: f.token[mxMinistryGH],
		Body: map[string]any{"profile_id": f.profile.ID}}).JSON(t, &f.offer)
	return f
}

// freshOffer returns a function that sends a new worker a new offer and
// lets the worker (or, with byMinistry, ministry GH) act on it at
// /v1/offers/{id}/action.
func (f *mxFixtures) freshOffer(action string, byMinistry bool) func(*testing.T, mxActor) mxCall {
	return func(t *testing.T, a mxActor) mxCall {
		acc, token := f.e.Professional(t)
		f.newProfile(t, token)
		asg, _ := f.newAssignment(t, sankofa.AssignmentOpen)
		var o sankofa.Offer
		f.e.must(t, 201, req{Method: "POST", Path: "/v1/assignments/" + asg.ID + "/offers", Token: f.token[mxMinistryGH],
			Body: map[string]any{"profile_id": sankofa.ProfileIDFor(acc.ID)}}).JSON(t, &o)
		if byMinistry {
			token = f.token[a]
		}
		return mxCall{token: token, path: "/v1/offers/" + o.ID + "/" + action}
	}
}

// offerIs checks an offer answer's status.
func offerIs(status sankofa.OfferStatus) func(*testing.T, mxActor, resp) {
	return func(t *testing.T, _ mxActor, r resp) {
		var o sankofa.Offer
		r.JSON(t, &o)
		if o.Status != status {
			t.Errorf("offer is %s, want %s", o.Status, status)
		}
	}
}

// register creates an account without signing it in.
func (f *mxFixtures) register(t *testing.T, role sankofa.Role, country string) sankofa.Account {
	t.Helper()
	var a sankofa.Account
	f.e.must(t, 201, req{Method: "POST", Path: "/v1/auth/register", Body: sankofa.Registration{
		Email: uniqueEmail("mx"), Password: testPassword, Name: "Kofi Boateng", Role: role, Country: country,
		Organization: "Ministry of Health " + country}}).JSON(t, &a)
	return a
}

// newProfile creates the profile of the professional signed in with token
// and returns it with its ETag.
func (f *mxFixtures) newProfile(t *testing.T, token string) (sankofa.Profile, string) {
	t.Helper()
	var p sankofa.Profile
	r := f.e.must(t, 201, req{Method: "PUT", Path: "/v1/profiles/me", Token: token, Body: f.e.profileInput()})
	r.JSON(t, &p)
	return p, r.Header.Get("ETag")
}

// newAssignment creates an assignment of ministry GH, published when
// status is open, and returns it with its ETag.
func (f *mxFixtures) newAssignment(t *testing.T, status sankofa.AssignmentStatus) (sankofa.Assignment, string) {
	t.Helper()
	var a sankofa.Assignment
	tok := f.token[mxMinistryGH]
	r := f.e.must(t, 201, req{Method: "POST", Path: "/v1/assignments", Token: tok, Body: f.e.assignmentInput()})
	r.JSON(t, &a)
	if status == sankofa.AssignmentOpen {
		r = f.e.must(t, 200, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/publish", Token: tok})
		r.JSON(t, &a)
	}
	if a.Status != status {
		t.Fatalf("new assignment is %s, want %s", a.Status, status)
	}
	return a, r.Header.Get("ETag")
}

// freshProfile stands a new professional with a new profile in for the
// actor, so that the shared profiles stay as they are.
func (f *mxFixtures) freshProfile(t *testing.T, _ mxActor) mxCall {
	_, token := f.e.Professional(t)
	_, tag := f.newProfile(t, token)
	return mxCall{token: token, path: "/v1/profiles/me", header: map[string]string{"If-Match": tag}}
}

// freshAssignment returns a function that makes a new assignment of
// ministry GH in status for the actor to act on at /v1/assignments/{id}+suffix.
func (f *mxFixtures) freshAssignment(status sankofa.AssignmentStatus, suffix string) func(*testing.T, mxActor) mxCall {
	return func(t *testing.T, a mxActor) mxCall {
		asg, tag := f.newAssignment(t, status)
		return mxCall{token: f.token[a], path: "/v1/assignments/" + asg.ID + suffix, header: map[string]string{"If-Match": tag}}
	}
}

// freshPending returns a function that registers a new pending ministry for
// the actor to act on at /v1/admin/accounts/{id}/action.
func (f *mxFixtures) freshPending(action string) func(*testing.T, mxActor) mxCall {
	return func(t *testing.T, a mxActor) mxCall {
		acc := f.register(t, sankofa.RoleMinistry, "GH")
		return mxCall{token: f.token[a], path: "/v1/admin/accounts/" + acc.ID + "/" + action}
	}
}

// accountIs checks an account answer's status.
func accountIs(status sankofa.AccountStatus) func(*testing.T, mxActor, resp) {
	return func(t *testing.T, _ mxActor, r resp) {
		var a sankofa.Account
		r.JSON(t, &a)
		if a.Status != status {
			t.Errorf("account is %s, want %s", a.Status, status)
		}
	}
}

// assignmentIs checks an assignment answer's status.
func assignmentIs(status sankofa.AssignmentStatus) func(*testing.T, mxActor, resp) {
	return func(t *testing.T, _ mxActor, r resp) {
		var a sankofa.Assignment
		r.JSON(t, &a)
		if a.Status != status {
			t.Errorf("assignment is %s, want %s", a.Status, status)
		}
	}
}

// rows is the matrix. Each row lists every actor; the shorthand rows below
// fill in the actors that are refused the same way on every route.
func (f *mxFixtures) rows() []mxRow {
	e := f.e
	// refused: the outcome of every actor not signed in or suspended.
	refused := func(w map[mxActor]mxOutcome) map[mxActor]mxOutcome {
		w[mxAnonymous], w[mxGarbage] = mxNoToken, mxBadToken
		w[mxSuspendedPro], w[mxSuspendedMoH] = mxSuspended, mxSuspended
		return w
	}
	// adminOnly: admins pass with ok, every other role is refused.
	adminOnly := func(ok mxOutcome) map[mxActor]mxOutcome {
		return refused(map[mxActor]mxOutcome{
			mxPro: mxWrongRole, mxOtherPro: mxWrongRole, mxMinistryGH: mxWrongRole, mxMinistryNG: mxWrongRole,
			mxPendingGH: mxWrongRole, mxAdmin: ok,
		})
	}
	// workerOnly: professionals pass with ok, every other role is refused.
	workerOnly := func(ok mxOutcome) map[mxActor]mxOutcome {
		return refused(map[mxActor]mxOutcome{
			mxPro: ok, mxOtherPro: ok, mxMinistryGH: mxWrongRole, mxMinistryNG: mxWrongRole,
			mxPendingGH: mxWrongRole, mxAdmin: mxWrongRole,
		})
	}
	// workerOnlyButOther: the offer's worker passes with ok; the other
	// worker does not see it.
	workerOnlyButOther := func(ok mxOutcome) map[mxActor]mxOutcome {
		w := workerOnly(ok)
		w[mxOtherPro] = mxHidden
		return w
	}
	// ministryRoute: professionals are refused for their role, the pending
	// ministry for its status; ministries and admins as given.
	ministryRoute := func(gh, ng, admin mxOutcome) map[mxActor]mxOutcome {
		return refused(map[mxActor]mxOutcome{
			mxPro: mxWrongRole, mxOtherPro: mxWrongRole, mxMinistryGH: gh, mxMinistryNG: ng,
			mxPendingGH: mxAwaiting, mxAdmin: admin,
		})
	}
	// anyRole: every active account passes the role check; pros as given.
	anyRole := func(pro, gh, ng, admin mxOutcome) map[mxActor]mxOutcome {
		return refused(map[mxActor]mxOutcome{
			mxPro: pro, mxOtherPro: pro, mxMinistryGH: gh, mxMinistryNG: ng,
			mxPendingGH: mxAwaiting, mxAdmin: admin,
		})
	}

	draftPath, openPath := "/v1/assignments/"+f.draft.ID, "/v1/assignments/"+f.open.ID
	draftTag := map[string]string{"If-Match": `"v1"`}
	openTag := map[string]string{"If-Match": `"v2"`}
	bioPatch := map[string]any{"bio": "Midwife in Leeds; free from March."}
	titlePatch := map[string]any{"title": "Midwife mentor, Tamale (renewed)"}
	self := func(a mxActor) string {
		if acc, ok := f.account[a]; ok {
			return acc.ID
		}
		return f.target.ID
	}
	listed := func(t *testing.T, a mxActor, r resp) []string {
		var l struct{ Items []sankofa.Assignment }
		r.JSON(t, &l)
		ids := make([]string, 0, len(l.Items))
		for _, it := range l.Items {
			if it.Status != sankofa.AssignmentOpen && it.MinistryID != f.account[a].ID && a != mxAdmin {
				ids = append(ids, "LEAK:"+it.ID)
			}
			ids = append(ids, it.ID)
		}
		return ids
	}

	return append([]mxRow{
		{
			// The one public route of the matrix: no sign-in needed, and a
			// broken or suspended token is no reason to refuse it.
			method: "GET", name: "/v1/about", path: "/v1/about",
			want: func() map[mxActor]mxOutcome {
				w := map[mxActor]mxOutcome{}
				for _, a := range mxActors {
					w[a] = mx200
				}
				return w
			}(),
		},
		{
			method: "GET", name: "/v1/me", path: "/v1/me",
			want: refused(map[mxActor]mxOutcome{
				mxPro: mx200, mxOtherPro: mx200, mxMinistryGH: mx200, mxMinistryNG: mx200,
				mxPendingGH: mx200, mxAdmin: mx200, // a pending ministry may read its own account
			}),
			check: func(t *testing.T, a mxActor, r resp) {
				var me sankofa.Account
				r.JSON(t, &me)
				if me.ID != f.account[a].ID {
					t.Errorf("/v1/me is %s, want %s", me.ID, f.account[a].ID)
				}
			},
		},
		{
			// Everyone signed in may change their own account; without
			// If-Match the request is refused (the request breaks the
			// contract on purpose). TestPatchMe covers the change itself.
			method: "PATCH", name: "/v1/me_without_If-Match", path: "/v1/me", body: map[string]any{"locale": "fr"}, bad: true,
			want: refused(map[mxActor]mxOutcome{
				mxPro: mxNeedIfMatch, mxOtherPro: mxNeedIfMatch, mxMinistryGH: mxNeedIfMatch, mxMinistryNG: mxNeedIfMatch,
				mxPendingGH: mxNeedIfMatch, mxAdmin: mxNeedIfMatch,
			}),
		},
		{
			// Everyone signed in may erase themselves, a ministry awaiting
			// approval included; each cell erases a new account of the
			// actor's role and status. Admins are not erased here.
			method: "DELETE", name: "/v1/me", path: "/v1/me",
			body: map[string]string{"password": testPassword},
			fresh: func(t *testing.T, a mxActor) mxCall {
				var acc sankofa.Account
				switch a {
				case mxPro, mxOtherPro:
					acc, _ = e.Professional(t)
				case mxPendingGH:
					acc = f.register(t, sankofa.RoleMinistry, "GH")
				default:
					acc, _ = e.Ministry(t, map[mxActor]string{mxMinistryGH: "GH", mxMinistryNG: "NG"}[a], false)
				}
				return mxCall{token: e.login(t, acc.Email, testPassword), path: "/v1/me"}
			},
			want: refused(map[mxActor]mxOutcome{
				mxPro: mx204, mxOtherPro: mx204, mxMinistryGH: mx204, mxMinistryNG: mx204,
				mxPendingGH: mx204, mxAdmin: mxNotErasable,
			}),
		},
		{
			method: "DELETE", name: "/v1/admin/accounts/{pending}", path: "/v1/admin/accounts/" + f.target.ID,
			fresh: func(t *testing.T, a mxActor) mxCall {
				return mxCall{token: f.token[a], path: "/v1/admin/accounts/" + f.register(t, sankofa.RoleMinistry, "GH").ID}
			},
			want: adminOnly(mx204),
		},
		{
			method: "DELETE", name: "/v1/admin/accounts/{self}",
			pathFor: func(a mxActor) string { return "/v1/admin/accounts/" + self(a) },
			want:    adminOnly(mxNotErasable),
		},
		{
			method: "DELETE", name: "/v1/admin/accounts/{unknown}", path: "/v1/admin/accounts/acc_doesnotexist",
			want: adminOnly(mxMissing),
		},
		{
			// Everyone signed in may download their data, a ministry still
			// awaiting approval included (GDPR Art. 15 does not wait).
			method: "GET", name: "/v1/me/export", path: "/v1/me/export",
			want: refused(map[mxActor]mxOutcome{
				mxPro: mx200, mxOtherPro: mx200, mxMinistryGH: mx200, mxMinistryNG: mx200,
				mxPendingGH: mx200, mxAdmin: mx200,
			}),
			check: func(t *testing.T, a mxActor, r resp) {
				var doc struct {
					Account sankofa.Account  `json:"account"`
					Profile *sankofa.Profile `json:"profile"`
				}
				r.JSON(t, &doc)
				if doc.Account.ID != f.account[a].ID {
					t.Errorf("the export is of %s, want %s", doc.Account.ID, f.account[a].ID)
				}
				if hasProfile := doc.Profile != nil; hasProfile != (a == mxPro || a == mxOtherPro) {
					t.Errorf("the export of %s has a profile: %v", a, hasProfile)
				}
			},
		},
		{
			method: "GET", name: "/v1/admin/accounts", path: "/v1/admin/accounts",
			want: adminOnly(mx200),
		},
		{
			method: "GET", name: "/v1/admin/accounts?q=", path: "/v1/admin/accounts?q=ama",
			want: adminOnly(mx200),
		},
		{
			method: "POST", name: "/v1/admin/accounts/{pending}/approve", path: "/v1/admin/accounts/" + f.target.ID + "/approve",
			fresh: f.freshPending("approve"), check: accountIs(sankofa.StatusActive),
			want: adminOnly(mx200),
		},
		{
			// Approving an active account changes nothing and answers 200.
			method: "POST", name: "/v1/admin/accounts/{active}/approve", path: "/v1/admin/accounts/" + f.account[mxPro].ID + "/approve",
			check: func(t *testing.T, _ mxActor, r resp) {
				var a sankofa.Account
				r.JSON(t, &a)
				if want := f.account[mxPro]; a.Status != sankofa.StatusActive || a.Version != want.Version {
					t.Errorf("account is %s v%d, want it unchanged: active v%d", a.Status, a.Version, want.Version)
				}
			},
			want: adminOnly(mx200),
		},
		{
			method: "POST", name: "/v1/admin/accounts/{unknown}/approve", path: "/v1/admin/accounts/acc_doesnotexist/approve",
			want: adminOnly(mxMissing),
		},
		{
			method: "POST", name: "/v1/admin/accounts/{pending}/suspend", path: "/v1/admin/accounts/" + f.target.ID + "/suspend",
			fresh: f.freshPending("suspend"), check: accountIs(sankofa.StatusSuspended),
			want: adminOnly(mx200),
		},
		{
			// Each actor tries to suspend itself; admins may not change
			// their own status.
			method: "POST", name: "/v1/admin/accounts/{self}/suspend",
			pathFor: func(a mxActor) string { return "/v1/admin/accounts/" + self(a) + "/suspend" },
			want:    adminOnly(mxOwnStatus),
		},
		{
			method: "PUT", name: "/v1/profiles/me", path: "/v1/profiles/me",
			body: e.profileInput(), header: map[string]string{"If-Match": `"v1"`},
			fresh: f.freshProfile,
			want:  workerOnly(mx200),
		},
		{
			method: "GET", name: "/v1/profiles/me", path: "/v1/profiles/me",
			check: func(t *testing.T, a mxActor, r resp) {
				var p sankofa.Profile
				r.JSON(t, &p)
				if p.AccountID != f.account[a].ID {
					t.Errorf("profile of %s, want the caller's (%s)", p.AccountID, f.account[a].ID)
				}
			},
			want: workerOnly(mx200),
		},
		{
			method: "PATCH", name: "/v1/profiles/me", path: "/v1/profiles/me",
			body: bioPatch, header: map[string]string{"If-Match": `"v1"`},
			fresh: f.freshProfile,
			want:  workerOnly(mx200),
		},
		{
			method: "DELETE", name: "/v1/profiles/me", path: "/v1/profiles/me",
			fresh: f.freshProfile,
			want:  workerOnly(mx204),
		},
		{
			// Shared with GH only: the NG ministry must not learn it exists.
			method: "GET", name: "/v1/profiles/{id}", path: "/v1/profiles/" + f.profile.ID,
			check: func(t *testing.T, a mxActor, r resp) {
				var p sankofa.Profile
				r.JSON(t, &p)
				if p.ID != f.profile.ID {
					t.Errorf("profile %s, want %s", p.ID, f.profile.ID)
				}
				if redacted := a != mxAdmin; redacted != (p.Contact == nil) {
					t.Errorf("contact %+v; ministries must not see it, admins must", p.Contact)
				}
			},
			want: refused(map[mxActor]mxOutcome{
				mxPro: mxWrongRole, mxOtherPro: mxWrongRole, mxMinistryGH: mx200, mxMinistryNG: mxHidden,
				mxPendingGH: mxAwaiting, mxAdmin: mx200,
			}),
		},
		{
			method: "GET", name: "/v1/profiles/me/matches", path: "/v1/profiles/me/matches",
			want: workerOnly(mx200),
		},
		{
			method: "GET", name: "/v1/profiles", path: "/v1/profiles",
			want: ministryRoute(mx200, mx200, mx200),
		},
		{
			method: "GET", name: "/v1/assignments/{open}/matches", path: "/v1/assignments/" + f.open.ID + "/matches",
			want: ministryRoute(mx200, mxNotOwner, mx200),
		},
		{
			method: "GET", name: "/v1/assignments/{draft}/matches", path: "/v1/assignments/" + f.draft.ID + "/matches",
			want: ministryRoute(mx200, mxHidden, mx200),
		},
		{
			method: "POST", name: "/v1/assignments", path: "/v1/assignments", body: e.assignmentInput(),
			check: func(t *testing.T, a mxActor, r resp) {
				var asg sankofa.Assignment
				r.JSON(t, &asg)
				if acc := f.account[a]; asg.MinistryID != acc.ID || asg.Country != acc.Country || asg.Status != sankofa.AssignmentDraft {
					t.Errorf("created %s/%s/%s, want a draft of %s in %s", asg.MinistryID, asg.Country, asg.Status, acc.ID, acc.Country)
				}
			},
			want: ministryRoute(mx201, mx201, mxWrongRole),
		},
		{
			method: "GET", name: "/v1/assignments", path: "/v1/assignments?limit=100",
			check: func(t *testing.T, a mxActor, r resp) {
				ids := listed(t, a, r)
				for _, id := range ids {
					if strings.HasPrefix(id, "LEAK:") {
						t.Errorf("list shows %s, another ministry's assignment that is not open", id)
					}
				}
				hasDraft, hasOpen := slices.Contains(ids, f.draft.ID), slices.Contains(ids, f.open.ID)
				wantDraft := a == mxMinistryGH || a == mxAdmin
				// Open assignments are listed to everyone signed in.
				if hasDraft != wantDraft || !hasOpen {
					t.Errorf("list has draft %t, open %t; want %t, true", hasDraft, hasOpen, wantDraft)
				}
			},
			want: anyRole(mx200, mx200, mx200, mx200),
		},
		{
			method: "GET", name: "/v1/assignments/{draft}", path: draftPath,
			check: assignmentIs(sankofa.AssignmentDraft),
			want:  anyRole(mxHidden, mx200, mxHidden, mx200),
		},
		{
			method: "GET", name: "/v1/assignments/{open}", path: openPath,
			check: assignmentIs(sankofa.AssignmentOpen),
			want:  anyRole(mx200, mx200, mx200, mx200),
		},
		{
			method: "PATCH", name: "/v1/assignments/{draft}", path: draftPath, body: titlePatch, header: draftTag,
			fresh: f.freshAssignment(sankofa.AssignmentDraft, ""), check: assignmentIs(sankofa.AssignmentDraft),
			want: ministryRoute(mx200, mxHidden, mxWrongRole),
		},
		{
			method: "PATCH", name: "/v1/assignments/{open}", path: openPath, body: titlePatch, header: openTag,
			fresh: f.freshAssignment(sankofa.AssignmentOpen, ""), check: assignmentIs(sankofa.AssignmentOpen),
			want: ministryRoute(mx200, mxNotOwner, mxWrongRole),
		},
		{
			// If-Match is required (the request breaks the contract on purpose).
			method: "PATCH", name: "/v1/assignments/{draft}_without_If-Match", path: draftPath, body: titlePatch, bad: true,
			want: ministryRoute(mxNeedIfMatch, mxHidden, mxWrongRole),
		},
		{
			method: "POST", name: "/v1/assignments/{draft}/publish", path: draftPath + "/publish",
			fresh: f.freshAssignment(sankofa.AssignmentDraft, "/publish"), check: assignmentIs(sankofa.AssignmentOpen),
			want: ministryRoute(mx200, mxHidden, mxWrongRole),
		},
		{
			method: "POST", name: "/v1/assignments/{open}/publish", path: openPath + "/publish",
			want: ministryRoute(mxBadMove, mxNotOwner, mxWrongRole),
		},
		{
			method: "POST", name: "/v1/assignments/{open}/close", path: openPath + "/close",
			fresh: f.freshAssignment(sankofa.AssignmentOpen, "/close"), check: assignmentIs(sankofa.AssignmentClosed),
			want: ministryRoute(mx200, mxNotOwner, mx200),
		},
		{
			method: "POST", name: "/v1/assignments/{draft}/close", path: draftPath + "/close",
			want: ministryRoute(mxBadMove, mxHidden, mxBadMove),
		},
		{
			method: "POST", name: "/v1/assignments/{draft}/cancel", path: draftPath + "/cancel",
			fresh: f.freshAssignment(sankofa.AssignmentDraft, "/cancel"), check: assignmentIs(sankofa.AssignmentCancelled),
			want: ministryRoute(mx200, mxHidden, mx200),
		},
		{
			method: "POST", name: "/v1/assignments/{open}/cancel", path: openPath + "/cancel",
			fresh: f.freshAssignment(sankofa.AssignmentOpen, "/cancel"), check: assignmentIs(sankofa.AssignmentCancelled),
			want: ministryRoute(mx200, mxNotOwner, mx200),
		},
		{
			method: "POST", name: "/v1/assignments/{open}/offers", path: openPath + "/offers",
			body:  map[string]any{"profile_id": sankofa.ProfileIDFor(f.account[mxOtherPro].ID), "message": "Join us"},
			check: offerIs(sankofa.OfferPending),
			want:  ministryRoute(mx201, mxNotOwner, mxWrongRole),
		},
		{
			method: "POST", name: "/v1/assignments/{open}/interest", path: openPath + "/interest",
			fresh: f.freshAssignment(sankofa.AssignmentOpen, "/interest"),
			want:  workerOnly(mx201),
		},
		{
			method: "GET", name: "/v1/assignments/{open}/interest", path: openPath + "/interest",
			want: ministryRoute(mx200, mxNotOwner, mx200),
		},
		{
			method: "GET", name: "/v1/assignments/{open}/shortlist", path: openPath + "/shortlist",
			want: ministryRoute(mx200, mxNotOwner, mx200),
		},
		{
			method: "GET", name: "/v1/assignments/{draft}/shortlist", path: draftPath + "/shortlist",
			want: ministryRoute(mx200, mxHidden, mx200),
		},
		{
			method: "PUT", name: "/v1/assignments/{open}/shortlist/{profile}", path: openPath + "/shortlist/" + f.profile.ID,
			body:  map[string]any{"note": "strong candidate"},
			fresh: f.freshAssignment(sankofa.AssignmentOpen, "/shortlist/"+f.profile.ID),
			want:  ministryRoute(mx201, mxNotOwner, mxWrongRole),
		},
		{
			method: "DELETE", name: "/v1/assignments/{open}/shortlist/{profile}", path: openPath + "/shortlist/" + f.profile.ID,
			want: ministryRoute(mx204, mxNotOwner, mxWrongRole),
		},
		{
			method: "GET", name: "/v1/taxonomy/suggest", path: "/v1/taxonomy/suggest?q=midw&lang=fr",
			want: anyRole(mx200, mx200, mx200, mx200),
		},
		{
			method: "GET", name: "/v1/offers", path: "/v1/offers",
			want: anyRole(mx200, mx200, mx200, mx200),
		},
		{
			method: "GET", name: "/v1/offers/{offer}", path: "/v1/offers/" + f.offer.ID,
			check: offerIs(sankofa.OfferPending),
			want: refused(map[mxActor]mxOutcome{
				mxPro: mx200, mxOtherPro: mxHidden, mxMinistryGH: mx200, mxMinistryNG: mxHidden,
				mxPendingGH: mxAwaiting, mxAdmin: mx200,
			}),
		},
		{
			method: "POST", name: "/v1/offers/{offer}/accept", path: "/v1/offers/" + f.offer.ID + "/accept",
			fresh: f.freshOffer("accept", false), check: offerIs(sankofa.OfferAccepted),
			want: workerOnlyButOther(mx200),
		},
		{
			method: "POST", name: "/v1/offers/{offer}/decline", path: "/v1/offers/" + f.offer.ID + "/decline",
			fresh: f.freshOffer("decline", false), check: offerIs(sankofa.OfferDeclined),
			want: workerOnlyButOther(mx200),
		},
		{
			method: "POST", name: "/v1/offers/{offer}/withdraw", path: "/v1/offers/" + f.offer.ID + "/withdraw",
			fresh: f.freshOffer("withdraw", true), check: offerIs(sankofa.OfferWithdrawn),
			want: ministryRoute(mx200, mxHidden, mxWrongRole),
		},
		{
			method: "GET", name: "/v1/notifications", path: "/v1/notifications",
			want: anyRole(mx200, mx200, mx200, mx200),
		},
		{
			method: "GET", name: "/v1/notifications/unread-count", path: "/v1/notifications/unread-count",
			want: anyRole(mx200, mx200, mx200, mx200),
		},
		{
			method: "GET", name: "/v1/occupations", path: "/v1/occupations",
			want: anyRole(mx200, mx200, mx200, mx200),
		},
		{
			method: "POST", name: "/v1/notifications/read-all", path: "/v1/notifications/read-all",
			want: anyRole(mx204, mx204, mx204, mx204),
		},
		{
			// Nobody can mark another person's notification; ids are checked
			// against the caller.
			method: "POST", name: "/v1/notifications/{foreign}/read", path: "/v1/notifications/" + f.account[mxMinistryGH].ID + "-999999/read",
			want: anyRole(mxMissing, mxMissing, mxMissing, mxMissing),
		},
		{
			// The worker asks for one of their licences to be verified.
			method: "POST", name: "/v1/profiles/me/licences/{licence}/verification",
			path:  "/v1/profiles/me/licences/" + f.profile.Licences[0].ID + "/verification",
			fresh: f.freshLicence(false), check: licenceIs(sankofa.VerificationInProcess),
			want: workerOnly(mx200),
		},
		{
			method: "GET", name: "/v1/verifications", path: "/v1/verifications",
			want: ministryRoute(mx200, mx200, mx200),
		},
		{
			// The profile's licence is from GB: no ministry of the matrix
			// may decide it, an admin may.
			method: "POST", name: "/v1/verifications/{profile}/{licence}",
			path:  "/v1/verifications/" + f.profile.ID + "/" + f.profile.Licences[0].ID,
			body:  map[string]any{"status": "validated", "method": "document", "note": "Register checked."},
			fresh: f.freshLicence(true), check: verdictIs(sankofa.VerificationValidated),
			want: ministryRoute(mxHidden, mxHidden, mx200),
		},
		{
			method: "POST", name: "/v1/webhooks", path: "/v1/webhooks",
			body: map[string]any{"url": "https://93.184.215.14/sankofa", "events": []string{"offer.accepted"}},
			want: ministryRoute(mx201, mx201, mxWrongRole),
		},
		{
			method: "GET", name: "/v1/webhooks", path: "/v1/webhooks",
			want: ministryRoute(mx200, mx200, mxWrongRole),
		},
		{
			method: "DELETE", name: "/v1/webhooks/{unknown}", path: "/v1/webhooks/wh_nope",
			want: ministryRoute(mxMissing, mxMissing, mxWrongRole),
		},
		{
			method: "GET", name: "/v1/admin/dead-letters", path: "/v1/admin/dead-letters",
			want: adminOnly(mx200),
		},
		{
			method: "GET", name: "/v1/admin/consistency", path: "/v1/admin/consistency?wait=0s",
			want: adminOnly(mx200),
		},
		{
			method: "GET", name: "/v1/admin/status", path: "/v1/admin/status",
			want: adminOnly(mx200),
		},
		{
			method: "GET", name: "/v1/admin/audit", path: "/v1/admin/audit?action=auth.signin&limit=5",
			want: adminOnly(mx200),
		},
		{
			// The observatory is public open data, like /v1/about.
			method: "GET", name: "/v1/observatory", path: "/v1/observatory", want: mxEveryone(mx200),
		},
		{
			method: "GET", name: "/v1/observatory/stock", path: "/v1/observatory/stock?by=origin_country,languages",
			want: mxEveryone(mx200),
		},
		{
			method: "GET", name: "/v1/observatory/supply-demand", path: "/v1/observatory/supply-demand?country=GH",
			want: mxEveryone(mx200),
		},
		{
			method: "GET", name: "/v1/observatory/flows", path: "/v1/observatory/flows?by_year=true", want: mxEveryone(mx200),
		},
		{
			// Public like /v1/about: a broken or suspended token is no
			// reason to refuse the WHO safeguards list.
			method: "GET", name: "/v1/safeguards", path: "/v1/safeguards",
			want: func() map[mxActor]mxOutcome {
				w := map[mxActor]mxOutcome{}
				for _, a := range mxActors {
					w[a] = mx200
				}
				return w
			}(),
		},
		{
			// The list as shipped, put back as it is: nothing else changes.
			method: "PUT", name: "/v1/admin/safeguards", path: "/v1/admin/safeguards",
			body: func() sankofa.SafeguardListInput {
				l, _ := sankofa.DefaultSafeguardList()
				return sankofa.SafeguardListInput{Edition: l.Edition, Title: l.Title, Source: l.Source, ISBN: l.ISBN, Countries: l.Countries}
			}(),
			want: adminOnly(mx200),
		},
		{
			// South Africa and Nepal: no actor of the matrix lives in either.
			method: "POST", name: "/v1/admin/safeguards/agreements", path: "/v1/admin/safeguards/agreements",
			body: map[string]any{"employer_country": "ZA", "source_country": "NP", "title": "ZA-NP agreement", "valid_from": "2026-01-01"},
			check: func(t *testing.T, _ mxActor, r resp) {
				var ag sankofa.SafeguardAgreement
				r.JSON(t, &ag)
				if ag.ID == "" || ag.EmployerCountry != "ZA" {
					t.Errorf("agreement %+v", ag)
				}
			},
			want: adminOnly(mx201),
		},
		{
			method: "DELETE", name: "/v1/admin/safeguards/agreements/{id}", path: "/v1/admin/safeguards/agreements/sga_matrix",
			fresh: func(t *testing.T, a mxActor) mxCall {
				var ag sankofa.SafeguardAgreement
				e.must(t, 201, req{Method: "POST", Path: "/v1/admin/safeguards/agreements", Token: f.token[mxAdmin],
					Body: map[string]any{"employer_country": "ZA", "source_country": "GH", "title": "ZA-GH agreement", "valid_from": "2026-01-01"}}).JSON(t, &ag)
				return mxCall{token: f.token[a], path: "/v1/admin/safeguards/agreements/" + ag.ID}
			},
			want: adminOnly(mx204),
		},
		{
			method: "DELETE", name: "/v1/admin/safeguards/agreements/{unknown}", path: "/v1/admin/safeguards/agreements/sga_nope",
			want: adminOnly(mxMissing),
		},
		// GET /v1/notifications/stream never ends, so it is not a cell here;
		// TestNotifications_Stream* cover it and its refusal when signed out.
	}, append(f.reportRows(refused), f.fhirRows(refused)...)...)
}
