package notifier

import (
	"context"
	"errors"

	"sankofa"
)

// verificationEvent is what a profile's verification event carries: the
// profile, and the licence concerned.
type verificationEvent struct {
	sankofa.Profile
	LicenceID string `json:"licence_id"`
}

// verification tells the verifiers of the licence's country that a worker
// asks for verification, or the worker what a verifier decided.
func (f *Fanout) verification(ctx context.Context, ev sankofa.Event, action string, v *verificationEvent) error {
	var l *sankofa.Licence
	for i := range v.Licences {
		if v.Licences[i].ID == v.LicenceID {
			l = &v.Licences[i]
		}
	}
	if l == nil || l.Verification == nil {
		return nil // nothing to say about a licence the event does not hold
	}
	params := map[string]string{"professional": v.FullName, "body": l.Body, "country": l.Country,
		"status": string(l.Verification.Status), "note": l.Verification.Note}
	data := map[string]string{"profile_id": v.ID, "licence_id": l.ID}
	// The event carries the worker's name; once they erased their account
	// it is not to be passed on.
	worker, err := f.dir.Account(ctx, v.AccountID)
	if sankofa.IsCode(err, sankofa.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if action == "verification_decided" {
		return f.deliver(ctx, worker, sankofa.NoteVerifyDecided, ev.ID, params, data)
	}
	verifiers, err := f.dir.Verifiers(ctx, l.Country)
	if err != nil {
		return err
	}
	var errs []error
	for _, to := range verifiers {
		errs = append(errs, f.deliver(ctx, to, sankofa.NoteVerifyRequested, ev.ID, params, data))
	}
	return errors.Join(errs...)
}
