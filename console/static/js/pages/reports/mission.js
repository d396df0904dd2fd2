// What follows a mission: once an accepted offer's end date has passed,
// each side evaluates it (within 7 days), the worker writes the report
// (within 30 days; the ministry too when the worker makes it
// co-authored), and both consent to publish it. The worker's offer page
// shows it inline; a ministry opens it at /missions/:id from its offers.
import { html, useEffect, useState } from '../../html.js';
import { api, request, ApiError } from '../../api.js';
import { t, fmtDate, fmtDateTime, fmtNumber, languageName } from '../../i18n.js';
import { Link } from '../../router.js';
import { PageHeader, Loading, ErrorBox, Empty, Badge, TextField, TextArea, SelectField, Checkbox, TagInput,
  FormError, useForm, fieldError, toast } from '../../ui.js';

// REPORT_LANGS are the languages a report may be written in, first the
// console's.
export const REPORT_LANGS = ['en', 'fr', 'pt', 'es', 'ar', 'sw', 'ha', 'yo', 'am', 'ln', 'rw', 'de', 'it', 'nl'];

const RATINGS = ['objectives_met', 'preparation', 'support'];

// rated shows a 1-5 rating in words and figures.
function rated(n) { return t('reports.eval.rating', { n: fmtNumber(n) }); }

function EvaluationForm({ offerID, due, onDone }) {
  const f = useForm({ objectives_met: '', preparation: '', support: '', comment: '' });
  const send = (e) => {
    e.preventDefault();
    f.submit(async (v) => {
      const body = { comment: v.comment };
      for (const k of RATINGS) body[k] = v[k] === '' ? 0 : Number(v[k]);
      await api(`/v1/offers/${encodeURIComponent(offerID)}/evaluation`, { method: 'POST', body });
      toast(t('reports.eval.sent'));
      onDone();
    });
  };
  const options = [1, 2, 3, 4, 5].map((n) => ({ value: n, label: t(`reports.eval.scale.${n}`) }));
  return html`<form onSubmit=${send} novalidate>
    <p class="small">${t('reports.eval.lead', { date: fmtDate(due) })}</p>
    <${FormError} error=${f.formError} />
    ${RATINGS.map((k) => html`<${SelectField} label=${t(`reports.eval.${k}`)} value=${f.values[k]} onChange=${(v) => f.set(k, v)}
      options=${options} empty=${t('common.choose')} required error=${fieldError(f.errors, k)} />`)}
    <${TextArea} label=${t('reports.eval.comment')} value=${f.values.comment} onInput=${(v) => f.set('comment', v)}
      maxlength="4000" error=${fieldError(f.errors, 'comment')} />
    <div class="actions"><button type="submit" disabled=${f.busy}>${t('reports.eval.submit')}</button></div>
  </form>`;
}

function Evaluation({ offerID, state, onDone }) {
  return html`<section class="card" aria-labelledby="eval-h">
    <h2 id="eval-h">${t('reports.eval.title')}</h2>
    ${state.mine ? html`<p>${t('reports.eval.done', { date: fmtDateTime(state.mine.created_at) })}</p>
      <dl class="facts">${RATINGS.map((k) => html`<dt>${t(`reports.eval.${k}`)}</dt><dd>${rated(state.mine[k])}</dd>`)}
        ${state.mine.comment && html`<dt>${t('reports.eval.comment')}</dt><dd class="break">${state.mine.comment}</dd>`}</dl>`
      : state.open ? html`<${EvaluationForm} offerID=${offerID} due=${state.due} onDone=${onDone} />`
        : html`<p class="muted">${t('reports.eval.closed', { date: fmtDate(state.due) })}</p>`}
    <p class="muted small">${state.other_side_submitted ? t('reports.eval.otherDone') : t('reports.eval.otherWaiting')}</p>
  </section>`;
}

function blankReport(lang) {
  return { objectives: '', activities: '', people_trained: 0, procedures_performed: 0, protocols_written: 0, results: '',
    lessons_learned: '', recommendations: '', language: lang, tags: [], anonymous: false, co_authored: false };
}

