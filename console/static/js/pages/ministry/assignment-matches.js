// The Matches tab: the workers who can do the assignment, best first, each
// with the explanation of the score, paged from the API.
import { html, useState, useEffect } from '../../html.js';
import { api, download, query } from '../../api.js';
import { t, fmtNumber } from '../../i18n.js';
import { Loading, ErrorBox, Empty, Pager, SelectField, toast } from '../../ui.js';
import { Score, Explanation, PersonLine, PersonActions } from './assignment-people.js';

const PAGE_SIZES = [10, 20, 50];

// MatchCard is one ranked person with the "why" and the actions.
export function MatchCard({ ctx, rank, m }) {
  const p = m.profile;
  return html`<li class="asg-person">
    <div class="asg-person-head">
      <div>
        <h3>${rank ? html`<span class="asg-rank">${t('assignment.match.rank', { rank: fmtNumber(rank) })}</span> ` : null}<span>${p.full_name}</span></h3>
        <${PersonLine} profile=${p} profession=${ctx.profession} />
      </div>
      <${Score} score=${m.score} label=${t('assignment.match.scoreOf', { name: p.full_name })} />
    </div>
    <${Explanation} asg=${ctx.asg} profile=${p} ex=${m.explanation} />
    <${PersonActions} ctx=${ctx} profile=${p} name=${p.full_name} />
  </li>`;
}

// MatchesTab lists the ranked workers a page at a time.
export function MatchesTab({ ctx }) {
  const [limit, setLimit] = useState(10);
  const [items, setItems] = useState([]);
  const [next, setNext] = useState(null);
  const [state, setState] = useState({ loading: true, error: null });
  const [busyCsv, setBusyCsv] = useState(false);
  const path = `/v1/assignments/${encodeURIComponent(ctx.asg.id)}/matches`;
  const load = async (cursor) => {
    setState({ loading: true, error: null });
    try {
      const r = await api(`${path}${query({ limit, cursor })}`);
      setItems((prev) => (cursor ? [...prev, ...r.items] : r.items));
      setNext(r.next_cursor);
      r.items.forEach((m) => ctx.remember(m.profile, m));
      setState({ loading: false, error: null });
    } catch (error) { setState({ loading: false, error }); }
  };
  useEffect(() => { load(); }, [limit, ctx.asg.id, ctx.asg.version]);
  const csv = async () => {
    setBusyCsv(true);
    try { await download(path, `assignment-${ctx.asg.id}-matches.csv`, 'text/csv'); } catch (e) { toast(e.human || t('common.error.generic'), 'bad'); } finally { setBusyCsv(false); }
  };
  return html`<div>
    <div class="asg-toolbar">
      <h2>${t('assignment.matches.title')}</h2>
      <div class="asg-toolbar-controls">
        <${SelectField} label=${t('assignment.matches.pageSize')} value=${limit} onChange=${(v) => setLimit(Number(v))}
          options=${PAGE_SIZES.map((n) => ({ value: n, label: fmtNumber(n) }))} />
        <button type="button" class="secondary" disabled=${busyCsv} onClick=${csv}>${t('common.downloadCsv')}</button>
      </div>
    </div>
    <p class="muted small">${t('assignment.matches.lead')}</p>
    <${ErrorBox} error=${state.error} onRetry=${() => load()} />
    ${!state.loading && !state.error && items.length === 0 && html`<${Empty}>${t('assignment.matches.empty')}<//>`}
    <ol class="list asg-people">
      ${items.map((m, i) => html`<${MatchCard} key=${m.profile.id} ctx=${ctx} rank=${i + 1} m=${m} />`)}
    </ol>
    ${state.loading && html`<${Loading} />`}
    <${Pager} next=${next} busy=${state.loading} onMore=${() => load(next)} />
  </div>`;
}
