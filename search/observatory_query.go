package search

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"sankofa"
	"sankofa/disclosure"
)

// Observatory answers the observatory's queries from the index's table,
// under disclosure rules. What may be published is decided for every
// table at once (see package disclosure), so the tabulation and its
// suppression are built as one snapshot, kept until the table changes or
// the day does. A snapshot younger than the refresh interval is served
// even when the table has changed since, so that a busy platform rebuilds
// it at most once per interval; a snapshot being rebuilt is served to the
// others meanwhile.
type Observatory struct {
	t       *obsTable
	rules   disclosure.Rules
	refresh time.Duration
	now     func() time.Time

	building sync.Mutex
	snap     atomic.Pointer[obsSnapshot]
}

// Observatory returns the observatory over ix under rules; refresh is the
// longest a snapshot is served once the figures changed (0: never).
func (ix *Index) Observatory(r disclosure.Rules, refresh time.Duration) *Observatory {
	return &Observatory{t: ix.obs, rules: r, refresh: refresh}
}

// Rules returns the disclosure rules.
func (o *Observatory) Rules() disclosure.Rules { return o.rules }

// dict numbers a dimension's values in their sorted order, so that
// snapshots of the same data number them the same way.
type dict struct {
	values []string
	codes  map[string]uint16
}

func newDict(set map[string]bool) *dict {
	d := &dict{values: slices.Sorted(maps.Keys(set)), codes: make(map[string]uint16, len(set))}
	for i, v := range d.values {
		d.codes[v] = uint16(i)
	}
	return d
}

// The dimensions of the snapshot's microdata.
const (
	stockOrigin = iota
	stockResidence
	stockProfession
	stockTraining
	stockBirth
	stockMode
	stockMonth
	stockDims
)

const (
	missionCountry = iota
	missionProfession
	missionOrigin
	missionResidence
	missionYear
	missionDims
)

const (
	virtualOrigin = iota
	virtualResidence
	virtualYear
	virtualDims
)

type cp struct{ country, profession string }

// obsSnapshot is one tabulation of the table, protected.
type obsSnapshot struct {
	gen     uint64
	day     obsDay
	built   time.Time
	updated time.Time

	countries, professions, modes, months, langs, years *dict

	stock *disclosure.Result
	// sharing, availability, pledgers: by profession, multi-valued on the
	// countries a worker shares with.
	sharing, pledgers *disclosure.Result
	available         [3]*disclosure.Result
	hours             map[cp]int
	open              map[cp][2]int
	missions, virtual *disclosure.Result
	days              map[cp]int
	// tables keeps each stock table asked for, by its dimensions in the
	// order asked: a large table costs tens of milliseconds to decode.
	tables sync.Map
}

// availableMonths are the horizons of supply-demand's availability.
var availableMonths = [3]int{3, 6, 12}

// Follow keeps the snapshot fresh in the background: every half refresh
// interval it rebuilds the snapshot if the figures changed, so that
// requests seldom wait for one. It returns when ctx ends.
func (o *Observatory) Follow(ctx context.Context) {
	if o.refresh <= 0 {
		<-ctx.Done()
		return
	}
	tick := time.NewTicker(o.refresh / 2)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			_, _ = o.latest(now, true) // a failure is retried at the next tick, and by requests
		}
	}
}

func (o *Observatory) snapshot(now time.Time) (*obsSnapshot, error) { return o.latest(now, false) }

// latest returns the snapshot to serve at now; wait builds a fresh one
// even when another is being built.
func (o *Observatory) latest(now time.Time, wait bool) (*obsSnapshot, error) {
	day := obsDay(now.Unix() / 86400)
	o.t.mu.RLock()
	gen := o.t.gen
	o.t.mu.RUnlock()
	s := o.snap.Load()
	fresh := func(s *obsSnapshot) bool { return s != nil && s.gen == gen && s.day == day }
	if fresh(s) || (!wait && s != nil && s.day == day && now.Sub(s.built) < o.refresh) {
		return s, nil
	}
	if s != nil && s.day == day && !wait {
		if !o.building.TryLock() {
			return s, nil // another request is building the next one
		}
	} else {
		o.building.Lock()
	}
	defer o.building.Unlock()
	if cur := o.snap.Load(); fresh(cur) {
		return cur, nil
	}
	s, err := o.build(now, day)
	if err != nil {
		return nil, err
	}
	o.snap.Store(s)
	return s, nil
}

