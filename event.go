package sankofa

import (
	"encoding/json"
	"strconv"
	"time"
)

// Event records one change to an entity. It is published to the event bus
// under Subject and de-duplicated there by ID, which is "<entity id>:<version>".
type Event struct {
	ID       string          `json:"id" bson:"id"`
	Subject  string          `json:"subject" bson:"subject"`
	EntityID string          `json:"entity_id" bson:"entity_id"`
	Version  int64           `json:"version" bson:"version"`
	ActorID  string          `json:"actor_id,omitempty" bson:"actor_id,omitempty"`
	At       time.Time       `json:"at" bson:"at"`
	Data     json.RawMessage `json:"data,omitempty" bson:"data,omitempty"`
}

// NewEvent builds the event for entity kind ("profile", "assignment",
// "account") after action ("created", "updated", "deleted", ...), carrying
// a JSON snapshot of the entity.
func NewEvent(kind, action, entityID string, version int64, actorID string, at time.Time, snapshot any) (Event, error) {
	data, err := json.Marshal(snapshot)
	if err != nil {
		return Event{}, err
	}
	return Event{
		ID:       entityID + ":" + strconv.FormatInt(version, 10),
		Subject:  "sankofa." + kind + "." + action,
		EntityID: entityID,
		Version:  version,
		ActorID:  actorID,
		At:       at.UTC(),
		Data:     data,
	}, nil
}