function fromReport(r) {
  const o = r.outcomes || {};
  return { objectives: r.objectives, activities: r.activities, people_trained: o.people_trained || 0,
    procedures_performed: o.procedures_performed || 0, protocols_written: o.protocols_written || 0, results: o.results || '',
    lessons_learned: r.lessons_learned, recommendations: r.recommendations || '', language: r.language,
    tags: (r.tag_labels || []).map((x) => x.label), anonymous: !!r.anonymous, co_authored: !!r.co_authored };
}

function toBody(v) {
  const n = (x) => (x === '' || x === null || x === undefined ? 0 : Number(x));
  return { objectives: v.objectives, activities: v.activities, lessons_learned: v.lessons_learned, recommendations: v.recommendations,
    language: v.language, tags: v.tags, anonymous: v.anonymous, co_authored: v.co_authored,
    outcomes: { people_trained: n(v.people_trained), procedures_performed: n(v.procedures_performed),
      protocols_written: n(v.protocols_written), results: v.results } };
}

// ReportForm writes a new report (report null) or edits a draft, with
// If-Match on the ETag it was read with.
function ReportForm({ offerID, report, etag, worker, lang, onSaved }) {
  const f = useForm(report ? fromReport(report) : blankReport(lang));
  const v = f.values;
  const err = (name) => fieldError(f.errors, name);
  const save = (e) => {
    e.preventDefault();
    f.submit(async (vals) => {
      const path = `/v1/offers/${encodeURIComponent(offerID)}/report`;
      const r = report
        ? await request(path, { method: 'PUT', body: toBody(vals), ifMatch: etag })
        : await request(path, { method: 'POST', body: toBody(vals) });
      toast(t('reports.write.saved'));
      onSaved(r.data, r.etag);
    });
  };
  return html`<form onSubmit=${save} novalidate>
    <${FormError} error=${f.formError} />
    <${TextArea} label=${t('reports.write.objectives')} value=${v.objectives} onInput=${(x) => f.set('objectives', x)} required
      maxlength="4000" error=${err('objectives')} />
    <${TextArea} label=${t('reports.write.activities')} value=${v.activities} onInput=${(x) => f.set('activities', x)} required
      maxlength="8000" error=${err('activities')} />
    <fieldset class="field">
      <legend>${t('reports.write.outcomes')}</legend>
      <div class="grid3">
        <${TextField} type="number" min="0" label=${t('reports.write.peopleTrained')} value=${v.people_trained}
          onInput=${(x) => f.set('people_trained', x)} error=${err('outcomes.people_trained')} />
        <${TextField} type="number" min="0" label=${t('reports.write.procedures')} value=${v.procedures_performed}
          onInput=${(x) => f.set('procedures_performed', x)} error=${err('outcomes.procedures_performed')} />
        <${TextField} type="number" min="0" label=${t('reports.write.protocols')} value=${v.protocols_written}
          onInput=${(x) => f.set('protocols_written', x)} error=${err('outcomes.protocols_written')} />
      </div>
      <${TextArea} label=${t('reports.write.results')} value=${v.results} onInput=${(x) => f.set('results', x)}
        maxlength="8000" error=${err('outcomes.results')} />
    </fieldset>
    <${TextArea} label=${t('reports.write.lessons')} value=${v.lessons_learned} onInput=${(x) => f.set('lessons_learned', x)} required
      maxlength="8000" error=${err('lessons_learned')} />
    <${TextArea} label=${t('reports.write.recommendations')} value=${v.recommendations} onInput=${(x) => f.set('recommendations', x)}
      maxlength="8000" error=${err('recommendations')} />
    <${SelectField} label=${t('reports.write.language')} value=${v.language} onChange=${(x) => f.set('language', x)} required
      options=${REPORT_LANGS.map((l) => ({ value: l, label: languageName(l) }))} error=${err('language')} />
    <${TagInput} label=${t('reports.write.tags')} values=${v.tags} onChange=${(x) => f.set('tags', x)} kind="skill"
      hint=${t('reports.write.tagsHint')} error=${err('tags')} max="20" />
    ${worker && html`<${Checkbox} label=${t('reports.write.anonymous')} hint=${t('reports.write.anonymousHint')} checked=${v.anonymous}
      onChange=${(x) => f.set('anonymous', x)} error=${err('anonymous')} />
      <${Checkbox} label=${t('reports.write.coAuthored')} hint=${t('reports.write.coAuthoredHint')} checked=${v.co_authored}
      onChange=${(x) => f.set('co_authored', x)} error=${err('co_authored')} />`}
    <div class="actions"><button type="submit" disabled=${f.busy}>${report ? t('reports.write.update') : t('reports.write.submit')}</button></div>
  </form>`;
}

