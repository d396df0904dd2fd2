// The pieces the assignment page shows for one person: who they are, how
// well they fit (score, skills, languages, time, licence) and the inline
// form that sends them an offer. Matches, the shortlist, the comparison and
// the interest list all use them, so a person reads the same everywhere.
import { html, useState, useEffect } from '../../html.js';
import { api, ApiError } from '../../api.js';
import { t, tEnum, fmtDate, fmtNumber, fmtPercent, countryName, languageName } from '../../i18n.js';
import { TextArea, TextField, useForm, toast } from '../../ui.js';
import { loadOccupations, occupationName } from './common.js';
import { SafeguardNote, SafeguardRefusal, isSafeguardRefusal } from '../safeguards.js';

// useProfession names an ISCO code in the reader's language, from the
// occupations the ministry pages fetch once.
export function useProfession() {
  const [list, setList] = useState(null);
  useEffect(() => {
    let live = true;
    loadOccupations().then((l) => { if (live) setList(l); }, () => {});
    return () => { live = false; };
  }, []);
  return (code) => occupationName(list, code);
}

// The matcher names a skill earned through a neighbour in the taxonomy
// "X (through Y)" in the reader's language; the page shows it as related.
const THROUGH = [/^(.+) \(through (.+)\)$/, /^(.+) \(par (.+)\)$/, /^(.+) \(através de (.+)\)$/];

// splitSkills sorts an explanation's skills into matched, related (with
// the worker's skill that earned the credit) and missing.
export function splitSkills(ex) {
  const matched = [];
  const related = [];
  for (const r of (ex && ex.related_skills) || []) {
    if (typeof r === 'string') related.push({ skill: r, via: '' });
    else if (r) related.push({ skill: r.skill || r.label || '', via: r.via || '' });
  }
  for (const s of (ex && ex.matched_skills) || []) {
    const m = THROUGH.map((re) => s.match(re)).find(Boolean);
    if (m) related.push({ skill: m[1], via: m[2] });
    else matched.push(s);
  }
  return { matched, related, missing: (ex && ex.missing_skills) || [] };
}

const DAY = 86400000;

// windowDays is the number of calendar days of an assignment, inclusive.
export function windowDays(asg) {
  const a = Date.parse(`${asg.start}T00:00:00Z`);
  const b = Date.parse(`${asg.end}T00:00:00Z`);
  return Number.isNaN(a) || Number.isNaN(b) ? 0 : Math.round((b - a) / DAY) + 1;
}

// licenceText says whether the worker holds a licence valid through the
// end of the assignment.
export function licenceText(asg, profile) {
  const lic = (profile && profile.licences) || [];
  const valid = lic.filter((l) => l.expires >= asg.end).sort((a, b) => (a.expires < b.expires ? 1 : -1));
  if (valid.length) return { ok: true, text: t('assignment.explain.licenceValid', { country: countryName(valid[0].country), date: fmtDate(valid[0].expires) }) };
  if (lic.length) {
    const last = [...lic].sort((a, b) => (a.expires < b.expires ? 1 : -1))[0];
    return { ok: !asg.licence_required, text: t('assignment.explain.licenceEnds', { country: countryName(last.country), date: fmtDate(last.expires) }) };
  }
  return { ok: !asg.licence_required, text: t('assignment.explain.licenceNone') };
}

// availabilityText describes the time the worker can give, in the terms
// of the assignment's mode.
export function availabilityText(asg, profile, ex) {
  const out = [];
  if (asg.mode !== 'virtual') {
    out.push(t('assignment.explain.overlap', { days: fmtNumber(ex.availability_overlap_days || 0), total: fmtNumber(windowDays(asg)) }));
  }
  if (asg.mode !== 'onsite') {
    out.push(t('assignment.explain.timezone', { hours: fmtNumber(ex.timezone_overlap_hours || 0, { maximumFractionDigits: 1 }) }));
    if (profile) out.push(t('assignment.explain.virtualHours', { hours: fmtNumber(profile.virtual_hours_per_week || 0) }));
  }
  return out;
}

export function Score({ score, label }) {
  return html`<div class="asg-score">
    <span class="score">${fmtPercent(score)}</span>
    <meter min="0" max="1" low="0.35" high="0.65" optimum="1" value=${score} aria-label=${label || t('assignment.match.score')}></meter>
  </div>`;
}

