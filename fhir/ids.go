package fhir

import (
	"regexp"
	"strings"

	"sankofa"
)

// validID is FHIR's id type: up to 64 letters, digits, "-" and ".".
var validID = regexp.MustCompile(`^[A-Za-z0-9\-.]{1,64}$`)

// sankofaID is what Sankofa's ids are made of (see sankofa.NewID): a
// prefix, "_" and base32; never "-" or ".".
var sankofaID = regexp.MustCompile(`^[A-Za-z0-9_]{1,64}$`)

// ID maps a Sankofa id onto a FHIR id by writing its "_" as "-":
// "pro_06f3x" is "pro-06f3x". Sankofa's ids never hold "-", so the map is
// reversible (see SankofaID). An id that holds anything but letters,
// digits and "_", or is longer than 64, has no FHIR id: invalid.
func ID(id string) (string, error) {
	if !sankofaID.MatchString(id) {
		return "", sankofa.Errorf(sankofa.Invalid, "%q has no FHIR id", id)
	}
	return strings.ReplaceAll(id, "_", "-"), nil
}

// SankofaID is the inverse of ID. A FHIR id that ID cannot have made
// (one with "."), or no FHIR id at all, is not_found: no resource has it.
func SankofaID(fhirID string) (string, error) {
	if !validID.MatchString(fhirID) || strings.Contains(fhirID, ".") {
		return "", sankofa.Errorf(sankofa.NotFound, "no resource has the id %q", fhirID)
	}
	return strings.ReplaceAll(fhirID, "-", "_"), nil
}

// ValidID reports whether s is a FHIR id.
func ValidID(s string) bool { return validID.MatchString(s) }