// ReportView shows a report as written.
export function ReportView({ r, headingLevel = 3 }) {
  const o = r.outcomes || {};
  const H = (text) => (headingLevel === 2 ? html`<h2>${text}</h2>` : html`<h3>${text}</h3>`);
  const tags = r.tag_labels || r.tags || [];
  return html`<div class="report-view">
    ${H(t('reports.write.objectives'))}<p class="worker-prewrap break">${r.objectives}</p>
    ${H(t('reports.write.activities'))}<p class="worker-prewrap break">${r.activities}</p>
    ${H(t('reports.write.outcomes'))}
    <dl class="facts">
      <dt>${t('reports.write.peopleTrained')}</dt><dd>${fmtNumber(o.people_trained || 0)}</dd>
      <dt>${t('reports.write.procedures')}</dt><dd>${fmtNumber(o.procedures_performed || 0)}</dd>
      <dt>${t('reports.write.protocols')}</dt><dd>${fmtNumber(o.protocols_written || 0)}</dd>
    </dl>
    ${o.results && html`<p class="worker-prewrap break">${o.results}</p>`}
    ${H(t('reports.write.lessons'))}<p class="worker-prewrap break">${r.lessons_learned}</p>
    ${r.recommendations && html`${H(t('reports.write.recommendations'))}<p class="worker-prewrap break">${r.recommendations}</p>`}
    ${tags.length > 0 && html`<ul class="chips report-tags" aria-label=${t('reports.write.tags')}>
      ${tags.map((x) => html`<li class="chip">${x.label || x}</li>`)}</ul>`}
  </div>`;
}

function Consent({ offerID, r, side, onChanged }) {
  const [busy, setBusy] = useState(false);
  const mine = r.consent && r.consent[side];
  const other = r.consent && r.consent[side === 'worker' ? 'ministry' : 'worker'];
  const act = async (give) => {
    setBusy(true);
    try {
      const res = await request(`/v1/offers/${encodeURIComponent(offerID)}/report/consent`, { method: give ? 'POST' : 'DELETE' });
      toast(res.data.status === 'published' ? t('reports.consent.publishedToast') : give ? t('reports.consent.given') : t('reports.consent.withdrawn'));
      onChanged(res.data, res.etag);
    } catch (e) {
      toast(e instanceof ApiError ? e.human : t('common.error.generic'), 'bad');
    } finally { setBusy(false); }
  };
  if (r.status === 'published') {
    return html`<div class="alert info"><p>${t('reports.consent.published', { date: fmtDate(r.published_at) })}
      ${' '}<${Link} href=${`/reports/${r.id}`}>${t('reports.consent.seePublic')}<//></p></div>`;
  }
  return html`<div class="report-consent">
    <h3>${t('reports.consent.title')}</h3>
    <p class="small">${t('reports.consent.lead')}</p>
    <ul>
      <li>${mine ? t('reports.consent.youYes') : t('reports.consent.youNo')}</li>
      <li>${other ? t('reports.consent.otherYes') : t('reports.consent.otherNo')}</li>
    </ul>
    <div class="actions">
      ${mine ? html`<button type="button" class="secondary" disabled=${busy} onClick=${() => act(false)}>${t('reports.consent.withdraw')}</button>`
        : html`<button type="button" disabled=${busy} onClick=${() => act(true)}>${t('reports.consent.give')}</button>`}
    </div>
  </div>`;
}

