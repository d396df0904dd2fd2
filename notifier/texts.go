package notifier

import (
	"bytes"
	"strings"

	"sankofa"
)

// texts holds, for each notification kind and locale, a title and a body
// template. {name} is replaced by params["name"]. A kind may add a variant
// "<kind>#one", used when params["count"] is "1". Adding a language is
// adding a column here, and to statuses.
var texts = map[string]map[string][2]string{
	sankofa.NoteOfferReceived: {
		"en": {"New offer: {assignment}", "{ministry} has an offer for you: {assignment} ({country}). Please reply by {expires}."},
		"fr": {"Nouvelle offre\u00a0: {assignment}", "{ministry} vous propose la mission {assignment} ({country}). Merci de répondre avant le {expires}."},
		"pt": {"Nova oferta: {assignment}", "{ministry} propõe-lhe a missão {assignment} ({country}). Responda até {expires}."},
	},
	sankofa.NoteOfferAccepted: {
		"en": {"Offer accepted: {assignment}", "{professional} accepted your offer for {assignment}. You can now see their contact details."},
		"fr": {"Offre acceptée\u00a0: {assignment}", "{professional} a accepté votre offre pour {assignment}. Ses coordonnées sont désormais visibles."},
		"pt": {"Oferta aceite: {assignment}", "{professional} aceitou a sua oferta para {assignment}. Os contactos já estão visíveis."},
	},
	sankofa.NoteOfferDeclined: {
		"en": {"Offer declined: {assignment}", "{professional} declined your offer for {assignment}. {reason}"},
		"fr": {"Offre déclinée\u00a0: {assignment}", "{professional} a décliné votre offre pour {assignment}. {reason}"},
		"pt": {"Oferta recusada: {assignment}", "{professional} recusou a sua oferta para {assignment}. {reason}"},
	},
	sankofa.NoteOfferWithdrawn: {
		"en": {"Offer withdrawn: {assignment}", "{ministry} withdrew its offer for {assignment}. {reason}"},
		"fr": {"Offre retirée\u00a0: {assignment}", "{ministry} a retiré son offre pour {assignment}. {reason}"},
		"pt": {"Oferta retirada: {assignment}", "{ministry} retirou a oferta para {assignment}. {reason}"},
	},
	sankofa.NoteOfferExpired: {
		"en": {"Offer expired: {assignment}", "The offer for {assignment} expired without an answer."},
		"fr": {"Offre expirée\u00a0: {assignment}", "L’offre pour {assignment} a expiré sans réponse."},
		"pt": {"Oferta expirada: {assignment}", "A oferta para {assignment} expirou sem resposta."},
	},
	sankofa.NoteInterest: {
		"en": {"New interest: {assignment}", "{professional} is interested in {assignment}. Review their profile and send an offer."},
		"fr": {"Nouvel intérêt\u00a0: {assignment}", "{professional} s’intéresse à la mission {assignment}. Consultez son profil et envoyez une offre."},
		"pt": {"Novo interesse: {assignment}", "{professional} tem interesse na missão {assignment}. Veja o perfil e envie uma oferta."},
	},
	sankofa.NoteAssignmentNew: {
		"en": {"New assignment: {assignment}", "{ministry} ({country}) posted an assignment that matches your profile."},
		"fr": {"Nouvelle mission\u00a0: {assignment}", "{ministry} ({country}) a publié une mission qui correspond à votre profil."},
		"pt": {"Nova missão: {assignment}", "{ministry} ({country}) publicou uma missão compatível com o seu perfil."},
	},
	sankofa.NoteAlertDigest: {
		"en": {"{count} new assignments for you", "{count} assignments matching your profile were posted. Open Sankofa to see them."},
		"fr": {"{count} nouvelles missions pour vous", "{count} missions correspondant à votre profil ont été publiées. Ouvrez Sankofa pour les découvrir."},
		"pt": {"{count} novas missões para si", "Foram publicadas {count} missões compatíveis com o seu perfil. Abra o Sankofa para as ver."},
	},
	sankofa.NoteAlertDigest + "#one": {
		"en": {"1 new assignment for you", "An assignment matching your profile was posted. Open Sankofa to see it."},
		"fr": {"1 nouvelle mission pour vous", "Une mission correspondant à votre profil a été publiée. Ouvrez Sankofa pour la découvrir."},
		"pt": {"1 nova missão para si", "Foi publicada uma missão compatível com o seu perfil. Abra o Sankofa para a ver."},
	},
	sankofa.NoteAssignmentDone: {
		"en": {"Assignment update: {assignment}", "The assignment {assignment} is now {status}. {reason}"},
		"fr": {"Mise à jour\u00a0: {assignment}", "La mission {assignment} est désormais {status}. {reason}"},
		"pt": {"Atualização: {assignment}", "A missão {assignment} está agora {status}. {reason}"},
	},
	sankofa.NoteVerifyRequested: {
		"en": {"Licence to verify: {professional}", "{professional} asks for their licence from {body} ({country}) to be verified."},
		"fr": {"Autorisation à vérifier\u00a0: {professional}", "{professional} demande la vérification de son autorisation d’exercer délivrée par {body} ({country})."},
		"pt": {"Licença a verificar: {professional}", "{professional} pede a verificação da sua licença emitida por {body} ({country})."},
	},
	sankofa.NoteVerifyDecided: {
		"en": {"Licence verification: {status}", "Your licence from {body} ({country}) is now {status}. {note}"},
		"fr": {"Vérification de l’autorisation\u00a0: {status}", "Votre autorisation d’exercer délivrée par {body} ({country}) est désormais {status}. {note}"},
		"pt": {"Verificação da licença: {status}", "A sua licença emitida por {body} ({country}) está agora {status}. {note}"},
	},
	sankofa.NoteMissionEvaluate: {
		"en": {"How did it go? {assignment}", "The mission {assignment} has ended. Please evaluate it by {due}; the worker's report on it is due by {report_due}."},
		"fr": {"Comment s’est passée la mission ? {assignment}", "La mission {assignment} est terminée. Merci de l’évaluer avant le {due} ; le rapport du professionnel est attendu avant le {report_due}."},
		"pt": {"Como correu? {assignment}", "A missão {assignment} terminou. Avalie-a até {due}; o relatório do profissional deve ser entregue até {report_due}."},
	},
	sankofa.NoteMissionReportDue: {
		"en": {"Report due: {assignment}", "Your report on the mission {assignment} is due by {due}. Share what you did and learned: once both sides agree, it helps others."},
		"fr": {"Rapport attendu : {assignment}", "Votre rapport sur la mission {assignment} est attendu avant le {due}. Partagez ce que vous avez fait et appris : une fois publié avec l’accord des deux parties, il aidera d’autres équipes."},
		"pt": {"Relatório pendente: {assignment}", "O seu relatório sobre a missão {assignment} deve ser entregue até {due}. Partilhe o que fez e aprendeu: publicado com o acordo de ambas as partes, ajudará outras equipas."},
	},
	// fallback serves a kind without texts, so a new kind shows something.
	fallback: {
		"en": {"Sankofa", "You have a new notification."},
		"fr": {"Sankofa", "Vous avez une nouvelle notification."},
		"pt": {"Sankofa", "Tem uma nova notificação."},
	},
}

