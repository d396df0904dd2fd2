// The WHO safeguards list (admins): its edition and source, the countries
// on it (by name, in the admin's language), and the government-to-
// government agreements that let a ministry recruit from a listed
// country. The list is GET /v1/safeguards, which everyone can read; an
// admin replaces it with PUT /v1/admin/safeguards and records or removes
// agreements under /v1/admin/safeguards/agreements.
import { html, useState, useEffect } from '../../html.js';
import { api } from '../../api.js';
import { t, countryName, countryCodes, currentLang, fmtDateTime, fmtNumber } from '../../i18n.js';
import { Link } from '../../router.js';
import { PageHeader, Loading, ErrorBox, Empty, TextField, SelectField, FormError, ConfirmButton, TableWrap,
  useAsync, useForm, fieldError, toast } from '../../ui.js';
import { byName, agreementDates, WhoLink, isWebAddress } from '../safeguards.js';

let uid = 0;

// parseCountries reads what the admin typed: a country's name in the
// admin's language, or ISO 3166-1 alpha-2 codes separated by spaces or
// commas. It returns {codes, bad}: the codes found, and the first entry
// that is neither.
export function parseCountries(text) {
  const s = text.trim();
  if (!s) return { codes: [], bad: '' };
  const lower = s.toLocaleLowerCase(currentLang());
  const named = countryCodes.find((c) => countryName(c).toLocaleLowerCase(currentLang()) === lower);
  if (named) return { codes: [named], bad: '' };
  const codes = [];
  for (const tok of s.split(/[\s,;]+/).filter(Boolean)) {
    const code = tok.toUpperCase();
    if (!/^[A-Z]{2}$/.test(code) || !countryCodes.includes(code)) return { codes, bad: tok };
    codes.push(code);
  }
  return { codes, bad: '' };
}

// CountryCodes edits a list of ISO codes: chips by name, each removable,
// and a field that takes codes or a name (suggested from a datalist).
// Enter adds what was typed and never submits the form: a keypress that
// arrives without its keydown being cancelled would.
function CountryCodes({ label, values, onChange, error, hint }) {
  const [id] = useState(() => `sg-countries-${++uid}`);
  const [text, setText] = useState('');
  const [local, setLocal] = useState('');
  const add = () => {
    const { codes, bad } = parseCountries(text);
    if (bad) { setLocal(t('safeguards.admin.badCode', { code: bad })); return; }
    if (!codes.length) return;
    const fresh = codes.filter((c) => !values.includes(c));
    if (!fresh.length) { setLocal(t('safeguards.admin.already', { country: countryName(codes[0]) })); return; }
    onChange([...values, ...fresh]);
    setText('');
    setLocal('');
  };
  const shown = local || error;
  const described = [`${id}-hint`, shown && `${id}-err`].filter(Boolean).join(' ');
  const options = byName(countryCodes);
  return html`<div class=${`field safeguards-codes${shown ? ' invalid' : ''}`}>
    <label for=${id}>${label}</label>
    <div class="row">
      <input id=${id} type="text" list=${`${id}-list`} value=${text} autocomplete="off" autocapitalize="characters"
        aria-invalid=${shown ? 'true' : undefined} aria-describedby=${described}
        onInput=${(e) => { setText(e.target.value); setLocal(''); }}
        onKeyDown=${(e) => { if (e.key === 'Enter') { e.preventDefault(); add(); } }}
        onKeyPress=${(e) => { if (e.key === 'Enter') e.preventDefault(); }} />
      <button type="button" class="secondary" onClick=${add}>${t('safeguards.admin.addCountry')}</button>
    </div>
    <datalist id=${`${id}-list`}>${options.map((o) => html`<option value=${o.code} label=${o.name}></option>`)}</datalist>
    <p class="hint" id=${`${id}-hint`}>${hint}</p>
    ${shown && html`<p class="field-error" id=${`${id}-err`} role=${local ? 'alert' : undefined}>${shown}</p>`}
    <p class="safeguards-count" role="status">${t('safeguards.admin.count', { count: fmtNumber(values.length) })}</p>
    ${values.length > 0 && html`<ul class="chips" aria-label=${label}>
      ${byName(values).map((c) => html`<li class="chip">${c.name} <code class="small">${c.code}</code>
        <button type="button" class="chip-remove" aria-label=${t('common.removeItem', { item: c.name })}
          onClick=${() => onChange(values.filter((x) => x !== c.code))}>×</button></li>`)}
    </ul>`}
  </div>`;
}

