package main

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"sankofa"
)

// SeedData is the demo data `sankofa seed` loads through the public API.
type SeedData struct {
	Ministries    []SeedMinistry
	Professionals []SeedProfessional
	// Agreements are recorded under the WHO safeguards list.
	Agreements []sankofa.SafeguardAgreementInput
}

// SeedMinistry is a ministry-of-health account and the assignments it posts.
type SeedMinistry struct {
	Registration sankofa.Registration // role ministry
	Assignments  []sankofa.AssignmentInput
}

// SeedProfessional is a diaspora health worker's account and profile.
type SeedProfessional struct {
	Registration sankofa.Registration // role professional
	Profile      sankofa.ProfileInput
	// Interested names the open assignments, by title, the worker
	// expresses interest in.
	Interested []string
}

// SeedPassword is the password of every demo account.
const SeedPassword = "demo-password-1"

// seedProfessionalCount is how many diaspora workers the demo holds.
const seedProfessionalCount = 200

// seedFitPercent is the share of workers drawn to fit a posted assignment.
const seedFitPercent = 35

// seedStream is the PCG stream; it is fixed so that only the seed varies.
const seedStream = 0x53616e6b6f6661 // "Sankofa"

// GenerateSeedData builds the demo data from a fixed seed; today anchors every date so windows are never in the past.
func GenerateSeedData(seed int64, today time.Time) SeedData {
	r := rand.New(rand.NewPCG(uint64(seed), seedStream))
	y, m, d := today.UTC().Date()
	day0 := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)

	var data SeedData
	for _, ms := range seedMinistries {
		data.Ministries = append(data.Ministries, seedMinistry(r, day0, ms))
	}
	for i := range seedProfessionalCount {
		data.Professionals = append(data.Professionals, seedProfessional(r, day0, i+1))
	}
	data.Professionals = append(data.Professionals, seedSafeguardWorkers(day0)...)
	data.Agreements = seedAgreements(day0)
	return data
}

// seedMinistry turns a ministry table entry into a registration and
// assignments with dates, positions and language levels drawn from r.
func seedMinistry(r *rand.Rand, day0 time.Time, ms seedMinistrySpec) SeedMinistry {
	out := SeedMinistry{Registration: sankofa.Registration{
		Email:        ms.email,
		Password:     SeedPassword,
		Name:         ms.officer,
		Role:         sankofa.RoleMinistry,
		Country:      ms.country,
		Organization: ms.organization,
		Locale:       ms.lang, // explanations and notifications in the ministry's language
	}}
	for _, a := range ms.assignments {
		start := day0.AddDate(0, 0, 2+r.IntN(119))
		end := start.AddDate(0, 1+r.IntN(6), -1)
		level := "B2"
		if r.IntN(3) == 0 {
			level = "C1"
		}
		hours := 0
		if a.mode != sankofa.ModeOnsite {
			hours = a.hours + r.IntN(3)
		}
		out.Assignments = append(out.Assignments, sankofa.AssignmentInput{
			Title:               a.title,
			Description:         a.description,
			Profession:          a.profession,
			AcceptedProfessions: seedAccepted(a),
			Specialties:         slices.Clone(a.specialties),
			RequiredSkills:      slices.Clone(a.required),
			PreferredSkills:     slices.Clone(a.preferred),
			Languages:           []sankofa.Language{{Code: ms.lang, Level: level}},
			Mode:                a.mode,
			Location:            sankofa.Location{Region: a.region, Facility: a.facility},
			Start:               sankofa.DateOf(start),
			End:                 sankofa.DateOf(end),
			VirtualHoursPerWeek: hours,
			MinYearsExperience:  a.minYears,
			LicenceRequired:     a.licence,
			Positions:           1 + r.IntN(3),
		})
	}
	return out
}

// seedAccepted is the profession policy of a seed assignment: its own,
// or the default.
func seedAccepted(a seedAssignmentSpec) []string {
	if len(a.accepted) > 0 {
		return slices.Clone(a.accepted)
	}
	return sankofa.DefaultAcceptedProfessions(a.profession)
}

// seedProfessional draws the n-th diaspora worker.
func seedProfessional(r *rand.Rand, day0 time.Time, n int) SeedProfessional {
	origin := seedOrigins[seedWeighted(r, len(seedOrigins), func(i int) int { return seedOrigins[i].weight })]
	prof := seedProfessions[seedWeighted(r, len(seedProfessions), func(i int) int { return seedProfessions[i].weight })]
	group := seedPick(r, prof.groups)
	// Some workers fit a posted need, so that every demo assignment has
	// candidates to rank.
	if r.IntN(100) < seedFitPercent {
		ms := seedPick(r, seedMinistries)
		if o, p, g, ok := seedFit(ms.country, seedPick(r, ms.assignments)); ok {
			origin, prof, group = o, p, g
		}
	}
	resCode := origin.residences[seedWeighted(r, len(origin.residences), func(i int) int { return origin.residences[i].weight })].country
	res := seedResidences[resCode]

	female := r.IntN(2) == 0
	first := seedPick(r, origin.male)
	if female {
		first = seedPick(r, origin.female)
	}
	last := seedPick(r, origin.surnames)
	fullName := first + " " + last
	email := fmt.Sprintf("%s.%s.%d@example.org", seedASCII(first), seedASCII(last), n)

	// The language a worker writes terms in: that of their origin, or
	// sometimes that of a French- or Portuguese-speaking country of residence.
	lang := origin.lang
	if lang == "en" && (res.lang == "fr" || res.lang == "pt") && r.IntN(2) == 0 {
		lang = res.lang
	}

	var specialties []string
	for _, s := range group.specialties {
		specialties = seedAppendTerm(specialties, seedPhrase(r, s, lang))
	}
	var skills []string
	for _, s := range seedSample(r, group.skills, 3+r.IntN(4)) {
		skills = seedAppendTerm(skills, seedPhrase(r, s, lang))
	}
	if r.IntN(5) < 3 {
		for _, s := range seedSample(r, seedGeneralSkills, 1+r.IntN(2)) {
			skills = seedAppendTerm(skills, seedPhrase(r, s, lang))
		}
	}

	years := prof.minYears + r.IntN(31-prof.minYears)
	modes := seedModes[r.IntN(len(seedModes))]
	hours := 0
	if slices.Contains(modes, sankofa.ModeVirtual) {
		hours = 1 + r.IntN(10)
	}

	// Someone who only works on site needs dates; others may rely on hours.
	count := r.IntN(3)
	if !slices.Contains(modes, sankofa.ModeVirtual) {
		count = 1 + r.IntN(2)
	}
	windows := []sankofa.Window{}
	from := day0.AddDate(0, 0, r.IntN(121))
	for range count {
		to := from.AddDate(0, 0, 7*(2+r.IntN(11))-1)
		windows = append(windows, sankofa.Window{From: sankofa.DateOf(from), To: sankofa.DateOf(to)})
		if from = to.AddDate(0, 0, 14+r.IntN(60)); from.After(day0.AddDate(0, 0, 200)) {
			break
		}
	}

	share := []string{origin.country}
	if r.IntN(10) < 3 {
		nb := origin.neighbours[0]
		if r.IntN(2) == 0 {
			nb = seedPick(r, origin.neighbours)
		}
		share = append(share, nb)
	}

	employer := seedPick(r, res.employers)
	birth, citizenships, training := seedBirthAndTraining(n, origin.country, resCode)
	return SeedProfessional{
		Registration: sankofa.Registration{
			Email:        email,
			Password:     SeedPassword,
			Name:         fullName,
			Role:         sankofa.RoleProfessional,
			Country:      origin.country,
			Organization: employer,
		},
		Profile: sankofa.ProfileInput{
			FullName:            fullName,
			Profession:          prof.code,
			Specialties:         specialties,
			Skills:              skills,
			Languages:           seedLanguages(r, origin, res),
			OriginCountry:       origin.country,
			ResidenceCountry:    resCode,
			Timezone:            res.timezone,
			YearsExperience:     years,
			Licences:            seedLicences(r, day0, prof.licence, origin.country, resCode),
			Availability:        windows,
			VirtualHoursPerWeek: hours,
			Modes:               slices.Clone(modes),
			ShareWith:           share,
			Alerts:              r.IntN(10) < 7,
			Bio:                 seedBio(r, prof, origin, lang, female, employer, years, specialties, modes),
			Contact: &sankofa.Contact{
				Email: email,
				Phone: fmt.Sprintf(res.phoneFormat, res.phoneMin+r.IntN(res.phoneSpan)),
			},
			CountryOfBirth:    birth,
			Citizenships:      citizenships,
			CountryOfTraining: training,
		},
	}
}

// seedBirthAndTraining gives worker n a country of birth, citizenships
// and a country of training. They are drawn from a stream of their own, so
// that the rest of the demo stays as it was. Most were born and trained in
// their country of origin; about a quarter are nationals trained abroad
// (born GH, trained GB, a Ghanaian citizen), some were born in their
// country of residence, and many hold its citizenship too: foreign-born
// and foreign-trained differ, as OECD's figures do.
func seedBirthAndTraining(n int, origin, residence string) (birth string, citizenships []string, training string) {
	r := rand.New(rand.NewPCG(uint64(n), seedStream+1))
	birth = origin
	if r.IntN(100) < 6 && residence != origin {
		birth = residence // a child of the diaspora, back to the parents' country
	}
	citizenships = []string{origin}
	if birth != origin {
		citizenships = []string{birth, origin}
	} else if r.IntN(100) < 35 && residence != origin {
		citizenships = append(citizenships, residence)
	}
	switch d := r.IntN(100); {
	case d < 62:
		training = birth
	case d < 85:
		training = residence
	case d < 95:
		training = seedPick(r, []string{"GB", "US", "FR", "CU", "RU", "ZA", "PT", "UA"})
	default:
		training = "" // not said: the field is optional
	}
	return birth, citizenships, training
}

