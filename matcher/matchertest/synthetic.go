// Package matchertest generates synthetic corpora with known relevance,
// for the match quality test and the matching benchmarks. Nothing in the
// server imports it.
package matchertest

// Synthetic corpus with known ground truth, for measuring match quality.
//
// The generator owns a small vocabulary of latent concepts (skills and
// specialties grouped into domain clusters), each with several surface forms
// in English, French and Portuguese plus abbreviations. Profiles and
// assignments are rendered from latent concepts with varied phrasing, random
// case and occasional typos; relevance is graded on the latent concepts, so a
// matcher that understands synonyms can recover it from the rendered text.
//
// Ground-truth rules (shared by the grading and by Corpus.Violations):
//   - profession: the profile's ISCO code is among the assignment's
//     accepted_professions (the ministry's policy);
//   - language: every required language at or above its CEFR level;
//   - mode: "onsite" in modes for onsite/hybrid work, "virtual" for
//     virtual/hybrid work;
//   - availability: for onsite/hybrid work the windows cover at least half
//     of the assignment's days (ceil); for virtual/hybrid work the weekly
//     virtual hours are at least the assignment's;
//   - share_with: contains the assignment's country;
//   - experience: years_experience ≥ min_years_experience;
//   - licence: when required, some licence expires on or after the end.
//
// Grades: 3 = all required skills, at least half (rounded up) of the
// preferred skills and a matching specialty (or none asked); 2 = all
// required skills; 1 = some required skills; 0 otherwise or when any hard
// constraint is broken.

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"sankofa"
)

// Options make a corpus harder than the default one.
type Options struct {
	// Sideways is the share of assignments whose ministry accepts a
	// sideways occupation (a midwife for a nursing post, say); about a
	// third of their planted workers hold it.
	Sideways float64
	// Decoys is the number of workers planted per assignment who meet
	// every hard constraint but hold no skill or specialty of the
	// assignment's domain; their relevance is 0.
	Decoys int
}

// Hard is the harder set of TestMatchQuality: sideways policies on 40 %
// of the posts and 8 eligible decoys per post.
var Hard = Options{Sideways: 0.4, Decoys: 8}

// sidewaysFillers lists, per posted code, an occupation of another field
// or the same level that a ministry may choose to accept (a nurse
// anaesthetist for an anaesthesia post, a midwife for a nursing post).
var sidewaysFillers = map[string]string{
	"2221": "2222",
	"2222": "2221",
	"2211": "2240",
	"2212": "2221",
	"3212": "2269",
}

// Corpus is a synthetic set of profiles and assignments with known relevance.
type Corpus struct {
	// Profiles have IDs "syn-p-%07d", AccountID "syn-a-%07d", Version 1 and
	// CreatedAt/UpdatedAt up to two years before Today.
	Profiles []sankofa.Profile
	// Assignments have IDs "syn-q-%05d", status open, and MinistryID
	// "syn-m-<country>".
	Assignments []sankofa.Assignment
	// Relevance[q][profileID] is the graded relevance (1..3) of a profile
	// for assignment q; absent = 0. With at most SyntheticFullGradeLimit
	// profiles every profile is graded against every assignment; above it
	// only the profiles planted for q are graded for q.
	Relevance []map[string]int
	// NearMisses[q][profileID] names the single hard constraint a planted
	// near miss breaks: "profession", "language", "mode", "availability",
	// "share_with", "experience" or "licence". Their relevance is 0.
	NearMisses []map[string]string
	// Decoys[q] holds the decoys planted for assignment q (Options.Decoys):
	// eligible, relevance 0.
	Decoys []map[string]bool
	Today  time.Time
}

// SyntheticFullGradeLimit is the largest corpus (in profiles) for which
// GenerateCorpus grades every profile against every assignment.
const SyntheticFullGradeLimit = 20000

// Violations returns the hard constraints profile p breaks for assignment q
// under the generator's ground-truth rules (see the package comment of this
// file), in a fixed order; empty means p may be matched.
func (c *Corpus) Violations(q int, p *sankofa.Profile) []string {
	a := synAssignmentHard(&c.Assignments[q])
	h := synProfileHard(p)
	return synBreaks(&a, &h, true)
}

