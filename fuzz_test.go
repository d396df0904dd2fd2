package sankofa_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"sankofa"
)

// requireInvalid fails unless err is nil or an invalid *sankofa.Error whose
// fields all have a message.
func requireInvalid(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *sankofa.Error
	if !errors.As(err, &e) {
		t.Fatalf("%s: error %v is a %T, not a *sankofa.Error", what, err, err)
	}
	if code := sankofa.ErrorCodeOf(err); code != sankofa.Invalid {
		t.Fatalf("%s: error code = %q, want %q (%v)", what, code, sankofa.Invalid, err)
	}
	if e.Message == "" {
		t.Fatalf("%s: error has no message", what)
	}
	for _, f := range e.Fields {
		// f.Field may be empty: DecodeJSON reports an unknown key "" as
		// field "" (see the report); only the message is required here.
		if f.Message == "" {
			t.Fatalf("%s: field error %+v lacks a message", what, f)
		}
	}
	_ = err.Error()
}

func mustMarshal(f *testing.F, v any) []byte {
	f.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		f.Fatal(err)
	}
	return b
}

// commonSeeds are bodies that stress the decoder whatever the target type.
var commonSeeds = []string{
	``, ` `, `{}`, `null`, `[]`, `[{}]`, `"{}"`, `0`, `true`, `{`, `}`, `{"`, `{} {}`, `{}x`, `{},`,
	`{"a":1}`, `{"__proto__":{}}`, `{"":""}`,
	strings.Repeat(`[`, 10001), strings.Repeat(`{"a":`, 5000) + `1` + strings.Repeat(`}`, 5000),
	"{\"full_name\":\"\xff\xfe\"}", "\xef\xbb\xbf{}", "{\"title\":\"\\ud800\"}", "\x00",
	`{"positions":1e400}`, `{"positions":-1e400}`, `{"positions":99999999999999999999999}`,
	`{"years_experience":-9223372036854775809}`, `{"email":null,"password":null}`,
}

