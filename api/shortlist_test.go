package api_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"sankofa"
)

// shortlistBody is the answer of GET /v1/assignments/{id}/shortlist.
type shortlistBody struct {
	Items []struct {
		ProfileID string           `json:"profile_id"`
		Note      string           `json:"note"`
		AddedAt   time.Time        `json:"added_at"`
		Gone      bool             `json:"gone"`
		Profile   *sankofa.Profile `json:"profile"`
		Match     *struct {
			Score       float64        `json:"score"`
			Explanation map[string]any `json:"explanation"`
		} `json:"match"`
	} `json:"items"`
}

func TestShortlist(t *testing.T) {
	e := newEnv(t)
	_, gh := e.Ministry(t, "GH", false)
	_, gh2 := e.Ministry(t, "GH", false)
	a := e.publishedAssignment(t, gh, nil)
	var draft sankofa.Assignment
	e.must(t, 201, req{Method: "POST", Path: "/v1/assignments", Token: gh, Body: e.assignmentInput()}).JSON(t, &draft)

	ama, _ := e.worker(t, func(in *sankofa.ProfileInput) {})
	leaving, leavingTok := e.worker(t, func(in *sankofa.ProfileInput) {})
	hiding, hidingTok := e.worker(t, func(in *sankofa.ProfileInput) {})
	ngOnly, _ := e.worker(t, func(in *sankofa.ProfileInput) { in.ShareWith = []string{"NG"} })
	unfit, _ := e.worker(t, func(in *sankofa.ProfileInput) { in.Languages = []sankofa.Language{{Code: "fr", Level: "C2"}} })
	pid := sankofa.ProfileIDFor
	path := "/v1/assignments/" + a.ID + "/shortlist"

	tests := []struct {
		name   string
		r      req
		status int
		body   []string // fragments of the answer
	}{
		{"Add", req{Method: "PUT", Path: path + "/" + pid(ama.ID), Token: gh, Body: map[string]any{"note": "strong in EmONC"}}, 201, nil},
		{"UpdateNote", req{Method: "PUT", Path: path + "/" + pid(ama.ID), Token: gh, Body: map[string]any{"note": "call first"}}, 200, nil},
		{"AddWithoutNote", req{Method: "PUT", Path: path + "/" + pid(leaving.ID), Token: gh, Body: map[string]any{}}, 201, nil},
		{"AddHiding", req{Method: "PUT", Path: path + "/" + pid(hiding.ID), Token: gh, Body: map[string]any{"note": "keep"}}, 201, nil},
		{"AddUnfit", req{Method: "PUT", Path: path + "/" + pid(unfit.ID), Token: gh, Body: map[string]any{}}, 201, nil},
		{"ErrNotSharedWithCountry", req{Method: "PUT", Path: path + "/" + pid(ngOnly.ID), Token: gh, Body: map[string]any{}}, 404, []string{"profile not found"}},
		{"ErrUnknownProfile", req{Method: "PUT", Path: path + "/prf_nope", Token: gh, Body: map[string]any{}}, 404, []string{"not found"}},
		{"ErrNoteTooLong", req{Method: "PUT", Path: path + "/" + pid(ama.ID), Token: gh, Body: map[string]any{"note": strings.Repeat("é", 1001)}}, 400, []string{`"note"`}},
		{"ErrUnknownField", req{Method: "PUT", Path: path + "/" + pid(ama.ID), Token: gh, Body: map[string]any{"notes": "x"}, Bad: true}, 400, nil},
		{"ErrOtherMinistryOpen", req{Method: "PUT", Path: path + "/" + pid(ama.ID), Token: gh2, Body: map[string]any{}}, 403, []string{"only the ministry that posted"}},
		{"ErrOtherMinistryReads", req{Method: "GET", Path: path, Token: gh2}, 403, nil},
		{"ErrOtherMinistryDraft", req{Method: "GET", Path: "/v1/assignments/" + draft.ID + "/shortlist", Token: gh2}, 404, nil},
		{"ErrOtherMinistryDelete", req{Method: "DELETE", Path: path + "/" + pid(ama.ID), Token: gh2}, 403, nil},
		{"AdminReads", req{Method: "GET", Path: path, Token: e.Admin(t)}, 200, []string{pid(ama.ID)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := e.do(t, tt.r)
			if got.Status != tt.status {
				t.Fatalf("status %d, want %d; body %s", got.Status, tt.status, got.Body)
			}
			if m := contains(got.Body, tt.body...); len(m) > 0 {
				t.Errorf("body lacks %q: %s", m, got.Body)
			}
		})
	}

	// Then one worker deletes the profile and another stops sharing it.
	e.must(t, 204, req{Method: "DELETE", Path: "/v1/profiles/me", Token: leavingTok})
	e.must(t, 200, req{Method: "PATCH", Path: "/v1/profiles/me", Token: hidingTok, Body: map[string]any{"share_with": []string{"NG"}},
		Header: map[string]string{"If-Match": `"v1"`, "Content-Type": "application/merge-patch+json"}})

	t.Run("List", func(t *testing.T) {
		got := e.must(t, 200, req{Method: "GET", Path: path, Token: gh})
		if strings.Contains(string(got.Body), "@example.org") || strings.Contains(string(got.Body), "+447700900123") {
			t.Fatalf("contact details leak: %s", got.Body)
		}
		var l shortlistBody
		got.JSON(t, &l)
		if len(l.Items) != 4 {
			t.Fatalf("%d items, want 4: %s", len(l.Items), got.Body)
		}
		byID := map[string]int{}
		for i, it := range l.Items {
			byID[it.ProfileID] = i
		}
		first := l.Items[byID[pid(ama.ID)]]
		if first.Note != "call first" || first.Gone || first.Profile == nil || first.Profile.Contact != nil || first.Match == nil || first.Match.Score <= 0 {
			t.Errorf("ama: %+v", first)
		}
		if it := l.Items[byID[pid(unfit.ID)]]; it.Gone || it.Profile == nil || it.Match != nil {
			t.Errorf("unfit worker: gone %t, profile %v, match %v; want a profile and a null match", it.Gone, it.Profile != nil, it.Match)
		}
		for _, id := range []string{pid(leaving.ID), pid(hiding.ID)} {
			if it := l.Items[byID[id]]; !it.Gone || it.Profile != nil || it.Match != nil {
				t.Errorf("%s: gone %t, profile %v; want gone and nothing shown", id, it.Gone, it.Profile)
			}
		}
		if it := l.Items[byID[pid(hiding.ID)]]; it.Note != "keep" {
			t.Errorf("gone worker's note %q, want it kept", it.Note)
		}
	})
	t.Run("Remove", func(t *testing.T) {
		for range 2 { // idempotent
			e.must(t, 204, req{Method: "DELETE", Path: path + "/" + pid(unfit.ID), Token: gh})
		}
		var l shortlistBody
		e.must(t, 200, req{Method: "GET", Path: path, Token: gh}).JSON(t, &l)
		for _, it := range l.Items {
			if it.ProfileID == pid(unfit.ID) {
				t.Fatal("removed worker still listed")
			}
		}
	})
	t.Run("ErrConflictFull", func(t *testing.T) {
		b := e.publishedAssignment(t, gh, nil)
		for i := range sankofa.MaxShortlist {
			if _, err := e.Store.PutShortlistEntry(context.Background(), b.ID, sankofa.ShortlistEntry{ProfileID: fmt.Sprintf("prf_fill%d", i)}); err != nil {
				t.Fatal(err)
			}
		}
		got := e.must(t, 409, req{Method: "PUT", Path: "/v1/assignments/" + b.ID + "/shortlist/" + pid(ama.ID), Token: gh, Body: map[string]any{}})
		if p := got.Problem(t); !strings.Contains(p.Detail, "at most 50") {
			t.Errorf("detail %q", p.Detail)
		}
	})
}

