// Package disclosure decides which counts of persons the observatory may
// publish, as statistical offices do: a count from 1 to k-1 is suppressed,
// every published count is rounded to a multiple of 5 (an exact 0 stays
// 0), and more cells are suppressed where needed so that no suppressed
// cell can be narrowed to fewer than 5 possible values by subtracting
// published cells from a published total.
//
// Anyone may ask for any combination of dimensions, so suppression is
// decided once for the whole lattice of tables (every subset of the
// dimensions), never per request: a cell published in one table cannot
// then give away a cell suppressed in another. The attacker it defeats
// subtracts a table from each table with one dimension fewer, and from
// the grand total; a parent two or more dimensions up (other than the
// grand total) is not audited. It is pure computation, with no I/O.
package disclosure

import (
	"errors"
	"fmt"
	"math/bits"
	"slices"
)

// MinK is the lowest threshold Rules.Validate accepts.
const MinK = 5

// Rules are the disclosure rules.
type Rules struct {
	// K is the threshold: counts from 1 to K-1 are suppressed.
	K int
	// Rounding is the base published counts are rounded to.
	Rounding int
	// MinValues is the fewest values a suppressed cell must keep open to
	// an attacker who differences published tables.
	MinValues int

	// noComplement turns complementary suppression off; only the attack
	// test's negative control does that (see export_test.go).
	noComplement bool
}

// DefaultRules are k = 10, rounding to 5 and at least 5 possible values.
func DefaultRules() Rules { return Rules{K: 10, Rounding: 5, MinValues: 5} }

// Validate reports rules that would protect too little.
func (r Rules) Validate() error {
	switch {
	case r.K < MinK:
		return fmt.Errorf("disclosure: k must be at least %d, not %d", MinK, r.K)
	case r.Rounding < 1 || r.Rounding > r.K:
		return fmt.Errorf("disclosure: rounding must be between 1 and k, not %d", r.Rounding)
	case r.MinValues < 1:
		return fmt.Errorf("disclosure: min values must be at least 1, not %d", r.MinValues)
	}
	return nil
}

// Round rounds a count to the nearest multiple of the rounding base
// (halves up); 0 stays 0.
func (r Rules) Round(n int) int {
	if n <= 0 || r.Rounding <= 1 {
		return max(n, 0)
	}
	return (n + r.Rounding/2) / r.Rounding * r.Rounding
}

// Bounds is what anyone knows of the true count behind a published one:
// within half the rounding base of it, and at least K (smaller counts are
// never published). A published 0 is exact.
func (r Rules) Bounds(published int) (lo, hi int) {
	if published <= 0 {
		return 0, 0
	}
	half := r.Rounding / 2
	return max(published-half, r.K), published + half
}

// Microdata are the records to tabulate: each has one code in every
// single-valued dimension and, when Multi is set, a set of codes of one
// multi-valued dimension (languages: a person who speaks three counts in
// three cells of it). Every record counts 1.
type Microdata struct {
	// Dims is the number of single-valued dimensions (at most 8).
	Dims int
	// Codes holds Dims codes per record, record after record.
	Codes []uint16
	// Multi, when not nil (an empty slice declares the dimension), holds
	// each record's codes of the multi-valued dimension, each once; a
	// record may have none.
	Multi [][]uint16
}

// Len is the number of records.
func (m *Microdata) Len() int {
	if m.Dims == 0 {
		return len(m.Multi)
	}
	return len(m.Codes) / m.Dims
}

// Add appends a record; multi is ignored unless m.Multi is set.
func (m *Microdata) Add(codes []uint16, multi []uint16) {
	m.Codes = append(m.Codes, codes...)
	if m.Multi != nil {
		m.Multi = append(m.Multi, multi)
	}
}

// Cell is one published cell of a table.
type Cell struct {
	// Codes are the cell's codes, one per dimension of the table, in the
	// order of the mask's bits; Multi is its code of the multi-valued
	// dimension when the table has it.
	Codes []uint16
	Multi uint16
	// Count is the published (rounded) count; it means nothing when
	// Suppressed.
	Count      int
	Suppressed bool
}

