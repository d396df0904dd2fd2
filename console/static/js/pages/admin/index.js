// Administrators: the approval queue, account search, dead letters and
// the status page.
import { html, useEffect, useState } from '../../html.js';
import { api, query } from '../../api.js';
import { t, tEnum, fmtDateTime, fmtRelative, fmtNumber, countryName } from '../../i18n.js';
import { useLocation, setQuery } from '../../router.js';
import { routes as verificationRoutes } from './verifications.js';
import { PageHeader, Loading, ErrorBox, Empty, Pager, StatusBadge, Badge, ConfirmButton, TextField, SelectField, TableWrap, usePagedList, toast } from '../../ui.js';
import { routes as auditRoutes } from './audit.js';
import { routes as safeguardRoutes } from './safeguards.js';

const ADMIN = ['admin'];

// useAccounts pages through GET /v1/admin/accounts with a filter; a
// search waits for the typing to pause.
function useAccounts(filter) {
  const list = usePagedList((cursor) => `/v1/admin/accounts${query({ ...filter, cursor, limit: 25 })}`,
    [JSON.stringify(filter)], { delay: filter.q ? 250 : 0 });
  const replace = (a) => list.setItems((prev) => prev.map((x) => (x.id === a.id ? a : x)));
  return { ...list, replace };
}

// AccountActions approves, suspends or erases (GDPR Art. 17, for
// instance on a request received by post); an admin cannot change itself,
// and no admin account can be erased here.
function AccountActions({ account, me, onChange, onErased }) {
  const set = async (action) => {
    try {
      const a = await api(`/v1/admin/accounts/${encodeURIComponent(account.id)}/${action}`, { method: 'POST' });
      onChange(a);
      toast(t(action === 'approve' ? 'admin.approved' : 'admin.suspended', { name: a.name }));
    } catch (e) { toast(e.human || t('common.error.generic'), 'bad'); }
  };
  const erase = async () => {
    try {
      await api(`/v1/admin/accounts/${encodeURIComponent(account.id)}`, { method: 'DELETE' });
      onErased(account.id);
      toast(t('admin.erased', { name: account.name }));
    } catch (e) { toast(e.human || t('common.error.generic'), 'bad'); }
  };
  if (account.id === me.id) return html`<span class="muted small">${t('admin.you')}</span>`;
  return html`<div class="actions">
    ${account.status !== 'active' && html`<button type="button" class="small" onClick=${() => set('approve')}
      aria-label=${t('admin.approveWho', { name: account.name })}>${account.status === 'pending' ? t('admin.approve') : t('admin.reinstate')}</button>`}
    ${account.status !== 'suspended' && html`<${ConfirmButton} class="danger small" label=${t('admin.suspend')}
      confirmLabel=${t('admin.suspendConfirm')} onConfirm=${() => set('suspend')} />`}
    <${ConfirmButton} class="danger small" label=${t('admin.erase')} confirmLabel=${t('admin.eraseConfirm')}
      disabled=${account.role === 'admin'} onConfirm=${erase} />
  </div>`;
}

function AccountTable({ list, me, showRole = true }) {
  return html`<${TableWrap} label=${t('admin.accounts.caption')}><table>
    <caption class="sr-only">${t('admin.accounts.caption')}</caption>
    <thead><tr>
      <th scope="col">${t('admin.col.name')}</th>
      ${showRole && html`<th scope="col">${t('admin.col.role')}</th>`}
      <th scope="col">${t('admin.col.organization')}</th>
      <th scope="col">${t('admin.col.status')}</th>
      <th scope="col">${t('admin.col.created')}</th>
      <th scope="col">${t('admin.col.actions')}</th>
    </tr></thead>
    <tbody>${list.items.map((a) => html`<tr>
      <td><strong>${a.name}</strong><br /><span class="muted small">${a.email}</span></td>
      ${showRole && html`<td>${tEnum('role', a.role)}</td>`}
      <td>${a.organization || ''}${a.country && html`<br /><span class="muted small">${countryName(a.country)}</span>`}</td>
      <td><${StatusBadge} group="account" value=${a.status} /></td>
      <td><time datetime=${a.created_at} title=${fmtDateTime(a.created_at)}>${fmtRelative(a.created_at)}</time></td>
      <td><${AccountActions} account=${a} me=${me} onChange=${list.replace}
        onErased=${(id) => list.setItems((prev) => prev.filter((x) => x.id !== id))} /></td>
    </tr>`)}</tbody>
  </table><//>`;
}

