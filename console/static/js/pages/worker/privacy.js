// The caller's rights over their data, on the settings page of every
// role: download everything Sankofa holds about them (GET /v1/me/export,
// GDPR Art. 15 and 20) and erase their account (DELETE /v1/me, Art. 17),
// after typing their password and confirming.
import { html, useState } from '../../html.js';
import { download, request, ApiError } from '../../api.js';
import { t } from '../../i18n.js';
import { navigate } from '../../router.js';
import { signOut } from '../../session.js';
import { stopStream } from '../../stream.js';
import { TextField, FormError, ErrorBox, useForm, toast } from '../../ui.js';

function DownloadData() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const day = new Date().toISOString().slice(0, 10);
      await download('/v1/me/export', `sankofa-export-${day}.json`, 'application/json');
      toast(t('privacy.export.done'));
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, {}));
    } finally {
      setBusy(false);
    }
  };
  return html`<section class="card" aria-labelledby="privacy-export-title">
    <h2 id="privacy-export-title">${t('privacy.export.title')}</h2>
    <p>${t('privacy.export.lead')}</p>
    <${ErrorBox} error=${error} />
    <button type="button" class="secondary" disabled=${busy} onClick=${run}>
      ${busy ? t('privacy.export.busy') : t('privacy.export.button')}</button>
  </section>`;
}

// What an erasure deletes and what others keep, as the role sees it.
function WhatGoes({ role }) {
  const gone = role === 'professional' ? ['account', 'profile', 'sessions', 'notifications']
    : ['account', 'sessions', 'notifications', 'webhooks'];
  const kept = role === 'professional' ? ['offers'] : ['assignments'];
  return html`
    <p>${t('privacy.delete.goneLead')}</p>
    <ul>${gone.map((k) => html`<li>${t(`privacy.delete.gone.${k}`)}</li>`)}</ul>
    <p>${t('privacy.delete.keptLead')}</p>
    <ul>${kept.map((k) => html`<li>${t(`privacy.delete.kept.${k}`)}</li>`)}</ul>
    <p>${t('privacy.delete.after')}</p>`;
}

function DeleteAccount({ account }) {
  // closed → form (explanation and password) → confirm → erased.
  const [step, setStep] = useState('closed');
  const f = useForm({ password: '' });
  const back = () => { setStep('closed'); f.setValues({ password: '' }); f.setErrors({}); f.setFormError(null); };
  const next = (e) => {
    e.preventDefault();
    if (!f.values.password) {
      f.setErrors({ password: t('privacy.delete.passwordNeeded') });
      return;
    }
    f.setErrors({});
    f.setFormError(null);
    setStep('confirm');
  };
  const erase = () => f.submit(async (v) => {
    try {
      await request('/v1/me', { method: 'DELETE', body: { password: v.password } });
    } catch (err) {
      setStep('form');
      if (err instanceof ApiError && err.code === 'wrong_password') {
        throw new ApiError(err.status, { code: err.code, errors: [{ field: 'password', message: t('privacy.delete.wrongPassword') }] });
      }
      throw err;
    }
    stopStream();
    await signOut();
    navigate('/signin', { replace: true });
    toast(t('privacy.delete.done'));
  });
  if (account.role === 'admin') {
    return html`<section class="card" aria-labelledby="privacy-delete-title">
      <h2 id="privacy-delete-title">${t('privacy.delete.title')}</h2>
      <p>${t('privacy.delete.admin')}</p>
    </section>`;
  }
  return html`<section class="card" aria-labelledby="privacy-delete-title">
    <h2 id="privacy-delete-title">${t('privacy.delete.title')}</h2>
    <p>${t('privacy.delete.lead')}</p>
    ${step === 'closed' && html`<button type="button" class="danger" onClick=${() => setStep('form')}>${t('privacy.delete.start')}</button>`}
    ${step !== 'closed' && html`<${WhatGoes} role=${account.role} />
      <${FormError} error=${f.formError} />
      <form onSubmit=${next} novalidate>
        <${TextField} label=${t('privacy.delete.password')} type="password" required autocomplete="current-password"
          value=${f.values.password} onInput=${(x) => { f.set('password', x); if (step === 'confirm') setStep('form'); }}
          error=${f.errors.password} hint=${t('privacy.delete.passwordHint')} />
        ${step === 'form' && html`<div class="actions">
          <button type="submit" class="danger">${t('privacy.delete.continue')}</button>
          <button type="button" class="secondary" onClick=${back}>${t('common.cancel')}</button>
        </div>`}
      </form>
      ${step === 'confirm' && html`<div class="alert error" role="alert">
        <p><strong>${t('privacy.delete.confirmTitle')}</strong></p>
        <p>${t('privacy.delete.confirmBody', { email: account.email })}</p>
        <div class="actions">
          <button type="button" class="danger" disabled=${f.busy} onClick=${erase}>
            ${f.busy ? t('privacy.delete.busy') : t('privacy.delete.confirm')}</button>
          <button type="button" class="secondary" disabled=${f.busy} onClick=${back}>${t('common.cancel')}</button>
        </div>
      </div>`}`}
  </section>`;
}

// Privacy is the settings page's part about the caller's data.
export function Privacy({ account }) {
  return html`<${DownloadData} />
    <${DeleteAccount} account=${account} />`;
}