const fallback = "*"

// statuses translates the assignment and offer statuses a {status} may hold.
var statuses = map[string]map[string]string{
	"open":      {"en": "open", "fr": "ouverte", "pt": "aberta"},
	"filled":    {"en": "filled", "fr": "pourvue", "pt": "preenchida"},
	"closed":    {"en": "closed", "fr": "clôturée", "pt": "encerrada"},
	"cancelled": {"en": "cancelled", "fr": "annulée", "pt": "cancelada"},
	"draft":     {"en": "a draft", "fr": "en brouillon", "pt": "um rascunho"},
	"accepted":  {"en": "accepted", "fr": "acceptée", "pt": "aceite"},
	"declined":  {"en": "declined", "fr": "déclinée", "pt": "recusada"},
	"withdrawn": {"en": "withdrawn", "fr": "retirée", "pt": "retirada"},
	"expired":   {"en": "expired", "fr": "expirée", "pt": "expirada"},
	// A licence's verification statuses.
	"validated":   {"en": "verified", "fr": "vérifiée", "pt": "verificada"},
	"val-fail":    {"en": "not verified: the check failed", "fr": "non vérifiée\u00a0: la vérification a échoué", "pt": "não verificada: a verificação falhou"},
	"req-revalid": {"en": "due for a new verification", "fr": "à vérifier de nouveau", "pt": "a verificar de novo"},
	"in-process":  {"en": "being verified", "fr": "en cours de vérification", "pt": "em verificação"},
}

// Render returns the title and body of a notification of kind in locale
// ("fr", "pt-BR", ...; English when unknown), filled from params. A missing
// parameter renders as nothing; a kind without texts renders a generic
// notice.
func Render(kind, locale string, params map[string]string) (title, body string) {
	lang := baseLanguage(locale)
	byLang, ok := texts[kind]
	if params["count"] == "1" {
		if one, ok1 := texts[kind+"#one"]; ok1 {
			byLang, ok = one, true
		}
	}
	if !ok {
		byLang = texts[fallback]
	}
	t, ok := byLang[lang]
	if !ok {
		lang = "en"
		t = byLang[lang]
	}
	if s, ok := statuses[params["status"]][lang]; ok {
		params = withParam(params, "status", s)
	}
	return fill(t[0], params), fill(t[1], params)
}

// baseLanguage reduces a locale such as "fr-CA" or "pt_BR" to "fr", "pt".
func baseLanguage(locale string) string {
	if i := strings.IndexAny(locale, "-_"); i >= 0 {
		locale = locale[:i]
	}
	return strings.ToLower(strings.TrimSpace(locale))
}

func withParam(params map[string]string, k, v string) map[string]string {
	out := make(map[string]string, len(params))
	for pk, pv := range params {
		out[pk] = pv
	}
	out[k] = v
	return out
}

// fill replaces each {name} in tmpl by params[name], inserted as is. An
// empty value takes with it the parentheses around it and the space after
// it, so that no "()", double space or " ." is left.
func fill(tmpl string, params map[string]string) string {
	var b []byte
	for {
		i := strings.IndexByte(tmpl, '{')
		j := strings.IndexByte(tmpl[max(i, 0):], '}')
		if i < 0 || j < 0 {
			b = append(b, tmpl...)
			break
		}
		b = append(b, tmpl[:i]...)
		v := params[tmpl[i+1:i+j]]
		tmpl = tmpl[i+j+1:]
		if v != "" {
			b = append(b, v...)
			continue
		}
		if len(b) > 0 && b[len(b)-1] == '(' && strings.HasPrefix(tmpl, ")") {
			b, tmpl = b[:len(b)-1], tmpl[1:]
		}
		if len(b) == 0 || b[len(b)-1] == ' ' {
			tmpl = strings.TrimLeft(tmpl, " ")
		}
		if strings.HasPrefix(tmpl, ".") || strings.HasPrefix(tmpl, ",") {
			b = bytes.TrimRight(b, " ")
		}
	}
	return strings.TrimSpace(string(b))
}
