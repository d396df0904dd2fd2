// The ministry's assignment page: the post (status, positions, dates,
// mode) with its life-cycle actions, then tabs for the ranked matches, the
// shortlist, a side-by-side comparison, the offers sent and the workers
// who expressed interest. It reloads the post and the offers when a
// notification about this assignment arrives, so "filled" and the
// worker's contact details appear without a reload.
import { html, useState, useEffect, useRef, useCallback } from '../../html.js';
import { api, request, query, ApiError } from '../../api.js';
import { t, fmtDate, fmtNumber } from '../../i18n.js';
import { Link, setQuery } from '../../router.js';
import { onNotification } from '../../stream.js';
import { PageHeader, Tabs, Loading, ErrorBox, StatusBadge, ConfirmButton, toast } from '../../ui.js';
import { useProfession } from './assignment-people.js';
import { MatchesTab } from './assignment-matches.js';
import { ShortlistTab, CompareTab } from './assignment-shortlist.js';
import { OffersTab, InterestTab } from './assignment-offers.js';

const TABS = ['matches', 'shortlist', 'compare', 'offers', 'interest'];

// useCollection keeps one list the page shows in a tab and counts in the
// tab's label: {items, next, loading, error, reload, more, setItems}.
function useCollection(fetchPage, deps) {
  const [s, set] = useState({ items: null, next: null, loading: true, error: null });
  const seq = useRef(0);
  const load = useCallback(async (cursor) => {
    const mine = ++seq.current;
    set((p) => ({ ...p, loading: true, error: null }));
    try {
      const r = await fetchPage(cursor);
      if (mine !== seq.current) return;
      set((p) => ({ items: cursor ? [...(p.items || []), ...(r.items || [])] : (r.items || []), next: r.next_cursor || null, loading: false, error: null }));
    } catch (error) {
      if (mine !== seq.current) return;
      set((p) => ({ ...p, loading: false, error }));
    }
  }, deps);
  useEffect(() => { load(); }, [load]);
  return {
    ...s,
    reload: () => load(),
    more: () => load(s.next),
    setItems: (fn) => set((p) => ({ ...p, items: fn(p.items || []) })),
  };
}

function Facts({ asg, profession }) {
  const loc = asg.location || {};
  const place = [loc.facility, loc.region].filter(Boolean).join(', ');
  const filled = asg.filled || 0;
  return html`<dl class="asg-facts">
    <div><dt>${t('assignment.header.status')}</dt><dd><${StatusBadge} group="assignment" value=${asg.status} /></dd></div>
    <div><dt>${t('assignment.header.positions')}</dt>
      <dd><span>${t('assignment.header.filledOf', { filled: fmtNumber(filled), total: fmtNumber(asg.positions) })}</span>
        <progress max=${asg.positions} value=${filled} aria-label=${t('assignment.header.positions')}>${fmtNumber(filled)}</progress></dd></div>
    <div><dt>${t('assignment.header.dates')}</dt><dd>${t('assignment.header.dateRange', { start: fmtDate(asg.start), end: fmtDate(asg.end) })}</dd></div>
    <div><dt>${t('assignment.header.mode')}</dt><dd>${t(`enum.mode.${asg.mode}`)}${asg.mode !== 'onsite' && asg.virtual_hours_per_week
      ? ` · ${t('assignment.header.hours', { hours: fmtNumber(asg.virtual_hours_per_week) })}` : ''}</dd></div>
    <div><dt>${t('assignment.header.profession')}</dt><dd>${profession(asg.profession)}</dd></div>
    ${place && html`<div><dt>${t('assignment.header.place')}</dt><dd>${place}</dd></div>`}
  </dl>`;
}

