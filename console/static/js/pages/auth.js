// Signing in, signing up, the password-reset placeholder and the page a
// ministry sees while it waits for approval.
import { html, useState } from '../html.js';
import { api } from '../api.js';
import { t, currentLang, countryCodes, countryName } from '../i18n.js';
import { navigate, Link, useLocation } from '../router.js';
import { signIn, useSession, reloadAccount } from '../session.js';
import { TextField, SelectField, FormError, useForm, useAsync, Loading, ErrorBox, toast } from '../ui.js';

// safeNext keeps a post-sign-in redirect inside the console.
function safeNext(q) {
  const next = q.get('next') || '';
  return next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

function SignIn() {
  const { query } = useLocation();
  const f = useForm({ email: '', password: '' });
  const onSubmit = (e) => {
    e.preventDefault();
    f.submit(async (v) => {
      await signIn(v.email.trim(), v.password);
      navigate(safeNext(query), { replace: true });
    });
  };
  const wait = f.formError && f.formError.status === 429 ? f.formError.retryAfter : 0;
  return html`<section class="narrow card">
    <h1 tabindex="-1">${t('auth.signIn.title')}</h1>
    <p class="muted">${t('auth.signIn.lead')}</p>
    ${wait > 0 ? html`<div class="alert error" role="alert"><p>${t('auth.signIn.tooMany', { seconds: wait })}</p></div>` : html`<${FormError} error=${f.formError} />`}
    <form onSubmit=${onSubmit} novalidate>
      <${TextField} label=${t('auth.email')} type="email" autocomplete="username" required value=${f.values.email}
        onInput=${(v) => f.set('email', v)} error=${f.errors.email} inputmode="email" />
      <${TextField} label=${t('auth.password')} type="password" autocomplete="current-password" required value=${f.values.password}
        onInput=${(v) => f.set('password', v)} error=${f.errors.password} />
      <button type="submit" disabled=${f.busy}>${f.busy ? t('auth.signIn.busy') : t('auth.signIn.submit')}</button>
    </form>
    <p class="links"><${Link} href="/forgot">${t('auth.forgot.link')}<//> · <${Link} href="/signup">${t('auth.signUp.link')}<//></p>
  </section>`;
}

function SignUp() {
  const f = useForm({ role: 'professional', name: '', email: '', password: '', country: '', organization: '' });
  const [done, setDone] = useState(null);
  const ministry = f.values.role === 'ministry';
  const onSubmit = (e) => {
    e.preventDefault();
    f.submit(async (v) => {
      const body = { role: v.role, name: v.name.trim(), email: v.email.trim(), password: v.password, locale: currentLang() };
      if (v.country) body.country = v.country;
      if (v.organization.trim()) body.organization = v.organization.trim();
      await api('/v1/auth/register', { method: 'POST', body, auth: false, idempotent: true });
      // The shell sends a signed-in person on to ?next; say where.
      const dest = v.role === 'ministry' ? '/pending' : '/profile';
      history.replaceState(null, '', `/signup?next=${encodeURIComponent(dest)}`);
      await signIn(body.email, v.password);
      setDone(v.role);
      toast(t('auth.signUp.welcome'));
      navigate(v.role === 'ministry' ? '/pending' : '/profile', { replace: true });
    });
  };
  const countries = countryCodes.map((c) => ({ value: c, label: countryName(c) })).sort((a, b) => a.label.localeCompare(b.label, currentLang()));
  return html`<section class="narrow card">
    <h1 tabindex="-1">${t('auth.signUp.title')}</h1>
    <p class="muted">${t('auth.signUp.lead')}</p>
    <${FormError} error=${f.formError} />
    <form onSubmit=${onSubmit} novalidate>
      <fieldset class="field">
        <legend>${t('auth.signUp.role')}</legend>
        <div class="radios">
          ${['professional', 'ministry'].map((r) => html`<label class="radio"><input type="radio" name="role" value=${r}
            checked=${f.values.role === r} onChange=${() => f.set('role', r)} /> <span><strong>${t(`auth.signUp.roles.${r}`)}</strong><br />
            <span class="muted small">${t(`auth.signUp.roles.${r}Hint`)}</span></span></label>`)}
        </div>
        ${f.errors.role && html`<p class="field-error">${f.errors.role}</p>`}
      </fieldset>
      <${TextField} label=${t('auth.name')} required autocomplete="name" value=${f.values.name} onInput=${(v) => f.set('name', v)} error=${f.errors.name} />
      <${TextField} label=${t('auth.email')} type="email" required autocomplete="email" inputmode="email" value=${f.values.email}
        onInput=${(v) => f.set('email', v)} error=${f.errors.email} />
      <${TextField} label=${t('auth.password')} type="password" required autocomplete="new-password" value=${f.values.password}
        onInput=${(v) => f.set('password', v)} error=${f.errors.password} hint=${t('auth.passwordHint', { min: 10 })} />
      ${ministry && html`
        <${SelectField} label=${t('auth.signUp.country')} required value=${f.values.country} onChange=${(v) => f.set('country', v)}
          options=${countries} empty=${t('common.choose')} error=${f.errors.country} />
        <${TextField} label=${t('auth.signUp.organization')} required value=${f.values.organization}
          onInput=${(v) => f.set('organization', v)} error=${f.errors.organization} hint=${t('auth.signUp.organizationHint')} />`}
      <button type="submit" disabled=${f.busy || done}>${f.busy ? t('auth.signUp.busy') : t('auth.signUp.submit')}</button>
    </form>
    <p class="links">${t('auth.signUp.haveAccount')} <${Link} href="/signin">${t('auth.signIn.link')}<//></p>
  </section>`;
}

function Forgot() {
  const about = useAsync(() => api('/v1/about', { auth: false }), []);
  const contact = about.data && about.data.support_contact;
  return html`<section class="narrow card">
    <h1 tabindex="-1">${t('auth.forgot.title')}</h1>
    <p>${t('auth.forgot.body')}</p>
    ${about.loading ? html`<${Loading} />` : contact
      ? html`<p>${t('auth.forgot.contact')} <strong class="contact">${contact}</strong></p>`
      : html`<p>${t('auth.forgot.contactAdmin')}</p>`}
    <p class="links"><${Link} href="/signin">${t('auth.signIn.link')}<//></p>
  </section>`;
}

function Pending({ account }) {
  const session = useSession();
  const a = account || session.account;
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState(null);
  const check = async () => {
    setBusy(true);
    setErr(null);
    try {
      await reloadAccount();
      const now = (await api('/v1/me'));
      if (now.status === 'active') navigate('/', { replace: true });
      else toast(t('auth.pending.still'));
    } catch (e) { setErr(e); } finally { setBusy(false); }
  };
  if (a && a.status === 'active') { queueMicrotask(() => navigate('/', { replace: true })); return null; }
  return html`<section class="narrow card">
    <h1 tabindex="-1">${a && a.status === 'suspended' ? t('auth.pending.suspendedTitle') : t('auth.pending.title')}</h1>
    <p>${a && a.status === 'suspended' ? t('auth.pending.suspendedBody') : t('auth.pending.body', { organization: (a && a.organization) || '' })}</p>
    <${ErrorBox} error=${err} />
    ${a && a.status !== 'suspended' && html`<button type="button" disabled=${busy} onClick=${check}>${t('auth.pending.check')}</button>`}
  </section>`;
}

export const routes = [
  { path: '/signin', view: SignIn, title: 'auth.signIn.title' },
  { path: '/signup', view: SignUp, title: 'auth.signUp.title' },
  { path: '/forgot', view: Forgot, title: 'auth.forgot.title', public: true },
  { path: '/pending', view: Pending, title: 'auth.pending.title', roles: ['ministry', 'professional', 'admin'], pending: true },
];
