// Package matcher ranks diaspora health workers against assignments and
// explains why. It holds the health-skills taxonomy (ISCO-08 occupations,
// specialties, skills and procedures, with English, French and Portuguese
// synonyms) and the scoring rules. It does no I/O.
package matcher

import (
	"bytes"
	"cmp"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Concept kinds.
const (
	KindOccupation = "occupation"
	KindSpecialty  = "specialty"
	KindSkill      = "skill"
)

// Concept is one entry of the taxonomy.
type Concept struct {
	ID       string            `json:"id"`   // e.g. "skill:caesarean-section", "specialty:obstetrics-gynaecology", "isco:2222"
	Kind     string            `json:"kind"` // occupation, specialty or skill
	Labels   map[string]string `json:"labels"`
	Synonyms []string          `json:"synonyms"`
	Broader  []string          `json:"broader,omitempty"`
	Related  []string          `json:"related,omitempty"`
}

// taxonomyJSON is the taxonomy data; see the "notes" field in it.
//
//go:embed taxonomy.json
var taxonomyJSON []byte

// Data returns a copy of the embedded taxonomy data, for tests that load a
// variant of it (with wordings held out, for one).
func Data() []byte { return bytes.Clone(taxonomyJSON) }

// taxonomyFile is the layout of taxonomy.json.
type taxonomyFile struct {
	Notes     string    `json:"notes"`
	Stopwords []string  `json:"stopwords"`
	Ignore    []string  `json:"ignore"`
	Concepts  []Concept `json:"concepts"`
}

// Taxonomy is the loaded, indexed taxonomy. It is immutable and safe for
// concurrent use. A nil *Taxonomy behaves as Default().
type Taxonomy struct {
	concepts []Concept
	byID     map[string]int32
	broader  [][]int32 // direct broader concepts, by concept index
	related  [][]int32 // related concepts in both directions, by concept index

	exact     map[string]int32 // phrase key → concept index, or ignored
	singular  map[string]int32 // phrase key with plurals folded → concept index, or ignored
	fuzzy     [256][]fuzzyPhrase
	stop      map[string]struct{}
	maxTokens int
	// cognates indexes every phrase of two words or more by the first
	// three letters of each of its words, for cognateLookup.
	cognates map[string][]cognatePhrase
	// acronyms maps the initials of phrases of two words or more to the
	// one concept they name (initials two concepts share are left out).
	acronyms map[string]int32
	// longPhrases are the phrases of two words or more, for acronyms
	// whose letters are not only initials (see acronymLookup).
	longPhrases []cognatePhrase
	// generic holds the keys of the ignore list ("management", "prise en
	// charge"): words that carry no concept, which cognate matching reads
	// as one interchangeable word.
	generic    map[string]struct{}
	genericMax int // words of the longest generic key
	// phrases lists the phrase keys of each concept, by concept index.
	phrases [][]string
	// narrower maps two concepts to the concepts directly narrower than
	// both ("mental health" and "nursing" to mental health nursing).
	narrower map[[2]int32][]int32
	// words indexes every word of cognateMinLetters letters or more of
	// every phrase, with its concept, by cognateBucket.
	words map[string][]conceptWord
}

// conceptWord is a word of a concept's phrase.
type conceptWord struct {
	word, spelled string
	concept       int32
}

// genericWord stands for any word of the ignore list in cognate matching.
const genericWord = "~"

// cognatePhrase is a phrase's words, for matching a wording the taxonomy
// has never seen against it word by word.
type cognatePhrase struct {
	words   []string
	spelled []string // the words through spelling
	concept int32
}

// spellAll returns spelling of each word.
func spellAll(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = spelling(w)
	}
	return out
}

// ignored marks phrases that are recognised but name no concept.
const ignored int32 = -1

// fuzzyPhrase is a phrase key that typos may be matched against.
type fuzzyPhrase struct {
	key     string // phrase key
	concept int32
	chars   uint64 // charMask(key)
}

// charMask has one bit per character class in s: a character of one
// string that is missing from another costs at least one edit, which
// rules most candidates out before their distance is computed.
func charMask(s string) uint64 {
	var m uint64
	for i := 0; i < len(s); i++ {
		m |= 1 << (s[i] & 63)
	}
	return m
}

// Typo tolerance: a phrase of at least fuzzyMinLetters letters may be one
// edit away from the one meant, and one of fuzzyTwoLetters letters two.
const (
	fuzzyMinLetters = 6
	fuzzyTwoLetters = 10
	// maxWindow bounds the tokens of one phrase looked up inside a term.
	maxWindow = 8
)

var defaultTaxonomy = sync.OnceValue(func() *Taxonomy {
	t, err := Load(taxonomyJSON)
	if err != nil {
		// The embedded data is checked by the package tests.
		panic("matcher: embedded taxonomy.json: " + err.Error())
	}
	return t
})

// Default returns the taxonomy embedded in the binary.
func Default() *Taxonomy { return defaultTaxonomy() }