// NDCG computes NDCG@k of a ranked list of profile ids against graded
// relevance (gain 2^rel-1, log2 discount); the ideal ranking is built from
// all relevances. k ≤ 0 means the whole list. Repeated ids count once. It is
// 0 when nothing is relevant.
func NDCG(ranked []string, relevance map[string]int, k int) float64 {
	if k <= 0 {
		k = max(len(ranked), len(relevance))
	}
	var dcg float64
	seen := make(map[string]bool, min(k, len(ranked)))
	pos := 0
	for _, id := range ranked {
		if pos >= k {
			break
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		if r := relevance[id]; r > 0 {
			dcg += (math.Exp2(float64(r)) - 1) / math.Log2(float64(pos+2))
		}
		pos++
	}
	ideal := make([]int, 0, len(relevance))
	for _, r := range relevance {
		if r > 0 {
			ideal = append(ideal, r)
		}
	}
	slices.Sort(ideal)
	slices.Reverse(ideal)
	var idcg float64
	for i, r := range ideal {
		if i >= k {
			break
		}
		idcg += (math.Exp2(float64(r)) - 1) / math.Log2(float64(i+2))
	}
	if idcg == 0 {
		return 0
	}
	return dcg / idcg
}

// Precision returns P@k of a ranked list: the share of its first k
// (distinct) ids with a relevance above 0. A list shorter than k counts
// the missing places as misses.
func Precision(ranked []string, relevance map[string]int, k int) float64 {
	if k <= 0 {
		return 0
	}
	seen := map[string]bool{}
	hits, pos := 0, 0
	for _, id := range ranked {
		if pos == k {
			break
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		if relevance[id] > 0 {
			hits++
		}
		pos++
	}
	return float64(hits) / float64(k)
}

// --- vocabulary -----------------------------------------------------------

type synForm struct {
	text string
	lang string // en, fr, pt, or "" for abbreviations and names
}

type synConcept struct {
	id    string
	forms []synForm
}

// synEntry lists surface forms separated by "|": English, French,
// Portuguese, then language-neutral abbreviations.
type synEntry struct{ id, en, fr, pt, abbr string }

var synSkillTable = []synEntry{
	// 0-7 obstetric
	{"skill:caesarean-section", "caesarean section|cesarean section|caesarean delivery", "césarienne|opération césarienne", "cesariana|cesárea", "C-section"},
	{"skill:emonc", "emergency obstetric and newborn care|emergency obstetric and neonatal care", "soins obstétricaux et néonatals d'urgence", "cuidados obstétricos e neonatais de emergência", "EmONC|SONU"},
	{"skill:neonatal-resuscitation", "neonatal resuscitation|newborn resuscitation", "réanimation néonatale|réanimation du nouveau-né", "reanimação neonatal|ressuscitação neonatal", ""},
	{"skill:obstetric-ultrasound", "obstetric ultrasound|obstetric ultrasonography", "échographie obstétricale", "ecografia obstétrica|ultrassonografia obstétrica", ""},
	{"skill:partograph", "partograph|partogram", "partogramme", "partograma", ""},
	{"skill:pph-management", "postpartum haemorrhage management|postpartum hemorrhage management|PPH management", "prise en charge de l'hémorragie du post-partum", "tratamento da hemorragia pós-parto", ""},
	{"skill:antenatal-care", "antenatal care|prenatal care", "consultation prénatale|soins prénatals", "cuidados pré-natais|consulta pré-natal", "ANC|CPN"},
	{"skill:family-planning", "family planning", "planification familiale", "planeamento familiar|planejamento familiar", ""},
	// 8-12 HIV/TB
	{"skill:art-management", "antiretroviral therapy|ART management|antiretroviral treatment", "traitement antirétroviral|thérapie antirétrovirale", "terapia antirretroviral|tratamento antirretroviral", "TARV"},
	{"skill:tb-treatment", "tuberculosis treatment|TB treatment|TB case management", "traitement de la tuberculose|prise en charge de la tuberculose", "tratamento da tuberculose", "DOTS"},
	{"skill:genexpert", "GeneXpert testing|Xpert MTB/RIF", "test GeneXpert", "teste GeneXpert", "GeneXpert"},
	{"skill:hiv-counselling", "HIV counselling|HIV counseling|HIV testing and counselling|voluntary counselling and testing", "conseil et dépistage du VIH|conseil dépistage volontaire", "aconselhamento e testagem do HIV", "VCT|CDV"},
	{"skill:pmtct", "prevention of mother-to-child transmission", "prévention de la transmission mère-enfant", "prevenção da transmissão vertical", "PMTCT|PTME|PTV"},
	// 13-17 mental health
	{"skill:mhgap", "mental health gap action programme|mental health gap action program|mhGAP intervention guide", "", "", "mhGAP"},
	{"skill:psychotherapy", "psychotherapy|talking therapy", "psychothérapie", "psicoterapia", ""},
	{"skill:cbt", "cognitive behavioural therapy|cognitive behavioral therapy", "thérapie cognitivo-comportementale", "terapia cognitivo-comportamental", "CBT|TCC"},
	{"skill:psychiatric-assessment", "psychiatric assessment|psychiatric evaluation", "évaluation psychiatrique", "avaliação psiquiátrica", ""},
	{"skill:psychological-first-aid", "psychological first aid", "premiers secours psychologiques", "primeiros socorros psicológicos", "PFA"},
	// 18-22 laboratory
	{"skill:pcr", "polymerase chain reaction|PCR testing", "réaction en chaîne par polymérase", "reação em cadeia da polimerase", "PCR"},
	{"skill:microscopy", "microscopy|light microscopy", "microscopie", "microscopia", ""},
	{"skill:malaria-microscopy", "malaria microscopy|malaria blood film microscopy", "microscopie du paludisme", "microscopia da malária", ""},
	{"skill:lab-quality-control", "laboratory quality control|quality control", "contrôle qualité|contrôle de qualité", "controle de qualidade|controlo de qualidade", "QC"},
	{"skill:blood-banking", "blood banking|blood transfusion services", "transfusion sanguine|banque de sang", "banco de sangue|medicina transfusional", ""},
	// 23-26 informatics
	{"skill:dhis2", "District Health Information Software 2", "", "", "DHIS2|DHIS 2"},
	{"skill:data-analysis", "data analysis|health data analysis", "analyse de données|analyse des données", "análise de dados", ""},
	{"skill:emr", "electronic medical records|electronic health records", "dossier médical électronique|dossier patient informatisé", "prontuário eletrónico|prontuário eletrônico", "EMR|EHR"},
	{"skill:hmis", "health management information system", "système national d'information sanitaire|système d'information sanitaire", "sistema de informação de saúde", "HMIS|SNIS"},
	// 27-30 teaching (cross-cutting)
	{"skill:clinical-teaching", "clinical teaching|bedside teaching", "enseignement clinique", "ensino clínico", ""},
	{"skill:supportive-supervision", "supportive supervision|clinical supervision", "supervision formative", "supervisão formativa|supervisão de apoio", ""},
	{"skill:mentoring", "mentoring|clinical mentoring|mentorship", "mentorat", "mentoria", ""},
	{"skill:training-of-trainers", "training of trainers", "formation des formateurs", "formação de formadores", "ToT"},
	// 31-34 anaesthesia and critical care
	{"skill:general-anaesthesia", "general anaesthesia|general anesthesia", "anesthésie générale", "anestesia geral", ""},
	{"skill:spinal-anaesthesia", "spinal anaesthesia|spinal anesthesia", "rachianesthésie", "raquianestesia|anestesia raquidiana", ""},
	{"skill:airway-management", "airway management|advanced airway management", "gestion des voies aériennes", "manejo da via aérea|gestão da via aérea", ""},
	{"skill:mechanical-ventilation", "mechanical ventilation|ventilator management", "ventilation mécanique", "ventilação mecânica", ""},
	// 35-39 paediatrics
	{"skill:imci", "integrated management of childhood illness", "prise en charge intégrée des maladies de l'enfant", "atenção integrada às doenças da infância", "IMCI|PCIME|AIDI"},
	{"skill:neonatal-care", "neonatal care|newborn care", "soins néonatals|soins au nouveau-né", "cuidados neonatais|cuidados ao recém-nascido", ""},
	{"skill:kangaroo-mother-care", "kangaroo mother care", "méthode mère kangourou", "método mãe canguru", "KMC"},
	{"skill:sam-management", "management of severe acute malnutrition|SAM management", "prise en charge de la malnutrition aiguë sévère", "tratamento da desnutrição aguda grave", ""},
	{"skill:etat", "emergency triage assessment and treatment|paediatric emergency triage", "triage pédiatrique d'urgence", "triagem pediátrica de emergência", "ETAT"},
}

var synSpecTable = []synEntry{
	{"specialty:obstetrics-gynaecology", "obstetrics and gynaecology|obstetrics and gynecology", "gynécologie-obstétrique|obstétrique et gynécologie", "ginecologia e obstetrícia|obstetrícia e ginecologia", "OB/GYN"},
	{"specialty:midwifery", "midwifery", "maïeutique", "enfermagem obstétrica", ""},
	{"specialty:infectious-diseases", "infectious diseases|infectious disease medicine", "maladies infectieuses|infectiologie", "infecciologia|doenças infecciosas", ""},
	{"specialty:psychiatry", "psychiatry", "psychiatrie", "psiquiatria", ""},
	{"specialty:mental-health-nursing", "mental health nursing|psychiatric nursing", "soins infirmiers en santé mentale", "enfermagem de saúde mental|enfermagem psiquiátrica", ""},
	{"specialty:laboratory-medicine", "laboratory medicine|medical laboratory science", "biologie médicale", "análises clínicas|patologia clínica", ""},
	{"specialty:microbiology", "microbiology|medical microbiology", "microbiologie", "microbiologia", ""},
	{"specialty:health-informatics", "health informatics|medical informatics", "informatique médicale|informatique de santé", "informática em saúde|informática médica", ""},
	{"specialty:anaesthesiology", "anaesthesiology|anesthesiology", "anesthésie-réanimation|anesthésiologie", "anestesiologia", ""},
	{"specialty:critical-care", "critical care medicine|intensive care medicine", "médecine intensive-réanimation", "medicina intensiva", ""},
	{"specialty:paediatrics", "paediatrics|pediatrics", "pédiatrie", "pediatria", ""},
	{"specialty:neonatology", "neonatology", "néonatologie", "neonatologia", ""},
	{"specialty:medical-education", "medical education|health professions education", "pédagogie médicale", "educação médica", ""},
}

// synDistractors are skills that name no latent concept.
var synDistractors = []string{"team leadership", "public speaking", "Microsoft Excel", "project management", "report writing", "gestion d'équipe", "liderança de equipas"}

type synCluster struct {
	name   string
	skills []int
	specs  []int
	profs  []string // ISCO codes, repeated for weight
	title  [3]string
}

const synTeaching = 7 // index of the cross-cutting teaching cluster

var synClusters = []synCluster{
	{"obstetric", []int{0, 1, 2, 3, 4, 5, 6, 7}, []int{0, 1}, []string{"2222", "2222", "2221", "2212"},
		[3]string{"Maternal and newborn care support", "Appui aux soins maternels et néonatals", "Apoio aos cuidados maternos e neonatais"}},
	{"hiv-tb", []int{8, 9, 10, 11, 12}, []int{2}, []string{"2211", "2221", "2212"},
		[3]string{"HIV and TB programme support", "Appui au programme VIH et tuberculose", "Apoio ao programa de HIV e tuberculose"}},
	{"mental-health", []int{13, 14, 15, 16, 17}, []int{3, 4}, []string{"2212", "2221"},
		[3]string{"Mental health services", "Services de santé mentale", "Serviços de saúde mental"}},
	{"laboratory", []int{18, 19, 20, 21, 22, 10}, []int{5, 6}, []string{"3212"},
		[3]string{"Laboratory strengthening", "Renforcement des laboratoires", "Reforço dos laboratórios"}},
	{"informatics", []int{23, 24, 25, 26}, []int{7}, []string{"3252"},
		[3]string{"Health information systems", "Systèmes d'information sanitaire", "Sistemas de informação de saúde"}},
	{"anaesthesia", []int{31, 32, 33, 34, 2}, []int{8, 9}, []string{"2212", "2221"},
		[3]string{"Anaesthesia and critical care", "Anesthésie et réanimation", "Anestesia e cuidados intensivos"}},
	{"paediatrics", []int{35, 36, 37, 38, 39, 2}, []int{10, 11}, []string{"2212", "2211", "2221"},
		[3]string{"Child health services", "Santé de l'enfant", "Saúde infantil"}},
	{"teaching", []int{27, 28, 29, 30}, []int{12}, nil, [3]string{}},
}

// synFarProfessions break the profession constraint for any assignment.
var synFarProfessions = []string{"2261", "2264", "2265", "2267"}

var (
	synSkills = synBuild(synSkillTable)
	synSpecs  = synBuild(synSpecTable)
)

func synBuild(t []synEntry) []synConcept {
	out := make([]synConcept, len(t))
	for i, e := range t {
		out[i].id = e.id
		for _, p := range []struct{ s, lang string }{{e.en, "en"}, {e.fr, "fr"}, {e.pt, "pt"}, {e.abbr, ""}} {
			if p.s == "" {
				continue
			}
			for _, f := range strings.Split(p.s, "|") {
				out[i].forms = append(out[i].forms, synForm{f, p.lang})
			}
		}
	}
	return out
}

// --- places and people ----------------------------------------------------

type synOrigin struct {
	code, lang, names string
	natives, neigh    []string
	regions, facils   []string
}

var synOrigins = []synOrigin{
	{"GH", "en", "aw", []string{"ak", "ee"}, []string{"CI", "TG", "BF"}, []string{"Greater Accra", "Ashanti", "Northern", "Volta"}, []string{"Korle Bu Teaching Hospital", "Komfo Anokye Teaching Hospital", "Tamale Teaching Hospital", "Ho Teaching Hospital"}},
	{"NG", "en", "aw", []string{"yo", "ig", "ha"}, []string{"BJ", "CM", "NE"}, []string{"Lagos", "Kano", "Enugu", "Borno"}, []string{"Lagos University Teaching Hospital", "Aminu Kano Teaching Hospital", "University of Nigeria Teaching Hospital", "University of Maiduguri Teaching Hospital"}},
	{"SN", "fr", "fr", []string{"wo", "ff"}, []string{"GM", "ML", "GN", "MR"}, []string{"Dakar", "Thiès", "Saint-Louis", "Ziguinchor"}, []string{"Hôpital Principal de Dakar", "Hôpital Aristide Le Dantec", "CHR de Saint-Louis", "CHR de Ziguinchor"}},
	{"CI", "fr", "fr", []string{"bm"}, []string{"GH", "LR", "ML", "BF", "GN"}, []string{"Abidjan", "Gbêkê", "Poro", "San-Pédro"}, []string{"CHU de Cocody", "CHU de Treichville", "CHU de Bouaké", "CHR de Korhogo"}},
	{"MZ", "pt", "pt", []string{"ts", "ny"}, []string{"ZA", "TZ", "MW", "ZW"}, []string{"Maputo", "Sofala", "Nampula", "Cabo Delgado"}, []string{"Hospital Central de Maputo", "Hospital Central da Beira", "Hospital Central de Nampula", "Hospital Provincial de Pemba"}},
	{"AO", "pt", "pt", []string{"kg"}, []string{"CD", "NA", "ZM", "CG"}, []string{"Luanda", "Huambo", "Benguela", "Huíla"}, []string{"Hospital Josina Machel", "Hospital Américo Boavida", "Hospital Geral do Huambo", "Hospital Central do Lubango"}},
	{"CM", "fr", "fr", []string{"ff"}, []string{"NG", "GA", "TD", "CF"}, []string{"Centre", "Littoral", "Nord-Ouest", "Extrême-Nord"}, []string{"Hôpital Central de Yaoundé", "Hôpital Laquintinie de Douala", "Bamenda Regional Hospital", "Hôpital Régional de Maroua"}},
	{"KE", "en", "ea", []string{"sw"}, []string{"UG", "TZ", "ET"}, []string{"Nairobi", "Mombasa", "Kisumu", "Turkana"}, []string{"Kenyatta National Hospital", "Coast General Hospital", "Jaramogi Oginga Odinga Teaching and Referral Hospital", "Lodwar County Referral Hospital"}},
	// origins of background profiles only
	{"UG", "en", "ea", []string{"lg", "sw"}, []string{"KE", "RW", "TZ"}, nil, nil},
	{"CD", "fr", "fr", []string{"ln", "sw"}, []string{"AO", "CG", "RW"}, nil, nil},
	{"ZW", "en", "ea", []string{"sn"}, []string{"MZ", "ZA", "ZM"}, nil, nil},
	{"TG", "fr", "fr", []string{"ee"}, []string{"GH", "BJ", "BF"}, nil, nil},
	{"BF", "fr", "fr", []string{"ff"}, []string{"CI", "GH", "ML"}, nil, nil},
	{"BJ", "fr", "fr", []string{"yo"}, []string{"NG", "TG"}, nil, nil},
	{"GW", "pt", "pt", []string{"ff"}, []string{"SN", "GN"}, nil, nil},
}

const synAssignmentCountries = 8 // the first entries of synOrigins

type synCity struct{ country, city, tz, lang string }

var synCities = map[string][]synCity{
	"en": {
		{"GB", "London", "Europe/London", "en"}, {"GB", "Manchester", "Europe/London", "en"}, {"GB", "Birmingham", "Europe/London", "en"},
		{"US", "New York", "America/New_York", "en"}, {"US", "Houston", "America/Chicago", "en"}, {"US", "Seattle", "America/Los_Angeles", "en"},
		{"CA", "Toronto", "America/Toronto", "en"}, {"IE", "Dublin", "Europe/Dublin", "en"}, {"ZA", "Johannesburg", "Africa/Johannesburg", "en"},
		{"AE", "Dubai", "Asia/Dubai", "en"}, {"DE", "Berlin", "Europe/Berlin", "de"},
	},
	"fr": {
		{"FR", "Paris", "Europe/Paris", "fr"}, {"FR", "Lyon", "Europe/Paris", "fr"}, {"FR", "Marseille", "Europe/Paris", "fr"},
		{"BE", "Bruxelles", "Europe/Brussels", "fr"}, {"BE", "Liège", "Europe/Brussels", "fr"}, {"CA", "Montréal", "America/Toronto", "fr"},
		{"CH", "Genève", "Europe/Zurich", "fr"}, {"GB", "London", "Europe/London", "en"},
	},
	"pt": {
		{"PT", "Lisboa", "Europe/Lisbon", "pt"}, {"PT", "Porto", "Europe/Lisbon", "pt"}, {"PT", "Coimbra", "Europe/Lisbon", "pt"},
		{"BR", "São Paulo", "America/Sao_Paulo", "pt"}, {"BR", "Rio de Janeiro", "America/Sao_Paulo", "pt"}, {"GB", "London", "Europe/London", "en"},
		{"FR", "Paris", "Europe/Paris", "fr"},
	},
}

var synGiven = map[string][]string{
	"aw": {"Kwame", "Ama", "Kofi", "Abena", "Yaw", "Akosua", "Chinedu", "Ngozi", "Oluwaseun", "Funmilayo", "Emeka", "Aisha", "Ibrahim", "Efua", "Kojo", "Adaeze", "Tunde", "Halima"},
	"fr": {"Aminata", "Moussa", "Fatou", "Ousmane", "Awa", "Mamadou", "Mariam", "Koffi", "Adjoua", "Yao", "Aïssatou", "Cheikh", "Bintou", "Serge", "Christelle", "Jean-Baptiste", "Estelle", "Rokhaya"},
	"pt": {"João", "Maria", "Celeste", "Armando", "Graça", "Ernesto", "Lurdes", "Domingos", "Esperança", "Albino", "Fátima", "Mário", "Isabel", "Pedro", "Neusa", "Hélder"},
	"ea": {"Wanjiru", "Otieno", "Akinyi", "Kamau", "Njeri", "Mwangi", "Achieng", "Kiprono", "Aluoch", "Barasa", "Tendai", "Nakato"},
}

var synFamily = map[string][]string{
	"aw": {"Mensah", "Owusu", "Asante", "Boateng", "Adeyemi", "Okafor", "Nwosu", "Bello", "Abubakar", "Osei", "Agyeman", "Eze"},
	"fr": {"Diop", "Ndiaye", "Fall", "Sow", "Traoré", "Koné", "Ouattara", "Kouassi", "Diallo", "Ba", "Coulibaly", "Mbarga", "Nkoulou", "Fotso"},
	"pt": {"Macuácua", "Sitoe", "Chissano", "Nhantumbo", "Mondlane", "dos Santos", "Neto", "Cardoso", "Tavares", "Lopes", "Fernandes", "Sousa"},
	"ea": {"Mwangi", "Otieno", "Kamau", "Odhiambo", "Wekesa", "Chebet", "Kiplagat", "Moyo", "Nakamya"},
}

var synProfNames = map[string][3]string{
	"2222": {"Midwife", "Sage-femme", "Parteira"},
	"2221": {"Nurse", "Infirmier·ère", "Enfermeiro/a"},
	"2211": {"General practitioner", "Médecin généraliste", "Médico de clínica geral"},
	"2212": {"Specialist physician", "Médecin spécialiste", "Médico especialista"},
	"3212": {"Laboratory technician", "Technicien de laboratoire", "Técnico de laboratório"},
	"3252": {"Health information officer", "Technicien en information sanitaire", "Técnico de informação de saúde"},
	"2261": {"Dentist", "Chirurgien-dentiste", "Médico dentista"},
	"2264": {"Physiotherapist", "Kinésithérapeute", "Fisioterapeuta"},
	"2265": {"Dietician", "Diététicien·ne", "Nutricionista"},
	"2267": {"Optometrist", "Optométriste", "Optometrista"},
}

var synLicenceBodies = map[string][4]string{ // doctor, nurse, midwife, other
	"GB": {"General Medical Council", "Nursing and Midwifery Council", "Nursing and Midwifery Council", "Health and Care Professions Council"},
	"IE": {"Medical Council of Ireland", "Nursing and Midwifery Board of Ireland", "Nursing and Midwifery Board of Ireland", "CORU"},
	"US": {"State Medical Board", "State Board of Nursing", "American Midwifery Certification Board", "American Society for Clinical Pathology"},
	"CA": {"College of Physicians and Surgeons", "College of Nurses", "College of Midwives", "Canadian Society for Medical Laboratory Science"},
	"FR": {"Ordre des médecins", "Ordre national des infirmiers", "Ordre des sages-femmes", "Agence régionale de santé"},
	"BE": {"Ordre des médecins", "SPF Santé publique", "SPF Santé publique", "SPF Santé publique"},
	"CH": {"Office fédéral de la santé publique", "Croix-Rouge suisse", "Croix-Rouge suisse", "Office fédéral de la santé publique"},
	"PT": {"Ordem dos Médicos", "Ordem dos Enfermeiros", "Ordem dos Enfermeiros", "Administração Central do Sistema de Saúde"},
	"BR": {"Conselho Federal de Medicina", "Conselho Federal de Enfermagem", "Conselho Federal de Enfermagem", "Conselho Federal de Biomedicina"},
}

func synLicenceBody(country, prof string) string {
	k := 3
	switch prof {
	case "2211", "2212", "2261":
		k = 0
	case "2221":
		k = 1
	case "2222":
		k = 2
	}
	if b, ok := synLicenceBodies[country]; ok {
		return b[k]
	}
	return [4]string{"Medical Council", "Nursing Council", "Midwifery Council", "Health Professions Council"}[k] + " (" + country + ")"
}

func synLangIndex(lang string) int {
	switch lang {
	case "fr":
		return 1
	case "pt":
		return 2
	}
	return 0
}

// --- latent drafts --------------------------------------------------------

type synLang struct {
	code string
	rank int
}

type synWin struct{ from, to int } // day numbers, inclusive

type synLic struct {
	country, body, number string
	exp                   int
}

type synProf struct {
	cluster      int
	prof         string
	skills       []int
	specs        []int
	langs        []synLang
	origin       int // index in synOrigins
	city         synCity
	years        int
	lics         []synLic
	wins         []synWin
	hours        int
	onsite, virt bool
	share        []string
	alerts       bool
	email        bool
	avoid        map[int]string // skill index → form to avoid (the assignment's)
	avoidSpec    map[int]string
	planted      int // assignment index, or -1
	target       int // planted grade target; 0 for near misses
	nearMiss     string
	decoy        bool
}

type synAsg struct {
	cluster   int
	prof      string
	req, pref []int
	specs     []int
	langs     []synLang
	mode      sankofa.Mode
	hours     int
	start     int
	end       int
	minYears  int
	licence   bool
	country   int // index in synOrigins
	forms     map[int]string
	specForms map[int]string
	// sideways is the code the ministry accepts besides the default
	// policy, or "".
	sideways string
}

// synLatent is the latent content graded: required and preferred skill
// bits and specialty bits for an assignment; skills and specialties for a
// profile.
type synLatent struct {
	req, pref, skills, specs uint64
}

func synBits(idx []int) uint64 {
	var b uint64
	for _, i := range idx {
		b |= 1 << uint(i)
	}
	return b
}

// grade is the graded relevance of a profile for an assignment.
func grade(a, p synLatent, hardOK bool) int {
	if !hardOK {
		return 0
	}
	reqN := bits.OnesCount64(a.req)
	have := bits.OnesCount64(p.skills & a.req)
	if have == 0 {
		return 0
	}
	if have < reqN {
		return 1
	}
	need := (bits.OnesCount64(a.pref) + 1) / 2
	specOK := a.specs == 0 || p.specs&a.specs != 0
	if bits.OnesCount64(p.skills&a.pref) >= need && specOK {
		return 3
	}
	return 2
}

// --- hard constraints on rendered records ---------------------------------

type synHard struct {
	prof         string
	langs        []synLang
	onsite, virt bool
	hours        int
	wins         []synWin
	share        []string
	years        int
	lics         []int
}

type synAHard struct {
	prof       string
	accepted   []string
	langs      []synLang
	mode       sankofa.Mode
	hours      int
	start, end int
	minYears   int
	licence    bool
	country    string
}

func synDay(d sankofa.Date) (int, bool) {
	t, ok := d.Time()
	if !ok {
		return 0, false
	}
	return int(t.Unix() / 86400), true
}

func synDate(day int) sankofa.Date {
	return sankofa.Date(time.Unix(int64(day)*86400, 0).UTC().Format(time.DateOnly))
}

func synProfileHard(p *sankofa.Profile) synHard {
	h := synHard{prof: p.Profession, hours: p.VirtualHoursPerWeek, share: p.ShareWith, years: p.YearsExperience}
	for _, l := range p.Languages {
		h.langs = append(h.langs, synLang{l.Code, sankofa.CEFRRank(l.Level)})
	}
	h.onsite = slices.Contains(p.Modes, sankofa.ModeOnsite)
	h.virt = slices.Contains(p.Modes, sankofa.ModeVirtual)
	for _, w := range p.Availability {
		f, ok1 := synDay(w.From)
		t, ok2 := synDay(w.To)
		if ok1 && ok2 && t >= f {
			h.wins = append(h.wins, synWin{f, t})
		}
	}
	for _, l := range p.Licences {
		if d, ok := synDay(l.Expires); ok {
			h.lics = append(h.lics, d)
		}
	}
	return h
}

func synAssignmentHard(a *sankofa.Assignment) synAHard {
	h := synAHard{prof: a.Profession, accepted: a.Accepted(), mode: a.Mode, hours: a.VirtualHoursPerWeek,
		minYears: a.MinYearsExperience, licence: a.LicenceRequired, country: a.Country}
	for _, l := range a.Languages {
		h.langs = append(h.langs, synLang{l.Code, sankofa.CEFRRank(l.Level)})
	}
	h.start, _ = synDay(a.Start)
	h.end, _ = synDay(a.End)
	return h
}

// synOverlap counts the days of [from, to] covered by the windows (each day
// once).
func synOverlap(wins []synWin, from, to int) int {
	ws := slices.Clone(wins)
	slices.SortFunc(ws, func(x, y synWin) int { return x.from - y.from })
	days, cur := 0, from-1 // cur: last day counted
	for _, w := range ws {
		f, t := max(w.from, cur+1, from), min(w.to, to)
		if t >= f {
			days += t - f + 1
			cur = t
		}
	}
	return days
}

// synBreaks lists the hard constraints broken, stopping at the first
// unless all.
func synBreaks(a *synAHard, p *synHard, all bool) []string {
	var out []string
	add := func(s string) bool {
		out = append(out, s)
		return !all
	}
	// Which occupations may fill a post is the ministry's policy, carried
	// by the assignment.
	if !slices.Contains(a.accepted, p.prof) && add("profession") {
		return out
	}
	for _, need := range a.langs {
		has := 0
		for _, l := range p.langs {
			if l.code == need.code {
				has = max(has, l.rank)
			}
		}
		if has < need.rank {
			if add("language") {
				return out
			}
			break
		}
	}
	onsite := a.mode == sankofa.ModeOnsite || a.mode == sankofa.ModeHybrid
	virt := a.mode == sankofa.ModeVirtual || a.mode == sankofa.ModeHybrid
	if ((onsite && !p.onsite) || (virt && !p.virt)) && add("mode") {
		return out
	}
	if onsite && 2*synOverlap(p.wins, a.start, a.end) < a.end-a.start+1 || virt && p.hours < a.hours {
		if add("availability") {
			return out
		}
	}
	if !slices.Contains(p.share, a.country) && add("share_with") {
		return out
	}
	if p.years < a.minYears && add("experience") {
		return out
	}
	if a.licence && !slices.ContainsFunc(p.lics, func(d int) bool { return d >= a.end }) && add("licence") {
		return out
	}
	return out
}

// --- generation -----------------------------------------------------------

type synGen struct {
	r     *rand.Rand
	today int
	o     Options
}

func (g *synGen) pick(n int) int { return g.r.IntN(n) }

func (g *synGen) chance(p float64) bool { return g.r.Float64() < p }

func (g *synGen) between(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }

// subset returns k distinct elements of xs in random order.
func (g *synGen) subset(xs []int, k int) []int {
	ys := slices.Clone(xs)
	g.r.Shuffle(len(ys), func(i, j int) { ys[i], ys[j] = ys[j], ys[i] })
	return ys[:min(k, len(ys))]
}

func (g *synGen) originIndex() int {
	if g.chance(0.85) {
		return g.pick(synAssignmentCountries)
	}
	return synAssignmentCountries + g.pick(len(synOrigins)-synAssignmentCountries)
}

// GenerateCorpus builds n profiles and q assignments from a fixed seed. Each
// assignment gets a planted pool of relevant profiles (15-40, grades 1-3)
// and about 10 near misses, the rest of the corpus being background noise.
// With at most SyntheticFullGradeLimit profiles every profile is graded
// against every assignment with the same rules; above it only the planted
// profiles are graded, for their own assignment. Small corpora get
// proportionally smaller pools (planted profiles never exceed 60% of n).
func GenerateCorpus(seed int64, profiles, assignments int, today time.Time) *Corpus {
	return GenerateCorpusWith(seed, profiles, assignments, today, Options{})
}

// GenerateCorpusWith is GenerateCorpus made harder by o. With the zero
// Options it draws exactly what GenerateCorpus draws.
func GenerateCorpusWith(seed int64, profiles, assignments int, today time.Time, o Options) *Corpus {
	profiles, assignments = max(profiles, 0), max(assignments, 0)
	g := &synGen{r: rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9e3779b97f4a7c15)), o: o}
	g.today, _ = synDay(sankofa.DateOf(today))
	c := &Corpus{Today: today}

	asgs := make([]synAsg, assignments)
	c.Assignments = make([]sankofa.Assignment, assignments)
	for i := range asgs {
		asgs[i] = g.assignment()
		if sw, ok := sidewaysFillers[asgs[i].prof]; ok && o.Sideways > 0 && g.chance(o.Sideways) {
			asgs[i].sideways = sw
		}
		// Rendered first: planted profiles avoid the assignment's wording.
		c.Assignments[i] = g.renderAssignment(&asgs[i], i, today)
	}

	// Pool sizes, scaled down when the corpus is small.
	rel := make([]int, assignments)
	nm := make([]int, assignments)
	total := 0
	for i := range asgs {
		rel[i], nm[i] = g.between(15, 40), g.between(8, 12)
		total += rel[i] + nm[i] + o.Decoys
	}
	decoys := o.Decoys
	if budget := profiles * 6 / 10; total > budget {
		for i := range asgs {
			rel[i] = rel[i] * budget / total
			nm[i] = nm[i] * budget / total
		}
		decoys = decoys * budget / total
	}

	drafts := make([]synProf, 0, profiles)
	for qi := range asgs {
		a := &asgs[qi]
		for range rel[qi] {
			target := 1 + g.pick(3)
			drafts = append(drafts, g.planted(a, qi, target, ""))
		}
		for range nm[qi] {
			drafts = append(drafts, g.planted(a, qi, 0, g.breakable(a)))
		}
		for range decoys {
			drafts = append(drafts, g.decoy(a, qi))
		}
	}
	for len(drafts) < profiles {
		drafts = append(drafts, g.background())
	}
	g.r.Shuffle(len(drafts), func(i, j int) { drafts[i], drafts[j] = drafts[j], drafts[i] })

	c.Profiles = make([]sankofa.Profile, len(drafts))
	for i := range drafts {
		c.Profiles[i] = g.renderProfile(&drafts[i], i, today)
	}

	// Ground truth.
	ahard := make([]synAHard, assignments)
	alat := make([]synLatent, assignments)
	for i := range asgs {
		ahard[i] = synAssignmentHard(&c.Assignments[i])
		alat[i] = synLatent{req: synBits(asgs[i].req), pref: synBits(asgs[i].pref), specs: synBits(asgs[i].specs)}
	}
	c.Relevance = make([]map[string]int, assignments)
	c.NearMisses = make([]map[string]string, assignments)
	c.Decoys = make([]map[string]bool, assignments)
	for i := range asgs {
		c.Relevance[i] = map[string]int{}
		c.NearMisses[i] = map[string]string{}
		c.Decoys[i] = map[string]bool{}
	}
	full := profiles <= SyntheticFullGradeLimit
	for pi := range drafts {
		d := &drafts[pi]
		p := &c.Profiles[pi]
		if d.nearMiss != "" {
			c.NearMisses[d.planted][p.ID] = d.nearMiss
		}
		if d.decoy {
			c.Decoys[d.planted][p.ID] = true
		}
		if !full && (d.planted < 0 || d.nearMiss != "") {
			continue
		}
		h := synProfileHard(p)
		pl := synLatent{skills: synBits(d.skills), specs: synBits(d.specs)}
		for qi := range asgs {
			if !full && qi != d.planted {
				continue
			}
			if !slices.Contains(ahard[qi].accepted, h.prof) || pl.skills&alat[qi].req == 0 {
				continue // grade 0 whatever the hard constraints
			}
			ok := len(synBreaks(&ahard[qi], &h, false)) == 0
			if gr := grade(alat[qi], pl, ok); gr > 0 {
				c.Relevance[qi][p.ID] = gr
			}
		}
	}
	return c
}

