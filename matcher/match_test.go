package matcher_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"sankofa"
	"sankofa/matcher"
)

var matchNow = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// icuPost is the scenario of the issue: a Senegalese intensive-care
// nursing post.
func icuPost(accepted ...string) *sankofa.Assignment {
	return &sankofa.Assignment{ID: "asg-icu", Country: "SN", AssignmentInput: sankofa.AssignmentInput{
		Title: "Infirmier diplômé d'État – soins intensifs", Profession: "2221", AcceptedProfessions: accepted,
		Specialties: []string{"soins intensifs"}, RequiredSkills: []string{"ventilation mécanique", "réanimation"},
		Languages: []sankofa.Language{{Code: "fr", Level: "B2"}}, Mode: sankofa.ModeVirtual, VirtualHoursPerWeek: 8,
		Start: "2027-01-04", End: "2027-03-26", Positions: 1,
	}}
}

func worker(id, prof string, specialties, skills []string) *sankofa.Profile {
	in := sankofa.ProfileInput{FullName: id, Profession: prof, Specialties: specialties, Skills: skills,
		Languages: []sankofa.Language{{Code: "fr", Level: "C2"}}, Modes: []sankofa.Mode{sankofa.ModeVirtual},
		VirtualHoursPerWeek: 10, ShareWith: []string{"SN"}, YearsExperience: 8, Timezone: "Africa/Dakar"}
	in.Normalize()
	return &sankofa.Profile{ID: id, ProfileInput: in, UpdatedAt: matchNow}
}

func TestMatcher_CheckPolicy(t *testing.T) {
	m := matcher.New(matcher.Default())
	midwife := worker("midwife", "2222", []string{"biologie médicale"}, nil)
	nurse := worker("nurse", "2221", []string{"soins intensifs"}, []string{"ventilation mécanique"})
	t.Run("ErrSidewaysByDefault", func(t *testing.T) {
		if got := m.Check(icuPost(), midwife, true); !slices.Contains(got, matcher.ConstraintProfession) {
			t.Errorf("Check(default policy, midwife) = %v, want profession", got)
		}
		if got := m.Check(icuPost("2221"), midwife, true); !slices.Contains(got, matcher.ConstraintProfession) {
			t.Errorf("Check([2221], midwife) = %v, want profession", got)
		}
	})
	t.Run("OKListedByTheMinistry", func(t *testing.T) {
		if got := m.Check(icuPost("2221", "2222"), midwife, true); len(got) != 0 {
			t.Errorf("Check([2221 2222], midwife) = %v, want none", got)
		}
	})
	t.Run("OKOwnProfession", func(t *testing.T) {
		if got := m.Check(icuPost(), nurse, true); len(got) != 0 {
			t.Errorf("Check(nurse) = %v, want none", got)
		}
	})
	t.Run("ErrNotListed", func(t *testing.T) {
		// A ministry may narrow the default: a generalist post for
		// generalists only.
		a := icuPost()
		a.Profession, a.AcceptedProfessions = "2211", []string{"2211"}
		if got := m.Check(a, worker("spec", "2212", nil, nil), true); !slices.Contains(got, matcher.ConstraintProfession) {
			t.Errorf("Check([2211], specialist) = %v, want profession", got)
		}
	})
}

