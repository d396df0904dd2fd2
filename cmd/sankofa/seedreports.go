package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"sankofa"
	"sankofa/workflow"
)

// seedReport is a completed demo mission and its published report, in
// the language of its host country, so that the public search shows a
// query in one language finding reports in the others.
type seedReport struct {
	country, lang, title, profession string
	daysAgo                          int // the mission ended this many days ago
	anonymous                        bool
	in                               sankofa.ReportInput
}

var seedReports = []seedReport{
	{country: "GH", lang: "en", title: "Emergency obstetric care mentor, Tamale", profession: "2222", daysAgo: 40, in: sankofa.ReportInput{
		Objectives: "Train the maternity team of Tamale Teaching Hospital in safe caesarean section and in neonatal resuscitation.",
		Activities: "Daily ward rounds, weekly simulation drills of obstetric emergencies, and bedside teaching during caesarean sections.",
		Outcomes: sankofa.ReportOutcomes{PeopleTrained: 24, ProceduresPerformed: 41, ProtocolsWritten: 2,
			Results: "Two protocols adopted (decision-to-delivery interval, neonatal resuscitation checklist); fewer post-operative infections."},
		LessonsLearned:  "Drills stick when they are short and held at the same hour every week; a room set aside for simulation matters.",
		Recommendations: "Keep a simulation corner on the ward and name one midwife to run the weekly drill.",
		Tags:            []string{"caesarean section", "neonatal resuscitation"}}},
	{country: "NG", lang: "en", title: "Paediatric intensive care training, Abuja", profession: "2221", daysAgo: 90, anonymous: true, in: sankofa.ReportInput{
		Objectives: "Set up a sepsis protocol and train nurses and residents in paediatric triage.",
		Activities: "Triage training with the emergency team, audit of sepsis cases, teaching sessions with residents.",
		Outcomes: sankofa.ReportOutcomes{PeopleTrained: 36, ProceduresPerformed: 0, ProtocolsWritten: 1,
			Results: "A paediatric sepsis protocol in use in the emergency unit."},
		LessonsLearned: "Audit first: showing the team its own figures won support for the protocol.",
		Tags:           []string{"triage"}}},
	{country: "SN", lang: "fr", title: "Mentorat en soins obstétricaux d'urgence, Thiès", profession: "2222", daysAgo: 55, in: sankofa.ReportInput{
		Objectives: "Renforcer l'équipe de la maternité de Thiès pour la césarienne et la réanimation néonatale.",
		Activities: "Visites quotidiennes, exercices de simulation hebdomadaires, accompagnement au bloc pendant les césariennes.",
		Outcomes: sankofa.ReportOutcomes{PeopleTrained: 18, ProceduresPerformed: 27, ProtocolsWritten: 1,
			Results: "Un protocole de surveillance après césarienne adopté par le service."},
		LessonsLearned:  "La réanimation néonatale s'apprend mieux en binôme sage-femme et infirmier.",
		Recommendations: "Prévoir une salle de simulation et un créneau fixe chaque semaine.",
		Tags:            []string{"césarienne", "réanimation néonatale"}}},
	{country: "SN", lang: "fr", title: "Formation en anesthésie obstétricale, Dakar", profession: "2221", daysAgo: 120, anonymous: true, in: sankofa.ReportInput{
		Objectives: "Former les équipes d'anesthésie à l'anesthésie pour césarienne.",
		Activities: "Enseignement au bloc opératoire et révision des protocoles d'anesthésie rachidienne.",
		Outcomes: sankofa.ReportOutcomes{PeopleTrained: 9, ProceduresPerformed: 33, ProtocolsWritten: 2,
			Results: "Deux protocoles révisés et une liste de vérification au bloc."},
		LessonsLearned: "Les listes de vérification ne tiennent que si l'équipe les écrit elle-même.",
		Tags:           []string{"anesthésie obstétricale"}}},
	{country: "MZ", lang: "pt", title: "Mentoria em cuidados obstétricos de emergência, Beira", profession: "2222", daysAgo: 70, in: sankofa.ReportInput{
		Objectives: "Formar a equipa da maternidade da Beira em cesariana segura e em reanimação neonatal.",
		Activities: "Visitas diárias à enfermaria, simulações semanais de emergências obstétricas e ensino durante as cesarianas.",
		Outcomes: sankofa.ReportOutcomes{PeopleTrained: 21, ProceduresPerformed: 38, ProtocolsWritten: 1,
			Results: "Um protocolo de vigilância pós-cesariana em uso e menos infeções do local cirúrgico."},
		LessonsLearned:  "Os exercícios precisam de uma sala reservada e de um horário fixo.",
		Recommendations: "Nomear uma parteira responsável pelos exercícios semanais.",
		Tags:            []string{"cesariana", "reanimação neonatal"}}},
	{country: "MZ", lang: "pt", title: "Formação em triagem pediátrica, Maputo", profession: "2221", daysAgo: 150, anonymous: true, in: sankofa.ReportInput{
		Objectives: "Introduzir a triagem pediátrica no serviço de urgência.",
		Activities: "Formação em triagem, auditoria de casos e sessões com os médicos residentes.",
		Outcomes: sankofa.ReportOutcomes{PeopleTrained: 30, ProtocolsWritten: 1,
			Results: "Um protocolo de triagem pediátrica adotado."},
		LessonsLearned: "Começar pela auditoria ajudou a equipa a aceitar o protocolo.",
		Tags:           []string{"triagem"}}},
}

