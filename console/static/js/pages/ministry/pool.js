// Faceted search of the health workers who share their profile with the
// ministry's country (GET /v1/profiles). The filters live in the URL, so
// a reload or a shared link keeps them; contact details are never shown
// (the API leaves them out for ministries).
import { html, useEffect, useState } from '../../html.js';
import { api, query } from '../../api.js';
import { t, fmtDate, fmtNumber, countryName, languageName, tEnum } from '../../i18n.js';
import { setQuery, Link } from '../../router.js';
import { PageHeader, Loading, ErrorBox, Empty, Pager, TextField } from '../../ui.js';
import { loadOccupations, occupationName, Langs } from './common.js';

const FACETS = ['profession', 'language', 'mode', 'residence_country', 'origin_country'];
const KEYS = ['q', ...FACETS, 'available_from', 'available_to'];

function readQuery() {
  const u = new URLSearchParams(location.search);
  return Object.fromEntries(KEYS.map((k) => [k, u.get(k) || '']));
}

// FacetGroup shows a facet's counts as checkboxes. The API filters on one
// value per facet, so ticking a value replaces the one ticked before.
function FacetGroup({ name, counts, selected, label, onPick }) {
  const entries = Object.entries(counts || {});
  if (selected && !entries.some(([v]) => v === selected)) entries.push([selected, 0]);
  if (!entries.length) return null;
  entries.sort((a, b) => b[1] - a[1] || label(a[0]).localeCompare(label(b[0])));
  return html`<fieldset class="field ministry-facet">
    <legend>${t(`ministry.pool.facet.${name}`)}</legend>
    <ul class="ministry-facet-list">
      ${entries.map(([value, count]) => {
        const id = `facet-${name}-${value}`;
        return html`<li class="check"><input id=${id} type="checkbox" checked=${selected === value}
          onChange=${(e) => onPick(name, e.currentTarget.checked ? value : '')} />
          <label for=${id}>${label(value)} <span class="muted">(${fmtNumber(count)})</span></label></li>`;
      })}
    </ul>
  </fieldset>`;
}

function Availability({ windows }) {
  const list = (windows || []).filter((w) => w.to >= new Date().toISOString().slice(0, 10)).slice(0, 2);
  if (!list.length) return html`<span class="muted">${t('ministry.pool.noWindows')}</span>`;
  return html`<span>${list.map((w, i) => html`${i > 0 ? ', ' : ''}${fmtDate(w.from)} – ${fmtDate(w.to)}`)}</span>`;
}

function ProfileCard({ p, occ }) {
  const modes = (p.modes || []).map((m) => tEnum('mode', m)).join(' · ');
  return html`<li class="ministry-person">
    <h3>${p.full_name}</h3>
    <p class="muted">${occupationName(occ, p.profession)}${p.years_experience ? ` · ${t('ministry.pool.years', { count: fmtNumber(p.years_experience) })}` : ''}</p>
    <dl class="facts">
      <dt>${t('ministry.pool.residence')}</dt><dd>${countryName(p.residence_country)}</dd>
      <dt>${t('ministry.pool.origin')}</dt><dd>${countryName(p.origin_country)}</dd>
      <dt>${t('ministry.pool.languages')}</dt><dd><${Langs} items=${p.languages} /></dd>
      <dt>${t('ministry.pool.modes')}</dt><dd>${modes || t('common.none')}${(p.modes || []).includes('virtual') && p.virtual_hours_per_week
        ? ` (${t('ministry.pool.hours', { count: fmtNumber(p.virtual_hours_per_week) })})` : ''}</dd>
      <dt>${t('ministry.pool.availability')}</dt><dd><${Availability} windows=${p.availability} /></dd>
    </dl>
    ${(p.specialties.length > 0 || p.skills.length > 0) && html`<ul class="explain" aria-label=${t('ministry.pool.skills')}>
      ${[...p.specialties, ...p.skills].slice(0, 8).map((s) => html`<li class="skill related">${s}</li>`)}
    </ul>`}
  </li>`;
}

