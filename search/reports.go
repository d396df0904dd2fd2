package search

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"sankofa"
	"sankofa/matcher"
)

// Reports is the search index of published mission reports. Reports are
// few (one per completed mission), so the index lives in memory and is
// filled from the store at start (see cmd/sankofa); it leaves nothing on
// disk for an erasure to chase. Each report is indexed with the taxonomy
// concepts its tags and texts name, so that a query is matched by concept
// across languages ("césarienne" finds "cesariana"), and by its words.
type Reports struct {
	idx bleve.Index
	tax *matcher.Taxonomy
	// versions keeps the version of each report indexed, so that a late
	// write of an older version is skipped.
	mu       sync.Mutex
	versions map[string]int64
}

// OpenReports creates the empty in-memory index of reports; m extracts
// their concepts.
func OpenReports(m *matcher.Matcher) (*Reports, error) {
	idx, err := bleve.NewMemOnly(reportMapping())
	if err != nil {
		return nil, fmt.Errorf("search: open reports: %w", err)
	}
	return &Reports{idx: idx, tax: m.Taxonomy(), versions: map[string]int64{}}, nil
}

// Close releases the index.
func (r *Reports) Close() error { return r.idx.Close() }

func reportMapping() mapping.IndexMapping {
	m := newMapping([]string{"country", "profession", "lang", "origin"}, []string{"year", "published"})
	if err := m.AddCustomAnalyzer(textAnalyzer, map[string]any{
		"type":          custom.Name,
		"char_filters":  []string{asciifolding.Name},
		"tokenizer":     unicode.Name,
		"token_filters": []string{lowercase.Name},
	}); err != nil {
		panic(err) // a static definition; the tests exercise it
	}
	if err := m.AddCustomAnalyzer(termsAnalyzer, map[string]any{"type": custom.Name, "tokenizer": unicode.Name}); err != nil {
		panic(err)
	}
	doc := m.DefaultMapping
	doc.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	concepts := keywordField()
	concepts.Analyzer = termsAnalyzer
	doc.AddFieldMappingsAt("concepts", concepts)
	text := bleve.NewTextFieldMapping()
	text.Analyzer = textAnalyzer
	text.IncludeInAll = false
	text.Store = false
	doc.AddFieldMappingsAt("text", text)
	doc.AddFieldMappingsAt(sourceField, sourceFieldMapping())
	return m
}

// ReportConcepts returns the taxonomy concepts a report names: its tags,
// and those its title and texts mention.
func ReportConcepts(tax *matcher.Taxonomy, r *sankofa.Report) []string {
	concepts := slices.Clone(r.Tags)
	found, _ := tax.Extract(phrases(append([]string{r.Mission.Title}, r.Texts()...)...))
	for _, c := range found {
		if !slices.Contains(concepts, c) {
			concepts = append(concepts, c)
		}
	}
	return concepts
}

// phrases cuts texts at punctuation and line breaks, so that the taxonomy
// reads each clause as a term.
func phrases(texts ...string) []string {
	var out []string
	for _, t := range texts {
		out = append(out, strings.FieldsFunc(t, func(r rune) bool {
			switch r {
			case '.', ',', ';', ':', '!', '?', '\n', '\r', '\t', '(', ')', '[', ']', '"', '«', '»', '•', '/':
				return true
			}
			return false
		})...)
	}
	return out
}

// Put indexes a published report, and takes any other out of the index,
// unless the index holds a newer version of it.
func (r *Reports) Put(rep *sankofa.Report) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if v, ok := r.versions[rep.ID]; ok && v > rep.Version {
		return nil
	}
	r.versions[rep.ID] = rep.Version
	if rep.Status != sankofa.ReportPublished {
		if err := r.idx.Delete(rep.ID); err != nil {
			return fmt.Errorf("search: unindex report %s: %w", rep.ID, err)
		}
		return nil
	}
	if err := r.idx.Index(rep.ID, r.reportDoc(rep)); err != nil {
		return fmt.Errorf("search: index report %s: %w", rep.ID, err)
	}
	return nil
}

// Remove takes a report out of the index.
func (r *Reports) Remove(id string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.versions[id] = 1 << 62 // nothing brings a deleted report back
	if err := r.idx.Delete(id); err != nil {
		return fmt.Errorf("search: unindex report %s: %w", id, err)
	}
	return nil
}

