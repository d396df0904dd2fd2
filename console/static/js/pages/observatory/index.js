// The observatory (/observatory, public): the open data of GET
// /v1/observatory/* as charts, each with its figures in a table and a CSV
// download of the same endpoint, and the data dictionary with its mapping
// to the WHO National Health Workforce Accounts. Counts of persons come
// already protected by the server (hidden below k, rounded); this page
// shows a hidden count as hidden, never as 0.
import { html, useState } from '../../html.js';
import { api, query } from '../../api.js';
import { t, has, currentLang, countryName, countryCodes, fmtNumber, fmtDate } from '../../i18n.js';
import { useLocation, setQuery } from '../../router.js';
import { PageHeader, Loading, ErrorBox, Empty, SelectField, TableWrap, useAsync } from '../../ui.js';
import { Matrix, Bars, Columns, Legend, useWidth } from './charts.js';

// MAX_AXIS is how many countries of origin (rows) and of residence
// (columns) the matrix draws; its table lists every pair.
const MAX_AXIS = 12;
// MAX_MONTHS is how many months the trend draws; its table lists all.
const MAX_MONTHS = 36;
// MAX_PROFESSIONS is how many professions supply and demand draws, those
// with the most open positions and workers first; its table lists all.
const MAX_PROFESSIONS = 10;

// get asks the public API in the reader's language, without a token.
const get = (path) => api(path, { auth: false, headers: { 'Accept-Language': currentLang() } });

// csv is the CSV form of an observatory endpoint.
const csv = (path, params) => `${path}${query({ ...params, format: 'csv' })}`;

const STOCK_PAIR = { by: 'origin_country,residence_country' };
const STOCK_MONTH = { by: 'registered_month' };

// fig is a {count, suppressed} for a table: the number, or "hidden".
function Fig({ v }) {
  if (v && v.suppressed) return html`<span class="obs-hidden" data-suppressed="true">${t('observatory.hidden')}</span>`;
  return html`<span data-count=${v ? v.count : 0}>${fmtNumber(v ? v.count || 0 : 0)}</span>`;
}

// exact wraps a figure that is not about persons (open positions, hours).
const exact = (n) => ({ count: n || 0, suppressed: false });

function monthLabel(m, long) {
  return fmtDate(`${m}-01`, long ? { month: 'long', year: 'numeric' } : { month: 'short', year: '2-digit' });
}

// monthsBetween lists YYYY-MM from first to last, both included.
function monthsBetween(first, last) {
  const out = [];
  let [y, m] = first.split('-').map(Number);
  const [ly, lm] = last.split('-').map(Number);
  while (y < ly || (y === ly && m <= lm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) { m = 1; y += 1; }
  }
  return out;
}

// ranked orders the values of dimension dim by their published total,
// largest first, then by name.
function ranked(cells, dim, name) {
  const sum = new Map();
  for (const c of cells) sum.set(c[dim], (sum.get(c[dim]) || 0) + (c.suppressed ? 0 : c.count || 0));
  return [...sum.keys()].sort((a, b) => (sum.get(b) - sum.get(a)) || name(a).localeCompare(name(b), currentLang()));
}

// ChartCard is a chart's frame: heading, lead, the chart, the CSV link
// and the figures as a table in a <details>.
function ChartCard({ id, title, lead, children, href, file, table, note }) {
  return html`<section class="card obs-card" aria-labelledby=${`${id}-h`} id=${id}>
    <h2 id=${`${id}-h`}>${title}</h2>
    ${lead && html`<p class="muted small">${lead}</p>`}
    ${children}
    ${note && html`<p class="small muted">${note}</p>`}
    <p class="obs-actions small">${href && html`<a class="button secondary small obs-csv" href=${href} download=${file}>
      ${t('observatory.csv')}<span class="sr-only"> · ${title}</span></a>`}</p>
    ${table && html`<details class="obs-table">
      <summary>${t('observatory.table')}<span class="sr-only"> · ${title}</span></summary>
      ${table}
    </details>`}
  </section>`;
}

