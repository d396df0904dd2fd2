package matcher

import (
	"fmt"
	"slices"
	"strings"

	"sankofa"
)

// Languages are the languages explanations are written in; any other
// reads as English.
var Languages = []string{"en", "fr", "pt"}

// Substitution says that a worker fills a post under another occupation
// than the one posted, and on whose authority.
type Substitution struct {
	// Profession is the worker's ISCO-08 code, Label its name in the
	// reader's language.
	Profession string `json:"profession"`
	Label      string `json:"label"`
	// By is "default" when the code holds the posted competence at a
	// higher level, "ministry" when the ministry listed it.
	By string `json:"by"`
}

// Who allowed a substitution.
const (
	SubstitutionDefault  = "default"
	SubstitutionMinistry = "ministry"
)

// reasonKey names a sentence of an explanation.
type reasonKey int

const (
	rAllSkills reasonKey = iota
	rSomeSkills
	rMissing
	rThrough
	rProfession
	rSubstitutionDefault
	rSubstitutionMinistry
	rSpeaks
	rOnsite
	rRemote
	rExperience
	rDiaspora
	rLicence
	rNoEvidence
	rLicenceState
	reasonCount
)

// reasonText is the catalogue of explanation sentences, one list per
// language, in reasonKey order; the arguments are those of fmt.Sprintf.
var reasonText = map[string][reasonCount]string{
	"en": {
		rAllSkills:            "Has all %d required skills: %s",
		rSomeSkills:           "Has %d of %d required skills: %s",
		rMissing:              "Missing: %s",
		rThrough:              "%s (through %s)",
		rProfession:           "Profession matches (%s)",
		rSubstitutionDefault:  "Can fill this post as %s (a higher qualification in the same field)",
		rSubstitutionMinistry: "Can fill this post as %s (accepted by the ministry)",
		rSpeaks:               "Speaks %s at %s (%s required)",
		rOnsite:               "Available on site %d of %d days of the window",
		rRemote:               "Offers %d h a week remotely (%d needed); working days overlap %.0f h",
		rExperience:           "%d years of experience",
		rDiaspora:             "Originally from %s: a diaspora tie",
		rLicence:              "Holds a current licence to practise",
		rNoEvidence:           "No skill or specialty related to those asked for: eligible only",
		rLicenceState:         "Licence from %s (%s): %s",
	},
	"fr": {
		rAllSkills:            "Possède les %d compétences requises : %s",
		rSomeSkills:           "Possède %d des %d compétences requises : %s",
		rMissing:              "Manque : %s",
		rThrough:              "%s (par %s)",
		rProfession:           "Profession correspondante (%s)",
		rSubstitutionDefault:  "Peut occuper ce poste en tant que %s (qualification supérieure dans le même domaine)",
		rSubstitutionMinistry: "Peut occuper ce poste en tant que %s (accepté par le ministère)",
		rSpeaks:               "Parle %s au niveau %s (%s requis)",
		rOnsite:               "Disponible sur place %d des %d jours de la période",
		rRemote:               "Offre %d h par semaine à distance (%d demandées) ; journées de travail communes %.0f h",
		rExperience:           "%d ans d'expérience",
		rDiaspora:             "Originaire de %s : un lien avec la diaspora",
		rLicence:              "Détient une autorisation d'exercer en cours de validité",
		rNoEvidence:           "Aucune compétence ni spécialité liée à celles demandées : seulement éligible",
		rLicenceState:         "Autorisation d'exercer de %s (%s) : %s",
	},
	"pt": {
		rAllSkills:            "Tem as %d competências exigidas: %s",
		rSomeSkills:           "Tem %d de %d competências exigidas: %s",
		rMissing:              "Em falta: %s",
		rThrough:              "%s (através de %s)",
		rProfession:           "A profissão corresponde (%s)",
		rSubstitutionDefault:  "Pode ocupar este posto como %s (qualificação superior na mesma área)",
		rSubstitutionMinistry: "Pode ocupar este posto como %s (aceite pelo ministério)",
		rSpeaks:               "Fala %s ao nível %s (%s exigido)",
		rOnsite:               "Disponível no local %d de %d dias do período",
		rRemote:               "Oferece %d h por semana à distância (%d necessárias); dias de trabalho em comum %.0f h",
		rExperience:           "%d anos de experiência",
		rDiaspora:             "Natural de %s: uma ligação à diáspora",
		rLicence:              "Tem licença para exercer válida",
		rNoEvidence:           "Nenhuma competência ou especialidade relacionada com as pedidas: apenas elegível",
		rLicenceState:         "Licença de %s (%s): %s",
	},
}

