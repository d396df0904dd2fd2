package disclosure_test

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"

	"sankofa/disclosure"
)

// population draws a realistic, skewed population of n persons over six
// single-valued dimensions (origin, residence, profession, country of
// training, mode, month of registration) and one multi-valued one
// (languages): a few large origins and many small ones, residences that
// depend on the origin, and so many small cells.
func population(n int, seed uint64) *disclosure.Microdata {
	r := rand.New(rand.NewPCG(seed, 12))
	zipf := func(k int, s float64) func() uint16 {
		z := rand.NewZipf(r, s, 1, uint64(k-1))
		return func() uint16 { return uint16(z.Uint64()) }
	}
	origin, residence, profession := zipf(30, 1.3), zipf(12, 1.2), zipf(14, 1.4)
	month, lang := zipf(24, 1.05), zipf(9, 1.5)
	m := &disclosure.Microdata{Dims: 6, Multi: [][]uint16{}}
	for range n {
		o := origin()
		res := (residence() + o%3) % 12
		training := o // most trained at home
		switch d := r.IntN(100); {
		case d < 20:
			training = 100 + res // abroad, where they live
		case d < 26:
			training = 200 + uint16(r.IntN(6))
		}
		var langs []uint16
		for _, l := range []uint16{lang(), lang(), lang()}[:1+r.IntN(3)] {
			if !slices.Contains(langs, l) {
				langs = append(langs, l)
			}
		}
		m.Add([]uint16{o, res, profession(), training, uint16(r.IntN(3)), month()}, langs)
	}
	return m
}

// attack is the attacker's differencing, run on everything published:
// every combination of dimensions, the grand total included; for every
// pair of tables where one has a single dimension more, the published
// siblings are subtracted from their published parent to bound each
// suppressed sibling. A published count is known to within its rounding
// (±2) and to be at least k; a suppressed sibling only to lie between 1
// and the parent. Along the multi-valued dimension a person counts in
// several cells, so the siblings' sum is no equation, only a covering: a
// suppressed cell lies between the parent less the other siblings' upper
// bounds and the parent. Beyond what the issue asks, every table is also
// subtracted from the grand total. It returns each cell left with fewer than
// minValues possible values.
func attack(r disclosure.Rules, res *disclosure.Result, dims int) []string {
	type id struct {
		codes [8]int32 // -1 where the table has no such dimension
		multi int32
	}
	type cell struct {
		id   id
		pub  int
		supp bool
	}
	tables := map[uint32][]cell{} // by mask; bit dims is the multi-valued one
	for mask := uint32(0); mask < 1<<(dims+1); mask++ {
		var ds []int
		for d := range dims {
			if mask&(1<<d) != 0 {
				ds = append(ds, d)
			}
		}
		multi := mask&(1<<dims) != 0
		t := res.Table(ds, multi)
		for _, c := range t.Cells {
			x := cell{pub: c.Count, supp: c.Suppressed, id: id{multi: -1}}
			for i := range x.id.codes {
				x.id.codes[i] = -1
			}
			for j, d := range ds {
				x.id.codes[d] = int32(c.Codes[j])
			}
			if multi {
				x.id.multi = int32(c.Multi)
			}
			tables[mask] = append(tables[mask], x)
		}
	}
	var pinned []string
	for cm, children := range tables {
		// d = -1 subtracts the table from the grand total, which every
		// table without the multi-valued dimension adds up to as well.
		for d := -1; d <= dims; d++ {
			pm := cm &^ (1 << max(d, 0))
			switch {
			case d == -1 && (cm&(1<<dims) != 0 || bits.OnesCount32(cm) < 2):
				continue
			case d == -1:
				pm = 0
			case cm&(1<<d) == 0:
				continue
			}
			parents := map[id]cell{}
			for _, p := range tables[pm] {
				parents[p.id] = p
			}
			groups := map[id][]cell{}
			for _, c := range children {
				pid := c.id
				switch d {
				case -1:
					pid.codes = [8]int32{-1, -1, -1, -1, -1, -1, -1, -1}
				case dims:
					pid.multi = -1
				default:
					pid.codes[d] = -1
				}
				groups[pid] = append(groups[pid], c)
			}
			for pid, kids := range groups {
				p, ok := parents[pid]
				if !ok {
					pinned = append(pinned, fmt.Sprintf("tables %b/%b: children of an absent parent %v", pm, cm, pid))
					continue
				}
				if p.supp {
					continue // only published parents are subtracted from
				}
				plo, phi := r.Bounds(p.pub)
				m, pubLo, pubHi := 0, 0, 0
				for _, c := range kids {
					if c.supp {
						m++
						continue
					}
					lo, hi := r.Bounds(c.pub)
					pubLo, pubHi = pubLo+lo, pubHi+hi
				}
				if m == 0 {
					continue
				}
				lo := max(1, plo-pubHi-(m-1)*phi)
				hi := min(phi, phi-pubLo-(m-1))
				if d == dims { // languages: a covering, not a partition
					hi = phi
				}
				if hi-lo+1 < r.MinValues {
					pinned = append(pinned, fmt.Sprintf("tables %07b -> %07b: parent %v (published %d) pins %d suppressed siblings to [%d, %d]",
						pm, cm, pid, p.pub, m, lo, hi))
				}
			}
		}
	}
	return pinned
}

