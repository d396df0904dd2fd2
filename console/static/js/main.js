// The console's shell: it restores the session, loads the catalogue, and
// renders the page for the current path with the navigation of the
// signed-in role. Every page is a client of the public /v1 API.
import { html, render, useEffect, useState, useRef } from './html.js';
import { t, setLang, pickLang, currentLang, onLang, LANGS } from './i18n.js';
import { useLocation, navigate, match, Link } from './router.js';
import { useSession, restore, signOut, saveLocale } from './session.js';
import { startStream, stopStream, useInbox } from './stream.js';
import { Toasts, toast, Loading, ErrorBox } from './ui.js';
import { routes as authRoutes } from './pages/auth.js';
import { routes as inboxRoutes } from './pages/inbox.js';
import { routes as safeguardRoutes } from './pages/safeguards.js';

// Observatory is the public /observatory. Its charts are fetched when it
// is opened (js/pages/observatory/ is not preloaded), so that they weigh
// nothing on the sign-in page.
function Observatory(props) {
  const [mod, setMod] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => { import('./pages/observatory/index.js').then(setMod, setError); }, []);
  if (error) return html`<${ErrorBox} error=${error} onRetry=${() => location.reload()} />`;
  return mod ? html`<${mod.Observatory} ...${props} />` : html`<${Loading} />`;
}

// lazyView is a view whose module is fetched when it is first shown
// (js/pages/reports/: the public reports and a mission's evaluation and
// report), so that it weighs nothing on the sign-in page.
function lazyView(load, name) {
  return function Lazy(props) {
    const [mod, setMod] = useState(null);
    const [error, setError] = useState(null);
    useEffect(() => { load().then(setMod, setError); }, []);
    if (error) return html`<${ErrorBox} error=${error} onRetry=${() => location.reload()} />`;
    return mod ? html`<${mod[name]} ...${props} />` : html`<${Loading} />`;
  };
}
const reportsPages = () => import('./pages/reports/index.js');
const missionPages = () => import('./pages/reports/mission.js');

// A route: {path, view, title (catalogue key), roles (absent: signed out
// only), nav (catalogue key of its menu entry, if any), public (both)}.
// The role pages join the list when loadAreas has fetched them.
const routes = [...authRoutes, ...inboxRoutes, ...safeguardRoutes,
  { path: '/observatory', view: Observatory, title: 'observatory.title', public: true, pending: true },
  { path: '/reports', view: lazyView(reportsPages, 'Reports'), title: 'reports.public.title', public: true, pending: true },
  { path: '/reports/:id', view: lazyView(reportsPages, 'ReportPage'), title: 'reports.public.one', public: true, pending: true },
  { path: '/missions/:id', view: lazyView(missionPages, 'MissionPage'), title: 'reports.mission.title', roles: ['professional', 'ministry'] }];
let areasLoaded = false;
let areasPromise = null;

// loadAreas fetches the role pages. It first asks for all their modules
// at once (the server lists them in a meta tag), so that on a slow link
// their imports are not fetched one round trip after another.
function loadAreas() {
  if (!areasPromise) {
    const base = new URL('../', import.meta.url);
    const meta = document.querySelector('meta[name="sankofa-lazy-modules"]');
    for (const p of ((meta && meta.content) || '').split(' ').filter(Boolean)) {
      const link = document.createElement('link');
      link.rel = 'modulepreload';
      link.href = new URL(p, base).href;
      document.head.append(link);
    }
    areasPromise = Promise.all([
      import('./pages/ministry/index.js'), import('./pages/worker/index.js'), import('./pages/admin/index.js'),
    ]).then((mods) => {
      for (const m of mods) routes.push(...m.routes);
      areasLoaded = true;
    });
  }
  return areasPromise;
}

const signedOutPaths = ['/signin', '/signup', '/forgot'];

const homes = { ministry: '/dashboard', professional: '/matches', admin: '/admin' };

function find(path) {
  for (const r of routes) {
    const params = match(r.path, path);
    if (params) return { route: r, params };
  }
  return null;
}

function LanguagePicker() {
  const [busy, setBusy] = useState(false);
  const change = async (e) => {
    setBusy(true);
    try {
      await setLang(e.target.value);
      await saveLocale(e.target.value).catch(() => toast(t('common.error.localeNotSaved'), 'bad'));
    } finally { setBusy(false); }
  };
  return html`<div class="lang-picker">
    <label for="lang-select" class="sr-only">${t('common.language')}</label>
    <select id="lang-select" disabled=${busy} onChange=${change}>
      ${LANGS.map((l) => html`<option value=${l} selected=${l === currentLang()}>${t(`common.langName.${l}`)}</option>`)}
    </select>
  </div>`;
}