func (g *synGen) assignment() synAsg {
	ci := g.pick(len(synClusters) - 1) // not the teaching cluster
	cl := &synClusters[ci]
	a := synAsg{cluster: ci, prof: cl.profs[g.pick(len(cl.profs))], country: g.pick(synAssignmentCountries)}
	nreq := g.between(1, 3)
	picked := g.subset(cl.skills, len(cl.skills))
	a.req = slices.Clone(picked[:nreq])
	npref := g.pick(4)
	for _, s := range picked[nreq:] {
		if len(a.pref) >= npref {
			break
		}
		if g.chance(0.75) {
			a.pref = append(a.pref, s)
		}
	}
	if len(a.pref) < npref && g.chance(0.6) {
		a.pref = append(a.pref, synClusters[synTeaching].skills[g.pick(4)])
	}
	switch x := g.r.Float64(); {
	case x < 0.5:
		a.specs = g.subset(cl.specs, 1)
	case x < 0.7:
		a.specs = g.subset(cl.specs, 2)
	}
	o := &synOrigins[a.country]
	lv := []int{3, 3, 4, 4, 5} // B1, B1, B2, B2, C1
	if g.chance(0.95) {
		a.langs = append(a.langs, synLang{o.lang, lv[g.pick(len(lv))]})
	}
	if o.code == "CM" && g.chance(0.5) || o.lang != "en" && g.chance(0.15) {
		a.langs = append(a.langs, synLang{"en", lv[g.pick(2)]})
	}
	switch x := g.r.Float64(); {
	case x < 0.45:
		a.mode = sankofa.ModeOnsite
	case x < 0.75:
		a.mode = sankofa.ModeVirtual
	default:
		a.mode = sankofa.ModeHybrid
	}
	if a.mode != sankofa.ModeOnsite {
		a.hours = g.between(2, 16)
	}
	a.start = g.today + g.between(7, 180)
	a.end = a.start + g.between(30, 180) - 1
	if !g.chance(0.3) {
		a.minYears = g.between(1, 10)
	}
	a.licence = g.chance(0.5)
	return a
}

