package api_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sankofa"
	"sankofa/fhir"
	"sankofa/fhir/fhirtest"
)

// outcome checks that r is a FHIR OperationOutcome of the given status
// whose diagnostics mention want.
func outcome(t *testing.T, r resp, status int, want string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/fhir+json" {
		t.Fatalf("content type %q, want application/fhir+json: %s", ct, r.Body)
	}
	fhirtest.Valid(t, r.Body)
	var oo struct {
		ResourceType string `json:"resourceType"`
		Issue        []struct {
			Code        string `json:"code"`
			Diagnostics string `json:"diagnostics"`
		} `json:"issue"`
	}
	r.JSON(t, &oo)
	if oo.ResourceType != "OperationOutcome" || len(oo.Issue) == 0 || oo.Issue[0].Code != fhir.IssueType(status) ||
		!strings.Contains(oo.Issue[0].Diagnostics, want) {
		t.Fatalf("outcome %s, want %s mentioning %q", r.Body, fhir.IssueType(status), want)
	}
}

// fhirResource checks a 200 FHIR answer and returns it decoded.
func fhirResource(t *testing.T, r resp) map[string]any {
	t.Helper()
	if r.Status != 200 || r.Header.Get("Content-Type") != "application/fhir+json" {
		t.Fatalf("status %d, content type %q: %s", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	fhirtest.Valid(t, r.Body)
	var v map[string]any
	r.JSON(t, &v)
	return v
}

func TestFHIR_Read(t *testing.T) {
	e := newEnv(t)
	worker, wTok := e.Professional(t)
	var p sankofa.Profile
	e.must(t, 201, req{Method: "PUT", Path: "/v1/profiles/me", Token: wTok, Body: e.profileInput()}).JSON(t, &p)
	gh, ghTok := e.Ministry(t, "GH", false)
	_, ngTok := e.Ministry(t, "NG", false)
	_ = gh
	admin := e.Admin(t)
	fid, _ := fhir.ID(p.ID)

	t.Run("Metadata", func(t *testing.T) {
		cs := fhirResource(t, e.do(t, req{Method: "GET", Path: "/fhir/r4/metadata"}))
		if cs["resourceType"] != "CapabilityStatement" {
			t.Fatalf("%v", cs)
		}
	})
	t.Run("Practitioner", func(t *testing.T) {
		for _, tok := range []string{ghTok, admin} {
			r := e.do(t, req{Method: "GET", Path: "/fhir/r4/Practitioner/" + fid, Token: tok})
			v := fhirResource(t, r)
			if v["id"] != fid || strings.Contains(string(r.Body), "telecom") || strings.Contains(string(r.Body), "ama@example.org") {
				t.Fatalf("practitioner %s", r.Body)
			}
			if missing := contains(r.Body, `"value":"`+p.ID+`"`, `"text":"Ama Mensah"`, `"code":"unverified"`, `"valueCode":"C2"`); len(missing) > 0 {
				t.Errorf("lacks %v: %s", missing, r.Body)
			}
		}
	})
	t.Run("ErrNotShared", func(t *testing.T) {
		outcome(t, e.do(t, req{Method: "GET", Path: "/fhir/r4/Practitioner/" + fid, Token: ngTok}), 404, "not found")
	})
	t.Run("ErrNoSuchID", func(t *testing.T) {
		outcome(t, e.do(t, req{Method: "GET", Path: "/fhir/r4/Practitioner/" + p.ID, Token: ghTok}), 404, "no resource")
		outcome(t, e.do(t, req{Method: "GET", Path: "/fhir/r4/Practitioner/pro-nobody", Token: ghTok}), 404, "not found")
	})
	t.Run("ErrAuth", func(t *testing.T) {
		r := e.do(t, req{Method: "GET", Path: "/fhir/r4/Practitioner/" + fid})
		outcome(t, r, 401, "sign in")
		if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("no Bearer challenge")
		}
		outcome(t, e.do(t, req{Method: "GET", Path: "/fhir/r4/Practitioner/" + fid, Token: wTok}), 403, "not open")
	})
	t.Run("UnknownPath", func(t *testing.T) {
		outcome(t, e.do(t, req{Method: "GET", Path: "/fhir/r4/Patient/x", Token: ghTok, Bad: true}), 404, "metadata")
		outcome(t, e.do(t, req{Method: "GET", Path: "/fhir/r4", Bad: true}), 404, "metadata")
	})
	t.Run("WrongMethod", func(t *testing.T) {
		for _, path := range []string{"/fhir/r4/metadata", "/fhir/r4/Practitioner/" + fid, "/fhir/r4/bulk/exp_x"} {
			r := e.do(t, req{Method: "PUT", Path: path, Token: ghTok, Bad: true})
			outcome(t, r, 405, "answers GET")
			if !strings.Contains(r.Header.Get("Allow"), "GET") {
				t.Errorf("%s: Allow %q", path, r.Header.Get("Allow"))
			}
		}
	})
	t.Run("SearchByIdentifier", func(t *testing.T) {
		r := e.do(t, req{Method: "GET", Path: "/fhir/r4/Practitioner?identifier=" + fhir.SystemProfileID + "|" + p.ID, Token: ghTok})
		b := fhirResource(t, r)
		if b["type"] != "searchset" || b["total"] != float64(1) || !strings.Contains(string(r.Body), `"id":"`+fid+`"`) {
			t.Fatalf("bundle %s", r.Body)
		}
		for _, tok := range []string{ngTok} {
			b := fhirResource(t, e.do(t, req{Method: "GET", Path: "/fhir/r4/Practitioner?identifier=" + p.ID, Token: tok}))
			if b["total"] != float64(0) {
				t.Fatalf("a ministry not shared with finds it: %v", b)
			}
		}
		outcome(t, e.do(t, req{Method: "GET", Path: "/fhir/r4/Practitioner?identifier=http://other|" + p.ID, Token: ghTok}), 400, "invalid")
		outcome(t, e.do(t, req{Method: "GET", Path: "/fhir/r4/Practitioner?name=Ama", Token: ghTok, Bad: true}), 400, "invalid")
	})
	t.Run("Roles", func(t *testing.T) {
		r := e.do(t, req{Method: "GET", Path: "/fhir/r4/PractitionerRole?practitioner=Practitioner/" + fid, Token: ghTok})
		b := fhirResource(t, r)
		if b["total"] != float64(2) {
			t.Fatalf("roles %s", r.Body)
		}
		if missing := contains(r.Body, `"code":"in-person"`, `"code":"videoconference"`, `"availableTime"`, `{"text":"obstetrics"}`); len(missing) > 0 {
			t.Errorf("lacks %v: %s", missing, r.Body)
		}
		b = fhirResource(t, e.do(t, req{Method: "GET", Path: "/fhir/r4/PractitionerRole?practitioner=" + fid, Token: ngTok}))
		if b["total"] != float64(0) {
			t.Fatalf("a ministry not shared with sees roles: %v", b)
		}
	})
	t.Run("TelecomAfterAcceptedOffer", func(t *testing.T) {
		a := e.publishedAssignment(t, ghTok, nil)
		o := e.offer(t, ghTok, a.ID, worker, 201)
		e.must(t, 200, req{Method: "POST", Path: "/v1/offers/" + o.ID + "/accept", Token: wTok})
		r := e.do(t, req{Method: "GET", Path: "/fhir/r4/Practitioner/" + fid, Token: ghTok})
		fhirResource(t, r)
		if missing := contains(r.Body, `"telecom":[{"system":"email","value":"ama@example.org"},{"system":"phone","value":"+447700900123"`); len(missing) > 0 {
			t.Errorf("no telecom after an accepted offer: %s", r.Body)
		}
		// The booking shows in the roles.
		r = e.do(t, req{Method: "GET", Path: "/fhir/r4/PractitionerRole?practitioner=" + fid, Token: ghTok})
		fhirResource(t, r)
		if missing := contains(r.Body, `"during":{"start":"`+string(a.Start)+`","end":"`+string(a.End)+`"}`); len(missing) > 0 {
			t.Errorf("no booking: %s", r.Body)
		}
		// An admin never sees contact details, as with offers.
		r = e.do(t, req{Method: "GET", Path: "/fhir/r4/Practitioner/" + fid, Token: admin})
		if strings.Contains(string(r.Body), "telecom") {
			t.Errorf("admin sees telecom: %s", r.Body)
		}
	})
}

// manifest is a Bulk Data manifest.
type manifest struct {
	TransactionTime     string `json:"transactionTime"`
	Request             string `json:"request"`
	RequiresAccessToken bool   `json:"requiresAccessToken"`
	Output              []struct {
		Type  string `json:"type"`
		URL   string `json:"url"`
		Count int    `json:"count"`
	} `json:"output"`
}

// fhirExport kicks off an export at path and returns its status path.
func (e *env) fhirExport(t *testing.T, tok, path string) string {
	t.Helper()
	r := e.do(t, req{Method: "GET", Path: path, Token: tok, Header: map[string]string{"Prefer": "respond-async", "Accept": "application/fhir+json"}})
	if r.Status != 202 {
		t.Fatalf("kick-off %s: %d %s", path, r.Status, r.Body)
	}
	fhirtest.Valid(t, r.Body)
	loc := r.Header.Get("Content-Location")
	if !strings.HasPrefix(loc, e.URL+"/fhir/r4/bulk/") {
		t.Fatalf("Content-Location %q", loc)
	}
	return strings.TrimPrefix(loc, e.URL)
}

// manifestOf polls a status path until the manifest comes.
func (e *env) manifestOf(t *testing.T, tok, status string) manifest {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	sawProgress := false
	for time.Now().Before(deadline) {
		r := e.do(t, req{Method: "GET", Path: status, Token: tok})
		switch r.Status {
		case 202:
			if r.Header.Get("X-Progress") == "" {
				t.Fatalf("202 without X-Progress")
			}
			sawProgress = true
			time.Sleep(20 * time.Millisecond)
			continue
		case 200:
			var m manifest
			r.JSON(t, &m)
			_ = sawProgress
			return m
		default:
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
	}
	t.Fatal("the export did not finish")
	return manifest{}
}

func TestFHIR_Export(t *testing.T) {
	e := newEnv(t)
	var ids []string
	for i := range 5 {
		_, tok := e.Professional(t)
		in := e.profileInput()
		if i == 4 {
			in.ShareWith = []string{"NG"} // not in GH's Group
		}
		var p sankofa.Profile
		e.must(t, 201, req{Method: "PUT", Path: "/v1/profiles/me", Token: tok, Body: in}).JSON(t, &p)
		ids = append(ids, p.ID)
	}
	_, ghTok := e.Ministry(t, "GH", false)
	_, gh2Tok := e.Ministry(t, "GH", false)
	admin := e.Admin(t)
	// The index is written by the dispatcher after each save; wait for it.
	waitIndexed(t, e, "GH", 4)

	t.Run("Group", func(t *testing.T) {
		status := e.fhirExport(t, ghTok, "/fhir/r4/Group/GH/$export")
		m := e.manifestOf(t, ghTok, status)
		if !m.RequiresAccessToken || m.TransactionTime == "" || !strings.HasSuffix(m.Request, "/fhir/r4/Group/GH/$export") || len(m.Output) != 2 {
			t.Fatalf("manifest %+v", m)
		}
		for _, o := range m.Output {
			path := strings.TrimPrefix(o.URL, e.URL)
			r := e.do(t, req{Method: "GET", Path: path, Token: ghTok})
			if r.Status != 200 || r.Header.Get("Content-Type") != "application/fhir+ndjson" {
				t.Fatalf("%s: %d %s", path, r.Status, r.Body)
			}
			n := fhirtest.ValidNDJSON(t, r.Body)
			want := map[string]int{"Practitioner": 4, "PractitionerRole": 8}[o.Type]
			if n != want || o.Count != want {
				t.Errorf("%s: %d lines, count %d, want %d", o.Type, n, o.Count, want)
			}
			if strings.Contains(string(r.Body), ids[4]) || strings.Contains(string(r.Body), "telecom") {
				t.Errorf("%s holds what GH may not see: %s", o.Type, r.Body)
			}
			// Another ministry of GH, with a token of its own, gets nothing.
			outcome(t, e.do(t, req{Method: "GET", Path: path, Token: gh2Tok}), 404, "not found")
			outcome(t, e.do(t, req{Method: "GET", Path: path}), 401, "sign in")
		}
		outcome(t, e.do(t, req{Method: "GET", Path: status, Token: gh2Tok}), 404, "not found")
		outcome(t, e.do(t, req{Method: "GET", Path: status + "/Patient.ndjson", Token: ghTok}), 404, "no such file")
		// DELETE deletes the job and its files.
		r := e.do(t, req{Method: "DELETE", Path: status, Token: ghTok})
		if r.Status != 202 {
			t.Fatalf("delete: %d %s", r.Status, r.Body)
		}
		fhirtest.Valid(t, r.Body)
		outcome(t, e.do(t, req{Method: "GET", Path: status, Token: ghTok}), 404, "not found")
	})
	t.Run("System", func(t *testing.T) {
		waitIndexed(t, e, "", 5)
		status := e.fhirExport(t, admin, "/fhir/r4/$export?_type=Practitioner")
		m := e.manifestOf(t, admin, status)
		if len(m.Output) != 1 || m.Output[0].Type != "Practitioner" || m.Output[0].Count != 5 {
			t.Fatalf("manifest %+v", m)
		}
	})
	t.Run("ResumesAfterCrash", func(t *testing.T) {
		// A job whose last checkpoint was at the start, and a file holding
		// what a killed process wrote after it: the rerun cuts it off.
		var me sankofa.Account
		e.must(t, 200, req{Method: "GET", Path: "/v1/me", Token: admin}).JSON(t, &me)
		j := &fhir.ExportJob{ID: sankofa.NewID("exp"), OwnerID: me.ID, Types: fhir.ExportTypes, Request: "x",
			Status: fhir.JobRunning, TransactionTime: e.Now.Now(), Counts: map[string]int{}, Bytes: map[string]int64{}}
		if err := e.Store.SaveExportJob(t.Context(), j); err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(e.dir, "fhir-exports", j.ID)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "Practitioner.ndjson"), []byte(`{"resourceType":"Practitioner","id":"half-writ`), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := e.Exports.RunOnce(t.Context()); err != nil {
			t.Fatal(err)
		}
		m := e.manifestOf(t, admin, "/fhir/r4/bulk/"+j.ID)
		for _, o := range m.Output {
			r := e.do(t, req{Method: "GET", Path: strings.TrimPrefix(o.URL, e.URL), Token: admin})
			if n := fhirtest.ValidNDJSON(t, r.Body); n != o.Count || strings.Contains(string(r.Body), "half-writ") {
				t.Fatalf("%s: %d lines for %d: %s", o.Type, n, o.Count, r.Body)
			}
		}
	})
	t.Run("Refused", func(t *testing.T) {
		outcome(t, e.do(t, req{Method: "GET", Path: "/fhir/r4/Group/GH/$export", Token: ghTok, Bad: true}), 400, "respond-async")
		async := map[string]string{"Prefer": "respond-async"}
		outcome(t, e.do(t, req{Method: "GET", Path: "/fhir/r4/Group/NG/$export", Token: ghTok, Header: async}), 403, "own country")
		outcome(t, e.do(t, req{Method: "GET", Path: "/fhir/r4/Group/ZZ/$export", Token: ghTok, Header: async}), 404, "ISO 3166")
		outcome(t, e.do(t, req{Method: "GET", Path: "/fhir/r4/$export", Token: ghTok, Header: async}), 403, "not open")
		outcome(t, e.do(t, req{Method: "GET", Path: "/fhir/r4/Group/GH/$export", Token: admin, Header: async}), 403, "not open")
		outcome(t, e.do(t, req{Method: "GET", Path: "/fhir/r4/Group/GH/$export?_type=Patient", Token: ghTok, Header: async}), 400, "invalid")
		outcome(t, e.do(t, req{Method: "GET", Path: "/fhir/r4/Group/GH/$export?_typeFilter=x", Token: ghTok, Header: async}), 400, "invalid")
		outcome(t, e.do(t, req{Method: "GET", Path: "/fhir/r4/Group/GH/$export?_since=yesterday", Token: ghTok, Header: async}), 400, "invalid")
	})
	t.Run("Sweep", func(t *testing.T) {
		status := e.fhirExport(t, admin, "/fhir/r4/$export")
		e.manifestOf(t, admin, status)
		// Past the access token's life: sign in again after each step.
		e.Now.Add(23 * time.Hour)
		if err := e.Exports.RunOnce(t.Context()); err != nil {
			t.Fatal(err)
		}
		admin := e.login(t, adminEmail, adminPassword)
		e.must(t, 200, req{Method: "GET", Path: status, Token: admin})
		e.Now.Add(2 * time.Hour)
		if err := e.Exports.RunOnce(t.Context()); err != nil {
			t.Fatal(err)
		}
		admin = e.login(t, adminEmail, adminPassword)
		outcome(t, e.do(t, req{Method: "GET", Path: status, Token: admin}), 404, "not found")
		if _, err := os.Stat(filepath.Join(e.dir, "fhir-exports", strings.TrimPrefix(status, "/fhir/r4/bulk/"))); !os.IsNotExist(err) {
			t.Fatalf("the files outlive the job: %v", err)
		}
	})
}

// waitIndexed waits until the index lists n profiles for an export of
// country ("" for all).
func waitIndexed(t *testing.T, e *env, country string, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		ids, _, _, err := e.Index.ExportProfileIDs(t.Context(), country, "", 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) >= n {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the index does not list %d profiles for %q", n, country)
}

// TestFHIR_ExportErasure: an erasure deletes every finished export that
// holds the erased person.
func TestFHIR_ExportErasure(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail("fhirerase")
	var w sankofa.Account
	e.must(t, 201, req{Method: "POST", Path: "/v1/auth/register", Body: sankofa.Registration{
		Email: email, Password: testPassword, Name: "Kofi Zqfhir", Role: sankofa.RoleProfessional}}).JSON(t, &w)
	wTok := e.login(t, email, testPassword)
	var p sankofa.Profile
	e.must(t, 201, req{Method: "PUT", Path: "/v1/profiles/me", Token: wTok, Body: e.profileInput()}).JSON(t, &p)
	_, ghTok := e.Ministry(t, "GH", false)
	waitIndexed(t, e, "GH", 1)
	status := e.fhirExport(t, ghTok, "/fhir/r4/Group/GH/$export")
	m := e.manifestOf(t, ghTok, status)
	if len(m.Output) == 0 {
		t.Fatal("empty export")
	}
	e.must(t, 204, req{Method: "DELETE", Path: "/v1/me", Token: wTok, Body: map[string]string{"password": testPassword}})
	if err := e.Flow.FinishErasures(t.Context()); err != nil {
		t.Fatal(err)
	}
	outcome(t, e.do(t, req{Method: "GET", Path: status, Token: ghTok}), 404, "not found")
	jobs, err := e.Store.ExportJobs(t.Context())
	if err != nil || len(jobs) != 0 {
		t.Fatalf("jobs left: %v %v", jobs, err)
	}
	if b, _ := json.Marshal(jobs); strings.Contains(string(b), p.ID) {
		t.Fatal("a job names the erased person")
	}

	// A running job that has written the person starts again.
	fid, _ := fhir.ID(p.ID)
	j := &fhir.ExportJob{ID: sankofa.NewID("exp"), OwnerID: "acc_x", Types: fhir.ExportTypes, Request: "x", Status: fhir.JobRunning,
		TransactionTime: e.Now.Now(), Cursor: "c", Done: 7, Counts: map[string]int{"Practitioner": 7}, Bytes: map[string]int64{"Practitioner": 30}}
	if err := e.Store.SaveExportJob(t.Context(), j); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(e.dir, "fhir-exports", j.ID)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Practitioner.ndjson"), []byte(`{"id":"`+fid+`"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := e.Exports.EraseProfile(t.Context(), p.ID); err != nil {
		t.Fatal(err)
	}
	got, err := e.Store.ExportJob(t.Context(), j.ID)
	if err != nil || got.Status != fhir.JobRunning || got.Done != 0 || got.Cursor != "" || got.Counts["Practitioner"] != 0 {
		t.Fatalf("running job after the erasure: %+v %v", got, err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("its files are kept: %v", err)
	}
}

// TestFHIR_ExportFails: a profile that cannot be written as FHIR (an id
// Sankofa never makes) fails the job for good, and its status says so.
func TestFHIR_ExportFails(t *testing.T) {
	e := newEnv(t)
	admin := e.Admin(t)
	p := &sankofa.Profile{ID: "pro-not.a.sankofa.id", AccountID: "acc_x", ProfileInput: e.profileInput(), Version: 1,
		CreatedAt: e.Now.Now(), UpdatedAt: e.Now.Now()}
	p.Normalize()
	if err := e.Index.IndexProfile(p, true); err != nil {
		t.Fatal(err)
	}
	ev, err := sankofa.NewEvent("profile", "created", p.ID, 1, "", e.Now.Now(), p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.SaveProfile(t.Context(), p, ev); err != nil {
		t.Fatal(err)
	}
	status := e.fhirExport(t, admin, "/fhir/r4/$export")
	eventually := time.Now().Add(10 * time.Second)
	for {
		r := e.do(t, req{Method: "GET", Path: status, Token: admin})
		if r.Status == 202 && time.Now().Before(eventually) {
			time.Sleep(20 * time.Millisecond)
			continue
		}
		outcome(t, r, 500, "delete it and start another")
		break
	}
	e.must(t, 202, req{Method: "DELETE", Path: status, Token: admin})
}
