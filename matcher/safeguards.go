package matcher

import (
	"fmt"
	"slices"
	"time"

	"sankofa"
)

// SafeguardSource holds the WHO safeguards list in force and its
// agreements. The matcher asks it on every check, so it must answer from
// memory, never from the database.
type SafeguardSource interface {
	Safeguards() *sankofa.Safeguards
}

// ConstraintSafeguard: the worker resides in a country on the WHO health
// workforce support and safeguards list, and the assignment's ministry may
// not approach them for it (see sankofa.SafeguardList.Check).
const ConstraintSafeguard = "safeguard"

// UseSafeguards makes the matcher apply the safeguards list of src as a
// hard constraint, with now as the clock against which agreements are in
// force (nil: time.Now). Without it no worker is restricted, which only
// tests of other rules rely on. Call it before the matcher is used.
func (m *Matcher) UseSafeguards(src SafeguardSource, now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	m.safe, m.clock = src, now
}

// Safeguards returns the list in force and its agreements; nil when the
// matcher applies none.
func (m *Matcher) Safeguards() *sankofa.Safeguards {
	if m.safe == nil {
		return nil
	}
	return m.safe.Safeguards()
}

// Today is the day agreements must be in force on, by the matcher's clock.
func (m *Matcher) Today() sankofa.Date {
	if m.clock == nil {
		return sankofa.DateOf(time.Now())
	}
	return sankofa.DateOf(m.clock())
}

// Safeguard decides whether the ministry of a's country may approach
// worker p for a, today; the zero decision when no list applies. The
// worker's interest counts when a lists it.
func (m *Matcher) Safeguard(a *sankofa.Assignment, p *sankofa.Profile) sankofa.SafeguardDecision {
	return m.safeguardOn(a, p, m.Today())
}

func (m *Matcher) safeguardOn(a *sankofa.Assignment, p *sankofa.Profile, day sankofa.Date) sankofa.SafeguardDecision {
	s := m.Safeguards()
	if s == nil {
		return sankofa.SafeguardDecision{}
	}
	return s.Check(sankofa.SafeguardInput{
		ResidenceCountry: p.ResidenceCountry, OriginCountry: p.OriginCountry,
		AssignmentCountry: a.Country, Mode: a.Mode,
		Interested: slices.ContainsFunc(a.Interested, func(in sankofa.Interest) bool { return in.ProfileID == p.ID }),
	}, day)
}

// SafeguardError is the refusal of an approach the list forbids, for an
// offer: nil when d does not restrict.
func (m *Matcher) SafeguardError(a *sankofa.Assignment, d sankofa.SafeguardDecision) error {
	if !d.Restricted {
		return nil
	}
	e := &sankofa.SafeguardError{Decision: d, Assignment: a.Country}
	if s := m.Safeguards(); s != nil {
		e.ListURL = s.List.Source
	}
	return e
}

// SafeguardFit is the safeguard part of an explanation: the decision and
// where the list is published. It is present only when the worker resides
// in a listed country.
type SafeguardFit struct {
	sankofa.SafeguardDecision
	ListURL string `json:"list_url"`
}

// safeguardFit is the explanation's part for the decision d, nil when the
// worker does not reside in a listed country.
func (m *Matcher) safeguardFit(d sankofa.SafeguardDecision) *SafeguardFit {
	if !d.Listed {
		return nil
	}
	f := &SafeguardFit{SafeguardDecision: d}
	if s := m.Safeguards(); s != nil {
		f.ListURL = s.List.Source
	}
	return f
}

// safeguardKey names a sentence about the list.
type safeguardKey int

const (
	sgRestricted safeguardKey = iota
	sgHome
	sgOrigin
	sgVirtual
	sgAgreement
	sgInterest
	// sgRefused is the detail of an offer refused under the list.
	sgRefused
	safeguardCount
)

