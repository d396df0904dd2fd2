package sankofa

import (
	"net/mail"
	"regexp"
	"strings"
	"time"
	_ "time/tzdata" // time-zone names must validate the same on a bare container

	"golang.org/x/text/language"
)

// Occupations maps the ISCO-08 health occupation codes Sankofa accepts to
// their English titles.
var Occupations = map[string]string{
	"1342": "Health services managers",
	"2211": "Generalist medical practitioners",
	"2212": "Specialist medical practitioners",
	"2221": "Nursing professionals",
	"2222": "Midwifery professionals",
	"2230": "Traditional and complementary medicine professionals",
	"2240": "Paramedical practitioners",
	"2261": "Dentists",
	"2262": "Pharmacists",
	"2263": "Environmental and occupational health and hygiene professionals",
	"2264": "Physiotherapists",
	"2265": "Dieticians and nutritionists",
	"2266": "Audiologists and speech therapists",
	"2267": "Optometrists and ophthalmic opticians",
	"2269": "Health professionals not elsewhere classified",
	"3211": "Medical imaging and therapeutic equipment technicians",
	"3212": "Medical and pathology laboratory technicians",
	"3213": "Pharmaceutical technicians and assistants",
	"3214": "Medical and dental prosthetic technicians",
	"3221": "Nursing associate professionals",
	"3222": "Midwifery associate professionals",
	"3251": "Dental assistants and therapists",
	"3252": "Medical records and health information technicians",
	"3253": "Community health workers",
	"3254": "Dispensing opticians",
	"3255": "Physiotherapy technicians and assistants",
	"3256": "Medical assistants",
	"3257": "Environmental and occupational health inspectors and associates",
	"3258": "Ambulance workers",
	"3259": "Health associate professionals not elsewhere classified",
}

// CEFRLevels lists the language levels in ascending order.
var CEFRLevels = []string{"A1", "A2", "B1", "B2", "C1", "C2"}

// CEFRRank returns the position of level in CEFRLevels (1 for A1) or 0 when
// it is not a level.
func CEFRRank(level string) int {
	for i, l := range CEFRLevels {
		if l == level {
			return i + 1
		}
	}
	return 0
}

var (
	alpha2  = regexp.MustCompile(`^[A-Z]{2}$`)
	lang2   = regexp.MustCompile(`^[a-z]{2}$`)
	e164    = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
	ianaTZ  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*$`)
	isoDate = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
)

// iso3166 lists the 249 officially assigned ISO 3166-1 alpha-2 codes.
// CLDR (and so x/text) also knows reserved and withdrawn ones such as UK
// and XK, which would make two codes for one country.
const iso3166 = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW "

// ValidCountry reports whether code is an officially assigned ISO 3166-1
// alpha-2 country code in upper case.
func ValidCountry(code string) bool {
	return alpha2.MatchString(code) && strings.Contains(iso3166, code+" ")
}

// ValidLanguage reports whether code is an ISO 639-1 language code in lower
// case.
func ValidLanguage(code string) bool {
	if !lang2.MatchString(code) {
		return false
	}
	// Withdrawn codes (iw, in, ji) and jw would make a second code for a
	// language already listed under its current code.
	switch code {
	case "iw", "in", "ji", "jw":
		return false
	}
	b, err := language.ParseBase(code)
	return err == nil && b.String() == code
}

// ValidTimeZone reports whether name is an IANA time-zone name such as
// "Africa/Accra" or "UTC".
func ValidTimeZone(name string) bool {
	// The host's zoneinfo also has right/, posix/ and a few files that are
	// not zone names; refuse them so validation matches the embedded tzdata.
	if name == "" || name == "Local" || len(name) > 64 || !ianaTZ.MatchString(name) ||
		strings.HasPrefix(name, "right/") || strings.HasPrefix(name, "posix/") ||
		name == "posixrules" || name == "localtime" || name == "Factory" {
		return false
	}
	_, err := time.LoadLocation(name)
	return err == nil
}

// ValidPhone reports whether s is an E.164 phone number.
func ValidPhone(s string) bool { return e164.MatchString(s) }

// ValidEmail reports whether s is a plain e-mail address (no display name).
func ValidEmail(s string) bool {
	if len(s) > 254 || strings.ContainsAny(s, " <>\t\r\n") {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".")
}

// NormalizeEmail returns the form of an address used for uniqueness.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Date is a calendar day in ISO 8601 form (YYYY-MM-DD).
type Date string

// Time parses d; ok is false when d is not a real calendar day.
func (d Date) Time() (t time.Time, ok bool) {
	if !isoDate.MatchString(string(d)) {
		return time.Time{}, false
	}
	t, err := time.Parse(time.DateOnly, string(d))
	return t, err == nil
}

// DateOf returns the calendar day of t in UTC.
func DateOf(t time.Time) Date { return Date(t.UTC().Format(time.DateOnly)) }
