package search

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"

	"sankofa"
	"sankofa/matcher"
)

// sourceField holds a JSON snapshot of the entity, stored and not indexed,
// so that ranking needs no database read per candidate.
const sourceField = "_source"

// Fields of the profile index. The hard constraints go into one field,
// "hc", as terms, so that every filter is a term lookup, fast at a million
// documents (see hcTerm): "sp_GH_2221" (shared with GH, profession 2221)
// and "sa_GH" exist only for active profiles and are the small posting
// lists a match or a ministry's search starts from; "l_fr_B2" is a
// language's level, "e_" and "h_" years of experience and weekly virtual
// hours (see atLeast), "m_2027_03" a month an on-site window touches,
// "lic_"/"licy_"/"licd_" the latest licence expiry (see licenceTokens) and
// "c_2026_11" the month of creation (see newestMonths).
//
// Bleve gives each field and each element of an array its own analysis
// and token map; one field of about 20 terms replaced seven arrays of
// about 60 values, the largest cost of a rebuild.
var (
	// facetKeywords are counted by countFacets, from postings.
	facetKeywords = []string{"profession", "origin_country", "residence_country", "modes", "languages"}
	plainKeywords = []string{"account_id", "active", "country_of_birth", "citizenships", "country_of_training"}
)

const (
	textAnalyzer = "sankofa_text"
	// termsAnalyzer splits on spaces and other breaks; the terms put in
	// "hc" and "concepts" are letters, digits and "_" only, so it keeps
	// them whole, and it is faster than a whitespace or regexp tokenizer.
	termsAnalyzer = "sankofa_terms"
	// sortField orders search results newest first; it holds the creation
	// time and the id, so one doc-value read per hit sorts and breaks ties.
	sortField = "cid"
)

func profileMapping() mapping.IndexMapping {
	m := newMapping(nil, nil)
	// Free text folds case and accents, so "infirmiere" finds "infirmière".
	if err := m.AddCustomAnalyzer(textAnalyzer, map[string]any{
		"type":          custom.Name,
		"char_filters":  []string{asciifolding.Name},
		"tokenizer":     unicode.Name,
		"token_filters": []string{lowercase.Name},
	}); err != nil {
		panic(err) // a static definition; TestIndex_Open exercises it
	}
	if err := m.AddCustomAnalyzer(termsAnalyzer, map[string]any{
		"type":      custom.Name,
		"tokenizer": unicode.Name,
	}); err != nil {
		panic(err)
	}
	doc := m.DefaultMapping
	// No field goes to "_all", and building it still cost 8% of a rebuild.
	doc.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	for _, k := range append(append(facetKeywords, plainKeywords...), sortField) {
		f := keywordField()
		f.DocValues = k == sortField
		doc.AddFieldMappingsAt(k, f)
	}
	for _, k := range []string{"hc", "concepts"} {
		f := keywordField()
		f.Analyzer = termsAnalyzer
		f.DocValues = false
		// Hard constraints are never scored; concepts are, by matching.
		f.SkipFreqNorm = k == "hc"
		doc.AddFieldMappingsAt(k, f)
	}
	text := bleve.NewTextFieldMapping()
	text.Analyzer = textAnalyzer
	text.IncludeInAll = false
	text.IncludeTermVectors = false
	text.DocValues = false
	text.Store = false
	doc.AddFieldMappingsAt("text", text)
	doc.AddFieldMappingsAt(sourceField, sourceFieldMapping())
	doc.AddFieldMappingsAt(versionField, sourceFieldMapping())
	doc.AddFieldMappingsAt(obsField, obsFieldMapping())
	return m
}

// hcTerm joins parts into a term of "hc", replacing what the terms
// analyzer would split on.
func hcTerm(parts ...string) string { return termSafe.Replace(strings.Join(parts, "_")) }

// conceptTerm is a taxonomy concept id as a term ("specialty:sports-medicine"
// becomes "specialty_sports__medicine").
func conceptTerm(id string) string { return termSafe.Replace(id) }

var termSafe = strings.NewReplacer(":", "_", "-", "__", "|", "_", " ", "_", ".", "_")

// sourceFieldMapping stores a value without indexing it.
func sourceFieldMapping() *mapping.FieldMapping {
	f := bleve.NewTextFieldMapping()
	f.Index = false
	f.Store = true
	f.IncludeInAll = false
	f.IncludeTermVectors = false
	f.DocValues = false
	return f
}

// profileSource is the snapshot kept in the index.
type profileSource struct {
	Profile  *sankofa.Profile `json:"p"`
	Features matcher.Features `json:"f"`
	Active   bool             `json:"a"`
}

