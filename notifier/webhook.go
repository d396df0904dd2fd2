package notifier

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"sankofa"
	"sankofa/metrics"
)

// Headers of a webhook delivery.
const (
	// SignatureHeader carries "t=<unix seconds>,v1=<hex HMAC-SHA256 of
	// "<t>.<body>" keyed by the webhook's secret>"; see Sign.
	SignatureHeader = "Sankofa-Signature"
	// EventHeader names the event, e.g. "offer.accepted".
	EventHeader = "Sankofa-Event"
	// DeliveryHeader identifies the delivery; it is the same on every
	// retry, so a receiver can drop duplicates.
	DeliveryHeader = "Sankofa-Delivery"
)

// Limits on webhook deliveries.
const (
	// MaxWebhookAttempts is how many times one delivery is tried.
	MaxWebhookAttempts = 8
	// MaxWebhookBody is the largest body sent, in bytes.
	MaxWebhookBody = 256 << 10
	// maxResponseRead is how much of a response is read before the
	// connection is given up: receivers should answer with a status only.
	maxResponseRead = 64 << 10
)

// ErrPermanent marks a delivery that retrying will not fix: the receiver
// refused it (4xx other than 408 and 429), redirected it, or its URL may not
// be reached.
var ErrPermanent = errors.New("permanent webhook failure")

// ErrBadSignature is returned, wrapped, by VerifySignature.
var ErrBadSignature = errors.New("webhook signature does not verify")

// StatusError is a delivery answered with a status other than 2xx.
type StatusError struct {
	StatusCode int
	// RetryAfter is the receiver's Retry-After, capped at an hour; zero
	// when absent.
	RetryAfter time.Duration
	// Location is where a redirect pointed.
	Location string
}

// Error implements the error interface.
func (e *StatusError) Error() string {
	msg := "receiver answered " + strconv.Itoa(e.StatusCode) + " " + http.StatusText(e.StatusCode)
	if e.Location != "" {
		msg += " to " + e.Location + " (redirects are not followed; register the final URL)"
	}
	return msg
}

// Sign returns the Sankofa-Signature header value for body sent at t.
func Sign(secret []byte, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(signature(secret, ts, body))
}