// Table is one table of the lattice: the cells with a true count above 0
// (an absent cell is 0).
type Table struct {
	Dims  []int
	Multi bool
	Cells []Cell
}

// Result holds the protected lattice.
type Result struct {
	rules Rules
	main  *lattice
	// slices are the lattices of the records holding each code of the
	// multi-valued dimension.
	slices map[uint16]*lattice
	multi  bool
}

// ErrTooWide is returned when the codes do not fit in 64 bits.
var ErrTooWide = errors.New("disclosure: the dimensions' codes do not fit in 64 bits")

// Protect tabulates m over every subset of its dimensions and decides
// which cells to publish. It returns ErrTooWide when the codes of all
// dimensions need more than 64 bits together.
func Protect(r Rules, m *Microdata) (*Result, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if m.Dims > 8 {
		return nil, fmt.Errorf("disclosure: at most 8 dimensions, not %d", m.Dims)
	}
	n := m.Len()
	widths := make([]uint, m.Dims)
	for i, c := range m.Codes {
		widths[i%m.Dims] = max(widths[i%m.Dims], uint(bits.Len16(c)))
	}
	pack, err := newPacking(widths)
	if err != nil {
		return nil, err
	}
	res := &Result{rules: r, multi: m.Multi != nil}
	all := make([]int32, n)
	for i := range all {
		all[i] = int32(i)
	}
	res.main = build(r, pack, m, all)
	if res.multi {
		members := map[uint16][]int32{}
		for i, vs := range m.Multi {
			for _, v := range vs {
				members[v] = append(members[v], int32(i))
			}
		}
		res.slices = make(map[uint16]*lattice, len(members))
		for v, rows := range members {
			res.slices[v] = build(r, pack, m, rows)
		}
	}
	return res, nil
}

// Table returns the table over the dimensions in dims (indexes of the
// single-valued dimensions, in any order; they are sorted) and, when
// multi, the multi-valued one. Cells are ordered by their codes.
func (res *Result) Table(dims []int, multi bool) Table {
	dims = slices.Clone(dims)
	slices.Sort(dims)
	dims = slices.Compact(dims)
	var mask uint32
	for _, d := range dims {
		mask |= 1 << d
	}
	t := Table{Dims: dims, Multi: multi && res.multi}
	if !t.Multi {
		t.Cells = res.main.cells(res.rules, mask, dims, 0)
		return t
	}
	vs := make([]uint16, 0, len(res.slices))
	n := 0
	for v, l := range res.slices {
		vs = append(vs, v)
		n += len(l.tables[mask].keys)
	}
	slices.Sort(vs)
	t.Cells = make([]Cell, 0, n)
	for _, v := range vs {
		t.Cells = append(t.Cells, res.slices[v].cells(res.rules, mask, dims, v)...)
	}
	return t
}

// Total is the table of no dimension: the grand total.
func (res *Result) Total() Cell {
	c := res.main.cells(res.rules, 0, nil, 0)
	if len(c) == 0 {
		return Cell{}
	}
	return c[0]
}

// packing lays the codes of every dimension side by side in a uint64.
type packing struct {
	shift []uint
	mask  []uint64
}

func newPacking(widths []uint) (packing, error) {
	p := packing{shift: make([]uint, len(widths)), mask: make([]uint64, len(widths))}
	var at uint
	for d, w := range widths {
		w = max(w, 1)
		if at+w > 64 {
			return p, ErrTooWide
		}
		p.shift[d], p.mask[d] = at, (uint64(1)<<w-1)<<at
		at += w
	}
	return p, nil
}

func (p packing) keyMask(mask uint32) uint64 {
	var km uint64
	for d := range p.mask {
		if mask&(1<<d) != 0 {
			km |= p.mask[d]
		}
	}
	return km
}
