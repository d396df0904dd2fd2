// Pieces the worker's pages share: the occupations list, an assignment's
// facts, a match explanation and the "I'm interested" button.
import { html, useState } from '../../html.js';
import { api } from '../../api.js';
import { t, tEnum, currentLang, countryName, languageName, fmtDate, fmtNumber } from '../../i18n.js';
import { toast } from '../../ui.js';
import { SafeguardNote } from '../safeguards.js';

let occupations = null;

// loadOccupations fetches GET /v1/occupations once per page load.
export async function loadOccupations() {
  if (!occupations) {
    occupations = api('/v1/occupations').then((r) => r.items || []).catch((e) => { occupations = null; throw e; });
  }
  return occupations;
}

// occupationName names an ISCO-08 code in the user's language.
export function occupationName(list, code) {
  const o = (list || []).find((x) => x.code === code);
  if (!o) return code || '';
  return o.names[currentLang()] || o.names.en || code;
}

// dateRange says "12 Feb 2027 – 12 May 2027".
export function dateRange(from, to) {
  if (!from && !to) return '';
  return t('worker.common.dateRange', { from: fmtDate(from), to: fmtDate(to) });
}

// AssignmentFacts lists where, when and how an assignment happens.
export function AssignmentFacts({ a, occupations: occ, compact = false }) {
  const place = [a.location && a.location.facility, a.location && a.location.region].filter(Boolean).join(', ');
  return html`<dl class="facts">
    <dt>${t('worker.common.ministry')}</dt><dd>${a.organization}${a.country ? ` · ${countryName(a.country)}` : ''}</dd>
    ${compact ? null : html`<dt>${t('worker.common.profession')}</dt><dd>${occupationName(occ, a.profession)}</dd>`}
    <dt>${t('worker.common.mode')}</dt><dd>${tEnum('mode', a.mode)}${a.mode !== 'onsite' && a.virtual_hours_per_week ? ` · ${t('worker.common.hoursPerWeek', { hours: fmtNumber(a.virtual_hours_per_week) })}` : ''}</dd>
    <dt>${t('worker.common.dates')}</dt><dd>${dateRange(a.start, a.end)}</dd>
    ${place ? html`<dt>${t('worker.common.place')}</dt><dd>${place}</dd>` : null}
    ${compact ? null : html`<dt>${t('worker.common.positions')}</dt><dd>${t('worker.common.positionsValue', { filled: fmtNumber(a.filled || 0), total: fmtNumber(a.positions || 0) })}</dd>
      ${a.min_years_experience ? html`<dt>${t('worker.common.minYears')}</dt><dd>${fmtNumber(a.min_years_experience)}</dd>` : null}
      <dt>${t('worker.common.licence')}</dt><dd>${a.licence_required ? t('worker.common.licenceRequired') : t('worker.common.licenceNotRequired')}</dd>`}
  </dl>`;
}

// A matched skill reached through a neighbour in the taxonomy reads
// "skill (through other skill)": it is shown as related.
const related = (s) => /\s\(.+\)$/.test(s);

// Explanation shows why an assignment fits: skills, languages, time and
// the matcher's reasons (written in the account's language by the API).
export function Explanation({ a, ex }) {
  if (!ex) return null;
  const matched = (ex.matched_skills || []).filter((s) => !related(s));
  const near = (ex.matched_skills || []).filter(related);
  const missing = ex.missing_skills || [];
  const onsite = a && a.mode !== 'virtual';
  const virtual = a && a.mode !== 'onsite';
  return html`<div class="worker-explain">
    ${matched.length > 0 && html`<p class="small"><strong>${t('worker.explain.matched')}</strong></p>
      <ul class="explain">${matched.map((s) => html`<li class="skill matched">${s}</li>`)}</ul>`}
    ${near.length > 0 && html`<p class="small"><strong>${t('worker.explain.related')}</strong></p>
      <ul class="explain">${near.map((s) => html`<li class="skill related">${s}</li>`)}</ul>`}
    ${missing.length > 0 && html`<p class="small"><strong>${t('worker.explain.missing')}</strong></p>
      <ul class="explain">${missing.map((s) => html`<li class="skill missing">${s}</li>`)}</ul>`}
    <ul class="worker-fits small">
      ${(ex.languages || []).map((l) => html`<li class=${l.meets ? 'fit-ok' : 'fit-bad'}>
        <span aria-hidden="true">${l.meets ? '✓ ' : '✗ '}</span>${t(l.level ? 'worker.explain.language' : 'worker.explain.languageNone',
          { language: languageName(l.code), level: l.level || '', required: l.required })}</li>`)}
      ${onsite ? html`<li class=${ex.availability_overlap_days > 0 ? 'fit-ok' : 'fit-bad'}>
        <span aria-hidden="true">${ex.availability_overlap_days > 0 ? '✓ ' : '✗ '}</span>${t('worker.explain.overlap', { days: fmtNumber(ex.availability_overlap_days || 0) })}</li>` : null}
      ${virtual ? html`<li>${t('worker.explain.tzOverlap', { hours: fmtNumber(ex.timezone_overlap_hours || 0, { maximumFractionDigits: 1 }) })}</li>` : null}
      ${a && a.licence_required ? html`<li>${t('worker.explain.licence')}</li>` : null}
      ${ex.substitution ? html`<li>${t('worker.explain.substitution', { profession: ex.substitution.label })}</li>` : null}
    </ul>
    <${SafeguardNote} sg=${ex.safeguard} reader="worker" />
    ${(ex.reasons || []).length > 0 && html`<details class="worker-reasons">
      <summary>${t('worker.explain.reasons')}</summary>
      <ul class="small">${ex.reasons.map((r) => html`<li>${r}</li>`)}</ul>
    </details>`}
  </div>`;
}

// The assignments this browser has said "I'm interested" in; the API
// does not list them back to the worker, and saying it twice is harmless.
const interestKey = (account) => `sankofa.interest.${account ? account.id : ''}`;
function interested(account) {
  try { return new Set(JSON.parse(localStorage.getItem(interestKey(account)) || '[]')); } catch { return new Set(); }
}

// InterestButton posts POST /v1/assignments/{id}/interest and then says
// that the ministry was told.
export function InterestButton({ id, account, title }) {
  const [state, setState] = useState(() => (interested(account).has(id) ? 'sent' : 'idle'));
  const [error, setError] = useState('');
  const click = async () => {
    setState('busy');
    setError('');
    try {
      await api(`/v1/assignments/${encodeURIComponent(id)}/interest`, { method: 'POST' });
      const s = interested(account);
      s.add(id);
      localStorage.setItem(interestKey(account), JSON.stringify([...s].slice(-200)));
      setState('sent');
      toast(t('worker.interest.sentToast'));
    } catch (e) {
      setState('idle');
      setError(e.human || t('common.error.generic'));
    }
  };
  if (state === 'sent') {
    return html`<p class="worker-interest-sent" role="status"><span aria-hidden="true">✓ </span>${t('worker.interest.sent')}</p>`;
  }
  return html`<div class="worker-interest">
    <button type="button" disabled=${state === 'busy'} onClick=${click}
      aria-label=${title ? t('worker.interest.buttonFor', { title }) : undefined}>${t('worker.interest.button')}</button>
    ${error && html`<p class="field-error" role="alert">${error}</p>`}
  </div>`;
}