// Skills shows the three kinds of skills as labelled chip lists.
export function Skills({ ex, compact }) {
  const { matched, related, missing } = splitSkills(ex);
  const group = (kind, items, render) => (items.length ? html`<div class="asg-skills">
      <span class="asg-skills-label">${t(`assignment.explain.${kind}`)}</span>
      <ul class="explain">${items.map((s) => html`<li class=${`skill ${kind}`}>${render(s)}</li>`)}</ul>
    </div>` : null);
  const none = !matched.length && !related.length && !missing.length;
  return html`<div class=${compact ? 'asg-skillset compact' : 'asg-skillset'}>
    ${group('matched', matched, (s) => s)}
    ${group('related', related, (r) => (r.via ? t('assignment.explain.via', { skill: r.skill, via: r.via }) : r.skill))}
    ${group('missing', missing, (s) => s)}
    ${none && html`<p class="muted small">${t('assignment.explain.noSkillsAsked')}</p>`}
  </div>`;
}

export function Languages({ ex }) {
  const langs = (ex && ex.languages) || [];
  if (!langs.length) return html`<span class="muted">${t('assignment.explain.noLanguagesAsked')}</span>`;
  return html`<ul class="asg-inline">${langs.map((l) => html`<li class=${l.meets ? 'meets' : 'fails'}>
    ${t(l.meets ? 'assignment.explain.langMeets' : 'assignment.explain.langFails', {
      language: languageName(l.code), level: l.level || t('assignment.explain.levelNone'), required: l.required })}</li>`)}</ul>`;
}

// Explanation is the full "why": skills, languages, time, licence, the
// substitution if any, and the matcher's own sentences.
export function Explanation({ asg, profile, ex }) {
  if (!ex) return null;
  const lic = licenceText(asg, profile);
  return html`<div class="asg-explain">
    <${Skills} ex=${ex} />
    <dl class="facts">
      <dt>${t('assignment.explain.languages')}</dt><dd><${Languages} ex=${ex} /></dd>
      <dt>${t('assignment.explain.availability')}</dt><dd>${availabilityText(asg, profile, ex).join(' · ')}</dd>
      <dt>${t('assignment.explain.licence')}</dt><dd class=${lic.ok ? '' : 'asg-warn'}>${lic.text}${asg.licence_required ? ` (${t('assignment.explain.licenceRequired')})` : ''}</dd>
      ${ex.substitution && html`<dt>${t('assignment.explain.substitution')}</dt><dd>${ex.substitution.label}</dd>`}
    </dl>
    ${!ex.evidence && html`<p class="asg-warn small">${t('assignment.explain.noEvidence')}</p>`}
    <${SafeguardNote} sg=${ex.safeguard} />
    ${ex.reasons && ex.reasons.length > 0 && html`<details class="asg-reasons">
      <summary>${t('assignment.explain.reasons')}</summary>
      <ul>${ex.reasons.map((r) => html`<li>${r}</li>`)}</ul>
    </details>`}
  </div>`;
}

// PersonLine is the line under a name: profession, where they live,
// where they come from, experience.
export function PersonLine({ profile, profession }) {
  if (!profile) return null;
  return html`<p class="muted small asg-person-line">
    <span>${profession(profile.profession)}</span>
    <span>${t('assignment.person.residence', { country: countryName(profile.residence_country) })}</span>
    ${profile.origin_country && html`<span>${t('assignment.person.origin', { country: countryName(profile.origin_country) })}</span>`}
    <span>${t('assignment.person.experience', { years: fmtNumber(profile.years_experience || 0) })}</span>
  </p>`;
}

function isoDay(d) { return d.toISOString().slice(0, 10); }