func (r *Reports) reportDoc(rep *sankofa.Report) map[string]any {
	var concepts strings.Builder
	for _, c := range ReportConcepts(r.tax, rep) {
		concepts.WriteString(conceptTerm(c))
		concepts.WriteByte(' ')
	}
	src, _ := json.Marshal(sankofa.MissionOutcome{Country: rep.Mission.Country, Profession: rep.Mission.Profession, Language: rep.Language,
		Year: rep.Mission.Year(), PeopleTrained: rep.Outcomes.PeopleTrained,
		ProceduresPerformed: rep.Outcomes.ProceduresPerformed, ProtocolsWritten: rep.Outcomes.ProtocolsWritten})
	published := float64(rep.UpdatedAt.UnixMilli())
	if rep.PublishedAt != nil {
		published = float64(rep.PublishedAt.UnixMilli())
	}
	return map[string]any{
		"country": rep.Mission.Country, "profession": rep.Mission.Profession, "lang": rep.Language,
		"origin": rep.Mission.OriginCountry, "year": float64(rep.Mission.Year()), "published": published,
		"concepts":  concepts.String(),
		"text":      strings.Join(append([]string{rep.Mission.Title}, rep.Texts()...), "\n"),
		sourceField: string(src),
	}
}

// Search returns published reports' ids, best first: the more of the
// query's concepts and words a report holds, the higher it ranks, a
// concept counting more than a word; without q, newest first. A bad
// cursor is invalid.
func (r *Reports) Search(ctx context.Context, q sankofa.ReportQuery) (sankofa.ReportHits, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, sankofa.MaxPageSize)
	from, err := decodeOffset(q.Cursor)
	if err != nil {
		return sankofa.ReportHits{}, err
	}
	var filters []query.Query
	for field, v := range map[string]string{"country": q.Country, "profession": q.Profession, "lang": q.Language} {
		if v != "" {
			filters = append(filters, term(field, v))
		}
	}
	var text []query.Query
	if strings.TrimSpace(q.Q) != "" {
		concepts, words := r.tax.Expand(q.Q)
		for _, c := range concepts {
			t := bleve.NewTermQuery(conceptTerm(c))
			t.SetField("concepts")
			t.SetBoost(3)
			text = append(text, t)
		}
		for _, w := range words {
			m := bleve.NewMatchQuery(w)
			m.SetField("text")
			text = append(text, m)
		}
		if len(text) == 0 {
			return sankofa.ReportHits{IDs: []string{}}, nil
		}
		filters = append(filters, or(text...))
	}
	req := bleve.NewSearchRequestOptions(and(filters...), limit+1, from, false)
	if len(text) > 0 {
		req.SortBy([]string{"-_score", "-published", "_id"})
	} else {
		req.SortBy([]string{"-published", "_id"})
	}
	res, err := r.idx.SearchInContext(ctx, req)
	if err != nil {
		return sankofa.ReportHits{}, fmt.Errorf("search: reports: %w", err)
	}
	out := sankofa.ReportHits{IDs: make([]string, 0, min(len(res.Hits), limit)), Total: res.Total}
	for i, h := range res.Hits {
		if i == limit {
			out.NextCursor = encodeOffset(from + limit)
			break
		}
		out.IDs = append(out.IDs, h.ID)
	}
	return out, nil
}

// Outcomes returns the figures of every published report, of one host
// country when country is not empty.
func (r *Reports) Outcomes(ctx context.Context, country string) ([]sankofa.MissionOutcome, error) {
	var q query.Query = bleve.NewMatchAllQuery()
	if country != "" {
		q = term("country", country)
	}
	var out []sankofa.MissionOutcome
	const page = 1000
	for from := 0; ; from += page {
		req := bleve.NewSearchRequestOptions(q, page, from, false)
		req.Fields = []string{sourceField}
		req.SortBy([]string{"_id"})
		res, err := r.idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("search: report outcomes: %w", err)
		}
		for _, h := range res.Hits {
			s, _ := h.Fields[sourceField].(string)
			var m sankofa.MissionOutcome
			if err := json.Unmarshal([]byte(s), &m); err != nil {
				return nil, fmt.Errorf("search: report outcomes %s: %w", h.ID, err)
			}
			out = append(out, m)
		}
		if len(res.Hits) < page {
			return out, nil
		}
	}
}

// Count returns how many reports are published.
func (r *Reports) Count() (uint64, error) { return r.idx.DocCount() }

func encodeOffset(n int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o" + strconv.Itoa(n)))
}

func decodeOffset(c string) (int, error) {
	if c == "" {
		return 0, nil
	}
	bad := &sankofa.Error{Code: sankofa.Invalid, Message: "the cursor is not valid; start again without it",
		Fields: []sankofa.FieldError{{Field: "cursor", Message: "is not a cursor this server issued"}}}
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(raw) < 2 || len(raw) > 12 || raw[0] != 'o' {
		return 0, bad
	}
	n, err := strconv.Atoi(string(raw[1:]))
	if err != nil || n < 0 || n > 10_000 {
		return 0, bad
	}
	return n, nil
}
