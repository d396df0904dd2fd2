// Package matcher ranks diaspora health workers against assignments and
// explains why. It holds the health-skills taxonomy (ISCO-08 occupations,
// specialties, skills and procedures, with English, French and Portuguese
// synonyms) and the scoring rules. It does no I/O.
package matcher

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

// Taxonomy is the loaded, indexed taxonomy. (Implementation in progress.)
type Taxonomy struct{}

// Default returns the taxonomy embedded in the binary.
func Default() *Taxonomy { return &Taxonomy{} }

// Extract normalises free-text terms (case and accents folded) and maps
// each to a concept id when it names one, through labels, synonyms,
// abbreviations and small typos; terms that name no concept come back as
// normalised text in unknown.
func (t *Taxonomy) Extract(terms []string) (concepts []string, unknown []string) { return nil, nil }

// Similarity of two concepts: 1 when equal, less for broader, narrower or
// related concepts, 0 when unrelated.
func (t *Taxonomy) Similarity(a, b string) float64 { return 0 }

// Label returns the concept's label in lang (en, fr or pt), falling back to
// English, or id itself when unknown.
func (t *Taxonomy) Label(id, lang string) string { return id }

// Fillers returns the ISCO-08 codes whose holders may fill an assignment
// for occupation code, the code itself first.
func (t *Taxonomy) Fillers(code string) []string { return []string{code} }

// Expand returns the concept ids a free-text query names, for search.
func (t *Taxonomy) Expand(text string) (concepts []string, unknown []string) { return nil, nil }
