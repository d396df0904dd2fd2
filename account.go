package sankofa

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what an account may do on the platform.
type Role string

// The roles of an account.
const (
	RoleProfessional Role = "professional"
	RoleMinistry     Role = "ministry"
	RoleAdmin        Role = "admin"
)

// AccountStatus says whether an account may act.
type AccountStatus string

// The states of an account. A ministry starts pending until an admin
// approves it; a suspended account's tokens stop working at once.
const (
	StatusActive    AccountStatus = "active"
	StatusPending   AccountStatus = "pending"
	StatusSuspended AccountStatus = "suspended"
)

// Account is a person or ministry office that signs in.
type Account struct {
	ID           string        `json:"id" bson:"_id"`
	Email        string        `json:"email" bson:"email"`
	Name         string        `json:"name" bson:"name"`
	Role         Role          `json:"role" bson:"role"`
	Status       AccountStatus `json:"status" bson:"status"`
	Country      string        `json:"country,omitempty" bson:"country,omitempty"`
	Organization string        `json:"organization,omitempty" bson:"organization,omitempty"`
	// Locale is the language of the account's notifications: en, fr or pt.
	Locale       string    `json:"locale" bson:"locale"`
	PasswordHash string    `json:"-" bson:"password_hash"`
	Version      int64     `json:"version" bson:"version"`
	CreatedAt    time.Time `json:"created_at" bson:"created_at"`
	UpdatedAt    time.Time `json:"updated_at" bson:"updated_at"`
}

// CanSeeProfiles reports whether the account may look at workers' profiles:
// admins, and ministries an admin has approved.
func (a *Account) CanSeeProfiles() bool {
	return a.Status == StatusActive && (a.Role == RoleAdmin || a.Role == RoleMinistry)
}

// Registration is the body of a sign-up request.
type Registration struct {
	Email        string `json:"email"`
	Password     string `json:"password"`
	Name         string `json:"name"`
	Role         Role   `json:"role"`
	Country      string `json:"country,omitempty"`
	Organization string `json:"organization,omitempty"`
	// Locale is en (the default), fr or pt.
	Locale string `json:"locale,omitempty"`
}

// Password length bounds; the upper bound keeps hashing cost predictable.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 128
)

// Validate checks a registration; it returns an invalid *Error.
func (r *Registration) Validate() error {
	var p Problems
	if !ValidEmail(strings.TrimSpace(r.Email)) {
		p.Add("email", "must be a valid e-mail address")
	}
	if n := utf8.RuneCountInString(r.Password); n < MinPasswordLen || n > MaxPasswordLen {
		p.Add("password", "must be %d to %d characters", MinPasswordLen, MaxPasswordLen)
	}
	checkText(&p, "name", r.Name, 1, 200)
	if r.Locale != "" && !slices.Contains(Locales, r.Locale) {
		p.Add("locale", "must be en, fr or pt")
	}
	// Every field is checked whatever the role, so that one answer names
	// every mistake.
	switch r.Role {
	case RoleMinistry:
		if !ValidCountry(r.Country) {
			p.Add("country", "a ministry needs an ISO 3166-1 alpha-2 country code such as GH")
		}
		checkText(&p, "organization", r.Organization, 2, 200)
	default:
		if r.Role != RoleProfessional {
			p.Add("role", "must be professional or ministry")
		}
		if r.Country != "" && !ValidCountry(r.Country) {
			p.Add("country", "must be an ISO 3166-1 alpha-2 country code such as GH")
		}
		checkText(&p, "organization", r.Organization, 0, 200)
	}
	return p.Err()
}

// Credentials is the body of a login request.
type Credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// Validate checks that both fields are present; it returns an invalid *Error.
func (c *Credentials) Validate() error {
	var p Problems
	if c.Email == "" || len(c.Email) > 254 {
		p.Add("email", "is required")
	}
	if c.Password == "" || len(c.Password) > 4*MaxPasswordLen {
		p.Add("password", "is required")
	}
	return p.Err()
}

// checkText validates the length of a trimmed free-text field.
func checkText(p *Problems, field, s string, minLen, maxLen int) {
	if !utf8.ValidString(s) {
		p.Add(field, "must be valid UTF-8")
		return
	}
	n := utf8.RuneCountInString(strings.TrimSpace(s))
	switch {
	case minLen > 0 && n == 0:
		p.Add(field, "is required")
	case n < minLen:
		p.Add(field, "must be at least %d characters", minLen)
	case n > maxLen:
		p.Add(field, "must be at most %d characters", maxLen)
	}
}

// AccountPatch is what an account holder may change about themselves.
type AccountPatch struct {
	Name   string `json:"name"`
	Locale string `json:"locale"`
}

// Validate checks a patched account; it returns an invalid *Error.
func (p *AccountPatch) Validate() error {
	var pr Problems
	checkText(&pr, "name", p.Name, 1, 200)
	if !slices.Contains(Locales, p.Locale) {
		pr.Add("locale", "must be en, fr or pt")
	}
	return pr.Err()
}
