package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"sankofa"
)

// TestAssignments_DefaultPolicy: an assignment stored before
// accepted_professions existed (the field absent from its document) reads
// back with the default policy for its profession, by id and in the scan
// that rebuilds the index; a stated policy is kept.
func TestAssignments_DefaultPolicy(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	now := time.Now().UTC()
	legacy := &sankofa.Assignment{ID: "asg-legacy", MinistryID: "moh", Country: "SN", Status: sankofa.AssignmentOpen, Version: 1,
		CreatedAt: now, UpdatedAt: now, AssignmentInput: sankofa.AssignmentInput{Title: "Infirmier", Profession: "3221", Mode: sankofa.ModeOnsite}}
	stated := &sankofa.Assignment{ID: "asg-stated", MinistryID: "moh", Country: "SN", Status: sankofa.AssignmentOpen, Version: 1,
		CreatedAt: now, UpdatedAt: now, AssignmentInput: sankofa.AssignmentInput{Title: "Infirmier", Profession: "2221",
			AcceptedProfessions: []string{"2221", "2222"}, Mode: sankofa.ModeOnsite}}
	for _, a := range []*sankofa.Assignment{legacy, stated} {
		if _, err := s.CreateAssignment(ctx, a, event(t, "assignment", "created", a.ID, 1, a)); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string][]string{"asg-legacy": {"3221", "2221"}, "asg-stated": {"2221", "2222"}}
	for id, w := range want {
		a, err := s.Assignment(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a.AcceptedProfessions, w) {
			t.Errorf("Assignment(%s).AcceptedProfessions = %v, want %v", id, a.AcceptedProfessions, w)
		}
	}
	err := s.EachAssignment(ctx, func(a *sankofa.Assignment) error {
		if !slices.Equal(a.AcceptedProfessions, want[a.ID]) {
			t.Errorf("EachAssignment: %s accepts %v, want %v", a.ID, a.AcceptedProfessions, want[a.ID])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
