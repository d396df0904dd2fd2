package notifier

import (
	"encoding/json"
	"fmt"

	"sankofa"
)

func jsonEvent(ev sankofa.Event) ([]byte, error) {
	data, err := json.Marshal(ev)
	if err != nil {
		return nil, fmt.Errorf("notifier: encode %s: %w", ev.ID, err)
	}
	return data, nil
}