// breakable picks a hard constraint that the assignment lets a near miss
// break.
func (g *synGen) breakable(a *synAsg) string {
	opts := []string{"profession", "mode", "availability", "share_with"}
	if len(a.langs) > 0 {
		opts = append(opts, "language")
	}
	if a.minYears > 0 {
		opts = append(opts, "experience")
	}
	if a.licence {
		opts = append(opts, "licence")
	}
	return opts[g.pick(len(opts))]
}

// base draws the parts of a profile that skills do not decide.
func (g *synGen) base(cluster int, prof string, origin int) synProf {
	d := synProf{cluster: cluster, prof: prof, origin: origin, planted: -1}
	o := &synOrigins[origin]
	cities := synCities[o.lang]
	d.city = cities[g.pick(len(cities))]
	// Languages: native, working language of origin, residence, extra.
	d.addLang(o.natives[g.pick(len(o.natives))], 6)
	d.addLang(o.lang, g.between(5, 6))
	d.addLang(d.city.lang, g.between(4, 6))
	if g.chance(0.4) {
		d.addLang([]string{"en", "fr", "pt"}[g.pick(3)], g.between(1, 5))
	}
	d.years = g.between(0, 30)
	switch x := g.r.Float64(); {
	case x < 0.45:
		d.onsite, d.virt = true, true
	case x < 0.75:
		d.virt = true
	default:
		d.onsite = true
	}
	if d.virt {
		d.hours = g.between(1, 20)
	}
	// Windows: sequential, non-overlapping, ending today or later.
	cur := g.today + g.between(-60, 120)
	for range g.pick(4) {
		w := synWin{cur, cur + g.between(14, 240) - 1}
		if w.to < g.today {
			w.to = g.today + g.pick(30)
		}
		d.wins = append(d.wins, w)
		cur = w.to + g.between(14, 120)
	}
	// Licences: some expiring soon, some expired.
	for range g.pick(3) {
		d.lics = append(d.lics, g.licence(&d, g.today+g.between(-200, 1500)))
	}
	if len(d.lics) > 0 && g.chance(0.15) {
		d.lics[0].exp = g.today + g.pick(90)
	}
	d.share = []string{o.code}
	if g.chance(0.3) {
		d.share = append(d.share, o.neigh[g.pick(len(o.neigh))])
	}
	if g.chance(0.1) {
		if c := synOrigins[g.pick(synAssignmentCountries)].code; !slices.Contains(d.share, c) {
			d.share = append(d.share, c)
		}
	}
	d.alerts = g.chance(0.7)
	d.email = g.chance(0.6)
	return d
}