func yearOf(d obsDay) string { return strconv.Itoa(time.Unix(int64(d)*86400, 0).UTC().Year()) }

func orUnknown(c string) string {
	if c == "" {
		return sankofa.UnknownCountry
	}
	return c
}

func (o *Observatory) build(now time.Time, day obsDay) (*obsSnapshot, error) {
	s := &obsSnapshot{day: day, built: now, hours: map[cp]int{}, open: map[cp][2]int{}, days: map[cp]int{}}
	var horizon [3]obsDay
	for i, m := range availableMonths {
		y, mo, d := now.UTC().Date()
		horizon[i] = obsDay(time.Date(y, mo+time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
	}
	type mission struct {
		country, profession, origin, residence, year string
		days                                         int
	}
	type engagement struct{ origin, residence, year string }
	var (
		missions []mission
		virtual  []engagement
	)
	countries, professions, modes, months, langs, years :=
		map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}

	o.t.mu.RLock()
	s.gen, s.updated = o.t.gen, o.t.changed
	rows := make([]*obsProfile, 0, len(o.t.profiles))
	for _, p := range o.t.profiles {
		rows = append(rows, p)
		countries[orUnknown(p.origin)], countries[orUnknown(p.residence)], countries[orUnknown(p.training)] = true, true, true
		countries[orUnknown(p.birth)] = true
		professions[p.profession], modes[p.mode], months[p.month] = true, true, true
		for _, l := range p.languages {
			langs[l] = true
		}
		for _, c := range p.share {
			countries[c] = true
		}
		for _, e := range p.engagements {
			country := sankofa.UnknownCountry
			if a, ok := o.t.assignments[e.assignment]; ok {
				country = a.country
			}
			switch {
			case e.mode == sankofa.ModeVirtual:
				virtual = append(virtual, engagement{orUnknown(p.origin), orUnknown(p.residence), yearOf(e.start)})
				years[yearOf(e.start)] = true
			case e.end < day:
				missions = append(missions, mission{country, p.profession, orUnknown(p.origin), orUnknown(p.residence),
					yearOf(e.end), int(e.end-e.start) + 1})
				years[yearOf(e.end)], countries[country] = true, true
			}
		}
	}
	for _, a := range o.t.assignments {
		if !a.open || a.positions <= a.filled {
			continue
		}
		free := a.positions - a.filled
		k := cp{a.country, a.profession}
		v := s.open[k]
		v[0] += free
		if a.mode != sankofa.ModeOnsite {
			v[1] += free * a.hours
		}
		s.open[k] = v
		countries[a.country], professions[a.profession] = true, true
	}
	o.t.mu.RUnlock()

	s.countries, s.professions, s.modes, s.months, s.langs, s.years =
		newDict(countries), newDict(professions), newDict(modes), newDict(months), newDict(langs), newDict(years)
	cc := func(c string) uint16 { return s.countries.codes[orUnknown(c)] }

	// An empty Multi declares the multi-valued dimension.
	stock := &disclosure.Microdata{Dims: stockDims, Multi: [][]uint16{}}
	sharing := &disclosure.Microdata{Dims: 1, Multi: [][]uint16{}}
	pledgers := &disclosure.Microdata{Dims: 1, Multi: [][]uint16{}}
	var available [3]*disclosure.Microdata
	for i := range available {
		available[i] = &disclosure.Microdata{Dims: 1, Multi: [][]uint16{}}
	}
	for _, p := range rows {
		prof := s.professions.codes[p.profession]
		ls := make([]uint16, len(p.languages))
		for i, l := range p.languages {
			ls[i] = s.langs.codes[l]
		}
		stock.Add([]uint16{cc(p.origin), cc(p.residence), prof, cc(p.training), cc(p.birth), s.modes.codes[p.mode],
			s.months.codes[p.month]}, ls)
		share := make([]uint16, len(p.share))
		for i, c := range p.share {
			share[i] = cc(c)
		}
		sharing.Add([]uint16{prof}, share)
		for i, h := range horizon {
			var in []uint16
			if slices.ContainsFunc(p.windows, func(w [2]obsDay) bool { return w[1] >= day && w[0] <= h }) {
				in = share
			}
			available[i].Add([]uint16{prof}, in)
		}
		var pledged []uint16
		if p.mode != "onsite" && p.hours > 0 {
			pledged = share
			for _, c := range p.share {
				s.hours[cp{c, p.profession}] += p.hours
				s.hours[cp{c, ""}] += p.hours
			}
		}
		pledgers.Add([]uint16{prof}, pledged)
	}
	mic := &disclosure.Microdata{Dims: missionDims}
	for _, m := range missions {
		mic.Add([]uint16{cc(m.country), s.professions.codes[m.profession], cc(m.origin), cc(m.residence), s.years.codes[m.year]}, nil)
		s.days[cp{m.country, m.profession}] += m.days
		s.days[cp{m.country, ""}] += m.days
	}
	vic := &disclosure.Microdata{Dims: virtualDims}
	for _, v := range virtual {
		vic.Add([]uint16{cc(v.origin), cc(v.residence), s.years.codes[v.year]}, nil)
	}

	var err error
	protect := func(m *disclosure.Microdata) *disclosure.Result {
		if err != nil {
			return nil
		}
		var res *disclosure.Result
		res, err = disclosure.Protect(o.rules, m)
		return res
	}
	s.stock = protect(stock)
	s.sharing, s.pledgers = protect(sharing), protect(pledgers)
	for i := range available {
		s.available[i] = protect(available[i])
	}
	s.missions, s.virtual = protect(mic), protect(vic)
	return s, err
}

func obsCount(c disclosure.Cell) sankofa.ObsCount {
	if c.Suppressed {
		return sankofa.ObsCount{Suppressed: true}
	}
	n := c.Count
	return sankofa.ObsCount{Count: &n}
}

func zero() sankofa.ObsCount { n := 0; return sankofa.ObsCount{Count: &n} }

// Updated returns when the figures last changed (as of the snapshot
// served at now).
func (o *Observatory) Updated(now time.Time) (time.Time, error) {
	s, err := o.snapshot(now)
	if err != nil {
		return time.Time{}, err
	}
	return s.updated, nil
}

var stockDimIndex = map[string]int{"origin_country": stockOrigin, "residence_country": stockResidence,
	"profession": stockProfession, "country_of_training": stockTraining, "country_of_birth": stockBirth, "mode": stockMode,
	"registered_month": stockMonth}

// Stock returns the active workers' profiles broken down by dims (names
// from sankofa.StockDimensions, already checked), as of now.
func (o *Observatory) Stock(dims []string, now time.Time) (sankofa.StockTable, error) {
	s, err := o.snapshot(now)
	if err != nil {
		return sankofa.StockTable{}, err
	}
	// Tables are decoded and kept in the dictionary's order of dimensions,
	// so at most one per subset (256); a table asked in another order is
	// a view of the kept one. (Its cells come in the same order either
	// way.)
	canon := slices.Clone(dims)
	slices.SortFunc(canon, func(a, b string) int {
		return slices.Index(sankofa.StockDimensions, a) - slices.Index(sankofa.StockDimensions, b)
	})
	key := strings.Join(canon, ",")
	var t sankofa.StockTable
	if kept, ok := s.tables.Load(key); ok {
		t = kept.(sankofa.StockTable)
	} else {
		if t, err = s.stockTable(canon); err != nil {
			return t, err
		}
		s.tables.Store(key, t)
	}
	if slices.Equal(canon, dims) {
		return t, nil
	}
	return reorderStock(t, dims), nil
}

// reorderStock returns t with its dimensions in the order of dims (the
// same names in another order), sharing t's cells: copying a table of all
// eight dimensions costs tens of megabytes at 100k workers.
func reorderStock(t sankofa.StockTable, dims []string) sankofa.StockTable {
	order := make([]int, len(dims))
	for i, d := range dims {
		order[i] = slices.Index(t.Dimensions, d)
	}
	return sankofa.StockTable{Dimensions: dims, Cells: t.Cells, Total: t.Total, Order: order}
}

// stockTable decodes the protected table over dims. Callers must not
// change what it returns, which is shared.
func (s *obsSnapshot) stockTable(dims []string) (sankofa.StockTable, error) {
	var idx []int
	multi := false
	for _, d := range dims {
		if d == "languages" {
			multi = true
		} else {
			idx = append(idx, stockDimIndex[d])
		}
	}
	t := s.stock.Table(idx, multi)
	out := sankofa.StockTable{Dimensions: dims, Cells: make([]sankofa.StockCell, len(t.Cells)), Total: obsCount(s.stock.Total())}
	// Where each dimension's code is in a cell, and what it decodes to.
	pos := make([]int, len(dims))
	names := make([][]string, len(dims))
	for i, d := range dims {
		pos[i] = -1 // languages: the multi-valued dimension
		if d != "languages" {
			pos[i] = slices.Index(t.Dims, stockDimIndex[d])
		}
		switch d {
		case "languages":
			names[i] = s.langs.values
		case "profession":
			names[i] = s.professions.values
		case "mode":
			names[i] = s.modes.values
		case "registered_month":
			names[i] = s.months.values
		default:
			names[i] = s.countries.values
		}
	}
	vals := make([]string, len(t.Cells)*len(dims))
	counts := make([]int, len(t.Cells))
	for j, c := range t.Cells {
		v := vals[j*len(dims) : (j+1)*len(dims) : (j+1)*len(dims)]
		for i := range dims {
			if pos[i] < 0 {
				v[i] = names[i][c.Multi]
			} else {
				v[i] = names[i][c.Codes[pos[i]]]
			}
		}
		n := sankofa.ObsCount{Suppressed: c.Suppressed}
		if !c.Suppressed {
			counts[j] = c.Count
			n.Count = &counts[j]
		}
		out.Cells[j] = sankofa.StockCell{Values: v, Count: n}
	}
	return out, nil
}

// SupplyDemand returns supply and demand by profession in country (a
// valid ISO code), as of now.
func (o *Observatory) SupplyDemand(country string, now time.Time) (sankofa.SupplyDemand, error) {
	s, err := o.snapshot(now)
	if err != nil {
		return sankofa.SupplyDemand{}, err
	}
	out := sankofa.SupplyDemand{Country: country}
	code, known := s.countries.codes[country]
	rows := map[string]*sankofa.SupplyDemandRow{}
	row := func(p string) *sankofa.SupplyDemandRow {
		r, ok := rows[p]
		if !ok {
			z := zero()
			r = &sankofa.SupplyDemandRow{Profession: p, Label: sankofa.Occupations[p], WorkersSharing: z, Available3m: z,
				Available6m: z, Available12m: z, VirtualHoursPledged: z, MissionsCompleted: z, PersonDaysOnsite: z}
			rows[p] = r
		}
		return r
	}
	total := row("")
	total.Label = ""
	magnitude := func(persons disclosure.Cell, sum int) sankofa.ObsCount {
		if persons.Suppressed {
			return sankofa.ObsCount{Suppressed: true}
		}
		n := o.rules.Round(sum)
		return sankofa.ObsCount{Count: &n}
	}
	if known {
		byCountry := func(res *disclosure.Result, set func(r *sankofa.SupplyDemandRow, c disclosure.Cell)) {
			for _, c := range res.Table([]int{0}, true).Cells {
				if c.Multi == code {
					set(row(s.professions.values[c.Codes[0]]), c)
				}
			}
			for _, c := range res.Table(nil, true).Cells {
				if c.Multi == code {
					set(total, c)
				}
			}
		}
		byCountry(s.sharing, func(r *sankofa.SupplyDemandRow, c disclosure.Cell) { r.WorkersSharing = obsCount(c) })
		byCountry(s.available[0], func(r *sankofa.SupplyDemandRow, c disclosure.Cell) { r.Available3m = obsCount(c) })
		byCountry(s.available[1], func(r *sankofa.SupplyDemandRow, c disclosure.Cell) { r.Available6m = obsCount(c) })
		byCountry(s.available[2], func(r *sankofa.SupplyDemandRow, c disclosure.Cell) { r.Available12m = obsCount(c) })
		byCountry(s.pledgers, func(r *sankofa.SupplyDemandRow, c disclosure.Cell) {
			r.VirtualHoursPledged = magnitude(c, s.hours[cp{country, r.Profession}])
		})
		for _, c := range s.missions.Table([]int{missionCountry, missionProfession}, false).Cells {
			if c.Codes[0] == code {
				r := row(s.professions.values[c.Codes[1]])
				r.MissionsCompleted = obsCount(c)
				r.PersonDaysOnsite = magnitude(c, s.days[cp{country, r.Profession}])
			}
		}
		for _, c := range s.missions.Table([]int{missionCountry}, false).Cells {
			if c.Codes[0] == code {
				total.MissionsCompleted = obsCount(c)
				total.PersonDaysOnsite = magnitude(c, s.days[cp{country, ""}])
			}
		}
	}
	for k, v := range s.open {
		if k.country == country {
			r := row(k.profession)
			r.OpenPositions, r.OpenVirtualHours = v[0], v[1]
			total.OpenPositions += v[0]
			total.OpenVirtualHours += v[1]
		}
	}
	delete(rows, "")
	for _, p := range slices.Sorted(maps.Keys(rows)) {
		out.Rows = append(out.Rows, *rows[p])
	}
	out.Total = *total
	return out, nil
}

// Flows returns missions completed and virtual engagements by origin and
// residence, and by year when byYear, as of now.
func (o *Observatory) Flows(byYear bool, now time.Time) (sankofa.Flows, error) {
	s, err := o.snapshot(now)
	if err != nil {
		return sankofa.Flows{}, err
	}
	type key struct {
		origin, residence string
		year              int
	}
	cells := map[key]*sankofa.FlowCell{}
	cell := func(k key) *sankofa.FlowCell {
		c, ok := cells[k]
		if !ok {
			c = &sankofa.FlowCell{OriginCountry: k.origin, ResidenceCountry: k.residence, Year: k.year,
				Missions: zero(), VirtualEngagements: zero()}
			cells[k] = c
		}
		return c
	}
	keyOf := func(codes []uint16) key {
		k := key{origin: s.countries.values[codes[0]], residence: s.countries.values[codes[1]]}
		if byYear {
			k.year, _ = strconv.Atoi(s.years.values[codes[2]])
		}
		return k
	}
	md := []int{missionOrigin, missionResidence}
	vd := []int{virtualOrigin, virtualResidence}
	if byYear {
		md, vd = append(md, missionYear), append(vd, virtualYear)
	}
	for _, c := range s.missions.Table(md, false).Cells {
		cell(keyOf(c.Codes)).Missions = obsCount(c)
	}
	for _, c := range s.virtual.Table(vd, false).Cells {
		cell(keyOf(c.Codes)).VirtualEngagements = obsCount(c)
	}
	out := sankofa.Flows{ByYear: byYear, Cells: make([]sankofa.FlowCell, 0, len(cells)),
		Total: sankofa.FlowCell{Missions: obsCount(s.missions.Total()), VirtualEngagements: obsCount(s.virtual.Total())}}
	keys := slices.SortedFunc(maps.Keys(cells), func(a, b key) int {
		switch {
		case a.origin != b.origin:
			return cmpStr(a.origin, b.origin)
		case a.residence != b.residence:
			return cmpStr(a.residence, b.residence)
		}
		return a.year - b.year
	})
	for _, k := range keys {
		out.Cells = append(out.Cells, *cells[k])
	}
	return out, nil
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
