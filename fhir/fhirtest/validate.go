// Package fhirtest validates what Sankofa produces as FHIR against the
// official FHIR R4 JSON schema vendored in fhir/testdata, for tests only:
// the server itself never loads the schema.
package fhirtest

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

var (
	once   sync.Once
	schema *jsonschema.Schema
	err    error
)

// SchemaPath is where the vendored fhir.schema.json is.
func SchemaPath() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata", "fhir.schema.json")
}

func load() (*jsonschema.Schema, error) {
	once.Do(func() {
		var f *os.File
		if f, err = os.Open(SchemaPath()); err != nil {
			return
		}
		defer f.Close()
		var doc any
		if doc, err = jsonschema.UnmarshalJSON(f); err != nil {
			return
		}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft6)
		const url = "http://hl7.org/fhir/json-schema/4.0/fhir.schema.json"
		if err = c.AddResource(url, doc); err != nil {
			return
		}
		schema, err = c.Compile(url)
	})
	return schema, err
}

// Check returns why raw (one JSON resource) breaks the FHIR R4 schema, or
// nil.
func Check(raw []byte) error {
	s, err := load()
	if err != nil {
		return fmt.Errorf("fhirtest: load the schema: %w", err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("fhirtest: not JSON: %w", err)
	}
	return s.Validate(v)
}

// Valid fails the test when raw, one JSON resource, breaks the FHIR R4
// schema.
func Valid(tb testing.TB, raw []byte) {
	tb.Helper()
	if err := Check(raw); err != nil {
		tb.Fatalf("not valid FHIR R4: %v\n%s", err, raw)
	}
}

// ValidNDJSON fails the test when a line of an NDJSON file breaks the
// FHIR R4 schema, and returns the number of lines.
func ValidNDJSON(tb testing.TB, raw []byte) int {
	tb.Helper()
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	n := 0
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		n++
		if err := Check(sc.Bytes()); err != nil {
			tb.Fatalf("line %d is not valid FHIR R4: %v\n%s", n, err, sc.Bytes())
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return n
}
