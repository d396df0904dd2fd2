//go:build chaos

package main

import (
	"os"
	"strconv"
)

// chaosExportPage is how many profiles a FHIR export batch holds,
// SANKOFA_CHAOS_FHIR_PAGE, so that a journey can kill the process in the
// middle of an export of the demo data; 0 (unset) keeps the default. Only
// the chaos build reads it.
func chaosExportPage() int {
	n, _ := strconv.Atoi(os.Getenv("SANKOFA_CHAOS_FHIR_PAGE"))
	return n
}
