// A licence's verification in the worker's profile editor: its status,
// and a button to ask for verification when it can be asked.
import { html, useState } from '../../html.js';
import { request } from '../../api.js';
import { t, tEnum, fmtDate } from '../../i18n.js';
import { Badge, toast } from '../../ui.js';

const TONES = { validated: 'ok', 'in-process': 'warn', 'req-revalid': 'warn', 'val-fail': 'bad' };
const ASKABLE = ['unverified', 'val-fail', 'req-revalid'];

// LicenceVerification shows licence l's verification; onDone(profile,
// etag) gets the profile after a request.
export function LicenceVerification({ licence: l, onDone }) {
  const [busy, setBusy] = useState(false);
  if (!l.id) return html`<p class="muted small worker-verify">${t('worker.verify.saveFirst')}</p>`;
  const ver = l.verification || { status: 'unverified' };
  const ask = async () => {
    setBusy(true);
    try {
      const r = await request(`/v1/profiles/me/licences/${encodeURIComponent(l.id)}/verification`, { method: 'POST' });
      onDone(r.data, r.etag);
      toast(t('worker.verify.requested'));
    } catch (err) {
      toast(err.human || t('common.error.generic'), 'bad');
    } finally { setBusy(false); }
  };
  return html`<div class="worker-verify">
    <p class="small">${t('worker.verify.label')} <${Badge} tone=${TONES[ver.status] || 'neutral'}>${tEnum('verification', ver.status)}<//></p>
    ${ver.status === 'validated' && ver.next_review && html`<p class="muted small">${t('worker.verify.nextReview', { date: fmtDate(ver.next_review) })}</p>`}
    ${ver.status === 'in-process' && html`<p class="muted small">${t('worker.verify.waiting')}</p>`}
    ${ver.note && ver.status !== 'in-process' && html`<p class="muted small break">${t('worker.verify.note', { note: ver.note })}</p>`}
    ${ASKABLE.includes(ver.status) && html`<button type="button" class="secondary small" disabled=${busy} onClick=${ask}>${t('worker.verify.request')}</button>`}
  </div>`;
}
