package disclosure

import (
	"math/bits"
	"slices"
)

// table is one table of a lattice: its cells' packed keys, sorted, with
// their true counts and whether each is suppressed.
type table struct {
	keys  []uint64
	count []int32
	supp  []bool
	// pos is the index of each key: a map lookup costs a third of a
	// binary search over a large table.
	pos map[uint64]int32
}

func (t *table) find(key uint64) int {
	i, ok := t.pos[key]
	if !ok {
		return -1
	}
	return int(i)
}

// lattice holds the tables over every subset of the dimensions, indexed
// by the subset's bit mask.
type lattice struct {
	pack   packing
	tables []*table
}

// build tabulates the records rows of m over every subset of its
// dimensions and protects the lattice.
func build(r Rules, pack packing, m *Microdata, rows []int32) *lattice {
	nd := m.Dims
	l := &lattice{pack: pack, tables: make([]*table, 1<<nd)}
	full := uint32(1)<<nd - 1
	finest := make(map[uint64]int32, len(rows))
	for _, i := range rows {
		var key uint64
		for d := range nd {
			key |= uint64(m.Codes[int(i)*nd+d]) << pack.shift[d]
		}
		finest[key]++
	}
	l.tables[full] = fromMap(finest)
	// Each coarser table sums the smallest table with one dimension more.
	for pop := nd - 1; pop >= 0; pop-- {
		for mask := uint32(0); mask < full; mask++ {
			if bits.OnesCount32(mask) != pop {
				continue
			}
			var src *table
			for d := range nd {
				if mask&(1<<d) == 0 {
					if t := l.tables[mask|1<<d]; src == nil || len(t.keys) < len(src.keys) {
						src = t
					}
				}
			}
			km := pack.keyMask(mask)
			agg := make(map[uint64]int32, len(src.keys)/2+1)
			for i, k := range src.keys {
				agg[k&km] += src.count[i]
			}
			l.tables[mask] = fromMap(agg)
		}
	}
	l.protect(r)
	return l
}

func fromMap(m map[uint64]int32) *table {
	t := &table{keys: make([]uint64, 0, len(m))}
	for k := range m {
		t.keys = append(t.keys, k)
	}
	slices.Sort(t.keys)
	t.count = make([]int32, len(t.keys))
	t.supp = make([]bool, len(t.keys))
	for i, k := range t.keys {
		t.count[i] = m[k]
		m[k] = int32(i) // the map of counts becomes the map of positions
	}
	t.pos = m
	return t
}

// pair links a table (child) to the table with one dimension fewer
// (parent): the children of parent cell i are kids[off[i]:off[i+1]].
type pair struct {
	parent, child *table
	off, kids     []int32
}

// protect suppresses the counts from 1 to k-1, then, until nothing
// changes, every further cell an attacker differencing one parent table
// against one child table could otherwise narrow a suppressed cell with.
func (l *lattice) protect(r Rules) {
	k := int32(r.K)
	for _, t := range l.tables {
		for i, c := range t.count {
			t.supp[i] = c < k
		}
	}
	if r.noComplement {
		return
	}
	var pairs []pair
	for c := range l.tables {
		for d := range len(l.pack.shift) {
			if c&(1<<d) == 0 {
				continue
			}
			pairs = append(pairs, l.pair(uint32(c)&^(1<<d), uint32(c)))
		}
		// Every table also adds up to the grand total, which is always
		// published: without these pairs, a table whose one-dimension-fewer
		// parents are all suppressed could still be subtracted from it.
		if bits.OnesCount(uint(c)) >= 2 {
			pairs = append(pairs, l.pair(0, uint32(c)))
		}
	}
	for changed := true; changed; {
		changed = false
		for _, p := range pairs {
			for pi := range p.parent.keys {
				if p.parent.supp[pi] {
					continue
				}
				kids := p.kids[p.off[pi]:p.off[pi+1]]
				m, pubLo, pubHi := 0, 0, 0
				for _, ci := range kids {
					if p.child.supp[ci] {
						m++
						continue
					}
					lo, hi := r.Bounds(r.Round(int(p.child.count[ci])))
					pubLo, pubHi = pubLo+lo, pubHi+hi
				}
				parent := int(p.parent.count[pi])
				if m == 0 || r.openValues(parent, m, pubLo, pubHi) >= r.MinValues {
					continue
				}
				// Suppress the smallest published siblings until the
				// suppressed ones are safe, or else the parent.
				changed = true
				var pub []int32
				for _, ci := range kids {
					if !p.child.supp[ci] {
						pub = append(pub, ci)
					}
				}
				slices.SortFunc(pub, func(a, b int32) int { return int(p.child.count[a] - p.child.count[b]) })
				safe := false
				for _, ci := range pub {
					p.child.supp[ci] = true
					lo, hi := r.Bounds(r.Round(int(p.child.count[ci])))
					m, pubLo, pubHi = m+1, pubLo-lo, pubHi-hi
					if r.openValues(parent, m, pubLo, pubHi) >= r.MinValues {
						safe = true
						break
					}
				}
				if !safe {
					p.parent.supp[pi] = true
				}
			}
		}
	}
}

// openValues is how many values an attacker who knows the published
// parent and siblings leaves open to each of m suppressed siblings: the
// parent's bounds less the published siblings' bounds, the other
// suppressed siblings each between 1 and the parent.
func (r Rules) openValues(parent, m, pubLo, pubHi int) int {
	plo, phi := r.Bounds(r.Round(parent))
	lo := max(1, plo-pubHi-(m-1)*phi)
	hi := min(phi, phi-pubLo-(m-1))
	return hi - lo + 1
}

func (l *lattice) pair(pm, cm uint32) pair {
	p := pair{parent: l.tables[pm], child: l.tables[cm]}
	km := l.pack.keyMask(pm)
	parentOf := make([]int32, len(p.child.keys))
	p.off = make([]int32, len(p.parent.keys)+1)
	for i, key := range p.child.keys {
		pi := p.parent.find(key & km)
		parentOf[i] = int32(pi)
		p.off[pi+1]++
	}
	for i := range p.parent.keys {
		p.off[i+1] += p.off[i]
	}
	p.kids = make([]int32, len(p.child.keys))
	next := slices.Clone(p.off[:len(p.parent.keys)])
	for i, pi := range parentOf {
		p.kids[next[pi]] = int32(i)
		next[pi]++
	}
	return p
}

// cells returns the cells of the table of mask, with dims its dimensions
// in order and v the code of the multi-valued dimension, if any.
func (l *lattice) cells(r Rules, mask uint32, dims []int, v uint16) []Cell {
	t := l.tables[mask]
	out := make([]Cell, len(t.keys))
	codes := make([]uint16, len(t.keys)*len(dims))
	for i, key := range t.keys {
		c := Cell{Codes: codes[i*len(dims) : (i+1)*len(dims) : (i+1)*len(dims)], Multi: v, Suppressed: t.supp[i]}
		for j, d := range dims {
			c.Codes[j] = uint16((key & l.pack.mask[d]) >> l.pack.shift[d])
		}
		if !c.Suppressed {
			c.Count = r.Round(int(t.count[i]))
		}
		out[i] = c
	}
	return out
}
