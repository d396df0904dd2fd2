package api_test

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"sankofa"
)

// mxEveryone is an outcome every actor of the matrix gets.
func mxEveryone(o mxOutcome) map[mxActor]mxOutcome {
	w := map[mxActor]mxOutcome{}
	for _, a := range mxActors {
		w[a] = o
	}
	return w
}

// obsProblem checks r is a problem of status and returns the fields it
// names.
func obsProblem(t *testing.T, r resp, status int) map[string]bool {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	fields := map[string]bool{}
	for _, f := range r.Problem(t).Errors {
		fields[f.Field] = true
	}
	return fields
}

type obsCount struct {
	Count      *int `json:"count"`
	Suppressed bool `json:"suppressed"`
}

func (c obsCount) String() string {
	if c.Suppressed {
		return "suppressed"
	}
	if c.Count == nil {
		return "null"
	}
	return fmt.Sprint(*c.Count)
}

type stockDoc struct {
	K          int              `json:"k"`
	Rounding   int              `json:"rounding"`
	Dimensions []string         `json:"dimensions"`
	Cells      []map[string]any `json:"cells"`
	Total      *int             `json:"total"`
}

// cellsOf maps each cell's values, joined by "/", to its count ("-" when
// suppressed).
func (d stockDoc) cellsOf() map[string]string {
	out := map[string]string{}
	for _, c := range d.Cells {
		var k []string
		for _, dim := range d.Dimensions {
			k = append(k, fmt.Sprint(c[dim]))
		}
		v := "-"
		if n, ok := c["count"].(float64); ok && c["suppressed"] == false {
			v = fmt.Sprint(int(n))
		}
		out[strings.Join(k, "/")] = v
	}
	return out
}

// seedObservatory indexes n workers of origin o, residence r and training
// t, with ids from start; a tenth completed a mission.
func (e *env) seedObservatory(t *testing.T, start, n int, o, r, tr string, edit func(i int, p *sankofa.Profile)) {
	t.Helper()
	for i := start; i < start+n; i++ {
		p := &sankofa.Profile{ID: fmt.Sprintf("pro_obs%04d", i), AccountID: fmt.Sprintf("acc_obs%04d", i), Version: 1,
			CreatedAt: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), ProfileInput: e.profileInput()}
		p.OriginCountry, p.ResidenceCountry, p.CountryOfTraining, p.CountryOfBirth = o, r, tr, o
		p.ShareWith = []string{o}
		if edit != nil {
			edit(i, p)
		}
		if err := e.Index.IndexProfile(p, true); err != nil {
			t.Fatal(err)
		}
	}
}

