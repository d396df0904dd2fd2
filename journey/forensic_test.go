package journey_test

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zapv15 "github.com/blevesearch/zapx/v15"
	zapv16 "github.com/blevesearch/zapx/v16"
	zapv17 "github.com/blevesearch/zapx/v17"
	"github.com/golang/snappy"
	_ "modernc.org/sqlite"
)

// hit is one place where a marker was found under a data dir.
type hit struct {
	file   string // relative to the scanned dir
	marker string
	// form says how the file held it: "raw", "raw, lowercased",
	// "base64 > deflate", "sqlite record (overflow pages joined) > base64 >
	// deflate", "zap term of field text", "zap stored field _source of doc 3"...
	form string
	// offset is where, in the file, the marker or the blob that held it
	// (a base64 run, a compressed stream, a record, a segment) begins.
	offset int64
}

func (h hit) String() string {
	return fmt.Sprintf("%s: %q as %s (at byte %d)", h.file, h.marker, h.form, h.offset)
}

// scanForMarkers reads every regular file under dir and reports each
// (file, marker, form) where one of markers is, in every form a file of
// sankofa's data dir can hold it:
//
//   - the raw bytes, the marker as given, lowercased, uppercased and
//     JSON-escaped (Go's escaping, and \u escapes of non-ASCII);
//   - gzip, zlib and snappy streams wherever their magic numbers are, and
//     raw DEFLATE, zlib, gzip and snappy over whole files;
//   - base64 runs ([A-Za-z0-9+/]{24,}={0,2}, as FerretDB stores BSON
//     binary in SQLite's JSON), decoded at each of the four alignments,
//     scanned raw and through raw DEFLATE, zlib, gzip and snappy (the inbox
//     keeps its pages as DEFLATE-compressed BSON), one more level down;
//   - SQLite records too long for their page (main file and WAL frames),
//     with their overflow pages joined, since a value that spills over is
//     cut every page by a page number;
//   - Bleve's zap segments, opened with zapx: every term of every field's
//     dictionary (a term's bytes are not contiguous in the FST) and every
//     stored field of every doc number, deleted ones included (stored
//     fields are snappy-compressed).
//
// Anything it cannot read (a file, a segment) fails the test: a scan that
// skips what it cannot open proves nothing.
func scanForMarkers(t testing.TB, dir string, markers []string) []hit {
	t.Helper()
	sc := newScanner(t, markers)
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Errorf("forensic scan: %s: %v", path, err)
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("forensic scan: %s: %v", rel, err)
			return nil
		}
		sc.files++
		sc.bytes += int64(len(data))
		sc.file = rel
		sc.scan(data, "raw", 0, 0)
		if isSQLiteDB(data) {
			wal, _ := os.ReadFile(path + "-wal")
			sc.scanSQLite(rel, data, rel+"-wal", wal)
		} else if isSQLiteWAL(data) {
			if _, err := os.Stat(strings.TrimSuffix(path, "-wal")); err != nil {
				sc.scanSQLite("", nil, rel, data) // a WAL without its database
			}
		}
		if strings.HasSuffix(path, ".zap") {
			sc.scanZap(path, rel, data)
		}
		return nil
	})
	if err != nil {
		t.Errorf("forensic scan of %s: %v", dir, err)
	}
	t.Logf("forensic scan of %s: %d files, %d bytes, %d zap segments, %d SQLite records joined from overflow pages, %d base64 runs decoded: %d hits",
		dir, sc.files, sc.bytes, sc.segments, sc.records, sc.runs, len(sc.hits))
	return sc.hits
}

// needle is one form of a marker searched for in bytes.
type needle struct {
	marker, form string
	b            []byte
}

type hitKey struct{ file, marker, form string }

type termForm struct {
	marker string
	forms  []string
}