// OfferForm sends one person an offer: a message and the last day to
// answer. Field errors appear under their inputs; a refusal that names
// the assignment's constraints the person no longer meets lists them.
export function OfferForm({ asg, profile, name, onSent, onCancel }) {
  const today = new Date();
  const f = useForm({
    message: t('assignment.offer.defaultMessage', { name: name || '', title: asg.title }),
    expires: isoDay(new Date(today.getTime() + 7 * DAY)),
  });
  const submit = (e) => {
    e.preventDefault();
    f.submit(async (v) => {
      const body = { profile_id: profile, message: v.message.trim() };
      if (v.expires) {
        // The end of the chosen day where the officer is.
        const end = new Date(`${v.expires}T23:59:00`);
        if (Number.isNaN(end.getTime())) {
          f.setErrors({ expires_at: t('assignment.offer.badDate') });
          return;
        }
        body.expires_at = end.toISOString();
      }
      const o = await api(`/v1/assignments/${encodeURIComponent(asg.id)}/offers`, { method: 'POST', body, idempotent: true });
      toast(t('assignment.offer.sent', { name: name || '' }));
      onSent(o);
    });
  };
  const err = f.formError;
  const known = ['message', 'expires_at'];
  const other = err ? Object.entries(err.fields || {}).filter(([k]) => !known.includes(k)) : [];
  return html`<form class="asg-offer-form" onSubmit=${submit} novalidate aria-label=${t('assignment.offer.formLabel', { name: name || '' })}>
    <h4>${t('assignment.offer.formTitle', { name: name || '' })}</h4>
    ${err && isSafeguardRefusal(err) && html`<${SafeguardRefusal} error=${err} />`}
    ${err && !isSafeguardRefusal(err) && html`<div class="alert error" role="alert">
      <p>${err instanceof ApiError && err.status === 409 ? t('assignment.offer.refused') : (other.length || Object.keys(err.fields || {}).length === 0 ? err.human : t('common.error.fields', { count: Object.keys(err.fields).length }))}</p>
      ${err.status === 409 && err.detail && html`<p>${err.detail}</p>`}
      ${other.length > 0 && html`<ul>${other.map(([k, m]) => html`<li>${m}</li>`)}</ul>`}
    </div>`}
    <${TextArea} label=${t('assignment.offer.message')} value=${f.values.message} rows="4" maxlength="2000"
      onInput=${(v) => f.set('message', v)} error=${f.errors.message} hint=${t('assignment.offer.messageHint')} />
    <${TextField} label=${t('assignment.offer.expires')} type="date" value=${f.values.expires}
      min=${isoDay(today)} max=${isoDay(new Date(today.getTime() + 89 * DAY))}
      onInput=${(v) => f.set('expires', v)} error=${f.errors.expires_at} hint=${t('assignment.offer.expiresHint')} />
    <div class="actions">
      <button type="submit" disabled=${f.busy}>${f.busy ? t('assignment.offer.sending') : t('assignment.offer.submit')}</button>
      <button type="button" class="secondary" onClick=${onCancel}>${t('common.cancel')}</button>
    </div>
  </form>`;
}

// liveOffer is the person's offer that still counts (pending, being
// accepted or accepted), if any.
export function liveOffer(offers, profileID) {
  return (offers || []).find((o) => o.profile_id === profileID && ['pending', 'accepting', 'accepted'].includes(o.status));
}

// PersonActions are the buttons under a person: shortlist and offer,
// with the offer form opening inline below them.
export function PersonActions({ ctx, profile, name, hideShortlist }) {
  const [offering, setOffering] = useState(false);
  if (ctx.readOnly) return null;
  const live = liveOffer(ctx.offers, profile.id);
  const listed = ctx.isShortlisted(profile.id);
  const canOffer = ctx.asg.status === 'open';
  return html`<div>
    <div class="actions asg-person-actions">
      ${!hideShortlist && (listed
        ? html`<span class="badge info">${t('assignment.shortlist.onList')}</span>`
        : html`<button type="button" class="secondary small" onClick=${() => ctx.addToShortlist(profile)}
            aria-label=${t('assignment.shortlist.addOf', { name })}>${t('assignment.shortlist.add')}</button>`)}
      ${live
        ? html`<span class="badge ok">${t('assignment.offer.already', { status: tEnum('offer', live.status) })}</span>`
        : canOffer && !offering && html`<button type="button" class="small" onClick=${() => setOffering(true)}
            aria-label=${t('assignment.offer.sendTo', { name })}>${t('assignment.offer.send')}</button>`}
    </div>
    ${offering && !live && html`<${OfferForm} asg=${ctx.asg} profile=${profile.id} name=${name}
      onSent=${(o) => { setOffering(false); ctx.offerSent(o); }} onCancel=${() => setOffering(false)} />`}
  </div>`;
}
