// Account settings for every role: the name and the language of
// notifications and e-mails (PATCH /v1/me with If-Match), then the
// person's data: download it, or erase the account (privacy.js).
import { html } from '../../html.js';
import { request, ApiError } from '../../api.js';
import { t, tEnum, setLang, currentLang, LANGS } from '../../i18n.js';
import { getSession, reloadAccount } from '../../session.js';
import { PageHeader, TextField, SelectField, FormError, useForm, toast } from '../../ui.js';
import { Privacy } from './privacy.js';

function Settings({ account }) {
  const f = useForm({ name: account.name || '', locale: account.locale || currentLang() });
  const onSubmit = (e) => {
    e.preventDefault();
    f.submit(async (v) => {
      const body = { name: v.name.trim(), locale: v.locale };
      const save = () => request('/v1/me', { method: 'PATCH', body, ifMatch: getSession().etag });
      try {
        await save();
      } catch (err) {
        // Changed elsewhere (e.g. the language picker): read it and try once more.
        if (!(err instanceof ApiError && err.status === 412)) throw err;
        await reloadAccount();
        await save();
      }
      if (v.locale !== currentLang()) await setLang(v.locale);
      await reloadAccount();
      toast(t('worker.settings.saved'));
    });
  };
  return html`<section class="narrow worker-page">
    <${PageHeader} title=${t('worker.settings.title')} subtitle=${t('worker.settings.lead')} />
    <div class="card">
      <${FormError} error=${f.formError} />
      <form onSubmit=${onSubmit} novalidate>
        <${TextField} label=${t('worker.settings.name')} required autocomplete="name" value=${f.values.name}
          onInput=${(x) => f.set('name', x)} error=${f.errors.name} />
        <${SelectField} label=${t('worker.settings.locale')} value=${f.values.locale} onChange=${(x) => f.set('locale', x)}
          options=${LANGS.map((l) => ({ value: l, label: t(`common.langName.${l}`) }))} error=${f.errors.locale}
          hint=${t('worker.settings.localeHint')} />
        <dl class="facts small">
          <dt>${t('worker.settings.email')}</dt><dd>${account.email}</dd>
          <dt>${t('worker.settings.role')}</dt><dd>${tEnum('role', account.role)}</dd>
        </dl>
        <div><button type="submit" disabled=${f.busy}>${f.busy ? t('worker.settings.saving') : t('common.save')}</button></div>
      </form>
    </div>
    <${Privacy} account=${account} />
  </section>`;
}

export const settingsRoutes = [
  { path: '/settings', view: Settings, title: 'worker.settings.title', roles: ['professional', 'ministry', 'admin'], nav: 'worker.nav.settings' },
];