function AssignmentPage({ id, account }) {
  const profession = useProfession();
  const [asg, setAsg] = useState({ data: null, etag: null, error: null, loading: true });
  const [busy, setBusy] = useState(false);
  const [tab, setTabState] = useState(() => {
    const q = new URLSearchParams(location.search).get('tab');
    return TABS.includes(q) ? q : 'matches';
  });
  const [selected, setSelected] = useState([]);
  const [known, setKnown] = useState(() => new Map());
  const base = `/v1/assignments/${encodeURIComponent(id)}`;

  const loadAsg = useCallback(async () => {
    try {
      const r = await request(base);
      setAsg({ data: r.data, etag: r.etag, error: null, loading: false });
    } catch (error) {
      setAsg((p) => ({ ...p, error, loading: false }));
    }
  }, [base]);
  useEffect(() => { setAsg({ data: null, etag: null, error: null, loading: true }); loadAsg(); }, [loadAsg]);

  const shortlist = useCollection(() => api(`${base}/shortlist`), [base]);
  const offers = useCollection((cursor) => api(`/v1/offers${query({ assignment_id: id, cursor, limit: 50 })}`), [id]);
  const interest = useCollection(() => api(`${base}/interest`), [base]);

  const setTab = (next) => {
    setTabState(next);
    setQuery({ tab: next === 'matches' ? '' : next });
  };

  // Live: a notification about this assignment (an offer answered, a
  // position filled, interest) refreshes what it changes.
  useEffect(() => onNotification((n) => {
    const d = n.data || {};
    if (d.assignment_id !== id) return;
    loadAsg();
    offers.reload();
    if (n.kind === 'assignment.interest') interest.reload();
  }), [id, loadAsg, offers.reload, interest.reload]);

  // What the page knows of each person, from the match list, the interest
  // list or a profile fetched for the offers: {profile, score, explanation}.
  const remember = useCallback((profile, m) => {
    if (!profile || !profile.id) return;
    setKnown((prev) => {
      const old = prev.get(profile.id);
      if (old && old.profile === profile && (!m || old.score === m.score)) return prev;
      const next = new Map(prev);
      next.set(profile.id, { profile, score: m ? m.score : old && old.score, explanation: m ? m.explanation : old && old.explanation });
      return next;
    });
  }, []);
  useEffect(() => { (interest.items || []).forEach((it) => remember(it.profile, it)); }, [interest.items]);
  useEffect(() => {
    (shortlist.items || []).forEach((e) => { if (e.profile) remember(e.profile, e.match || undefined); });
    const ids = new Set((shortlist.items || []).map((e) => e.profile_id));
    setSelected((sel) => (sel.every((x) => ids.has(x)) ? sel : sel.filter((x) => ids.has(x))));
  }, [shortlist.items]);

  // Offers name the person by profile id only; fetch the names not known.
  const asked = useRef(new Set());
  useEffect(() => {
    for (const o of offers.items || []) {
      const pid = o.profile_id;
      if (known.has(pid) || asked.current.has(pid)) continue;
      asked.current.add(pid);
      api(`/v1/profiles/${encodeURIComponent(pid)}`).then((p) => remember(p), () => {});
    }
  }, [offers.items, known]);

  if (asg.loading && !asg.data) return html`<${Loading} />`;
  if (!asg.data) {
    const notFound = asg.error instanceof ApiError && (asg.error.status === 404 || asg.error.status === 403);
    return html`<section><${PageHeader} title=${t('assignment.page.title')} />
      ${notFound ? html`<p class="empty">${t('assignment.page.notFound')}</p>` : html`<${ErrorBox} error=${asg.error} onRetry=${loadAsg} />`}
      <p><${Link} href="/dashboard">${t('assignment.page.back')}<//></p></section>`;
  }
  const a = asg.data;

  const transition = async (action, done) => {
    setBusy(true);
    try {
      const r = await request(`${base}/${action}`, { method: 'POST', ifMatch: asg.etag || undefined });
      setAsg({ data: r.data, etag: r.etag, error: null, loading: false });
      toast(t(done));
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) { toast(t('assignment.header.changed'), 'bad'); loadAsg(); } else toast(e.human || t('common.error.generic'), 'bad');
    } finally { setBusy(false); }
  };

  const shortlistPath = (pid) => `${base}/shortlist/${encodeURIComponent(pid)}`;
  // Admins read the page; only the posting ministry acts on it.
  const mine = account.role === 'ministry';
  const ctx = {
    asg: a,
    account,
    readOnly: !mine,
    profession,
    offers: offers.items,
    shortlist,
    selected,
    setSelected,
    remember,
    known: (pid) => known.get(pid),
    nameOf: (pid) => { const k = known.get(pid); return k && k.profile && k.profile.full_name; },
    isShortlisted: (pid) => (shortlist.items || []).some((e) => e.profile_id === pid),
    addToShortlist: async (profile) => {
      try {
        await api(shortlistPath(profile.id), { method: 'PUT', body: { note: '' } });
        remember(profile);
        const k = known.get(profile.id);
        shortlist.setItems((items) => (items.some((x) => x.profile_id === profile.id) ? items
          : [...items, { profile_id: profile.id, note: '', gone: false, profile, match: k && typeof k.score === 'number' ? { score: k.score, explanation: k.explanation } : null }]));
        shortlist.reload();
        toast(t('assignment.shortlist.added', { name: profile.full_name }));
      } catch (err) { toast(err.human || t('common.error.generic'), 'bad'); }
    },
    removeFromShortlist: async (pid) => {
      await api(shortlistPath(pid), { method: 'DELETE' });
      shortlist.setItems((items) => items.filter((x) => x.profile_id !== pid));
      setSelected((sel) => sel.filter((x) => x !== pid));
    },
    saveNote: async (pid, note) => {
      await api(shortlistPath(pid), { method: 'PUT', body: { note } });
      shortlist.setItems((items) => items.map((x) => (x.profile_id === pid ? { ...x, note } : x)));
    },
    offerSent: () => { offers.reload(); loadAsg(); },
    reloadOffers: () => { offers.reload(); loadAsg(); },
  };

  const count = (c) => (c.items ? c.items.length : undefined);
  const tabs = [
    { id: 'matches', label: t('assignment.tabs.matches') },
    { id: 'shortlist', label: t('assignment.tabs.shortlist'), count: count(shortlist) },
    { id: 'compare', label: t('assignment.tabs.compare'), count: selected.length || undefined },
    { id: 'offers', label: t('assignment.tabs.offers'), count: count(offers) },
    { id: 'interest', label: t('assignment.tabs.interest'), count: count(interest) },
  ];
  const editable = a.status === 'draft' || a.status === 'open';
  return html`<section class="asg-page">
    <${PageHeader} title=${a.title} subtitle=${a.organization}>
      ${mine && editable && html`<${Link} href=${`/assignments/${encodeURIComponent(a.id)}/edit`} class="button secondary">${t('common.edit')}<//>`}
      ${mine && a.status === 'draft' && html`<button type="button" disabled=${busy} onClick=${() => transition('publish', 'assignment.header.published')}>${t('assignment.header.publish')}</button>`}
      ${mine && a.status === 'open' && html`<${ConfirmButton} class="secondary" disabled=${busy} label=${t('assignment.header.close')}
        confirmLabel=${t('assignment.header.closeConfirm')} onConfirm=${() => transition('close', 'assignment.header.closed')} />`}
      ${mine && editable && html`<${ConfirmButton} disabled=${busy} label=${t('assignment.header.cancel')}
        confirmLabel=${t('assignment.header.cancelConfirm')} onConfirm=${() => transition('cancel', 'assignment.header.cancelled')} />`}
    <//>
    <${Facts} asg=${a} profession=${profession} />
    ${a.status === 'filled' && html`<div class="alert ok" role="status"><p>${t('assignment.header.filledNotice')}</p></div>`}
    ${a.status === 'draft' && html`<div class="alert info"><p>${t('assignment.header.draftNotice')}</p></div>`}
    <${Tabs} label=${t('assignment.tabs.label')} tabs=${tabs} current=${tab} onChange=${setTab} />
    <div role="tabpanel" aria-labelledby=${`tab-${tab}`} class="asg-panel">
      ${tab === 'matches' && html`<${MatchesTab} ctx=${ctx} />`}
      ${tab === 'shortlist' && html`<${ShortlistTab} ctx=${ctx} onCompare=${() => setTab('compare')} />`}
      ${tab === 'compare' && html`<${CompareTab} ctx=${ctx} onBack=${() => setTab('shortlist')} />`}
      ${tab === 'offers' && html`<${OffersTab} ctx=${{ ...ctx, offers }} />`}
      ${tab === 'interest' && html`<${InterestTab} ctx=${{ ...ctx, interest }} />`}
    </div>
  </section>`;
}

export const routes = [
  { path: '/assignments/:id', view: AssignmentPage, title: 'assignment.page.title', roles: ['ministry', 'admin'] },
];
