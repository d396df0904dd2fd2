// The Shortlist and Compare tabs: the people the ministry set aside for
// this assignment, each with a note, and two or three of them side by side.
import { html, useState, useEffect } from '../../html.js';
import { api, download } from '../../api.js';
import { t, fmtNumber, fmtDateTime } from '../../i18n.js';
import { Loading, ErrorBox, Empty, Checkbox, TextArea, toast } from '../../ui.js';
import { Score, Skills, Languages, PersonLine, PersonActions, availabilityText, licenceText } from './assignment-people.js';
import { SafeguardNote } from '../safeguards.js';

export const MAX_COMPARE = 3;

// isGone tells a shortlisted person who can no longer be reached (profile
// deleted or no longer shared with the assignment's country).
export function isGone(e) {
  return e.gone === true || (e.profile === null && e.gone !== false);
}

// entryView reads a shortlist entry: the profile as the ministry sees it
// and its current match (null when the person no longer meets the hard
// requirements), completed with what the page already knows.
export function entryView(ctx, e) {
  const known = ctx.known(e.profile_id) || {};
  const profile = e.profile || known.profile || null;
  const m = e.match || null;
  const score = m ? m.score : undefined;
  const ex = m ? m.explanation : null;
  const name = (profile && profile.full_name) || t('assignment.shortlist.unknownName');
  return { profile, score, ex, name, gone: isGone(e), unmatched: !isGone(e) && e.match === null };
}

function NoteEditor({ ctx, entry, name }) {
  const [note, setNote] = useState(entry.note || '');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => setNote(entry.note || ''), [entry.note]);
  const changed = note !== (entry.note || '');
  const save = async () => {
    setBusy(true);
    setError('');
    try {
      await ctx.saveNote(entry.profile_id, note);
      toast(t('assignment.shortlist.noteSaved', { name }));
    } catch (e) {
      setError((e.fields && (e.fields.note || Object.values(e.fields)[0])) || e.human || t('common.error.generic'));
    } finally { setBusy(false); }
  };
  return html`<div class="asg-note">
    <${TextArea} label=${t('assignment.shortlist.noteOf', { name })} value=${note} rows="2" maxlength="1000"
      onInput=${setNote} error=${error} />
    <button type="button" class="secondary small" disabled=${busy || !changed} onClick=${save}>${t('assignment.shortlist.saveNote')}</button>
  </div>`;
}

function ShortlistEntry({ ctx, entry, selected, onSelect }) {
  const v = entryView(ctx, entry);
  const [busy, setBusy] = useState(false);
  const remove = async () => {
    setBusy(true);
    try {
      await ctx.removeFromShortlist(entry.profile_id);
      toast(t('assignment.shortlist.removed', { name: v.name }));
    } catch (e) { toast(e.human || t('common.error.generic'), 'bad'); setBusy(false); }
  };
  return html`<li class=${v.gone ? 'asg-person gone' : 'asg-person'}>
    <div class="asg-person-head">
      <div>
        <h3>${v.name}</h3>
        ${v.gone ? html`<p><span class="badge bad">${t('assignment.shortlist.gone')}</span></p>` : html`<${PersonLine} profile=${v.profile} profession=${ctx.profession} />`}
        ${entry.added_at && html`<p class="muted small">${t('assignment.shortlist.addedAt', { date: fmtDateTime(entry.added_at) })}</p>`}
      </div>
      ${!v.gone && typeof v.score === 'number' && html`<${Score} score=${v.score} label=${t('assignment.match.scoreOf', { name: v.name })} />`}
    </div>
    ${v.unmatched && html`<p class="asg-warn small">${t('assignment.shortlist.unmatched')}</p>`}
    ${!v.gone && v.ex && html`<${Skills} ex=${v.ex} />`}
    ${!v.gone && v.ex && html`<${SafeguardNote} sg=${v.ex.safeguard} />`}
    ${ctx.readOnly
      ? entry.note && html`<p class="asg-message"><strong>${t('assignment.shortlist.note')}</strong> ${entry.note}</p>`
      : html`<${NoteEditor} ctx=${ctx} entry=${entry} name=${v.name} />`}
    <div class="actions asg-person-actions">
      ${!v.gone && html`<${Checkbox} label=${t('assignment.shortlist.compareThis', { name: v.name })} checked=${selected}
        onChange=${(on) => onSelect(entry.profile_id, on)} />`}
      ${!ctx.readOnly && html`<button type="button" class="secondary small" disabled=${busy} onClick=${remove}
        aria-label=${t('assignment.shortlist.removeOf', { name: v.name })}>${t('common.remove')}</button>`}
    </div>
    ${!v.gone && v.profile && html`<${PersonActions} ctx=${ctx} profile=${v.profile} name=${v.name} hideShortlist />`}
  </li>`;
}

