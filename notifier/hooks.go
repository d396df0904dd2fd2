package notifier

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"sankofa"
)

// HookStore lists a ministry's webhooks.
type HookStore interface {
	Webhooks(ctx context.Context, accountID string) ([]sankofa.Webhook, error)
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
// duplicates.
type Hooks struct {
	store   HookStore
	deliver *Deliverer
}

// NewHooks builds the webhook handler.
func NewHooks(store HookStore, d *Deliverer) *Hooks { return &Hooks{store: store, deliver: d} }

// Handle delivers one event to the webhooks that asked for it.
func (h *Hooks) Handle(ctx context.Context, ev sankofa.Event) error {
	name, ministry, err := webhookEvent(ev)
	if err != nil || name == "" {
		return err
	}
	hooks, err := h.store.Webhooks(ctx, ministry)
	if err != nil {
		return err
	}
	body, err := json.Marshal(webhookPayload{Event: name, ID: ev.ID, OccurredAt: ev.At, Data: ev.Data})
	if err != nil {
		return fmt.Errorf("%w: encode %s: %v", ErrPermanent, ev.ID, err)
	}
	var retry []error
	for _, hook := range hooks {
		if !hook.Wants(name) {
			continue
		}
		err := h.deliver.Deliver(ctx, hook, name, ev.ID+"/"+hook.ID, body)
		if err != nil && !errors.Is(err, ErrPermanent) {
			retry = append(retry, err)
		}
	}
	return errors.Join(retry...)
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