// safeguardText is the catalogue of sentences about the list, per
// language; %[1]s is the worker's country of residence, %[2]s the
// assignment's country.
var safeguardText = map[string][safeguardCount]string{
	"en": {
		sgRestricted: "Lives in %[1]s, on the WHO health workforce support and safeguards list: the ministry of %[2]s may not approach them for on-site work",
		sgHome:       "Lives in %[1]s, on the WHO health workforce support and safeguards list; the work is in %[1]s itself, which the list does not restrict",
		sgOrigin:     "Lives in %[1]s, on the WHO health workforce support and safeguards list; allowed as a return to their country of origin, %[2]s",
		sgVirtual:    "Lives in %[1]s, on the WHO health workforce support and safeguards list; allowed because the work is virtual and they stay in %[1]s",
		sgAgreement:  "Lives in %[1]s, on the WHO health workforce support and safeguards list; allowed under a government-to-government agreement between %[2]s and %[1]s",
		sgInterest:   "Lives in %[1]s, on the WHO health workforce support and safeguards list; allowed because they expressed interest in this assignment first",
		sgRefused: "This worker lives in %[1]s, on the WHO health workforce support and safeguards list. Under the WHO Global Code of Practice, " +
			"the ministry of %[2]s may not approach them for on-site or hybrid work unless they express interest in this assignment first, " +
			"or a government-to-government agreement between %[2]s and %[1]s is recorded. Virtual work and work in their country of origin are not restricted.",
	},
	"fr": {
		sgRestricted: "Réside dans un pays (%[1]s) de la liste OMS d'appui et de sauvegarde des personnels de santé : le ministère du pays %[2]s ne peut pas solliciter cette personne pour une mission sur place",
		sgHome:       "Réside dans un pays (%[1]s) de la liste OMS d'appui et de sauvegarde des personnels de santé ; la mission a lieu dans ce même pays, ce que la liste ne restreint pas",
		sgOrigin:     "Réside dans un pays (%[1]s) de la liste OMS d'appui et de sauvegarde des personnels de santé ; autorisé : un retour dans son pays d'origine (%[2]s)",
		sgVirtual:    "Réside dans un pays (%[1]s) de la liste OMS d'appui et de sauvegarde des personnels de santé ; autorisé : la mission est à distance et la personne reste dans son pays",
		sgAgreement:  "Réside dans un pays (%[1]s) de la liste OMS d'appui et de sauvegarde des personnels de santé ; autorisé : un accord de gouvernement à gouvernement entre %[2]s et %[1]s est en vigueur",
		sgInterest:   "Réside dans un pays (%[1]s) de la liste OMS d'appui et de sauvegarde des personnels de santé ; autorisé : la personne a d'abord manifesté son intérêt pour cette mission",
		sgRefused: "Ce professionnel réside dans un pays (%[1]s) de la liste OMS d'appui et de sauvegarde des personnels de santé. Selon le Code de pratique mondial de l'OMS, " +
			"le ministère du pays %[2]s ne peut pas le solliciter pour une mission sur place ou hybride, sauf s'il a d'abord manifesté son intérêt pour cette mission " +
			"ou si un accord de gouvernement à gouvernement entre %[2]s et %[1]s est enregistré. Les missions à distance et dans son pays d'origine ne sont pas restreintes.",
	},
	"pt": {
		sgRestricted: "Reside num país (%[1]s) da lista de apoio e salvaguarda do pessoal de saúde da OMS: o ministério do país %[2]s não pode abordar esta pessoa para trabalho presencial",
		sgHome:       "Reside num país (%[1]s) da lista de apoio e salvaguarda do pessoal de saúde da OMS; o trabalho é nesse mesmo país, o que a lista não restringe",
		sgOrigin:     "Reside num país (%[1]s) da lista de apoio e salvaguarda do pessoal de saúde da OMS; permitido: um regresso ao país de origem (%[2]s)",
		sgVirtual:    "Reside num país (%[1]s) da lista de apoio e salvaguarda do pessoal de saúde da OMS; permitido: o trabalho é à distância e a pessoa fica no seu país",
		sgAgreement:  "Reside num país (%[1]s) da lista de apoio e salvaguarda do pessoal de saúde da OMS; permitido: está em vigor um acordo entre os governos de %[2]s e %[1]s",
		sgInterest:   "Reside num país (%[1]s) da lista de apoio e salvaguarda do pessoal de saúde da OMS; permitido: a pessoa manifestou primeiro interesse nesta missão",
		sgRefused: "Este profissional reside num país (%[1]s) da lista de apoio e salvaguarda do pessoal de saúde da OMS. Segundo o Código de Prática Global da OMS, " +
			"o ministério do país %[2]s não o pode abordar para trabalho presencial ou híbrido, a menos que manifeste primeiro interesse nesta missão " +
			"ou que esteja registado um acordo entre os governos de %[2]s e %[1]s. O trabalho à distância e no país de origem não é restringido.",
	},
}

func saySafeguard(lang string, k safeguardKey, residence, assignment string) string {
	return fmt.Sprintf(safeguardText[explainLang(lang)][k], residence, assignment)
}

// safeguardReason is the explanation's sentence about the list for d.
func safeguardReason(d sankofa.SafeguardDecision, assignment, lang string) string {
	k := sgHome
	switch {
	case d.Restricted:
		k = sgRestricted
	case d.Exception == sankofa.ExceptOrigin:
		k = sgOrigin
	case d.Exception == sankofa.ExceptVirtual:
		k = sgVirtual
	case d.Exception == sankofa.ExceptAgreement:
		k = sgAgreement
	case d.Exception == sankofa.ExceptInterest:
		k = sgInterest
	}
	return saySafeguard(lang, k, d.Country, assignment)
}

// SafeguardRefusal says in lang (en, fr or pt; English otherwise) why an
// offer from the ministry of the assignment's country to a worker the
// list protects is refused, and what would allow it.
func SafeguardRefusal(e *sankofa.SafeguardError, lang string) string {
	return saySafeguard(lang, sgRefused, e.Decision.Country, e.Assignment)
}
