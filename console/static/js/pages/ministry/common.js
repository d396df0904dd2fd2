// What the ministry pages share: the occupations (fetched once), the
// ministry's own assignments, and small pieces of display.
import { html } from '../../html.js';
import { api, query } from '../../api.js';
import { t, currentLang, languageName, fmtNumber } from '../../i18n.js';

let occupations = null;

// loadOccupations fetches GET /v1/occupations once per page load; a
// failure is not cached, so a retry asks again.
export function loadOccupations() {
  if (!occupations) {
    occupations = api('/v1/occupations').then((r) => r.items || [], (err) => { occupations = null; throw err; });
  }
  return occupations;
}

// occupationName names an ISCO-08 code in the officer's language.
export function occupationName(list, code) {
  const o = (list || []).find((x) => x.code === code);
  if (!o) return code || '';
  return o.names[currentLang()] || o.names.en || code;
}

// occupationOptions are the select options for the occupations, by name.
export function occupationOptions(list) {
  return (list || []).map((o) => ({ value: o.code, label: occupationName(list, o.code) }))
    .sort((a, b) => a.label.localeCompare(b.label, currentLang()));
}

// ownAssignments lists the ministry's own assignments. GET /v1/assignments
// also shows a ministry every open assignment of other ministries, so the
// list is asked for the ministry's country and kept to its own ids.
export async function ownAssignments(account, params = {}) {
  const r = await api(`/v1/assignments${query({ country: account.country, limit: 100, ...params })}`);
  return { items: (r.items || []).filter((a) => a.ministry_id === account.id), next: r.next_cursor };
}

// LANGUAGE_CODES are the languages offered in the language pickers: those
// most spoken by health workers of the diaspora and by ministries.
export const LANGUAGE_CODES = ('en fr pt es ar sw ha yo ig ak tw ee ff wo am om so ti rw rn ln kg lg sn zu xh st tn ny mg bm '
  + 'de it nl ru zh hi ur bn tr fa').split(' ');

export const LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'];

export function languageOptions(extra = []) {
  const codes = [...new Set([...LANGUAGE_CODES, ...extra.filter(Boolean)])];
  return codes.map((c) => ({ value: c, label: languageName(c) }))
    .sort((a, b) => a.label.localeCompare(b.label, currentLang()));
}

// Langs shows "English C1 · Twi B2".
export function Langs({ items }) {
  if (!items || !items.length) return null;
  return html`<span>${items.map((l, i) => html`${i > 0 ? ' · ' : ''}${languageName(l.code)} <abbr title=${t('ministry.common.cefr')}>${l.level}</abbr>`)}</span>`;
}

// Figure is one number of a dashboard's stats, with its own loading and
// error state.
export function Figure({ label, value, loading, error }) {
  let shown = value;
  if (loading) shown = '…';
  else if (error) shown = '—';
  return html`<div class="stat" aria-busy=${loading ? 'true' : undefined}>
    <span class="value">${shown}</span>
    <span class="label">${label}</span>
    ${error && html`<span class="sr-only">${t('ministry.common.unavailable')}</span>`}
  </div>`;
}

// Progress shows the positions filled as a bar and in words.
export function Progress({ filled, positions }) {
  return html`<div class="ministry-progress">
    <progress max=${positions || 1} value=${Math.min(filled || 0, positions || 1)} aria-hidden="true"></progress>
    <span>${t('ministry.common.filledOf', { filled: fmtNumber(filled || 0), positions: fmtNumber(positions || 0) })}</span>
  </div>`;
}