type scanner struct {
	t       testing.TB
	markers []string
	needles []needle
	// termForms are matched against zap terms: each marker, lowercased,
	// and its tokens.
	termForms                      []termForm
	minNeedle                      int
	file                           string // being scanned, relative to the dir
	seen                           map[hitKey]bool
	hits                           []hit
	files, segments, records, runs int
	bytes                          int64
	// Decompressors are reset, not allocated, for each of the many
	// candidate streams.
	flateR io.ReadCloser
	zlibR  io.ReadCloser
	gzipR  *gzip.Reader
}

// maxDepth bounds the nesting of decodings (base64 in a record in a
// decompressed stream...): a file is depth 0.
const maxDepth = 3

// maxInflate bounds what one compressed stream may expand to.
const maxInflate = 64 << 20

func newScanner(t testing.TB, markers []string) *scanner {
	sc := &scanner{t: t, markers: markers, seen: map[hitKey]bool{}, minNeedle: 1 << 30}
	for _, m := range markers {
		if m == "" {
			t.Fatal("forensic scan: empty marker")
		}
		forms := []struct{ form, s string }{
			{"", m},
			{"lowercased", strings.ToLower(m)},
			{"uppercased", strings.ToUpper(m)},
			{"JSON-escaped", jsonEscape(m, true)},
			{"JSON-escaped", jsonEscape(m, false)},
			{"JSON-escaped, ASCII only", asciiJSONEscape(m)},
		}
		have := map[string]bool{}
		for _, f := range forms {
			if have[f.s] {
				continue
			}
			have[f.s] = true
			sc.needles = append(sc.needles, needle{marker: m, form: f.form, b: []byte(f.s)})
			sc.minNeedle = min(sc.minNeedle, len(f.s))
		}
		// Analyzers lowercase and split; a term is the marker lowercased,
		// or one of its tokens.
		lower := strings.ToLower(m)
		tf := termForm{marker: m, forms: []string{m, lower}}
		toks := strings.FieldsFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if len(toks) > 1 {
			for _, tok := range toks {
				if utf8.RuneCountInString(tok) >= 6 {
					tf.forms = append(tf.forms, tok)
				}
			}
		}
		sc.termForms = append(sc.termForms, tf)
	}
	return sc
}

func jsonEscape(s string, html bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(html)
	_ = enc.Encode(s)
	out := strings.TrimSpace(b.String())
	return out[1 : len(out)-1]
}

// asciiJSONEscape escapes as JSON encoders that keep to ASCII do (\u00e9).
func asciiJSONEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == '<' || r == '>' || r == '&':
			fmt.Fprintf(&b, `\u%04x`, r)
		case r < 0x7f:
			b.WriteRune(r)
		case r > 0xffff:
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

func (sc *scanner) add(form string, offset int64, marker string) {
	k := hitKey{sc.file, marker, form}
	if sc.seen[k] {
		return
	}
	sc.seen[k] = true
	sc.hits = append(sc.hits, hit{file: sc.file, marker: marker, form: form, offset: offset})
}

func join(form, more string) string {
	switch {
	case more == "":
		return form
	case form == "raw":
		return more
	}
	return form + " > " + more
}

// scan looks for the markers in data, a whole unit (a file, a decoded
// blob, a decompressed stream, a record, a stored value) that begins at
// offset in the file, then in everything data may encode.
func (sc *scanner) scan(data []byte, form string, offset int64, depth int) {
	if len(data) < sc.minNeedle {
		return
	}
	for _, n := range sc.needles {
		if i := bytes.Index(data, n.b); i >= 0 {
			f := form
			if n.form != "" {
				f = form + ", " + n.form
			}
			o := offset
			if form == "raw" {
				o += int64(i)
			}
			sc.add(f, o, n.marker)
		}
	}
	if depth >= maxDepth {
		return
	}
	for _, d := range sc.decodeWhole(data) {
		sc.scan(d.out, join(form, d.name), offset, depth+1)
	}
	sc.embeddedStreams(data, form, offset, depth)
	sc.base64Runs(data, form, offset, depth)
}

