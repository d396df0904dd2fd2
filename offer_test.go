package sankofa_test

import (
	"errors"
	"testing"
	"time"

	"sankofa"
)

func TestOffer_Next(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	live := sankofa.Offer{Status: sankofa.OfferPending, ExpiresAt: now.Add(time.Hour)}
	late := sankofa.Offer{Status: sankofa.OfferPending, ExpiresAt: now.Add(-time.Second)}
	accepted := sankofa.Offer{Status: sankofa.OfferAccepted, ExpiresAt: now.Add(time.Hour)}
	declined := sankofa.Offer{Status: sankofa.OfferDeclined, ExpiresAt: now.Add(time.Hour)}
	tests := []struct {
		name    string
		o       sankofa.Offer
		m       sankofa.OfferMove
		want    sankofa.OfferStatus
		changed bool
		code    sankofa.ErrorCode
	}{
		{"Accept", live, sankofa.Accept, sankofa.OfferAccepted, true, ""},
		{"Decline", live, sankofa.Decline, sankofa.OfferDeclined, true, ""},
		{"Withdraw", live, sankofa.Withdraw, sankofa.OfferWithdrawn, true, ""},
		{"AcceptTwiceIsHarmless", accepted, sankofa.Accept, sankofa.OfferAccepted, false, ""},
		{"ErrDeclineAccepted", accepted, sankofa.Decline, "", false, sankofa.Conflict},
		{"ErrAcceptDeclined", declined, sankofa.Accept, "", false, sankofa.Conflict},
		{"ErrAcceptExpired", late, sankofa.Accept, "", false, sankofa.Conflict},
		{"ExpireLate", late, sankofa.Expire, sankofa.OfferExpired, true, ""},
		{"WithdrawLate", late, sankofa.Withdraw, sankofa.OfferWithdrawn, true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, changed, err := tc.o.Next(tc.m, now)
			if tc.code != "" {
				if !sankofa.IsCode(err, tc.code) {
					t.Fatalf("err = %v, want %s", err, tc.code)
				}
				return
			}
			if err != nil || got != tc.want || changed != tc.changed {
				t.Fatalf("got %s %v %v, want %s %v", got, changed, err, tc.want, tc.changed)
			}
		})
	}
}

func TestOfferRequest_Validate(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	soon, far, ok := now.Add(time.Minute), now.Add(100*24*time.Hour), now.Add(48*time.Hour)
	for name, tc := range map[string]struct {
		r     sankofa.OfferRequest
		field string
	}{
		"OK":          {sankofa.OfferRequest{ProfileID: "pro_1", ExpiresAt: &ok}, ""},
		"NoProfile":   {sankofa.OfferRequest{}, "profile_id"},
		"ExpiresSoon": {sankofa.OfferRequest{ProfileID: "pro_1", ExpiresAt: &soon}, "expires_at"},
		"ExpiresLate": {sankofa.OfferRequest{ProfileID: "pro_1", ExpiresAt: &far}, "expires_at"},
		"LongMessage": {sankofa.OfferRequest{ProfileID: "pro_1", Message: string(make([]byte, 3000))}, "message"},
		"InvalidUTF8": {sankofa.OfferRequest{ProfileID: "pro_1", Message: "\xff"}, "message"},
	} {
		t.Run(name, func(t *testing.T) {
			err := tc.r.Validate(now)
			if tc.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var e *sankofa.Error
			if !errors.As(err, &e) || len(e.Fields) == 0 || e.Fields[0].Field != tc.field {
				t.Fatalf("err = %v, want field %s", err, tc.field)
			}
		})
	}
}