function Queue({ account }) {
  const list = useAccounts({ role: 'ministry', status: 'pending' });
  const waiting = list.items.filter((a) => a.status === 'pending').length;
  return html`<section>
    <${PageHeader} title=${t('admin.queue.title')} subtitle=${t('admin.queue.lead')} />
    <${ErrorBox} error=${list.error} onRetry=${list.reload} />
    ${!list.loading && !list.error && list.items.length === 0 && html`<${Empty}>${t('admin.queue.empty')}<//>`}
    ${list.items.length > 0 && html`<p class="muted" role="status">${t('admin.queue.count', { count: fmtNumber(waiting) })}</p>
      <${AccountTable} list=${list} me=${account} showRole=${false} />`}
    ${list.loading && html`<${Loading} />`}
    <${Pager} next=${list.next} busy=${list.loading} onMore=${list.more} />
  </section>`;
}

function Accounts({ account }) {
  const { query: qs } = useLocation();
  const [f, setF] = useState({ q: qs.get('q') || '', role: qs.get('role') || '', status: qs.get('status') || '' });
  useEffect(() => setQuery(f), [f.q, f.role, f.status]);
  const list = useAccounts(f);
  const opts = (group, values) => values.map((v) => ({ value: v, label: tEnum(group, v) }));
  return html`<section>
    <${PageHeader} title=${t('admin.accounts.title')} subtitle=${t('admin.accounts.lead')} />
    <form class="grid3" role="search" onSubmit=${(e) => e.preventDefault()}>
      <${TextField} label=${t('admin.accounts.search')} type="search" value=${f.q} onInput=${(v) => setF({ ...f, q: v })}
        hint=${t('admin.accounts.searchHint')} />
      <${SelectField} label=${t('admin.col.role')} value=${f.role} empty=${t('admin.accounts.anyRole')}
        options=${opts('role', ['professional', 'ministry', 'admin'])} onChange=${(v) => setF({ ...f, role: v })} />
      <${SelectField} label=${t('admin.col.status')} value=${f.status} empty=${t('admin.accounts.anyStatus')}
        options=${opts('account', ['active', 'pending', 'suspended'])} onChange=${(v) => setF({ ...f, status: v })} />
    </form>
    <${ErrorBox} error=${list.error} onRetry=${list.reload} />
    ${!list.loading && !list.error && list.items.length === 0 && html`<${Empty}>${t('admin.accounts.empty')}<//>`}
    ${list.items.length > 0 && html`<${AccountTable} list=${list} me=${account} />`}
    ${list.loading && html`<${Loading} />`}
    <${Pager} next=${list.next} busy=${list.loading} onMore=${list.more} />
  </section>`;
}

function DeadLetters() {
  const r = useAsyncList('/v1/admin/dead-letters?limit=100');
  return html`<section>
    <${PageHeader} title=${t('admin.dead.title')} subtitle=${t('admin.dead.lead')} />
    <${ErrorBox} error=${r.error} onRetry=${r.reload} />
    ${r.loading && html`<${Loading} />`}
    ${!r.loading && !r.error && r.items.length === 0 && html`<${Empty}>${t('admin.dead.empty')}<//>`}
    ${r.items.length > 0 && html`<${TableWrap} label=${t('admin.dead.title')}><table>
      <caption class="sr-only">${t('admin.dead.title')}</caption>
      <thead><tr>
        <th scope="col">${t('admin.dead.when')}</th><th scope="col">${t('admin.dead.event')}</th>
        <th scope="col">${t('admin.dead.consumer')}</th><th scope="col">${t('admin.dead.deliveries')}</th><th scope="col">${t('admin.dead.error')}</th>
      </tr></thead>
      <tbody>${r.items.map((d) => html`<tr>
        <td><time datetime=${d.failed_at}>${fmtDateTime(d.failed_at)}</time></td>
        <td><code>${d.event_type || d.subject || '—'}</code>${d.entity_id && html`<br /><span class="muted small">${d.entity_id}</span>`}</td>
        <td><code>${d.consumer}</code></td>
        <td>${fmtNumber(d.deliveries)}</td>
        <td class="break">${d.error}</td>
      </tr>`)}</tbody>
    </table><//>`}
  </section>`;
}

function useAsyncList(path) {
  const [s, set] = useState({ items: [], loading: true, error: null });
  const load = async () => {
    set((p) => ({ ...p, loading: true, error: null }));
    try { set({ items: (await api(path)).items || [], loading: false, error: null }); } catch (error) { set({ items: [], loading: false, error }); }
  };
  useEffect(() => { load(); }, [path]);
  return { ...s, reload: load };
}

function Ok({ ok }) {
  return html`<${Badge} tone=${ok ? 'ok' : 'bad'}>${ok ? t('admin.status.ok') : t('admin.status.failing')}<//>`;
}

function secs(x) {
  if (x === undefined || x === null) return '—';
  return x < 90 ? t('admin.status.seconds', { n: fmtNumber(Math.round(x)) }) : t('admin.status.minutes', { n: fmtNumber(Math.round(x / 60)) });
}