function Disclosure({ k, rounding }) {
  return html`<section class="card obs-disclosure" aria-labelledby="obs-rules-h">
    <h2 id="obs-rules-h">${t('observatory.rules.title')}</h2>
    <${Legend} items=${[{ hatch: true, label: t('observatory.rules.hatched') }]} />
    <ul class="small">
      <li>${t('observatory.rules.k', { k: fmtNumber(k), max: fmtNumber(k - 1) })}</li>
      <li>${t('observatory.rules.complementary')}</li>
      <li>${t('observatory.rules.rounding', { rounding: fmtNumber(rounding) })}</li>
      <li>${t('observatory.rules.zero')}</li>
      <li>${t('observatory.rules.exact')}</li>
    </ul>
  </section>`;
}

// StockMatrix: the diaspora by country of origin (rows) and of residence
// (columns).
function StockMatrix({ r }) {
  const d = r.data;
  const cells = (d && d.cells) || [];
  const origins = ranked(cells, 'origin_country', countryName);
  const homes = ranked(cells, 'residence_country', countryName);
  const rows = origins.slice(0, MAX_AXIS);
  const cols = homes.slice(0, MAX_AXIS);
  const byPair = new Map(cells.map((c) => [`${c.origin_country}|${c.residence_country}`, c]));
  const title = t('observatory.stock.title');
  const list = [...cells].sort((a, b) => countryName(a.origin_country).localeCompare(countryName(b.origin_country), currentLang())
    || countryName(a.residence_country).localeCompare(countryName(b.residence_country), currentLang()));
  const table = d && html`<${TableWrap} label=${title}><table class="obs-figures">
    <caption class="sr-only">${title}</caption>
    <thead><tr><th scope="col">${t('observatory.dim.origin_country')}</th><th scope="col">${t('observatory.dim.residence_country')}</th>
      <th scope="col">${t('observatory.persons')}</th></tr></thead>
    <tbody>${list.map((c) => html`<tr data-origin=${c.origin_country} data-residence=${c.residence_country}>
      <td>${countryName(c.origin_country)}</td><td>${countryName(c.residence_country)}</td><td><${Fig} v=${c} /></td></tr>`)}</tbody>
    <tfoot><tr><th scope="row" colspan="2">${t('observatory.total')}</th><td><${Fig} v=${{ count: d.total, suppressed: d.total === null }} /></td></tr></tfoot>
  </table><//><p class="small muted">${t('observatory.stock.absent')}</p>`;
  return html`<${ChartCard} id="obs-stock" title=${title} lead=${t('observatory.stock.lead')}
    href=${csv('/v1/observatory/stock', STOCK_PAIR)} file="observatory-stock-origin-residence.csv" table=${table}
    note=${d && (origins.length > rows.length || homes.length > cols.length)
      ? t('observatory.stock.top', { rows: fmtNumber(rows.length), cols: fmtNumber(cols.length) }) : ''}>
    <${ErrorBox} error=${r.error} onRetry=${r.reload} />
    ${r.loading && html`<${Loading} />`}
    ${d && (cells.length === 0 ? html`<${Empty}>${t('observatory.empty')}<//>` : html`
      <p class="obs-axes small"><span>${t('observatory.stock.rows')}</span> · <span>${t('observatory.stock.cols')}</span></p>
      <div class="obs-scroll" role="region" aria-label=${title} tabindex="0">
        <${Matrix} title=${title} rows=${rows} cols=${cols} value=${(o, h) => byPair.get(`${o}|${h}`) || null}
          rowName=${countryName} colName=${countryName} hidden=${t('observatory.hidden')} zeroLabel=${fmtNumber(0)}
          dataKeys=${['origin', 'residence']} />
      </div>
      <${Legend} items=${[{ cls: 'obs-heat-1', label: t('observatory.stock.fewer') }, { cls: 'obs-heat-5', label: t('observatory.stock.more') }]
        .concat([{ hatch: true, label: t('observatory.hidden') }])} />`)}
  <//>`;
}