func TestProtect_DifferencingAttack(t *testing.T) {
	for _, tc := range []struct {
		n    int
		seed uint64
		k    int
	}{{3000, 1, 10}, {800, 2, 10}, {5000, 3, 5}, {300, 4, 10}} {
		t.Run(fmt.Sprintf("n=%d,k=%d", tc.n, tc.k), func(t *testing.T) {
			r := disclosure.DefaultRules()
			r.K = tc.k
			m := population(tc.n, tc.seed)
			res, err := disclosure.Protect(r, m)
			if err != nil {
				t.Fatal(err)
			}
			checkPublished(t, r, res, m.Dims)
			if pinned := attack(r, res, m.Dims); len(pinned) > 0 {
				t.Fatalf("%d suppressed cells pinned; the first: %s", len(pinned), pinned[0])
			}

			// Negative control: without complementary suppression the same
			// attack pins cells, so the test above can fail.
			bare := disclosure.WithoutComplement(r)
			res, err = disclosure.Protect(bare, m)
			if err != nil {
				t.Fatal(err)
			}
			if pinned := attack(bare, res, m.Dims); len(pinned) == 0 {
				t.Fatal("without complementary suppression the attack pins nothing: the population is too easy to test with")
			}
		})
	}
}

// checkPublished checks the primary rules on every table: nothing from 1
// to k-1 is published, every published count is a multiple of 5, and the
// cells of a table with no multi-valued dimension add up to the total.
func checkPublished(t *testing.T, r disclosure.Rules, res *disclosure.Result, dims int) {
	t.Helper()
	total := res.Total()
	for mask := uint32(0); mask < 1<<(dims+1); mask++ {
		var ds []int
		for d := range dims {
			if mask&(1<<d) != 0 {
				ds = append(ds, d)
			}
		}
		tb := res.Table(ds, mask&(1<<dims) != 0)
		for _, c := range tb.Cells {
			if c.Suppressed {
				continue
			}
			if c.Count < r.K || c.Count%r.Rounding != 0 {
				t.Fatalf("table %b publishes %d", mask, c.Count)
			}
		}
		if bits.OnesCount32(mask) == 0 && (len(tb.Cells) != 1 || tb.Cells[0].Count != total.Count || tb.Cells[0].Suppressed != total.Suppressed) {
			t.Fatalf("the grand total is %+v, its table %+v", total, tb.Cells)
		}
	}
}

func TestRules(t *testing.T) {
	r := disclosure.DefaultRules()
	for n, want := range map[int]int{0: 0, 10: 10, 12: 10, 13: 15, 17: 15, 18: 20, 1234: 1235} {
		if got := r.Round(n); got != want {
			t.Errorf("Round(%d) = %d, want %d", n, got, want)
		}
	}
	if lo, hi := r.Bounds(10); lo != 10 || hi != 12 {
		t.Errorf("Bounds(10) = %d, %d; want 10, 12", lo, hi)
	}
	if lo, hi := r.Bounds(0); lo != 0 || hi != 0 {
		t.Errorf("Bounds(0) = %d, %d; want 0, 0", lo, hi)
	}
	for _, k := range []int{-1, 0, 4} {
		r.K = k
		if r.Validate() == nil {
			t.Errorf("k = %d validated", k)
		}
	}
	r.K = 5
	if err := r.Validate(); err != nil {
		t.Errorf("k = 5: %v", err)
	}
}

func TestProtect_Empty(t *testing.T) {
	res, err := disclosure.Protect(disclosure.DefaultRules(), &disclosure.Microdata{Dims: 2})
	if err != nil {
		t.Fatal(err)
	}
	if c := res.Total(); c.Count != 0 || c.Suppressed {
		t.Fatalf("total of nobody = %+v", c)
	}
	if tb := res.Table([]int{0, 1}, false); len(tb.Cells) != 0 {
		t.Fatalf("cells of nobody: %+v", tb.Cells)
	}
}
