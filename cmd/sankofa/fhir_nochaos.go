//go:build !chaos

package main

// chaosExportPage returns 0, the default batch size of FHIR exports: only
// the chaos build can change it (see fhir_chaos.go).
func chaosExportPage() int { return 0 }