function Pool() {
  const [filters, setFilters] = useState(readQuery);
  const [text, setText] = useState(filters.q);
  const [res, setRes] = useState({ items: [], total: 0, facets: {}, next: null });
  const [state, setState] = useState({ loading: true, error: null });
  const [occ, setOcc] = useState([]);
  // The filters start folded on a phone, so that the results come first.
  const [filtersOpen, setFiltersOpen] = useState(() => !window.matchMedia('(max-width: 760px)').matches);
  useEffect(() => { loadOccupations().then(setOcc, () => {}); }, []);

  const load = async (cursor) => {
    setState({ loading: true, error: null });
    try {
      const r = await api(`/v1/profiles${query({ ...filters, cursor, limit: 20 })}`);
      setRes((prev) => ({
        items: cursor ? [...prev.items, ...r.items] : r.items, total: r.total, facets: r.facets || {}, next: r.next_cursor,
      }));
      setState({ loading: false, error: null });
    } catch (error) { setState({ loading: false, error }); }
  };
  useEffect(() => { setQuery(filters); load(); }, [JSON.stringify(filters)]);

  const pick = (name, value) => setFilters((p) => ({ ...p, [name]: value }));
  const onSearch = (e) => { e.preventDefault(); setFilters((p) => ({ ...p, q: text.trim() })); };
  const active = KEYS.some((k) => filters[k]);
  const activeCount = KEYS.filter((k) => k !== 'q' && filters[k]).length;
  const clear = () => { setText(''); setFilters(Object.fromEntries(KEYS.map((k) => [k, '']))); };
  const labels = {
    profession: (c) => occupationName(occ, c),
    language: (c) => languageName(c),
    mode: (m) => tEnum('mode', m),
    residence_country: (c) => countryName(c),
    origin_country: (c) => countryName(c),
  };
  const fieldErr = state.error && state.error.fields ? state.error.fields : {};

  return html`<section>
    <${PageHeader} title=${t('ministry.pool.title')} subtitle=${t('ministry.pool.lead')} />
    <form class="ministry-search" role="search" onSubmit=${onSearch}>
      <${TextField} label=${t('ministry.pool.query')} type="search" value=${text} onInput=${setText}
        hint=${t('ministry.pool.queryHint')} error=${fieldErr.q} maxlength="200" />
      <button type="submit">${t('ministry.pool.search')}</button>
    </form>
    <p class="muted small">${t('safeguards.pool')} <${Link} href="/safeguards">${t('safeguards.note.about')}<//></p>
    <div class="ministry-pool">
      <details class="ministry-filters" open=${filtersOpen} onToggle=${(e) => setFiltersOpen(e.currentTarget.open)}>
        <summary><h2 id="pool-filters">${t('ministry.pool.filters')}</h2>
          ${activeCount > 0 && html`<span class="badge info">${t('ministry.pool.activeFilters', { count: fmtNumber(activeCount) })}</span>`}</summary>
        ${active && html`<button type="button" class="link" onClick=${clear}>${t('ministry.pool.clear')}</button>`}
        ${FACETS.map((name) => html`<${FacetGroup} name=${name} counts=${res.facets[name]} selected=${filters[name]}
          label=${labels[name]} onPick=${pick} />`)}
        <fieldset class="field">
          <legend>${t('ministry.pool.available')}</legend>
          <${TextField} label=${t('ministry.pool.from')} type="date" value=${filters.available_from}
            onInput=${(v) => pick('available_from', v)} error=${fieldErr.available_from} />
          <${TextField} label=${t('ministry.pool.to')} type="date" value=${filters.available_to}
            onInput=${(v) => pick('available_to', v)} error=${fieldErr.available_to} />
        </fieldset>
      </details>
      <div class="ministry-results">
        <p class="ministry-total" role="status">${state.loading && !res.items.length ? '' : t('ministry.pool.total', { count: fmtNumber(res.total) })}</p>
        <${ErrorBox} error=${state.error} onRetry=${() => load()} />
        ${!state.loading && !state.error && res.items.length === 0 && html`<${Empty}>${active ? t('ministry.pool.noneFiltered') : t('ministry.pool.none')}<//>`}
        ${res.items.length > 0 && html`<ul class="list">${res.items.map((p) => html`<${ProfileCard} key=${p.id} p=${p} occ=${occ} />`)}</ul>`}
        ${state.loading && html`<${Loading} />`}
        <${Pager} next=${res.next} busy=${state.loading} onMore=${() => load(res.next)} />
      </div>
    </div>
  </section>`;
}

export const routes = [
  { path: '/pool', view: Pool, title: 'ministry.pool.title', roles: ['ministry'], nav: 'ministry.nav.pool' },
];
