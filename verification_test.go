package sankofa_test

import (
	"testing"
	"time"

	"sankofa"
)

func TestKeepVerifications(t *testing.T) {
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	validated := &sankofa.Verification{Status: sankofa.VerificationValidated, Method: sankofa.MethodDocument, VerifiedAt: &at, NextReview: "2027-11-01"}
	old := []sankofa.Licence{
		{ID: "lic_a", Country: "GH", Body: "NMC Ghana", Number: "RM-1", Expires: "2029-01-01", Verification: validated},
		{Country: "GB", Body: "NMC", Number: "12A", Expires: "2028-01-01"}, // stored before ids existed
	}
	cases := []struct {
		name   string
		in     []sankofa.Licence
		status []sankofa.VerificationStatus
		field  string // a field error expected, or ""
	}{
		{"sent back as read", []sankofa.Licence{old[0], old[1]}, []sankofa.VerificationStatus{"validated", "unverified"}, ""},
		{"without ids or verification", []sankofa.Licence{{Country: "GH", Body: "NMC Ghana", Number: "RM-1", Expires: "2029-01-01"}},
			[]sankofa.VerificationStatus{"validated"}, ""},
		{"new number", []sankofa.Licence{{ID: "lic_a", Country: "GH", Body: "NMC Ghana", Number: "RM-2", Expires: "2029-01-01"}},
			[]sankofa.VerificationStatus{"unverified"}, ""},
		{"new expiry, verification echoed", []sankofa.Licence{{ID: "lic_a", Country: "GH", Body: "NMC Ghana", Number: "RM-1", Expires: "2030-01-01", Verification: validated}},
			[]sankofa.VerificationStatus{"unverified"}, ""},
		{"forged", []sankofa.Licence{{Country: "GB", Body: "NMC", Number: "12A", Expires: "2028-01-01", Verification: validated}},
			nil, "licences[0].verification"},
		{"unknown id", []sankofa.Licence{{ID: "lic_x", Country: "GB", Body: "NMC", Number: "12A", Expires: "2028-01-01"}},
			nil, "licences[0].id"},
		{"id twice", []sankofa.Licence{old[0], old[0]}, nil, "licences[1].id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := sankofa.ProfileInput{Licences: c.in}
			err := in.KeepVerifications(old)
			if c.field != "" {
				var e *sankofa.Error
				if !asError(err, &e) || len(e.Fields) == 0 || e.Fields[0].Field != c.field {
					t.Fatalf("err %v, want a field error on %s", err, c.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for i, l := range in.Licences {
				if l.ID == "" || l.Verification == nil || l.Verification.Status != c.status[i] {
					t.Errorf("licence %d: %+v, want an id and %s", i, l, c.status[i])
				}
			}
		})
	}
}

func asError(err error, target **sankofa.Error) bool {
	e, ok := err.(*sankofa.Error)
	*target = e
	return ok
}

func TestVerificationStatusOf(t *testing.T) {
	l := sankofa.Licence{Expires: "2028-01-01", Verification: &sankofa.Verification{Status: sankofa.VerificationValidated, NextReview: "2027-01-01"}}
	for day, want := range map[sankofa.Date]sankofa.VerificationStatus{
		"2026-12-31": sankofa.VerificationValidated, "2027-01-01": sankofa.VerificationValidated,
		"2027-01-02": sankofa.VerificationRevalidate, "2028-02-01": sankofa.VerificationRevalidate,
	} {
		if got := l.VerificationStatusOf(day); got != want {
			t.Errorf("on %s: %s, want %s", day, got, want)
		}
	}
	if got := (&sankofa.Licence{}).VerificationStatusOf("2026-01-01"); got != sankofa.VerificationUnverified {
		t.Errorf("no verification reads %s", got)
	}
}

func FuzzVerificationDecision(f *testing.F) {
	for _, s := range []string{
		`{"status":"validated","method":"document","note":""}`,
		`{"status":"val-fail","method":"attestation","note":"No such number."}`,
		`{"status":"validated","method":"primary-source","note":"","next_review":"2027-06-01"}`,
		`{"status":"req-revalid","method":"document","next_review":"2026-01-01"}`,
		`{"status":"in-process","method":"x"}`, `{"status":1}`, `{"note":null}`, `{}`, `[]`, `{"next_review":"2027-02-30"}`,
	} {
		f.Add([]byte(s), "2027-01-01")
	}
	f.Fuzz(func(t *testing.T, data []byte, expires string) {
		var d sankofa.VerificationDecision
		if err := sankofa.DecodeJSON(data, &d); err != nil {
			requireInvalid(t, "DecodeJSON", err)
			return
		}
		l := sankofa.Licence{ID: "lic_a", Country: "GH", Body: "NMC Ghana", Number: "RM-1", Expires: sankofa.Date(expires)}
		err := d.Validate(&l, today)
		requireInvalid(t, "Validate", err)
		if err != nil {
			return
		}
		d.Apply(&l, "acc_1", time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))
		if l.Verification.Status != d.Status || l.Verification.VerifiedAt == nil {
			t.Fatalf("applied %+v gives %+v", d, l.Verification)
		}
		if d.Status == sankofa.VerificationValidated && (l.Verification.NextReview == "" || l.VerificationStatusOf(today) != sankofa.VerificationValidated && l.Expires >= today) {
			t.Fatalf("validated %+v reads %s today", l.Verification, l.VerificationStatusOf(today))
		}
	})
}
