// Package fhir maps Sankofa's profiles onto HL7 FHIR R4 resources
// (Practitioner, PractitionerRole, CapabilityStatement, Bundle,
// OperationOutcome). It is pure mapping: no I/O, no HTTP.
//
// Sankofa's own extensions, code systems and identifier systems live under
// Base:
//
//	Base/StructureDefinition/language-cefr-level       communication: the CEFR level (valueCode, A1-C2)
//	Base/StructureDefinition/licence-verification      qualification: the licence's verification (sub-extensions status, method, source, verified-at, next-review)
//	Base/StructureDefinition/virtual-hours-per-week    PractitionerRole (videoconference): the weekly hours offered (valueInteger)
//	Base/StructureDefinition/origin-country            Practitioner: the country of origin (valueCoding, ISO 3166)
//	Base/StructureDefinition/country-of-birth          Practitioner: the country of birth, when given (valueCoding, ISO 3166)
//	Base/CodeSystem/licence-verification               the status "unverified", which FHIR's VerificationResult lacks
//	Base/CodeSystem/verification-method                primary-source, document, attestation
//	Base/NamingSystem/profile-id                       the identifier system of a profile's Sankofa id
//	Base/NamingSystem/licence/{country}/{body}         the identifier system of a licence number: the issuing body, its name lower-cased with runs of other characters as "-"
//
// iHRIS 5's extensions are used where iHRIS has one: language proficiency
// (level from v3 LanguageAbilityProficiency, type from v3
// LanguageAbilityMode), nationality (one per citizenship, else the country
// of origin) and residence.
package fhir

// Base is the root of Sankofa's FHIR URLs (extensions, code systems,
// identifier systems).
const Base = "https://sankofa.dev/fhir"

// Sankofa's extension and system URLs; see the package comment.
const (
	ExtCEFR                 = Base + "/StructureDefinition/language-cefr-level"
	ExtLicenceVerification  = Base + "/StructureDefinition/licence-verification"
	ExtVirtualHoursPerWeek  = Base + "/StructureDefinition/virtual-hours-per-week"
	ExtOriginCountry        = Base + "/StructureDefinition/origin-country"
	ExtCountryOfBirth       = Base + "/StructureDefinition/country-of-birth"
	SystemUnverified        = Base + "/CodeSystem/licence-verification"
	SystemVerificationMethd = Base + "/CodeSystem/verification-method"
	SystemProfileID         = Base + "/NamingSystem/profile-id"
	systemLicence           = Base + "/NamingSystem/licence/"
)

// URLs of others' extensions and code systems.
const (
	ExtIHRISLanguageProficiency = "http://ihris.org/fhir/StructureDefinition/ihris-practitioner-language-proficiency"
	ExtIHRISNationality         = "http://ihris.org/fhir/StructureDefinition/ihris-practitioner-nationality"
	ExtIHRISResidence           = "http://ihris.org/fhir/StructureDefinition/ihris-practitioner-residence"
	SystemLanguageProficiency   = "http://terminology.hl7.org/CodeSystem/v3-LanguageAbilityProficiency"
	SystemLanguageMode          = "http://terminology.hl7.org/CodeSystem/v3-LanguageAbilityMode"
	SystemVerificationStatus    = "http://hl7.org/fhir/CodeSystem/status"
	SystemServiceMode           = "http://terminology.hl7.org/CodeSystem/service-mode"
	SystemCountry               = "urn:iso:std:iso:3166"
	SystemLanguage              = "urn:ietf:bcp:47"
	SystemISCO08                = "http://www.ilo.org/public/english/bureau/stat/isco/isco08"
	// ExtCharacteristic is R5's PractitionerRole.characteristic carried
	// into R4 by FHIR's cross-version extension: R4 has no such element.
	ExtCharacteristic = "http://hl7.org/fhir/5.0/StructureDefinition/extension-PractitionerRole.characteristic"
)

// Version is the FHIR version Sankofa speaks: R4, as its official JSON
// schema (fhir/testdata) names it.
const Version = "4.0.0"

// Coding is a code in a system.
type Coding struct {
	System  string `json:"system,omitempty"`
	Code    string `json:"code,omitempty"`
	Display string `json:"display,omitempty"`
}

// CodeableConcept is a concept as codes and text.
type CodeableConcept struct {
	Coding []Coding `json:"coding,omitempty"`
	Text   string   `json:"text,omitempty"`
}

