package search

import "sankofa"

// PutObservatoryProfile puts p in the observatory's table only, without
// indexing it, so that benchmarks can build large tables fast.
func (ix *Index) PutObservatoryProfile(p *sankofa.Profile) { ix.obs.putProfile(p, true) }

// PutObservatoryAssignment puts a in the observatory's table only.
func (ix *Index) PutObservatoryAssignment(a *sankofa.Assignment) {
	ix.obs.putAssignment(a.ID, assignmentObs(a))
}
