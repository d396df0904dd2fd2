package sankofa

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Webhook is a ministry's subscription: Sankofa POSTs the chosen events to
// URL, signed with Secret.
type Webhook struct {
	ID        string `json:"id" bson:"id"`
	AccountID string `json:"-" bson:"account_id"`
	URL       string `json:"url" bson:"url"`
	// Events are names from WebhookEvents.
	Events []string `json:"events" bson:"events"`
	// Secret keys the HMAC signature. The API shows it once, on creation;
	// see Redacted.
	Secret    string    `json:"secret,omitempty" bson:"secret"`
	CreatedAt time.Time `json:"created_at" bson:"created_at"`
}

// Redacted returns a copy of w without its secret, for listing.
func (w Webhook) Redacted() Webhook {
	w.Secret = ""
	w.Events = slices.Clone(w.Events)
	return w
}

// Wants reports whether w subscribes to event.
func (w Webhook) Wants(event string) bool { return slices.Contains(w.Events, event) }

// WebhookEvents lists the events a ministry may subscribe to: what happens
// to its offers and assignments.
var WebhookEvents = []string{
	"offer.accepted",
	"offer.declined",
	"offer.expired",
	"offer.withdrawn",
	"assignment.interest",
	"assignment.filled",
}

// Limits on webhooks.
const (
	// MaxWebhooks is how many webhooks one ministry may register.
	MaxWebhooks = 20
	// MaxWebhookEvents is how many events one webhook may subscribe to.
	MaxWebhookEvents = 10
	// MaxWebhookURL is the longest URL accepted, in bytes.
	MaxWebhookURL = 2048
)

// WebhookRequest is the body of a new webhook.
type WebhookRequest struct {
	URL    string   `json:"url"`
	Events []string `json:"events"`
}

// Validate checks the syntax of a webhook request; it returns an invalid
// *Error. Whether the URL may be reached (https, public address) depends on
// the deployment and is checked by the notifier's address policy.
func (r *WebhookRequest) Validate() error {
	var p Problems
	if msg := webhookURLProblem(r.URL); msg != "" {
		p.Add("url", "%s", msg)
	}
	switch {
	case len(r.Events) == 0:
		p.Add("events", "must name at least one event")
	case len(r.Events) > MaxWebhookEvents:
		p.Add("events", "must name at most %d events", MaxWebhookEvents)
	default:
		seen := make(map[string]bool, len(r.Events))
		for i, ev := range r.Events {
			field := fmt.Sprintf("events[%d]", i)
			switch {
			case !slices.Contains(WebhookEvents, ev):
				p.Add(field, "must be one of %s", strings.Join(WebhookEvents, ", "))
			case seen[ev]:
				p.Add(field, "is listed twice")
			}
			seen[ev] = true
		}
	}
	return p.Err()
}

// CheckWebhookURL returns an invalid *Error on field "url" unless raw is a
// syntactically acceptable webhook URL (see WebhookRequest.Validate).
func CheckWebhookURL(raw string) error {
	var p Problems
	if msg := webhookURLProblem(raw); msg != "" {
		p.Add("url", "%s", msg)
	}
	return p.Err()
}

// webhookURLProblem says what is wrong with the syntax of a webhook URL,
// or returns "".
func webhookURLProblem(raw string) string {
	if raw == "" {
		return "is required"
	}
	if len(raw) > MaxWebhookURL {
		return fmt.Sprintf("must be at most %d characters", MaxWebhookURL)
	}
	if strings.ContainsAny(raw, " \t\r\n\\") {
		return "must not contain spaces or backslashes"
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "must be an absolute http or https URL"
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return "must be an absolute http or https URL"
	case u.Opaque != "" || u.Host == "" || u.Hostname() == "":
		return "must name a host"
	case u.User != nil:
		return "must not carry a user name or password; authenticate with the signature instead"
	case u.Fragment != "" || strings.HasSuffix(raw, "#"):
		return "must not have a fragment"
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return "has an invalid port"
		}
	}
	return ""
}

// NewWebhookSecret returns a random signing secret such as "whsec_3f9a...".
func NewWebhookSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return "whsec_" + hex.EncodeToString(b[:])
}