function Nav({ account }) {
  const inbox = useInbox();
  const [open, setOpen] = useState(false);
  const { path } = useLocation();
  useEffect(() => setOpen(false), [path]);
  const items = account ? routes.filter((r) => r.nav && r.roles && r.roles.includes(account.role) && (account.status === 'active' || r.pending)) : [];
  // The role's own pages first; pages every role has (settings) last.
  items.sort((a, b) => (a.roles.length === 3) - (b.roles.length === 3));
  return html`<header class="topbar">
    <div class="topbar-inner">
      <${Link} href="/" class="brand"><img src=${new URL('../icon.svg', import.meta.url).href} alt="" width="28" height="28" /><span>Sankofa</span><//>
      ${account && html`<button type="button" class="menu-toggle secondary" aria-expanded=${open ? 'true' : 'false'} aria-controls="main-nav"
        onClick=${() => setOpen(!open)}>${t('nav.menu')}</button>`}
      <nav id="main-nav" class=${open ? 'open' : ''} aria-label=${t('nav.main')}>
        <ul>
          ${items.map((r) => html`<li><${Link} href=${r.navHref || r.path}>${t(r.nav)}<//></li>`)}
          ${account && html`<li><${Link} href="/observatory">${t('nav.observatory')}<//></li>`}
          ${account && html`<li><${Link} href="/reports">${t('nav.reports')}<//></li>`}
          ${account && html`<li><${Link} href="/inbox">${t('nav.inbox')}${inbox.unread > 0 && html` <span class="badge count" aria-label=${t('inbox.unreadCount', { count: inbox.unread })}>${inbox.unread}</span>`}<//></li>`}
        </ul>
      </nav>
      <div class="topbar-end">
        <${LanguagePicker} />
        ${account && html`<span class="who muted small">${account.name}</span>
          <button type="button" class="secondary" onClick=${async () => { stopStream(); await signOut(); navigate('/signin'); }}>${t('nav.signOut')}</button>`}
      </div>
    </div>
  </header>`;
}

function NotFound() {
  return html`<section class="narrow"><h1 tabindex="-1">${t('common.notFound.title')}</h1><p>${t('common.notFound.body')}</p>
    <p><${Link} href="/">${t('common.notFound.home')}<//></p></section>`;
}

function App() {
  const session = useSession();
  const { path, query } = useLocation();
  const [, setTick] = useState(0);
  const [areas, setAreas] = useState(areasLoaded);
  const mainRef = useRef(null);
  const account = session.account;
  useEffect(() => onLang(() => setTick((n) => n + 1)), []);
  useEffect(() => {
    if (account && account.status === 'active') startStream();
    else stopStream();
  }, [account && account.id, account && account.status]);
  useEffect(() => {
    if (areas) return undefined;
    // Signed in: the pages are needed now. Signed out: fetch them once the
    // sign-in page is up, while the person types.
    const id = setTimeout(() => loadAreas().then(() => setAreas(true)), account ? 0 : 2000);
    return () => clearTimeout(id);
  }, [areas, account && account.id]);

  const found = find(path);
  let view;
  let title = 'common.appName';
  if (!session.ready) {
    view = html`<${Loading} />`;
  } else if (!account && found && !found.route.roles) {
    view = html`<${found.route.view} ...${found.params} />`;
    title = found.route.title;
  } else if (!account) {
    const next = path === '/' ? '' : `?next=${encodeURIComponent(path + location.search)}`;
    queueMicrotask(() => navigate(`/signin${next}`, { replace: true }));
  } else if (path === '/' || (found && !found.route.roles && !found.route.public)) {
    const next = query.get('next') || '';
    const home = account.status === 'active' ? homes[account.role] : '/pending';
    const to = next.startsWith('/') && !next.startsWith('//') && account.status === 'active' ? next : home;
    queueMicrotask(() => navigate(to, { replace: true }));
  } else if (!found && !areas) {
    view = html`<${Loading} />`;
  } else if (!found) {
    view = html`<${NotFound} />`;
  } else if (found.route.roles && !found.route.roles.includes(account.role)) {
    view = html`<${NotFound} />`;
  } else if (account.status !== 'active' && !found.route.pending) {
    queueMicrotask(() => navigate('/pending', { replace: true }));
  } else {
    view = html`<${found.route.view} ...${found.params} account=${account} />`;
    title = found.route.title;
  }
  useEffect(() => {
    document.title = title === 'common.appName' ? t('common.appName') : `${t(title)} · ${t('common.appName')}`;
  }, [title, currentLang()]);
  // After a navigation, focus the page's heading, so that keyboard and
  // screen-reader users start at the new content.
  const shownPath = useRef(null);
  useEffect(() => {
    const h1 = mainRef.current && mainRef.current.querySelector('h1');
    if (!h1 || shownPath.current === path) return;
    if (shownPath.current !== null) h1.focus({ preventScroll: true });
    shownPath.current = path;
  });
  return html`
    <a class="skip" href="#main">${t('nav.skip')}</a>
    <${Nav} account=${account} />
    <main id="main" ref=${mainRef} tabindex="-1">${view}</main>
    <${Toasts} />
    <footer class="footer muted small"><p>${t('common.footer')}</p>
      <p><${Link} href="/safeguards">${t('safeguards.footer')}<//>${' · '}<${Link} href="/observatory">${t('observatory.footer')}<//>${' · '}<${Link} href="/reports">${t('reports.footer')}<//></p></footer>`;
}

// A page kept in the back-forward cache must not hold a notification
// stream open: browsers allow few connections per host.
window.addEventListener('pagehide', () => stopStream());
window.addEventListener('pageshow', (e) => { if (e.persisted) location.reload(); });

async function boot() {
  if (!signedOutPaths.includes(location.pathname)) loadAreas();
  await setLang(pickLang(), { remember: false });
  const root = document.getElementById('app');
  root.textContent = '';
  render(html`<${App} />`, root);
  await restore();
}

boot();