func TestMatcher_ScoreExplainsSubstitution(t *testing.T) {
	m := matcher.New(matcher.Default())
	a := icuPost("2221", "2222")
	af := m.AssignmentFeatures(&a.AssignmentInput)
	midwife := worker("midwife", "2222", []string{"soins intensifs"}, []string{"ventilation mécanique"})
	pf := m.ProfileFeatures(&midwife.ProfileInput)
	for lang, want := range map[string]string{
		"en": "Can fill this post as a midwifery professional (accepted by the ministry)",
		"fr": "Peut occuper ce poste en tant que sage-femme (accepté par le ministère)",
		"pt": "Pode ocupar este posto como parteira/o (enfermagem obstétrica) (aceite pelo ministério)",
		"de": "Can fill this post as a midwifery professional (accepted by the ministry)",
	} {
		_, ex := m.Score(a, af, midwife, pf, matchNow, lang)
		if !slices.Contains(ex.Reasons, want) {
			t.Errorf("%s: reasons %q, want %q", lang, ex.Reasons, want)
		}
		if ex.Substitution == nil || ex.Substitution.Profession != "2222" || ex.Substitution.By != matcher.SubstitutionMinistry {
			t.Errorf("%s: substitution %+v", lang, ex.Substitution)
		}
	}
	// A higher qualification in the same field, by default.
	g := icuPost()
	g.Profession, g.AcceptedProfessions = "3221", nil
	gf := m.AssignmentFeatures(&g.AssignmentInput)
	nurse := worker("nurse", "2221", []string{"soins intensifs"}, nil)
	_, ex := m.Score(g, gf, nurse, m.ProfileFeatures(&nurse.ProfileInput), matchNow, "en")
	if ex.Substitution == nil || ex.Substitution.By != matcher.SubstitutionDefault ||
		!slices.Contains(ex.Reasons, "Can fill this post as a nursing professional (a higher qualification in the same field)") {
		t.Errorf("default substitution: %+v %q", ex.Substitution, ex.Reasons)
	}
	// No substitution, no sentence about one.
	own := worker("own", "2221", nil, nil)
	_, ex = m.Score(a, af, own, m.ProfileFeatures(&own.ProfileInput), matchNow, "fr")
	if ex.Substitution != nil || !slices.ContainsFunc(ex.Reasons, func(r string) bool { return strings.HasPrefix(r, "Profession correspondante") }) {
		t.Errorf("own profession: %+v %q", ex.Substitution, ex.Reasons)
	}
}

// TestMatcher_RankEvidenceFirst: a worker whose specialty and skills share
// nothing with the post ranks after every worker with evidence of the
// competence asked for, however well she meets the rest.
func TestMatcher_RankEvidenceFirst(t *testing.T) {
	m := matcher.New(matcher.Default())
	a := icuPost("2221", "2222")
	af := m.AssignmentFeatures(&a.AssignmentInput)
	bare := worker("a-midwife-biology", "2222", []string{"biologie médicale"}, []string{"microscopie"})
	bare.YearsExperience, bare.OriginCountry = 30, "SN"
	bare.Licences = []sankofa.Licence{{Country: "SN", Body: "ONSS", Number: "1", Expires: "2030-01-01"}}
	cands := []matcher.ProfileCandidate{{Profile: bare, Active: true}}
	for i := range 12 {
		// Some evidence: one of the two required skills, little experience.
		w := worker("z-nurse-"+string(rune('a'+i)), "2221", nil, []string{"gestion des voies aériennes"})
		w.YearsExperience = 0
		w.UpdatedAt = matchNow.AddDate(-2, 0, 0)
		cands = append(cands, matcher.ProfileCandidate{Profile: w, Active: true})
	}
	for i := range cands {
		cands[i].Features = m.ProfileFeatures(&cands[i].Profile.ProfileInput)
	}
	ranked := m.RankProfiles(a, af, cands, matchNow, "en")
	if len(ranked) != len(cands) {
		t.Fatalf("ranked %d of %d", len(ranked), len(cands))
	}
	last := ranked[len(ranked)-1]
	if last.Profile.ID != bare.ID || last.Explanation.Evidence || last.Score >= matcher.EvidenceTier {
		t.Errorf("last is %s (score %v, evidence %v); want %s below %v", last.Profile.ID, last.Score, last.Explanation.Evidence, bare.ID, matcher.EvidenceTier)
	}
	for _, r := range ranked[:len(ranked)-1] {
		if !r.Explanation.Evidence || r.Score < matcher.EvidenceTier {
			t.Errorf("%s: evidence %v score %v", r.Profile.ID, r.Explanation.Evidence, r.Score)
		}
	}
}

func TestReasonCatalogue(t *testing.T) {
	for code := range sankofa.Occupations {
		for _, lang := range matcher.Languages {
			if got := matcher.OccupationAs(code, lang); got == "" || got == code {
				t.Errorf("OccupationAs(%s, %s) = %q", code, lang, got)
			}
		}
	}
}
