// Package sankofa holds the domain of the Sankofa platform: the types that
// describe diaspora health workers, ministries and their assignments, the
// validation rules for them, and the error codes every layer shares. It does
// no I/O.
package sankofa

import (
	"errors"
	"fmt"
	"strings"
)

// ErrorCode is a stable, machine-readable error category.
type ErrorCode string

// The error codes every layer uses; the api package maps them to HTTP.
const (
	Invalid            ErrorCode = "invalid"
	Unauthorized       ErrorCode = "unauthorized"
	Forbidden          ErrorCode = "forbidden"
	NotFound           ErrorCode = "not_found"
	Conflict           ErrorCode = "conflict"
	PreconditionFailed ErrorCode = "precondition_failed"
	RateLimited        ErrorCode = "rate_limited"
	Internal           ErrorCode = "internal"
)

// FieldError names one invalid field of a request and why it is invalid.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is a domain error with a code, a human message and, for invalid
// input, the offending fields.
type Error struct {
	Code    ErrorCode
	Message string
	Fields  []FieldError
}

// Error implements the error interface.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("%s: %s", e.Code, e.Message)
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, strings.Join(parts, "; "))
}

// Errorf builds an *Error with a formatted message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCodeOf returns the code of the first *Error in err's chain, or
// Internal when there is none.
func ErrorCodeOf(err error) ErrorCode {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// IsCode reports whether err carries the given code.
func IsCode(err error, code ErrorCode) bool {
	return err != nil && ErrorCodeOf(err) == code
}

// MaxFieldErrors caps the field errors of one answer, so that a large
// body cannot make a larger answer.
const MaxFieldErrors = 50

// Problems collects field errors during validation.
type Problems struct {
	fields  []FieldError
	omitted int
}

// Add records that field is invalid for the given reason. Past
// MaxFieldErrors it only counts.
func (p *Problems) Add(field, format string, args ...any) {
	if len(p.fields) >= MaxFieldErrors {
		p.omitted++
		return
	}
	p.fields = append(p.fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns an invalid *Error listing every field problem (at most
// MaxFieldErrors, with the rest counted in the message), or nil.
func (p *Problems) Err() error {
	if len(p.fields) == 0 {
		return nil
	}
	msg := "the request has invalid fields"
	if p.omitted > 0 {
		msg = fmt.Sprintf("the request has invalid fields; the first %d are listed, %d more were omitted", len(p.fields), p.omitted)
	}
	return &Error{Code: Invalid, Message: msg, Fields: p.fields}
}