type decoded struct {
	name string
	out  []byte
}

// decodeWhole tries data as one raw DEFLATE, zlib, gzip or snappy stream.
// A stream cut short (a page boundary, a truncated file) still gives what
// it decoded up to the cut.
func (sc *scanner) decodeWhole(data []byte) []decoded {
	var out []decoded
	if b := sc.inflate(data); len(b) > 0 {
		out = append(out, decoded{"deflate", b})
	}
	if len(data) > 2 && data[0]&0x0f == 8 && (uint16(data[0])<<8|uint16(data[1]))%31 == 0 {
		if b := sc.unzlib(data); len(b) > 0 {
			out = append(out, decoded{"zlib", b})
		}
	}
	if bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		if b := sc.gunzip(data); len(b) > 0 {
			out = append(out, decoded{"gzip", b})
		}
	}
	if n, err := snappy.DecodedLen(data); err == nil && n > 0 && n <= maxInflate && n <= 64*len(data) {
		if b, err := snappy.Decode(nil, data); err == nil {
			out = append(out, decoded{"snappy", b})
		}
	}
	return out
}

var snappyMagic = []byte("\xff\x06\x00\x00sNaPpY")

// embeddedStreams decodes gzip, zlib and framed snappy streams that begin
// anywhere in data (by their magic numbers).
func (sc *scanner) embeddedStreams(data []byte, form string, offset int64, depth int) {
	for i := 1; i+10 < len(data); i++ {
		var b []byte
		var name string
		switch {
		case data[i] == 0x1f && data[i+1] == 0x8b && data[i+2] == 8:
			b, name = sc.gunzip(data[i:]), "gzip"
		case data[i] == 0x78 && (uint16(data[i])<<8|uint16(data[i+1]))%31 == 0 && data[i+1]&0x20 == 0:
			b, name = sc.unzlib(data[i:]), "zlib"
		case data[i] == 0xff && bytes.HasPrefix(data[i:], snappyMagic):
			b, _ = io.ReadAll(io.LimitReader(snappy.NewReader(bytes.NewReader(data[i:])), maxInflate))
			name = "snappy"
		default:
			continue
		}
		if len(b) >= sc.minNeedle {
			sc.scan(b, join(form, name), offset+int64(i), depth+1)
		}
	}
}

func (sc *scanner) inflate(data []byte) []byte {
	if sc.flateR == nil {
		sc.flateR = flate.NewReader(bytes.NewReader(data))
	} else {
		_ = sc.flateR.(flate.Resetter).Reset(bytes.NewReader(data), nil)
	}
	b, _ := io.ReadAll(io.LimitReader(sc.flateR, maxInflate))
	return b
}

func (sc *scanner) unzlib(data []byte) []byte {
	var err error
	if sc.zlibR == nil {
		sc.zlibR, err = zlib.NewReader(bytes.NewReader(data))
		if err != nil {
			sc.zlibR = nil
			return nil
		}
	} else if err = sc.zlibR.(zlib.Resetter).Reset(bytes.NewReader(data), nil); err != nil {
		return nil
	}
	b, _ := io.ReadAll(io.LimitReader(sc.zlibR, maxInflate))
	return b
}

func (sc *scanner) gunzip(data []byte) []byte {
	var err error
	if sc.gzipR == nil {
		sc.gzipR, err = gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			sc.gzipR = nil
			return nil
		}
	} else if err = sc.gzipR.Reset(bytes.NewReader(data)); err != nil {
		return nil
	}
	b, _ := io.ReadAll(io.LimitReader(sc.gzipR, maxInflate))
	return b
}

var b64Alphabet = func() (a [256]bool) {
	for _, c := range "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" {
		a[c] = true
	}
	return a
}()