export function ShortlistTab({ ctx, onCompare }) {
  const { shortlist } = ctx;
  const [busyCsv, setBusyCsv] = useState(false);
  const select = (pid, on) => {
    if (on && ctx.selected.length >= MAX_COMPARE) { toast(t('assignment.compare.max', { max: fmtNumber(MAX_COMPARE) }), 'bad'); return; }
    ctx.setSelected(on ? [...ctx.selected, pid] : ctx.selected.filter((x) => x !== pid));
  };
  const csv = async () => {
    setBusyCsv(true);
    try { await download(`/v1/assignments/${encodeURIComponent(ctx.asg.id)}/shortlist`, `assignment-${ctx.asg.id}-shortlist.csv`, 'text/csv'); } catch (e) { toast(e.human || t('common.error.generic'), 'bad'); } finally { setBusyCsv(false); }
  };
  const n = ctx.selected.length;
  return html`<div>
    <div class="asg-toolbar">
      <h2>${t('assignment.shortlist.title')}</h2>
      <div class="asg-toolbar-controls">
        <button type="button" disabled=${n < 2} onClick=${onCompare}>${t('assignment.shortlist.compare', { count: fmtNumber(n) })}</button>
        <button type="button" class="secondary" disabled=${busyCsv || !(shortlist.items || []).length} onClick=${csv}>${t('common.downloadCsv')}</button>
      </div>
    </div>
    <p class="muted small">${t('assignment.shortlist.lead', { max: fmtNumber(MAX_COMPARE) })}</p>
    <${ErrorBox} error=${shortlist.error} onRetry=${shortlist.reload} />
    ${shortlist.loading && !shortlist.items && html`<${Loading} />`}
    ${shortlist.items && shortlist.items.length === 0 && html`<${Empty}>${t('assignment.shortlist.empty')}<//>`}
    <ul class="list asg-people">
      ${(shortlist.items || []).map((e) => html`<${ShortlistEntry} key=${e.profile_id} ctx=${ctx} entry=${e}
        selected=${ctx.selected.includes(e.profile_id)} onSelect=${select} />`)}
    </ul>
  </div>`;
}

// CompareTab puts the selected people side by side, the same facts in the
// same order in each column.
export function CompareTab({ ctx, onBack }) {
  const entries = (ctx.shortlist.items || []).filter((e) => ctx.selected.includes(e.profile_id) && !isGone(e));
  const [extra, setExtra] = useState({});
  // A person shortlisted on another visit may not be in this visit's match
  // list; their profile is fetched so that the comparison is complete.
  useEffect(() => {
    for (const e of entries) {
      const v = entryView(ctx, e);
      if (!v.profile && !extra[e.profile_id]) {
        api(`/v1/profiles/${encodeURIComponent(e.profile_id)}`).then(
          (p) => { ctx.remember(p); setExtra((x) => ({ ...x, [e.profile_id]: true })); },
          () => setExtra((x) => ({ ...x, [e.profile_id]: 'failed' })),
        );
      }
    }
  }, [entries.map((e) => e.profile_id).join(',')]);
  if (entries.length < 2) {
    return html`<div><h2>${t('assignment.compare.title')}</h2>
      <${Empty}>${t('assignment.compare.empty', { max: fmtNumber(MAX_COMPARE) })}<//>
      <p><button type="button" class="secondary" onClick=${onBack}>${t('assignment.compare.back')}</button></p></div>`;
  }
  const asg = ctx.asg;
  // The safeguards list gets a row when one of the people has a note.
  const listed = entries.some((e) => { const x = entryView(ctx, e).ex; return x && x.safeguard && x.safeguard.listed; });
  return html`<div>
    <div class="asg-toolbar">
      <h2>${t('assignment.compare.title')}</h2>
      <div class="asg-toolbar-controls"><button type="button" class="secondary" onClick=${onBack}>${t('assignment.compare.back')}</button></div>
    </div>
    <div class="compare">
      ${entries.map((e) => {
        const v = entryView(ctx, e);
        const p = v.profile;
        const lic = p ? licenceText(asg, p) : null;
        return html`<section class="card asg-compare-col" aria-label=${v.name}>
          <h3>${v.name}</h3>
          <${PersonLine} profile=${p} profession=${ctx.profession} />
          <dl class="asg-compare-facts">
            <dt>${t('assignment.compare.score')}</dt>
            <dd>${typeof v.score === 'number' ? html`<${Score} score=${v.score} label=${t('assignment.match.scoreOf', { name: v.name })} />` : t('assignment.compare.unknown')}</dd>
            <dt>${t('assignment.compare.skills')}</dt>
            <dd>${v.ex ? html`<${Skills} ex=${v.ex} compact />` : t('assignment.compare.unknown')}</dd>
            <dt>${t('assignment.explain.languages')}</dt>
            <dd>${v.ex ? html`<${Languages} ex=${v.ex} />` : t('assignment.compare.unknown')}</dd>
            <dt>${t('assignment.explain.availability')}</dt>
            <dd>${v.ex ? availabilityText(asg, p, v.ex).join(' · ') : t('assignment.compare.unknown')}</dd>
            <dt>${t('assignment.explain.licence')}</dt>
            <dd class=${lic && !lic.ok ? 'asg-warn' : ''}>${lic ? lic.text : t('assignment.compare.unknown')}</dd>
            ${listed && html`<dt>${t('safeguards.note.badge')}</dt>
            <dd>${v.ex && v.ex.safeguard && v.ex.safeguard.listed ? html`<${SafeguardNote} sg=${v.ex.safeguard} compact />`
              : v.ex ? t('safeguards.note.notListed') : t('assignment.compare.unknown')}</dd>`}
            <dt>${t('assignment.compare.experience')}</dt>
            <dd>${p ? t('assignment.compare.years', { years: fmtNumber(p.years_experience || 0) }) : t('assignment.compare.unknown')}</dd>
            <dt>${t('assignment.compare.note')}</dt>
            <dd>${e.note ? e.note : html`<span class="muted">${t('assignment.compare.noNote')}</span>`}</dd>
          </dl>
          ${p && html`<${PersonActions} ctx=${ctx} profile=${p} name=${v.name} hideShortlist />`}
        </section>`;
      })}
    </div>
  </div>`;
}
