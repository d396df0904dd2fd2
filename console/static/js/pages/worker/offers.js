// The worker's offers: accept or decline, and once accepted the
// ministry's contact details. The list reloads when an offer.*
// notification arrives, so a new offer appears without a reload.
import { html, useEffect, useState, useRef } from '../../html.js';
import { api, query, ApiError } from '../../api.js';
import { t, tEnum, fmtDateTime, fmtRelative, fmtNumber } from '../../i18n.js';
import { Link } from '../../router.js';
import { onNotification, refreshUnread } from '../../stream.js';
import { PageHeader, Loading, ErrorBox, Empty, Pager, StatusBadge, ConfirmButton, Tabs, toast } from '../../ui.js';
import { dateRange } from './common.js';
import { MissionPanel } from '../reports/mission.js';

// assignmentsOf fetches the titles of the offers' assignments; one the
// worker can no longer open (filled, closed) stays untitled.
async function assignmentsOf(offers, known) {
  const ids = [...new Set(offers.map((o) => o.assignment_id))].filter((id) => !(id in known));
  const got = await Promise.all(ids.map((id) => api(`/v1/assignments/${encodeURIComponent(id)}`).catch(() => null)));
  const out = { ...known };
  ids.forEach((id, i) => { out[id] = got[i]; });
  return out;
}

function offerTitle(o, a) {
  if (a && a.title) return a.title;
  if (o.terms && o.terms.title) return o.terms.title;
  if (o.contact && o.contact.organization) return t('worker.offers.titleFrom', { organization: o.contact.organization });
  return t('worker.offers.untitled');
}

export function ContactCard({ contact }) {
  if (!contact) return null;
  return html`<section class="contact-card" aria-labelledby="contact-h">
    <h3 id="contact-h">${t('worker.offers.contactTitle')}</h3>
    <p class="small">${t('worker.offers.contactLead')}</p>
    <dl class="facts">
      <dt>${t('worker.offers.contactName')}</dt><dd>${contact.name}</dd>
      ${contact.organization ? html`<dt>${t('worker.offers.contactOrg')}</dt><dd>${contact.organization}</dd>` : null}
      ${contact.email ? html`<dt>${t('worker.offers.contactEmail')}</dt><dd><a href=${`mailto:${contact.email}`}>${contact.email}</a></dd>` : null}
      ${contact.phone ? html`<dt>${t('worker.offers.contactPhone')}</dt><dd><a href=${`tel:${contact.phone}`}>${contact.phone}</a></dd>` : null}
    </dl>
  </section>`;
}

// OfferActions accepts (one click: it is what the worker came for) or
// declines (two clicks: it cannot be undone) a pending offer.
function OfferActions({ offer, title, onChanged }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const move = async (what) => {
    setBusy(true);
    setError('');
    try {
      let o = await api(`/v1/offers/${encodeURIComponent(offer.id)}/${what}`, { method: 'POST' });
      if (what === 'accept' && o.status === 'accepted' && !o.contact) o = await api(`/v1/offers/${encodeURIComponent(offer.id)}`);
      toast(what === 'accept' ? t('worker.offers.acceptedToast') : t('worker.offers.declinedToast'));
      refreshUnread();
      onChanged(o);
    } catch (e) {
      setError(e instanceof ApiError ? e.human : t('common.error.generic'));
      if (e instanceof ApiError && e.status === 409) {
        api(`/v1/offers/${encodeURIComponent(offer.id)}`).then(onChanged).catch(() => {});
      }
    } finally { setBusy(false); }
  };
  if (offer.status !== 'pending') return null;
  return html`<div class="worker-offer-actions">
    ${error && html`<p class="field-error" role="alert">${error}</p>`}
    <div class="actions">
      <button type="button" disabled=${busy} onClick=${() => move('accept')}
        aria-label=${t('worker.offers.acceptFor', { title })}>${t('worker.offers.accept')}</button>
      <${ConfirmButton} label=${t('worker.offers.decline')} confirmLabel=${t('worker.offers.declineConfirm')}
        class="secondary" disabled=${busy} onConfirm=${() => move('decline')} />
    </div>
  </div>`;
}

// OfferBody is what the worker needs to decide: terms, expiry, message.
function OfferBody({ o }) {
  return html`<dl class="facts">
    <dt>${t('worker.offers.status')}</dt><dd><${StatusBadge} group="offer" value=${o.status} /></dd>
    <dt>${t('worker.common.mode')}</dt><dd>${tEnum('mode', o.terms.mode)}${o.terms.mode !== 'onsite' && o.terms.virtual_hours_per_week
      ? ` · ${t('worker.common.hoursPerWeek', { hours: fmtNumber(o.terms.virtual_hours_per_week) })}` : ''}</dd>
    <dt>${t('worker.common.dates')}</dt><dd>${dateRange(o.terms.start, o.terms.end)}</dd>
    <dt>${t('worker.offers.received')}</dt><dd><time datetime=${o.created_at}>${fmtDateTime(o.created_at)}</time></dd>
    ${o.status === 'pending' ? html`<dt>${t('worker.offers.expires')}</dt>
      <dd><time datetime=${o.expires_at} title=${fmtDateTime(o.expires_at)}>${fmtRelative(o.expires_at)}</time></dd>` : null}
    ${o.reason ? html`<dt>${t('worker.offers.reason')}</dt><dd>${o.reason}</dd>` : null}
  </dl>
  ${o.message && html`<blockquote class="worker-message"><p class="small muted">${t('worker.offers.message')}</p><p class="worker-prewrap">${o.message}</p></blockquote>`}`;
}