func (ix *Index) profileDoc(p *sankofa.Profile, active bool) (map[string]any, error) {
	f := ix.match.ProfileFeatures(&p.ProfileInput)
	src, err := json.Marshal(profileSource{Profile: p, Features: f, Active: active})
	if err != nil {
		return nil, fmt.Errorf("search: encode profile %s: %w", p.ID, err)
	}
	var langs, modes []string
	var hc strings.Builder
	add := func(parts ...string) {
		if hc.Len() > 0 {
			hc.WriteByte(' ')
		}
		hc.WriteString(hcTerm(parts...))
	}
	if active {
		for _, c := range p.ShareWith {
			add("sp", c, p.Profession)
			add("sa", c)
		}
	}
	for _, l := range p.Languages {
		langs = append(langs, l.Code)
		add("l", l.Code, l.Level)
	}
	for _, m := range p.Modes {
		modes = append(modes, string(m))
	}
	for _, t := range atLeastTokens(p.YearsExperience) {
		add("e", t)
	}
	for _, t := range atLeastTokens(p.VirtualHoursPerWeek) {
		add("h", t)
	}
	for _, w := range p.Availability {
		for _, m := range monthsBetween(w.From, w.To) {
			add("m", m)
		}
	}
	add("c", p.CreatedAt.UTC().Format(createdMonthLayout))
	latest := ""
	for _, l := range p.Licences {
		latest = max(latest, string(l.Expires))
	}
	for _, t := range licenceTokens(latest) {
		add(t)
	}
	var concepts strings.Builder
	for _, c := range append(slices.Clone(f.Skills), f.Specialties...) {
		concepts.WriteString(conceptTerm(c))
		concepts.WriteByte(' ')
	}
	text := p.FullName + " " + p.Bio
	for _, s := range append(append([]string{}, p.Skills...), p.Specialties...) {
		text += " " + s
	}
	doc := map[string]any{
		"profession": p.Profession, "origin_country": p.OriginCountry, "residence_country": p.ResidenceCountry,
		"modes": modes, "languages": langs, "account_id": p.AccountID, "active": strconv.FormatBool(active),
		"country_of_birth": p.CountryOfBirth, "citizenships": p.Citizenships, "country_of_training": p.CountryOfTraining,
		"hc": hc.String(), "concepts": concepts.String(), "text": text,
		sortField:   fmt.Sprintf("%013d|%s", max(p.CreatedAt.UnixMilli(), 0), p.ID),
		sourceField: string(src), versionField: strconv.FormatInt(p.Version, 10),
	}
	if obs := profileObs(p, active); obs != "" {
		doc[obsField] = obs
	}
	return doc, nil
}

// A number is indexed as itself and its tens ("23 t2"), so that "at least
// n" is a handful of terms: n up to the next ten, then whole tens.
const atLeastStep = 10

func atLeastTokens(v int) []string {
	return []string{strconv.Itoa(v), "t" + strconv.Itoa(v/atLeastStep)}
}

// atLeast matches the numbers of kind ("e" or "h") from lo to hi.
func atLeast(kind string, lo, hi int) clause {
	var any clause
	tens := (lo + atLeastStep - 1) / atLeastStep
	for v := lo; v < min(tens*atLeastStep, hi+1); v++ {
		any = append(any, fieldTerm{"hc", hcTerm(kind, strconv.Itoa(v))})
	}
	for t := tens; t <= hi/atLeastStep; t++ {
		any = append(any, fieldTerm{"hc", hcTerm(kind, "t"+strconv.Itoa(t))})
	}
	return any
}

// createdMonthLayout formats the month of creation of "c_" terms, with
// which a search finds its newest page without sorting every hit.
const createdMonthLayout = "2006_01"

// A licence requirement is "valid through the assignment's last month";
// the latest expiry is indexed as its month, year and decade ("lic_2027_03
// licy_2027 licd_202"), so the query is at most 12+9+9 terms.
func licenceTokens(expires string) []string {
	y, m, ok := yearMonth(expires)
	if !ok {
		return nil
	}
	return []string{hcTerm("lic", fmt.Sprintf("%04d_%02d", y, m)), hcTerm("licy", strconv.Itoa(y)), hcTerm("licd", strconv.Itoa(y/10))}
}

// licensedThrough matches profiles whose latest licence expires in the
// month of end or later.
func licensedThrough(end string) clause {
	y, m, ok := yearMonth(end)
	if !ok {
		return nil
	}
	var any clause
	for mm := m; mm <= 12; mm++ {
		any = append(any, fieldTerm{"hc", hcTerm("lic", fmt.Sprintf("%04d_%02d", y, mm))})
	}
	for yy := y + 1; yy%10 != 0; yy++ {
		any = append(any, fieldTerm{"hc", hcTerm("licy", strconv.Itoa(yy))})
	}
	for d := y/10 + 1; d <= 999 && d <= y/10+maxLicenceDecades; d++ {
		any = append(any, fieldTerm{"hc", hcTerm("licd", strconv.Itoa(d))})
	}
	return any
}

// maxLicenceDecades bounds how far ahead a licence expiry is looked for.
const maxLicenceDecades = 9

func yearMonth(date string) (y, m int, ok bool) {
	if len(date) < 7 || date[4] != '-' {
		return 0, 0, false
	}
	y, err1 := strconv.Atoi(date[:4])
	m, err2 := strconv.Atoi(date[5:7])
	return y, m, err1 == nil && err2 == nil && m >= 1 && m <= 12
}

// monthsBetween lists the months ("2027-03") a date span touches.
func monthsBetween(from, to sankofa.Date) []string {
	f, ok1 := from.Time()
	t, ok2 := to.Time()
	if !ok1 || !ok2 || t.Before(f) {
		return nil
	}
	var out []string
	for m := time.Date(f.Year(), f.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(t); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out
}
