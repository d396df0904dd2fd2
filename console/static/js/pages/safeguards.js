// The WHO Health Workforce Support and Safeguards List: the public page
// that explains it (/safeguards, readable without signing in), the note a
// match explanation carries for a worker who resides in a listed country,
// and the refusal of an offer the list holds back. It is part of the
// shell, so that a link to /safeguards works before the role pages load.
import { html } from '../html.js';
import { api } from '../api.js';
import { t, countryName, currentLang, fmtDate, fmtNumber } from '../i18n.js';
import { Link } from '../router.js';
import { PageHeader, Loading, ErrorBox, Empty, Badge, useAsync } from '../ui.js';

// WHO_LIST_URL is the WHO's page of the list, for an answer that names
// no link of its own.
export const WHO_LIST_URL = 'https://www.who.int/publications/i/item/9789240069787';

// EXCEPTIONS are why a listed worker may still be matched or offered
// work; each has a sentence in the catalogue.
const EXCEPTIONS = ['interest', 'agreement', 'virtual', 'origin'];

// byName sorts ISO country codes by their name in the reader's language.
export function byName(codes) {
  return [...new Set(codes || [])].map((code) => ({ code, name: countryName(code) }))
    .sort((a, b) => a.name.localeCompare(b.name, currentLang()));
}

// isWebAddress tells a source that can be a link from one that is text.
export const isWebAddress = (s) => /^https?:\/\/\S+$/i.test(s || '');

// WhoLink opens the WHO's page of the list in a new tab; it says so to
// screen readers.
export function WhoLink({ href, children }) {
  return html`<a href=${isWebAddress(href) ? href : WHO_LIST_URL} target="_blank" rel="noopener noreferrer">${children
    || t('safeguards.note.whoList')}<span class="sr-only"> ${t('safeguards.newTab')}</span></a>`;
}

// SafeguardNote is an explanation's "safeguard": where the worker
// resides, and why the match is allowed (or, if restricted, that no
// offer can be sent). reader is "ministry" or "worker", who is told in
// the second person; compact leaves out the badge, for a place that
// already names the list.
export function SafeguardNote({ sg, reader = 'ministry', compact = false }) {
  if (!sg || !sg.listed) return null;
  const who = reader === 'worker' ? 'worker' : 'ministry';
  let why;
  if (sg.restricted) why = t(`safeguards.note.${who}.restricted`);
  else if (EXCEPTIONS.includes(sg.exception)) why = t(`safeguards.note.${who}.${sg.exception}`);
  else why = t(`safeguards.note.${who}.allowed`);
  return html`<div class=${`safeguard-note${sg.restricted ? ' restricted' : ''}${compact ? ' compact' : ''}`}>
    <p>${!compact && html`<${Badge} tone=${sg.restricted ? 'warn' : 'info'}>${t('safeguards.note.badge')}<//>${' '}`}
      ${t(`safeguards.note.${who}.resides`, { country: countryName(sg.country) })} ${why}</p>
    <p class="small"><${Link} href="/safeguards">${t('safeguards.note.about')}<//>${' · '}<${WhoLink} href=${sg.list_url} /></p>
  </div>`;
}

// SafeguardRefusal is the answer to an offer the list holds back (409
// safeguarded_recruitment): the server's reason, in the reader's
// language, and where to read more.
export function SafeguardRefusal({ error }) {
  const p = (error && error.problem) || {};
  return html`<div class="alert info safeguard-refusal" role="alert">
    <p><strong>${t('safeguards.offer.title')}</strong></p>
    <p>${error.detail || t('safeguards.offer.body')}</p>
    <p class="small"><${Link} href="/safeguards">${t('safeguards.note.about')}<//>${' · '}<${WhoLink} href=${p.list_url} /></p>
  </div>`;
}

// isSafeguardRefusal tells the 409 that the list holds an offer back.
export const isSafeguardRefusal = (err) => !!err && err.status === 409 && err.code === 'safeguarded_recruitment';

// agreementDates says when an agreement holds, in the reader's language.
export function agreementDates(a) {
  return a.valid_until
    ? t('safeguards.agreements.between', { from: fmtDate(a.valid_from), until: fmtDate(a.valid_until) })
    : t('safeguards.agreements.since', { from: fmtDate(a.valid_from) });
}

function About() {
  const r = useAsync(() => api('/v1/safeguards', { auth: false }), []);
  const d = r.data;
  const countries = d ? byName(d.countries) : [];
  const agreements = (d && d.agreements) || [];
  return html`<section class="safeguards-page">
    <${PageHeader} title=${t('safeguards.page.title')} subtitle=${t('safeguards.page.lead')} />
    <div class="card">
      <h2>${t('safeguards.page.whatTitle')}</h2>
      <p>${t('safeguards.page.what')}</p>
      <p>${t('safeguards.page.code')}</p>
      <h2>${t('safeguards.page.whyTitle')}</h2>
      <p>${t('safeguards.page.why')}</p>
      <p>${t('safeguards.page.rule')}</p>
      <h2>${t('safeguards.page.allowedTitle')}</h2>
      <ul>
        <li>${t('safeguards.page.allowed.interest')}</li>
        <li>${t('safeguards.page.allowed.agreement')}</li>
        <li>${t('safeguards.page.allowed.virtual')}</li>
        <li>${t('safeguards.page.allowed.origin')}</li>
      </ul>
      <p>${t('safeguards.page.noted')}</p>
    </div>
    <${ErrorBox} error=${r.error} onRetry=${r.reload} />
    ${r.loading && html`<${Loading} />`}
    ${d && html`<div class="card">
      <h2>${t('safeguards.page.countriesTitle')}</h2>
      <p>${t('safeguards.page.edition', { title: d.title || '', edition: d.edition || '', count: fmtNumber(countries.length) })}</p>
      <p class="small">${t('safeguards.page.source')}${' '}${isWebAddress(d.source) ? html`<${WhoLink} href=${d.source}>${d.source}<//>`
        : html`<span>${d.source}</span>${' · '}<${WhoLink} href=${WHO_LIST_URL} />`}${d.isbn ? html` · ISBN ${d.isbn}` : null}</p>
      <ul class="safeguards-countries">${countries.map((c) => html`<li>${c.name}</li>`)}</ul>
      ${d.updated_at && html`<p class="muted small">${t('safeguards.page.updated', { date: fmtDate(d.updated_at) })}</p>`}
      <h2>${t('safeguards.agreements.title')}</h2>
      <p class="small">${t('safeguards.agreements.lead')}</p>
      ${agreements.length === 0 ? html`<${Empty}>${t('safeguards.agreements.empty')}<//>`
        : html`<ul class="safeguards-agreements">${agreements.map((a) => html`<li>
          <strong>${t('safeguards.agreements.pair', { employer: countryName(a.employer_country), source: countryName(a.source_country) })}</strong>
          ${' · '}${a.title}${' · '}<span class="muted">${agreementDates(a)}</span></li>`)}</ul>`}
    </div>`}
  </section>`;
}

export const routes = [
  { path: '/safeguards', view: About, title: 'safeguards.page.title', public: true },
];
