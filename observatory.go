package sankofa

import (
	"slices"
	"strings"
)

// StockDimensions are the dimensions the observatory's stock can be
// broken down by, in the order of its data dictionary.
var StockDimensions = []string{"origin_country", "residence_country", "profession", "country_of_training",
	"country_of_birth", "mode", "languages", "registered_month"}

// UnknownCountry stands for a country a worker did not give (ISO 3166
// leaves ZZ to users; CLDR reads it as "Unknown Region").
const UnknownCountry = "ZZ"

// ObsCount is a published figure under disclosure control: Count is nil
// when the figure is suppressed.
type ObsCount struct {
	Count      *int `json:"count"`
	Suppressed bool `json:"suppressed"`
}

// Value returns the count, or -1 when suppressed.
func (c ObsCount) Value() int {
	if c.Count == nil {
		return -1
	}
	return *c.Count
}

// StockCell is one cell of a stock table: its value in each dimension.
type StockCell struct {
	Values []string
	Count  ObsCount
}

// StockTable is the diaspora workforce broken down by Dimensions; cells
// of no one are left out, and Total is the whole table's.
type StockTable struct {
	Dimensions []string
	Cells      []StockCell
	Total      ObsCount
	// Order, when set, says where each of Dimensions is in a cell's
	// Values: a table asked in another order of its dimensions shares the
	// cells of the one kept, rather than copying them. Read values with
	// Value.
	Order []int
}

// Value is cell i's value of dimension j (an index in Dimensions).
func (t StockTable) Value(i, j int) string {
	if t.Order != nil {
		j = t.Order[j]
	}
	return t.Cells[i].Values[j]
}

// SupplyDemandRow is one profession's supply and demand in a country, or
// (with Profession empty) the sum over professions. Open positions and
// hours are not personal data and are exact; the rest count persons, or
// the hours and days of persons, under disclosure control.
type SupplyDemandRow struct {
	Profession          string   `json:"profession,omitempty"`
	Label               string   `json:"label,omitempty"`
	OpenPositions       int      `json:"open_positions"`
	OpenVirtualHours    int      `json:"open_virtual_hours"`
	WorkersSharing      ObsCount `json:"workers_sharing"`
	Available3m         ObsCount `json:"available_3m"`
	Available6m         ObsCount `json:"available_6m"`
	Available12m        ObsCount `json:"available_12m"`
	VirtualHoursPledged ObsCount `json:"virtual_hours_pledged"`
	MissionsCompleted   ObsCount `json:"missions_completed"`
	PersonDaysOnsite    ObsCount `json:"person_days_onsite"`
}

// SupplyDemand is a country's supply and demand by profession.
type SupplyDemand struct {
	Country string
	Rows    []SupplyDemandRow
	Total   SupplyDemandRow
}

// FlowCell is one cell of the flows: missions completed and virtual
// engagements by origin and residence, and by year when Year is set.
type FlowCell struct {
	OriginCountry      string   `json:"origin_country,omitempty"`
	ResidenceCountry   string   `json:"residence_country,omitempty"`
	Year               int      `json:"year,omitempty"`
	Missions           ObsCount `json:"missions"`
	VirtualEngagements ObsCount `json:"virtual_engagements"`
}

// Flows are the engagements of diaspora workers.
type Flows struct {
	ByYear bool
	Cells  []FlowCell
	Total  FlowCell
}

// ParseStockDimensions reads a comma-separated list of stock dimensions
// (empty: the grand total), each once. An unknown or repeated one is an
// invalid *Error on "by".
func ParseStockDimensions(by string) ([]string, error) {
	var dims []string
	for d := range strings.SplitSeq(by, ",") {
		d = strings.TrimSpace(d)
		if d == "" {
			continue
		}
		switch {
		case !slices.Contains(StockDimensions, d):
			return nil, &Error{Code: Invalid, Message: "the request has invalid fields", Fields: []FieldError{{Field: "by",
				Message: "must be a comma-separated list of " + strings.Join(StockDimensions, ", ")}}}
		case slices.Contains(dims, d):
			return nil, &Error{Code: Invalid, Message: "the request has invalid fields",
				Fields: []FieldError{{Field: "by", Message: d + " is listed twice"}}}
		}
		dims = append(dims, d)
	}
	return dims, nil
}