// readCSV parses an export and checks its headers.
func readCSV(t *testing.T, r resp, file string) [][]string {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Fatalf("content type %q; body %s", ct, r.Body)
	}
	if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename="`+file+`"` {
		t.Errorf("content disposition %q, want file %s", cd, file)
	}
	for _, leak := range []string{"@example.org", "+447700900123", "7700900123"} {
		if strings.Contains(string(r.Body), leak) {
			t.Fatalf("export holds contact detail %q:\n%s", leak, r.Body)
		}
	}
	recs, err := csv.NewReader(strings.NewReader(string(r.Body))).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, r.Body)
	}
	return recs
}

func TestExportCSV(t *testing.T) {
	e := newEnv(t)
	_, gh := e.Ministry(t, "GH", false)
	a := e.publishedAssignment(t, gh, nil)
	evil, _ := e.worker(t, func(in *sankofa.ProfileInput) {
		in.FullName = "=HYPERLINK(\"http://evil.example\") Mensah"
		in.Contact = &sankofa.Contact{Email: "planted@example.org", Phone: "+447700900123"}
	})
	plain, _ := e.worker(t, func(in *sankofa.ProfileInput) {
		in.Skills = []string{"neonatal resuscitation", "ultrasound", "caesarean section"}
	})
	for _, w := range []sankofa.Account{evil, plain} {
		note := "-1+2 check licence"
		e.must(t, 201, req{Method: "PUT", Path: "/v1/assignments/" + a.ID + "/shortlist/" + sankofa.ProfileIDFor(w.ID), Token: gh,
			Body: map[string]any{"note": note}})
	}
	header := []string{"rank", "profile_id", "full_name", "profession", "specialties", "years_experience", "residence_country",
		"origin_country", "languages", "modes", "score", "matched_skills", "related_skills", "missing_skills",
		"availability_overlap", "licence"}

	check := func(t *testing.T, recs [][]string, wantHeader []string) {
		t.Helper()
		if strings.Join(recs[0], ",") != strings.Join(wantHeader, ",") {
			t.Fatalf("header %v, want %v", recs[0], wantHeader)
		}
		if len(recs) != 3 {
			t.Fatalf("%d rows, want a header and 2 workers: %v", len(recs), recs)
		}
		found := false
		for _, rec := range recs[1:] {
			if rec[1] == sankofa.ProfileIDFor(evil.ID) {
				found = true
				if want := `'=HYPERLINK("http://evil.example") Mensah`; rec[2] != want {
					t.Errorf("full_name cell %q, want %q", rec[2], want)
				}
				if rec[8] != "en:C2;fr:B1" || rec[11] != "caesarean section" || rec[10] == "" {
					t.Errorf("row %q", rec)
				}
			}
		}
		if !found {
			t.Errorf("the worker is missing: %v", recs)
		}
	}
	t.Run("MatchesByAccept", func(t *testing.T) {
		got := e.must(t, 200, req{Method: "GET", Path: "/v1/assignments/" + a.ID + "/matches", Token: gh, Header: map[string]string{"Accept": "text/csv"}})
		check(t, readCSV(t, got, "assignment-"+a.ID+"-matches.csv"), header)
	})
	t.Run("ShortlistByFormat", func(t *testing.T) {
		got := e.must(t, 200, req{Method: "GET", Path: "/v1/assignments/" + a.ID + "/shortlist?format=csv", Token: gh})
		recs := readCSV(t, got, "assignment-"+a.ID+"-shortlist.csv")
		check(t, recs, append(header, "note"))
		if n := recs[1][len(recs[1])-1]; n != "'-1+2 check licence" {
			t.Errorf("note cell %q, want it defused", n)
		}
	})
	t.Run("JSONStillDefault", func(t *testing.T) {
		got := e.must(t, 200, req{Method: "GET", Path: "/v1/assignments/" + a.ID + "/matches", Token: gh})
		if ct := got.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("content type %q", ct)
		}
	})
}
