package matchertest

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"slices"

	"sankofa/matcher"
)

// HeldOut returns the generator's wordings that a held-out taxonomy
// leaves out: about frac of the surface forms of the skills and
// specialties, chosen by a hash of their text so that the choice does not
// depend on a seed, keeping at least one form of every concept.
func HeldOut(frac float64) []string {
	var out []string
	for _, cs := range [][]synConcept{synSkills, synSpecs} {
		for _, c := range cs {
			kept := len(c.forms)
			for _, f := range c.forms {
				h := fnv.New32a()
				h.Write([]byte(f.text))
				if kept > 1 && float64(h.Sum32()%1000) < frac*1000 {
					out = append(out, f.text)
					kept--
				}
			}
		}
	}
	return out
}

// HeldOutTaxonomy loads the embedded taxonomy without the wordings of
// HeldOut(frac): a synonym naming one is dropped, a label naming one is
// replaced by a neutral token. Corpora rendered by the generator then
// carry wordings this taxonomy has never seen. It returns the taxonomy and
// how many held-out wordings the taxonomy actually knew.
func HeldOutTaxonomy(frac float64) (*matcher.Taxonomy, int, error) {
	var f map[string]json.RawMessage
	if err := json.Unmarshal(matcher.Data(), &f); err != nil {
		return nil, 0, fmt.Errorf("matchertest: %w", err)
	}
	var concepts []map[string]any
	if err := json.Unmarshal(f["concepts"], &concepts); err != nil {
		return nil, 0, fmt.Errorf("matchertest: %w", err)
	}
	held := map[string]bool{}
	for _, w := range HeldOut(frac) {
		held[matcher.Normalize(w)] = true
	}
	removed := map[string]bool{}
	for i, c := range concepts {
		if syns, ok := c["synonyms"].([]any); ok {
			c["synonyms"] = slices.DeleteFunc(syns, func(s any) bool {
				n := matcher.Normalize(fmt.Sprint(s))
				if held[n] {
					removed[n] = true
				}
				return held[n]
			})
		}
		if labels, ok := c["labels"].(map[string]any); ok {
			for lang, l := range labels {
				if n := matcher.Normalize(fmt.Sprint(l)); held[n] {
					removed[n] = true
					// A label is required; the concept's id would bring
					// the held-out words back as a phrase.
					labels[lang] = fmt.Sprintf("zzheldout%d%s", i, lang)
				}
			}
		}
	}
	raw, err := json.Marshal(concepts)
	if err != nil {
		return nil, 0, fmt.Errorf("matchertest: %w", err)
	}
	f["concepts"] = raw
	data, err := json.Marshal(f)
	if err != nil {
		return nil, 0, fmt.Errorf("matchertest: %w", err)
	}
	t, err := matcher.Load(data)
	if err != nil {
		return nil, 0, fmt.Errorf("matchertest: held-out taxonomy: %w", err)
	}
	return t, len(removed), nil
}
