package sankofa_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"sankofa"
)

func TestMissionOpen(t *testing.T) {
	o := &sankofa.Offer{Status: sankofa.OfferAccepted, Terms: sankofa.OfferTerms{End: "2027-03-15"}}
	for _, c := range []struct {
		today sankofa.Date
		days  int
		want  string
	}{
		{"2027-03-14", 7, sankofa.MissionNotEnded},
		{"2027-03-15", 7, sankofa.MissionNotEnded}, // the end day is still the mission's
		{"2027-03-16", 7, ""},
		{"2027-03-22", 7, ""},
		{"2027-03-23", 7, sankofa.EvaluationClosed},
		{"2027-04-14", 30, ""},
		{"2027-04-15", 30, sankofa.EvaluationClosed},
	} {
		err := sankofa.MissionOpen(o, c.today, c.days, sankofa.EvaluationClosed)
		got := ""
		if me, ok := err.(*sankofa.MissionError); ok {
			got = me.Code
		} else if err != nil {
			t.Fatalf("%s: %v is not a MissionError", c.today, err)
		}
		if got != c.want {
			t.Errorf("MissionOpen on %s within %d days = %q, want %q", c.today, c.days, got, c.want)
		}
	}
	pending := *o
	pending.Status = sankofa.OfferPending
	if err, ok := sankofa.MissionOpen(&pending, "2027-03-16", 7, "x").(*sankofa.MissionError); !ok || err.Code != sankofa.MissionNotAccepted {
		t.Errorf("pending offer: %v", err)
	}
}

// FuzzDecodeReportBodies feeds the report, its patch and the evaluation
// decoders and validators: bad input is an invalid *Error with a message
// per field, never a panic, and what passes keeps its bounds.
func FuzzDecodeReportBodies(f *testing.F) {
	for _, s := range []string{
		`{}`, `null`, `[]`, `{"objectives":"Train","activities":"Drills","lessons_learned":"Plan","language":"fr"}`,
		`{"objectives":"a","activities":"b","lessons_learned":"c","language":"pt","tags":["cesariana"],"outcomes":{"people_trained":12}}`,
		`{"outcomes":{"people_trained":-1,"procedures_performed":1e9}}`, `{"tags":[""]}`, `{"language":"xx-YY"}`,
		`{"objectives":"` + strings.Repeat("é", 4001) + `"}`, `{"objectives_met":5,"preparation":1,"support":3,"comment":"ok"}`,
		`{"objectives_met":0}`, `{"anonymous":"yes"}`, `{"outcomes":null}`, `{"tags":null}`, "{\"objectives\":\"\xff\"}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var in sankofa.ReportInput
		if err := sankofa.DecodeJSON(data, &in); err != nil {
			requireInvalid(t, "DecodeJSON(report)", err)
		} else if err := in.Validate(); err != nil {
			requireInvalid(t, "ReportInput.Validate", err)
		} else {
			o := in.Outcomes
			if strings.TrimSpace(in.Objectives) == "" || !utf8.ValidString(in.Activities) || len(in.Tags) > sankofa.MaxReportTags ||
				o.PeopleTrained < 0 || o.ProceduresPerformed < 0 || o.ProtocolsWritten < 0 || !sankofa.ValidLanguage(in.Language) {
				t.Fatalf("report accepted out of bounds: %+v", in)
			}
		}
		var pt sankofa.ReportPatch
		if err := sankofa.DecodeJSON(data, &pt); err != nil {
			requireInvalid(t, "DecodeJSON(report patch)", err)
		} else {
			next := pt.Apply(sankofa.ReportInput{Objectives: "a", Activities: "b", LessonsLearned: "c", Language: "en"})
			requireInvalid(t, "patched ReportInput.Validate", next.Validate())
		}
		var ev sankofa.EvaluationInput
		if err := sankofa.DecodeJSON(data, &ev); err != nil {
			requireInvalid(t, "DecodeJSON(evaluation)", err)
		} else if err := ev.Validate(); err != nil {
			requireInvalid(t, "EvaluationInput.Validate", err)
		} else if ev.ObjectivesMet < 1 || ev.ObjectivesMet > 5 || ev.Preparation < 1 || ev.Support > 5 {
			t.Fatalf("evaluation accepted out of bounds: %+v", ev)
		}
	})
}