// Load parses and indexes taxonomy data in the layout of the embedded
// taxonomy.json. It rejects unknown fields, duplicate or dangling ids, and
// a phrase that would name two concepts.
func Load(data []byte) (*Taxonomy, error) {
	var f taxonomyFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("taxonomy: %w", err)
	}
	if dec.More() {
		return nil, errors.New("taxonomy: trailing data after the JSON object")
	}
	t := &Taxonomy{
		concepts: f.Concepts,
		byID:     make(map[string]int32, len(f.Concepts)),
		broader:  make([][]int32, len(f.Concepts)),
		related:  make([][]int32, len(f.Concepts)),
		exact:    make(map[string]int32),
		singular: make(map[string]int32),
		cognates: make(map[string][]cognatePhrase),
		acronyms: make(map[string]int32),
		stop:     make(map[string]struct{}, len(f.Stopwords)),
		generic:  make(map[string]struct{}),
		phrases:  make([][]string, len(f.Concepts)),
		narrower: make(map[[2]int32][]int32),
		words:    make(map[string][]conceptWord),
	}
	var errs []error
	for _, w := range f.Stopwords {
		n := normalise(w)
		if n == "" || strings.Contains(n, " ") {
			errs = append(errs, fmt.Errorf("stopword %q is not one word", w))
			continue
		}
		t.stop[n] = struct{}{}
	}
	for i, c := range f.Concepts {
		switch {
		case c.ID == "":
			errs = append(errs, fmt.Errorf("concept #%d has no id", i))
		case c.Kind != KindOccupation && c.Kind != KindSpecialty && c.Kind != KindSkill:
			errs = append(errs, fmt.Errorf("concept %s: unknown kind %q", c.ID, c.Kind))
		case c.Labels["en"] == "":
			errs = append(errs, fmt.Errorf("concept %s: no English label", c.ID))
		}
		if _, dup := t.byID[c.ID]; dup {
			errs = append(errs, fmt.Errorf("concept %s: duplicate id", c.ID))
		}
		t.byID[c.ID] = int32(i)
	}
	ref := func(from, to string) (int32, bool) {
		j, ok := t.byID[to]
		if !ok {
			errs = append(errs, fmt.Errorf("concept %s: unknown concept %s", from, to))
		} else if to == from {
			errs = append(errs, fmt.Errorf("concept %s: refers to itself", from))
			ok = false
		}
		return j, ok
	}
	for i, c := range f.Concepts {
		for _, b := range c.Broader {
			if j, ok := ref(c.ID, b); ok && !slices.Contains(t.broader[i], j) {
				t.broader[i] = append(t.broader[i], j)
			}
		}
		for _, r := range c.Related {
			if j, ok := ref(c.ID, r); ok {
				if !slices.Contains(t.related[i], j) {
					t.related[i] = append(t.related[i], j)
				}
				if !slices.Contains(t.related[j], int32(i)) {
					t.related[j] = append(t.related[j], int32(i))
				}
			}
		}
	}

	// Phrases. owner records which concept (or the ignore list) first
	// claimed a key, for error messages.
	owner := make(map[string]string)
	singularOwners := make(map[string][]int32)
	addPhrase := func(phrase string, idx int32, who string) {
		key, sing, tokens := t.phraseKeys(phrase)
		if key == "" {
			errs = append(errs, fmt.Errorf("%s: phrase %q has no words besides stopwords", who, phrase))
			return
		}
		if prev, ok := t.exact[key]; ok {
			if prev != idx {
				errs = append(errs, fmt.Errorf("phrase %q (%q) names both %s and %s", phrase, key, owner[key], who))
			}
			return
		}
		t.exact[key] = idx
		owner[key] = who
		if idx == ignored {
			t.generic[key] = struct{}{}
			t.genericMax = max(t.genericMax, tokens)
		} else {
			t.phrases[idx] = append(t.phrases[idx], key)
		}
		t.maxTokens = max(t.maxTokens, min(tokens, maxWindow))
		if !slices.Contains(singularOwners[sing], idx) {
			singularOwners[sing] = append(singularOwners[sing], idx)
		}
	}
	for _, w := range f.Ignore {
		addPhrase(w, ignored, "ignore list")
	}
	for i, c := range f.Concepts {
		for _, lang := range slices.Sorted(maps.Keys(c.Labels)) {
			addPhrase(c.Labels[lang], int32(i), c.ID)
		}
		for _, s := range c.Synonyms {
			addPhrase(s, int32(i), c.ID)
		}
	}
	// A plural-folded key that two concepts share is left out: the exact
	// keys still tell them apart.
	for sing, idxs := range singularOwners {
		if len(idxs) == 1 {
			t.singular[sing] = idxs[0]
		}
	}
	for i := range f.Concepts {
		if b := t.broader[i]; len(b) >= 2 {
			for x := 0; x < len(b); x++ {
				for y := x + 1; y < len(b); y++ {
					k := [2]int32{min(b[x], b[y]), max(b[x], b[y])}
					t.narrower[k] = append(t.narrower[k], int32(i))
				}
			}
		}
	}
	for key, idx := range t.exact {
		raw := strings.Split(key, " ")
		if idx == ignored {
			continue
		}
		for _, w := range raw {
			if b, ok := cognateBucket(w); ok {
				cw := conceptWord{w, spelling(w), idx}
				if !slices.Contains(t.words[b], cw) {
					t.words[b] = append(t.words[b], cw)
				}
			}
		}
		if len(raw) < 2 {
			continue
		}
		t.longPhrases = append(t.longPhrases, cognatePhrase{words: raw, concept: idx})
		// A phrase is matched as written and with its generic words folded
		// (the ignore list does not hold every form of every generic word).
		forms := [][]string{raw}
		if g := t.genericWords(raw); len(g) >= 2 && !slices.Equal(g, raw) {
			forms = append(forms, g)
		}
		for _, words := range forms {
			p := cognatePhrase{words: words, spelled: spellAll(words), concept: idx}
			seen := map[string]bool{}
			for _, w := range words {
				if b, ok := cognateBucket(w); ok && !seen[b] {
					seen[b] = true
					t.cognates[b] = append(t.cognates[b], p)
				}
			}
		}
	}
	acronymOwners := map[string][]int32{}
	for key, idx := range t.exact {
		words := strings.Split(key, " ")
		if idx == ignored || len(words) < 2 {
			continue
		}
		var b strings.Builder
		for _, w := range words {
			if strings.Trim(w, "0123456789") == "" {
				b.WriteString(w) // "District Health Information Software 2" is dhis2
			} else {
				b.WriteByte(w[0])
			}
		}
		if a := b.String(); !slices.Contains(acronymOwners[a], idx) {
			acronymOwners[a] = append(acronymOwners[a], idx)
		}
	}
	for a, idxs := range acronymOwners {
		if _, known := t.exact[a]; len(idxs) == 1 && !known {
			t.acronyms[a] = idxs[0]
		}
	}
	slices.SortFunc(t.longPhrases, func(x, y cognatePhrase) int {
		return strings.Compare(strings.Join(x.words, " "), strings.Join(y.words, " "))
	})
	for k := range t.words {
		slices.SortFunc(t.words[k], func(x, y conceptWord) int {
			return cmp.Or(strings.Compare(x.word, y.word), cmp.Compare(x.concept, y.concept))
		})
	}
	for k := range t.cognates {
		// Map order must not decide anything: sort each bucket.
		slices.SortFunc(t.cognates[k], func(x, y cognatePhrase) int {
			return strings.Compare(strings.Join(x.words, " "), strings.Join(y.words, " "))
		})
	}
	// Typos are matched against the phrases as written, not plural-folded:
	// folding short words ("pós" → "po") would make near misses ambiguous.
	for key, idx := range t.exact {
		if idx != ignored && letters(key) >= fuzzyMinLetters {
			t.fuzzy[key[0]] = append(t.fuzzy[key[0]], fuzzyPhrase{key: key, concept: idx, chars: charMask(key)})
		}
	}
	for b := range t.fuzzy {
		sort.Slice(t.fuzzy[b], func(i, j int) bool {
			x, y := t.fuzzy[b][i], t.fuzzy[b][j]
			if len(x.key) != len(y.key) {
				return len(x.key) < len(y.key)
			}
			return x.key < y.key
		})
	}

	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("taxonomy: %w", err)
	}
	return t, nil
}