const PERSON_SERIES = [
  { id: 'open_positions', cls: 'obs-series-demand' },
  { id: 'workers_sharing', cls: 'obs-series-2' },
  { id: 'available_3m', cls: 'obs-series-3' },
  { id: 'available_12m', cls: 'obs-series-4' },
];
const HOUR_SERIES = [
  { id: 'open_virtual_hours', cls: 'obs-series-demand' },
  { id: 'virtual_hours_pledged', cls: 'obs-series-2' },
];
const SD_COLUMNS = ['open_positions', 'open_virtual_hours', 'workers_sharing', 'available_3m', 'available_6m', 'available_12m',
  'virtual_hours_pledged', 'missions_completed', 'person_days_onsite'];
const EXACT = ['open_positions', 'open_virtual_hours'];

// sdValue reads one figure of a supply-demand row as {count, suppressed}.
const sdValue = (row, id) => (EXACT.includes(id) ? exact(row[id]) : (row[id] || exact(0)));

// label names a profession as the API does (its ISCO-08 code otherwise).
const label = (row) => row.label || row.profession;

function SupplyDemand({ country, onCountry, k }) {
  const r = useAsync(() => (country ? get(`/v1/observatory/supply-demand${query({ country })}`) : new Promise(() => {})), [country, currentLang()]);
  const [ref, width] = useWidth();
  const d = r.data;
  const rows = (d && d.rows) || [];
  const weight = (row) => (row.open_positions || 0) + sdValue(row, 'workers_sharing').count;
  const drawn = [...rows].sort((a, b) => (weight(b) - weight(a)) || label(a).localeCompare(label(b), currentLang()))
    .slice(0, MAX_PROFESSIONS);
  const options = countryCodes.map((c) => ({ value: c, label: countryName(c) })).sort((a, b) => a.label.localeCompare(b.label, currentLang()));
  const title = t('observatory.sd.title', { country: countryName(country) });
  const series = (list) => list.map((s) => ({ ...s, label: t(`observatory.sd.${s.id}`) }));
  const toRows = (list) => drawn.map((row) => ({ key: row.profession, label: label(row),
    values: Object.fromEntries(list.map((s) => [s.id, sdValue(row, s.id)])) }));
  const table = d && html`<${TableWrap} label=${title}><table class="obs-figures">
    <caption class="sr-only">${title}</caption>
    <thead><tr><th scope="col">${t('observatory.dim.profession')}</th>
      ${SD_COLUMNS.map((c) => html`<th scope="col">${t(`observatory.sd.${c}`)}</th>`)}</tr></thead>
    <tbody>${rows.map((row) => html`<tr data-profession=${row.profession}><th scope="row">${label(row)}</th>
      ${SD_COLUMNS.map((c) => html`<td data-field=${c}><${Fig} v=${sdValue(row, c)} /></td>`)}</tr>`)}</tbody>
    ${d.total && html`<tfoot><tr><th scope="row">${t('observatory.total')}</th>
      ${SD_COLUMNS.map((c) => html`<td data-field=${c}><${Fig} v=${sdValue(d.total, c)} /></td>`)}</tr></tfoot>`}
  </table><//>`;
  return html`<${ChartCard} id="obs-sd" title=${title} lead=${t('observatory.sd.lead', { k: fmtNumber(k) })}
    href=${country && csv('/v1/observatory/supply-demand', { country })} file=${`observatory-supply-demand-${country}.csv`} table=${table}
    note=${rows.length > drawn.length ? t('observatory.sd.top', { count: fmtNumber(drawn.length) }) : ''}>
    <div class="obs-country">
      <${SelectField} label=${t('observatory.sd.country')} value=${country} onChange=${onCountry} options=${options} />
    </div>
    <${ErrorBox} error=${r.error} onRetry=${r.reload} />
    ${r.loading && html`<${Loading} />`}
    <div ref=${ref} class="obs-fit">
      ${d && (rows.length === 0 ? html`<${Empty}>${t('observatory.sd.empty', { country: countryName(country) })}<//>` : html`
        <h3>${t('observatory.sd.persons')}</h3>
        <${Legend} items=${series(PERSON_SERIES)} />
        <${Bars} title=${`${title}: ${t('observatory.sd.persons')}`} rows=${toRows(PERSON_SERIES)} series=${series(PERSON_SERIES)}
          hidden=${t('observatory.hidden')} width=${width} />
        <h3>${t('observatory.sd.hours')}</h3>
        <${Legend} items=${series(HOUR_SERIES)} />
        <${Bars} title=${`${title}: ${t('observatory.sd.hours')}`} rows=${toRows(HOUR_SERIES)} series=${series(HOUR_SERIES)}
          hidden=${t('observatory.hidden')} width=${width} />`)}
    </div>
  <//>`;
}