func (d *synProf) addLang(code string, rank int) {
	for i := range d.langs {
		if d.langs[i].code == code {
			d.langs[i].rank = max(d.langs[i].rank, rank)
			return
		}
	}
	d.langs = append(d.langs, synLang{code, rank})
}

func (g *synGen) licence(d *synProf, exp int) synLic {
	country := d.city.country
	if g.chance(0.25) {
		country = synOrigins[d.origin].code
	}
	return synLic{country, synLicenceBody(country, d.prof), fmt.Sprintf("%s%06d", country, g.pick(1000000)), exp}
}

// noise adds up to k skills from outside the cluster and the excluded set.
func (g *synGen) noise(d *synProf, k int, exclude uint64) {
	for range k {
		ci := synTeaching
		if g.chance(0.5) {
			ci = g.pick(len(synClusters))
		}
		s := synClusters[ci].skills[g.pick(len(synClusters[ci].skills))]
		if exclude&(1<<uint(s)) != 0 || slices.Contains(d.skills, s) {
			continue
		}
		d.skills = append(d.skills, s)
	}
}

func (g *synGen) background() synProf {
	ci := g.pick(len(synClusters) - 1)
	cl := &synClusters[ci]
	d := g.base(ci, cl.profs[g.pick(len(cl.profs))], g.originIndex())
	d.skills = g.subset(cl.skills, g.between(1, min(4, len(cl.skills))))
	g.noise(&d, g.pick(3), 0)
	for len(d.skills) < 2 {
		g.noise(&d, 1, 0)
	}
	switch x := g.r.Float64(); {
	case x < 0.5:
		d.specs = g.subset(cl.specs, 1)
	case x < 0.7:
		d.specs = g.subset(cl.specs, 2)
	}
	return d
}