// Normalize folds text the way the taxonomy compares it: lower case,
// accents removed, punctuation turned into single spaces ("+" is kept
// inside a word). "Gynéco-Obstétricien" becomes "gyneco obstetricien" and
// "OB/GYN" becomes "ob gyn".
func Normalize(text string) string { return normalise(text) }

func normalise(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		if !utf8.ValidString(s) {
			s = strings.ToValidUTF8(s, " ")
		}
		s = norm.NFD.String(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	gap := false // a separator was seen since the last kept character
	plus := false
	put := func(r rune) {
		if gap && b.Len() > 0 {
			b.WriteByte(' ')
		}
		gap = false
		if r < utf8.RuneSelf {
			b.WriteByte(byte(r))
		} else {
			b.WriteRune(r)
		}
	}
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			c := byte(r)
			switch {
			case 'A' <= c && c <= 'Z':
				put(rune(c + 'a' - 'A'))
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				put(r)
			case c == '+':
				plus = true
				put(r)
			default:
				gap = true
			}
		case unicode.Is(unicode.Mn, r):
			// A combining mark left by NFD: drop it.
		default:
			switch r {
			case 'œ', 'Œ':
				put('o')
				put('e')
			case 'æ', 'Æ':
				put('a')
				put('e')
			case 'ß':
				put('s')
				put('s')
			case 'ø', 'Ø':
				put('o')
			case 'đ', 'Đ':
				put('d')
			case 'ł', 'Ł':
				put('l')
			case 'ı':
				put('i')
			default:
				if unicode.IsLetter(r) || unicode.IsDigit(r) {
					put(unicode.ToLower(r))
				} else {
					gap = true
				}
			}
		}
	}
	out := b.String()
	if plus {
		// "+" belongs to the word it is written against ("ETAT+"); on its
		// own it is punctuation.
		fields := strings.Split(out, " ")
		kept := fields[:0]
		for _, w := range fields {
			if strings.Trim(w, "+") != "" {
				kept = append(kept, w)
			}
		}
		out = strings.Join(kept, " ")
	}
	return out
}

// singular folds a simple plural: a trailing "+" goes, and so does a final
// "s" after at least two letters unless the word ends in "ss" ("nurses" →
// "nurse", "ICUs" → "icu", "mass" stays). Phrases and terms are folded
// alike, so that "sepsis" becoming "sepsi" does no harm.
func singular(w string) string {
	w = strings.TrimRight(w, "+")
	if n := len(w); n >= 3 && w[n-1] == 's' && w[n-2] != 's' && w[n-2] >= 'a' && w[n-2] <= 'z' {
		return w[:n-1]
	}
	return w
}

// letters counts the characters of s that are not spaces, digits or "+".
func letters(s string) int {
	n := 0
	for _, r := range s {
		if r != ' ' && r != '+' && !('0' <= r && r <= '9') {
			n++
		}
	}
	return n
}

// phraseKeys returns the lookup key of a phrase (normalised, stopwords
// dropped), the same with plurals folded, and its number of tokens.
func (t *Taxonomy) phraseKeys(phrase string) (key, sing string, tokens int) {
	var k, s []string
	for w := range strings.SplitSeq(normalise(phrase), " ") {
		if _, stop := t.stop[w]; w == "" || stop {
			continue
		}
		k = append(k, w)
		s = append(s, singular(w))
	}
	return strings.Join(k, " "), strings.Join(s, " "), len(k)
}

