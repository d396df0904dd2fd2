// The best-practice exchange: the public search of published mission
// reports (/reports) and one report (/reports/:id), readable without
// signing in. The search uses the taxonomy, so a query in one language
// finds reports written in another on the same subject.
import { html, useEffect, useState } from '../../html.js';
import { api, query } from '../../api.js';
import { t, tEnum, countryName, languageName, fmtDate, fmtNumber } from '../../i18n.js';
import { Link, useLocation, setQuery } from '../../router.js';
import { PageHeader, Loading, ErrorBox, Empty, TextField, SelectField, Pager, useAsync } from '../../ui.js';
import { ReportView } from './mission.js';

// authorLine names the author, or only their profession and origin when
// the report is anonymous.
function authorLine(r) {
  const a = r.author || {};
  const who = t('reports.public.professionFrom', { profession: a.profession_label || a.profession, country: countryName(a.origin_country) });
  if (a.erased) return t('reports.public.erased', { who });
  return a.name ? `${a.name}, ${who}` : who;
}

function hostLine(r) {
  const h = r.host || {};
  return h.name ? t('reports.public.hostNamed', { name: h.name, country: countryName(h.country) }) : t('reports.public.host', { country: countryName(h.country) });
}

function outcomesLine(o) {
  o = o || {};
  return t('reports.public.outcomes', { people: fmtNumber(o.people_trained || 0), procedures: fmtNumber(o.procedures_performed || 0),
    protocols: fmtNumber(o.protocols_written || 0) });
}

function snippet(s, n = 220) {
  if (!s || s.length <= n) return s || '';
  return `${s.slice(0, n).replace(/\s+\S*$/, '')}…`;
}

function Card({ r }) {
  return html`<li>
    <article aria-labelledby=${`r-${r.id}`}>
      <h2 id=${`r-${r.id}`} class="worker-card-title"><${Link} href=${`/reports/${r.id}`}>${r.mission.title || t('reports.public.untitled')}<//></h2>
      <p class="muted small">${hostLine(r)} · ${fmtNumber(r.mission.year, { useGrouping: false })} · ${tEnum('mode', r.mission.mode)}
        · <span lang=${r.language}>${languageName(r.language)}</span></p>
      <p class="small">${authorLine(r)}</p>
      <p lang=${r.language}>${snippet(r.objectives)}</p>
      <p class="small">${outcomesLine(r.outcomes)}</p>
      ${r.tags.length > 0 && html`<ul class="chips" aria-label=${t('reports.write.tags')}>${r.tags.map((x) => html`<li class="chip">${x.label}</li>`)}</ul>`}
    </article>
  </li>`;
}

export function Reports() {
  const { query: qs } = useLocation();
  const [form, setForm] = useState({ q: qs.get('q') || '', country: qs.get('country') || '', profession: qs.get('profession') || '', lang: qs.get('lang') || '' });
  const [applied, setApplied] = useState(form);
  const [items, setItems] = useState([]);
  const [facets, setFacets] = useState({ countries: [], professions: [], languages: [] });
  const [total, setTotal] = useState(0);
  const [next, setNext] = useState(null);
  const [state, setState] = useState({ loading: true, error: null });
  const load = async (cursor) => {
    setState({ loading: true, error: null });
    try {
      const r = await api(`/v1/reports${query({ ...applied, cursor, limit: 20 })}`, { auth: false });
      setItems((prev) => (cursor ? [...prev, ...r.items] : r.items));
      setFacets(r.facets);
      setTotal(r.total);
      setNext(r.next_cursor);
      setState({ loading: false, error: null });
    } catch (error) { setState({ loading: false, error }); }
  };
  useEffect(() => { setQuery(applied); load(); }, [applied]);
  const set = (k) => (v) => setForm((p) => ({ ...p, [k]: v }));
  const search = (e) => { e.preventDefault(); setApplied({ ...form }); };
  return html`<section class="reports-page">
    <${PageHeader} title=${t('reports.public.title')} subtitle=${t('reports.public.lead')} />
    <form class="card" role="search" onSubmit=${search}>
      <${TextField} label=${t('reports.public.q')} value=${form.q} onInput=${set('q')} type="search" hint=${t('reports.public.qHint')} />
      <div class="grid3">
        <${SelectField} label=${t('reports.public.country')} value=${form.country} onChange=${set('country')} empty=${t('reports.public.any')}
          options=${facets.countries.map((c) => ({ value: c, label: countryName(c) }))} />
        <${SelectField} label=${t('reports.public.profession')} value=${form.profession} onChange=${set('profession')} empty=${t('reports.public.any')}
          options=${facets.professions.map((p) => ({ value: p.id, label: p.label }))} />
        <${SelectField} label=${t('reports.public.language')} value=${form.lang} onChange=${set('lang')} empty=${t('reports.public.any')}
          options=${facets.languages.map((l) => ({ value: l, label: languageName(l) }))} />
      </div>
      <div class="actions"><button type="submit">${t('reports.public.search')}</button></div>
    </form>
    <${ErrorBox} error=${state.error} onRetry=${() => load()} />
    ${!state.loading && !state.error && html`<p class="muted small" role="status">${t('reports.public.count', { count: fmtNumber(total) })}</p>`}
    ${!state.loading && !state.error && items.length === 0 && html`<${Empty}>${t('reports.public.empty')}<//>`}
    ${items.length > 0 && html`<ul class="list reports-list">${items.map((r) => html`<${Card} key=${r.id} r=${r} />`)}</ul>`}
    ${state.loading && html`<${Loading} />`}
    <${Pager} next=${next} busy=${state.loading} onMore=${() => load(next)} />
  </section>`;
}

export function ReportPage({ id }) {
  const r = useAsync(() => api(`/v1/reports/${encodeURIComponent(id)}`, { auth: false }), [id]);
  const d = r.data;
  return html`<section class="reports-page">
    <p class="small"><${Link} href="/reports">${t('reports.public.back')}<//></p>
    ${r.loading && html`<${Loading} />`}
    ${r.error && (r.error.status === 404 ? html`<${PageHeader} title=${t('reports.public.one')} /><${Empty}>${t('reports.public.gone')}<//>`
      : html`<${ErrorBox} error=${r.error} onRetry=${r.reload} />`)}
    ${d && html`<${PageHeader} title=${d.mission.title || t('reports.public.untitled')} subtitle=${hostLine(d)} />
      <div class="card">
        <dl class="facts">
          <dt>${t('reports.public.author')}</dt><dd>${authorLine(d)}</dd>
          <dt>${t('reports.public.dates')}</dt><dd>${t('reports.mission.dates', { start: fmtDate(d.mission.start), end: fmtDate(d.mission.end) })}</dd>
          <dt>${t('reports.public.language')}</dt><dd>${languageName(d.language)}</dd>
          <dt>${t('reports.public.publishedOn')}</dt><dd>${fmtDate(d.published_at)}</dd>
        </dl>
        ${d.author && d.author.erased ? html`<p class="muted">${t('reports.public.erasedBody')}</p>` : html`<div lang=${d.language}><${ReportView} r=${d} headingLevel=${2} /></div>`}
      </div>`}
  </section>`;
}
