// Live notifications: the SSE stream read with fetch, because EventSource
// cannot send the Authorization header and the token must not go in a
// URL. The unread count is fetched once and then kept by the stream.
import { api, accessToken, refresh } from './api.js';
import { useEffect, useState } from './html.js';

const state = { unread: 0, latest: [] };
const listeners = new Set();
let controller = null;
let lastId = '';

function emit(n) { listeners.forEach((fn) => fn(state, n)); }

// useInbox re-renders on every new notification and unread change.
export function useInbox() {
  const [s, set] = useState({ ...state });
  useEffect(() => {
    const fn = () => set({ ...state });
    listeners.add(fn);
    fn();
    return () => listeners.delete(fn);
  }, []);
  return s;
}

// onNotification calls fn for each notification that arrives live.
export function onNotification(fn) {
  const l = (_, n) => { if (n) fn(n); };
  listeners.add(l);
  return () => listeners.delete(l);
}

export async function refreshUnread() {
  try {
    const r = await api('/v1/notifications/unread-count');
    state.unread = r.unread ?? 0;
    emit();
  } catch { /* the badge keeps its last value */ }
}

export function setUnread(n) { state.unread = Math.max(0, n); emit(); }

function parseEvents(buffer, onEvent) {
  let idx;
  while ((idx = buffer.indexOf('\n\n')) >= 0) {
    const block = buffer.slice(0, idx);
    buffer = buffer.slice(idx + 2);
    const ev = { event: 'message', data: '', id: null };
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const i = line.indexOf(':');
      const field = i < 0 ? line : line.slice(0, i);
      const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
      if (field === 'event') ev.event = value;
      else if (field === 'data') ev.data += (ev.data ? '\n' : '') + value;
      else if (field === 'id') ev.id = value;
    }
    onEvent(ev);
  }
  return buffer;
}

async function connect(signal) {
  const headers = { Accept: 'text/event-stream', Authorization: `Bearer ${accessToken()}` };
  if (lastId) headers['Last-Event-ID'] = lastId;
  const res = await fetch('/v1/notifications/stream', { headers, signal });
  if (res.status === 401) { await refresh(); return 'auth'; }
  if (!res.ok || !res.body) return 'error';
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let reason = 'closed';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer = parseEvents(buffer + value, (ev) => {
      if (ev.event === 'end') {
        try { reason = JSON.parse(ev.data).reason || 'end'; } catch { reason = 'end'; }
        return;
      }
      if (!ev.id) return;
      lastId = ev.id;
      let n;
      try { n = JSON.parse(ev.data); } catch { return; }
      state.latest = [n, ...state.latest].slice(0, 20);
      if (!n.read) state.unread += 1;
      emit(n);
    });
  }
  return reason;
}

// startStream keeps one stream open while signed in, refreshing the token
// when the server ends the stream at its expiry, and backing off when the
// network is down.
export function startStream() {
  stopStream();
  controller = new AbortController();
  const { signal } = controller;
  lastId = '';
  refreshUnread();
  (async () => {
    let delay = 1000;
    while (!signal.aborted) {
      let reason;
      try { reason = await connect(signal); } catch { reason = 'error'; }
      if (signal.aborted) return;
      if (reason === 'expired' || reason === 'token_expired' || reason === 'auth') {
        if (!(await refresh())) return;
        delay = 1000;
        continue;
      }
      if (reason === 'account_suspended' || reason === 'account_inactive') return;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 30000);
      refreshUnread();
    }
  })();
}

export function stopStream() {
  if (controller) controller.abort();
  controller = null;
  state.unread = 0;
  state.latest = [];
}
