// The verifier's queue (admins, and approved ministries for licences of
// their own country): licences by verification status, longest waiting
// first, each with a form to record a decision. A new request arriving
// in the inbox reloads the list.
import { html, useEffect, useState } from '../../html.js';
import { api, query } from '../../api.js';
import { t, tEnum, fmtDate, fmtRelative, fmtDateTime, countryName } from '../../i18n.js';
import { useLocation, setQuery } from '../../router.js';
import { onNotification } from '../../stream.js';
import { PageHeader, Loading, ErrorBox, Empty, Badge, SelectField, TextArea, TextField, FormError, useAsync, useForm, toast } from '../../ui.js';

const STATUSES = ['in-process', 'validated', 'val-fail', 'req-revalid'];
const DECISIONS = ['validated', 'val-fail', 'req-revalid'];
const METHODS = ['primary-source', 'document', 'attestation'];
const TONES = { validated: 'ok', 'in-process': 'warn', 'req-revalid': 'warn', 'val-fail': 'bad' };

export function VerificationBadge({ status }) {
  const s = status || 'unverified';
  return html`<${Badge} tone=${TONES[s] || 'neutral'}>${tEnum('verification', s)}<//>`;
}

function Decide({ item, onDone }) {
  const f = useForm({ status: '', method: '', note: '', next_review: '' });
  const v = f.values;
  const e = f.errors;
  const name = item.full_name;
  const submit = (ev) => {
    ev.preventDefault();
    f.submit(async (vals) => {
      const body = { status: vals.status, method: vals.method, note: vals.note.trim() };
      if (vals.status === 'validated' && vals.next_review) body.next_review = vals.next_review;
      const done = await api(`/v1/verifications/${encodeURIComponent(item.profile_id)}/${encodeURIComponent(item.licence.id)}`,
        { method: 'POST', body });
      toast(t('admin.verify.recorded', { name, status: tEnum('verification', done.licence.verification.status) }));
      onDone(done);
    });
  };
  return html`<form class="verify-decide" onSubmit=${submit} aria-label=${t('admin.verify.decideFor', { name })}>
    <${FormError} error=${f.formError} />
    <div class="grid2">
      <${SelectField} label=${t('admin.verify.decision')} value=${v.status} required empty=${t('common.choose')}
        options=${DECISIONS.map((d) => ({ value: d, label: tEnum('verification', d) }))}
        onChange=${(x) => f.set('status', x)} error=${e.status} />
      <${SelectField} label=${t('admin.verify.method')} value=${v.method} required empty=${t('common.choose')}
        options=${METHODS.map((m) => ({ value: m, label: t(`admin.verify.methods.${m}`) }))}
        onChange=${(x) => f.set('method', x)} error=${e.method} />
    </div>
    ${v.status === 'validated' && html`<${TextField} label=${t('admin.verify.nextReview')} type="date" value=${v.next_review}
      onInput=${(x) => f.set('next_review', x)} error=${e.next_review} hint=${t('admin.verify.nextReviewHint')} />`}
    <${TextArea} label=${t('admin.verify.note')} value=${v.note} rows=${2} maxlength=${1000}
      onInput=${(x) => f.set('note', x)} error=${e.note} hint=${t('admin.verify.noteHint')} />
    <button type="submit" disabled=${f.busy}>${t('admin.verify.record')}</button>
  </form>`;
}

function Item({ item, onDone }) {
  const l = item.licence;
  const ver = l.verification || { status: 'unverified' };
  const waiting = ver.requested_at;
  return html`<li class="card verify-item">
    <h2 class="verify-name">${item.full_name}</h2>
    <p class="muted small">${t('admin.verify.livesIn', { country: countryName(item.residence_country) })}</p>
    <dl class="verify-facts">
      <dt>${t('admin.verify.body')}</dt><dd>${l.body} (${countryName(l.country)})</dd>
      <dt>${t('admin.verify.number')}</dt><dd><code>${l.number}</code></dd>
      <dt>${t('admin.verify.expires')}</dt><dd><time datetime=${l.expires}>${fmtDate(l.expires)}</time></dd>
      <dt>${t('admin.verify.status')}</dt><dd><${VerificationBadge} status=${ver.status} /></dd>
      ${waiting && html`<dt>${t('admin.verify.requested')}</dt>
        <dd><time datetime=${waiting} title=${fmtDateTime(waiting)}>${fmtRelative(waiting)}</time></dd>`}
      ${ver.verified_at && html`<dt>${t('admin.verify.decided')}</dt>
        <dd><time datetime=${ver.verified_at} title=${fmtDateTime(ver.verified_at)}>${fmtRelative(ver.verified_at)}</time>
        ${ver.method && html` · ${t(`admin.verify.methods.${ver.method}`)}`}</dd>`}
      ${ver.next_review && html`<dt>${t('admin.verify.nextReview')}</dt><dd><time datetime=${ver.next_review}>${fmtDate(ver.next_review)}</time></dd>`}
      ${ver.note && html`<dt>${t('admin.verify.note')}</dt><dd class="break">${ver.note}</dd>`}
    </dl>
    <${Decide} item=${item} onDone=${onDone} />
  </li>`;
}

function Queue({ account }) {
  const { query: qs } = useLocation();
  const [status, setStatus] = useState(STATUSES.includes(qs.get('status')) ? qs.get('status') : 'in-process');
  useEffect(() => setQuery({ status: status === 'in-process' ? '' : status }), [status]);
  const r = useAsync(() => api(`/v1/verifications${query({ status })}`), [status]);
  useEffect(() => onNotification((n) => { if (n.kind === 'licence.verification_requested') r.reload(); }), []);
  const items = (r.data && r.data.items) || [];
  const lead = account.role === 'ministry' ? t('admin.verify.leadMinistry', { country: countryName(account.country) }) : t('admin.verify.leadAdmin');
  return html`<section>
    <${PageHeader} title=${t('admin.verify.title')} subtitle=${lead} />
    <form class="grid3" role="search" onSubmit=${(ev) => ev.preventDefault()}>
      <${SelectField} label=${t('admin.verify.show')} value=${status}
        options=${STATUSES.map((s) => ({ value: s, label: tEnum('verification', s) }))} onChange=${setStatus} />
    </form>
    <${ErrorBox} error=${r.error} onRetry=${r.reload} />
    ${r.loading && html`<${Loading} />`}
    ${!r.loading && !r.error && items.length === 0 && html`<${Empty}>${t('admin.verify.empty')}<//>`}
    ${items.length > 0 && html`<p class="muted" role="status">${t('admin.verify.count', { count: items.length })}</p>
      <ul class="list verify-list">${items.map((it) => html`<${Item} key=${`${it.profile_id}/${it.licence.id}`} item=${it}
        onDone=${() => r.reload()} />`)}</ul>`}
  </section>`;
}

export const routes = [
  { path: '/verifications', view: Queue, title: 'admin.verify.title', roles: ['admin', 'ministry'], nav: 'admin.verify.nav' },
];