// Identifier is a business identifier.
type Identifier struct {
	System string `json:"system,omitempty"`
	Value  string `json:"value,omitempty"`
}

// Reference points at another resource, by id or by identifier.
type Reference struct {
	Reference  string      `json:"reference,omitempty"`
	Identifier *Identifier `json:"identifier,omitempty"`
	Display    string      `json:"display,omitempty"`
}

// Period is a span of time; Start and End are FHIR dates or dateTimes.
type Period struct {
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
}

// Extension is a FHIR extension; exactly one value, or sub-extensions.
type Extension struct {
	URL           string           `json:"url"`
	Extension     []Extension      `json:"extension,omitempty"`
	ValueCode     string           `json:"valueCode,omitempty"`
	ValueCoding   *Coding          `json:"valueCoding,omitempty"`
	ValueString   string           `json:"valueString,omitempty"`
	ValueDate     string           `json:"valueDate,omitempty"`
	ValueDateTime string           `json:"valueDateTime,omitempty"`
	ValueInteger  *int             `json:"valueInteger,omitempty"`
	ValueRef      *Reference       `json:"valueReference,omitempty"`
	ValueConcept  *CodeableConcept `json:"valueCodeableConcept,omitempty"`
}

// HumanName is a person's name.
type HumanName struct {
	Use  string `json:"use,omitempty"`
	Text string `json:"text,omitempty"`
}

// ContactPoint is an e-mail address or a phone number.
type ContactPoint struct {
	System string `json:"system"`
	Value  string `json:"value"`
	Use    string `json:"use,omitempty"`
}

// Meta holds a resource's version and last change.
type Meta struct {
	VersionID   string `json:"versionId,omitempty"`
	LastUpdated string `json:"lastUpdated,omitempty"`
}

// Qualification is one of a practitioner's licences.
type Qualification struct {
	Extension  []Extension     `json:"extension,omitempty"`
	Identifier []Identifier    `json:"identifier,omitempty"`
	Code       CodeableConcept `json:"code"`
	Period     *Period         `json:"period,omitempty"`
	Issuer     *Reference      `json:"issuer,omitempty"`
}

// Communication is a language a practitioner speaks. FHIR R4 has
// Practitioner.communication as a bare CodeableConcept, so the level rides
// in the concept's extensions, as iHRIS does.
type Communication struct {
	Extension []Extension `json:"extension,omitempty"`
	Coding    []Coding    `json:"coding,omitempty"`
	Text      string      `json:"text,omitempty"`
}

// Practitioner is a FHIR R4 Practitioner.
type Practitioner struct {
	ResourceType  string          `json:"resourceType"`
	ID            string          `json:"id"`
	Meta          *Meta           `json:"meta,omitempty"`
	Extension     []Extension     `json:"extension,omitempty"`
	Identifier    []Identifier    `json:"identifier"`
	Active        bool            `json:"active"`
	Name          []HumanName     `json:"name,omitempty"`
	Telecom       []ContactPoint  `json:"telecom,omitempty"`
	Qualification []Qualification `json:"qualification,omitempty"`
	Communication []Communication `json:"communication,omitempty"`
}

// AvailableTime is a weekly pattern of availability.
type AvailableTime struct {
	DaysOfWeek []string `json:"daysOfWeek,omitempty"`
	AllDay     bool     `json:"allDay,omitempty"`
}

// NotAvailable is a period the practitioner cannot be booked.
type NotAvailable struct {
	Description string  `json:"description"`
	During      *Period `json:"during,omitempty"`
}

// PractitionerRole is a FHIR R4 PractitionerRole: what a practitioner
// offers in one mode of work.
type PractitionerRole struct {
	ResourceType           string            `json:"resourceType"`
	ID                     string            `json:"id"`
	Meta                   *Meta             `json:"meta,omitempty"`
	Extension              []Extension       `json:"extension,omitempty"`
	Active                 bool              `json:"active"`
	Period                 *Period           `json:"period,omitempty"`
	Practitioner           Reference         `json:"practitioner"`
	Code                   []CodeableConcept `json:"code,omitempty"`
	Specialty              []CodeableConcept `json:"specialty,omitempty"`
	AvailableTime          []AvailableTime   `json:"availableTime,omitempty"`
	NotAvailable           []NotAvailable    `json:"notAvailable,omitempty"`
	AvailabilityExceptions string            `json:"availabilityExceptions,omitempty"`
}