// verificationWords say a licence's verification status in each language.
var verificationWords = map[sankofa.VerificationStatus][3]string{
	sankofa.VerificationUnverified: {"not verified", "non vérifiée", "não verificada"},
	sankofa.VerificationInProcess:  {"verification in progress", "vérification en cours", "verificação em curso"},
	sankofa.VerificationValidated:  {"verified", "vérifiée", "verificada"},
	sankofa.VerificationFailed:     {"verification failed", "vérification échouée", "verificação falhada"},
	sankofa.VerificationRevalidate: {"to be verified again", "à vérifier de nouveau", "a verificar de novo"},
}

// verificationWord says status in lang (en, fr or pt; English otherwise).
func verificationWord(status sankofa.VerificationStatus, lang string) string {
	w, ok := verificationWords[status]
	if !ok {
		return string(status)
	}
	switch lang {
	case "fr":
		return w[1]
	case "pt":
		return w[2]
	}
	return w[0]
}

// occupationAs names one holder of an occupation, as it reads after "as"
// in each language ("as a midwifery professional", "en tant que
// sage-femme", "como enfermeiro/a").
var occupationAs = map[string][3]string{
	"1342": {"a health services manager", "directeur ou directrice des services de santé", "diretor/a de serviços de saúde"},
	"2211": {"a generalist medical practitioner", "médecin généraliste", "médico/a de clínica geral"},
	"2212": {"a specialist medical practitioner", "médecin spécialiste", "médico/a especialista"},
	"2221": {"a nursing professional", "infirmier ou infirmière", "enfermeiro/a"},
	"2222": {"a midwifery professional", "sage-femme", "parteira/o (enfermagem obstétrica)"},
	"2230": {"a traditional and complementary medicine professional", "praticien de médecine traditionnelle et complémentaire", "profissional de medicina tradicional e complementar"},
	"2240": {"a paramedical practitioner (clinical officer)", "praticien paramédical (clinical officer)", "técnico/a de medicina (clinical officer)"},
	"2261": {"a dentist", "chirurgien-dentiste", "dentista"},
	"2262": {"a pharmacist", "pharmacien ou pharmacienne", "farmacêutico/a"},
	"2263": {"an environmental and occupational health professional", "spécialiste de la santé environnementale et du travail", "profissional de saúde ambiental e ocupacional"},
	"2264": {"a physiotherapist", "kinésithérapeute", "fisioterapeuta"},
	"2265": {"a dietician or nutritionist", "diététicien ou nutritionniste", "nutricionista"},
	"2266": {"an audiologist or speech therapist", "audiologiste ou orthophoniste", "audiologista ou terapeuta da fala"},
	"2267": {"an optometrist", "optométriste", "optometrista"},
	"2269": {"a health professional", "professionnel de santé", "profissional de saúde"},
	"3211": {"a medical imaging technician", "technicien en imagerie médicale", "técnico/a de imagiologia médica"},
	"3212": {"a medical laboratory technician", "technicien de laboratoire médical", "técnico/a de laboratório médico"},
	"3213": {"a pharmaceutical technician", "préparateur en pharmacie", "técnico/a de farmácia"},
	"3214": {"a medical or dental prosthetic technician", "prothésiste médical ou dentaire", "técnico/a de próteses"},
	"3221": {"a nursing associate professional", "infirmier ou infirmière auxiliaire", "técnico/a de enfermagem"},
	"3222": {"a midwifery associate professional", "accoucheuse auxiliaire", "parteira auxiliar"},
	"3251": {"a dental therapist", "assistant ou thérapeute dentaire", "assistente ou terapeuta dentário/a"},
	"3252": {"a health information technician", "technicien de l'information sanitaire", "técnico/a de informação de saúde"},
	"3253": {"a community health worker", "agent de santé communautaire", "agente comunitário/a de saúde"},
	"3254": {"a dispensing optician", "opticien", "ótico/a"},
	"3255": {"a physiotherapy technician", "technicien en kinésithérapie", "técnico/a de fisioterapia"},
	"3256": {"a medical assistant", "assistant médical", "assistente médico/a"},
	"3257": {"an environmental health inspector", "inspecteur de la santé environnementale", "inspetor/a de saúde ambiental"},
	"3258": {"an ambulance worker", "ambulancier", "técnico/a de emergência médica"},
	"3259": {"a health associate professional", "professionnel de santé intermédiaire", "técnico/a de saúde"},
}

// lang returns lang when explanations exist in it, else English.
func explainLang(lang string) string {
	if slices.Contains(Languages, lang) {
		return lang
	}
	return "en"
}

// say renders sentence k in lang.
func say(lang string, k reasonKey, args ...any) string {
	return fmt.Sprintf(reasonText[explainLang(lang)][k], args...)
}

// OccupationAs names one holder of occupation code in lang, as it reads
// after "as"; the code itself when unknown.
func OccupationAs(code, lang string) string {
	names, ok := occupationAs[code]
	if !ok {
		return code
	}
	return names[slices.Index(Languages, explainLang(lang))]
}

// list joins labels for a sentence.
func list(xs []string) string { return strings.Join(xs, ", ") }