// ListForm edits the edition, title, source and countries, and saves
// them together.
function ListForm({ list, onSaved }) {
  const initial = () => ({ edition: list.edition || '', title: list.title || '', source: list.source || '', isbn: list.isbn || '',
    countries: [...(list.countries || [])] });
  const f = useForm(initial());
  useEffect(() => { f.setValues(initial()); f.setErrors({}); f.setFormError(null); }, [list.updated_at]);
  const v = f.values;
  const saved = initial();
  const dirty = ['edition', 'title', 'source', 'isbn'].some((k) => v[k] !== saved[k])
    || [...v.countries].sort().join() !== [...saved.countries].sort().join();
  const submit = (e) => {
    e.preventDefault();
    f.submit(async (vals) => {
      const body = { edition: vals.edition.trim(), title: vals.title.trim(), source: vals.source.trim(), countries: vals.countries };
      if (vals.isbn.trim()) body.isbn = vals.isbn.trim();
      const next = await api('/v1/admin/safeguards', { method: 'PUT', body });
      toast(t('safeguards.admin.saved', { count: fmtNumber((next.countries || []).length) }));
      onSaved(next);
    });
  };
  return html`<form class="card" onSubmit=${submit} novalidate aria-labelledby="sg-list-title">
    <h2 id="sg-list-title">${t('safeguards.admin.listTitle')}</h2>
    <${FormError} error=${f.formError} />
    <div class="grid2">
      <${TextField} label=${t('safeguards.admin.titleField')} value=${v.title} required maxlength="200"
        onInput=${(x) => f.set('title', x)} error=${f.errors.title} />
      <${TextField} label=${t('safeguards.admin.edition')} value=${v.edition} required maxlength="40"
        onInput=${(x) => f.set('edition', x)} error=${f.errors.edition} />
      <${TextField} label=${t('safeguards.admin.source')} type="url" value=${v.source} required maxlength="500" inputmode="url"
        onInput=${(x) => f.set('source', x)} error=${f.errors.source} hint=${t('safeguards.admin.sourceHint')} />
      <${TextField} label=${t('safeguards.admin.isbn')} value=${v.isbn} maxlength="17"
        onInput=${(x) => f.set('isbn', x)} error=${f.errors.isbn} hint=${t('safeguards.admin.isbnHint')} />
    </div>
    <${CountryCodes} label=${t('safeguards.admin.countries')} values=${v.countries} onChange=${(x) => f.set('countries', x)}
      error=${fieldError(f.errors, 'countries')} hint=${t('safeguards.admin.countriesHint')} />
    <div class="actions">
      <button type="submit" disabled=${f.busy || !dirty}>${f.busy ? t('safeguards.admin.saving') : t('safeguards.admin.save')}</button>
      <button type="button" class="secondary" disabled=${f.busy || !dirty}
        onClick=${() => { f.setValues(initial()); f.setErrors({}); f.setFormError(null); }}>${t('safeguards.admin.undo')}</button>
      ${dirty && html`<span class="muted small">${t('safeguards.admin.unsaved')}</span>`}
    </div>
  </form>`;
}

// AgreementForm records a government-to-government agreement; the source
// country is one on the list as saved.
function AgreementForm({ listed, onAdded }) {
  const empty = { employer_country: '', source_country: '', title: '', valid_from: '', valid_until: '' };
  const f = useForm(empty);
  const v = f.values;
  const all = byName(countryCodes).map((c) => ({ value: c.code, label: c.name }));
  const sources = byName(listed).map((c) => ({ value: c.code, label: c.name }));
  const submit = (e) => {
    e.preventDefault();
    f.submit(async (vals) => {
      const body = { employer_country: vals.employer_country, source_country: vals.source_country, title: vals.title.trim(), valid_from: vals.valid_from };
      if (vals.valid_until) body.valid_until = vals.valid_until;
      const a = await api('/v1/admin/safeguards/agreements', { method: 'POST', body });
      toast(t('safeguards.admin.agreementAdded', { employer: countryName(a.employer_country), source: countryName(a.source_country) }));
      f.setValues(empty);
      onAdded(a);
    });
  };
  return html`<form class="card" onSubmit=${submit} novalidate aria-labelledby="sg-agreement-new">
    <h3 id="sg-agreement-new">${t('safeguards.admin.newAgreement')}</h3>
    <${FormError} error=${f.formError} />
    <div class="grid2">
      <${SelectField} label=${t('safeguards.admin.employer')} value=${v.employer_country} required empty=${t('common.choose')}
        options=${all} onChange=${(x) => f.set('employer_country', x)} error=${f.errors.employer_country}
        hint=${t('safeguards.admin.employerHint')} />
      <${SelectField} label=${t('safeguards.admin.sourceCountry')} value=${v.source_country} required empty=${t('common.choose')}
        options=${sources} onChange=${(x) => f.set('source_country', x)} error=${f.errors.source_country}
        hint=${t('safeguards.admin.sourceCountryHint')} />
    </div>
    <${TextField} label=${t('safeguards.admin.agreementTitle')} value=${v.title} required maxlength="200"
      onInput=${(x) => f.set('title', x)} error=${f.errors.title} />
    <div class="grid2">
      <${TextField} label=${t('safeguards.admin.validFrom')} type="date" value=${v.valid_from} required
        onInput=${(x) => f.set('valid_from', x)} error=${f.errors.valid_from} />
      <${TextField} label=${t('safeguards.admin.validUntil')} type="date" value=${v.valid_until}
        onInput=${(x) => f.set('valid_until', x)} error=${f.errors.valid_until} hint=${t('safeguards.admin.validUntilHint')} />
    </div>
    <div class="actions"><button type="submit" disabled=${f.busy}>${t('safeguards.admin.addAgreement')}</button></div>
  </form>`;
}

