package disclosure

// WithoutComplement returns r with complementary suppression turned off,
// for the attack test's negative control.
func WithoutComplement(r Rules) Rules { r.noComplement = true; return r }
