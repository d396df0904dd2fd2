package matcher

import (
	"slices"
	"sort"

	"sankofa"
)

// FilledBy returns the ISCO-08 codes of assignments a worker of occupation
// code may fill: the reverse of Fillers.
func (t *Taxonomy) FilledBy(code string) []string {
	var out []string
	for c := range sankofa.Occupations {
		if slices.Contains(t.Fillers(c), code) {
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}