// base64Runs decodes every run of [A-Za-z0-9+/]{24,}={0,2} in data, at
// each of the four alignments (a run in a binary file may begin with
// bytes that only look like base64), and scans what it decodes to. A run
// cut short (by a page boundary) still decodes up to the cut.
func (sc *scanner) base64Runs(data []byte, form string, offset int64, depth int) {
	for i := 0; i < len(data); {
		if !b64Alphabet[data[i]] {
			i++
			continue
		}
		j := i
		for j < len(data) && b64Alphabet[data[j]] {
			j++
		}
		for k := 0; k < 2 && j < len(data) && data[j] == '='; k++ {
			j++
		}
		if j-i >= 24 {
			sc.runs++
			sc.decodeRun(data[i:j], form, offset+int64(i), depth)
		}
		i = j
	}
}

func (sc *scanner) decodeRun(run []byte, form string, offset int64, depth int) {
	run = bytes.TrimRight(run, "=")
	for k := range 4 {
		s := run[k:]
		if len(s)%4 == 1 {
			s = s[:len(s)-1] // not a whole byte
		}
		out := make([]byte, base64.RawStdEncoding.DecodedLen(len(s)))
		n, err := base64.RawStdEncoding.Decode(out, s)
		if err != nil || n < 8 {
			continue
		}
		sc.scan(out[:n], join(form, "base64"), offset+int64(k), depth+1)
	}
}

// isSQLiteDB reports whether data is an SQLite database file.
func isSQLiteDB(data []byte) bool {
	return len(data) >= 100 && bytes.HasPrefix(data, []byte("SQLite format 3\x00"))
}

// isSQLiteWAL reports whether data is an SQLite write-ahead log.
func isSQLiteWAL(data []byte) bool {
	if len(data) < 32 {
		return false
	}
	m := binary.BigEndian.Uint32(data)
	return m == 0x377f0682 || m == 0x377f0683
}

// sqlitePage is one copy of a page: in the database file, or in a WAL frame.
type sqlitePage struct {
	file string
	off  int64
	num  uint32
	data []byte
}

