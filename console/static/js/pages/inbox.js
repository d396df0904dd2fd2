// The inbox: every notification, newest first, updated live from the
// stream, with links to what each one is about.
import { html, useEffect, useState } from '../html.js';
import { api, query } from '../api.js';
import { t, fmtDateTime, fmtRelative } from '../i18n.js';
import { Link } from '../router.js';
import { onNotification, setUnread, refreshUnread } from '../stream.js';
import { PageHeader, Loading, ErrorBox, Empty, Pager, Tabs, usePagedList, toast } from '../ui.js';

// target says where a notification leads, from the ids in its data.
export function notificationTarget(n, role) {
  const d = n.data || {};
  if (d.assignment_id && role === 'ministry') return `/assignments/${d.assignment_id}`;
  if (d.offer_id) return role === 'ministry' && d.assignment_id ? `/assignments/${d.assignment_id}` : `/offers/${d.offer_id}`;
  if (d.assignment_id) return `/opportunities/${d.assignment_id}`;
  return '';
}

function Inbox({ account }) {
  const [filter, setFilter] = useState('all');
  const list = usePagedList((cursor) => `/v1/notifications${query({ unread: filter === 'unread' ? 'true' : '', cursor, limit: 20 })}`, [filter]);
  const { items, setItems, next } = list;
  const state = list;
  useEffect(() => onNotification((n) => setItems((prev) => (prev.some((x) => x.id === n.id) ? prev : [n, ...prev]))), []);
  const markRead = async (n) => {
    if (n.read) return;
    try {
      await api(`/v1/notifications/${encodeURIComponent(n.id)}/read`, { method: 'POST' });
      setItems((prev) => prev.map((x) => (x.id === n.id ? { ...x, read: true } : x)));
      refreshUnread();
    } catch { /* it stays unread; nothing is lost */ }
  };
  const readAll = async () => {
    try {
      await api('/v1/notifications/read-all', { method: 'POST' });
      setItems((prev) => prev.map((x) => ({ ...x, read: true })));
      setUnread(0);
      toast(t('inbox.allRead'));
    } catch (e) { toast(e.human || t('common.error.generic'), 'bad'); }
  };
  const unreadHere = items.filter((n) => !n.read).length;
  return html`<section>
    <${PageHeader} title=${t('inbox.title')} subtitle=${t('inbox.lead')}>
      <button type="button" class="secondary" onClick=${readAll} disabled=${!unreadHere}>${t('inbox.markAllRead')}</button>
    <//>
    <${Tabs} label=${t('inbox.filter')} current=${filter} onChange=${setFilter}
      tabs=${[{ id: 'all', label: t('inbox.all') }, { id: 'unread', label: t('inbox.unread') }]} />
    <${ErrorBox} error=${state.error} onRetry=${list.reload} />
    ${!state.loading && !state.error && items.length === 0 && html`<${Empty}>${t('inbox.empty')}<//>`}
    <ul class="inbox" aria-live="polite">
      ${items.map((n) => {
        const to = notificationTarget(n, account.role);
        return html`<li class=${n.read ? 'read' : 'unread'}>
          <div class="inbox-main">
            <p class="inbox-title">${!n.read && html`<span class="dot" aria-hidden="true"></span>`}
              ${to ? html`<${Link} href=${to} onClick=${() => markRead(n)}>${n.title}<//>` : html`<span>${n.title}</span>`}
              ${!n.read && html` <span class="sr-only">${t('inbox.unreadMark')}</span>`}</p>
            ${n.body && html`<p class="inbox-body">${n.body}</p>`}
            <p class="muted small"><time datetime=${n.created_at} title=${fmtDateTime(n.created_at)}>${fmtRelative(n.created_at)}</time></p>
          </div>
          ${!n.read && html`<button type="button" class="secondary small" onClick=${() => markRead(n)}>${t('inbox.markRead')}<span class="sr-only">: ${n.title}</span></button>`}
        </li>`;
      })}
    </ul>
    ${state.loading && html`<${Loading} />`}
    <${Pager} next=${next} busy=${state.loading} onMore=${list.more} />
  </section>`;
}

export const routes = [
  { path: '/inbox', view: Inbox, title: 'inbox.title', roles: ['ministry', 'professional', 'admin'] },
];