function Agreements({ items, onRemoved }) {
  const remove = async (a) => {
    try {
      await api(`/v1/admin/safeguards/agreements/${encodeURIComponent(a.id)}`, { method: 'DELETE' });
      toast(t('safeguards.admin.agreementRemoved', { title: a.title }));
      onRemoved(a.id);
    } catch (e) { toast(e.human || t('common.error.generic'), 'bad'); }
  };
  if (!items.length) return html`<${Empty}>${t('safeguards.agreements.empty')}<//>`;
  return html`<${TableWrap} label=${t('safeguards.agreements.title')}><table>
    <caption class="sr-only">${t('safeguards.agreements.title')}</caption>
    <thead><tr>
      <th scope="col">${t('safeguards.admin.employer')}</th>
      <th scope="col">${t('safeguards.admin.sourceCountry')}</th>
      <th scope="col">${t('safeguards.admin.agreementTitle')}</th>
      <th scope="col">${t('safeguards.admin.valid')}</th>
      <th scope="col">${t('admin.col.actions')}</th>
    </tr></thead>
    <tbody>${items.map((a) => html`<tr key=${a.id}>
      <td>${countryName(a.employer_country)}</td>
      <td>${countryName(a.source_country)}</td>
      <td class="break">${a.title}</td>
      <td>${agreementDates(a)}</td>
      <td><${ConfirmButton} class="danger small" label=${t('common.remove')}
        confirmLabel=${t('safeguards.admin.removeConfirm')} onConfirm=${() => remove(a)} /></td>
    </tr>`)}</tbody>
  </table><//>`;
}

function Safeguards() {
  const r = useAsync(() => api('/v1/safeguards'), []);
  // The page keeps its own copy, so that an agreement added or removed
  // while another request is under way is not lost.
  const [d, setD] = useState(null);
  useEffect(() => { if (r.data) setD(r.data); }, [r.data]);
  const set = (fn) => setD((prev) => ({ ...prev, ...fn(prev) }));
  return html`<section class="safeguards-admin">
    <${PageHeader} title=${t('safeguards.admin.title')} subtitle=${t('safeguards.admin.lead')}>
      <${Link} href="/safeguards" class="button secondary">${t('safeguards.admin.publicPage')}<//>
    <//>
    <${ErrorBox} error=${r.error} onRetry=${r.reload} />
    ${!d && !r.error && html`<${Loading} />`}
    ${d && html`
      <dl class="facts card">
        <dt>${t('safeguards.admin.edition')}</dt><dd>${d.edition}</dd>
        <dt>${t('safeguards.admin.titleField')}</dt><dd>${d.title || '—'}</dd>
        <dt>${t('safeguards.admin.source')}</dt>
        <dd>${isWebAddress(d.source) ? html`<${WhoLink} href=${d.source}>${d.source}<//>` : d.source}${d.isbn ? ` · ISBN ${d.isbn}` : ''}</dd>
        <dt>${t('safeguards.admin.countries')}</dt><dd>${fmtNumber((d.countries || []).length)}</dd>
        ${d.updated_at && html`<dt>${t('safeguards.admin.updated')}</dt><dd><time datetime=${d.updated_at}>${fmtDateTime(d.updated_at)}</time></dd>`}
      </dl>
      <${ListForm} list=${d} onSaved=${(next) => set((p) => ({ ...next, agreements: next.agreements || p.agreements }))} />
      <section aria-labelledby="sg-agreements">
        <h2 id="sg-agreements">${t('safeguards.agreements.title')}</h2>
        <p class="muted small">${t('safeguards.admin.agreementsLead')}</p>
        <${Agreements} items=${d.agreements || []} onRemoved=${(id) => set((p) => ({ agreements: (p.agreements || []).filter((a) => a.id !== id) }))} />
        <${AgreementForm} listed=${d.countries || []} onAdded=${(a) => set((p) => ({ agreements: [...(p.agreements || []), a] }))} />
      </section>`}
  </section>`;
}

export const routes = [
  { path: '/admin/safeguards', view: Safeguards, title: 'safeguards.admin.title', roles: ['admin'], nav: 'safeguards.admin.nav' },
];
