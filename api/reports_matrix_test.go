package api_test

import (
	"net/http"
	"testing"

	"sankofa"
)

// reportRows are the authorization matrix's rows of missions' evaluations
// and reports, on the shared pending offer (ministry GH to the
// professional): its two sides pass the role and party checks and meet
// the mission's state; everyone else is refused as usual.
func (f *mxFixtures) reportRows(refused func(map[mxActor]mxOutcome) map[mxActor]mxOutcome) []mxRow {
	notAccepted := mxOutcome{http.StatusConflict, "accepted", sankofa.MissionNotAccepted}
	noReport := mxOutcome{http.StatusNotFound, "report not found", ""}
	sides := func(pro, gh mxOutcome) map[mxActor]mxOutcome {
		return refused(map[mxActor]mxOutcome{
			mxPro: pro, mxOtherPro: mxHidden, mxMinistryGH: gh, mxMinistryNG: mxHidden,
			mxPendingGH: mxAwaiting, mxAdmin: mxWrongRole,
		})
	}
	public := func(o mxOutcome) map[mxActor]mxOutcome {
		w := map[mxActor]mxOutcome{}
		for _, a := range mxActors {
			w[a] = o
		}
		return w
	}
	offer := "/v1/offers/" + f.offer.ID
	eval := map[string]any{"objectives_met": 4, "preparation": 3, "support": 5, "comment": "Good."}
	report := reportBody("en")
	ifMatch := map[string]string{"If-Match": `"v1"`}
	postReport := sides(notAccepted, mxWrongRole)
	postReport[mxOtherPro], postReport[mxMinistryNG], postReport[mxPendingGH] = mxHidden, mxWrongRole, mxWrongRole
	return []mxRow{
		{method: "GET", name: "/v1/offers/{offer}/evaluation", path: offer + "/evaluation",
			check: func(t *testing.T, _ mxActor, r resp) {
				var st struct {
					Open   bool
					Reason string
				}
				r.JSON(t, &st)
				if st.Open || st.Reason != sankofa.MissionNotAccepted {
					t.Errorf("evaluation state of a pending offer: %+v", st)
				}
			},
			want: sides(mx200, mx200)},
		{method: "POST", name: "/v1/offers/{offer}/evaluation", path: offer + "/evaluation", body: eval,
			want: sides(notAccepted, notAccepted)},
		{method: "GET", name: "/v1/offers/{offer}/report", path: offer + "/report", want: sides(noReport, noReport)},
		{method: "POST", name: "/v1/offers/{offer}/report", path: offer + "/report", body: report, want: postReport},
		{method: "PUT", name: "/v1/offers/{offer}/report", path: offer + "/report", body: report, header: ifMatch,
			want: sides(noReport, noReport)},
		{method: "PATCH", name: "/v1/offers/{offer}/report", path: offer + "/report", body: map[string]any{"objectives": "More."},
			header: ifMatch, want: sides(noReport, noReport)},
		{method: "POST", name: "/v1/offers/{offer}/report/consent", path: offer + "/report/consent", want: sides(noReport, noReport)},
		{method: "DELETE", name: "/v1/offers/{offer}/report/consent", path: offer + "/report/consent", want: sides(noReport, noReport)},
		// Public like /v1/about: a broken or suspended token is no reason
		// to refuse them. (GET /v1/reports/{id} is public too; the matrix
		// has no published report, and TestReports_Mission reads one.)
		{method: "GET", name: "/v1/reports", path: "/v1/reports?q=midwife&lang=en", want: public(mx200)},
		{method: "GET", name: "/v1/observatory/outcomes", path: "/v1/observatory/outcomes?country=GH", want: public(mx200)},
	}
}