// term is one normalised term split into the tokens that are looked up.
type term struct {
	norm      string // normalised text
	key, sing string // content tokens joined by spaces, plain and plural-folded
	origStart []int  // byte offset in norm of each content token
	origEnd   []int
	keyStart  []int // byte offsets in key
	keyEnd    []int
	singStart []int // byte offsets in sing
	singEnd   []int
}

// split prepares a normalised, non-empty string for lookup.
func (t *Taxonomy) split(n string, buf *[6][16]int) term {
	tm := term{norm: n}
	tm.origStart, tm.origEnd = buf[0][:0], buf[1][:0]
	tm.keyStart, tm.keyEnd = buf[2][:0], buf[3][:0]
	tm.singStart, tm.singEnd = buf[4][:0], buf[5][:0]
	allContent := true
	changed := false
	for i := 0; i < len(n); {
		j := strings.IndexByte(n[i:], ' ')
		if j < 0 {
			j = len(n)
		} else {
			j += i
		}
		w := n[i:j]
		if _, stop := t.stop[w]; stop {
			allContent = false
		} else {
			tm.origStart = append(tm.origStart, i)
			tm.origEnd = append(tm.origEnd, j)
			if singular(w) != w {
				changed = true
			}
		}
		i = j + 1
	}
	if allContent {
		tm.key = n
		tm.keyStart = append(tm.keyStart, tm.origStart...)
		tm.keyEnd = append(tm.keyEnd, tm.origEnd...)
	} else {
		var b strings.Builder
		b.Grow(len(n))
		for k := range tm.origStart {
			if k > 0 {
				b.WriteByte(' ')
			}
			tm.keyStart = append(tm.keyStart, b.Len())
			b.WriteString(n[tm.origStart[k]:tm.origEnd[k]])
			tm.keyEnd = append(tm.keyEnd, b.Len())
		}
		tm.key = b.String()
	}
	if !changed {
		tm.sing, tm.singStart, tm.singEnd = tm.key, tm.keyStart, tm.keyEnd
		return tm
	}
	var b strings.Builder
	b.Grow(len(tm.key))
	for k := range tm.keyStart {
		if k > 0 {
			b.WriteByte(' ')
		}
		tm.singStart = append(tm.singStart, b.Len())
		b.WriteString(singular(tm.key[tm.keyStart[k]:tm.keyEnd[k]]))
		tm.singEnd = append(tm.singEnd, b.Len())
	}
	tm.sing = b.String()
	return tm
}

// lookup finds the concept named by content tokens [i, j) of tm.
func (t *Taxonomy) lookup(tm *term, i, j int) (int32, bool) {
	if c, ok := t.exact[tm.key[tm.keyStart[i]:tm.keyEnd[j-1]]]; ok {
		return c, true
	}
	c, ok := t.singular[tm.sing[tm.singStart[i]:tm.singEnd[j-1]]]
	return c, ok
}

// extraction collects concepts and unknown terms in first-seen order.
type extraction struct {
	concepts []string
	unknown  []string
	found    int // concepts and unknown terms found, repeats included
	// seen indexes both lists once they grow long. Concept ids contain a
	// colon and normalised text never does, so one set serves both.
	seen map[string]struct{}
}

// add appends s to *list unless it is already there.
func (e *extraction) add(list *[]string, s string) {
	e.found++
	if e.seen == nil {
		if slices.Contains(*list, s) {
			return
		}
		*list = append(*list, s)
		if len(e.concepts)+len(e.unknown) > 32 {
			e.seen = make(map[string]struct{})
			for _, x := range slices.Concat(e.concepts, e.unknown) {
				e.seen[x] = struct{}{}
			}
		}
		return
	}
	if _, ok := e.seen[s]; !ok {
		e.seen[s] = struct{}{}
		*list = append(*list, s)
	}
}

func (e *extraction) concept(id string) { e.add(&e.concepts, id) }

func (e *extraction) unknownTerm(s string) { e.add(&e.unknown, s) }

// Extract normalises free-text terms (case and accents folded) and maps
// each to a concept id when it names one, through labels, synonyms,
// abbreviations and small typos; terms that name no concept come back as
// normalised text in unknown.
//
// A term that is not a known phrase as a whole is scanned for the longest
// known phrases it contains; the words left over come back in unknown as
// runs of the term's normalised text, split at stopwords ("mentoring of
// junior midwives" gives mentoring, midwife and "junior").
func (t *Taxonomy) Extract(terms []string) (concepts []string, unknown []string) {
	if t == nil {
		t = Default()
	}
	var e extraction
	var buf [6][16]int
	for _, s := range terms {
		t.extractTerm(s, &e, &buf)
	}
	return e.concepts, e.unknown
}

func (t *Taxonomy) extractTerm(s string, e *extraction, buf *[6][16]int) {
	n := normalise(s)
	if n == "" {
		return
	}
	tm := t.split(n, buf)
	if len(tm.origStart) == 0 {
		return // only stopwords
	}
	found := e.found
	count := len(tm.origStart)
	emit := func(c int32) {
		if c != ignored {
			e.concept(t.concepts[c].ID)
		}
	}
	if c, ok := t.lookup(&tm, 0, count); ok {
		emit(c)
	} else if c, ok := t.wholeTypo(&tm); ok {
		emit(c)
	} else if c, ok := t.cognateLookup(tm.key); ok {
		// The whole wording's cognate, before a known word inside it
		// claims the term for a broader concept.
		emit(c)
	} else if c, ok := t.compose(&tm); ok {
		emit(c)
	} else {
		run := 0 // first token not yet matched
		for i := 0; i < count; {
			matched := false
			for j := min(count, i+t.maxTokens); j > i; j-- {
				if c, ok := t.lookup(&tm, i, j); ok {
					t.resolveRun(&tm, run, i, e)
					emit(c)
					i, run, matched = j, j, true
					break
				}
			}
			if !matched {
				i++
			}
		}
		t.resolveRun(&tm, run, count, e)
	}
	if e.found == found {
		// Nothing but generic words such as "management": keep the term
		// rather than lose it.
		e.unknownTerm(n)
	}
}

