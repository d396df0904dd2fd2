// The ministry's home: figures, the open and draft assignments, pending
// offers and recent notifications. Each block asks the API on its own and
// in parallel, and shows its own loading and error, so that on a poor
// network the first answers appear without waiting for the slowest.
import { html, useEffect, useState } from '../../html.js';
import { api, query } from '../../api.js';
import { t, fmtDate, fmtDateTime, fmtNumber, fmtRelative } from '../../i18n.js';
import { Link } from '../../router.js';
import { useInbox, onNotification } from '../../stream.js';
import { PageHeader, Loading, ErrorBox, Empty, StatusBadge, useAsync } from '../../ui.js';
import { notificationTarget } from '../inbox.js';
import { ownAssignments, Figure, Progress } from './common.js';

const WEEK = 7 * 24 * 3600 * 1000;

function AssignmentsBlock({ state }) {
  const { data, error, loading, reload } = state;
  return html`<section class="card" aria-labelledby="dash-asg">
    <div class="ministry-block-head">
      <h2 id="dash-asg">${t('ministry.dashboard.assignments')}</h2>
      <${Link} href="/assignments">${t('ministry.dashboard.allAssignments')}<//>
    </div>
    ${loading && !data && html`<${Loading} />`}
    <${ErrorBox} error=${error} onRetry=${reload} />
    ${data && data.length === 0 && html`<${Empty}>${t('ministry.dashboard.noAssignments')}<//>`}
    ${data && data.length > 0 && html`<ul class="ministry-rows">
      ${data.map((a) => html`<li>
        <div class="ministry-row-main">
          <${Link} href=${`/assignments/${encodeURIComponent(a.id)}`} class="ministry-row-title">${a.title}<//>
          <p class="muted small">${t('ministry.common.startsOn', { date: fmtDate(a.start) })}${a.interest_count > 0 ? ` · ${t('ministry.common.interested', { count: fmtNumber(a.interest_count) })}` : ''}</p>
        </div>
        <div class="ministry-row-side">
          <${StatusBadge} group="assignment" value=${a.status} />
          <${Progress} filled=${a.filled} positions=${a.positions} />
        </div>
      </li>`)}
    </ul>`}
  </section>`;
}

// OfferRow names the worker of a pending offer; the name comes from the
// profile, asked for row by row, and the row reads well without it.
function OfferRow({ offer, title }) {
  const [name, setName] = useState('');
  useEffect(() => {
    let live = true;
    api(`/v1/profiles/${encodeURIComponent(offer.profile_id)}`).then((p) => { if (live) setName(p.full_name); }, () => {});
    return () => { live = false; };
  }, [offer.profile_id]);
  return html`<li>
    <p class="ministry-row-title">${name || t('ministry.dashboard.aWorker')}</p>
    <p class="small"><${Link} href=${`/assignments/${encodeURIComponent(offer.assignment_id)}`}>${title || t('ministry.dashboard.theAssignment')}<//></p>
    <p class="muted small"><time datetime=${offer.expires_at} title=${fmtDateTime(offer.expires_at)}>${t('ministry.dashboard.expires', { when: fmtRelative(offer.expires_at) })}</time></p>
  </li>`;
}

function OffersBlock({ state, titles }) {
  const { data, error, loading, reload } = state;
  const items = data ? data.items : [];
  return html`<section class="card" aria-labelledby="dash-offers">
    <h2 id="dash-offers">${t('ministry.dashboard.pendingOffers')}</h2>
    ${loading && !data && html`<${Loading} />`}
    <${ErrorBox} error=${error} onRetry=${reload} />
    ${data && items.length === 0 && html`<${Empty}>${t('ministry.dashboard.noOffers')}<//>`}
    ${items.length > 0 && html`<ul class="ministry-compact">
      ${items.slice(0, 5).map((o) => html`<${OfferRow} key=${o.id} offer=${o} title=${titles[o.assignment_id]} />`)}
    </ul>`}
    ${items.length > 5 && html`<p class="muted small">${t('ministry.dashboard.moreOffers', { count: fmtNumber(items.length - 5) })}</p>`}
  </section>`;
}

function NotificationsBlock({ state, account }) {
  const { data, error, loading, reload } = state;
  const items = data ? data.items.slice(0, 5) : [];
  return html`<section class="card" aria-labelledby="dash-notes">
    <div class="ministry-block-head">
      <h2 id="dash-notes">${t('ministry.dashboard.notifications')}</h2>
      <${Link} href="/inbox">${t('ministry.dashboard.openInbox')}<//>
    </div>
    ${loading && !data && html`<${Loading} />`}
    <${ErrorBox} error=${error} onRetry=${reload} />
    ${data && items.length === 0 && html`<${Empty}>${t('ministry.dashboard.noNotifications')}<//>`}
    ${items.length > 0 && html`<ul class="ministry-compact">
      ${items.map((n) => {
        const to = notificationTarget(n, account.role);
        return html`<li class=${n.read ? '' : 'ministry-unread'}>
          <p class="ministry-row-title">${to ? html`<${Link} href=${to}>${n.title}<//>` : n.title}
            ${!n.read && html` <span class="sr-only">${t('ministry.dashboard.unread')}</span>`}</p>
          <p class="muted small"><time datetime=${n.created_at} title=${fmtDateTime(n.created_at)}>${fmtRelative(n.created_at)}</time></p>
        </li>`;
      })}
    </ul>`}
  </section>`;
}

function Dashboard({ account }) {
  const inbox = useInbox();
  const assignments = useAsync(async () => {
    const [open, draft] = await Promise.all([
      ownAssignments(account, { status: 'open' }),
      ownAssignments(account, { status: 'draft' }),
    ]);
    return [...open.items, ...draft.items];
  }, [account.id]);
  const offers = useAsync(() => api(`/v1/offers${query({ status: 'pending', limit: 100 })}`), [account.id]);
  const notes = useAsync(() => api(`/v1/notifications${query({ limit: 100 })}`), [account.id]);

  // A notification may change what each block shows: reload what it is
  // about, without a page reload.
  useEffect(() => onNotification((n) => {
    notes.reload();
    if (n.kind && n.kind.startsWith('offer.')) { offers.reload(); assignments.reload(); }
    if (n.kind === 'assignment.interest') assignments.reload();
  }), []);

  const list = assignments.data || [];
  const open = list.filter((a) => a.status === 'open');
  const filled = open.reduce((s, a) => s + (a.filled || 0), 0);
  const positions = open.reduce((s, a) => s + (a.positions || 0), 0);
  const titles = Object.fromEntries(list.map((a) => [a.id, a.title]));
  const since = Date.now() - WEEK;
  const newInterest = notes.data
    ? notes.data.items.filter((n) => n.kind === 'assignment.interest' && new Date(n.created_at).getTime() >= since).length : 0;
  const pending = offers.data ? offers.data.items.length : 0;
  const pendingShown = offers.data && offers.data.next_cursor ? `${fmtNumber(pending)}+` : fmtNumber(pending);

  return html`<section>
    <${PageHeader} title=${t('ministry.dashboard.title')} subtitle=${account.organization || ''}>
      <${Link} href="/assignments/new" class="button">${t('ministry.common.newAssignment')}<//>
    <//>
    <div class="stats" aria-label=${t('ministry.dashboard.figures')} role="group">
      <${Figure} label=${t('ministry.dashboard.openAssignments')} value=${fmtNumber(open.length)} loading=${assignments.loading && !assignments.data} error=${assignments.error} />
      <${Figure} label=${t('ministry.dashboard.positionsFilled')} value=${`${fmtNumber(filled)} / ${fmtNumber(positions)}`}
        loading=${assignments.loading && !assignments.data} error=${assignments.error} />
      <${Figure} label=${t('ministry.dashboard.pendingOffers')} value=${pendingShown} loading=${offers.loading && !offers.data} error=${offers.error} />
      <${Figure} label=${t('ministry.dashboard.newInterest')} value=${fmtNumber(newInterest)} loading=${notes.loading && !notes.data} error=${notes.error} />
      <${Figure} label=${t('ministry.dashboard.unreadNotifications')} value=${fmtNumber(inbox.unread)} />
    </div>
    <div class="cols">
      <${AssignmentsBlock} state=${assignments} />
      <div>
        <${OffersBlock} state=${offers} titles=${titles} />
        <${NotificationsBlock} state=${notes} account=${account} />
      </div>
    </div>
  </section>`;
}

export const routes = [
  { path: '/dashboard', view: Dashboard, title: 'ministry.dashboard.title', roles: ['ministry'], nav: 'ministry.nav.dashboard' },
];
