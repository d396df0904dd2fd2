package matcher

import (
	"sync"
	"time"
)

// zoneCache keeps loaded locations: LoadLocation parses tzdata on every
// call, which would dominate a match.
type zoneCache struct{ m sync.Map }

func (c *zoneCache) location(name string) (*time.Location, error) {
	if l, ok := c.m.Load(name); ok {
		return l.(*time.Location), nil
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	c.m.Store(name, l)
	return l, nil
}

// workdayHours is the length of the working day (08:00-18:00) used to
// measure time-zone overlap.
const workdayHours = 10.0

// countryZones gives a representative IANA zone for the countries whose
// ministries post assignments; elsewhere UTC is assumed.
var countryZones = map[string]string{
	"DZ": "Africa/Algiers", "AO": "Africa/Luanda", "BJ": "Africa/Porto-Novo", "BW": "Africa/Gaborone",
	"BF": "Africa/Ouagadougou", "BI": "Africa/Bujumbura", "CV": "Atlantic/Cape_Verde", "CM": "Africa/Douala",
	"CF": "Africa/Bangui", "TD": "Africa/Ndjamena", "KM": "Indian/Comoro", "CG": "Africa/Brazzaville",
	"CD": "Africa/Kinshasa", "CI": "Africa/Abidjan", "DJ": "Africa/Djibouti", "EG": "Africa/Cairo",
	"GQ": "Africa/Malabo", "ER": "Africa/Asmara", "SZ": "Africa/Mbabane", "ET": "Africa/Addis_Ababa",
	"GA": "Africa/Libreville", "GM": "Africa/Banjul", "GH": "Africa/Accra", "GN": "Africa/Conakry",
	"GW": "Africa/Bissau", "KE": "Africa/Nairobi", "LS": "Africa/Maseru", "LR": "Africa/Monrovia",
	"LY": "Africa/Tripoli", "MG": "Indian/Antananarivo", "MW": "Africa/Blantyre", "ML": "Africa/Bamako",
	"MR": "Africa/Nouakchott", "MU": "Indian/Mauritius", "MA": "Africa/Casablanca", "MZ": "Africa/Maputo",
	"NA": "Africa/Windhoek", "NE": "Africa/Niamey", "NG": "Africa/Lagos", "RW": "Africa/Kigali",
	"ST": "Africa/Sao_Tome", "SN": "Africa/Dakar", "SC": "Indian/Mahe", "SL": "Africa/Freetown",
	"SO": "Africa/Mogadishu", "ZA": "Africa/Johannesburg", "SS": "Africa/Juba", "SD": "Africa/Khartoum",
	"TZ": "Africa/Dar_es_Salaam", "TG": "Africa/Lome", "TN": "Africa/Tunis", "UG": "Africa/Kampala",
	"ZM": "Africa/Lusaka", "ZW": "Africa/Harare", "HT": "America/Port-au-Prince", "PH": "Asia/Manila",
	"IN": "Asia/Kolkata", "PK": "Asia/Karachi", "BD": "Asia/Dhaka", "NP": "Asia/Kathmandu",
}

// CountryTimezone returns a representative IANA zone for a country.
func CountryTimezone(country string) string {
	if z, ok := countryZones[country]; ok {
		return z
	}
	return "UTC"
}

// TimezoneOverlap returns how many hours the 08:00-18:00 working days of
// two zones share on the date of now.
func (m *Matcher) TimezoneOverlap(zoneA, zoneB string, now time.Time) float64 {
	a, errA := m.zones.location(zoneA)
	b, errB := m.zones.location(zoneB)
	if errA != nil || errB != nil {
		return 0
	}
	_, offA := now.In(a).Zone()
	_, offB := now.In(b).Zone()
	diff := float64(offA-offB) / 3600
	if diff < 0 {
		diff = -diff
	}
	return max(0, workdayHours-diff)
}