function Offers() {
  const [filter, setFilter] = useState('all');
  const [items, setItems] = useState([]);
  const [asg, setAsg] = useState({});
  const [next, setNext] = useState(null);
  const [state, setState] = useState({ loading: true, error: null });
  const known = useRef({});
  const load = async (cursor) => {
    setState({ loading: true, error: null });
    try {
      const r = await api(`/v1/offers${query({ status: filter === 'all' ? '' : filter, cursor, limit: 20 })}`);
      const a = await assignmentsOf(r.items, known.current);
      known.current = a;
      setAsg(a);
      setItems((prev) => (cursor ? [...prev, ...r.items] : r.items));
      setNext(r.next_cursor);
      setState({ loading: false, error: null });
    } catch (error) { setState({ loading: false, error }); }
  };
  useEffect(() => { load(); }, [filter]);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => onNotification((n) => { if (String(n.kind || '').startsWith('offer.')) loadRef.current(); }), []);
  const replace = (o) => setItems((prev) => prev.map((x) => (x.id === o.id ? o : x)));
  return html`<section class="worker-page">
    <${PageHeader} title=${t('worker.offers.title')} subtitle=${t('worker.offers.lead')} />
    <${Tabs} label=${t('worker.offers.filter')} current=${filter} onChange=${setFilter}
      tabs=${['all', 'pending', 'accepted'].map((id) => ({ id, label: id === 'all' ? t('worker.offers.all') : tEnum('offer', id) }))} />
    <${ErrorBox} error=${state.error} onRetry=${() => load()} />
    ${!state.loading && !state.error && items.length === 0 && html`<${Empty}>${t('worker.offers.empty')}<//>`}
    ${items.length > 0 && html`<ul class="list worker-offers" aria-live="polite">
      ${items.map((o) => {
        const title = offerTitle(o, asg[o.assignment_id]);
        const a = asg[o.assignment_id];
        return html`<li class=${`worker-offer ${o.status}`}>
          <article aria-labelledby=${`o-${o.id}`}>
            <h2 id=${`o-${o.id}`} class="worker-card-title"><${Link} href=${`/offers/${o.id}`}>${title}<//></h2>
            ${a && a.organization && html`<p class="muted small">${a.organization}</p>`}
            <${OfferBody} o=${o} />
            <${OfferActions} offer=${o} title=${title} onChanged=${replace} />
            <${ContactCard} contact=${o.contact} />
          </article>
        </li>`;
      })}
    </ul>`}
    ${state.loading && html`<${Loading} />`}
    <${Pager} next=${next} busy=${state.loading} onMore=${() => load(next)} />
  </section>`;
}

function OfferPage({ id, account }) {
  const [state, setState] = useState({ loading: true, error: null, o: null, a: null });
  const load = async () => {
    setState((s) => ({ ...s, loading: true, error: null }));
    try {
      const o = await api(`/v1/offers/${encodeURIComponent(id)}`);
      const a = await api(`/v1/assignments/${encodeURIComponent(o.assignment_id)}`).catch(() => null);
      setState({ loading: false, error: null, o, a });
    } catch (error) { setState((s) => ({ ...s, loading: false, error })); }
  };
  useEffect(() => { load(); }, [id]);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => onNotification((n) => {
    if (String(n.kind || '').startsWith('offer.') && (!n.data || !n.data.offer_id || n.data.offer_id === id)) loadRef.current();
  }), [id]);
  const { o, a } = state;
  if (state.loading && !o) return html`<${Loading} />`;
  if (state.error && !o) {
    return html`<section class="worker-page"><${PageHeader} title=${t('worker.offers.one')} />
      ${state.error.status === 404 ? html`<${Empty}>${t('worker.offers.gone')}<//>` : html`<${ErrorBox} error=${state.error} onRetry=${load} />`}
      <p><${Link} href="/offers">${t('worker.offers.back')}<//></p></section>`;
  }
  const title = offerTitle(o, a);
  return html`<section class="worker-page">
    <p class="small"><${Link} href="/offers">${t('worker.offers.back')}<//></p>
    <${PageHeader} title=${title} subtitle=${a ? a.organization : ''} />
    <div class="card">
      <${OfferBody} o=${o} />
      <${OfferActions} offer=${o} title=${title} onChanged=${(x) => setState((s) => ({ ...s, o: x }))} />
      <${ContactCard} contact=${o.contact} />
      ${a && html`<p class="small"><${Link} href=${`/opportunities/${a.id}`}>${t('worker.offers.seeAssignment')}<//></p>`}
    </div>
    ${o.status === 'accepted' && html`<${MissionPanel} offerID=${o.id} account=${account} />`}
  </section>`;
}

export const offerRoutes = [
  { path: '/offers', view: Offers, title: 'worker.offers.title', roles: ['professional'], nav: 'worker.nav.offers' },
  { path: '/offers/:id', view: OfferPage, title: 'worker.offers.one', roles: ['professional'] },
];