// Trend: registrations by month (the month a worker's profile was made).
function Trend() {
  const r = useAsync(() => get(`/v1/observatory/stock${query(STOCK_MONTH)}`), [currentLang()]);
  const [ref, width] = useWidth();
  const d = r.data;
  const cells = ((d && d.cells) || []).filter((c) => /^\d{4}-\d{2}$/.test(c.registered_month || ''))
    .sort((a, b) => a.registered_month.localeCompare(b.registered_month));
  const byMonth = new Map(cells.map((c) => [c.registered_month, c]));
  const months = cells.length ? monthsBetween(cells[0].registered_month, cells[cells.length - 1].registered_month) : [];
  const points = months.slice(-MAX_MONTHS).map((m) => {
    const c = byMonth.get(m);
    return { key: m, label: monthLabel(m), long: monthLabel(m, true), count: c ? c.count : 0, suppressed: !!(c && c.suppressed) };
  });
  const title = t('observatory.trend.title');
  const table = d && html`<${TableWrap} label=${title}><table class="obs-figures">
    <caption class="sr-only">${title}</caption>
    <thead><tr><th scope="col">${t('observatory.dim.registered_month')}</th><th scope="col">${t('observatory.persons')}</th></tr></thead>
    <tbody>${months.map((m) => html`<tr data-month=${m}><th scope="row">${monthLabel(m, true)}</th>
      <td><${Fig} v=${byMonth.get(m) || exact(0)} /></td></tr>`)}</tbody>
  </table><//>`;
  return html`<${ChartCard} id="obs-trend" title=${title} lead=${t('observatory.trend.lead')}
    href=${csv('/v1/observatory/stock', STOCK_MONTH)} file="observatory-registrations-by-month.csv" table=${table}
    note=${months.length > MAX_MONTHS ? t('observatory.trend.last', { count: fmtNumber(MAX_MONTHS) }) : ''}>
    <${ErrorBox} error=${r.error} onRetry=${r.reload} />
    ${r.loading && html`<${Loading} />`}
    <div ref=${ref} class="obs-fit">
      ${d && (points.length === 0 ? html`<${Empty}>${t('observatory.empty')}<//>`
        : html`<${Columns} title=${title} points=${points} hidden=${t('observatory.hidden')} width=${width} />`)}
    </div>
  <//>`;
}

// name names an indicator or a dimension of the dictionary in the
// reader's language; an indicator of supply and demand has the name of
// its column, and one the catalogue does not know keeps its id.
function name(kind, id) {
  const key = [`observatory.${kind}.${id}`, kind === 'indicator' && `observatory.sd.${id}`].find((k) => k && has(k));
  return key ? t(key) : id;
}

