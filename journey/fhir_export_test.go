package journey_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"sankofa/fhir/fhirtest"
)

// TestJourney_FHIRExportSurvivesKill: a ministry starts a FHIR Bulk Data
// export of its Group over the demo data, the process is killed with
// SIGKILL in the middle of it (batches of one profile, from the chaos
// build's SANKOFA_CHAOS_FHIR_PAGE), and after a restart the same status
// URL gives the manifest: every line of every file is valid FHIR R4, no
// resource is written twice, and the files hold exactly what an export
// run without a kill holds.
func TestJourney_FHIRExportSurvivesKill(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	seed := exec.CommandContext(ctx, bin, "seed")
	seed.Dir = t.TempDir()
	seed.Env = append(os.Environ(), "SANKOFA_DATA_DIR="+dir, "SANKOFA_ADDR=127.0.0.1:0")
	dieWithTest(seed)
	if out, err := seed.CombinedOutput(); err != nil {
		t.Fatalf("sankofa seed: %v\n%s", err, tailOf(out, 3000))
	}
	s := startServer(t, dir, "SANKOFA_CHAOS_FHIR_PAGE=1")
	tok := s.login(t, "officer.gh@moh.example.org", "demo-password-1")

	kickOff := func() string {
		r := s.do(t, http.StatusAccepted, http.MethodGet, "/fhir/r4/Group/GH/$export", tok, nil, nil,
			"Prefer", "respond-async", "Accept", "application/fhir+json")
		loc := r.header.Get("Content-Location")
		i := strings.Index(loc, "/fhir/r4/bulk/")
		if i < 0 {
			t.Fatalf("Content-Location %q", loc)
		}
		return loc[i:]
	}
	status := kickOff()
	// Kill once some profiles, not all, are written.
	killed := false
	for deadline := time.Now().Add(time.Minute); !killed && time.Now().Before(deadline); {
		r, err := s.try(http.MethodGet, status, tok, nil)
		if err != nil {
			t.Fatal(s.diagnose(err))
		}
		if r.status == http.StatusOK {
			t.Fatal("the export finished before the kill; the batches are too large")
		}
		if r.status != http.StatusAccepted {
			t.Fatalf("status: %s", r)
		}
		var done, total int
		if _, err := fmt.Sscanf(r.header.Get("X-Progress"), "%d of %d", &done, &total); err != nil {
			t.Fatalf("X-Progress %q: %v", r.header.Get("X-Progress"), err)
		}
		if done > 0 && done < total {
			t.Logf("killed at %d of %d profiles", done, total)
			s.kill()
			killed = true
		}
	}
	if !killed {
		t.Fatal("the export never made progress")
	}
	s.restart()

	files := func(status string) map[string][]string {
		var m struct {
			TransactionTime     string `json:"transactionTime"`
			RequiresAccessToken bool   `json:"requiresAccessToken"`
			Output              []struct {
				Type  string `json:"type"`
				URL   string `json:"url"`
				Count int    `json:"count"`
			} `json:"output"`
		}
		eventually(t, 2*time.Minute, "the export's manifest", func() bool {
			r, err := s.try(http.MethodGet, status, tok, nil)
			if err != nil || r.status == http.StatusAccepted {
				return false
			}
			if r.status != http.StatusOK {
				t.Fatalf("status: %s", r)
			}
			if err := json.Unmarshal(r.body, &m); err != nil {
				t.Fatal(err)
			}
			return true
		})
		if !m.RequiresAccessToken || m.TransactionTime == "" || len(m.Output) != 2 {
			t.Fatalf("manifest %+v", m)
		}
		out := map[string][]string{}
		for _, o := range m.Output {
			path := o.URL[strings.Index(o.URL, "/fhir/r4/"):]
			r := s.do(t, http.StatusOK, http.MethodGet, path, tok, nil, nil)
			if n := fhirtest.ValidNDJSON(t, r.body); n != o.Count {
				t.Errorf("%s: %d lines, manifest says %d", o.Type, n, o.Count)
			}
			// Without the token, nothing.
			if r, err := s.try(http.MethodGet, path, "", nil); err != nil || r.status != http.StatusUnauthorized {
				t.Errorf("%s without a token: %v %v", path, r, err)
			}
			sc := bufio.NewScanner(bytes.NewReader(r.body))
			sc.Buffer(make([]byte, 1<<20), 1<<20)
			for sc.Scan() {
				var res struct{ ID string }
				if err := json.Unmarshal(sc.Bytes(), &res); err != nil {
					t.Fatal(err)
				}
				out[o.Type] = append(out[o.Type], res.ID)
			}
		}
		return out
	}
	got := files(status)
	for typ, ids := range got {
		sorted := slices.Clone(ids)
		slices.Sort(sorted)
		if len(slices.Compact(sorted)) != len(ids) {
			t.Errorf("%s: a resource is written twice after the restart", typ)
		}
	}
	// Cancel and delete it, then compare with an export run without a kill.
	s.do(t, http.StatusAccepted, http.MethodDelete, status, tok, nil, nil)
	s.do(t, http.StatusNotFound, http.MethodGet, status, tok, nil, nil)
	want := files(kickOff())
	for typ := range want {
		a, b := slices.Sorted(slices.Values(got[typ])), slices.Sorted(slices.Values(want[typ]))
		if !slices.Equal(a, b) {
			t.Errorf("%s: %d resources after the kill, %d without one", typ, len(a), len(b))
		}
	}
	if len(want["Practitioner"]) < 10 {
		t.Errorf("only %d Practitioners shared with GH in the demo data", len(want["Practitioner"]))
	}
}