// compose reads a term made of known phrases and other words as one
// concept, before the term is split into its parts:
//   - two concepts and nothing else but generic words name the one concept
//     directly narrower than both ("mental health nursing" is mental
//     health nursing, not mental health plus nursing);
//   - a known phrase inside the term is replaced by each phrase of its
//     concept, in any language, and the result matched as a cognate
//     ("psychological first aid" becomes "psychological premiers secours",
//     a cognate of "premiers secours psychologiques").
//
// Only one concept may come out, other than the parts'.
func (t *Taxonomy) compose(tm *term) (int32, bool) {
	count := len(tm.keyStart)
	if count > 6 {
		return 0, false
	}
	type segment struct {
		i, j int
		c    int32
	}
	var segs [4]segment
	n, concepts, covered := 0, 0, 0
	for i := 0; i < count; {
		matched := false
		for j := min(count, i+t.maxTokens); j > i; j-- {
			if c, ok := t.lookup(tm, i, j); ok {
				if n == len(segs) {
					return 0, false
				}
				segs[n] = segment{i, j, c}
				n++
				if c != ignored {
					concepts++
				}
				covered += j - i
				i, matched = j, true
				break
			}
		}
		if !matched {
			i++
		}
	}
	if concepts == 0 {
		return t.wordsLookup(strings.Split(tm.key, " "))
	}
	if concepts == 1 && covered == count {
		return 0, false
	}
	parts := func(c int32) bool {
		for _, s := range segs[:n] {
			if s.c == c {
				return true
			}
		}
		return false
	}
	if concepts == 2 && covered == count {
		var pair []int32
		for _, s := range segs[:n] {
			if s.c != ignored {
				pair = append(pair, s.c)
			}
		}
		if pair[0] != pair[1] {
			if nw := t.narrower[[2]int32{min(pair[0], pair[1]), max(pair[0], pair[1])}]; len(nw) == 1 {
				return nw[0], true
			}
		}
	}
	words := strings.Split(tm.key, " ")
	found, ambiguous := int32(-1), false
	for _, s := range segs[:n] {
		if s.c == ignored {
			continue
		}
		// The phrase meant holds a cognate of a word outside the known
		// phrase that is not generic: it is in that word's bucket (the
		// smallest such bucket).
		var cands []cognatePhrase
		for k, w := range words {
			if k >= s.i && k < s.j {
				continue
			}
			if _, gen := t.generic[w]; gen {
				continue
			}
			if b, ok := cognateBucket(w); ok && (cands == nil || len(t.cognates[b]) < len(cands)) {
				cands = t.cognates[b]
				if cands == nil {
					cands = []cognatePhrase{}
				}
			}
		}
		if len(cands) == 0 {
			continue
		}
		for _, ph := range t.phrases[s.c] {
			alt := slices.Concat(words[:s.i], strings.Split(ph, " "), words[s.j:])
			forms := [][]string{alt}
			if g := t.genericWords(alt); !slices.Equal(g, alt) {
				forms = append(forms, g)
			}
			for _, f := range forms {
				if len(f) < 2 || len(f) > 5 {
					continue
				}
				spelled := spellAll(f)
				for i := range cands {
					p := &cands[i]
					if len(p.words) != len(f) || p.concept == s.c || p.concept == found || parts(p.concept) {
						continue
					}
					if cognateWords(f, spelled, p) {
						if found >= 0 {
							ambiguous = true
						}
						found = p.concept
					}
				}
			}
		}
	}
	if found < 0 || ambiguous {
		return 0, false
	}
	return found, true
}

// wordsLookup reads a term that holds no known phrase through its words:
// each word that is not generic, of cognateMinLetters letters or more,
// votes for the concepts with a cognate of it among their phrases' words,
// and a term of one to four such words names the one concept that every
// word votes for ("ventilator management": ventilation is a word of
// mechanical ventilation's phrases only). A word too short to be a
// cognate votes for nothing.
func (t *Taxonomy) wordsLookup(words []string) (int32, bool) {
	var votes []int32 // concepts, one entry a word that names them
	n := 0
	for _, w := range words {
		if _, gen := t.generic[w]; gen {
			continue
		}
		n++
		b, ok := cognateBucket(w)
		if !ok {
			continue
		}
		sw := spelling(w)
		from := len(votes)
		for _, cw := range t.words[b] {
			if !slices.Contains(votes[from:], cw.concept) && cognate(w, sw, cw.word, cw.spelled) {
				votes = append(votes, cw.concept)
			}
		}
	}
	if n == 0 || n > 4 {
		return 0, false
	}
	found, ambiguous := int32(-1), false
	counted := map[int32]bool{}
	for _, c := range votes {
		if counted[c] {
			continue
		}
		counted[c] = true
		k := 0
		for _, d := range votes {
			if d == c {
				k++
			}
		}
		if k == n {
			if found >= 0 {
				ambiguous = true
			}
			found = c
		}
	}
	if found < 0 || ambiguous {
		return 0, false
	}
	return found, true
}

// wholeTypo looks the whole term up with typo tolerance, before the term
// is split into known phrases ("neonatal resucitation" is one concept,
// not neonatology plus a misspelt word).
func (t *Taxonomy) wholeTypo(tm *term) (int32, bool) {
	if len(tm.origStart) > t.maxTokens {
		return 0, false
	}
	return t.fuzzyLookup(tm.key)
}

