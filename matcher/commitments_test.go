package matcher

import (
	"slices"
	"testing"

	"sankofa"
)

func TestFree_CutsCommitmentsOut(t *testing.T) {
	a := &sankofa.Assignment{ID: "as_new", AssignmentInput: sankofa.AssignmentInput{Mode: sankofa.ModeOnsite, Start: "2027-03-01", End: "2027-03-31"}}
	p := &sankofa.Profile{ProfileInput: sankofa.ProfileInput{
		Availability:        []sankofa.Window{{From: "2027-02-01", To: "2027-04-30"}},
		VirtualHoursPerWeek: 10,
	}}
	p.Commitments = []sankofa.Commitment{
		{AssignmentID: "as_old", Terms: sankofa.OfferTerms{Mode: sankofa.ModeOnsite, Start: "2027-03-10", End: "2027-03-20"}},
		{AssignmentID: "as_v", Terms: sankofa.OfferTerms{Mode: sankofa.ModeVirtual, Start: "2027-01-01", End: "2027-03-05", VirtualHoursPerWeek: 4}},
		{AssignmentID: "as_far", Terms: sankofa.OfferTerms{Mode: sankofa.ModeVirtual, Start: "2028-01-01", End: "2028-03-05", VirtualHoursPerWeek: 4}},
	}
	f := Free(a, p)
	want := []sankofa.Window{{From: "2027-02-01", To: "2027-03-09"}, {From: "2027-03-21", To: "2027-04-30"}}
	if !slices.Equal(f.Availability, want) {
		t.Errorf("availability = %v, want %v", f.Availability, want)
	}
	if f.VirtualHoursPerWeek != 6 {
		t.Errorf("virtual hours = %d, want 6 (only the overlapping commitment counts)", f.VirtualHoursPerWeek)
	}
	if OverlapDays(a, f) != 20 {
		t.Errorf("overlap = %d days, want 20", OverlapDays(a, f))
	}
	if len(p.Availability) != 1 || p.VirtualHoursPerWeek != 10 {
		t.Error("Free changed its argument")
	}
	// A commitment to the assignment itself does not hide the worker from it.
	a.ID = "as_old"
	if f := Free(a, p); OverlapDays(a, f) != 31 {
		t.Errorf("own commitment counted: overlap %d", OverlapDays(a, f))
	}
}