// planted builds a profile for assignment a that meets every hard
// constraint and aims at grade target (1-3); target 0 makes a near miss:
// grade-3 skills with the constraint broken set.
func (g *synGen) planted(a *synAsg, qi, target int, broken string) synProf {
	origin := a.country
	if g.chance(0.4) {
		origin = g.originIndex()
	}
	prof := a.prof
	if a.sideways != "" && g.chance(0.35) {
		prof = a.sideways
	}
	d := g.base(a.cluster, prof, origin)
	d.planted, d.target, d.nearMiss = qi, target, broken
	d.avoid, d.avoidSpec = a.forms, a.specForms
	cl := &synClusters[a.cluster]

	// Skills and specialties.
	need := (len(a.pref) + 1) / 2
	t := target
	if t == 0 {
		t = 3
	}
	if t == 1 && len(a.req) < 2 {
		t = 2
	}
	specMatch := g.chance(0.5)
	switch t {
	case 3:
		d.skills = slices.Clone(a.req)
		d.skills = append(d.skills, g.subset(a.pref, g.between(need, len(a.pref)))...)
		specMatch = true
	case 2:
		d.skills = slices.Clone(a.req)
		if need > 0 {
			d.skills = append(d.skills, g.subset(a.pref, g.pick(need))...)
		} else {
			specMatch = false
		}
	case 1:
		d.skills = g.subset(a.req, g.between(1, len(a.req)-1))
		d.skills = append(d.skills, g.subset(a.pref, g.pick(len(a.pref)+1))...)
	}
	excl := synBits(a.req) | synBits(a.pref)
	g.noise(&d, g.pick(3), excl)
	for len(d.skills) < 2 {
		g.noise(&d, 1, excl)
	}
	d.skills = d.skills[:min(len(d.skills), 6)]
	g.r.Shuffle(len(d.skills), func(i, j int) { d.skills[i], d.skills[j] = d.skills[j], d.skills[i] })
	d.specs = nil
	if specMatch && len(a.specs) > 0 {
		d.specs = append(d.specs, a.specs[g.pick(len(a.specs))])
	}
	if g.chance(0.4) {
		// A second specialty: from the cluster if it may match, else from
		// another cluster.
		pool := cl.specs
		if !specMatch {
			pool = synClusters[(a.cluster+1+g.pick(len(synClusters)-1))%len(synClusters)].specs
		}
		s := pool[g.pick(len(pool))]
		if !slices.Contains(d.specs, s) && (specMatch || !slices.Contains(a.specs, s)) {
			d.specs = append(d.specs, s)
		}
	}

	// Hard constraints: meet them all.
	for _, l := range a.langs {
		d.addLang(l.code, g.between(l.rank, 6))
	}
	onsite := a.mode == sankofa.ModeOnsite || a.mode == sankofa.ModeHybrid
	virt := a.mode == sankofa.ModeVirtual || a.mode == sankofa.ModeHybrid
	n := a.end - a.start + 1
	half := (n + 1) / 2
	if onsite {
		d.onsite = true
		d.wins = g.windows(a, g.between(half, n))
	}
	if virt {
		d.virt = true
		d.hours = g.between(a.hours, min(a.hours+15, 40))
	}
	if !slices.Contains(d.share, synOrigins[a.country].code) {
		d.share = append(d.share, synOrigins[a.country].code)
	}
	d.years = g.between(a.minYears, a.minYears+20)
	if a.licence && !slices.ContainsFunc(d.lics, func(l synLic) bool { return l.exp >= a.end }) {
		d.lics = append(d.lics, g.licence(&d, a.end+g.pick(900)))
	}

	// Then break one.
	switch broken {
	case "profession":
		d.prof = synFarProfessions[g.pick(len(synFarProfessions))]
		if g.o.Sideways > 0 && a.sideways == "" && sidewaysFillers[a.prof] != "" && g.chance(0.5) {
			// Bare eligibility under a laxer table: the sideways code the
			// ministry did not accept.
			d.prof = sidewaysFillers[a.prof]
		}
	case "language":
		l := a.langs[g.pick(len(a.langs))]
		i := slices.IndexFunc(d.langs, func(x synLang) bool { return x.code == l.code })
		if l.rank > 1 && g.chance(0.5) {
			d.langs[i].rank = g.between(1, l.rank-1)
		} else {
			d.langs = slices.Delete(d.langs, i, i+1) // the native language remains
		}
	case "mode":
		switch {
		case a.mode == sankofa.ModeOnsite || a.mode == sankofa.ModeHybrid && g.chance(0.5):
			d.onsite = false
			if !d.virt {
				d.virt, d.hours = true, max(d.hours, g.between(1, 20))
			}
		default:
			d.virt = false
			if !d.onsite {
				d.onsite = true
				d.wins = g.windows(a, g.between(half, n)) // keep availability sufficient
			}
		}
	case "availability":
		if onsite && (!virt || g.chance(0.5)) {
			d.wins = g.windows(a, g.between(0, half-1))
		} else {
			d.hours = g.between(1, a.hours-1)
		}
	case "share_with":
		c := synOrigins[a.country].code
		d.share = slices.DeleteFunc(d.share, func(s string) bool { return s == c })
		if len(d.share) == 0 {
			o := &synOrigins[a.country]
			d.share = []string{o.neigh[g.pick(len(o.neigh))]}
		}
	case "experience":
		d.years = g.between(0, a.minYears-1)
	case "licence":
		d.lics = slices.DeleteFunc(d.lics, func(l synLic) bool { return l.exp >= a.end })
		if g.chance(0.5) {
			d.lics = append(d.lics, g.licence(&d, g.between(g.today-300, a.end-1)))
		}
	}
	return d
}

