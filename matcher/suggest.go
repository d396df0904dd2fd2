package matcher

import (
	"cmp"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Suggestion is one autocomplete answer: a concept, its label in the
// language asked for, and the phrase (in any language) the query matched.
type Suggestion struct {
	Code    string `json:"code"`
	Label   string `json:"label"`
	Matched string `json:"matched"`
	Kind    string `json:"kind"`
}

// How a suggestion matched, best first.
const (
	tierCode       = iota // the query is the concept id
	tierPrefix            // a phrase begins with the query
	tierWordPrefix        // a later word of a phrase begins with the query
	tierTypo              // a phrase, or a later word of it, begins with the query within a typo
)

// Typo tolerance of suggestions: a query of suggestTypoLetters letters may
// be one edit away from the start of a phrase, and one of
// suggestTwoTypoLetters letters two. A query is typed a letter at a time,
// so this is looser than Extract's, which must name one concept.
const (
	suggestTypoLetters    = 4
	suggestTwoTypoLetters = 9
)

// suggestEntry is one place a query may start matching: a phrase from its
// first word, or from a later word.
type suggestEntry struct {
	key     string // the normalised phrase from that word on
	phrase  int32  // index in suggestIndex.phrases
	concept int32
	later   bool // key starts at a later word of the phrase
}

// suggestIndex is the prefix structure behind Suggest: every entry sorted
// by key, so the entries a prefix begins are one contiguous run, and the
// same entries by first byte for typos.
type suggestIndex struct {
	phrases []string // the phrases as written in the data
	// labelOf has, for each phrase, one bit per language (suggestLangs)
	// whose label it is.
	labelOf []uint8
	entries []suggestEntry
	byFirst [256][]int32 // indexes into entries
}

// suggestLangs are the languages of labels, by bit of labelOf.
var suggestLangs = [...]string{"en", "fr", "pt"}

func langBit(lang string) uint8 {
	if i := slices.Index(suggestLangs[:], lang); i >= 0 {
		return 1 << i
	}
	return 1 // English
}

// suggestIndexes holds each taxonomy's index, built on its first Suggest;
// a Taxonomy is immutable, so its index never goes stale.
var suggestIndexes sync.Map // *Taxonomy → func() *suggestIndex

func (t *Taxonomy) suggestIndex() *suggestIndex {
	build, _ := suggestIndexes.LoadOrStore(t, sync.OnceValue(t.buildSuggestIndex))
	return build.(func() *suggestIndex)()
}

func (t *Taxonomy) buildSuggestIndex() *suggestIndex {
	ix := &suggestIndex{}
	for ci, c := range t.concepts {
		seen := map[string]int32{} // normalised phrase → index in ix.phrases
		phrases := make([]string, 0, len(c.Labels)+len(c.Synonyms))
		for _, lang := range suggestLangs {
			phrases = append(phrases, c.Labels[lang])
		}
		phrases = append(phrases, c.Synonyms...)
		for i, p := range phrases {
			var bit uint8
			if i < len(suggestLangs) {
				bit = 1 << i
			}
			n := normalise(p)
			if prev, ok := seen[n]; ok || n == "" {
				if ok {
					ix.labelOf[prev] |= bit
				}
				continue
			}
			pi := int32(len(ix.phrases))
			seen[n] = pi
			ix.phrases = append(ix.phrases, p)
			ix.labelOf = append(ix.labelOf, bit)
			ix.entries = append(ix.entries, suggestEntry{key: n, phrase: pi, concept: int32(ci)})
			for i := 0; i < len(n); i++ {
				if n[i] == ' ' && i+1 < len(n) {
					ix.entries = append(ix.entries, suggestEntry{key: n[i+1:], phrase: pi, concept: int32(ci), later: true})
				}
			}
		}
	}
	slices.SortFunc(ix.entries, func(x, y suggestEntry) int {
		return cmp.Or(strings.Compare(x.key, y.key), cmp.Compare(x.phrase, y.phrase))
	})
	for i, e := range ix.entries {
		ix.byFirst[e.key[0]] = append(ix.byFirst[e.key[0]], int32(i))
	}
	return ix
}

// suggestHit is the best match found so far for one concept.
type suggestHit struct {
	concept int32
	phrase  int32
	tier    int
	dist    int
	other   int // 0 when the phrase is the label in the language asked for
	length  int // of the matched key: a shorter phrase is a closer match
}

func (h suggestHit) better(o suggestHit) bool {
	return cmp.Or(cmp.Compare(h.tier, o.tier), cmp.Compare(h.dist, o.dist), cmp.Compare(h.other, o.other),
		cmp.Compare(h.length, o.length), cmp.Compare(h.phrase, o.phrase)) < 0
}

// Suggest completes q, as typed so far, to concepts of the taxonomy:
// first those with a phrase in any language that begins with q (accents
// and case ignored), then those with a later word that does, then those
// within a typo of either. Labels are in lang (en, fr or pt; others read
// as English). kind, when not empty, keeps only concepts of that kind
// (occupation, specialty or skill). At most limit suggestions come back,
// none for an empty query or a limit below 1.
func (t *Taxonomy) Suggest(q, lang, kind string, limit int) []Suggestion {
	if t == nil {
		t = Default()
	}
	n := normalise(q)
	if n == "" || limit < 1 {
		return []Suggestion{}
	}
	ix := t.suggestIndex()
	hits := map[int32]suggestHit{}
	want := langBit(lang)
	keep := func(h suggestHit) {
		if h.phrase >= 0 && ix.labelOf[h.phrase]&want == 0 {
			h.other = 1
		}
		if kind != "" && t.concepts[h.concept].Kind != kind {
			return
		}
		if cur, ok := hits[h.concept]; !ok || h.better(cur) {
			hits[h.concept] = h
		}
	}
	if ci, ok := t.byID[strings.ToLower(strings.TrimSpace(q))]; ok {
		keep(suggestHit{concept: ci, phrase: -1, tier: tierCode})
	}
	lo := sort.Search(len(ix.entries), func(i int) bool { return ix.entries[i].key >= n })
	for i := lo; i < len(ix.entries) && strings.HasPrefix(ix.entries[i].key, n); i++ {
		e := ix.entries[i]
		tier := tierPrefix
		if e.later {
			tier = tierWordPrefix
		}
		keep(suggestHit{concept: e.concept, phrase: e.phrase, tier: tier, length: len(e.key)})
	}
	if k := suggestTypos(n); k > 0 && len(hits) < limit {
		qm := charMask(n)
		for _, i := range ix.byFirst[n[0]] {
			e := ix.entries[i]
			if h, ok := hits[e.concept]; ok && h.tier < tierTypo {
				continue // already matched better
			}
			head := e.key[:min(len(e.key), len(n)+k)]
			if bits.OnesCount64(qm&^charMask(head)) > k {
				continue
			}
			if d := prefixDistance(n, head, k); d <= k {
				keep(suggestHit{concept: e.concept, phrase: e.phrase, tier: tierTypo, dist: d, length: len(e.key)})
			}
		}
	}
	ranked := make([]suggestHit, 0, len(hits))
	for _, h := range hits {
		ranked = append(ranked, h)
	}
	slices.SortFunc(ranked, func(x, y suggestHit) int {
		if x.better(y) {
			return -1
		}
		if y.better(x) {
			return 1
		}
		return cmp.Compare(x.concept, y.concept)
	})
	out := make([]Suggestion, 0, min(limit, len(ranked)))
	for _, h := range ranked[:min(limit, len(ranked))] {
		c := &t.concepts[h.concept]
		s := Suggestion{Code: c.ID, Label: t.Label(c.ID, lang), Matched: c.ID, Kind: c.Kind}
		if h.phrase >= 0 {
			s.Matched = ix.phrases[h.phrase]
		}
		out = append(out, s)
	}
	return out
}

// suggestTypos is how many edits a normalised query may be from the start
// of a phrase.
func suggestTypos(n string) int {
	switch l := letters(n); {
	case l >= suggestTwoTypoLetters:
		return 2
	case l >= suggestTypoLetters:
		return 1
	}
	return 0
}

// prefixDistance is the least optimal-string-alignment distance between q
// and any prefix of s, or k+1 when it exceeds k: how far what was typed is
// from the start of s. Only prefixes of len(q)±k can be within k.
func prefixDistance(q, s string, k int) int {
	far := k + 1
	var stack [3][64]int
	var rows [3][]int
	if len(s)+1 <= len(stack[0]) {
		rows = [3][]int{stack[0][:len(s)+1], stack[1][:len(s)+1], stack[2][:len(s)+1]}
	} else {
		for r := range rows {
			rows[r] = make([]int, len(s)+1)
		}
	}
	prev2, prev, cur := rows[0], rows[1], rows[2]
	for j := range prev {
		prev[j] = min(j, far)
		prev2[j] = far
	}
	for i := 1; i <= len(q); i++ {
		cur[0] = min(i, far)
		rowMin := cur[0]
		for j := 1; j <= len(s); j++ {
			cost := 1
			if q[i-1] == s[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost, far)
			if i > 1 && j > 1 && q[i-1] == s[j-2] && q[i-2] == s[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > k {
			return far
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return slices.Min(prev)
}