func FuzzDecodeProfileInput(f *testing.F) {
	valid := validProfile()
	f.Add(mustMarshal(f, valid))
	stale := validProfile()
	stale.Availability = append(stale.Availability, sankofa.Window{From: "2020-01-01", To: "2020-02-01"})
	stale.ShareWith = nil
	f.Add(mustMarshal(f, stale))
	born := validProfile()
	born.CountryOfBirth, born.Citizenships, born.CountryOfTraining = "GH", []string{"GH", "GB"}, "GB"
	f.Add(mustMarshal(f, born))
	for _, s := range commonSeeds {
		f.Add([]byte(s))
	}
	for _, s := range []string{
		`{"full_name":"Ama","shoe_size":42}`,
		`{"full_name":42}`, `{"years_experience":"8"}`, `{"years_experience":1.5}`,
		`{"modes":"onsite"}`, `{"modes":[1]}`, `{"modes":["hybrid","onsite","onsite"]}`,
		`{"languages":{"code":"en"}}`, `{"languages":[{"code":"en","level":"C2"},{"code":"en","level":"Z9"}]}`,
		`{"languages":[null]}`, `{"contact":[]}`, `{"contact":null}`, `{"contact":{"phone":1}}`,
		`{"contact":{"email":"a@b.c","extra":true}}`,
		`{"availability":[{"from":"2026-12-01","to":"2099-12-31"}]}`,
		`{"availability":[{"from":"2026-02-30","to":"2026-02-31"}]}`,
		`{"availability":[{"from":null,"to":"2026-11-26"}]}`,
		`{"availability":[[]]}`, `{"licences":[{"expires":20270101}]}`,
		`{"share_with":null,"origin_country":"GH"}`, `{"share_with":["UK","gh","GH","GH"]}`,
		`{"country_of_birth":"gh"}`, `{"country_of_birth":null}`, `{"country_of_training":["GB"]}`,
		`{"citizenships":"GH"}`, `{"citizenships":["GH","GH"]}`, `{"citizenships":["GH","NG","GB","FR","US","CA"]}`,
		`{"citizenships":[null]}`, `{"citizenships":[]}`, `{"country_of_training":"XX"}`,
		`{"timezone":"Local"}`, `{"timezone":"../../../../etc/passwd"}`, `{"timezone":"Mars/Olympus"}`,
		`{"virtual_hours_per_week":1e400}`, `{"virtual_hours_per_week":-0}`, `{"alerts":"true"}`,
		`{"FULL_NAME":"case folded","Full_Name":"again"}`, `{"bio":"` + strings.Repeat("é", 2001) + `"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var in sankofa.ProfileInput
		if err := sankofa.DecodeJSON(data, &in); err != nil {
			requireInvalid(t, "DecodeJSON", err)
			return
		}
		in.DropEndedWindows(today)
		in.Normalize()
		_ = in.Score()
		err := in.Validate(today)
		requireInvalid(t, "Validate", err)
		if err != nil {
			return
		}
		// A valid, normalized profile must survive a JSON round trip
		// unchanged and still be valid.
		out, merr := json.Marshal(in)
		if merr != nil {
			t.Fatalf("Marshal(valid profile): %v", merr)
		}
		var back sankofa.ProfileInput
		if derr := sankofa.DecodeJSON(out, &back); derr != nil {
			t.Fatalf("DecodeJSON(Marshal(valid profile)) = %v\n%s", derr, out)
		}
		back.DropEndedWindows(today)
		back.Normalize()
		if diff := cmp.Diff(in, back); diff != "" {
			t.Fatalf("round trip changed the profile (-before +after):\n%s", diff)
		}
		if verr := back.Validate(today); verr != nil {
			t.Fatalf("round-tripped profile no longer valid: %v", verr)
		}
	})
}

func FuzzDecodeAssignmentInput(f *testing.F) {
	f.Add(mustMarshal(f, validAssignment()))
	zero := validAssignment()
	zero.Positions = 0
	zero.Languages = nil
	f.Add(mustMarshal(f, zero))
	for _, s := range commonSeeds {
		f.Add([]byte(s))
	}
	for _, s := range []string{
		`{"title":"Mentor","unknown":1}`, `{"title":["Mentor"]}`, `{"positions":"2"}`, `{"positions":0}`,
		`{"positions":-5}`, `{"positions":1001}`, `{"mode":"hybrid","virtual_hours_per_week":0}`,
		`{"mode":"remote"}`, `{"mode":null}`, `{"location":"Accra"}`, `{"location":{"region":1}}`,
		`{"location":{"city":"Accra"}}`, `{"start":"2027-01-04","end":"2026-01-04"}`,
		`{"start":"2026-11-27","end":"2026-11-27"}`, `{"start":"2026-11-27","end":"2030-11-27"}`,
		`{"licence_required":1}`, `{"min_years_experience":1e2}`, `{"required_skills":[null,""]}`,
		`{"languages":[{"code":"EN","level":"c1"}]}`, `{"description":"` + strings.Repeat("d", 10001) + `"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in := sankofa.NewAssignmentInput()
		if err := sankofa.DecodeJSON(data, &in); err != nil {
			requireInvalid(t, "DecodeJSON", err)
			return
		}
		in.Normalize()
		err := in.ValidateNew(today)
		requireInvalid(t, "ValidateNew", err)
		if err != nil {
			return
		}
		if in.Positions == 0 {
			t.Fatal("an assignment with 0 positions was accepted")
		}
		out, merr := json.Marshal(in)
		if merr != nil {
			t.Fatalf("Marshal(valid assignment): %v", merr)
		}
		var back sankofa.AssignmentInput
		if derr := sankofa.DecodeJSON(out, &back); derr != nil {
			t.Fatalf("DecodeJSON(Marshal(valid assignment)) = %v\n%s", derr, out)
		}
		back.Normalize()
		if diff := cmp.Diff(in, back); diff != "" {
			t.Fatalf("round trip changed the assignment (-before +after):\n%s", diff)
		}
	})
}