// decoy is a worker planted for assignment qi who meets every hard
// constraint (holding the sideways code half the time when the ministry
// accepts one) but whose skills and specialties come from other domains:
// eligible, never relevant.
func (g *synGen) decoy(a *synAsg, qi int) synProf {
	d := g.planted(a, qi, 3, "")
	d.decoy, d.target = true, 0
	if a.sideways != "" && g.chance(0.5) {
		d.prof = a.sideways
	}
	cl := &synClusters[a.cluster]
	own := synBits(cl.skills) | synBits(a.req) | synBits(a.pref)
	var skills []int
	for s := range synSkills {
		if own&(1<<uint(s)) == 0 && !slices.Contains(synClusters[synTeaching].skills, s) {
			skills = append(skills, s)
		}
	}
	d.skills = g.subset(skills, g.between(2, 5))
	var specs []int
	for s := range synSpecs {
		if !slices.Contains(cl.specs, s) && !slices.Contains(a.specs, s) && s != synClusters[synTeaching].specs[0] {
			specs = append(specs, s)
		}
	}
	d.specs = g.subset(specs, g.between(1, 2))
	return d
}

// windows returns availability covering exactly ov days of a's window, plus
// maybe a later window.
func (g *synGen) windows(a *synAsg, ov int) []synWin {
	var ws []synWin
	n := a.end - a.start + 1
	last := a.end
	switch {
	case ov <= 0:
		if a.start-g.today > 20 && g.chance(0.5) {
			// Before the window, ending today or later.
			to := a.start - 1 - g.pick(min(10, a.start-g.today-1))
			ws = append(ws, synWin{max(g.today-30, to-g.between(14, 90)), to})
		}
	case ov >= n:
		ws = append(ws, synWin{a.start - g.pick(40), a.end + g.pick(40)})
		last = ws[0].to
	case g.chance(0.5):
		ws = append(ws, synWin{a.start - g.pick(40), a.start + ov - 1})
	default:
		ws = append(ws, synWin{a.end - ov + 1, a.end + g.pick(40)})
		last = ws[0].to
	}
	if ov <= 0 || g.chance(0.3) {
		from := last + g.between(14, 90)
		ws = append(ws, synWin{from, from + g.between(14, 180)})
	}
	return ws
}

// --- rendering ------------------------------------------------------------

func (g *synGen) form(c *synConcept, lang, avoid string) string {
	var cands []string
	x := g.r.Float64()
	for _, f := range c.forms {
		if f.text == avoid {
			continue
		}
		if x < 0.6 && f.lang == lang || x >= 0.6 && x < 0.75 && f.lang == "" || x >= 0.75 {
			cands = append(cands, f.text)
		}
	}
	if len(cands) == 0 {
		for _, f := range c.forms {
			if f.text != avoid || len(c.forms) == 1 {
				cands = append(cands, f.text)
			}
		}
	}
	return cands[g.pick(len(cands))]
}

// prose picks a form for running text in lang: a form in that language,
// else an abbreviation, else any; avoid is skipped when there is a choice.
func (g *synGen) prose(c *synConcept, lang, avoid string) string {
	for _, want := range []string{lang, ""} {
		var cands []string
		for _, f := range c.forms {
			if f.lang == want && f.text != avoid {
				cands = append(cands, f.text)
			}
		}
		if len(cands) > 0 {
			return cands[g.pick(len(cands))]
		}
	}
	return g.form(c, lang, avoid)
}

// term renders a surface form with random case and, in about 10% of terms,
// one typo in a word of 7 or more letters.
func (g *synGen) term(s string) string {
	if g.chance(0.1) {
		s = g.typo(s)
	}
	switch x := g.r.Float64(); {
	case x < 0.12:
		s = strings.ToLower(s)
	case x < 0.2:
		s = synTitle(s)
	case x < 0.25:
		s = strings.ToUpper(s)
	}
	return s
}

func synTitle(s string) string {
	words := strings.Split(s, " ")
	for i, w := range words {
		r, n := utf8.DecodeRuneInString(w)
		if n > 0 {
			words[i] = string(unicode.ToUpper(r)) + w[n:]
		}
	}
	return strings.Join(words, " ")
}

