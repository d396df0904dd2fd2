package notifier

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"sankofa"
)

// HookStore lists a ministry's webhooks and reads its account, whose
// status decides whether anything is delivered.
type HookStore interface {
	Webhooks(ctx context.Context, accountID string) ([]sankofa.Webhook, error)
	Account(ctx context.Context, id string) (*sankofa.Account, error)
}

// webhookPayload is the body of a webhook delivery.
type webhookPayload struct {
	Event      string          `json:"event"`
	ID         string          `json:"id"`
	OccurredAt time.Time       `json:"occurred_at"`
	Data       json.RawMessage `json:"data"`
}

// Hooks delivers ministry-facing events to the ministry's webhooks; it is
// the handler of the shared "webhooks" consumer. A delivery that fails
// for a reason worth retrying fails the handler, and JetStream redelivers
// the event with back-off; every webhook of the ministry then receives it
// again under the same Sankofa-Delivery id, which receivers use to drop
// duplicates. Only an active ministry's hooks are called: the account is
// read before each delivery, so a suspension also ends a delivery that is
// being retried.
type Hooks struct {
	store   HookStore
	deliver *Deliverer
}

// NewHooks builds the webhook handler; d's metrics count its refusals.
func NewHooks(store HookStore, d *Deliverer) *Hooks { return &Hooks{store: store, deliver: d} }

// Handle delivers one event to the webhooks that asked for it. The events
// of an account that is not active (suspended, pending or deleted) are
// dropped, logged and counted as refused, and Handle returns nil: retrying
// them could only deliver them later, once an administrator lifts the
// suspension, which nobody asked for. It returns an error for a failure
// worth retrying, wrapping ErrPermanent for an event it cannot read.
func (h *Hooks) Handle(ctx context.Context, ev sankofa.Event) error {
	name, ministry, err := webhookEvent(ev)
	if err != nil || name == "" {
		return err
	}
	hooks, err := h.store.Webhooks(ctx, ministry)
	if err != nil {
		return err
	}
	hooks = slices.DeleteFunc(hooks, func(hook sankofa.Webhook) bool { return !hook.Wants(name) })
	if len(hooks) == 0 {
		return nil
	}
	body, err := json.Marshal(webhookPayload{Event: name, ID: ev.ID, OccurredAt: ev.At, Data: ev.Data})
	if err != nil {
		return fmt.Errorf("%w: encode %s: %v", ErrPermanent, ev.ID, err)
	}
	var retry []error
	for i, hook := range hooks {
		why, err := h.refusal(ctx, ministry)
		if err != nil {
			return errors.Join(append(retry, err)...)
		}
		if why != "" {
			h.deliver.log.Info("notifier: webhook event not delivered", "account", ministry, "event", ev.ID,
				"name", name, "reason", why, "hooks", len(hooks)-i)
			for range hooks[i:] {
				h.deliver.metrics.WebhookAttempt("refused")
			}
			return nil
		}
		err = h.deliver.Deliver(ctx, hook, name, ev.ID+"/"+hook.ID, body)
		if err != nil && !errors.Is(err, ErrPermanent) {
			retry = append(retry, err)
		}
	}
	return errors.Join(retry...)
}

// refusal says why an account's events may not be delivered, or "" when
// it is active.
func (h *Hooks) refusal(ctx context.Context, accountID string) (string, error) {
	a, err := h.store.Account(ctx, accountID)
	switch {
	case sankofa.IsCode(err, sankofa.NotFound):
		return "account deleted", nil
	case err != nil:
		return "", fmt.Errorf("notifier: webhooks: read account %s: %w", accountID, err)
	case a.Status != sankofa.StatusActive:
		return "account " + string(a.Status), nil
	}
	return "", nil
}

// webhookEvent names an event as webhooks know it and says which ministry
// it belongs to; name is empty for events no webhook carries.
func webhookEvent(ev sankofa.Event) (name, ministry string, err error) {
	kind, action, _ := strings.Cut(strings.TrimPrefix(ev.Subject, "sankofa."), ".")
	name = kind + "." + action
	switch name {
	case "offer.accepted", "offer.declined", "offer.expired", "offer.withdrawn":
		var o sankofa.Offer
		if err := json.Unmarshal(ev.Data, &o); err != nil {
			return "", "", fmt.Errorf("%w: %s: %v", ErrPermanent, ev.ID, err)
		}
		return name, o.MinistryID, nil
	case "assignment.interest", "assignment.filled":
		var a sankofa.Assignment
		if err := json.Unmarshal(ev.Data, &a); err != nil {
			return "", "", fmt.Errorf("%w: %s: %v", ErrPermanent, ev.ID, err)
		}
		return name, a.MinistryID, nil
	}
	return "", "", nil
}