func TestObservatory(t *testing.T) {
	e := newEnv(t)
	// Through the API: the new fields are kept, exported and counted.
	_, tok := e.worker(t, func(in *sankofa.ProfileInput) {
		in.CountryOfBirth, in.Citizenships, in.CountryOfTraining = "GH", []string{"GH"}, "GB"
	})
	var me sankofa.Profile
	e.must(t, 200, req{Method: "GET", Path: "/v1/profiles/me", Token: tok}).JSON(t, &me)
	if me.CountryOfBirth != "GH" || me.CountryOfTraining != "GB" || len(me.Citizenships) != 1 {
		t.Fatalf("profile kept %q %v %q", me.CountryOfBirth, me.Citizenships, me.CountryOfTraining)
	}
	exp := e.must(t, 200, req{Method: "GET", Path: "/v1/me/export", Token: tok})
	if !strings.Contains(string(exp.Body), `"country_of_training":"GB"`) || !strings.Contains(string(exp.Body), `"citizenships":["GH"]`) {
		t.Fatalf("the export lacks the new fields: %s", exp.Body)
	}
	bad := obsProblem(t, e.do(t, req{Method: "PUT", Path: "/v1/profiles/me", Token: tok, Bad: true,
		Body: map[string]any{"full_name": "Ama Mensah", "profession": "2221", "languages": []map[string]string{{"code": "en", "level": "C1"}},
			"origin_country": "GH", "residence_country": "GB", "timezone": "Europe/London", "modes": []string{"onsite"},
			"citizenships": []string{"GH", "GH"}, "country_of_training": "UK"}}), 400)
	if !bad["citizenships[1]"] || !bad["country_of_training"] {
		t.Fatalf("field errors: %v", bad)
	}

	// 24 more from GH in GB (12 trained in GB), 3 from NG in US.
	e.seedObservatory(t, 0, 24, "GH", "GB", "GH", func(i int, p *sankofa.Profile) {
		if i%2 == 0 {
			p.CountryOfTraining = "GB"
		}
	})
	e.seedObservatory(t, 100, 3, "NG", "US", "NG", nil)

	var st stockDoc
	e.must(t, 200, req{Method: "GET", Path: "/v1/observatory/stock?by=origin_country,country_of_training"}).JSON(t, &st)
	want := map[string]string{"GH/GB": "15", "GH/GH": "10", "NG/NG": "-"}
	if got := st.cellsOf(); fmt.Sprint(got) != fmt.Sprint(want) || st.Total == nil || *st.Total != 30 || st.K != 10 || st.Rounding != 5 {
		t.Fatalf("stock by origin and training: %v total %v (want %v, 30)", got, st.Total, want)
	}
	// The same table asked in the other order: the same cells, each value
	// under its own dimension.
	var rev stockDoc
	e.must(t, 200, req{Method: "GET", Path: "/v1/observatory/stock?by=country_of_training,origin_country"}).JSON(t, &rev)
	if got := fmt.Sprint(rev.cellsOf()); got != fmt.Sprint(map[string]string{"GB/GH": "15", "GH/GH": "10", "NG/NG": "-"}) ||
		!slices.Equal(rev.Dimensions, []string{"country_of_training", "origin_country"}) {
		t.Fatalf("stock by training and origin: %v as %v", got, rev.Dimensions)
	}
	e.must(t, 200, req{Method: "GET", Path: "/v1/observatory/stock"}).JSON(t, &st)
	if len(st.Cells) != 1 || st.Total == nil || *st.Total != 30 {
		t.Fatalf("grand total: %+v", st)
	}

	// Every worker here speaks en and fr: each counts in both.
	e.must(t, 200, req{Method: "GET", Path: "/v1/observatory/stock?by=languages"}).JSON(t, &st)
	if got := fmt.Sprint(st.cellsOf()); got != "map[en:30 fr:30]" || *st.Total != 30 {
		t.Fatalf("stock by language: %s, total %d", got, *st.Total)
	}

	t.Run("ErrBy", func(t *testing.T) {
		for _, by := range []string{"shoe_size", "origin_country,origin_country", "profession,,x"} {
			p := obsProblem(t, e.do(t, req{Method: "GET", Path: "/v1/observatory/stock?by=" + by}), 400)
			if !p["by"] {
				t.Errorf("by=%s: %+v", by, p)
			}
		}
	})
	t.Run("ErrCountry", func(t *testing.T) {
		for _, q := range []string{"", "?country=gh", "?country=XX"} {
			p := obsProblem(t, e.do(t, req{Method: "GET", Path: "/v1/observatory/supply-demand" + q, Bad: true}), 400)
			if !p["country"] {
				t.Errorf("%q: %+v", q, p)
			}
		}
		p := obsProblem(t, e.do(t, req{Method: "GET", Path: "/v1/observatory/flows?by_year=maybe", Bad: true}), 400)
		if !p["by_year"] {
			t.Errorf("by_year: %+v", p)
		}
	})

	t.Run("Dictionary", func(t *testing.T) {
		var d struct {
			K          int `json:"k"`
			Dimensions []struct {
				Name string `json:"name"`
			} `json:"dimensions"`
			Indicators []struct {
				ID   string `json:"id"`
				NHWA *struct {
					Indicator string `json:"indicator"`
				} `json:"nhwa"`
			} `json:"indicators"`
		}
		e.must(t, 200, req{Method: "GET", Path: "/v1/observatory"}).JSON(t, &d)
		nhwa := 0
		for _, i := range d.Indicators {
			if i.NHWA != nil {
				nhwa++
			}
		}
		if d.K != 10 || len(d.Dimensions) < len(sankofa.StockDimensions) || nhwa < 2 {
			t.Fatalf("dictionary: %+v", d)
		}
	})

	t.Run("CSV", func(t *testing.T) {
		for _, r := range []req{
			{Method: "GET", Path: "/v1/observatory/stock?by=origin_country,country_of_training", Header: map[string]string{"Accept": "text/csv"}},
			{Method: "GET", Path: "/v1/observatory/stock?by=origin_country,country_of_training&format=csv"},
		} {
			res := e.must(t, 200, r)
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
				t.Fatalf("content type %q", ct)
			}
			rows, err := csv.NewReader(strings.NewReader(string(res.Body))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			got := fmt.Sprint(rows)
			want := "[[origin_country country_of_training count suppressed] [GH GB 15 false] [GH GH 10 false] [NG NG  true] [total total 30 false]]"
			if got != want {
				t.Fatalf("CSV:\n%s\nwant\n%s", got, want)
			}
		}
		res := e.must(t, 200, req{Method: "GET", Path: "/v1/observatory/supply-demand?country=GH&format=csv"})
		if !strings.HasPrefix(string(res.Body), "profession,label,open_positions") || !strings.Contains(string(res.Body), "\ntotal,") {
			t.Fatalf("supply-demand CSV: %s", res.Body)
		}
		res = e.must(t, 200, req{Method: "GET", Path: "/v1/observatory/flows?by_year=true&format=csv"})
		if !strings.HasPrefix(string(res.Body), "origin_country,residence_country,year,missions") {
			t.Fatalf("flows CSV: %s", res.Body)
		}
	})

	t.Run("ETag", func(t *testing.T) {
		path := "/v1/observatory/stock?by=origin_country"
		first := e.must(t, 200, req{Method: "GET", Path: path})
		tag := first.Header.Get("ETag")
		if tag == "" || first.Header.Get("Cache-Control") != "public, max-age=300" {
			t.Fatalf("headers: %v", first.Header)
		}
		e.must(t, http.StatusNotModified, req{Method: "GET", Path: path, Header: map[string]string{"If-None-Match": tag}})
		csvTag := e.must(t, 200, req{Method: "GET", Path: path + "&format=csv"}).Header.Get("ETag")
		if csvTag == tag {
			t.Fatal("JSON and CSV share an ETag")
		}
		// A change that moves no published figure keeps the ETag: one more
		// worker from GH (25 -> 26) is still 25.
		e.seedObservatory(t, 500, 1, "GH", "GB", "GH", nil)
		e.must(t, http.StatusNotModified, req{Method: "GET", Path: path, Header: map[string]string{"If-None-Match": tag}})
		// Two more (27 -> 28) round to 30: a new ETag.
		e.seedObservatory(t, 501, 2, "GH", "GB", "GH", nil)
		again := e.must(t, 200, req{Method: "GET", Path: path, Header: map[string]string{"If-None-Match": tag}})
		if again.Header.Get("ETag") == tag {
			t.Fatal("the figures changed and the ETag did not")
		}
	})

	t.Run("SupplyDemandAndFlows", func(t *testing.T) {
		_, gh := e.Ministry(t, "GH", false)
		in := e.assignmentInput()
		in.Positions = 3
		a := e.publishedAssignment(t, gh, func(a *sankofa.AssignmentInput) { *a = in })
		// Twelve midwives from GH back from a mission in GH.
		e.seedObservatory(t, 600, 12, "GH", "GB", "GH", func(i int, p *sankofa.Profile) {
			p.Commitments = []sankofa.Commitment{{OfferID: fmt.Sprint("off_", i), AssignmentID: a.ID,
				Terms: sankofa.OfferTerms{Mode: sankofa.ModeOnsite, Start: "2026-01-05", End: "2026-01-25"}}}
		})
		var sd struct {
			Country string `json:"country"`
			Rows    []struct {
				Profession        string   `json:"profession"`
				OpenPositions     int      `json:"open_positions"`
				WorkersSharing    obsCount `json:"workers_sharing"`
				MissionsCompleted obsCount `json:"missions_completed"`
			} `json:"rows"`
			Total struct {
				OpenPositions     int      `json:"open_positions"`
				WorkersSharing    obsCount `json:"workers_sharing"`
				MissionsCompleted obsCount `json:"missions_completed"`
				PersonDaysOnsite  obsCount `json:"person_days_onsite"`
			} `json:"total"`
		}
		e.must(t, 200, req{Method: "GET", Path: "/v1/observatory/supply-demand?country=GH"}).JSON(t, &sd)
		if sd.Country != "GH" || sd.Total.OpenPositions != 3 || len(sd.Rows) != 1 || sd.Rows[0].Profession != "2222" ||
			sd.Total.WorkersSharing.String() != "40" || sd.Rows[0].MissionsCompleted.String() != "10" ||
			sd.Total.MissionsCompleted.String() != "10" || sd.Total.PersonDaysOnsite.String() != "250" {
			t.Fatalf("supply and demand: %+v", sd)
		}
		var fl struct {
			Cells []struct {
				Origin    string   `json:"origin_country"`
				Residence string   `json:"residence_country"`
				Year      int      `json:"year"`
				Missions  obsCount `json:"missions"`
			} `json:"cells"`
			Total struct {
				Missions obsCount `json:"missions"`
			} `json:"total"`
		}
		e.must(t, 200, req{Method: "GET", Path: "/v1/observatory/flows?by_year=true"}).JSON(t, &fl)
		if len(fl.Cells) != 1 || fl.Cells[0].Origin != "GH" || fl.Cells[0].Residence != "GB" || fl.Cells[0].Year != 2026 ||
			fl.Cells[0].Missions.String() != "10" || fl.Total.Missions.String() != "10" {
			t.Fatalf("flows: %+v", fl)
		}
	})
}
