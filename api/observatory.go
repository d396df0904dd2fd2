package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"sankofa"
	"sankofa/disclosure"
)

// Observatory answers the observatory's public queries from the index,
// under disclosure control (see package disclosure).
type Observatory interface {
	Rules() disclosure.Rules
	Updated(now time.Time) (time.Time, error)
	Stock(dims []string, now time.Time) (sankofa.StockTable, error)
	SupplyDemand(country string, now time.Time) (sankofa.SupplyDemand, error)
	Flows(byYear bool, now time.Time) (sankofa.Flows, error)
}

// errNoObservatory answers when the server runs without the observatory
// (only partial servers in tests do).
var errNoObservatory = &httpProblem{status: http.StatusServiceUnavailable, code: "unavailable",
	detail: "the observatory is not available in this process"}

func (s *Server) observatory() (Observatory, error) {
	if s.deps.Observatory == nil {
		return nil, errNoObservatory
	}
	return s.deps.Observatory, nil
}

// writeFigures answers with v as JSON, or with rows (a header first) as
// CSV when asked, public and cacheable for 5 minutes. The ETag is a hash
// of what is sent, so it changes only when the figures do, and a request
// that names it gets 304.
func writeFigures(c echo.Context, name string, v any, rows [][]string) error {
	var (
		body []byte
		mime string
	)
	if wantsCSV(c) {
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		for _, r := range rows {
			for i := range r {
				r[i] = csvCell(r[i])
			}
			w.Write(r)
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return err
		}
		body, mime = buf.Bytes(), mimeCSV
		c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="sankofa-observatory-`+name+`.csv"`)
	} else {
		var err error
		if body, err = json.Marshal(v); err != nil {
			return err
		}
		mime = echo.MIMEApplicationJSON
	}
	sum := sha256.Sum256(append([]byte(mime+"\n"), body...))
	tag := `"` + hex.EncodeToString(sum[:16]) + `"`
	h := c.Response().Header()
	h.Set(echo.HeaderCacheControl, "public, max-age=300")
	h.Set("ETag", tag)
	h.Add(echo.HeaderVary, echo.HeaderAccept)
	for t := range strings.SplitSeq(c.Request().Header.Get("If-None-Match"), ",") {
		if t = strings.TrimPrefix(strings.TrimSpace(t), "W/"); t == tag || t == "*" {
			return c.NoContent(http.StatusNotModified)
		}
	}
	return c.Blob(http.StatusOK, mime, body)
}

// countCSV is a count's CSV cell: empty when suppressed.
func countCSV(n sankofa.ObsCount) string {
	if n.Count == nil {
		return ""
	}
	return strconv.Itoa(*n.Count)
}

func suppressedCSV(n sankofa.ObsCount) string { return strconv.FormatBool(n.Suppressed) }

// handleObservatoryStock gives the diaspora workforce broken down by the
// dimensions in by.
func (s *Server) handleObservatoryStock() echo.HandlerFunc {
	return func(c echo.Context) error {
		o, err := s.observatory()
		if err != nil {
			return err
		}
		dims, err := sankofa.ParseStockDimensions(c.QueryParam("by"))
		if err != nil {
			return err
		}
		t, err := o.Stock(dims, s.now())
		if err != nil {
			return err
		}
		r := o.Rules()
		cells := make([]map[string]any, len(t.Cells))
		rows := make([][]string, 0, len(t.Cells)+2)
		rows = append(rows, append(append([]string{}, dims...), "count", "suppressed"))
		for i, cell := range t.Cells {
			m := make(map[string]any, len(dims)+2)
			row := make([]string, 0, len(dims)+2)
			for j, d := range dims {
				m[d] = t.Value(i, j)
				row = append(row, t.Value(i, j))
			}
			m["count"], m["suppressed"] = cell.Count.Count, cell.Count.Suppressed
			cells[i] = m
			rows = append(rows, append(row, countCSV(cell.Count), suppressedCSV(cell.Count)))
		}
		total := make([]string, len(dims)+2)
		for j := range dims {
			total[j] = "total"
		}
		total[len(dims)], total[len(dims)+1] = countCSV(t.Total), suppressedCSV(t.Total)
		rows = append(rows, total)
		if dims == nil {
			dims = []string{}
		}
		return writeFigures(c, "stock", map[string]any{"k": r.K, "rounding": r.Rounding, "dimensions": dims,
			"cells": cells, "total": t.Total.Count}, rows)
	}
}

// handleObservatorySupplyDemand gives one country's supply and demand by
// profession.
func (s *Server) handleObservatorySupplyDemand() echo.HandlerFunc {
	return func(c echo.Context) error {
		o, err := s.observatory()
		if err != nil {
			return err
		}
		country := c.QueryParam("country")
		if !sankofa.ValidCountry(country) {
			return invalidField("country", "is required: an ISO 3166-1 alpha-2 country code such as GH")
		}
		sd, err := o.SupplyDemand(country, s.now())
		if err != nil {
			return err
		}
		r := o.Rules()
		rows := [][]string{{"profession", "label", "open_positions", "open_virtual_hours", "workers_sharing",
			"available_3m", "available_6m", "available_12m", "virtual_hours_pledged", "missions_completed", "person_days_onsite"}}
		for _, row := range append(append([]sankofa.SupplyDemandRow{}, sd.Rows...), sd.Total) {
			p, label := row.Profession, row.Label
			if p == "" {
				p, label = "total", ""
			}
			rows = append(rows, []string{p, label, strconv.Itoa(row.OpenPositions), strconv.Itoa(row.OpenVirtualHours),
				countCSV(row.WorkersSharing), countCSV(row.Available3m), countCSV(row.Available6m), countCSV(row.Available12m),
				countCSV(row.VirtualHoursPledged), countCSV(row.MissionsCompleted), countCSV(row.PersonDaysOnsite)})
		}
		if sd.Rows == nil {
			sd.Rows = []sankofa.SupplyDemandRow{}
		}
		return writeFigures(c, "supply-demand-"+country, map[string]any{"k": r.K, "rounding": r.Rounding,
			"country": country, "rows": sd.Rows, "total": sd.Total}, rows)
	}
}

// handleObservatoryFlows gives completed missions and virtual engagements
// by origin and residence, and by year with by_year=true.
func (s *Server) handleObservatoryFlows() echo.HandlerFunc {
	return func(c echo.Context) error {
		o, err := s.observatory()
		if err != nil {
			return err
		}
		var byYear bool
		switch c.QueryParam("by_year") {
		case "", "false":
		case "true":
			byYear = true
		default:
			return invalidField("by_year", "must be true or false")
		}
		f, err := o.Flows(byYear, s.now())
		if err != nil {
			return err
		}
		r := o.Rules()
		head := []string{"origin_country", "residence_country"}
		if byYear {
			head = append(head, "year")
		}
		rows := [][]string{append(head, "missions", "missions_suppressed", "virtual_engagements", "virtual_engagements_suppressed")}
		for _, cell := range append(append([]sankofa.FlowCell{}, f.Cells...), f.Total) {
			o, res := cell.OriginCountry, cell.ResidenceCountry
			if o == "" {
				o, res = "total", "total"
			}
			row := []string{o, res}
			if byYear {
				y := ""
				if cell.Year != 0 {
					y = strconv.Itoa(cell.Year)
				}
				row = append(row, y)
			}
			rows = append(rows, append(row, countCSV(cell.Missions), suppressedCSV(cell.Missions),
				countCSV(cell.VirtualEngagements), suppressedCSV(cell.VirtualEngagements)))
		}
		total := map[string]any{"missions": f.Total.Missions, "virtual_engagements": f.Total.VirtualEngagements}
		if f.Cells == nil {
			f.Cells = []sankofa.FlowCell{}
		}
		return writeFigures(c, "flows", map[string]any{"k": r.K, "rounding": r.Rounding, "by_year": byYear,
			"cells": f.Cells, "total": total}, rows)
	}
}