// scanSQLite joins every record that spilled onto overflow pages, in the
// database file and in every frame of its WAL, and scans it whole. A
// record's first part is in its b-tree page (leaf, or interior of an
// index), the rest in a chain of overflow pages, each starting with the
// number of the next: in the file, a long value is cut every page by four
// bytes, and a marker or a base64 run across a cut is not found raw.
// Every page is parsed, free ones too (without secure_delete, a freed
// page keeps its cells and its chain). A chain is followed through the
// newest copy of each page (the WAL's last frame for it, else the file),
// and through the file's copy when that differs.
func (sc *scanner) scanSQLite(dbRel string, db []byte, walRel string, wal []byte) {
	pageSize, reserved := 0, 0
	if db != nil {
		pageSize = int(binary.BigEndian.Uint16(db[16:18]))
		if pageSize == 1 {
			pageSize = 65536
		}
		reserved = int(db[20])
	} else if isSQLiteWAL(wal) {
		pageSize = int(binary.BigEndian.Uint32(wal[8:12]))
	}
	if pageSize < 512 || pageSize > 65536 || pageSize&(pageSize-1) != 0 {
		return
	}
	usable := pageSize - reserved
	var pages []sqlitePage
	inFile := map[uint32]int{}
	newest := map[uint32]int{}
	for off := 0; off+pageSize <= len(db); off += pageSize {
		n := uint32(off/pageSize + 1)
		inFile[n] = len(pages)
		newest[n] = len(pages)
		pages = append(pages, sqlitePage{dbRel, int64(off), n, db[off : off+pageSize]})
	}
	if isSQLiteWAL(wal) && int(binary.BigEndian.Uint32(wal[8:12])) == pageSize {
		for off := 32; off+24+pageSize <= len(wal); off += 24 + pageSize {
			n := binary.BigEndian.Uint32(wal[off:])
			if n == 0 {
				continue
			}
			newest[n] = len(pages)
			pages = append(pages, sqlitePage{walRel, int64(off + 24), n, wal[off+24 : off+24+pageSize]})
		}
	}
	// The formulas of https://www.sqlite.org/fileformat2.html#b_tree_pages.
	maxLocalTable := usable - 35
	maxLocalIndex := (usable-12)*64/255 - 23
	minLocal := (usable-12)*32/255 - 23
	for _, pg := range pages {
		h := 0
		if pg.num == 1 {
			h = 100
		}
		if h+12 > len(pg.data) {
			continue
		}
		typ := pg.data[h]
		var hdrLen, maxLocal int
		switch typ {
		case 0x0d: // table leaf
			hdrLen, maxLocal = 8, maxLocalTable
		case 0x0a: // index leaf
			hdrLen, maxLocal = 8, maxLocalIndex
		case 0x02: // index interior
			hdrLen, maxLocal = 12, maxLocalIndex
		default:
			continue
		}
		cells := int(binary.BigEndian.Uint16(pg.data[h+3:]))
		for c := 0; c < cells; c++ {
			ptr := h + hdrLen + 2*c
			if ptr+2 > usable {
				break
			}
			at := int(binary.BigEndian.Uint16(pg.data[ptr:]))
			if typ == 0x02 {
				at += 4 // the left child's page number
			}
			if at <= 0 || at >= usable {
				continue
			}
			size, n := uvarint(pg.data[at:usable])
			if n == 0 || size <= uint64(maxLocal) || size > maxInflate {
				continue
			}
			at += n
			if typ == 0x0d {
				_, n = uvarint(pg.data[at:usable]) // the rowid
				if n == 0 {
					continue
				}
				at += n
			}
			local := minLocal + int((size-uint64(minLocal))%uint64(usable-4))
			if local > maxLocal {
				local = minLocal
			}
			if at+local+4 > usable {
				continue
			}
			first := binary.BigEndian.Uint32(pg.data[at+local:])
			start := pg.data[at : at+local]
			var chains [][]byte
			for _, copies := range []map[uint32]int{newest, inFile} {
				rec := sc.followOverflow(start, first, int(size), pages, copies, usable)
				if rec != nil && (len(chains) == 0 || !bytes.Equal(chains[0], rec)) {
					chains = append(chains, rec)
				}
			}
			file := sc.file
			for _, rec := range chains {
				sc.records++
				sc.file = pg.file
				sc.scan(rec, "sqlite record (overflow pages joined)", pg.off+int64(at), 0)
			}
			sc.file = file
		}
	}
}

// followOverflow returns the record that begins with start and goes on in
// the overflow chain from page first, or nil when the chain leaves the
// pages known.
func (sc *scanner) followOverflow(start []byte, first uint32, size int, pages []sqlitePage, copies map[uint32]int, usable int) []byte {
	rec := append(make([]byte, 0, size), start...)
	next := first
	for hops := 0; next != 0 && len(rec) < size && hops < len(pages)+1; hops++ {
		i, ok := copies[next]
		if !ok {
			break
		}
		pg := pages[i].data
		take := min(size-len(rec), usable-4)
		rec = append(rec, pg[4:4+take]...)
		next = binary.BigEndian.Uint32(pg)
	}
	if len(rec) == len(start) {
		return nil
	}
	return rec
}

// uvarint decodes SQLite's big-endian varint (up to nine bytes).
func uvarint(b []byte) (uint64, int) {
	var v uint64
	for i := 0; i < 9 && i < len(b); i++ {
		if i == 8 {
			return v<<8 | uint64(b[i]), 9
		}
		v = v<<7 | uint64(b[i]&0x7f)
		if b[i] < 0x80 {
			return v, i + 1
		}
	}
	return 0, 0
}

// zapPlugins open the segment versions this bleve writes and reads.
var zapPlugins = map[uint32]interface {
	Open(path string) (segment.Segment, error)
}{
	zapv15.Version: &zapv15.ZapPlugin{},
	zapv16.Version: &zapv16.ZapPlugin{},
	zapv17.Version: &zapv17.ZapPlugin{},
}

