package sankofa_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sankofa"
)

func TestDefaultAcceptedProfessions(t *testing.T) {
	for code, want := range map[string][]string{
		"2211": {"2211", "2212"},
		"2212": {"2212"},
		"2221": {"2221"}, // no midwife for a nursing post unless the ministry says so
		"2222": {"2222"},
		"2240": {"2240", "2211", "2212"},
		"3221": {"3221", "2221"},
		"3222": {"3222", "2222"},
		"3253": {"3253"},
		"3212": {"3212"},
	} {
		if diff := cmp.Diff(want, sankofa.DefaultAcceptedProfessions(code)); diff != "" {
			t.Errorf("DefaultAcceptedProfessions(%s) (-want +got):\n%s", code, diff)
		}
	}
	if got := sankofa.DefaultAcceptedProfessions("9999"); got != nil {
		t.Errorf("DefaultAcceptedProfessions(9999) = %v, want nil", got)
	}
	// Every default filler is a health occupation at the post's level or
	// above (ISCO major group 2 above 3), never a sideways code of the same
	// level.
	for code := range sankofa.Occupations {
		d := sankofa.DefaultAcceptedProfessions(code)
		if len(d) == 0 || d[0] != code {
			t.Errorf("DefaultAcceptedProfessions(%s) = %v, want the code first", code, d)
		}
		for _, f := range d[1:] {
			if _, ok := sankofa.Occupations[f]; !ok {
				t.Errorf("DefaultAcceptedProfessions(%s) lists %s, not a health occupation", code, f)
			}
			if f[0] > code[0] || (f[0] == code[0] && !strings.HasPrefix(code, "224") && !(code == "2211" && f == "2212")) {
				t.Errorf("DefaultAcceptedProfessions(%s) lists %s, which is not a higher level", code, f)
			}
		}
	}
	d := sankofa.DefaultAcceptedProfessions("2211")
	d[1] = "0000"
	if sankofa.DefaultAcceptedProfessions("2211")[1] != "2212" {
		t.Error("DefaultAcceptedProfessions returned the table's own slice")
	}
}

func TestAssignmentInput_Accepted(t *testing.T) {
	t.Run("Default", func(t *testing.T) {
		in := sankofa.AssignmentInput{Profession: "2221"}
		if in.Accepts("2222") {
			t.Error("a midwife fills a nursing post without the ministry's say")
		}
		if !in.Accepts("2221") || !in.AcceptsByDefault("2221") {
			t.Error("a nurse does not fill a nursing post")
		}
	})
	t.Run("Listed", func(t *testing.T) {
		in := sankofa.AssignmentInput{Profession: "2221", AcceptedProfessions: []string{"2221", "2222"}}
		if !in.Accepts("2222") || in.AcceptsByDefault("2222") {
			t.Error("a midwife listed by the ministry: want accepted, not by default")
		}
		if in.Accepts("2212") {
			t.Error("a code the ministry did not list is accepted")
		}
	})
	t.Run("NormalizeDefaults", func(t *testing.T) {
		in := sankofa.AssignmentInput{Profession: "3221", AcceptedProfessions: []string{}}
		in.Normalize()
		if diff := cmp.Diff([]string{"3221", "2221"}, in.AcceptedProfessions); diff != "" {
			t.Errorf("Normalize (-want +got):\n%s", diff)
		}
	})
	t.Run("NormalizeKeepsTheMinistrysList", func(t *testing.T) {
		in := sankofa.AssignmentInput{Profession: "2221", AcceptedProfessions: []string{"2221", "2222"}}
		in.Normalize()
		if diff := cmp.Diff([]string{"2221", "2222"}, in.AcceptedProfessions); diff != "" {
			t.Errorf("Normalize (-want +got):\n%s", diff)
		}
	})
}
