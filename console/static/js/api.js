// The console's only way into Sankofa: the public /v1 API. The access
// token lives in this module's memory and nowhere else; the refresh token
// is an HttpOnly cookie the browser sends to /v1/auth only.
import { t } from './i18n.js';

let access = null;
let refreshing = null;
const signedOutListeners = new Set();

// ApiError carries a problem+json answer: status, code, detail and the
// per-field messages keyed by field path (e.g. "skills[2]").
export class ApiError extends Error {
  constructor(status, problem = {}) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code || (status === 0 ? 'network' : 'error');
    this.title = problem.title || '';
    this.detail = problem.detail || '';
    this.requestId = problem.request_id || '';
    this.problem = problem; // with its extensions (list_url...)
    this.retryAfter = 0;
    this.fields = {};
    for (const e of problem.errors || []) {
      if (!(e.field in this.fields)) this.fields[e.field] = e.message;
    }
  }

  // message for people: the server's detail, or a sentence in the
  // user's language when the network failed.
  get human() {
    if (this.status === 0) return t('common.error.network');
    if (this.status >= 500) return t('common.error.server');
    return this.detail || this.title || t('common.error.generic');
  }
}

export function setAccess(token) { access = token; }
export function hasAccess() { return access !== null; }
export function accessToken() { return access; }
export function onSignedOut(fn) { signedOutListeners.add(fn); return () => signedOutListeners.delete(fn); }

async function parse(res) {
  const type = res.headers.get('Content-Type') || '';
  if (res.status === 204) return null;
  if (type.includes('json')) return res.json();
  if (type.startsWith('text/')) return res.text();
  return res.blob();
}

// refresh exchanges the refresh cookie for a new access token; concurrent
// callers share one request, so a rotated token is never presented twice.
export function refresh() {
  if (!refreshing) {
    refreshing = (async () => {
      try {
        const res = await fetch('/v1/auth/refresh', {
          method: 'POST', credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: '{}',
        });
        if (!res.ok) { access = null; return false; }
        access = (await res.json()).access_token;
        return true;
      } catch {
        return false;
      } finally {
        setTimeout(() => { refreshing = null; }, 0);
      }
    })();
  }
  return refreshing;
}

function newKey() {
  return (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`).replace(/-/g, '');
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// request calls the API and returns {status, data, etag, headers}. GETs and
// requests with an Idempotency-Key are retried twice when the network
// drops, which on a poor mobile link is common; nothing else is, because
// repeating it could do it twice.
export async function request(path, opts = {}) {
  const { method = 'GET', body, ifMatch, accept = 'application/json', signal, idempotent = false, auth = true, blob = false } = opts;
  const headers = { Accept: accept, ...(opts.headers || {}) };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (ifMatch) headers['If-Match'] = ifMatch;
  if (idempotent) headers['Idempotency-Key'] = newKey();
  const retriable = method === 'GET' || idempotent;
  let refreshed = false;
  for (let attempt = 0; ; attempt++) {
    if (auth && access) headers.Authorization = `Bearer ${access}`;
    let res;
    try {
      res = await fetch(path, {
        method, headers, signal, credentials: 'same-origin',
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      if (signal && signal.aborted) throw err;
      if (retriable && attempt < 2) { await sleep(800 * (attempt + 1)); continue; }
      throw new ApiError(0, {});
    }
    if (res.status === 401 && auth && !refreshed) {
      refreshed = true;
      if (await refresh()) continue;
      signedOutListeners.forEach((fn) => fn());
    }
    // blob: a successful answer is kept as the bytes it came as (a file to save).
    const data = await (blob && res.ok ? res.blob() : parse(res)).catch(() => null);
    if (!res.ok) {
      const err = new ApiError(res.status, data && typeof data === 'object' && !(data instanceof Blob) ? data : {});
      err.retryAfter = Number(res.headers.get('Retry-After') || 0);
      throw err;
    }
    return { status: res.status, data, etag: res.headers.get('ETag'), headers: res.headers };
  }
}

// api returns only the body of request.
export async function api(path, opts) { return (await request(path, opts)).data; }

// query builds "?a=1&b=2" from an object, leaving out empty values and
// repeating arrays.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => q.append(k, x));
    else q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

// download fetches a file with the access token (a plain link could not
// carry it) and hands it to the browser as a download, under the name the
// server gives it, or else filename.
export async function download(path, filename, accept = 'text/csv') {
  const { data, headers } = await request(path, { accept, blob: true });
  const blob = data instanceof Blob ? data : new Blob([data], { type: accept });
  const named = /filename="([^"]+)"/.exec(headers.get('Content-Disposition') || '');
  if (named) filename = named[1];
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
