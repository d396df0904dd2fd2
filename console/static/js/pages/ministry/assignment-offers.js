// The Offers and Interest tabs: what was sent and how it went (with the
// worker's contact details once accepted), and who raised a hand.
import { html, useState } from '../../html.js';
import { api } from '../../api.js';
import { t, fmtDate, fmtDateTime, fmtRelative } from '../../i18n.js';
import { Loading, ErrorBox, Empty, Pager, StatusBadge, ConfirmButton, toast } from '../../ui.js';
import { Score, Explanation, PersonLine, PersonActions } from './assignment-people.js';
import { Link } from '../../router.js';

// ContactCard shows how to reach a worker who accepted.
export function ContactCard({ contact }) {
  if (!contact) return null;
  return html`<div class="contact-card">
    <h4>${t('assignment.offers.contact')}</h4>
    <dl class="facts">
      <dt>${t('assignment.offers.contactName')}</dt><dd>${contact.name}</dd>
      ${contact.organization && html`<dt>${t('assignment.offers.contactOrganization')}</dt><dd>${contact.organization}</dd>`}
      ${contact.email && html`<dt>${t('assignment.offers.contactEmail')}</dt><dd><a href=${`mailto:${contact.email}`}>${contact.email}</a></dd>`}
      ${contact.phone && html`<dt>${t('assignment.offers.contactPhone')}</dt><dd><a href=${`tel:${contact.phone}`}>${contact.phone}</a></dd>`}
    </dl>
  </div>`;
}

function OfferItem({ ctx, o }) {
  const name = (o.contact && o.contact.name) || ctx.nameOf(o.profile_id) || t('assignment.shortlist.unknownName');
  const withdraw = async () => {
    try {
      await api(`/v1/offers/${encodeURIComponent(o.id)}/withdraw`, { method: 'POST' });
      toast(t('assignment.offers.withdrawn', { name }));
      ctx.reloadOffers();
    } catch (e) { toast(e.human || t('common.error.generic'), 'bad'); ctx.reloadOffers(); }
  };
  return html`<li class="asg-offer">
    <div class="asg-person-head">
      <h3>${name}</h3>
      <${StatusBadge} group="offer" value=${o.status} />
    </div>
    <dl class="facts">
      <dt>${t('assignment.offers.sent')}</dt><dd><time datetime=${o.created_at}>${fmtDateTime(o.created_at)}</time></dd>
      ${o.status === 'pending'
        ? html`<dt>${t('assignment.offers.expires')}</dt><dd><time datetime=${o.expires_at}>${fmtDateTime(o.expires_at)}</time> (${fmtRelative(o.expires_at)})</dd>`
        : html`<dt>${t('assignment.offers.updated')}</dt><dd><time datetime=${o.updated_at}>${fmtDateTime(o.updated_at)}</time></dd>`}
      <dt>${t('assignment.offers.terms')}</dt><dd>${t('assignment.offers.termsText', { start: fmtDate(o.terms.start), end: fmtDate(o.terms.end) })}</dd>
      ${o.reason && html`<dt>${t('assignment.offers.reason')}</dt><dd>${o.reason}</dd>`}
    </dl>
    ${o.message && html`<details><summary>${t('assignment.offers.message')}</summary><p class="asg-message">${o.message}</p></details>`}
    ${o.status === 'accepted' && html`<${ContactCard} contact=${o.contact} />`}
    ${o.status === 'accepted' && html`<p class="small"><${Link} href=${`/missions/${o.id}`}>${t('reports.mission.open', { name })}<//></p>`}
    ${o.status === 'pending' && !ctx.readOnly && html`<div class="actions">
      <${ConfirmButton} label=${t('assignment.offers.withdraw')} confirmLabel=${t('assignment.offers.withdrawConfirm', { name })} onConfirm=${withdraw} />
    </div>`}
  </li>`;
}

export function OffersTab({ ctx }) {
  const { offers } = ctx;
  return html`<div>
    <h2>${t('assignment.offers.title')}</h2>
    <p class="muted small">${t('assignment.offers.lead')}</p>
    <${ErrorBox} error=${offers.error} onRetry=${offers.reload} />
    ${offers.loading && !offers.items && html`<${Loading} />`}
    ${offers.items && offers.items.length === 0 && html`<${Empty}>${t('assignment.offers.empty')}<//>`}
    <ul class="list asg-offers" aria-live="polite">
      ${(offers.items || []).map((o) => html`<${OfferItem} key=${o.id} ctx=${ctx} o=${o} />`)}
    </ul>
    <${Pager} next=${offers.next} busy=${offers.loading} onMore=${offers.more} />
  </div>`;
}

function InterestItem({ ctx, it }) {
  const p = it.profile;
  const [open, setOpen] = useState(false);
  return html`<li class="asg-person">
    <div class="asg-person-head">
      <div>
        <h3>${p.full_name}</h3>
        <${PersonLine} profile=${p} profession=${ctx.profession} />
        <p class="muted small">${t('assignment.interest.at', { when: fmtRelative(it.at) })}
          <time class="sr-only" datetime=${it.at}>${fmtDateTime(it.at)}</time></p>
      </div>
      <${Score} score=${it.score} label=${t('assignment.match.scoreOf', { name: p.full_name })} />
    </div>
    ${it.unmet && it.unmet.length > 0 && html`<div class="alert info">
      <p>${t('assignment.interest.unmet')}</p>
      <ul>${it.unmet.map((u) => html`<li>${u}</li>`)}</ul>
    </div>`}
    <button type="button" class="link" aria-expanded=${open ? 'true' : 'false'} onClick=${() => setOpen(!open)}>
      ${open ? t('assignment.interest.hideWhy') : t('assignment.interest.showWhy')}</button>
    ${open && html`<${Explanation} asg=${ctx.asg} profile=${p} ex=${it.explanation} />`}
    <${PersonActions} ctx=${ctx} profile=${p} name=${p.full_name} />
  </li>`;
}

export function InterestTab({ ctx }) {
  const { interest } = ctx;
  return html`<div>
    <h2>${t('assignment.interest.title')}</h2>
    <p class="muted small">${t('assignment.interest.lead')}</p>
    <${ErrorBox} error=${interest.error} onRetry=${interest.reload} />
    ${interest.loading && !interest.items && html`<${Loading} />`}
    ${interest.items && interest.items.length === 0 && html`<${Empty}>${t('assignment.interest.empty')}<//>`}
    <ul class="list asg-people">
      ${(interest.items || []).map((it) => html`<${InterestItem} key=${it.profile.id} ctx=${ctx} it=${it} />`)}
    </ul>
  </div>`;
}
