package sankofa

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// DecodeJSON decodes one JSON value from data into v, rejecting unknown
// fields, trailing data and type mismatches with an invalid *Error that
// names the field.
func DecodeJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &Error{Code: Invalid, Message: "the body must hold a single JSON value"}
	}
	return nil
}

func decodeError(err error) error {
	var (
		syntax  *json.SyntaxError
		typeErr *json.UnmarshalTypeError
	)
	switch {
	case errors.Is(err, io.EOF):
		return &Error{Code: Invalid, Message: "the body is empty; a JSON object is expected"}
	case errors.As(err, &syntax):
		return &Error{Code: Invalid, Message: fmt.Sprintf("malformed JSON at byte %d", syntax.Offset)}
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "body"
		}
		return &Error{Code: Invalid, Message: "the request has invalid fields",
			Fields: []FieldError{{Field: field, Message: "must be " + jsonKind(typeErr.Type.Kind().String())}}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, uerr := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		if uerr != nil || name == "" {
			name = "body"
		}
		return &Error{Code: Invalid, Message: "the request has invalid fields",
			Fields: []FieldError{{Field: name, Message: "is not a known field"}}}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &Error{Code: Invalid, Message: "the JSON body ends too early"}
	}
	return &Error{Code: Invalid, Message: "malformed JSON"}
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	case "struct", "map", "ptr":
		return "an object"
	}
	return "a number"
}

// MergePatch applies an RFC 7396 JSON merge patch to the JSON document
// doc. It returns an invalid *Error when the patch is malformed or not an
// object (Sankofa's resources are objects, so only object patches apply).
func MergePatch(doc, patch []byte) ([]byte, error) {
	var target, p any
	if err := json.Unmarshal(doc, &target); err != nil {
		return nil, fmt.Errorf("merge patch: document: %w", err)
	}
	if err := json.Unmarshal(patch, &p); err != nil {
		return nil, decodeError(err)
	}
	if _, ok := p.(map[string]any); !ok {
		return nil, &Error{Code: Invalid, Message: "a merge patch must be a JSON object"}
	}
	return json.Marshal(mergeValue(target, p))
}

func mergeValue(target, patch any) any {
	pm, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	tm, ok := target.(map[string]any)
	if !ok {
		tm = map[string]any{}
	}
	for k, v := range pm {
		if v == nil {
			delete(tm, k)
			continue
		}
		tm[k] = mergeValue(tm[k], v)
	}
	return tm
}
