package sankofa

import "time"

// ErasedID stands, in records a ministry keeps (offers, interest), for a
// professional who erased their account: the facts stay, the person goes.
const ErasedID = "erased"

// Erasure is a person's erasure in progress (GDPR Art. 17). It is written
// before anything is deleted and removed once every copy is gone, so that
// an erasure cut short by a crash is finished at the next start.
//
// Needles are the strings that identify the person in records that are
// not theirs: their ids, name and e-mail as other people's notifications,
// the event stream and the dead letters may hold them. They are kept only
// while the erasure runs; the record's own deletion is covered by the
// same secure deletion as everything else.
type Erasure struct {
	AccountID string    `json:"account_id" bson:"_id"`
	ProfileID string    `json:"profile_id,omitempty" bson:"profile_id,omitempty"`
	Role      Role      `json:"role" bson:"role"`
	ActorID   string    `json:"actor_id" bson:"actor_id"`
	Email     string    `json:"-" bson:"email"`
	Needles   []string  `json:"-" bson:"needles"`
	Countries []string  `json:"-" bson:"countries,omitempty"`
	CreatedAt time.Time `json:"created_at" bson:"created_at"`
}

// ErasedNotice is the title and body that replace, in someone else's
// notification, one that named a person who erased their account.
func ErasedNotice(locale string) (title, body string) {
	switch locale {
	case "fr":
		return "Professionnel effacé", "Cette notification concernait un professionnel qui a depuis effacé son compte."
	case "pt":
		return "Profissional apagado", "Esta notificação referia-se a um profissional que entretanto apagou a sua conta."
	}
	return "Erased professional", "This notification was about a professional who has since erased their account."
}
