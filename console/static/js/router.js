// A small history router: real paths (/assignments/asg_1), which the
// server answers with the console for any path outside /v1 and /assets.
import { html, useEffect, useState } from './html.js';

const listeners = new Set();

function emit() { listeners.forEach((fn) => fn()); }
window.addEventListener('popstate', emit);

export function navigate(to, { replace = false } = {}) {
  if (to === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.scrollTo(0, 0);
  emit();
}

// useLocation re-renders its component whenever the path changes.
export function useLocation() {
  const [, set] = useState(location.pathname + location.search);
  useEffect(() => {
    const fn = () => set(location.pathname + location.search);
    listeners.add(fn);
    fn(); // catch up with a navigation that happened before this effect ran
    return () => listeners.delete(fn);
  }, []);
  return { path: location.pathname, query: new URLSearchParams(location.search) };
}

// match returns the params of path against a pattern like
// "/assignments/:id", or null.
export function match(pattern, path) {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return params;
}

// setQuery replaces the query string without a new history entry, so
// filters survive a reload and the back button skips keystrokes.
export function setQuery(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length)) continue;
    if (Array.isArray(v)) v.forEach((x) => q.append(k, x));
    else q.set(k, v);
  }
  const s = q.toString();
  history.replaceState(null, '', location.pathname + (s ? `?${s}` : ''));
}

// Link is an <a> that navigates without reloading; modified clicks keep
// their usual meaning (new tab...).
export function Link({ href, children, class: cls, ...rest }) {
  const onClick = (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  const current = location.pathname === href ? 'page' : undefined;
  return html`<a href=${href} class=${cls} aria-current=${current} onClick=${onClick} ...${rest}>${children}</a>`;
}