func signature(secret []byte, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// VerifySignature is the receiver's side of Sign: it returns an error
// wrapping ErrBadSignature unless header carries a v1 signature of body
// under secret, made within tolerance of now (tolerance 0 skips the time
// check, which a receiver should only do in tests). Several v1 values are
// accepted, so that a secret can be rotated.
func VerifySignature(secret []byte, header string, body []byte, now time.Time, tolerance time.Duration) error {
	var ts string
	var sigs [][]byte
	for part := range strings.SplitSeq(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		switch k {
		case "t":
			ts = v
		case "v1":
			if b, err := hex.DecodeString(v); err == nil && len(b) == sha256.Size {
				sigs = append(sigs, b)
			}
		}
	}
	if ts == "" {
		return fmt.Errorf("%w: no timestamp", ErrBadSignature)
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: bad timestamp %q", ErrBadSignature, ts)
	}
	if len(sigs) == 0 {
		return fmt.Errorf("%w: no v1 signature", ErrBadSignature)
	}
	if tolerance > 0 && now.Sub(time.Unix(sec, 0)).Abs() > tolerance {
		return fmt.Errorf("%w: timestamp %s is more than %s away", ErrBadSignature, ts, tolerance)
	}
	want := signature(secret, ts, body)
	for _, s := range sigs {
		if hmac.Equal(s, want) {
			return nil
		}
	}
	return fmt.Errorf("%w: no signature matches", ErrBadSignature)
}

// webhookDelays are the pauses after each failed attempt; the last repeats.
var webhookDelays = []time.Duration{time.Second, 5 * time.Second, 30 * time.Second, 2 * time.Minute, 10 * time.Minute, time.Hour}

// RetryDelay returns how long to wait after failed attempt number attempt
// (1 for the first) before the next: 1s, 5s, 30s, 2m, 10m, then 1h, each
// within ±20% so that receivers coming back up are not hit all at once.
func RetryDelay(attempt int) time.Duration {
	base := webhookDelays[min(max(attempt, 1), len(webhookDelays))-1]
	return base + time.Duration((rand.Float64()*0.4-0.2)*float64(base))
}

// Deliverer POSTs events to ministries' webhooks.
type Deliverer struct {
	policy  AddressPolicy
	client  *http.Client
	log     *slog.Logger
	metrics *metrics.Metrics
	now     func() time.Time
}

// NewDeliverer returns a Deliverer that checks URLs against policy and
// sends with client, which should come from policy.HTTPClient so that the
// address actually dialed is checked too; nil builds that client with
// DefaultWebhookTimeout. m counts attempts by outcome; nil counts nothing.
func NewDeliverer(policy AddressPolicy, client *http.Client, log *slog.Logger, m *metrics.Metrics) *Deliverer {
	if client == nil {
		client = policy.HTTPClient(DefaultWebhookTimeout)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Deliverer{policy: policy, client: client, log: log, metrics: m, now: time.Now}
}

// Deliver makes one attempt to POST body (JSON) for event to hook, signed
// with hook's secret. deliveryID must be the same on every attempt. It
// returns nil on a 2xx answer; an error wrapping ErrPermanent when retrying
// cannot help (4xx other than 408 and 429, a redirect, a body over
// MaxWebhookBody, or a URL the policy refuses, which also carries an
// invalid *sankofa.Error); any other error is worth retrying after
// RetryDelay. Errors about the answer wrap a *StatusError.
func (d *Deliverer) Deliver(ctx context.Context, hook sankofa.Webhook, event, deliveryID string, body []byte) error {
	fail := func(permanent bool, err error) error {
		d.metrics.WebhookAttempt("failed")
		d.log.Warn("notifier: webhook delivery failed", "webhook", hook.ID, "account", hook.AccountID,
			"event", event, "delivery", deliveryID, "permanent", permanent, "err", err)
		if permanent {
			return fmt.Errorf("notifier: webhook %s delivery %s: %w: %w", hook.ID, deliveryID, ErrPermanent, err)
		}
		return fmt.Errorf("notifier: webhook %s delivery %s: %w", hook.ID, deliveryID, err)
	}
	if len(body) > MaxWebhookBody {
		return fail(true, fmt.Errorf("body of %d bytes exceeds %d", len(body), MaxWebhookBody))
	}
	if _, err := d.policy.parseURL(hook.URL); err != nil {
		return fail(true, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook.URL, bytes.NewReader(body))
	if err != nil {
		return fail(true, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Sankofa-Webhooks/1")
	req.Header.Set(EventHeader, event)
	req.Header.Set(DeliveryHeader, deliveryID)
	req.Header.Set(SignatureHeader, Sign([]byte(hook.Secret), d.now(), body))
	start := time.Now()
	resp, err := d.client.Do(req)
	if err != nil {
		// The dialer's refusal of an address: the name now resolves
		// somewhere it may not go.
		return fail(sankofa.IsCode(err, sankofa.Invalid), err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponseRead))
	code := resp.StatusCode
	if code >= 200 && code < 300 {
		d.metrics.WebhookAttempt("delivered")
		d.log.Debug("notifier: webhook delivered", "webhook", hook.ID, "event", event,
			"delivery", deliveryID, "status", code, "took", time.Since(start))
		return nil
	}
	se := &StatusError{StatusCode: code}
	switch {
	case code >= 300 && code < 400:
		se.Location = resp.Header.Get("Location")
		return fail(true, se)
	case code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500:
		se.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), d.now())
		return fail(false, se)
	default:
		return fail(true, se)
	}
}

// retryAfter reads a Retry-After header (seconds or an HTTP date).
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	var d time.Duration
	if s, err := strconv.Atoi(v); err == nil {
		d = time.Duration(min(s, 3600)) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), time.Hour)
}