// resolveRun handles content tokens [from, to) that no exact phrase
// covered: the longest windows within a typo of a phrase become concepts,
// and the rest come back as unknown runs of the normalised text.
func (t *Taxonomy) resolveRun(tm *term, from, to int, e *extraction) {
	unknownFrom := -1
	flush := func(end int) {
		if unknownFrom >= 0 {
			key := tm.key[tm.keyStart[unknownFrom]:tm.keyEnd[end-1]]
			if c, ok := t.cognateLookup(key); ok {
				e.concept(t.concepts[c].ID)
			} else if c, ok := t.acronymLookup(key); ok {
				e.concept(t.concepts[c].ID)
			} else {
				e.unknownTerm(tm.norm[tm.origStart[unknownFrom]:tm.origEnd[end-1]])
			}
			unknownFrom = -1
		}
	}
	for i := from; i < to; {
		matched := false
		for j := min(to, i+t.maxTokens); j > i; j-- {
			if c, ok := t.fuzzyLookup(tm.key[tm.keyStart[i]:tm.keyEnd[j-1]]); ok {
				flush(i)
				e.concept(t.concepts[c].ID)
				i, matched = j, true
				break
			}
		}
		if !matched {
			// An unknown run stops at a stopword: "basket weaving for
			// beginners" leaves "basket weaving" and "beginners".
			if unknownFrom >= 0 && tm.origStart[i] != tm.origEnd[i-1]+1 {
				flush(i)
			}
			if unknownFrom < 0 {
				unknownFrom = i
			}
			i++
		}
	}
	flush(to)
}

// acronymLookup reads a single word of two to six letters or digits that
// named nothing as the initials of a phrase: "PFA" is psychological first
// aid, "VCT" voluntary counselling and testing (stopwords skipped), "DHIS2"
// District Health Information Software 2. The initials must name one
// concept only.
//
// An abbreviation in the plural ("DOTS", the initials of directly
// observed treatment) is read in the singular. One of four letters or
// more may also take consonants from inside a word, as long as every word
// gives its initial and the letters come in order: "TARV" is terapia
// antirretroviral, "EmONC" emergency obstetric and newborn care.
func (t *Taxonomy) acronymLookup(key string) (int32, bool) {
	if len(key) < 2 || len(key) > 6 || strings.ContainsRune(key, ' ') {
		return 0, false
	}
	if c, ok := t.acronyms[key]; ok {
		return c, true
	}
	if s := singular(key); s != key && len(s) >= 2 {
		if c, ok := t.acronyms[s]; ok {
			return c, true
		}
	}

	if len(key) < 4 {
		return 0, false
	}
	// The reading with the fewest letters from inside words wins; no more
	// may come from inside words than from initials.
	found, ambiguous, least := int32(-1), false, len(key)
	for i := range t.longPhrases {
		p := &t.longPhrases[i]
		if len(p.words) >= len(key) || p.words[0][0] != key[0] {
			continue
		}
		inside := abbreviates(key, p.words)
		if inside < 0 || inside > len(p.words) || inside > least {
			continue
		}
		if inside < least {
			found, ambiguous, least = p.concept, false, inside
		} else if p.concept != found {
			ambiguous = true
		}
	}
	if found < 0 || ambiguous {
		return 0, false
	}
	return found, true
}

// abbreviates returns how few letters of key must come from inside words
// for key to be the initials of words in order, with more letters taken,
// in order, from inside some of the words; -1 when it cannot be. A word of
// digits must be written out ("dhis2").
func abbreviates(key string, words []string) int {
	if len(words) == 0 {
		if key == "" {
			return 0
		}
		return -1
	}
	w := words[0]
	if strings.Trim(w, "0123456789") == "" {
		if !strings.HasPrefix(key, w) {
			return -1
		}
		return abbreviates(key[len(w):], words[1:])
	}
	if key == "" || key[0] != w[0] {
		return -1
	}
	// key[1:] continues inside w for some letters, then the next word.
	best := -1
	rest, from, inside := key[1:], 1, 0
	for {
		if n := abbreviates(rest, words[1:]); n >= 0 && (best < 0 || n+inside < best) {
			best = n + inside
		}
		if rest == "" {
			return best
		}
		k := strings.IndexByte(w[from:], rest[0])
		if k < 0 || strings.IndexByte("aeiou", rest[0]) >= 0 {
			// Abbreviations take consonants from inside a word
			// (antirretroviral, ARV), and a word read as letters of a
			// phrase would ("mental") take vowels.
			return best
		}
		from += k + 1
		rest = rest[1:]
		inside++
	}
}

// cognateMinLetters is the shortest word that may differ from the
// phrase's: shorter words must be the same.
const cognateMinLetters = 5

// cognateLookup matches a run of two to five words that named nothing
// against the phrases of as many words, in any order, word for word: a
// word matches the same word, or one of at least cognateMinLetters
// letters that, once the spellings of one sound are folded (see
// spelling), begins with the same two letters and either shares its
// first six letters or is within a quarter of its length in edits (a
// third from twelve letters). That is how a wording in one language finds
// the concept through its cognate in another ("ventilação mecânica" /
// "ventilation mécanique", "patologia clínica" / "clinical pathology"),
// in any word order. A run is tried as written, then with the words of
// the ignore list as one interchangeable generic word ("anestesia geral"
// / "general anaesthesia"). The phrases found must all name one concept.
func (t *Taxonomy) cognateLookup(key string) (int32, bool) {
	words := strings.Split(key, " ")
	if c, ok := t.cognateWordsLookup(words, -1); ok {
		return c, true
	}
	if g := t.genericWords(words); !slices.Equal(g, words) {
		return t.cognateWordsLookup(g, -1)
	}
	return 0, false
}

