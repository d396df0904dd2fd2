package sankofa_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"sankofa"
)

func TestProfileInput_ValidateBirthCitizenshipTraining(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(in *sankofa.ProfileInput)
		field []string
	}{
		{"OK", func(in *sankofa.ProfileInput) {
			in.CountryOfBirth, in.Citizenships, in.CountryOfTraining = "GH", []string{"GH", "GB"}, "GB"
		}, nil},
		{"OKAbsent", func(in *sankofa.ProfileInput) {}, nil},
		{"ErrBirth", func(in *sankofa.ProfileInput) { in.CountryOfBirth = "gh" }, []string{"country_of_birth"}},
		{"ErrTraining", func(in *sankofa.ProfileInput) { in.CountryOfTraining = "XX" }, []string{"country_of_training"}},
		{"ErrCitizenship", func(in *sankofa.ProfileInput) { in.Citizenships = []string{"GH", "UK", "GH"} },
			[]string{"citizenships[1]", "citizenships[2]"}},
		{"ErrTooMany", func(in *sankofa.ProfileInput) { in.Citizenships = []string{"GH", "NG", "GB", "FR", "US", "CA"} },
			[]string{"citizenships"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validProfile()
			tt.edit(&in)
			err := in.Validate(today)
			var got []string
			if e, ok := err.(*sankofa.Error); ok {
				for _, f := range e.Fields {
					got = append(got, f.Field)
				}
			} else if err != nil {
				t.Fatalf("Validate = %v, want an *Error", err)
			}
			if diff := cmp.Diff(tt.field, got); diff != "" {
				t.Fatalf("fields (-want +got):\n%s", diff)
			}
		})
	}
}
