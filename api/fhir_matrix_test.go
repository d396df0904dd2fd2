package api_test

import (
	"strings"
	"testing"
	"time"

	"sankofa"
	"sankofa/fhir"
	"sankofa/fhir/fhirtest"
)

// fhirRows are the authorization matrix's rows for /fhir/r4. Their errors
// are FHIR OperationOutcomes (mxRow.fhir), checked by outcome.
func (f *mxFixtures) fhirRows(refused func(map[mxActor]mxOutcome) map[mxActor]mxOutcome) []mxRow {
	e := f.e
	t := e.tb
	fid, _ := fhir.ID(f.profile.ID)
	// readers: approved ministries and admins; NG is not shared with.
	readers := func(gh, ng, admin mxOutcome) map[mxActor]mxOutcome {
		return refused(map[mxActor]mxOutcome{
			mxPro: mxWrongRole, mxOtherPro: mxWrongRole, mxMinistryGH: gh, mxMinistryNG: ng,
			mxPendingGH: mxAwaiting, mxAdmin: admin,
		})
	}
	valid := func(t *testing.T, _ mxActor, r resp) {
		if ct := r.Header.Get("Content-Type"); ct != "application/fhir+json" {
			t.Errorf("content type %q", ct)
		}
		fhirtest.Valid(t, r.Body)
	}
	// A finished export of ministry GH's, made before the rows run.
	ghJob := e.finishedExport(t, f.account[mxMinistryGH].ID)
	fresh := func(t *testing.T, a mxActor) mxCall {
		return mxCall{token: f.token[a], path: "/fhir/r4/bulk/" + e.finishedExport(t, f.account[a].ID)}
	}
	async := map[string]string{"Prefer": "respond-async"}
	everyone := map[mxActor]mxOutcome{}
	for _, a := range mxActors {
		everyone[a] = mx200
	}
	return []mxRow{
		{method: "GET", name: "/fhir/r4/metadata", path: "/fhir/r4/metadata", fhir: true, check: valid, want: everyone},
		{
			method: "GET", name: "/fhir/r4/Practitioner/{pro}", path: "/fhir/r4/Practitioner/" + fid, fhir: true, check: valid,
			want: readers(mx200, mxHidden, mx200),
		},
		{
			method: "GET", name: "/fhir/r4/Practitioner?identifier", path: "/fhir/r4/Practitioner?identifier=" + f.profile.ID, fhir: true,
			check: func(t *testing.T, a mxActor, r resp) {
				valid(t, a, r)
				if found := strings.Contains(string(r.Body), `"id":"`+fid+`"`); found != (a != mxMinistryNG) {
					t.Errorf("%s finds it: %v; %s", a, found, r.Body)
				}
			},
			want: readers(mx200, mx200, mx200),
		},
		{
			method: "GET", name: "/fhir/r4/PractitionerRole?practitioner", path: "/fhir/r4/PractitionerRole?practitioner=" + fid, fhir: true,
			check: valid, want: readers(mx200, mx200, mx200),
		},
		{
			method: "GET", name: "/fhir/r4/Group/GH/$export", path: "/fhir/r4/Group/GH/$export", header: async, fhir: true,
			want: refused(map[mxActor]mxOutcome{
				mxPro: mxWrongRole, mxOtherPro: mxWrongRole, mxMinistryGH: {status: 202},
				mxMinistryNG: {403, "own country", ""}, mxPendingGH: mxAwaiting, mxAdmin: mxWrongRole,
			}),
		},
		{
			method: "GET", name: "/fhir/r4/$export", path: "/fhir/r4/$export?_type=Practitioner", header: async, fhir: true,
			want: refused(map[mxActor]mxOutcome{
				mxPro: mxWrongRole, mxOtherPro: mxWrongRole, mxMinistryGH: mxWrongRole,
				mxMinistryNG: mxWrongRole, mxPendingGH: mxWrongRole, mxAdmin: {status: 202},
			}),
		},
		{
			method: "GET", name: "/fhir/r4/bulk/{job}", path: "/fhir/r4/bulk/" + ghJob, fhir: true,
			want: readers(mx200, mxHidden, mxHidden),
		},
		{
			method: "GET", name: "/fhir/r4/bulk/{job}/Practitioner.ndjson", path: "/fhir/r4/bulk/" + ghJob + "/Practitioner.ndjson", fhir: true,
			check: func(t *testing.T, _ mxActor, r resp) { fhirtest.ValidNDJSON(t, r.Body) },
			want:  readers(mx200, mxHidden, mxHidden),
		},
		{
			method: "DELETE", name: "/fhir/r4/bulk/{job}", path: "/fhir/r4/bulk/" + ghJob, fhir: true, fresh: fresh,
			want: readers(mxOutcome{status: 202}, mxHidden, mxHidden),
		},
	}
}

// finishedExport makes a finished export job of owner's, with one
// Practitioner in its file, and returns its id.
func (e *env) finishedExport(tb testing.TB, owner string) string {
	tb.Helper()
	j := &fhir.ExportJob{ID: sankofa.NewID("exp"), OwnerID: owner, Types: fhir.ExportTypes, Request: e.URL + "/fhir/r4/$export",
		Status: fhir.JobRunning, TransactionTime: time.Now().UTC(), Counts: map[string]int{}, Bytes: map[string]int64{}}
	// The worker writes it: a ministry's Group of a country no profile is
	// shared with would be empty, so it is an export of everything.
	if err := e.Store.SaveExportJob(tb.Context(), j); err != nil {
		tb.Fatal(err)
	}
	if err := e.Exports.RunOnce(tb.Context()); err != nil {
		tb.Fatal(err)
	}
	got, err := e.Store.ExportJob(tb.Context(), j.ID)
	if err != nil || got.Status != fhir.JobDone || got.Counts["Practitioner"] == 0 {
		tb.Fatalf("export %+v, %v", got, err)
	}
	return j.ID
}
