// Who is signed in. The account comes from GET /v1/me; signing in asks
// for the refresh token as a cookie, so no script can read it.
import { api, request, refresh, setAccess, onSignedOut, ApiError } from './api.js';
import { setLang, currentLang, LANGS } from './i18n.js';
import { useEffect, useState } from './html.js';

const state = { account: null, etag: null, ready: false };
const listeners = new Set();

function emit() { listeners.forEach((fn) => fn({ ...state })); }

export function getSession() { return { ...state }; }

export function useSession() {
  const [s, set] = useState(getSession());
  // Subscribe, then catch up: the state may have changed before the effect ran.
  useEffect(() => { listeners.add(set); set(getSession()); return () => listeners.delete(set); }, []);
  return s;
}

async function loadMe() {
  const { data, etag } = await request('/v1/me');
  state.account = data;
  state.etag = etag;
  if (LANGS.includes(data.locale) && data.locale !== currentLang() && !localStorage.getItem('sankofa.lang')) {
    await setLang(data.locale);
  }
}

// restore signs back in from the refresh cookie, if there is one.
export async function restore() {
  try {
    if (await refresh()) await loadMe();
  } catch { state.account = null; }
  state.ready = true;
  emit();
}

export async function signIn(email, password) {
  const data = await api('/v1/auth/login', {
    method: 'POST', auth: false, body: { email, password, refresh_cookie: true },
  });
  setAccess(data.access_token);
  await loadMe();
  if (LANGS.includes(state.account.locale) && state.account.locale !== currentLang()) {
    await setLang(state.account.locale);
  }
  emit();
  return state.account;
}

export async function signOut() {
  try {
    await api('/v1/auth/logout', { method: 'POST', auth: false, body: {} });
  } catch { /* the session ends here whatever the server says */ }
  setAccess(null);
  state.account = null;
  state.etag = null;
  emit();
}

// reloadAccount refreshes the account after a change (approval, locale).
export async function reloadAccount() { await loadMe(); emit(); }

// saveLocale stores the language on the account: it is also the language
// of the account's notifications and e-mails.
export async function saveLocale(locale) {
  if (!state.account) return;
  try {
    const { data, etag } = await request('/v1/me', { method: 'PATCH', body: { locale }, ifMatch: state.etag });
    state.account = data;
    state.etag = etag;
  } catch (err) {
    if (err instanceof ApiError && err.status === 412) { await loadMe(); return saveLocale(locale); }
    throw err;
  }
  emit();
}

onSignedOut(() => {
  if (!state.account) return;
  setAccess(null);
  state.account = null;
  emit();
});
