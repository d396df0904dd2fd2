package api

import (
	"fmt"
	"time"

	"github.com/labstack/echo/v4"

	"sankofa"
)

// obsDimension is one dimension of the observatory's tables.
type obsDimension struct {
	Name       string `json:"name"`
	Definition string `json:"definition"`
}

// obsNHWA maps an indicator onto the WHO National Health Workforce
// Accounts (handbook, 2017).
type obsNHWA struct {
	Indicator string `json:"indicator"`
	Note      string `json:"note"`
}

type obsIndicator struct {
	ID         string   `json:"id"`
	Path       string   `json:"path"`
	Definition string   `json:"definition"`
	Unit       string   `json:"unit"`
	Disclosure string   `json:"disclosure"`
	NHWA       *obsNHWA `json:"nhwa"`
}

// Note for every NHWA mapping: Sankofa counts the diaspora workers who
// registered, not a country's workforce.
const nhwaCaveat = " Sankofa counts the diaspora health workers registered on it, not a country's whole active workforce: " +
	"the figure can inform the indicator's numerator for the diaspora, never replace the national account."

var obsDimensions = []obsDimension{
	{"origin_country", "The country a worker calls their country of origin (ISO 3166-1 alpha-2), as they declare it."},
	{"residence_country", "The country a worker lives and works in now (ISO 3166-1 alpha-2)."},
	{"profession", "The worker's occupation, as an ISCO-08 code (for example 2221, nursing professionals)."},
	{"country_of_training", "Where the worker obtained their first professional qualification; ZZ when not given (optional field). " +
		"A worker is foreign-trained where this differs from their country of residence."},
	{"country_of_birth", "The worker's country of birth; ZZ when not given (optional field). A worker is foreign-born " +
		"where this differs from their country of residence. Foreign-born is not foreign-trained: many foreign-trained " +
		"workers are nationals who studied abroad, and many foreign-born ones trained where they now work."},
	{"mode", "How the worker offers their time: onsite, virtual, or both."},
	{"languages", "Each language a worker works in (ISO 639-1). Multi-valued: a worker who speaks three languages counts " +
		"once in each, so a table by languages does not add up to the total, and it is protected language by language."},
	{"registered_month", "The month (YYYY-MM, UTC) the worker's profile was created."},
	{"year", "Flows: the year a mission ended, or the year a virtual engagement started."},
}

func obsIndicators(k int) []obsIndicator {
	persons := fmt.Sprintf("counts from 1 to %d suppressed, every count rounded to a multiple of 5, exact 0 kept, "+
		"complementary suppression across all tables", k-1)
	magnitude := "rounded to a multiple of 5 and suppressed wherever the count of persons (or missions) behind it is"
	return []obsIndicator{
		{ID: "stock", Path: "/v1/observatory/stock", Unit: "persons", Disclosure: persons,
			Definition: "Diaspora health workers with an active account and a profile on Sankofa, broken down by any " +
				"combination of dimensions (by=...). Suspended and erased accounts are not counted.",
			NHWA: nil},
		{ID: "foreign_trained", Path: "/v1/observatory/stock?by=residence_country,country_of_training", Unit: "persons",
			Disclosure: persons,
			Definition: "Registered workers by country of residence and country of training: those whose country of " +
				"training differs from their country of residence are foreign-trained there.",
			NHWA: &obsNHWA{Indicator: "Dependency on foreign-trained health workers (share of the active stock trained abroad)",
				Note: "The cells with country_of_training different from residence_country are foreign-trained workers in the " +
					"country of residence." + nhwaCaveat}},
		{ID: "foreign_born", Path: "/v1/observatory/stock?by=residence_country,country_of_birth", Unit: "persons",
			Disclosure: persons,
			Definition: "Registered workers by country of residence and country of birth: those born elsewhere are " +
				"foreign-born there.",
			NHWA: &obsNHWA{Indicator: "Share of foreign-born health workers (and of foreign-born entrants)",
				Note: "Sankofa does not know when a worker entered the workforce, so it gives the foreign-born stock, " +
					"not the entrants." + nhwaCaveat}},
		{ID: "registrations", Path: "/v1/observatory/stock?by=registered_month", Unit: "persons", Disclosure: persons,
			Definition: "Registered workers by the month their profile was created: the trend of registrations.", NHWA: nil},
		{ID: "open_positions", Path: "/v1/observatory/supply-demand?country=", Unit: "positions",
			Disclosure: "exact (not personal data)",
			Definition: "Positions still to fill on the country's open assignments, by profession; open_virtual_hours " +
				"are their weekly virtual hours times the positions still to fill.", NHWA: nil},
		{ID: "workers_sharing", Path: "/v1/observatory/supply-demand?country=", Unit: "persons", Disclosure: persons,
			Definition: "Registered workers who share their profile with the country's ministry, by profession; " +
				"available_3m, _6m and _12m are those of them with an on-site availability window in the next 3, 6 and 12 months.",
			NHWA: nil},
		{ID: "virtual_hours_pledged", Path: "/v1/observatory/supply-demand?country=", Unit: "hours per week",
			Disclosure: magnitude,
			Definition: "Weekly virtual hours offered by the workers who share with the country and work virtually.", NHWA: nil},
		{ID: "missions_completed", Path: "/v1/observatory/supply-demand?country=", Unit: "missions", Disclosure: persons,
			Definition: "Accepted on-site or hybrid offers in the country whose end date has passed, by the worker's " +
				"profession; person_days_onsite sums their days, first and last included.", NHWA: nil},
		{ID: "flows", Path: "/v1/observatory/flows?by_year=true", Unit: "missions and engagements", Disclosure: persons,
			Definition: "Completed missions (as above) and virtual engagements (accepted virtual offers) by the worker's " +
				"origin and residence, and by year. Circulation, not migration: a mission is a return for a while.",
			NHWA: nil},
		{ID: "mission_outcomes", Path: "/v1/observatory/outcomes?country=", Unit: "missions, people trained, procedures, protocols",
			Disclosure: "counts of missions from 1 to 9 rounded to a multiple of 5 (at least 5); the sums of outcomes are exact",
			Definition: "From the mission reports both sides agreed to publish: missions reported, and the people trained, " +
				"procedures performed and protocols or curricula written, by the worker's profession and the year the mission " +
				"ended; of one host country with country.", NHWA: nil},
	}
}

// handleObservatory gives the data dictionary: the disclosure rules, the
// dimensions and each indicator's definition and NHWA mapping.
func (s *Server) handleObservatory() echo.HandlerFunc {
	return func(c echo.Context) error {
		o, err := s.observatory()
		if err != nil {
			return err
		}
		updated, err := o.Updated(s.now())
		if err != nil {
			return err
		}
		r := o.Rules()
		rows := [][]string{{"kind", "name", "path", "unit", "definition", "nhwa_indicator"}}
		for _, d := range obsDimensions {
			rows = append(rows, []string{"dimension", d.Name, "", "", d.Definition, ""})
		}
		inds := obsIndicators(r.K)
		for _, i := range inds {
			nhwa := ""
			if i.NHWA != nil {
				nhwa = i.NHWA.Indicator
			}
			rows = append(rows, []string{"indicator", i.ID, i.Path, i.Unit, i.Definition, nhwa})
		}
		return writeFigures(c, "dictionary", map[string]any{"k": r.K, "rounding": r.Rounding,
			"updated_at": updated.UTC().Truncate(time.Second), "unknown_country": sankofa.UnknownCountry,
			"dimensions": obsDimensions, "indicators": inds}, rows)
	}
}