// seedFit returns the origin, profession and specialty group of a worker
// suited to assignment a of country; ok is false when the tables disagree.
func seedFit(country string, a seedAssignmentSpec) (origin seedOrigin, prof seedProfession, group seedSpecialtyGroup, ok bool) {
	oi := slices.IndexFunc(seedOrigins, func(o seedOrigin) bool { return o.country == country })
	pi := slices.IndexFunc(seedProfessions, func(p seedProfession) bool { return p.code == a.profession })
	if oi < 0 || pi < 0 {
		return origin, prof, group, false
	}
	gi := slices.IndexFunc(seedProfessions[pi].groups, func(g seedSpecialtyGroup) bool { return slices.Contains(g.specialties, a.pool) })
	if gi < 0 {
		return origin, prof, group, false
	}
	return seedOrigins[oi], seedProfessions[pi], seedProfessions[pi].groups[gi], true
}

// seedLanguages lists the origin's working language, sometimes a native
// language, the language of the country of residence, and sometimes one more.
func seedLanguages(r *rand.Rand, origin seedOrigin, res seedResidence) []sankofa.Language {
	var langs []sankofa.Language
	add := func(code, level string) {
		if !slices.ContainsFunc(langs, func(l sankofa.Language) bool { return l.Code == code }) {
			langs = append(langs, sankofa.Language{Code: code, Level: level})
		}
	}
	add(origin.lang, seedPick(r, []string{"C1", "C2", "C2"}))
	if len(origin.native) > 0 && r.IntN(10) < 6 {
		add(seedPick(r, origin.native), "C2")
	}
	if origin.country == "CM" {
		add("en", seedPick(r, []string{"B2", "C1", "C2"}))
	}
	add(res.lang, seedPick(r, []string{"B1", "B2", "C1", "C2"}))
	switch {
	case origin.lang == "en" && r.IntN(4) == 0:
		add("fr", seedPick(r, []string{"A2", "B1", "B2"}))
	case origin.lang != "en" && r.IntN(2) == 0:
		add("en", seedPick(r, []string{"B1", "B2", "C1"}))
	}
	return langs
}

// seedLicences gives most workers a licence from their country of
// residence, and some also one from their country of origin.
func seedLicences(r *rand.Rand, day0 time.Time, category, origin, residence string) []sankofa.Licence {
	licences := []sankofa.Licence{}
	if category == "" || r.IntN(100) < 12 {
		return licences
	}
	add := func(country string) {
		body, ok := seedLicenceBodies[country][category]
		if !ok {
			return
		}
		licences = append(licences, sankofa.Licence{
			Country: country,
			Body:    body,
			Number:  seedLicenceNumber(r, country, category),
			Expires: sankofa.DateOf(day0.AddDate(0, 0, 365+r.IntN(3*365))),
		})
	}
	add(residence)
	if r.IntN(5) == 0 {
		add(origin)
	}
	return licences
}

// seedLicenceNumber imitates the numbering of the issuing country.
func seedLicenceNumber(r *rand.Rand, country, category string) string {
	switch {
	case country == "GB" && (category == "nursing" || category == "midwifery"):
		return fmt.Sprintf("%02d%c%04d%c", r.IntN(25), 'A'+rune(r.IntN(12)), r.IntN(10000), "ACEO"[r.IntN(4)])
	case country == "GB":
		return fmt.Sprintf("%07d", 4000000+r.IntN(3000000))
	case country == "FR":
		return fmt.Sprintf("10%09d", r.IntN(1000000000))
	case country == "NL":
		return fmt.Sprintf("%011d", r.Int64N(100000000000))
	case country == "PT":
		return fmt.Sprintf("%05d", 10000+r.IntN(90000))
	case country == "US" || country == "CA":
		return fmt.Sprintf("%06d", r.IntN(1000000))
	}
	return fmt.Sprintf("%08d", r.IntN(100000000))
}

// seedBio writes one or two sentences in the worker's language.
func seedBio(r *rand.Rand, prof seedProfession, origin seedOrigin, lang string, female bool,
	employer string, years int, specialties []string, modes []sankofa.Mode) string {
	if lang != "en" && r.IntN(10) < 4 {
		lang = "en"
	}
	g := 0
	if !female {
		g = 1
	}
	t := seedBioTexts[lang]
	title := prof.title[lang][g]
	if prof.physician && len(specialties) > 0 {
		title += fmt.Sprintf(t.specialty, specialties[0])
	}
	yearsText := fmt.Sprintf(t.years[1], years)
	if years == 1 {
		yearsText = t.years[0]
	}
	bio := fmt.Sprintf(t.first, title, employer, yearsText)
	if r.IntN(5) == 0 {
		return bio
	}
	var second string
	switch {
	case len(modes) == 2:
		second = t.both[g]
	case modes[0] == sankofa.ModeVirtual:
		second = t.virtual
	default:
		second = t.onsite
	}
	return bio + " " + fmt.Sprintf(second, origin.place[lang])
}

// seedPhrase renders a vocabulary term in lang when a translation exists,
// and sometimes as a common abbreviation, so that matching has synonyms to
// resolve.
func seedPhrase(r *rand.Rand, term, lang string) string {
	if tr, ok := seedTranslations[term]; ok && r.IntN(10) < 6 {
		switch lang {
		case "fr":
			return tr[0]
		case "pt":
			return tr[1]
		}
	}
	if ab, ok := seedAbbreviations[term]; ok && r.IntN(4) == 0 {
		return ab
	}
	return term
}

// seedAppendTerm appends term unless it is already listed.
func seedAppendTerm(list []string, term string) []string {
	if slices.Contains(list, term) {
		return list
	}
	return append(list, term)
}

// seedWeighted returns an index in [0, n) drawn with the given weights.
func seedWeighted(r *rand.Rand, n int, weight func(int) int) int {
	total := 0
	for i := range n {
		total += weight(i)
	}
	x := r.IntN(total)
	for i := range n {
		if x -= weight(i); x < 0 {
			return i
		}
	}
	return n - 1
}

// seedPick returns a uniformly chosen element of a non-empty list.
func seedPick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

// seedSample returns up to k distinct elements of list in random order.
func seedSample(r *rand.Rand, list []string, k int) []string {
	k = min(k, len(list))
	out := make([]string, 0, k)
	for _, i := range r.Perm(len(list))[:k] {
		out = append(out, list[i])
	}
	return out
}