// scanZap opens a Bleve segment and matches the markers against every
// term of every field and every stored field of every doc number (deleted
// ones are still in the segment: deletions are kept beside it until a
// merge rewrites it).
func (sc *scanner) scanZap(path, rel string, data []byte) {
	if len(data) < 8 {
		sc.t.Errorf("forensic scan: %s: too short for a zap segment", rel)
		return
	}
	version := binary.BigEndian.Uint32(data[len(data)-8:])
	plugin, ok := zapPlugins[version]
	if !ok {
		sc.t.Errorf("forensic scan: %s: zap segment version %d, the scanner opens %v", rel, version, []uint32{zapv15.Version, zapv16.Version, zapv17.Version})
		return
	}
	seg, err := plugin.Open(path)
	if err != nil {
		sc.t.Errorf("forensic scan: %s: open zap v%d segment: %v", rel, version, err)
		return
	}
	defer seg.Close()
	sc.segments++
	sc.file = rel
	for _, field := range seg.Fields() {
		dict, err := seg.Dictionary(field)
		if err != nil {
			sc.t.Errorf("forensic scan: %s: dictionary of %s: %v", rel, field, err)
			continue
		}
		it := dict.AutomatonIterator(nil, nil, nil)
		for {
			e, err := it.Next()
			if err != nil {
				sc.t.Errorf("forensic scan: %s: terms of %s: %v", rel, field, err)
				break
			}
			if e == nil {
				break
			}
			sc.matchTerm(e.Term, field)
		}
	}
	for num := range seg.Count() {
		err := seg.VisitStoredFields(num, func(field string, _ byte, value []byte, _ []uint64) bool {
			sc.scan(value, fmt.Sprintf("zap stored field %s of doc %d", field, num), 0, 0)
			return true
		})
		if err != nil {
			sc.t.Errorf("forensic scan: %s: stored fields of doc %d: %v", rel, num, err)
		}
	}
}

// matchTerm reports a term that holds a marker (as it is, lowercased, or
// one of its tokens), or else that is a piece of one at least eight
// characters long (an n-gram analyzer keeps pieces of a name).
func (sc *scanner) matchTerm(term, field string) {
	lt := strings.ToLower(term)
	for _, tf := range sc.termForms {
		whole := false
		for _, f := range tf.forms {
			whole = whole || strings.Contains(term, f) || strings.Contains(lt, f)
		}
		switch {
		case whole:
			sc.add("zap term of field "+field, 0, tf.marker)
		case utf8.RuneCountInString(lt) >= 8 && strings.Contains(strings.ToLower(tf.marker), lt):
			sc.add(fmt.Sprintf("zap term of field %s (a piece of the marker: %q)", field, term), 0, tf.marker)
		}
	}
}

// hitsByMarker groups hits by marker, for messages.
func hitsByMarker(hits []hit) map[string][]hit {
	out := map[string][]hit{}
	for _, h := range hits {
		out[h.marker] = append(out[h.marker], h)
	}
	return out
}

// formatHits lists hits one a line, by file, for a failure message.
func formatHits(hits []hit, label map[string]string) string {
	hs := append([]hit(nil), hits...)
	sort.Slice(hs, func(i, j int) bool {
		if hs[i].file != hs[j].file {
			return hs[i].file < hs[j].file
		}
		if hs[i].marker != hs[j].marker {
			return hs[i].marker < hs[j].marker
		}
		return hs[i].form < hs[j].form
	})
	var b strings.Builder
	for _, h := range hs {
		l := label[h.marker]
		if l == "" {
			l = "marker"
		}
		fmt.Fprintf(&b, "  %s (%s)\n", h, l)
	}
	return b.String()
}