func FuzzDecodeRegistration(f *testing.F) {
	f.Add(mustMarshal(f, validRegistration(sankofa.RoleProfessional)))
	f.Add(mustMarshal(f, validRegistration(sankofa.RoleMinistry)))
	for _, s := range commonSeeds {
		f.Add([]byte(s))
	}
	for _, s := range []string{
		`{"email":"a@b.co","password":"0123456789","name":"A","role":"admin"}`,
		`{"email":" a@b.co ","password":"0123456789","name":"A","role":"professional","country":"UK"}`,
		`{"email":"A <a@b.co>","password":"short","name":"","role":"ministry"}`,
		`{"email":["a@b.co"]}`, `{"role":1}`, `{"password":12345678901}`, `{"is_admin":true}`,
		`{"email":"a@b.co","password":"` + strings.Repeat("ɛ", 129) + `","name":"A","role":"professional"}`,
		"{\"email\":\"a\xff@b.co\",\"password\":\"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\"}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var r sankofa.Registration
		if err := sankofa.DecodeJSON(data, &r); err != nil {
			requireInvalid(t, "DecodeJSON", err)
			return
		}
		err := r.Validate()
		requireInvalid(t, "Validate", err)
		if err == nil && r.Role != sankofa.RoleProfessional && r.Role != sankofa.RoleMinistry {
			t.Fatalf("registration with role %q accepted", r.Role)
		}
		var c sankofa.Credentials
		if err := sankofa.DecodeJSON(data, &c); err != nil {
			requireInvalid(t, "DecodeJSON(credentials)", err)
			return
		}
		requireInvalid(t, "Credentials.Validate", c.Validate())
	})
}

func FuzzMergePatch(f *testing.F) {
	doc := mustMarshal(f, validProfile())
	for _, p := range []string{
		`{}`, `{"bio":null}`, `{"bio":"new"}`, `{"contact":null}`, `{"contact":{"phone":null}}`,
		`{"languages":[{"code":"fr","level":"C1"}]}`, `{"a":{"b":{"c":{"d":null}}}}`, `{"modes":null,"modes":["virtual"]}`,
		`null`, `[]`, `"x"`, `1`, `true`, ``, `{`, `{"a":1} {}`, `{"a":1e400}`, `{"a":-1e400}`,
		`{"a":123456789012345678901234567890}`, strings.Repeat(`{"a":`, 3000) + `1` + strings.Repeat(`}`, 3000),
		strings.Repeat(`[`, 10001), "{\"bio\":\"\xff\"}", "{\"\xff\":1}", `{"bio":"\ud800"}`,
		`{"full_name":"<script>&amp;</script>"}`,
	} {
		f.Add(doc, []byte(p))
	}
	f.Add([]byte(`{"e":null}`), []byte(`{"a":1}`))
	f.Add([]byte(`[1,2]`), []byte(`{"a":"b","c":null}`))
	f.Add([]byte(`{}`), []byte(`{"a":{"bb":{"ccc":null}}}`))
	f.Add([]byte(`null`), []byte(`{"a":1}`))
	f.Add([]byte(`{"n":1e308}`), []byte(`{"m":-1e-320}`))
	f.Fuzz(func(t *testing.T, doc, patch []byte) {
		var stored any
		if json.Unmarshal(doc, &stored) != nil {
			// The document comes from storage, not from the client.
			return
		}
		out, err := sankofa.MergePatch(doc, patch)
		if err != nil {
			requireInvalid(t, "MergePatch", err)
			if out != nil {
				t.Fatalf("MergePatch returned %q with error %v", out, err)
			}
			return
		}
		if !json.Valid(out) {
			t.Fatalf("MergePatch result is not valid JSON: %q", out)
		}
		if !utf8.Valid(out) {
			t.Fatalf("MergePatch result is not UTF-8: %q", out)
		}
		var m map[string]any
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatalf("MergePatch result is not an object: %s (%v)", out, err)
		}
		// A merge patch is idempotent.
		again, err := sankofa.MergePatch(out, patch)
		if err != nil {
			t.Fatalf("second MergePatch failed: %v", err)
		}
		var a, b any
		_ = json.Unmarshal(out, &a)
		_ = json.Unmarshal(again, &b)
		if diff := cmp.Diff(a, b); diff != "" {
			t.Fatalf("MergePatch is not idempotent (-once +twice):\n%s", diff)
		}
	})
}