// seedMissionReports adds the completed demo missions, with both sides'
// evaluations and a published report each. The API cannot make a past
// mission (an assignment starts today or later), so they are written to
// the store after the API has seeded the rest: a filled assignment, its
// accepted offer booked on the worker's profile, and the report made by
// the mission operations on a clock set just after the mission's end. It
// returns how many reports it published.
func seedMissionReports(ctx context.Context, cfg Config, log *slog.Logger, data SeedData, today time.Time) (int, error) {
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		return 0, err
	}
	defer a.close()
	used := map[string]bool{}
	n := 0
	for _, sr := range seedReports {
		ministry, worker, err := a.seedPair(ctx, data, sr, used)
		if err != nil {
			return n, err
		}
		if ministry == nil || worker == nil {
			continue
		}
		if err := a.seedMission(ctx, sr, ministry, worker, today); err != nil {
			return n, fmt.Errorf("seed: mission %q: %w", sr.title, err)
		}
		n++
	}
	return n, nil
}

// seedPair finds the host country's ministry and a worker from it of the
// mission's profession.
func (a *app) seedPair(ctx context.Context, data SeedData, sr seedReport, used map[string]bool) (*sankofa.Account, *sankofa.Profile, error) {
	var ministry *sankofa.Account
	for _, m := range data.Ministries {
		if m.Registration.Country == sr.country {
			acc, err := a.store.AccountByEmail(ctx, m.Registration.Email)
			if err != nil {
				return nil, nil, err
			}
			ministry = acc
			break
		}
	}
	for _, p := range data.Professionals {
		if p.Profile.OriginCountry != sr.country || p.Profile.Profession != sr.profession || used[p.Registration.Email] {
			continue
		}
		acc, err := a.store.AccountByEmail(ctx, p.Registration.Email)
		if sankofa.IsCode(err, sankofa.NotFound) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		prof, err := a.store.Profile(ctx, sankofa.ProfileIDFor(acc.ID))
		if sankofa.IsCode(err, sankofa.NotFound) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		used[p.Registration.Email] = true
		return ministry, prof, nil
	}
	return ministry, nil, nil
}