function Report({ offerID, report, etag, side, evalState, lang, onChanged }) {
  const [editing, setEditing] = useState(false);
  const worker = side === 'worker';
  const author = report ? (worker || report.co_authored) : worker;
  const writable = !report || report.status !== 'published';
  const saved = (r, tag) => { setEditing(false); onChanged(r, tag); };
  let body;
  if (!report) {
    body = worker
      ? html`<p class="small">${t('reports.write.lead', { date: fmtDate(evalState.report_due) })}</p>
        <${ReportForm} offerID=${offerID} worker=${true} lang=${lang} onSaved=${saved} />`
      : html`<p class="muted">${t('reports.write.waiting')}</p>`;
  } else {
    body = html`
      <p class="small"><${Badge} tone=${report.status === 'published' ? 'ok' : 'neutral'}>${t(`reports.status.${report.status}`)}<//>
        ${report.anonymous ? html` ${t('reports.write.shownAnonymous')}` : null}</p>
      ${editing ? html`<${ReportForm} offerID=${offerID} report=${report} etag=${etag} worker=${worker} lang=${lang} onSaved=${saved} />`
        : html`<${ReportView} r=${report} />
          ${author && writable && html`<div class="actions"><button type="button" class="secondary" onClick=${() => setEditing(true)}>${t('reports.write.edit')}</button></div>`}`}
      <${Consent} offerID=${offerID} r=${report} side=${side} onChanged=${onChanged} />`;
  }
  return html`<section class="card" aria-labelledby="report-h">
    <h2 id="report-h">${t('reports.write.title')}</h2>
    ${body}
  </section>`;
}

// MissionPanel is the evaluation and the report of offer offerID, for
// its worker or its ministry; nothing before the mission's end.
export function MissionPanel({ offerID, account }) {
  const [s, set] = useState({ loading: true, error: null, ev: null, report: null, etag: null });
  const load = async () => {
    try {
      const ev = await api(`/v1/offers/${encodeURIComponent(offerID)}/evaluation`);
      let report = null;
      let etag = null;
      try {
        const r = await request(`/v1/offers/${encodeURIComponent(offerID)}/report`);
        report = r.data;
        etag = r.etag;
      } catch (e) { if (!(e instanceof ApiError && e.status === 404)) throw e; }
      set({ loading: false, error: null, ev, report, etag });
    } catch (error) { set((p) => ({ ...p, loading: false, error })); }
  };
  useEffect(() => { load(); }, [offerID]);
  if (s.loading) return html`<${Loading} />`;
  if (s.error) return html`<${ErrorBox} error=${s.error} onRetry=${load} />`;
  const ev = s.ev;
  if (ev.reason === 'mission_not_accepted') return null;
  if (ev.reason === 'mission_not_ended') {
    return html`<p class="muted small">${t('reports.mission.later')}</p>`;
  }
  const side = account.role === 'professional' ? 'worker' : 'ministry';
  const evalState = { ...ev, report_due: reportDue(ev.due) };
  return html`<div class="mission-panel">
    <${Evaluation} offerID=${offerID} state=${ev} onDone=${load} />
    <${Report} offerID=${offerID} report=${s.report} etag=${s.etag} side=${side} evalState=${evalState}
      lang=${(account.locale || 'en').slice(0, 2)} onChanged=${(report, etag) => set((p) => ({ ...p, report, etag }))} />
  </div>`;
}

// reportDue is the report's last day: 23 days after the evaluation's.
function reportDue(evalDue) {
  if (!evalDue) return '';
  const d = new Date(`${evalDue}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 23);
  return d.toISOString().slice(0, 10);
}

// MissionPage is /missions/:id: a ministry's way to its missions'
// evaluations and reports (the worker has them on the offer's page).
export function MissionPage({ id, account }) {
  const [state, setState] = useState({ loading: true, error: null, o: null });
  useEffect(() => {
    api(`/v1/offers/${encodeURIComponent(id)}`).then((o) => setState({ loading: false, error: null, o }),
      (error) => setState({ loading: false, error, o: null }));
  }, [id]);
  if (state.loading) return html`<${Loading} />`;
  const o = state.o;
  return html`<section class="worker-page">
    <${PageHeader} title=${t('reports.mission.title')} subtitle=${o && o.terms ? o.terms.title || '' : ''} />
    ${state.error && (state.error.status === 404 ? html`<${Empty}>${t('reports.mission.gone')}<//>` : html`<${ErrorBox} error=${state.error} />`)}
    ${o && html`<p class="small">${t('reports.mission.dates', { start: fmtDate(o.terms.start), end: fmtDate(o.terms.end) })}
      ${o.contact ? html` · ${o.contact.name}` : null}</p>
      <${MissionPanel} offerID=${o.id} account=${account} />`}
  </section>`;
}
