package search

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"sankofa"
)

// An account's "text" holds its name, organization and e-mail, the
// e-mail also cut at its dots, dashes, underscores and "@", so that
// "diallo" finds amina.diallo@sante.gouv.sn; "email" holds the whole
// address, lowercased, for an exact match.
func accountMapping() mapping.IndexMapping {
	m := newMapping([]string{"role", "status", "country", "email"}, []string{"created"})
	// Folds case and accents, as for profiles: "helene" finds "Hélène".
	if err := m.AddCustomAnalyzer(textAnalyzer, map[string]any{
		"type":          custom.Name,
		"char_filters":  []string{asciifolding.Name},
		"tokenizer":     unicode.Name,
		"token_filters": []string{lowercase.Name},
	}); err != nil {
		panic(err) // a static definition; every test that opens an index runs it
	}
	text := bleve.NewTextFieldMapping()
	text.Analyzer = textAnalyzer
	text.IncludeInAll = false
	text.IncludeTermVectors = false
	text.DocValues = false
	text.Store = false
	m.DefaultMapping.AddFieldMappingsAt("text", text)
	m.DefaultMapping.AddFieldMappingsAt(versionField, sourceFieldMapping())
	return m
}

// maxAccountQuery bounds the length of an account search, and
// maxAccountWords the words of it that are matched.
const (
	maxAccountQuery = 200
	maxAccountWords = 8
)

// Accounts lists account ids, newest first, filtered by role, status and
// query (see sankofa.AccountFilter). A bad cursor or an over-long query is
// invalid.
func (ix *Index) Accounts(ctx context.Context, f sankofa.AccountFilter) (sankofa.Page, error) {
	var qs []query.Query
	if f.Role != "" {
		qs = append(qs, term("role", string(f.Role)))
	}
	if f.Status != "" {
		qs = append(qs, term("status", string(f.Status)))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		text, err := ix.accountQuery(q)
		if err != nil {
			return sankofa.Page{}, err
		}
		qs = append(qs, text)
	}
	req, err := newList(and(qs...), f.Limit, f.Cursor)
	if err != nil {
		return sankofa.Page{}, err
	}
	// Only filters: nothing is scored, lists stay newest first.
	req.Score = "none"
	return runList(ctx, ix.accounts, req)
}

// accountQuery matches the whole e-mail, or every word of q as the prefix
// of a word of the name, organization or e-mail.
func (ix *Index) accountQuery(q string) (query.Query, error) {
	if len(q) > maxAccountQuery {
		return nil, &sankofa.Error{Code: sankofa.Invalid, Message: "the search is too long",
			Fields: []sankofa.FieldError{{Field: "q", Message: fmt.Sprintf("must be at most %d characters", maxAccountQuery)}}}
	}
	an := ix.accounts.Mapping().AnalyzerNamed(textAnalyzer)
	if an == nil {
		return nil, fmt.Errorf("search: analyzer %s missing", textAnalyzer)
	}
	var words []query.Query
	for _, tok := range an.Analyze([]byte(q)) {
		if len(words) == maxAccountWords {
			break
		}
		p := bleve.NewPrefixQuery(string(tok.Term))
		p.SetField("text")
		words = append(words, p)
	}
	email := term("email", strings.ToLower(q))
	if len(words) == 0 {
		return email, nil
	}
	return or(email, bleve.NewConjunctionQuery(words...)), nil
}

// emailParts cuts an e-mail address into the words a person may type.
var emailParts = strings.NewReplacer("@", " ", ".", " ", "-", " ", "_", " ", "+", " ")

func accountDoc(a *sankofa.Account) map[string]any {
	return map[string]any{
		"role": string(a.Role), "status": string(a.Status), "country": a.Country,
		"email":   strings.ToLower(a.Email),
		"text":    strings.Join([]string{a.Name, a.Organization, a.Email, emailParts.Replace(a.Email)}, " "),
		"created": float64(a.CreatedAt.UnixMilli()), versionField: strconv.FormatInt(a.Version, 10),
	}
}
