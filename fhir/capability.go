package fhir

import "net/http"

// CapabilityStatement says what Sankofa's FHIR endpoint serves: read and
// search of Practitioner (by identifier) and PractitionerRole (by
// practitioner), and the Bulk Data $export of the whole system and of a
// country's Group. date is when this server started, as a FHIR dateTime;
// software names Sankofa's version.
func CapabilityStatement(baseURL, date, software string) map[string]any {
	read := []map[string]any{{"code": "read"}, {"code": "search-type"}}
	return map[string]any{
		"resourceType": "CapabilityStatement",
		"status":       "active",
		"date":         date,
		"publisher":    "Sankofa",
		"kind":         "instance",
		"instantiates": []string{"http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data"},
		"software":     map[string]any{"name": "Sankofa", "version": software},
		"implementation": map[string]any{
			"description": "Sankofa: diaspora health workers' profiles, shared with the ministries of health they consent to",
			"url":         baseURL,
		},
		"fhirVersion": Version,
		"format":      []string{"application/fhir+json"},
		"rest": []map[string]any{{
			"mode": "server",
			"security": map[string]any{
				"description": "Send a Sankofa access token as 'Authorization: Bearer <token>' (POST /v1/auth/login). " +
					"Approved ministries read the profiles shared with their country; admins read all. " +
					"Contact details (telecom) appear only to a ministry whose offer the worker accepted.",
			},
			"resource": []map[string]any{
				{
					"type":        "Practitioner",
					"interaction": read,
					"searchParam": []map[string]any{{"name": "identifier", "type": "token",
						"documentation": "system|value, the system being " + SystemProfileID + " and the value a Sankofa profile id"}},
				},
				{
					"type":        "PractitionerRole",
					"interaction": []map[string]any{{"code": "search-type"}},
					"searchParam": []map[string]any{{"name": "practitioner", "type": "reference",
						"documentation": "the Practitioner's id, or Practitioner/<id>"}},
				},
				{
					"type": "Group",
					"operation": []map[string]any{{"name": "export",
						"definition":    "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export",
						"documentation": "Group/{country}/$export: the Practitioners shared with the ministries of {country} (ISO 3166-1 alpha-2), for those ministries"}},
				},
			},
			"operation": []map[string]any{{"name": "export",
				"definition":    "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export",
				"documentation": "every Practitioner, for admins"}},
		}},
	}
}

// Bundle is a searchset Bundle of resources, each with its full URL.
func Bundle(self string, fullURLs []string, resources []any) map[string]any {
	entries := make([]map[string]any, len(resources))
	for i, r := range resources {
		entries[i] = map[string]any{"fullUrl": fullURLs[i], "resource": r, "search": map[string]any{"mode": "match"}}
	}
	b := map[string]any{
		"resourceType": "Bundle",
		"type":         "searchset",
		"total":        len(resources),
		"link":         []map[string]any{{"relation": "self", "url": self}},
	}
	if len(entries) > 0 {
		b["entry"] = entries
	}
	return b
}

// issueTypes maps HTTP statuses onto FHIR's issue types.
var issueTypes = map[int]string{
	http.StatusBadRequest:            "invalid",
	http.StatusUnauthorized:          "login",
	http.StatusForbidden:             "forbidden",
	http.StatusNotFound:              "not-found",
	http.StatusMethodNotAllowed:      "not-supported",
	http.StatusNotAcceptable:         "not-supported",
	http.StatusConflict:              "conflict",
	http.StatusGone:                  "deleted",
	http.StatusPreconditionFailed:    "conflict",
	http.StatusRequestEntityTooLarge: "too-costly",
	http.StatusTooManyRequests:       "throttled",
}

// IssueType is the FHIR issue type of an HTTP error status.
func IssueType(status int) string {
	if t, ok := issueTypes[status]; ok {
		return t
	}
	if status >= 500 {
		return "exception"
	}
	return "processing"
}

// OperationOutcome is an error as FHIR reports it: one issue per message,
// of the type IssueType(status); information instead of error below 400.
func OperationOutcome(status int, code string, messages ...string) map[string]any {
	severity := "error"
	if status < 400 {
		severity = "information"
	}
	issues := make([]map[string]any, 0, len(messages))
	for _, m := range messages {
		issue := map[string]any{"severity": severity, "code": IssueType(status), "diagnostics": m}
		if code != "" {
			issue["details"] = map[string]any{"coding": []map[string]any{{"system": Base + "/CodeSystem/error-code", "code": code}}}
		}
		issues = append(issues, issue)
	}
	return map[string]any{"resourceType": "OperationOutcome", "issue": issues}
}
