// The audit trail (admins): sign-ins, approvals, contact reveals and
// admins' profile reads, newest first, filtered by who, about whom, what
// and when. The filters live in the URL so that a view can be shared.
import { html, useEffect, useState } from '../../html.js';
import { query } from '../../api.js';
import { t, fmtDateTime } from '../../i18n.js';
import { useLocation, setQuery } from '../../router.js';
import { PageHeader, Loading, ErrorBox, Empty, Pager, TextField, SelectField, TableWrap, usePagedList } from '../../ui.js';

const ACTIONS = ['auth.signin', 'auth.signin_failed', 'account.approved', 'account.suspended', 'contact.revealed',
  'profile.read', 'verification.decided', 'data.exported', 'account.erased'];

const actionLabel = (a) => t(`admin.audit.action.${a.replace('.', '_')}`);

// dayStart turns a date input's value into the API's time bound: since
// is the start of the day, until the start of the next (so "until" keeps
// the whole day), both in UTC.
function dayStart(day, plus = 0) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day || '')) return '';
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return '';
  d.setUTCDate(d.getUTCDate() + plus);
  return d.toISOString().replace('.000Z', 'Z');
}

function Who({ id, hash }) {
  if (id) return html`<code class="audit-id">${id}</code>`;
  if (hash) return html`<span class="muted small">${t('admin.audit.emailHash')}</span> <code class="audit-id">${hash.slice(0, 12)}</code>`;
  return html`<span class="muted">—</span>`;
}

function Audit() {
  const { query: qs } = useLocation();
  const [f, setF] = useState({ actor: qs.get('actor') || '', subject: qs.get('subject') || '', action: qs.get('action') || '',
    since: qs.get('since') || '', until: qs.get('until') || '' });
  useEffect(() => setQuery(f), [f.actor, f.subject, f.action, f.since, f.until]);
  const params = { actor: f.actor.trim(), subject: f.subject.trim(), action: f.action, since: dayStart(f.since), until: dayStart(f.until, 1) };
  const list = usePagedList((cursor) => `/v1/admin/audit${query({ ...params, cursor, limit: 50 })}`,
    [JSON.stringify(params)], { delay: f.actor || f.subject ? 300 : 0 });
  const fields = (list.error && list.error.fields) || {};
  const set = (k) => (v) => setF({ ...f, [k]: v });
  return html`<section>
    <${PageHeader} title=${t('admin.audit.title')} subtitle=${t('admin.audit.lead')} />
    <form class="grid3" role="search" onSubmit=${(e) => e.preventDefault()}>
      <${TextField} label=${t('admin.audit.actor')} value=${f.actor} onInput=${set('actor')} hint=${t('admin.audit.idHint')} error=${fields.actor} />
      <${TextField} label=${t('admin.audit.subject')} value=${f.subject} onInput=${set('subject')} hint=${t('admin.audit.idHint')} error=${fields.subject} />
      <${SelectField} label=${t('admin.audit.actionLabel')} value=${f.action} empty=${t('admin.audit.anyAction')}
        options=${ACTIONS.map((a) => ({ value: a, label: actionLabel(a) }))} onChange=${set('action')} error=${fields.action} />
      <${TextField} label=${t('admin.audit.since')} type="date" value=${f.since} onInput=${set('since')} error=${fields.since} />
      <${TextField} label=${t('admin.audit.until')} type="date" value=${f.until} onInput=${set('until')} error=${fields.until} />
    </form>
    <p class="muted small">${t('admin.audit.utc')}</p>
    <${ErrorBox} error=${list.error} onRetry=${list.reload} />
    ${!list.loading && !list.error && list.items.length === 0 && html`<${Empty}>${t('admin.audit.empty')}<//>`}
    ${list.items.length > 0 && html`<${TableWrap} label=${t('admin.audit.caption')}><table class="audit-table">
      <caption class="sr-only">${t('admin.audit.caption')}</caption>
      <thead><tr>
        <th scope="col">${t('admin.audit.col.at')}</th>
        <th scope="col">${t('admin.audit.col.action')}</th>
        <th scope="col">${t('admin.audit.col.actor')}</th>
        <th scope="col">${t('admin.audit.col.subject')}</th>
        <th scope="col">${t('admin.audit.col.from')}</th>
        <th scope="col">${t('admin.audit.col.request')}</th>
      </tr></thead>
      <tbody>${list.items.map((it) => html`<tr>
        <td><time datetime=${it.at}>${fmtDateTime(it.at)}</time></td>
        <td><strong>${actionLabel(it.action)}</strong>${it.object_id && html`<br /><code class="audit-id muted small">${it.object_id}</code>`}</td>
        <td><${Who} id=${it.actor_id} hash=${it.email_hash} /></td>
        <td><${Who} id=${it.subject_id} /></td>
        <td>${it.ip || '—'}${it.user_agent && html`<br /><span class="muted small break">${it.user_agent}</span>`}</td>
        <td><code class="audit-id small">${it.request_id || '—'}</code></td>
      </tr>`)}</tbody>
    </table><//>`}
    ${list.loading && html`<${Loading} />`}
    <${Pager} next=${list.next} busy=${list.loading} onMore=${list.more} />
  </section>`;
}

export const routes = [
  { path: '/admin/audit', view: Audit, title: 'admin.audit.title', roles: ['admin'], nav: 'admin.nav.audit' },
];