// genericWords replaces each run of words that is a key of the ignore list
// by genericWord, so that "anestesia geral" and "general anaesthesia", or
// "gestão da tuberculose" and "prise en charge de la tuberculose", are
// cognates word for word. The words are a phrase key's, stopwords dropped.
func (t *Taxonomy) genericWords(words []string) []string {
	var out []string
	for i := 0; i < len(words); {
		n := 0
		for k := min(t.genericMax, len(words)-i); k > 0; k-- {
			if _, ok := t.generic[strings.Join(words[i:i+k], " ")]; ok {
				n = k
				break
			}
		}
		if n == 0 {
			out = append(out, words[i])
			i++
			continue
		}
		if len(out) == 0 || out[len(out)-1] != genericWord {
			out = append(out, genericWord)
		}
		i += n
	}
	return out
}

// cognateWordsLookup is cognateLookup on words as split (or passed
// through genericWords); a phrase of concept except is not counted.
func (t *Taxonomy) cognateWordsLookup(words []string, except int32) (int32, bool) {
	if len(words) < 2 || len(words) > 5 {
		return 0, false
	}
	spelled := spellAll(words)
	found, ambiguous := int32(-1), false
	for _, w := range words {
		b, ok := cognateBucket(w)
		if !ok {
			continue
		}
		// A phrase met again through another word gives the same answer.
		for i, bucket := 0, t.cognates[b]; i < len(bucket); i++ {
			p := &bucket[i]
			if len(p.words) != len(words) || p.concept == except || p.concept == found {
				continue
			}
			if cognateWords(words, spelled, p) {
				if found >= 0 {
					ambiguous = true
				}
				found = p.concept
			}
		}
	}
	if found < 0 || ambiguous {
		return 0, false
	}
	return found, true
}

// cognateBucket is the key of the cognate index a word of a phrase is
// found under: the first three letters of its spelling, so that
// "anaesthesia" and "anestesia" meet.
func cognateBucket(w string) (string, bool) {
	if len(w) < cognateMinLetters {
		return "", false
	}
	s := spelling(w[:min(len(w), 6)])
	if len(s) < 3 {
		return "", false
	}
	return s[:3], true
}