func (a *app) seedMission(ctx context.Context, sr seedReport, ministry *sankofa.Account, p *sankofa.Profile, today time.Time) error {
	end := today.AddDate(0, 0, -sr.daysAgo)
	start := end.AddDate(0, 0, -28)
	at := start.AddDate(0, 0, -30)
	dispatch := a.flow.Dispatcher()
	asg := &sankofa.Assignment{ID: sankofa.NewID("asg"), MinistryID: ministry.ID, Country: sr.country, Organization: ministry.Organization,
		AssignmentInput: sankofa.AssignmentInput{Title: sr.title, Description: sr.in.Objectives, Profession: sr.profession,
			Languages: []sankofa.Language{{Code: sr.lang, Level: "B2"}}, Mode: sankofa.ModeOnsite,
			Start: sankofa.DateOf(start), End: sankofa.DateOf(end), Positions: 1},
		Status: sankofa.AssignmentFilled, Filled: 1, Version: 1, CreatedAt: at, UpdatedAt: at}
	o := &sankofa.Offer{ID: sankofa.NewID("of"), AssignmentID: asg.ID, MinistryID: ministry.ID, ProfileID: p.ID,
		ProfessionalID: p.AccountID, Message: "Would you join us for this mission?",
		Terms:     sankofa.OfferTerms{Title: sr.title, Mode: sankofa.ModeOnsite, Start: asg.Start, End: asg.End},
		ExpiresAt: at.Add(sankofa.DefaultOfferLifetime), Status: sankofa.OfferAccepted, Version: 1, CreatedAt: at, UpdatedAt: at}
	asg.AcceptedOffers = []string{o.ID}
	// "seeded": the notifier and the webhooks let these events pass; the
	// index takes them like any other.
	ev, err := sankofa.NewEvent("assignment", "seeded", asg.ID, 1, ministry.ID, at, asg)
	if err != nil {
		return err
	}
	pe, err := a.store.CreateAssignment(ctx, asg, ev)
	if err != nil {
		return err
	}
	if err := dispatch.Dispatch(ctx, pe); err != nil {
		return err
	}
	if ev, err = sankofa.NewEvent("offer", "seeded", o.ID, 1, ministry.ID, at, o); err != nil {
		return err
	}
	if pe, err = a.store.CreateOffer(ctx, o, ev); err != nil {
		return err
	}
	if err := dispatch.Dispatch(ctx, pe); err != nil {
		return err
	}
	p.Commitments = append(p.Commitments, sankofa.Commitment{OfferID: o.ID, AssignmentID: asg.ID, Terms: o.Terms})
	p.Version++
	if ev, err = sankofa.NewEvent("profile", "booked", p.ID, p.Version, p.AccountID, at, p); err != nil {
		return err
	}
	if pe, err = a.store.SaveProfile(ctx, p, ev); err != nil {
		return err
	}
	if err := dispatch.Dispatch(ctx, pe); err != nil {
		return err
	}

	// The mission ended: both sides evaluate it, the worker reports, and
	// both consent, a few days apart.
	clock := end.AddDate(0, 0, 2)
	m := a.missionsAt(func() time.Time { return clock })
	if _, err := m.Evaluate(ctx, o, p.AccountID, sankofa.EvaluationInput{ObjectivesMet: 4, Preparation: 4, Support: 3}); err != nil {
		return err
	}
	if _, err := m.Evaluate(ctx, o, ministry.ID, sankofa.EvaluationInput{ObjectivesMet: 5, Preparation: 4, Support: 4}); err != nil {
		return err
	}
	in := sr.in
	in.Language, in.Anonymous = sr.lang, sr.anonymous
	clock = clock.AddDate(0, 0, 5)
	if _, err := m.CreateReport(ctx, o, p.AccountID, in); err != nil {
		return err
	}
	if _, err := m.Consent(ctx, o, p.AccountID, true); err != nil {
		return err
	}
	clock = clock.AddDate(0, 0, 3)
	_, err = m.Consent(ctx, o, ministry.ID, true)
	return err
}

// missionsAt are the mission operations on another clock, for the seed.
func (a *app) missionsAt(now func() time.Time) *workflow.Missions {
	return workflow.NewMissions(workflow.MissionDeps{
		Offers: a.store, Reports: a.store, Accounts: a.store, Profiles: a.store, Assignments: a.store,
		OfferIndex: a.index, ReportIndex: a.reports, Events: a.bus, Matcher: a.match, Logger: a.log, Now: now,
	})
}
