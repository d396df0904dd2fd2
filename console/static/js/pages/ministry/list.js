// The ministry's assignments, filtered by status (kept in the URL) and
// paged with the API's cursor.
import { html, useEffect, useState } from '../../html.js';
import { t, fmtDate, fmtNumber } from '../../i18n.js';
import { Link, setQuery } from '../../router.js';
import { PageHeader, Loading, ErrorBox, Empty, Pager, StatusBadge, SelectField } from '../../ui.js';
import { ownAssignments, loadOccupations, occupationName, Progress } from './common.js';

const STATUSES = ['draft', 'open', 'filled', 'closed', 'cancelled'];

function Assignments({ account }) {
  const initial = new URLSearchParams(location.search).get('status');
  const [status, setStatus] = useState(STATUSES.includes(initial) ? initial : '');
  const [items, setItems] = useState([]);
  const [next, setNext] = useState(null);
  const [state, setState] = useState({ loading: true, error: null });
  const [occ, setOcc] = useState([]);
  useEffect(() => { loadOccupations().then(setOcc, () => {}); }, []);

  const load = async (cursor) => {
    setState({ loading: true, error: null });
    try {
      // The API pages over every visible assignment; the ministry's own
      // are kept, so a page may hold fewer than asked.
      const r = await ownAssignments(account, { status, cursor, limit: 50 });
      setItems((prev) => (cursor ? [...prev, ...r.items] : r.items));
      setNext(r.next);
      setState({ loading: false, error: null });
    } catch (error) { setState({ loading: false, error }); }
  };
  useEffect(() => { setQuery({ status }); load(); }, [status]);

  const options = STATUSES.map((s) => ({ value: s, label: t(`enum.assignment.${s}`) }));
  return html`<section>
    <${PageHeader} title=${t('ministry.list.title')} subtitle=${t('ministry.list.lead')}>
      <${Link} href="/assignments/new" class="button">${t('ministry.common.newAssignment')}<//>
    <//>
    <div class="ministry-filter">
      <${SelectField} label=${t('ministry.list.status')} value=${status} onChange=${setStatus} options=${options} empty=${t('ministry.list.anyStatus')} />
    </div>
    <${ErrorBox} error=${state.error} onRetry=${() => load()} />
    ${!state.loading && !state.error && items.length === 0 && !next && html`<${Empty}>${status ? t('ministry.list.noneWithStatus') : t('ministry.list.none')}<//>`}
    ${items.length > 0 && html`<ul class="ministry-rows card" aria-label=${t('ministry.list.title')}>
      ${items.map((a) => html`<li key=${a.id}>
        <div class="ministry-row-main">
          <${Link} href=${`/assignments/${encodeURIComponent(a.id)}`} class="ministry-row-title">${a.title}<//>
          <p class="muted small">${occupationName(occ, a.profession)} · ${t(`enum.mode.${a.mode}`)}</p>
          <p class="small">${`${t('ministry.list.dates', { start: fmtDate(a.start), end: fmtDate(a.end) })} · ${t('ministry.common.interested', { count: fmtNumber(a.interest_count || 0) })}`}</p>
        </div>
        <div class="ministry-row-side">
          <${StatusBadge} group="assignment" value=${a.status} />
          <${Progress} filled=${a.filled} positions=${a.positions} />
          ${(a.status === 'draft' || a.status === 'open') && html`<${Link} href=${`/assignments/${encodeURIComponent(a.id)}/edit`}
            class="button secondary small" aria-label=${t('ministry.list.editOf', { title: a.title })}>${t('common.edit')}<//>`}
        </div>
      </li>`)}
    </ul>`}
    ${state.loading && html`<${Loading} />`}
    <${Pager} next=${next} busy=${state.loading} onMore=${() => load(next)} />
  </section>`;
}

export const routes = [
  { path: '/assignments', view: Assignments, title: 'ministry.list.title', roles: ['ministry'], nav: 'ministry.nav.assignments' },
];