function Status() {
  const [s, set] = useState({ data: null, loading: true, error: null });
  const load = async () => {
    try { set({ data: await api('/v1/admin/status'), loading: false, error: null }); } catch (error) { set((p) => ({ ...p, loading: false, error })); }
  };
  useEffect(() => {
    load();
    const id = setInterval(load, 10000);
    return () => clearInterval(id);
  }, []);
  const d = s.data;
  return html`<section>
    <${PageHeader} title=${t('admin.status.title')} subtitle=${t('admin.status.lead')}>
      <button type="button" class="secondary" onClick=${load}>${t('admin.status.refresh')}</button>
    <//>
    <${ErrorBox} error=${s.error} onRetry=${load} />
    ${s.loading && html`<${Loading} />`}
    ${d && html`
      <div class="stats">
        <div class="stat"><span class="value"><${Ok} ok=${d.ready} /></span><span class="label">${t('admin.status.ready')}</span></div>
        <div class="stat"><span class="value">${d.outbox.error ? '—' : fmtNumber(d.outbox.pending)}</span><span class="label">${t('admin.status.outboxPending')}</span></div>
        <div class="stat"><span class="value">${d.index.error ? '—' : secs(d.index.age_seconds)}</span><span class="label">${t('admin.status.indexAge')}</span></div>
        <div class="stat"><span class="value">${d.dead_letters.error ? '—' : fmtNumber(d.dead_letters.count)}</span><span class="label">${t('admin.status.deadLetters')}</span></div>
      </div>
      <p class="muted small">${t('admin.status.asOf', { time: fmtDateTime(d.time) })}</p>
      <h2>${t('admin.status.checks')}</h2>
      <ul class="list">${d.checks.map((c) => html`<li><strong>${c.name}</strong> <${Ok} ok=${c.ok} />${c.error && html`<p class="field-error">${c.error}</p>`}</li>`)}</ul>
      <h2>${t('admin.status.consumers')}</h2>
      ${d.consumers.error && html`<div class="alert error"><p>${d.consumers.error}</p></div>`}
      <${TableWrap} label=${t('admin.status.consumers')}><table>
        <caption class="sr-only">${t('admin.status.consumers')}</caption>
        <thead><tr><th scope="col">${t('admin.status.consumer')}</th><th scope="col">${t('admin.status.lag')}</th>
          <th scope="col">${t('admin.status.inFlight')}</th><th scope="col">${t('admin.status.redelivered')}</th><th scope="col">${t('admin.status.lastActive')}</th></tr></thead>
        <tbody>${d.consumers.items.map((c) => html`<tr><td><code>${c.name}</code></td><td>${fmtNumber(c.pending)}</td>
          <td>${fmtNumber(c.ack_pending)}</td><td>${fmtNumber(c.redelivered)}</td>
          <td>${c.last_active ? html`<time datetime=${c.last_active}>${fmtRelative(c.last_active)}</time>` : '—'}</td></tr>`)}</tbody>
      </table><//>
      <h2>${t('admin.status.outbox')}</h2>
      ${d.outbox.error ? html`<div class="alert error"><p>${d.outbox.error}</p></div>`
        : html`<p>${t('admin.status.outboxLine', { pending: fmtNumber(d.outbox.pending), age: secs(d.outbox.oldest_age_seconds) })}</p>`}
      <h2>${t('admin.status.index')}</h2>
      ${d.index.error ? html`<div class="alert error"><p>${d.index.error}</p></div>`
        : html`<p>${t('admin.status.indexLine', { documents: fmtNumber(d.index.documents), age: secs(d.index.age_seconds) })}</p>`}
      <h2>${t('admin.status.workers')}</h2>
      <${TableWrap} label=${t('admin.status.workers')}><table>
        <caption class="sr-only">${t('admin.status.workers')}</caption>
        <thead><tr><th scope="col">${t('admin.status.worker')}</th><th scope="col">${t('admin.status.running')}</th>
          <th scope="col">${t('admin.status.restarts')}</th><th scope="col">${t('admin.status.lastError')}</th></tr></thead>
        <tbody>${d.workers.map((w) => html`<tr><td><code>${w.name}</code></td><td><${Ok} ok=${w.running} /></td>
          <td>${fmtNumber(w.restarts)}</td><td class="break">${w.last_error || '—'}</td></tr>`)}</tbody>
      </table><//>`}
  </section>`;
}

export const routes = [
  { path: '/admin', view: Queue, title: 'admin.queue.title', roles: ADMIN, nav: 'admin.nav.queue' },
  { path: '/admin/accounts', view: Accounts, title: 'admin.accounts.title', roles: ADMIN, nav: 'admin.nav.accounts' },
  { path: '/admin/dead-letters', view: DeadLetters, title: 'admin.dead.title', roles: ADMIN, nav: 'admin.nav.dead' },
  { path: '/admin/status', view: Status, title: 'admin.status.title', roles: ADMIN, nav: 'admin.nav.status' },
  ...auditRoutes,
  ...safeguardRoutes,
  ...verificationRoutes,
];