// seedASCII folds a name to lower-case ASCII letters for an e-mail address.
func seedASCII(s string) string {
	var b strings.Builder
	for _, c := range norm.NFD.String(strings.ToLower(s)) {
		if c >= 'a' && c <= 'z' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// seedModes are the mode sets workers choose, weighted by repetition.
var seedModes = [][]sankofa.Mode{
	{sankofa.ModeOnsite},
	{sankofa.ModeOnsite},
	{sankofa.ModeVirtual},
	{sankofa.ModeVirtual},
	{sankofa.ModeVirtual},
	{sankofa.ModeOnsite, sankofa.ModeVirtual},
	{sankofa.ModeOnsite, sankofa.ModeVirtual},
	{sankofa.ModeOnsite, sankofa.ModeVirtual},
	{sankofa.ModeOnsite, sankofa.ModeVirtual},
	{sankofa.ModeOnsite, sankofa.ModeVirtual},
}

// seedMinistrySpec describes a demo ministry and what it posts.
type seedMinistrySpec struct {
	country, organization, officer, email, lang string
	assignments                                 []seedAssignmentSpec
}

// seedAssignmentSpec holds the fixed terms of a demo assignment; dates,
// positions and language levels are drawn at generation time.
type seedAssignmentSpec struct {
	title, description, profession string
	specialties, required          []string
	preferred                      []string
	mode                           sankofa.Mode
	region, facility               string
	minYears, hours                int
	licence                        bool
	pool                           string // English specialty of the workers drawn to fit it
	// accepted is the ministry's profession policy when it differs from
	// the default: a substitution it chose to accept.
	accepted []string
}

// seedMinistries are the four demo ministries and their terms of reference.
var seedMinistries = []seedMinistrySpec{
	{
		country: "GH", organization: "Ministry of Health, Ghana", officer: "Dr Abena Asante",
		email: "officer.gh@moh.example.org", lang: "en",
		assignments: []seedAssignmentSpec{
			{
				title:       "Obstetrician-gynaecologist for maternal health support, Tamale",
				description: "Tamale Teaching Hospital is the referral centre for the five northern regions and handles over 8,000 deliveries a year. We seek a consultant to perform and teach emergency obstetric surgery, review maternal deaths, and mentor resident doctors.",
				pool:        "obstetrics and gynaecology",
				profession:  "2212",
				specialties: []string{"obstetrics and gynaecology"},
				required:    []string{"caesarean section", "emergency obstetric and newborn care"},
				preferred:   []string{"obstetric ultrasound", "clinical teaching", "postpartum haemorrhage management"},
				mode:        sankofa.ModeOnsite,
				region:      "Northern",
				facility:    "Tamale Teaching Hospital",
				minYears:    5,
				licence:     true,
			},
			{
				title:       "Midwife mentor for the labour ward, Bolgatanga",
				description: "Strengthen labour-ward practice at the Upper East Regional Hospital: partograph use, management of postpartum haemorrhage and newborn resuscitation. Two weeks on site, then weekly remote case reviews with the midwifery team.",
				pool:        "midwifery",
				profession:  "2222",
				specialties: []string{"midwifery"},
				required:    []string{"emergency obstetric and newborn care", "neonatal resuscitation"},
				preferred:   []string{"partograph", "supervision", "training of trainers"},
				mode:        sankofa.ModeHybrid,
				region:      "Upper East",
				facility:    "Upper East Regional Hospital",
				minYears:    3,
				licence:     true,
				hours:       3,
			},
			{
				title:       "Virtual mentor in paediatric emergency care",
				description: "Weekly teleconsultation and case-based teaching for the paediatric emergency unit of Komfo Anokye Teaching Hospital, including triage (ETAT) refreshers for nurses and junior doctors.",
				pool:        "paediatrics",
				profession:  "2212",
				specialties: []string{"paediatrics", "emergency medicine"},
				required:    []string{"paediatric triage", "neonatal resuscitation"},
				preferred:   []string{"telemedicine", "clinical teaching"},
				mode:        sankofa.ModeVirtual,
				region:      "Ashanti",
				facility:    "Komfo Anokye Teaching Hospital",
				minYears:    5,
				licence:     true,
				hours:       3,
			},
			{
				title:       "Laboratory scientist for TB and HIV diagnostics",
				description: "Support the regional laboratory in scaling up GeneXpert testing and viral-load monitoring, set up internal quality control, and train laboratory staff in biosafety.",
				pool:        "clinical microbiology",
				profession:  "3212",
				specialties: []string{"clinical microbiology"},
				required:    []string{"PCR", "microscopy", "GeneXpert"},
				preferred:   []string{"laboratory quality management", "biosafety"},
				mode:        sankofa.ModeOnsite,
				region:      "Volta",
				facility:    "Ho Teaching Hospital",
				minYears:    3,
			},
			{
				title:       "Health information officer for DHIS2 strengthening",
				description: "Help the Policy, Planning, Monitoring and Evaluation Division improve data quality in DHIS2: design dashboards, run data-quality reviews with regional teams, and train district health information officers.",
				pool:        "health informatics",
				profession:  "3252",
				specialties: []string{"health informatics"},
				required:    []string{"DHIS2", "data quality assessment"},
				preferred:   []string{"training of trainers", "data visualisation"},
				mode:        sankofa.ModeVirtual,
				region:      "Greater Accra",
				facility:    "Ghana Health Service Headquarters",
				minYears:    2,
				hours:       5,
			},
		},
	},
	{
		country: "NG", organization: "Federal Ministry of Health, Nigeria", officer: "Dr Ibrahim Bello",
		email: "officer.ng@moh.example.org", lang: "en",
		assignments: []seedAssignmentSpec{
			{
				title:       "Anaesthetist for obstetric surgical outreach, Kano",
				description: "Provide safe anaesthesia for an obstetric and fistula surgery outreach, supervise nurse anaesthetists, and run a short course on spinal anaesthesia for caesarean section.",
				pool:        "anaesthesia",
				profession:  "2212",
				specialties: []string{"anaesthesia"},
				required:    []string{"obstetric anaesthesia", "spinal anaesthesia", "airway management"},
				preferred:   []string{"clinical teaching", "critical care"},
				mode:        sankofa.ModeOnsite,
				region:      "Kano",
				facility:    "Aminu Kano Teaching Hospital",
				minYears:    5,
				licence:     true,
			},
			{
				title:       "Psychiatrist for mhGAP training and supervision",
				description: "Train primary-care teams in Oyo State to use the WHO mhGAP Intervention Guide, then supervise them through monthly remote case conferences.",
				pool:        "psychiatry",
				profession:  "2212",
				specialties: []string{"psychiatry"},
				required:    []string{"mhGAP", "supervision"},
				preferred:   []string{"training of trainers", "telemedicine"},
				mode:        sankofa.ModeHybrid,
				region:      "Oyo",
				facility:    "University College Hospital, Ibadan",
				minYears:    5,
				licence:     true,
				hours:       2,
			},
			{
				title:       "HIV nurse mentor for ART scale-up",
				description: "Mentor nurses in comprehensive HIV clinics on differentiated ART delivery, adherence counselling and prevention of mother-to-child transmission.",
				pool:        "HIV care",
				profession:  "2221",
				// Midwives run PMTCT in Nigeria's antenatal clinics; the
				// ministry accepts them for this post.
				accepted:    []string{"2221", "2222"},
				specialties: []string{"HIV care"},
				required:    []string{"ART management", "HIV testing and counselling"},
				preferred:   []string{"PMTCT", "supervision"},
				mode:        sankofa.ModeOnsite,
				region:      "Benue",
				facility:    "Federal Medical Centre, Makurdi",
				minYears:    3,
				licence:     true,
			},
			{
				title:       "Medical officer for emergency and trauma care",
				description: "Work alongside the emergency department team, introduce a structured triage system, and teach trauma and advanced life support to house officers.",
				pool:        "emergency medicine",
				profession:  "2211",
				specialties: []string{"emergency medicine"},
				required:    []string{"trauma care", "advanced life support"},
				preferred:   []string{"triage", "clinical teaching"},
				mode:        sankofa.ModeOnsite,
				region:      "Lagos",
				facility:    "Lagos University Teaching Hospital",
				minYears:    4,
				licence:     true,
			},
			{
				title:       "Clinical pharmacist for antimicrobial stewardship",
				description: "Support the National Hospital in setting up an antimicrobial stewardship programme: audit prescriptions, draft local guidelines and coach the pharmacy team remotely.",
				pool:        "clinical pharmacy",
				profession:  "2262",
				specialties: []string{"clinical pharmacy"},
				required:    []string{"antimicrobial stewardship", "pharmacovigilance"},
				preferred:   []string{"medication review", "clinical teaching"},
				mode:        sankofa.ModeVirtual,
				region:      "Federal Capital Territory",
				facility:    "National Hospital, Abuja",
				minYears:    3,
				licence:     true,
				hours:       4,
			},
		},
	},
	{
		country: "SN", organization: "Ministère de la Santé et de l'Action sociale, Sénégal", officer: "Dr Aminata Ndiaye",
		email: "officer.sn@moh.example.org", lang: "fr",
		assignments: []seedAssignmentSpec{
			{
				title:       "Sage-femme formatrice en SONU, Kolda",
				description: "Renforcer les compétences des sages-femmes du centre hospitalier régional en soins obstétricaux et néonatals d'urgence : prise en charge de l'hémorragie du post-partum, réanimation du nouveau-né et utilisation du partogramme.",
				pool:        "midwifery",
				profession:  "2222",
				specialties: []string{"sage-femme"},
				required:    []string{"soins obstétricaux et néonatals d'urgence", "réanimation néonatale"},
				preferred:   []string{"formation de formateurs", "partogramme"},
				mode:        sankofa.ModeOnsite,
				region:      "Kolda",
				facility:    "Centre hospitalier régional de Kolda",
				minYears:    3,
				licence:     true,
			},
			{
				title:       "Gynécologue-obstétricien pour la chirurgie obstétricale",
				description: "Assurer les césariennes et la prise en charge des grossesses à risque à l'hôpital régional, et encadrer les médecins en formation de chirurgie essentielle.",
				pool:        "obstetrics and gynaecology",
				profession:  "2212",
				specialties: []string{"gynécologie-obstétrique"},
				required:    []string{"césarienne", "échographie obstétricale"},
				preferred:   []string{"cure de fistule obstétricale", "encadrement"},
				mode:        sankofa.ModeOnsite,
				region:      "Tambacounda",
				facility:    "Hôpital régional de Tambacounda",
				minYears:    5,
				licence:     true,
			},
			{
				title:       "Pédiatre pour le téléconseil en néonatologie",
				description: "Appui à distance de l'unité de néonatologie : téléconsultations hebdomadaires, revues de dossiers et formation continue sur la réanimation néonatale et la méthode mère kangourou.",
				pool:        "neonatology",
				profession:  "2212",
				specialties: []string{"pédiatrie", "néonatologie"},
				required:    []string{"réanimation néonatale", "prise en charge de la malnutrition aiguë sévère"},
				preferred:   []string{"télémédecine", "enseignement clinique"},
				mode:        sankofa.ModeVirtual,
				region:      "Ziguinchor",
				facility:    "Hôpital de la Paix de Ziguinchor",
				minYears:    4,
				licence:     true,
				hours:       3,
			},
			{
				title:       "Technicien supérieur de laboratoire en biologie moléculaire",
				description: "Appuyer le laboratoire dans la mise en place des tests PCR et de la mesure de la charge virale, et former le personnel à la biosécurité et à l'assurance qualité.",
				pool:        "molecular biology",
				profession:  "3212",
				specialties: []string{"biologie moléculaire"},
				required:    []string{"PCR", "microscopie"},
				preferred:   []string{"assurance qualité au laboratoire", "biosécurité"},
				mode:        sankofa.ModeOnsite,
				region:      "Dakar",
				facility:    "Centre hospitalier national universitaire de Fann",
				minYears:    2,
			},
			{
				title:       "Infirmier ou infirmière en santé mentale",
				description: "Former les infirmiers des districts au guide d'intervention mhGAP, puis assurer la supervision à distance des équipes de soins de santé primaires.",
				pool:        "mental health nursing",
				profession:  "2221",
				specialties: []string{"soins infirmiers en santé mentale"},
				required:    []string{"mhGAP", "soins infirmiers en psychiatrie"},
				preferred:   []string{"encadrement", "formation de formateurs"},
				mode:        sankofa.ModeHybrid,
				region:      "Thiès",
				facility:    "Centre hospitalier régional de Thiès",
				minYears:    3,
				licence:     true,
				hours:       2,
			},
		},
	},
	{
		country: "MZ", organization: "Ministério da Saúde, Moçambique", officer: "Dra. Graça Macuácua",
		email: "officer.mz@moh.example.org", lang: "pt",
		assignments: []seedAssignmentSpec{
			{
				title:       "Enfermeira de saúde materna para cuidados obstétricos de emergência",
				description: "Reforçar as competências das enfermeiras de saúde materno-infantil em cuidados obstétricos e neonatais de emergência, reanimação neonatal e tratamento da hemorragia pós-parto.",
				pool:        "maternal and newborn health",
				profession:  "2222",
				specialties: []string{"saúde materna e neonatal"},
				required:    []string{"cuidados obstétricos e neonatais de emergência", "reanimação neonatal"},
				preferred:   []string{"formação de formadores", "supervisão"},
				mode:        sankofa.ModeOnsite,
				region:      "Nampula",
				facility:    "Hospital Central de Nampula",
				minYears:    3,
				licence:     true,
			},
			{
				title:       "Cirurgião para cesarianas e cirurgia de urgência",
				description: "Realizar e ensinar cirurgia de urgência e cesarianas no hospital provincial, e apoiar a formação dos técnicos de cirurgia.",
				pool:        "general surgery",
				profession:  "2212",
				specialties: []string{"cirurgia geral", "obstetrícia e ginecologia"},
				required:    []string{"cesariana", "cirurgia de urgência"},
				preferred:   []string{"ensino clínico", "atendimento ao trauma"},
				mode:        sankofa.ModeOnsite,
				region:      "Cabo Delgado",
				facility:    "Hospital Provincial de Pemba",
				minYears:    5,
				licence:     true,
			},
			{
				title:       "Farmacêutico para gestão da cadeia de abastecimento",
				description: "Apoiar a Central de Medicamentos e Artigos Médicos na quantificação de necessidades, na gestão de stocks e na farmacovigilância, com uma missão curta em Maputo e acompanhamento à distância.",
				pool:        "hospital pharmacy",
				profession:  "2262",
				specialties: []string{"farmácia hospitalar"},
				required:    []string{"gestão da cadeia de abastecimento", "farmacovigilância"},
				preferred:   []string{"quantificação e previsão de necessidades", "DHIS2"},
				mode:        sankofa.ModeHybrid,
				region:      "Maputo Cidade",
				facility:    "Central de Medicamentos e Artigos Médicos",
				minYears:    3,
				licence:     true,
				hours:       4,
			},
			{
				title:       "Médico de clínica geral para mentoria em TARV e tuberculose",
				description: "Mentoria à distância dos clínicos das unidades sanitárias da Zambézia na gestão do TARV, da coinfecção TB/HIV e dos casos de falência terapêutica.",
				pool:        "infectious diseases",
				profession:  "2211",
				specialties: []string{"doenças infecciosas"},
				required:    []string{"gestão do TARV", "tratamento da tuberculose"},
				preferred:   []string{"telemedicina", "supervisão"},
				mode:        sankofa.ModeVirtual,
				region:      "Zambézia",
				facility:    "Hospital Provincial de Quelimane",
				minYears:    3,
				licence:     true,
				hours:       3,
			},
			{
				title:       "Anestesiologista para formação em anestesia obstétrica",
				description: "Assegurar a anestesia no bloco operatório e formar técnicos de anestesia em anestesia raquidiana para cesariana e na abordagem da via aérea.",
				pool:        "anaesthesia",
				profession:  "2212",
				specialties: []string{"anestesiologia"},
				required:    []string{"anestesia obstétrica", "anestesia raquidiana"},
				preferred:   []string{"formação de formadores", "cuidados intensivos"},
				mode:        sankofa.ModeOnsite,
				region:      "Sofala",
				facility:    "Hospital Central da Beira",
				minYears:    5,
				licence:     true,
			},
		},
	},
}

// seedWeight is a country with a relative weight.
type seedWeight struct {
	country string
	weight  int
}

// seedOrigin describes the workers who come from one country.
type seedOrigin struct {
	country    string
	weight     int
	lang       string   // working language: en, fr or pt
	native     []string // ISO 639-1 codes of common first languages
	neighbours []string
	residences []seedWeight
	female     []string
	male       []string
	surnames   []string
	place      map[string]string // the country as a bio phrase, per language
}

// seedOrigins are the countries diaspora workers come from, most often the
// four with demo ministries.
var seedOrigins = []seedOrigin{
	{
		country: "GH", weight: 45, lang: "en", native: []string{"tw", "tw", "ee"},
		neighbours: []string{"NG", "CI", "TG", "BF"},
		residences: []seedWeight{{"GB", 45}, {"US", 25}, {"CA", 12}, {"DE", 6}, {"NL", 6}, {"IE", 6}},
		female:     []string{"Ama", "Akosua", "Abena", "Efua", "Adwoa", "Afua", "Esi", "Yaa", "Akua", "Comfort", "Gifty", "Dzifa", "Selasi", "Mabel", "Naa Adjeley"},
		male:       []string{"Kwame", "Kofi", "Kwabena", "Yaw", "Kwasi", "Kojo", "Kwaku", "Kobina", "Emmanuel", "Samuel", "Ebenezer", "Selorm", "Mawuli", "Nii", "Fiifi"},
		surnames:   []string{"Mensah", "Owusu", "Asante", "Boateng", "Osei", "Agyeman", "Acheampong", "Appiah", "Danquah", "Ofori", "Amoah", "Addo", "Quaye", "Tetteh", "Adjei", "Sarpong", "Frimpong", "Amponsah", "Ansah", "Agbeko", "Kpodo", "Abubakari", "Iddrisu", "Dery", "Owusu-Ansah", "Asamoah"},
		place:      map[string]string{"en": "Ghana", "fr": "au Ghana", "pt": "no Gana"},
	},
	{
		country: "NG", weight: 50, lang: "en", native: []string{"yo", "ig", "ha"},
		neighbours: []string{"GH", "CM", "BJ", "NE"},
		residences: []seedWeight{{"GB", 50}, {"US", 25}, {"CA", 13}, {"IE", 12}},
		female:     []string{"Ngozi", "Chioma", "Adaeze", "Folasade", "Funmilayo", "Yetunde", "Aisha", "Hauwa", "Zainab", "Amina", "Ifeoma", "Temitope", "Bukola", "Oluwadamilola", "Nneka", "Blessing", "Titilayo"},
		male:       []string{"Chinedu", "Emeka", "Obinna", "Oluwaseun", "Adebayo", "Tunde", "Babatunde", "Abubakar", "Ibrahim", "Musa", "Uchenna", "Kelechi", "Chukwuemeka", "Segun", "Olumide", "Nnamdi", "Usman"},
		surnames:   []string{"Okafor", "Okonkwo", "Adeyemi", "Balogun", "Nwosu", "Eze", "Oyelaran", "Ogunleye", "Bello", "Abdullahi", "Danjuma", "Umar", "Yusuf", "Olawale", "Akinola", "Ibekwe", "Chukwu", "Obi", "Ige", "Suleiman", "Adesina", "Nwachukwu", "Okeke", "Afolabi", "Lawal", "Mohammed"},
		place:      map[string]string{"en": "Nigeria", "fr": "au Nigeria", "pt": "na Nigéria"},
	},
	{
		country: "SN", weight: 30, lang: "fr", native: []string{"wo", "wo", "ff"},
		neighbours: []string{"CI", "GM", "ML", "GN", "MR"},
		residences: []seedWeight{{"FR", 60}, {"IT", 18}, {"BE", 10}, {"CA", 7}, {"US", 5}},
		female:     []string{"Aminata", "Fatou", "Awa", "Aïssatou", "Mariama", "Khady", "Ndèye", "Coumba", "Seynabou", "Rokhaya", "Astou", "Penda", "Adja", "Bineta", "Dieynaba"},
		male:       []string{"Mamadou", "Moussa", "Ousmane", "Cheikh", "Abdoulaye", "Ibrahima", "Modou", "Babacar", "Alioune", "Pape", "Souleymane", "Lamine", "Mouhamed", "El Hadji", "Serigne"},
		surnames:   []string{"Diop", "Ndiaye", "Fall", "Sow", "Ba", "Diallo", "Sy", "Gueye", "Faye", "Mbaye", "Sarr", "Cissé", "Niang", "Thiam", "Diouf", "Seck", "Kane", "Camara", "Mbodj", "Wade", "Ndour", "Dieng", "Touré", "Badji", "Sène"},
		place:      map[string]string{"en": "Senegal", "fr": "au Sénégal", "pt": "no Senegal"},
	},
	{
		country: "MZ", weight: 25, lang: "pt", native: []string{"ts", "sw"},
		neighbours: []string{"ZA", "TZ", "MW", "ZW"},
		residences: []seedWeight{{"PT", 75}, {"GB", 10}, {"DE", 8}, {"US", 7}},
		female:     []string{"Maria", "Ana", "Graça", "Luísa", "Celeste", "Esperança", "Felizarda", "Teresa", "Amélia", "Joaquina", "Rosa", "Albertina", "Lúcia", "Isabel", "Célia"},
		male:       []string{"João", "Carlos", "Armando", "Alberto", "Fernando", "Celso", "Hélder", "Edson", "Nelson", "Ernesto", "Jaime", "Manuel", "Eusébio", "Abel", "Vasco"},
		surnames:   []string{"Machava", "Macuácua", "Cossa", "Sitoe", "Nhantumbo", "Mabunda", "Tembe", "Langa", "Matsinhe", "Muianga", "Chongo", "Bila", "Manjate", "Cumbe", "Zandamela", "Sambo", "Mucavele", "Guambe", "Chaúque", "Mavie", "Massingue", "Ubisse"},
		place:      map[string]string{"en": "Mozambique", "fr": "au Mozambique", "pt": "em Moçambique"},
	},
	{
		country: "CM", weight: 15, lang: "fr",
		neighbours: []string{"NG", "GA", "TD", "CF"},
		residences: []seedWeight{{"FR", 40}, {"DE", 20}, {"BE", 15}, {"US", 15}, {"CA", 10}},
		female:     []string{"Christelle", "Solange", "Brigitte", "Carine", "Estelle", "Odile", "Mireille", "Sandrine", "Linda", "Nadège"},
		male:       []string{"Jean-Pierre", "Paul", "Serge", "Achille", "Hervé", "Blaise", "Franck", "Thierry", "Rodrigue", "Landry"},
		surnames:   []string{"Mbarga", "Fotso", "Kamga", "Ndongo", "Essomba", "Atangana", "Tchinda", "Njoya", "Ngono", "Fouda", "Tchakounté", "Nkengfack", "Mbah", "Fon"},
		place:      map[string]string{"en": "Cameroon", "fr": "au Cameroun", "pt": "nos Camarões"},
	},
	{
		country: "KE", weight: 12, lang: "en", native: []string{"sw"},
		neighbours: []string{"TZ", "UG", "ET"},
		residences: []seedWeight{{"GB", 50}, {"US", 30}, {"CA", 10}, {"IE", 10}},
		female:     []string{"Wanjiru", "Njeri", "Akinyi", "Achieng", "Wambui", "Chebet", "Jepkosgei", "Faith", "Mercy", "Grace", "Esther", "Nyokabi"},
		male:       []string{"Otieno", "Kamau", "Ochieng", "Kiprono", "Brian", "Kevin", "Peter", "Dennis", "Mwangi", "Kipchoge", "Baraka", "Omondi"},
		surnames:   []string{"Kamau", "Mwangi", "Otieno", "Odhiambo", "Njoroge", "Kariuki", "Wekesa", "Kiptoo", "Mutua", "Omondi", "Wanjala", "Cheruiyot", "Kimani", "Onyango"},
		place:      map[string]string{"en": "Kenya", "fr": "au Kenya", "pt": "no Quénia"},
	},
	{
		country: "ET", weight: 10, lang: "en", native: []string{"am", "am", "om"},
		neighbours: []string{"KE", "DJ", "SO"},
		residences: []seedWeight{{"US", 50}, {"GB", 20}, {"DE", 15}, {"CA", 15}},
		female:     []string{"Meseret", "Selamawit", "Tigist", "Hana", "Mekdes", "Tsion", "Eyerusalem", "Liya", "Bethlehem", "Hiwot", "Rahel"},
		male:       []string{"Abebe", "Dawit", "Yonas", "Bereket", "Samuel", "Mulugeta", "Henok", "Tewodros", "Yohannes", "Biniam", "Kidus"},
		surnames:   []string{"Tesfaye", "Bekele", "Alemu", "Girma", "Haile", "Tadesse", "Woldemariam", "Kebede", "Assefa", "Mekonnen", "Negash", "Getachew", "Gebremedhin", "Desta"},
		place:      map[string]string{"en": "Ethiopia", "fr": "en Éthiopie", "pt": "na Etiópia"},
	},
	{
		country: "CI", weight: 8, lang: "fr",
		neighbours: []string{"SN", "GH", "BF", "ML"},
		residences: []seedWeight{{"FR", 70}, {"BE", 15}, {"CA", 15}},
		female:     []string{"Aya", "Adjoua", "Affoué", "Amenan", "Mariam", "Fatoumata", "Marie-Laure", "Awa", "Akissi", "Ramatou"},
		male:       []string{"Kouadio", "Konan", "Yao", "Koffi", "Serge", "Didier", "Ange", "Yves", "Seydou", "Brice"},
		surnames:   []string{"Kouassi", "Koné", "Ouattara", "Traoré", "Coulibaly", "Bamba", "Kouamé", "N'Guessan", "Diabaté", "Aka", "Tanoh", "Kra", "Dosso"},
		place:      map[string]string{"en": "Côte d'Ivoire", "fr": "en Côte d'Ivoire", "pt": "na Costa do Marfim"},
	},
	{
		country: "CD", weight: 5, lang: "fr", native: []string{"ln", "ln", "sw"},
		neighbours: []string{"CG", "RW", "AO", "BI"},
		residences: []seedWeight{{"BE", 50}, {"FR", 35}, {"CA", 15}},
		female:     []string{"Grâce", "Nathalie", "Espérance", "Josée", "Mireille", "Chantal", "Gloire", "Divine", "Bénédicte", "Fifi"},
		male:       []string{"Jean-Claude", "Patrick", "Trésor", "Blaise", "Christian", "Dieudonné", "Fiston", "Héritier", "Junior", "Cédric"},
		surnames:   []string{"Mukendi", "Tshibangu", "Kalala", "Ilunga", "Mbuyi", "Kasongo", "Lukusa", "Mulumba", "Ngoy", "Kabongo", "Nzuzi", "Mutombo", "Lumbala", "Tshimanga"},
		place:      map[string]string{"en": "the DR Congo", "fr": "en RD Congo", "pt": "na RD Congo"},
	},
}

// seedResidence describes a country where diaspora workers live.
type seedResidence struct {
	timezone    string
	lang        string
	phoneFormat string // E.164 with one integer verb
	phoneMin    int
	phoneSpan   int
	employers   []string
}

// seedResidences maps a country of residence to its time zone, language,
// phone numbering (ranges reserved for fiction where they exist) and
// employers in the city whose licensing bodies seedLicenceBodies names.
var seedResidences = map[string]seedResidence{
	"GB": {"Europe/London", "en", "+447700900%03d", 0, 1000, []string{"Barts Health NHS Trust", "Manchester University NHS Foundation Trust", "Leeds Teaching Hospitals NHS Trust", "King's College Hospital NHS Foundation Trust", "Birmingham Women's and Children's NHS Foundation Trust", "University Hospitals of Leicester NHS Trust"}},
	"FR": {"Europe/Paris", "fr", "+3363998%04d", 0, 10000, []string{"AP-HP", "Hospices Civils de Lyon", "CHU de Bordeaux", "AP-HM", "CHU de Lille", "CHU de Toulouse"}},
	"US": {"America/New_York", "en", "+1212555%04d", 100, 100, []string{"NYC Health + Hospitals", "Montefiore Medical Center", "NewYork-Presbyterian Hospital", "Mount Sinai Hospital", "NYU Langone Health"}},
	"CA": {"America/Toronto", "en", "+1416555%04d", 100, 100, []string{"University Health Network", "Sunnybrook Health Sciences Centre", "The Ottawa Hospital", "Hamilton Health Sciences"}},
	"DE": {"Europe/Berlin", "de", "+49151%08d", 0, 100000000, []string{"Charité – Universitätsmedizin Berlin", "Vivantes Klinikum Neukölln", "DRK Kliniken Berlin Westend", "Helios Klinikum Berlin-Buch"}},
	"PT": {"Europe/Lisbon", "pt", "+35191%07d", 0, 10000000, []string{"Hospital de Santa Maria", "Centro Hospitalar Universitário de São João", "Hospital Garcia de Orta", "Hospital Fernando Fonseca"}},
	"BE": {"Europe/Brussels", "fr", "+32470%06d", 0, 1000000, []string{"Cliniques universitaires Saint-Luc", "CHU Saint-Pierre", "Hôpital Erasme", "CHU de Liège"}},
	"IT": {"Europe/Rome", "it", "+39347%07d", 0, 10000000, []string{"Policlinico Umberto I", "Policlinico Universitario A. Gemelli", "Ospedale San Camillo-Forlanini", "Ospedale Sandro Pertini"}},
	"NL": {"Europe/Amsterdam", "nl", "+316%08d", 0, 100000000, []string{"Amsterdam UMC", "Erasmus MC", "UMC Utrecht", "Radboudumc"}},
	"IE": {"Europe/Dublin", "en", "+35387%07d", 0, 10000000, []string{"St James's Hospital", "Beaumont Hospital", "Mater Misericordiae University Hospital", "Cork University Hospital"}},
}

// seedLicenceBodies maps a country and a licence category to the body that
// registers such professionals there.
var seedLicenceBodies = map[string]map[string]string{
	"GB": {"medical": "General Medical Council", "nursing": "Nursing and Midwifery Council", "midwifery": "Nursing and Midwifery Council", "pharmacy": "General Pharmaceutical Council", "lab": "Health and Care Professions Council", "physio": "Health and Care Professions Council", "imaging": "Health and Care Professions Council", "dental": "General Dental Council"},
	"FR": {"medical": "Ordre des médecins", "nursing": "Ordre national des infirmiers", "midwifery": "Ordre des sages-femmes", "pharmacy": "Ordre national des pharmaciens", "lab": "Agence régionale de santé (ADELI)", "physio": "Ordre des masseurs-kinésithérapeutes", "imaging": "Agence régionale de santé (ADELI)", "dental": "Ordre national des chirurgiens-dentistes"},
	"US": {"medical": "New York State Board for Medicine", "nursing": "New York State Board of Nursing", "midwifery": "New York State Board for Midwifery", "pharmacy": "New York State Board of Pharmacy", "lab": "New York State Board for Clinical Laboratory Technology", "physio": "New York State Board for Physical Therapy", "imaging": "American Registry of Radiologic Technologists", "dental": "New York State Board for Dentistry"},
	"CA": {"medical": "College of Physicians and Surgeons of Ontario", "nursing": "College of Nurses of Ontario", "midwifery": "College of Midwives of Ontario", "pharmacy": "Ontario College of Pharmacists", "lab": "College of Medical Laboratory Technologists of Ontario", "physio": "College of Physiotherapists of Ontario", "imaging": "College of Medical Radiation and Imaging Technologists of Ontario", "dental": "Royal College of Dental Surgeons of Ontario"},
	"DE": {"medical": "Ärztekammer Berlin", "nursing": "Landesamt für Gesundheit und Soziales Berlin", "midwifery": "Landesamt für Gesundheit und Soziales Berlin", "pharmacy": "Apothekerkammer Berlin", "lab": "Landesamt für Gesundheit und Soziales Berlin", "physio": "Landesamt für Gesundheit und Soziales Berlin", "imaging": "Landesamt für Gesundheit und Soziales Berlin", "dental": "Zahnärztekammer Berlin"},
	"PT": {"medical": "Ordem dos Médicos", "nursing": "Ordem dos Enfermeiros", "midwifery": "Ordem dos Enfermeiros", "pharmacy": "Ordem dos Farmacêuticos", "lab": "Administração Central do Sistema de Saúde", "physio": "Ordem dos Fisioterapeutas", "imaging": "Administração Central do Sistema de Saúde", "dental": "Ordem dos Médicos Dentistas"},
	"BE": {"medical": "Ordre des médecins", "nursing": "SPF Santé publique", "midwifery": "SPF Santé publique", "pharmacy": "Ordre des pharmaciens", "lab": "SPF Santé publique", "physio": "SPF Santé publique", "imaging": "SPF Santé publique", "dental": "SPF Santé publique"},
	"IT": {"medical": "Ordine dei Medici Chirurghi e degli Odontoiatri di Roma", "nursing": "Ordine delle Professioni Infermieristiche di Roma", "midwifery": "Ordine della Professione di Ostetrica di Roma", "pharmacy": "Ordine dei Farmacisti di Roma", "lab": "Ordine TSRM e PSTRP di Roma", "physio": "Ordine TSRM e PSTRP di Roma", "imaging": "Ordine TSRM e PSTRP di Roma", "dental": "Ordine dei Medici Chirurghi e degli Odontoiatri di Roma"},
	"NL": {"medical": "BIG-register", "nursing": "BIG-register", "midwifery": "BIG-register", "pharmacy": "BIG-register", "physio": "BIG-register", "dental": "BIG-register"},
	"IE": {"medical": "Medical Council", "nursing": "Nursing and Midwifery Board of Ireland", "midwifery": "Nursing and Midwifery Board of Ireland", "pharmacy": "Pharmaceutical Society of Ireland", "lab": "CORU", "physio": "CORU", "imaging": "CORU", "dental": "Dental Council"},
	"GH": {"medical": "Medical and Dental Council, Ghana", "nursing": "Nursing and Midwifery Council of Ghana", "midwifery": "Nursing and Midwifery Council of Ghana", "pharmacy": "Pharmacy Council, Ghana", "lab": "Allied Health Professions Council, Ghana", "dental": "Medical and Dental Council, Ghana"},
	"NG": {"medical": "Medical and Dental Council of Nigeria", "nursing": "Nursing and Midwifery Council of Nigeria", "midwifery": "Nursing and Midwifery Council of Nigeria", "pharmacy": "Pharmacists Council of Nigeria", "lab": "Medical Laboratory Science Council of Nigeria", "physio": "Medical Rehabilitation Therapists Board of Nigeria", "dental": "Medical and Dental Council of Nigeria"},
	"SN": {"medical": "Ordre national des médecins du Sénégal", "pharmacy": "Ordre des pharmaciens du Sénégal", "dental": "Ordre national des chirurgiens-dentistes du Sénégal"},
	"MZ": {"medical": "Ordem dos Médicos de Moçambique", "nursing": "Ordem dos Enfermeiros de Moçambique", "midwifery": "Ordem dos Enfermeiros de Moçambique"},
	"KE": {"medical": "Kenya Medical Practitioners and Dentists Council", "nursing": "Nursing Council of Kenya", "midwifery": "Nursing Council of Kenya", "pharmacy": "Pharmacy and Poisons Board", "dental": "Kenya Medical Practitioners and Dentists Council"},
}

// seedSpecialtyGroup is a specialty with the skills that go with it; terms
// are English and translated at generation time.
type seedSpecialtyGroup struct {
	specialties []string
	skills      []string
}

// seedProfession describes one ISCO-08 occupation in the demo pool.
type seedProfession struct {
	code      string
	weight    int
	minYears  int
	licence   string // category in seedLicenceBodies; "" when unregulated
	physician bool
	title     map[string][2]string // per language: female, male
	groups    []seedSpecialtyGroup
}

// seedProfessions weights the pool towards nurses, midwives and physicians.
var seedProfessions = []seedProfession{
	{
		code: "2221", weight: 50, minYears: 1, licence: "nursing",
		title: map[string][2]string{"en": {"Nurse", "Nurse"}, "fr": {"Infirmière", "Infirmier"}, "pt": {"Enfermeira", "Enfermeiro"}},
		groups: []seedSpecialtyGroup{
			{[]string{"critical care nursing"}, []string{"critical care", "airway management", "advanced life support", "infection prevention and control", "wound care"}},
			{[]string{"paediatric nursing"}, []string{"paediatric triage", "neonatal resuscitation", "IMCI", "management of severe acute malnutrition", "kangaroo mother care"}},
			{[]string{"mental health nursing"}, []string{"mhGAP", "psychiatric nursing", "cognitive behavioural therapy", "supervision"}},
			{[]string{"HIV care"}, []string{"ART management", "HIV testing and counselling", "PMTCT", "TB management"}},
			{[]string{"theatre nursing"}, []string{"perioperative care", "infection prevention and control", "surgical safety checklist", "airway management"}},
			{[]string{"emergency nursing"}, []string{"triage", "trauma care", "advanced life support", "wound care"}},
			{[]string{"general nursing"}, []string{"wound care", "infection prevention and control", "hypertension management", "diabetes care", "palliative care"}},
			{[]string{"oncology nursing"}, []string{"chemotherapy administration", "palliative care", "infection prevention and control"}},
			{[]string{"community health nursing"}, []string{"immunisation", "family planning", "antenatal care", "health education"}},
		},
	},
	{
		code: "2222", weight: 30, minYears: 1, licence: "midwifery",
		title: map[string][2]string{"en": {"Midwife", "Midwife"}, "fr": {"Sage-femme", "Sage-femme"}, "pt": {"Enfermeira de saúde materna", "Enfermeiro de saúde materna"}},
		groups: []seedSpecialtyGroup{
			{[]string{"midwifery"}, []string{"emergency obstetric and newborn care", "neonatal resuscitation", "partograph", "antenatal care", "postpartum haemorrhage management", "family planning", "kangaroo mother care", "obstetric ultrasound", "manual vacuum aspiration"}},
			{[]string{"midwifery", "maternal and newborn health"}, []string{"emergency obstetric and newborn care", "neonatal resuscitation", "partograph", "postpartum haemorrhage management", "PMTCT", "antenatal care"}},
		},
	},
	{
		code: "2211", weight: 25, minYears: 1, licence: "medical", physician: true,
		title: map[string][2]string{"en": {"Medical doctor", "Medical doctor"}, "fr": {"Médecin généraliste", "Médecin généraliste"}, "pt": {"Médica de clínica geral", "Médico de clínica geral"}},
		groups: []seedSpecialtyGroup{
			{[]string{"family medicine"}, []string{"hypertension management", "diabetes care", "chronic disease management", "antenatal care", "minor surgery"}},
			{[]string{"emergency medicine"}, []string{"trauma care", "advanced life support", "triage", "point-of-care ultrasound"}},
			{[]string{"infectious diseases"}, []string{"ART management", "TB management", "malaria case management", "PMTCT"}},
			{[]string{"public health"}, []string{"outbreak response", "disease surveillance", "health systems strengthening", "DHIS2"}},
		},
	},
	{
		code: "2212", weight: 40, minYears: 4, licence: "medical", physician: true,
		title: map[string][2]string{"en": {"Specialist physician", "Specialist physician"}, "fr": {"Médecin spécialiste", "Médecin spécialiste"}, "pt": {"Médica especialista", "Médico especialista"}},
		groups: []seedSpecialtyGroup{
			{[]string{"obstetrics and gynaecology"}, []string{"caesarean section", "emergency obstetric and newborn care", "obstetric ultrasound", "obstetric fistula repair", "postpartum haemorrhage management", "laparoscopy"}},
			{[]string{"anaesthesia"}, []string{"obstetric anaesthesia", "spinal anaesthesia", "airway management", "critical care", "regional anaesthesia"}},
			{[]string{"paediatrics"}, []string{"paediatric triage", "neonatal resuscitation", "management of severe acute malnutrition", "sickle cell disease management", "IMCI"}},
			{[]string{"paediatrics", "neonatology"}, []string{"neonatal resuscitation", "kangaroo mother care", "neonatal intensive care", "neonatal sepsis management"}},
			{[]string{"emergency medicine"}, []string{"trauma care", "advanced life support", "point-of-care ultrasound", "triage"}},
			{[]string{"psychiatry"}, []string{"mhGAP", "cognitive behavioural therapy", "child and adolescent psychiatry", "addiction medicine"}},
			{[]string{"general surgery"}, []string{"emergency surgery", "laparoscopy", "trauma care", "caesarean section"}},
			{[]string{"internal medicine"}, []string{"hypertension management", "diabetes care", "echocardiography", "chronic disease management"}},
			{[]string{"infectious diseases"}, []string{"ART management", "TB management", "antimicrobial stewardship", "outbreak response"}},
			{[]string{"cardiology"}, []string{"echocardiography", "hypertension management", "ECG interpretation"}},
			{[]string{"radiology"}, []string{"obstetric ultrasound", "CT reporting", "point-of-care ultrasound", "teleradiology"}},
		},
	},
	{
		code: "2262", weight: 15, minYears: 1, licence: "pharmacy",
		title: map[string][2]string{"en": {"Pharmacist", "Pharmacist"}, "fr": {"Pharmacienne", "Pharmacien"}, "pt": {"Farmacêutica", "Farmacêutico"}},
		groups: []seedSpecialtyGroup{
			{[]string{"clinical pharmacy"}, []string{"antimicrobial stewardship", "pharmacovigilance", "medication review", "ART management"}},
			{[]string{"hospital pharmacy"}, []string{"supply chain management", "pharmacovigilance", "aseptic compounding", "quantification and forecasting"}},
		},
	},
	{
		code: "3212", weight: 15, minYears: 1, licence: "lab",
		title: map[string][2]string{"en": {"Biomedical scientist", "Biomedical scientist"}, "fr": {"Technicienne de laboratoire", "Technicien de laboratoire"}, "pt": {"Técnica de laboratório", "Técnico de laboratório"}},
		groups: []seedSpecialtyGroup{
			{[]string{"clinical microbiology"}, []string{"microscopy", "culture and sensitivity testing", "GeneXpert", "biosafety", "laboratory quality management"}},
			{[]string{"molecular biology"}, []string{"PCR", "GeneXpert", "viral load testing", "biosafety"}},
			{[]string{"haematology"}, []string{"blood transfusion", "microscopy", "malaria diagnosis", "sickle cell screening"}},
			{[]string{"clinical chemistry"}, []string{"laboratory quality management", "point-of-care testing", "biosafety"}},
		},
	},
	{
		code: "2264", weight: 8, minYears: 1, licence: "physio",
		title: map[string][2]string{"en": {"Physiotherapist", "Physiotherapist"}, "fr": {"Kinésithérapeute", "Kinésithérapeute"}, "pt": {"Fisioterapeuta", "Fisioterapeuta"}},
		groups: []seedSpecialtyGroup{
			{[]string{"neurological rehabilitation"}, []string{"stroke rehabilitation", "spinal cord injury rehabilitation", "manual therapy"}},
			{[]string{"musculoskeletal physiotherapy"}, []string{"amputee rehabilitation", "sports injury rehabilitation", "manual therapy"}},
			{[]string{"respiratory physiotherapy"}, []string{"chest physiotherapy", "critical care", "pulmonary rehabilitation"}},
		},
	},
	{
		code: "3211", weight: 5, minYears: 1, licence: "imaging",
		title: map[string][2]string{"en": {"Radiographer", "Radiographer"}, "fr": {"Manipulatrice en radiologie", "Manipulateur en radiologie"}, "pt": {"Técnica de radiologia", "Técnico de radiologia"}},
		groups: []seedSpecialtyGroup{
			{[]string{"diagnostic radiography"}, []string{"radiography", "CT scanning", "radiation protection"}},
			{[]string{"sonography"}, []string{"obstetric ultrasound", "abdominal ultrasound", "radiation protection"}},
		},
	},
	{
		code: "3252", weight: 7, minYears: 1,
		title: map[string][2]string{"en": {"Health information specialist", "Health information specialist"}, "fr": {"Spécialiste en information sanitaire", "Spécialiste en information sanitaire"}, "pt": {"Técnica de informação de saúde", "Técnico de informação de saúde"}},
		groups: []seedSpecialtyGroup{
			{[]string{"health informatics"}, []string{"DHIS2", "OpenMRS", "HL7 FHIR", "SQL", "data quality assessment", "data visualisation"}},
			{[]string{"health information management"}, []string{"medical records management", "ICD-10 coding", "DHIS2", "data quality assessment"}},
		},
	},
	{
		code: "2261", weight: 3, minYears: 1, licence: "dental",
		title: map[string][2]string{"en": {"Dentist", "Dentist"}, "fr": {"Chirurgienne-dentiste", "Chirurgien-dentiste"}, "pt": {"Médica dentista", "Médico dentista"}},
		groups: []seedSpecialtyGroup{
			{[]string{"oral surgery"}, []string{"oral surgery", "dental extraction", "maxillofacial trauma"}},
			{[]string{"paediatric dentistry"}, []string{"paediatric dentistry", "fluoride varnish", "dental extraction"}},
		},
	},
	{
		code: "1342", weight: 2, minYears: 5,
		title: map[string][2]string{"en": {"Health services manager", "Health services manager"}, "fr": {"Directrice d'hôpital", "Directeur d'hôpital"}, "pt": {"Gestora hospitalar", "Gestor hospitalar"}},
		groups: []seedSpecialtyGroup{
			{[]string{"health services management"}, []string{"health systems strengthening", "quality improvement", "project management", "health financing"}},
		},
	},
}

// seedGeneralSkills are skills any health worker may add.
var seedGeneralSkills = []string{"clinical teaching", "supervision", "training of trainers", "telemedicine", "quality improvement", "infection prevention and control"}

// seedBioText holds the sentence templates of a bio in one language.
type seedBioText struct {
	first     string    // title, employer, years
	specialty string    // appended to a physician's title
	years     [2]string // one year; %d years
	onsite    string    // place
	virtual   string    // place
	both      [2]string // place; female, male
}

// seedBioTexts are the bio templates per language.
var seedBioTexts = map[string]seedBioText{
	"en": {
		first:     "%s at %s with %s of experience.",
		specialty: " (%s)",
		years:     [2]string{"1 year", "%d years"},
		onsite:    "Available for short on-site missions in %s.",
		virtual:   "Happy to mentor and teach colleagues in %s remotely.",
		both:      [2]string{"Interested in teaching and supervision in %s, on site or remotely.", "Interested in teaching and supervision in %s, on site or remotely."},
	},
	"fr": {
		first:     "%s (%s), %s d'expérience.",
		specialty: ", %s",
		years:     [2]string{"1 an", "%d ans"},
		onsite:    "Disponible pour des missions courtes sur place %s.",
		virtual:   "Souhaite accompagner à distance des équipes %s.",
		both:      [2]string{"Intéressée par l'enseignement et l'encadrement %s, sur place ou à distance.", "Intéressé par l'enseignement et l'encadrement %s, sur place ou à distance."},
	},
	"pt": {
		first:     "%s (%s), com %s de experiência.",
		specialty: ", %s",
		years:     [2]string{"1 ano", "%d anos"},
		onsite:    "Disponível para missões curtas presenciais %s.",
		virtual:   "Disponível para mentoria e teleconsulta à distância com equipas %s.",
		both:      [2]string{"Interessada em ensino e supervisão %s, presencialmente ou à distância.", "Interessado em ensino e supervisão %s, presencialmente ou à distância."},
	},
}

// seedTranslations gives the French and Portuguese forms of vocabulary
// terms, as workers trained in those systems would write them.
var seedTranslations = map[string][2]string{
	// Specialties.
	"obstetrics and gynaecology":    {"gynécologie-obstétrique", "obstetrícia e ginecologia"},
	"anaesthesia":                   {"anesthésie-réanimation", "anestesiologia"},
	"paediatrics":                   {"pédiatrie", "pediatria"},
	"neonatology":                   {"néonatologie", "neonatologia"},
	"emergency medicine":            {"médecine d'urgence", "medicina de urgência"},
	"psychiatry":                    {"psychiatrie", "psiquiatria"},
	"general surgery":               {"chirurgie générale", "cirurgia geral"},
	"internal medicine":             {"médecine interne", "medicina interna"},
	"infectious diseases":           {"maladies infectieuses", "doenças infecciosas"},
	"cardiology":                    {"cardiologie", "cardiologia"},
	"radiology":                     {"radiologie", "radiologia"},
	"family medicine":               {"médecine générale", "medicina geral e familiar"},
	"public health":                 {"santé publique", "saúde pública"},
	"midwifery":                     {"sage-femme", "enfermagem de saúde materna e obstétrica"},
	"maternal and newborn health":   {"santé maternelle et néonatale", "saúde materna e neonatal"},
	"critical care nursing":         {"soins infirmiers en réanimation", "enfermagem de cuidados intensivos"},
	"paediatric nursing":            {"puériculture", "enfermagem pediátrica"},
	"mental health nursing":         {"soins infirmiers en santé mentale", "enfermagem de saúde mental"},
	"HIV care":                      {"prise en charge du VIH", "cuidados de HIV"},
	"theatre nursing":               {"soins infirmiers au bloc opératoire", "enfermagem perioperatória"},
	"emergency nursing":             {"soins infirmiers d'urgence", "enfermagem de urgência"},
	"general nursing":               {"soins infirmiers", "enfermagem geral"},
	"oncology nursing":              {"soins infirmiers en oncologie", "enfermagem oncológica"},
	"community health nursing":      {"santé communautaire", "enfermagem comunitária"},
	"clinical pharmacy":             {"pharmacie clinique", "farmácia clínica"},
	"hospital pharmacy":             {"pharmacie hospitalière", "farmácia hospitalar"},
	"clinical microbiology":         {"microbiologie", "microbiologia"},
	"molecular biology":             {"biologie moléculaire", "biologia molecular"},
	"haematology":                   {"hématologie", "hematologia"},
	"clinical chemistry":            {"biochimie clinique", "bioquímica clínica"},
	"neurological rehabilitation":   {"rééducation neurologique", "reabilitação neurológica"},
	"musculoskeletal physiotherapy": {"kinésithérapie musculo-squelettique", "fisioterapia músculo-esquelética"},
	"respiratory physiotherapy":     {"kinésithérapie respiratoire", "fisioterapia respiratória"},
	"diagnostic radiography":        {"radiologie diagnostique", "radiologia de diagnóstico"},
	"sonography":                    {"échographie", "ecografia"},
	"health informatics":            {"informatique de santé", "informática da saúde"},
	"health information management": {"gestion de l'information sanitaire", "gestão da informação em saúde"},
	"health services management":    {"management des établissements de santé", "gestão de serviços de saúde"},

	// Skills.
	"caesarean section":                       {"césarienne", "cesariana"},
	"emergency obstetric and newborn care":    {"soins obstétricaux et néonatals d'urgence", "cuidados obstétricos e neonatais de emergência"},
	"neonatal resuscitation":                  {"réanimation néonatale", "reanimação neonatal"},
	"obstetric ultrasound":                    {"échographie obstétricale", "ecografia obstétrica"},
	"partograph":                              {"partogramme", "partograma"},
	"antenatal care":                          {"consultation prénatale", "cuidados pré-natais"},
	"postpartum haemorrhage management":       {"prise en charge de l'hémorragie du post-partum", "tratamento da hemorragia pós-parto"},
	"family planning":                         {"planification familiale", "planeamento familiar"},
	"kangaroo mother care":                    {"méthode mère kangourou", "método mãe canguru"},
	"manual vacuum aspiration":                {"aspiration manuelle intra-utérine", "aspiração manual intrauterina"},
	"obstetric fistula repair":                {"cure de fistule obstétricale", "reparação de fístula obstétrica"},
	"laparoscopy":                             {"cœlioscopie", "laparoscopia"},
	"obstetric anaesthesia":                   {"anesthésie obstétricale", "anestesia obstétrica"},
	"spinal anaesthesia":                      {"rachianesthésie", "anestesia raquidiana"},
	"regional anaesthesia":                    {"anesthésie locorégionale", "anestesia regional"},
	"airway management":                       {"gestion des voies aériennes", "abordagem da via aérea"},
	"critical care":                           {"réanimation", "cuidados intensivos"},
	"advanced life support":                   {"réanimation cardio-pulmonaire avancée", "suporte avançado de vida"},
	"trauma care":                             {"prise en charge des traumatisés", "atendimento ao trauma"},
	"triage":                                  {"triage", "triagem"},
	"paediatric triage":                       {"triage pédiatrique", "triagem pediátrica"},
	"management of severe acute malnutrition": {"prise en charge de la malnutrition aiguë sévère", "tratamento da desnutrição aguda grave"},
	"IMCI":                              {"PCIME", "AIDI"},
	"sickle cell disease management":    {"prise en charge de la drépanocytose", "tratamento da drepanocitose"},
	"neonatal intensive care":           {"soins intensifs néonatals", "cuidados intensivos neonatais"},
	"neonatal sepsis management":        {"prise en charge du sepsis néonatal", "tratamento da sépsis neonatal"},
	"point-of-care ultrasound":          {"échographie clinique", "ecografia point-of-care"},
	"cognitive behavioural therapy":     {"thérapie cognitivo-comportementale", "terapia cognitivo-comportamental"},
	"child and adolescent psychiatry":   {"pédopsychiatrie", "pedopsiquiatria"},
	"addiction medicine":                {"addictologie", "medicina das adições"},
	"psychiatric nursing":               {"soins infirmiers en psychiatrie", "enfermagem psiquiátrica"},
	"emergency surgery":                 {"chirurgie d'urgence", "cirurgia de urgência"},
	"hypertension management":           {"prise en charge de l'hypertension", "controlo da hipertensão"},
	"diabetes care":                     {"prise en charge du diabète", "cuidados na diabetes"},
	"chronic disease management":        {"suivi des maladies chroniques", "gestão de doenças crónicas"},
	"echocardiography":                  {"échocardiographie", "ecocardiografia"},
	"ECG interpretation":                {"interprétation de l'ECG", "interpretação de ECG"},
	"ART management":                    {"prise en charge antirétrovirale", "gestão do TARV"},
	"HIV testing and counselling":       {"dépistage et conseil VIH", "aconselhamento e testagem em HIV"},
	"PMTCT":                             {"PTME", "PTV"},
	"TB management":                     {"prise en charge de la tuberculose", "tratamento da tuberculose"},
	"malaria case management":           {"prise en charge du paludisme", "tratamento da malária"},
	"antimicrobial stewardship":         {"bon usage des antibiotiques", "gestão de antimicrobianos"},
	"outbreak response":                 {"riposte aux épidémies", "resposta a surtos"},
	"disease surveillance":              {"surveillance épidémiologique", "vigilância epidemiológica"},
	"health systems strengthening":      {"renforcement des systèmes de santé", "fortalecimento do sistema de saúde"},
	"CT reporting":                      {"interprétation du scanner", "relatório de TC"},
	"teleradiology":                     {"téléradiologie", "telerradiologia"},
	"pharmacovigilance":                 {"pharmacovigilance", "farmacovigilância"},
	"medication review":                 {"analyse pharmaceutique des prescriptions", "revisão da medicação"},
	"supply chain management":           {"gestion de la chaîne d'approvisionnement", "gestão da cadeia de abastecimento"},
	"aseptic compounding":               {"préparations stériles", "preparação asséptica"},
	"quantification and forecasting":    {"quantification des besoins", "quantificação e previsão de necessidades"},
	"microscopy":                        {"microscopie", "microscopia"},
	"culture and sensitivity testing":   {"culture et antibiogramme", "cultura e antibiograma"},
	"biosafety":                         {"biosécurité", "biossegurança"},
	"laboratory quality management":     {"assurance qualité au laboratoire", "gestão da qualidade laboratorial"},
	"viral load testing":                {"mesure de la charge virale", "carga viral"},
	"blood transfusion":                 {"transfusion sanguine", "transfusão sanguínea"},
	"malaria diagnosis":                 {"diagnostic du paludisme", "diagnóstico da malária"},
	"sickle cell screening":             {"dépistage de la drépanocytose", "rastreio da drepanocitose"},
	"point-of-care testing":             {"biologie délocalisée", "testes no local de atendimento"},
	"stroke rehabilitation":             {"rééducation après AVC", "reabilitação pós-AVC"},
	"spinal cord injury rehabilitation": {"rééducation des blessés médullaires", "reabilitação de lesão medular"},
	"amputee rehabilitation":            {"rééducation des amputés", "reabilitação de amputados"},
	"sports injury rehabilitation":      {"rééducation du sportif", "reabilitação de lesões desportivas"},
	"manual therapy":                    {"thérapie manuelle", "terapia manual"},
	"chest physiotherapy":               {"kinésithérapie respiratoire", "cinesioterapia respiratória"},
	"pulmonary rehabilitation":          {"réhabilitation respiratoire", "reabilitação respiratória"},
	"radiography":                       {"radiographie", "radiografia"},
	"CT scanning":                       {"tomodensitométrie", "tomografia computorizada"},
	"radiation protection":              {"radioprotection", "proteção radiológica"},
	"abdominal ultrasound":              {"échographie abdominale", "ecografia abdominal"},
	"data quality assessment":           {"évaluation de la qualité des données", "avaliação da qualidade dos dados"},
	"data visualisation":                {"visualisation de données", "visualização de dados"},
	"medical records management":        {"gestion des dossiers médicaux", "gestão de processos clínicos"},
	"ICD-10 coding":                     {"codage CIM-10", "codificação CID-10"},
	"oral surgery":                      {"chirurgie orale", "cirurgia oral"},
	"dental extraction":                 {"extraction dentaire", "extração dentária"},
	"maxillofacial trauma":              {"traumatologie maxillo-faciale", "traumatologia maxilofacial"},
	"paediatric dentistry":              {"odontologie pédiatrique", "odontopediatria"},
	"fluoride varnish":                  {"vernis fluoré", "verniz de flúor"},
	"quality improvement":               {"amélioration de la qualité", "melhoria da qualidade"},
	"project management":                {"gestion de projet", "gestão de projetos"},
	"health financing":                  {"financement de la santé", "financiamento da saúde"},
	"clinical teaching":                 {"enseignement clinique", "ensino clínico"},
	"supervision":                       {"encadrement", "supervisão"},
	"training of trainers":              {"formation de formateurs", "formação de formadores"},
	"telemedicine":                      {"télémédecine", "telemedicina"},
	"infection prevention and control":  {"prévention et contrôle des infections", "prevenção e controlo de infeção"},
	"wound care":                        {"soins des plaies", "tratamento de feridas"},
	"perioperative care":                {"soins périopératoires", "cuidados perioperatórios"},
	"surgical safety checklist":         {"check-list sécurité au bloc opératoire", "lista de verificação de segurança cirúrgica"},
	"chemotherapy administration":       {"administration de chimiothérapie", "administração de quimioterapia"},
	"palliative care":                   {"soins palliatifs", "cuidados paliativos"},
	"immunisation":                      {"vaccination", "vacinação"},
	"health education":                  {"éducation pour la santé", "educação para a saúde"},
	"minor surgery":                     {"petite chirurgie", "pequena cirurgia"},
}

// seedAbbreviations are short or American forms that workers use in place
// of the full English term.
var seedAbbreviations = map[string]string{
	"obstetrics and gynaecology":              "OB/GYN",
	"emergency obstetric and newborn care":    "EmONC",
	"caesarean section":                       "C-section",
	"advanced life support":                   "ACLS",
	"trauma care":                             "ATLS",
	"paediatric triage":                       "ETAT",
	"infection prevention and control":        "IPC",
	"cognitive behavioural therapy":           "CBT",
	"antenatal care":                          "ANC",
	"neonatal resuscitation":                  "Helping Babies Breathe",
	"ART management":                          "antiretroviral therapy",
	"anaesthesia":                             "anesthesiology",
	"paediatrics":                             "pediatrics",
	"haematology":                             "hematology",
	"point-of-care ultrasound":                "POCUS",
	"kangaroo mother care":                    "KMC",
	"postpartum haemorrhage management":       "PPH management",
	"management of severe acute malnutrition": "SAM management",
	"critical care":                           "intensive care",
	"midwifery":                               "midwife",
	"theatre nursing":                         "scrub nurse",
}