// Dictionary: GET /v1/observatory, the definitions and the NHWA mapping.
function Dictionary({ r }) {
  const d = r.data;
  return html`<section class="card obs-dictionary" aria-labelledby="obs-dict-h" id="obs-dictionary">
    <h2 id="obs-dict-h">${t('observatory.dict.title')}</h2>
    <p class="muted small">${t('observatory.dict.lead')}</p>
    ${currentLang() !== 'en' && html`<p class="muted small">${t('observatory.dict.english')}</p>`}
    <${ErrorBox} error=${r.error} onRetry=${r.reload} />
    ${r.loading && html`<${Loading} />`}
    ${d && html`
      <h3>${t('observatory.dict.indicators')}</h3>
      <dl class="obs-defs">${(d.indicators || []).map((ind) => html`<div class="obs-def" data-indicator=${ind.id}>
        <dt>${name('indicator', ind.id)} <code class="small">${ind.path}</code></dt>
        <dd>
          <p lang="en">${ind.definition}</p>
          <p class="small">${ind.unit && html`<span>${t('observatory.dict.unit')} <span lang="en">${ind.unit}</span></span>`}
            ${ind.disclosure && html`${' · '}<span>${t('observatory.dict.disclosure')} <span lang="en">${ind.disclosure}</span></span>`}</p>
          <p class="small obs-nhwa">${ind.nhwa
            ? html`<strong>${t('observatory.dict.nhwa')}</strong> <span lang="en">${ind.nhwa.indicator}</span>${ind.nhwa.note
              ? html`<br /><span lang="en">${ind.nhwa.note}</span>` : ''}`
            : html`<span class="muted">${t('observatory.dict.noNhwa')}</span>`}</p>
        </dd></div>`)}</dl>
      <h3>${t('observatory.dict.dimensions')}</h3>
      <dl class="obs-defs">${(d.dimensions || []).map((dim) => html`<div class="obs-def" data-dimension=${dim.name}>
        <dt>${name('dim', dim.name)} <code class="small">${dim.name}</code></dt><dd lang="en">${dim.definition}</dd></div>`)}</dl>
      ${d.updated_at && html`<p class="muted small">${t('observatory.dict.updated', { date: fmtDate(d.updated_at) })}</p>`}`}
  </section>`;
}

export function Observatory() {
  const { query: q } = useLocation();
  const dict = useAsync(() => get('/v1/observatory'), [currentLang()]);
  const stock = useAsync(() => get(`/v1/observatory/stock${query(STOCK_PAIR)}`), [currentLang()]);
  const [picked, setPicked] = useState(() => {
    const c = (q.get('country') || '').toUpperCase();
    return countryCodes.includes(c) ? c : '';
  });
  // Until one is picked, supply and demand are shown for the country of
  // origin with the most workers.
  const cells = (stock.data && stock.data.cells) || [];
  const country = picked || (stock.data ? (ranked(cells, 'origin_country', countryName)[0] || 'GH') : (stock.error ? 'GH' : ''));
  const choose = (c) => { setPicked(c); setQuery({ country: c }); };
  const k = (dict.data && dict.data.k) || (stock.data && stock.data.k) || 10;
  const rounding = (dict.data && dict.data.rounding) || (stock.data && stock.data.rounding) || 5;
  const total = stock.data && stock.data.total;
  return html`<section class="obs-page">
    <${PageHeader} title=${t('observatory.title')} subtitle=${t('observatory.lead')} />
    ${stock.data && html`<div class="stats"><div class="stat obs-total">
      <span class="value" data-count=${total ?? ''}>${total === null || total === undefined ? t('observatory.hidden') : fmtNumber(total)}</span>
      <span class="label">${t('observatory.totalLabel')}</span></div></div>`}
    <${Disclosure} k=${k} rounding=${rounding} />
    <${StockMatrix} r=${stock} />
    <${SupplyDemand} country=${country} onCountry=${choose} k=${k} />
    <${Trend} />
    <${Dictionary} r=${dict} />
  </section>`;
}