// cognateWords reports whether every word of a (spelled: the same
// through spelling) matches a distinct word of p, of as many words.
func cognateWords(a, spelled []string, p *cognatePhrase) bool {
	var used [5]bool
	for i, x := range a {
		ok := false
		for j, y := range p.words {
			if !used[j] && cognate(x, spelled[i], y, p.spelled[j]) {
				used[j], ok = true, true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// cognate reports whether words x and y are cognates; sx and sy are
// their spellings.
func cognate(x, sx, y, sy string) bool {
	if x == y {
		return true
	}
	if len(x) < cognateMinLetters || len(y) < cognateMinLetters {
		return false
	}
	if sx == sy {
		return true
	}
	x, y = sx, sy
	if len(x) < 2 || len(y) < 2 || x[:2] != y[:2] {
		return false
	}
	n := 0
	for n < len(x) && n < len(y) && x[n] == y[n] {
		n++
	}
	if n >= 6 {
		return true
	}
	// A quarter of the letters may differ, a third in long words, where
	// endings and doubled letters differ across languages
	// (ressuscitação / resuscitation).
	l := max(len(x), len(y))
	k := l / 4
	if l >= 12 {
		k = l / 3
	}
	return osaDistance(x, y, k) <= k
}

// spelling folds the spellings that differ between English, French and
// Portuguese for one sound: ph and f, th and t, y and i, k and c, ae and
// oe and e, and doubled letters ("pathology", "patologia";
// "anaesthesia", "anestesia").
func spelling(w string) string {
	b := make([]byte, 0, len(w))
	for i := 0; i < len(w); i++ {
		c := w[i]
		next := byte(0)
		if i+1 < len(w) {
			next = w[i+1]
		}
		switch {
		case c == 'p' && next == 'h':
			c = 'f'
			i++
		case (c == 't' || c == 'r') && next == 'h':
			i++
		case (c == 'a' || c == 'o') && next == 'e':
			c = 'e'
			i++
		case c == 'y':
			c = 'i'
		case c == 'k':
			c = 'c'
		}
		if len(b) > 0 && b[len(b)-1] == c {
			continue
		}
		b = append(b, c)
	}
	return string(b)
}

// fuzzyLookup finds the one concept with a phrase within a typo of q: one
// edit (Damerau-Levenshtein, adjacent transpositions counted once) for six
// letters or more, two for ten or more. The first letter must agree.
func (t *Taxonomy) fuzzyLookup(q string) (int32, bool) {
	n := letters(q)
	if n < fuzzyMinLetters {
		return 0, false
	}
	k := 1
	if n >= fuzzyTwoLetters {
		k = 2
	}
	bucket := t.fuzzy[q[0]]
	qm := charMask(q)
	lo := sort.Search(len(bucket), func(i int) bool { return len(bucket[i].key) >= len(q)-k })
	best, found, ambiguous := k+1, int32(-1), false
	// A tie is broken in favour of the one concept with a phrase that the
	// query begins ("midwifer" is midwifery cut short, not midwife).
	prefixed, prefixAmbiguous := int32(-1), false
	for _, p := range bucket[lo:] {
		if len(p.key) > len(q)+k {
			break
		}
		if bits.OnesCount64(qm&^p.chars) > k || bits.OnesCount64(p.chars&^qm) > k {
			continue
		}
		d := osaDistance(q, p.key, min(k, best))
		if d > k || d > best {
			continue
		}
		if d < best {
			best, found, ambiguous = d, p.concept, false
			prefixed, prefixAmbiguous = -1, false
		} else if p.concept != found {
			ambiguous = true
		}
		if strings.HasPrefix(p.key, q) {
			if prefixed >= 0 && prefixed != p.concept {
				prefixAmbiguous = true
			}
			prefixed = p.concept
		}
	}
	switch {
	case found < 0:
		return 0, false
	case !ambiguous:
		return found, true
	case prefixed >= 0 && !prefixAmbiguous:
		return prefixed, true
	}
	return 0, false
}

// EditDistance is the optimal-string-alignment distance between the bytes
// of a and b (insertions, deletions, substitutions and transpositions of
// adjacent characters, each counted once), or limit+1 when it exceeds
// limit. A negative limit counts as 0. It is meant for short normalised
// text such as names and terms.
func EditDistance(a, b string, limit int) int {
	limit = max(0, limit)
	if m := max(len(a), len(b)); limit > m {
		// No distance exceeds the longer length.
		return osaDistance(a, b, m)
	}
	return osaDistance(a, b, limit)
}

// osaDistance is EditDistance with k ≥ 0; its cost is proportional to
// len(a)·(2k+1).
func osaDistance(a, b string, k int) int {
	if d := len(a) - len(b); d > k || -d > k {
		return k + 1
	}
	var stack [3][48]int
	var rows [3][]int
	if len(b)+1 <= len(stack[0]) {
		rows = [3][]int{stack[0][:len(b)+1], stack[1][:len(b)+1], stack[2][:len(b)+1]}
	} else {
		for r := range rows {
			rows[r] = make([]int, len(b)+1)
		}
	}
	// Only cells within k of the diagonal can stay within k; the others
	// count as k+1.
	far := k + 1
	prev2, prev, cur := rows[0], rows[1], rows[2]
	for j := range prev {
		prev[j] = min(j, far)
		prev2[j], cur[j] = far, far
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := max(1, i-k), min(len(b), i+k)
		if lo == 1 {
			cur[0] = min(i, far)
		} else {
			cur[lo-1] = far
		}
		rowMin := cur[lo-1]
		for j := lo; j <= hi; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost, far)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if hi+1 <= len(b) {
			cur[hi+1] = far
		}
		if rowMin > k {
			return far
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// Similarity of two concepts: 1 when equal, less for broader, narrower or
// related concepts, 0 when unrelated.
//
// 0.8 when one is directly broader than the other; 0.6 for siblings (a
// shared direct broader concept) and related concepts; 0.4 when one is
// two broader steps above the other.
func (t *Taxonomy) Similarity(a, b string) float64 {
	if a == b {
		return 1
	}
	if t == nil {
		t = Default()
	}
	i, ok1 := t.byID[a]
	j, ok2 := t.byID[b]
	if !ok1 || !ok2 {
		return 0
	}
	if slices.Contains(t.broader[i], j) || slices.Contains(t.broader[j], i) {
		return 0.8
	}
	if slices.Contains(t.related[i], j) {
		return 0.6
	}
	for _, p := range t.broader[i] {
		if slices.Contains(t.broader[j], p) {
			return 0.6
		}
	}
	for _, p := range t.broader[i] {
		if slices.Contains(t.broader[p], j) {
			return 0.4
		}
	}
	for _, p := range t.broader[j] {
		if slices.Contains(t.broader[p], i) {
			return 0.4
		}
	}
	return 0
}

// Label returns the concept's label in lang (en, fr or pt), falling back to
// English, or id itself when unknown.
func (t *Taxonomy) Label(id, lang string) string {
	if t == nil {
		t = Default()
	}
	i, ok := t.byID[id]
	if !ok {
		return id
	}
	c := &t.concepts[i]
	if l := c.Labels[lang]; l != "" {
		return l
	}
	if l := c.Labels["en"]; l != "" {
		return l
	}
	return id
}

// Expand returns the concept ids a free-text query names, for search. The
// text is split on commas, semicolons, bars and line breaks, and each part
// is extracted as a term.
func (t *Taxonomy) Expand(text string) (concepts []string, unknown []string) {
	parts := strings.FieldsFunc(text, func(r rune) bool {
		switch r {
		case ',', ';', '|', '\n', '\r', '\t', '•':
			return true
		}
		return false
	})
	return t.Extract(parts)
}

// Concept returns the concept with the given id.
func (t *Taxonomy) Concept(id string) (Concept, bool) {
	if t == nil {
		t = Default()
	}
	i, ok := t.byID[id]
	if !ok {
		return Concept{}, false
	}
	return cloneConcept(t.concepts[i]), true
}

// Concepts returns every concept, in the order of the data.
func (t *Taxonomy) Concepts() []Concept {
	if t == nil {
		t = Default()
	}
	out := make([]Concept, len(t.concepts))
	for i, c := range t.concepts {
		out[i] = cloneConcept(c)
	}
	return out
}

// Kind returns the kind of concept id, or "" when there is none.
func (t *Taxonomy) Kind(id string) string {
	if t == nil {
		t = Default()
	}
	if i, ok := t.byID[id]; ok {
		return t.concepts[i].Kind
	}
	return ""
}

func cloneConcept(c Concept) Concept {
	c.Labels = maps.Clone(c.Labels)
	c.Synonyms = slices.Clone(c.Synonyms)
	c.Broader = slices.Clone(c.Broader)
	c.Related = slices.Clone(c.Related)
	return c
}