func synLetters(w []rune) int {
	n := 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

func (g *synGen) typo(s string) string {
	words := strings.Split(s, " ")
	var long []int
	for i, w := range words {
		if synLetters([]rune(w)) >= 7 {
			long = append(long, i)
		}
	}
	if len(long) == 0 {
		return s
	}
	wi := long[g.pick(len(long))]
	w := []rune(words[wi])
	// Positions after the first letter whose rune (and next, for a
	// transposition) is a letter.
	var pos []int
	for i := 1; i < len(w); i++ {
		if unicode.IsLetter(w[i]) {
			pos = append(pos, i)
		}
	}
	i := pos[g.pick(len(pos))]
	switch g.pick(3) {
	case 0: // transposition
		if i+1 < len(w) && unicode.IsLetter(w[i+1]) && w[i] != w[i+1] {
			w[i], w[i+1] = w[i+1], w[i]
			break
		}
		fallthrough
	case 1: // deletion
		w = slices.Delete(w, i, i+1)
	default: // substitution
		for {
			r := rune('a' + g.pick(26))
			if unicode.IsUpper(w[i]) {
				r = unicode.ToUpper(r)
			}
			if r != w[i] {
				w[i] = r
				break
			}
		}
	}
	words[wi] = string(w)
	return strings.Join(words, " ")
}

func (g *synGen) renderAssignment(a *synAsg, i int, today time.Time) sankofa.Assignment {
	o := &synOrigins[a.country]
	lang := o.lang
	li := synLangIndex(lang)
	a.forms = map[int]string{}
	a.specForms = map[int]string{}
	render := func(idx []int) []string {
		out := make([]string, len(idx))
		for k, s := range idx {
			f := g.form(&synSkills[s], lang, "")
			a.forms[s] = f
			out[k] = g.term(f)
		}
		return out
	}
	req, pref := render(a.req), render(a.pref)
	specs := make([]string, len(a.specs))
	for k, s := range a.specs {
		f := g.form(&synSpecs[s], lang, "")
		a.specForms[s] = f
		specs[k] = g.term(f)
	}
	region := o.regions[g.pick(len(o.regions))]
	facility := o.facils[g.pick(len(o.facils))]
	title := synClusters[a.cluster].title[li] + " – " + region
	prefText := strings.Join(pref, ", ")
	var desc string
	switch lang {
	case "fr":
		if prefText == "" {
			prefText = "aucune"
		}
		desc = fmt.Sprintf("%s à %s (%s). Compétences requises : %s. Souhaitées : %s.", synClusters[a.cluster].title[li], facility, region, strings.Join(req, ", "), prefText)
	case "pt":
		if prefText == "" {
			prefText = "nenhuma"
		}
		desc = fmt.Sprintf("%s no %s (%s). Competências exigidas: %s. Desejáveis: %s.", synClusters[a.cluster].title[li], facility, region, strings.Join(req, ", "), prefText)
	default:
		if prefText == "" {
			prefText = "none"
		}
		desc = fmt.Sprintf("%s at %s (%s). Required: %s. Desirable: %s.", synClusters[a.cluster].title[li], facility, region, strings.Join(req, ", "), prefText)
	}
	langs := make([]sankofa.Language, len(a.langs))
	for k, l := range a.langs {
		langs[k] = sankofa.Language{Code: l.code, Level: sankofa.CEFRLevels[l.rank-1]}
	}
	created := today.Add(-time.Duration(g.r.Int64N(30*24*3600)) * time.Second)
	org := [3]string{"Ministry of Health", "Ministère de la Santé", "Ministério da Saúde"}[li]
	return sankofa.Assignment{
		ID:           fmt.Sprintf("syn-q-%05d", i),
		MinistryID:   "syn-m-" + o.code,
		Country:      o.code,
		Organization: org + " (" + o.code + ")",
		AssignmentInput: sankofa.AssignmentInput{
			Title:               title,
			Description:         desc,
			Profession:          a.prof,
			AcceptedProfessions: acceptedFor(a),
			Specialties:         specs,
			RequiredSkills:      req,
			PreferredSkills:     pref,
			Languages:           langs,
			Mode:                a.mode,
			Location:            sankofa.Location{Region: region, Facility: facility},
			Start:               synDate(a.start),
			End:                 synDate(a.end),
			VirtualHoursPerWeek: a.hours,
			MinYearsExperience:  a.minYears,
			LicenceRequired:     a.licence,
			Positions:           1 + g.pick(3),
		},
		Status:    sankofa.AssignmentOpen,
		Version:   1,
		CreatedAt: created,
		UpdatedAt: created,
	}
}

func (g *synGen) renderProfile(d *synProf, i int, today time.Time) sankofa.Profile {
	o := &synOrigins[d.origin]
	lang := o.lang
	if g.chance(0.3) && d.city.lang != "de" {
		lang = d.city.lang
	}
	li := synLangIndex(lang)
	skills := make([]string, 0, len(d.skills)+1)
	forms := make([]string, len(d.skills))
	for k, s := range d.skills {
		forms[k] = g.form(&synSkills[s], lang, d.avoid[s])
		skills = append(skills, g.term(forms[k]))
	}
	if g.chance(0.1) {
		skills = append(skills, synDistractors[g.pick(len(synDistractors))])
	}
	specs := make([]string, len(d.specs))
	for k, s := range d.specs {
		specs[k] = g.term(g.form(&synSpecs[s], lang, d.avoidSpec[s]))
	}
	langs := make([]sankofa.Language, len(d.langs))
	for k, l := range d.langs {
		langs[k] = sankofa.Language{Code: l.code, Level: sankofa.CEFRLevels[l.rank-1]}
	}
	lics := make([]sankofa.Licence, len(d.lics))
	for k, l := range d.lics {
		lics[k] = sankofa.Licence{Country: l.country, Body: l.body, Number: l.number, Expires: synDate(l.exp)}
	}
	wins := make([]sankofa.Window, len(d.wins))
	for k, w := range d.wins {
		wins[k] = sankofa.Window{From: synDate(w.from), To: synDate(w.to)}
	}
	var modes []sankofa.Mode
	if d.onsite {
		modes = append(modes, sankofa.ModeOnsite)
	}
	if d.virt {
		modes = append(modes, sankofa.ModeVirtual)
	}
	if g.chance(0.5) {
		slices.Reverse(modes)
	}
	names := o.names
	given, family := synGiven[names], synFamily[names]
	name := given[g.pick(len(given))] + " " + family[g.pick(len(family))]

	// Bio: prose mentioning some skills, in other words than the list.
	bio := ""
	if g.chance(0.9) {
		var ment []string
		for _, k := range g.subset(synRange(len(d.skills)), g.between(1, min(3, len(d.skills)))) {
			ment = append(ment, g.prose(&synSkills[d.skills[k]], lang, forms[k]))
		}
		pn := synProfNames[d.prof][li]
		switch lang {
		case "fr":
			bio = fmt.Sprintf("%s, %d ans d'expérience, installé·e à %s. Expérience en %s. Disponible pour des missions courtes ou du tutorat à distance.", pn, d.years, d.city.city, synJoin(ment, "et"))
		case "pt":
			bio = fmt.Sprintf("%s com %d anos de experiência, a viver em %s. Experiência em %s. Disponível para missões curtas ou mentoria à distância.", pn, d.years, d.city.city, synJoin(ment, "e"))
		default:
			bio = fmt.Sprintf("%s with %d years of experience, based in %s. Experienced in %s. Keen to help through short missions or remote mentoring.", pn, d.years, d.city.city, synJoin(ment, "and"))
		}
	}
	var contact *sankofa.Contact
	if d.email {
		contact = &sankofa.Contact{Email: fmt.Sprintf("syn.p%07d@example.org", i)}
	}
	age := time.Duration(g.r.Int64N(730*24*3600)) * time.Second
	created := today.Add(-age)
	updated := created.Add(time.Duration(g.r.Int64N(int64(age/time.Second)+1)) * time.Second)
	in := sankofa.ProfileInput{
		FullName:            name,
		Profession:          d.prof,
		Specialties:         specs,
		Skills:              skills,
		Languages:           langs,
		OriginCountry:       o.code,
		ResidenceCountry:    d.city.country,
		Timezone:            d.city.tz,
		YearsExperience:     d.years,
		Licences:            lics,
		Availability:        wins,
		VirtualHoursPerWeek: d.hours,
		Modes:               modes,
		ShareWith:           slices.Clone(d.share),
		Alerts:              d.alerts,
		Bio:                 bio,
		Contact:             contact,
	}
	in.Normalize()
	return sankofa.Profile{
		ID:           fmt.Sprintf("syn-p-%07d", i),
		AccountID:    fmt.Sprintf("syn-a-%07d", i),
		ProfileInput: in,
		Completeness: in.Score(),
		Version:      1,
		CreatedAt:    created,
		UpdatedAt:    updated,
	}
}

// acceptedFor is the policy a ministry states for a: the default, plus
// the sideways code when it accepts one.
func acceptedFor(a *synAsg) []string {
	out := sankofa.DefaultAcceptedProfessions(a.prof)
	if a.sideways != "" && !slices.Contains(out, a.sideways) {
		out = append(out, a.sideways)
	}
	return out
}

func synRange(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func synJoin(xs []string, and string) string {
	if len(xs) <= 1 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " " + and + " " + xs[len(xs)-1]
}