// TestForensicScanner_FindsMarkersInEveryForm plants a marker in each form
// a data dir can hold one and requires the scanner to find each in that
// form: what proves that the erasure journeys' zero hits can fail.
func TestForensicScanner_FindsMarkersInEveryForm(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	type planted struct{ name, marker, file, form string }
	var want []planted
	plant := func(name, file, form string) string {
		m := newMarker()
		want = append(want, planted{name, m, file, form})
		return m
	}
	write := func(rel string, b []byte) {
		t.Helper()
		path := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	compress := func(kind string, b []byte) []byte {
		var buf bytes.Buffer
		var w io.WriteCloser
		switch kind {
		case "gzip":
			w = gzip.NewWriter(&buf)
		case "zlib":
			w = zlib.NewWriter(&buf)
		case "deflate":
			w, _ = flate.NewWriter(&buf, flate.BestCompression)
		}
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	note := func(m string) []byte {
		return []byte(`{"kind":"offer.declined","title":"Offer declined","body":"` + m + ` declined your offer for Midwife mentor."}`)
	}

	write("plain/notes.txt", note(plant("plain file", "plain/notes.txt", "raw")))
	html := plant("JSON-escaped (<, & and é)", "plain/escaped.json", "raw, JSON-escaped") + "<&é>"
	want[len(want)-1].marker = html
	b, _ := json.Marshal(map[string]string{"name": html})
	write("plain/escaped.json", b)
	ascii := plant("JSON-escaped, ASCII only", "plain/ascii.json", "raw, JSON-escaped, ASCII only") + "é"
	want[len(want)-1].marker = ascii
	write("plain/ascii.json", []byte(`{"name":"`+asciiJSONEscape(ascii)+`"}`))
	for _, kind := range []string{"gzip", "zlib", "deflate"} {
		file := "compressed/note." + kind
		write(file, compress(kind, note(plant(kind+" file", file, kind))))
	}
	// As FerretDB keeps an inbox page: BSON binary compressed with DEFLATE,
	// as base64 in the row's JSON.
	page := base64.StdEncoding.EncodeToString(compress("deflate", note(plant("base64 DEFLATE in a JSON row", "ferretdb/rows.json", "base64 > deflate"))))
	snap := base64.StdEncoding.EncodeToString(snappy.Encode(nil, note(plant("base64 snappy in a JSON row", "ferretdb/rows.json", "base64 > snappy"))))
	zl := base64.StdEncoding.EncodeToString(compress("zlib", note(plant("base64 zlib in a JSON row", "ferretdb/rows.json", "base64 > zlib"))))
	write("ferretdb/rows.json", []byte(`{"_id":"u1:0","items":{"$b":"`+page+`","s":0}}`+"\n"+
		`{"_id":"u2:0","items":{"$b":"`+snap+`","s":0}}`+"\n"+`{"_id":"u3:0","items":{"$b":"`+zl+`","s":0}}`))

	// SQLite: a row whose base64 DEFLATE value spans many overflow pages,
	// the marker at the end of the stream, checkpointed into the database
	// file; a second one left in the WAL.
	sqlPath := filepath.Join(dir, "ferretdb", "sankofa.sqlite")
	db, err := sql.Open("sqlite", "file:"+sqlPath+"?_pragma=journal_mode(WAL)&_pragma=secure_delete(on)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	longRow := func(m string) string {
		rng := rand.New(rand.NewPCG(uint64(len(want)), 7))
		var text bytes.Buffer
		for text.Len() < 60000 {
			fmt.Fprintf(&text, "%x ", rng.Uint32()%50000)
		}
		text.WriteString(m + " declined your offer.")
		return `{"_id":"u9:0","items":{"$b":"` + base64.StdEncoding.EncodeToString(compress("deflate", text.Bytes())) + `","s":0}}`
	}
	inFile := plant("base64 DEFLATE over SQLite overflow pages", "ferretdb/sankofa.sqlite", "sqlite record (overflow pages joined) > base64 > deflate")
	inWAL := plant("base64 DEFLATE over SQLite overflow pages in the WAL", "ferretdb/sankofa.sqlite-wal", "sqlite record (overflow pages joined) > base64 > deflate")
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{"CREATE TABLE inbox_pages (_ferretdb_sjson TEXT)", nil},
		{"INSERT INTO inbox_pages VALUES (?)", []any{longRow(inFile)}},
		{"PRAGMA wal_checkpoint(TRUNCATE)", nil},
		{"INSERT INTO inbox_pages VALUES (?)", []any{longRow(inWAL)}},
	} {
		if _, err := db.Exec(q.sql, q.args...); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}

	// Bleve: a marker in an analysed text field (in the FST only,
	// lowercased) and one in a stored field (snappy-compressed), of a
	// document then deleted; one in the index's internal store (bbolt).
	term := plant("Bleve term of an analysed field, doc deleted", ".zap", "zap term of field bio")
	stored := plant("Bleve stored field, doc deleted", ".zap", "zap stored field src of doc")
	internal := plant("Bleve internal value (bbolt)", "root.bolt", "raw")
	im := bleve.NewIndexMapping()
	dm := bleve.NewDocumentStaticMapping()
	text := bleve.NewTextFieldMapping()
	text.Analyzer = "standard"
	text.Store, text.IncludeTermVectors, text.DocValues = false, false, false
	dm.AddFieldMappingsAt("bio", text)
	src := bleve.NewTextFieldMapping()
	src.Index, src.Store, src.IncludeTermVectors, src.DocValues = false, true, false, false
	dm.AddFieldMappingsAt("src", src)
	im.DefaultMapping = dm
	idxPath := filepath.Join(dir, "search", "profiles")
	idx, err := bleve.New(idxPath, im)
	if err != nil {
		t.Fatal(err)
	}
	batch := idx.NewBatch()
	_ = batch.Index("gone", map[string]any{"bio": "Trained with " + term + " in Tamale", "src": `{"full_name":"Ama ` + stored + `"}`})
	_ = batch.Index("kept", map[string]any{"bio": "Another midwife", "src": `{"full_name":"Efua Asante"}`})
	if err := idx.Batch(batch); err != nil {
		t.Fatal(err)
	}
	if err := idx.SetInternal([]byte("note"), []byte(internal)); err != nil {
		t.Fatal(err)
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	if idx, err = bleve.Open(idxPath); err != nil {
		t.Fatal(err)
	}
	if err := idx.Delete("gone"); err != nil {
		t.Fatal(err)
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}

	never := newMarker()
	var markers []string
	label := map[string]string{never: "never planted"}
	for _, p := range want {
		markers = append(markers, p.marker)
		label[p.marker] = p.name
	}
	hits := scanForMarkers(t, dir, append(markers, never))
	by := hitsByMarker(hits)
	for _, p := range want {
		found := false
		for _, h := range by[p.marker] {
			found = found || strings.HasSuffix(h.file, p.file) && strings.HasPrefix(h.form, p.form)
		}
		if !found {
			t.Errorf("%s: marker %q not found in %s as %q; found:\n%s", p.name, p.marker, p.file, p.form, formatHits(by[p.marker], label))
		}
	}
	// The overflow rows and the term are found only by reading the
	// structure: the bytes alone do not hold them.
	for _, m := range []string{inFile, inWAL, term} {
		for _, h := range by[m] {
			if !strings.HasPrefix(h.form, "sqlite record") && !strings.HasPrefix(h.form, "zap term") {
				t.Errorf("%s: found as %s, which the bytes alone should not show: the planting is wrong", label[m], h)
			}
		}
	}
	if len(by[never]) > 0 {
		t.Errorf("a marker never planted is found:\n%s", formatHits(by[never], label))
	}
	if t.Failed() {
		t.Logf("every hit:\n%s", formatHits(hits, label))
	}
}