func FuzzValidators(f *testing.F) {
	for _, s := range []string{
		"", "GH", "UK", "XX", "gh", "en", "EN", "xx", "Africa/Accra", "UTC", "Local", "Mars/Olympus",
		"Etc/GMT+5", "../../etc/passwd", "/etc/localtime", "Europe/London\x00", strings.Repeat("A/", 40),
		"+233201234567", "+0", "+١٢٣٤٥٦٧٨", "ama@example.com", "Ama <ama@example.com>", "a@b", "@", "@@",
		"\"a b\"@example.com", "a@[127.0.0.1]", "=?utf-8?q?ama?= <a@b.co>", strings.Repeat("a", 300) + "@b.co",
		"2026-11-27", "2026-02-29", "2028-02-29", "9999-99-99", "0000-00-00", "2026-11-27\n", "\xff\xfe",
		"é", "\u0000", "２０２６-１１-２７",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if sankofa.ValidCountry(s) && (len(s) != 2 || strings.ToUpper(s) != s) {
			t.Fatalf("ValidCountry(%q) accepted a non-alpha-2 code", s)
		}
		if sankofa.ValidLanguage(s) && (len(s) != 2 || strings.ToLower(s) != s) {
			t.Fatalf("ValidLanguage(%q) accepted a non-ISO-639-1 code", s)
		}
		if sankofa.ValidTimeZone(s) && (s == "Local" || strings.Contains(s, "..") || strings.HasPrefix(s, "/")) {
			t.Fatalf("ValidTimeZone(%q) accepted a non-IANA name", s)
		}
		if sankofa.ValidPhone(s) && (!strings.HasPrefix(s, "+") || len(s) > 16) {
			t.Fatalf("ValidPhone(%q) accepted a non-E.164 number", s)
		}
		if sankofa.ValidEmail(s) && (len(s) > 254 || !strings.Contains(s, "@") || strings.ContainsAny(s, " <>\r\n\t")) {
			t.Fatalf("ValidEmail(%q) accepted a bad address", s)
		}
		_ = sankofa.NormalizeEmail(s)
		if tm, ok := sankofa.Date(s).Time(); ok {
			if got := sankofa.DateOf(tm); got != sankofa.Date(s) {
				t.Fatalf("DateOf(Date(%q).Time()) = %q", s, got)
			}
		}
		_ = sankofa.CEFRRank(s)
	})
}

// FuzzDecodeOfferBodies covers the bodies of the offer workflow and of
// PATCH /v1/me: decoding and validation refuse bad input with an invalid
// error and never panic, and what they accept is within bounds.
func FuzzDecodeOfferBodies(f *testing.F) {
	for _, s := range commonSeeds {
		f.Add([]byte(s))
	}
	for _, s := range []string{
		`{"profile_id":"pro_1","message":"Come","expires_at":"2027-01-01T00:00:00Z"}`,
		`{"profile_id":"","expires_at":"1970-01-01T00:00:00Z"}`, `{"expires_at":"tomorrow"}`,
		`{"reason":"busy"}`, `{"reason":"` + strings.Repeat("é", 501) + `"}`,
		`{"name":"Ama","locale":"fr"}`, `{"locale":"fr-CA"}`, `{"name":"` + strings.Repeat("x", 201) + `"}`,
	} {
		f.Add([]byte(s))
	}
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		var o sankofa.OfferRequest
		if err := sankofa.DecodeJSON(data, &o); err != nil {
			requireInvalid(t, "DecodeJSON(offer)", err)
		} else if err := o.Validate(now); err != nil {
			requireInvalid(t, "OfferRequest.Validate", err)
		} else if o.ProfileID == "" || (o.ExpiresAt != nil && (o.ExpiresAt.Before(now) || o.ExpiresAt.After(now.Add(91*24*time.Hour)))) {
			t.Fatalf("offer request accepted out of bounds: %+v", o)
		}
		var d sankofa.DeclineRequest
		if err := sankofa.DecodeJSON(data, &d); err != nil {
			requireInvalid(t, "DecodeJSON(decline)", err)
		} else {
			requireInvalid(t, "DeclineRequest.Validate", d.Validate())
		}
		var p sankofa.AccountPatch
		if err := sankofa.DecodeJSON(data, &p); err != nil {
			requireInvalid(t, "DecodeJSON(account patch)", err)
		} else if err := p.Validate(); err != nil {
			requireInvalid(t, "AccountPatch.Validate", err)
		} else if !slices.Contains(sankofa.Locales, p.Locale) {
			t.Fatalf("account patch accepted locale %q", p.Locale)
		}
	})
}
