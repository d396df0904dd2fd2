// The assignment editor: /assignments/new and /assignments/:id/edit. It
// writes every field of POST /v1/assignments (a draft) and PATCH (with
// If-Match); "Publish" saves and then publishes. The server validates:
// its field errors appear next to their inputs and the input is kept.
import { html, useEffect, useRef, useState } from '../../html.js';
import { request, ApiError } from '../../api.js';
import { t, fmtDateTime } from '../../i18n.js';
import { navigate, Link } from '../../router.js';
import {
  PageHeader, Loading, ErrorBox, FormError, TextField, TextArea, SelectField, Checkbox, TagInput,
  ConfirmButton, StatusBadge, useForm, fieldError, toast,
} from '../../ui.js';
import { loadOccupations, occupationName, occupationOptions, languageOptions, LEVELS } from './common.js';

const MODES = ['onsite', 'virtual', 'hybrid'];

const blank = {
  title: '', description: '', profession: '', accepted: null, specialties: [], required_skills: [], preferred_skills: [],
  languages: [], mode: 'onsite', region: '', facility: '', start: '', end: '', virtual_hours_per_week: 0,
  min_years_experience: 0, licence_required: false, positions: 1,
};

// fromAssignment turns an assignment into the form's values; accepted is
// null while the default policy of the profession applies.
function fromAssignment(a, occ) {
  const defaults = defaultFillers(occ, a.profession);
  const acc = a.accepted_professions || [];
  return {
    title: a.title || '', description: a.description || '', profession: a.profession || '',
    accepted: acc.length && !sameSet(acc, defaults) ? [...acc] : null,
    specialties: a.specialties || [], required_skills: a.required_skills || [], preferred_skills: a.preferred_skills || [],
    languages: (a.languages || []).map((l) => ({ ...l })), mode: a.mode || 'onsite',
    region: (a.location && a.location.region) || '', facility: (a.location && a.location.facility) || '',
    start: a.start || '', end: a.end || '', virtual_hours_per_week: a.virtual_hours_per_week || 0,
    min_years_experience: a.min_years_experience || 0, licence_required: !!a.licence_required, positions: a.positions || 1,
  };
}

function defaultFillers(occ, code) {
  const o = (occ || []).find((x) => x.code === code);
  return o ? o.default_fillers : (code ? [code] : []);
}

function sameSet(a, b) { return a.length === b.length && a.every((x) => b.includes(x)); }

const int = (v) => (v === '' || v === null || v === undefined || Number.isNaN(Number(v)) ? 0 : Math.trunc(Number(v)));

// toInput is the AssignmentInput the API takes. An empty accepted list
// asks for the default policy.
function toInput(v) {
  const body = {
    title: v.title.trim(), description: v.description, profession: v.profession,
    accepted_professions: v.accepted || [],
    specialties: v.specialties, required_skills: v.required_skills, preferred_skills: v.preferred_skills,
    languages: v.languages.map((l) => ({ code: l.code, level: l.level })), mode: v.mode,
    location: { region: v.region.trim(), facility: v.facility.trim() },
    start: v.start, end: v.end,
    virtual_hours_per_week: v.mode === 'onsite' ? 0 : int(v.virtual_hours_per_week),
    min_years_experience: int(v.min_years_experience), licence_required: v.licence_required,
    positions: int(v.positions) || 1,
  };
  return body;
}

function LanguagesEditor({ values, onChange, errors }) {
  const set = (i, patch) => onChange(values.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const options = languageOptions(values.map((l) => l.code));
  const groupError = errors.languages;
  return html`<fieldset class=${`field${groupError ? ' invalid' : ''}`}>
    <legend>${t('ministry.editor.languages')}</legend>
    <p class="hint">${t('ministry.editor.languagesHint')}</p>
    ${values.length === 0 && html`<p class="muted small">${t('ministry.editor.noLanguages')}</p>`}
    ${values.map((l, i) => html`<div class="row ministry-lang-row">
      <${SelectField} label=${t('ministry.editor.language', { n: i + 1 })} value=${l.code} options=${options}
        empty=${t('common.choose')} onChange=${(v) => set(i, { code: v })} error=${errors[`languages[${i}].code`] || errors[`languages[${i}]`]} />
      <${SelectField} label=${t('ministry.editor.level', { n: i + 1 })} value=${l.level}
        options=${LEVELS.map((x) => ({ value: x, label: t(`ministry.cefr.${x}`) }))}
        onChange=${(v) => set(i, { level: v })} error=${errors[`languages[${i}].level`]} />
      <button type="button" class="secondary" onClick=${() => onChange(values.filter((_, j) => j !== i))}
        aria-label=${t('ministry.editor.removeLanguage', { n: i + 1 })}>${t('common.remove')}</button>
    </div>`)}
    ${groupError && html`<p class="field-error">${groupError}</p>`}
    <button type="button" class="secondary" onClick=${() => onChange([...values, { code: '', level: 'B2' }])}>${t('ministry.editor.addLanguage')}</button>
  </fieldset>`;
}

// AcceptedEditor is the profession policy: by default the posted code and
// the codes of the same competence at a higher level; the ministry may
// accept others.
function AcceptedEditor({ occ, profession, accepted, onChange, errors }) {
  const defaults = defaultFillers(occ, profession);
  const current = accepted || defaults;
  const err = fieldError(errors, 'accepted_professions');
  const toggle = (code, on) => {
    let next = on ? [...current, code] : current.filter((c) => c !== code);
    if (profession && !next.includes(profession)) next = [profession, ...next];
    onChange(sameSet(next, defaults) ? null : next);
  };
  const [open, setOpen] = useState(!!accepted);
  const list = [...(occ || [])].sort((a, b) => occupationName(occ, a.code).localeCompare(occupationName(occ, b.code)));
  return html`<details class="ministry-details" open=${open || !!err} onToggle=${(e) => setOpen(e.currentTarget.open)}>
    <summary>${t('ministry.editor.accepted')}${profession && html` <span class="muted small">(${accepted ? t('ministry.editor.acceptedCustom', { count: current.length }) : t('ministry.editor.acceptedDefault', { count: current.length })})</span>`}</summary>
    <fieldset class=${`field${err ? ' invalid' : ''}`}>
      <legend class="sr-only">${t('ministry.editor.accepted')}</legend>
      <p class="hint">${t('ministry.editor.acceptedHint')}</p>
      ${!profession && html`<p class="muted small">${t('ministry.editor.chooseProfessionFirst')}</p>`}
      ${profession && html`<ul class="ministry-checks">${list.map((o) => {
        const cid = `acc-${o.code}`;
        const posted = o.code === profession;
        return html`<li class="check"><input id=${cid} type="checkbox" checked=${current.includes(o.code)} disabled=${posted}
            onChange=${(e) => toggle(o.code, e.currentTarget.checked)} />
          <label for=${cid}>${occupationName(occ, o.code)}${posted && html` <span class="muted small">(${t('ministry.editor.postedProfession')})</span>`}</label></li>`;
      })}</ul>`}
      ${err && html`<p class="field-error">${err}</p>`}
      ${accepted && html`<button type="button" class="link" onClick=${() => onChange(null)}>${t('ministry.editor.acceptedReset')}</button>`}
    </fieldset>
  </details>`;
}

function Editor({ id, account }) {
  const isNew = !id;
  const f = useForm({ ...blank });
  const [occ, setOcc] = useState(null);
  const [occError, setOccError] = useState(null);
  const [current, setCurrent] = useState(null); // the assignment as saved
  const [etag, setEtag] = useState(null);
  const [loadState, setLoadState] = useState({ loading: !isNew, error: null });
  const [n, setN] = useState(0);
  const created = useRef(null);
  const errors = f.errors;

  useEffect(() => {
    loadOccupations().then((o) => { setOcc(o); setOccError(null); }, setOccError);
  }, [n]);

  useEffect(() => {
    if (!id) {
      // A new assignment, also when coming from another one's editor (the
      // same view stays mounted): start from a blank form.
      if (created.current || current) {
        created.current = null;
        setCurrent(null);
        setEtag(null);
        f.setValues({ ...blank });
        f.setErrors({});
        f.setFormError(null);
      }
      setLoadState({ loading: false, error: null });
      return undefined;
    }
    // Just created here and the URL caught up: the form is already right.
    if (created.current === id) return undefined;
    created.current = null;
    let live = true;
    setLoadState({ loading: true, error: null });
    Promise.all([request(`/v1/assignments/${encodeURIComponent(id)}`), loadOccupations().catch(() => [])]).then(([r, o]) => {
      if (!live) return;
      setCurrent(r.data);
      setEtag(r.etag);
      f.setValues(fromAssignment(r.data, o));
      setLoadState({ loading: false, error: null });
    }, (error) => { if (live) setLoadState({ loading: false, error }); });
    return () => { live = false; };
  }, [id, n]);

  const v = f.values;
  const editable = isNew || (current && (current.status === 'draft' || current.status === 'open'));
  const isDraft = isNew || (current && current.status === 'draft');

  // save creates the draft or patches it, and returns {id, etag}.
  const save = async (values) => {
    const body = toInput(values);
    const assignmentId = id || created.current;
    if (!assignmentId) {
      const r = await request('/v1/assignments', { method: 'POST', body, idempotent: true });
      created.current = r.data.id;
      setCurrent(r.data);
      setEtag(r.etag);
      // The draft exists now: later saves patch it, also after a reload.
      navigate(`/assignments/${encodeURIComponent(r.data.id)}/edit`, { replace: true });
      return { id: r.data.id, etag: r.etag };
    }
    const r = await request(`/v1/assignments/${encodeURIComponent(assignmentId)}`, { method: 'PATCH', body, ifMatch: etag || (current && `"${current.version}"`) });
    setCurrent(r.data);
    setEtag(r.etag);
    return { id: r.data.id, etag: r.etag };
  };

  const onSaveDraft = () => f.submit(async (values) => {
    await save(values);
    toast(isDraft ? t('ministry.editor.draftSaved') : t('ministry.editor.saved'));
  });

  const onPublish = () => f.submit(async (values) => {
    const s = await save(values);
    const r = await request(`/v1/assignments/${encodeURIComponent(s.id)}/publish`, { method: 'POST', ifMatch: s.etag });
    setCurrent(r.data);
    setEtag(r.etag);
    toast(t('ministry.editor.published'));
    navigate(`/assignments/${encodeURIComponent(s.id)}`);
  });

  const move = (action, done) => async () => {
    try {
      const r = await request(`/v1/assignments/${encodeURIComponent(current.id)}/${action}`, { method: 'POST', ifMatch: etag });
      setCurrent(r.data);
      setEtag(r.etag);
      toast(done);
      navigate(`/assignments/${encodeURIComponent(current.id)}`);
    } catch (err) {
      f.setFormError(err instanceof ApiError ? err : new ApiError(0, {}));
    }
  };

  // The form has no submit button: Enter in a field (an autocomplete's
  // Enter adds a skill) never publishes a half-written assignment.
  const onSubmit = (e) => { e.preventDefault(); };

  if (loadState.loading) return html`<${Loading} />`;
  if (loadState.error) {
    return html`<section><${PageHeader} title=${t('ministry.editor.editTitle')} /><${ErrorBox} error=${loadState.error} onRetry=${() => setN((x) => x + 1)} /></section>`;
  }

  const title = isNew && !created.current ? t('ministry.editor.newTitle') : t('ministry.editor.editTitle');
  const stale = f.formError && f.formError.status === 412;
  const professionOptions = occupationOptions(occ);
  const setProfession = (code) => {
    f.setValues((p) => ({ ...p, profession: code, accepted: p.accepted && code && !p.accepted.includes(code) ? [code, ...p.accepted] : p.accepted }));
  };

  return html`<section class="ministry-editor">
    <${PageHeader} title=${title} subtitle=${current ? current.title : t('ministry.editor.lead')}>
      ${current && html`<${StatusBadge} group="assignment" value=${current.status} />`}
      ${current && current.status !== 'draft' && html`<${Link} href=${`/assignments/${encodeURIComponent(current.id)}`}>${t('ministry.editor.viewPage')}<//>`}
    <//>
    ${!editable && html`<div class="alert info" role="status"><p>${t('ministry.editor.notEditable', { status: t(`enum.assignment.${current.status}`) })}</p></div>`}
    ${stale ? html`<div class="alert error" role="alert"><p>${t('ministry.editor.stale')}</p>
        <button type="button" class="secondary" onClick=${() => { created.current = null; f.setFormError(null); setN((x) => x + 1); }}>${t('ministry.editor.reload')}</button></div>`
      : html`<${FormError} error=${f.formError} />`}
    <form onSubmit=${onSubmit} novalidate class="card">
      <h2>${t('ministry.editor.sectionPost')}</h2>
      <${TextField} label=${t('ministry.editor.title')} required value=${v.title} maxlength="200"
        onInput=${(x) => f.set('title', x)} error=${errors.title} hint=${t('ministry.editor.titleHint')} />
      <div class="grid2">
        <div>
          <${SelectField} label=${t('ministry.editor.profession')} required value=${v.profession} onChange=${setProfession}
            options=${professionOptions} empty=${occ ? t('common.choose') : t('common.loading')} error=${errors.profession} />
          ${occError && html`<${ErrorBox} error=${occError} onRetry=${() => setN((x) => x + 1)} />`}
        </div>
        <${TextField} label=${t('ministry.editor.positions')} type="number" min="1" max="1000" required value=${v.positions}
          onInput=${(x) => f.set('positions', x)} error=${errors.positions} inputmode="numeric" />
      </div>
      <${AcceptedEditor} occ=${occ} profession=${v.profession} accepted=${v.accepted} errors=${errors}
        onChange=${(x) => f.set('accepted', x)} />
      <${TextArea} label=${t('ministry.editor.description')} value=${v.description} rows="6" maxlength="10000"
        onInput=${(x) => f.set('description', x)} error=${errors.description} hint=${t('ministry.editor.descriptionHint')} />

      <h2>${t('ministry.editor.sectionSkills')}</h2>
      <${TagInput} label=${t('ministry.editor.specialties')} kind="specialty" values=${v.specialties}
        onChange=${(x) => f.set('specialties', x)} error=${fieldError(errors, 'specialties')} hint=${t('ministry.editor.tagHint')} max=${30} />
      <${TagInput} label=${t('ministry.editor.requiredSkills')} kind="skill" values=${v.required_skills}
        onChange=${(x) => f.set('required_skills', x)} error=${fieldError(errors, 'required_skills')} hint=${t('ministry.editor.requiredHint')} max=${30} />
      <${TagInput} label=${t('ministry.editor.preferredSkills')} kind="skill" values=${v.preferred_skills}
        onChange=${(x) => f.set('preferred_skills', x)} error=${fieldError(errors, 'preferred_skills')} hint=${t('ministry.editor.preferredHint')} max=${30} />
      <${LanguagesEditor} values=${v.languages} onChange=${(x) => f.set('languages', x)} errors=${errors} />
      <div class="grid2">
        <${TextField} label=${t('ministry.editor.minYears')} type="number" min="0" max="60" value=${v.min_years_experience}
          onInput=${(x) => f.set('min_years_experience', x)} error=${errors.min_years_experience} inputmode="numeric" />
        <div class="ministry-check-cell"><${Checkbox} label=${t('ministry.editor.licence')} checked=${v.licence_required}
          onChange=${(x) => f.set('licence_required', x)} hint=${t('ministry.editor.licenceHint')} error=${errors.licence_required} /></div>
      </div>

      <h2>${t('ministry.editor.sectionWhen')}</h2>
      <fieldset class=${`field${errors.mode ? ' invalid' : ''}`}>
        <legend>${t('ministry.editor.mode')} <span class="req" aria-hidden="true">*</span></legend>
        <div class="radios ministry-radios">
          ${MODES.map((m) => html`<div class="radio"><input type="radio" id=${`mode-${m}`} name="mode" value=${m} checked=${v.mode === m}
            aria-describedby=${`mode-${m}-hint`} onChange=${() => f.set('mode', m)} />
            <div><label for=${`mode-${m}`} class="ministry-radio-label">${t(`enum.mode.${m}`)}</label>
            <span class="muted small" id=${`mode-${m}-hint`}>${t(`ministry.editor.modeHint.${m}`)}</span></div></div>`)}
        </div>
        ${errors.mode && html`<p class="field-error">${errors.mode}</p>`}
      </fieldset>
      ${v.mode !== 'onsite' && html`<${TextField} label=${t('ministry.editor.hours')} type="number" min="1" max="80" required
        value=${v.virtual_hours_per_week} onInput=${(x) => f.set('virtual_hours_per_week', x)} error=${errors.virtual_hours_per_week}
        hint=${t('ministry.editor.hoursHint')} inputmode="numeric" />`}
      <fieldset class="field ministry-dates">
        <legend>${t('ministry.editor.dates')}</legend>
        <div class="grid2">
        <${TextField} label=${t('ministry.editor.start')} type="date" required value=${v.start}
          onInput=${(x) => f.set('start', x)} error=${errors.start} />
        <${TextField} label=${t('ministry.editor.end')} type="date" required value=${v.end}
          onInput=${(x) => f.set('end', x)} error=${errors.end} />
        </div>
      </fieldset>
      <div class="grid2">
        <${TextField} label=${t('ministry.editor.region')} value=${v.region} maxlength="200"
          onInput=${(x) => f.set('region', x)} error=${errors['location.region'] || errors.location} />
        <${TextField} label=${t('ministry.editor.facility')} value=${v.facility} maxlength="200"
          onInput=${(x) => f.set('facility', x)} error=${errors['location.facility']} />
      </div>

      ${editable && html`<div class="actions ministry-form-actions">
        ${isDraft && html`<button type="button" disabled=${f.busy} onClick=${onPublish}>${f.busy ? t('ministry.editor.busy') : t('ministry.editor.publish')}</button>`}
        <button type="button" class=${isDraft ? 'secondary' : ''} disabled=${f.busy}
          onClick=${onSaveDraft}>${isDraft ? t('ministry.editor.saveDraft') : t('ministry.editor.saveChanges')}</button>
        ${current && current.status === 'open' && html`<${ConfirmButton} class="secondary" label=${t('ministry.editor.close')}
          confirmLabel=${t('ministry.editor.confirmClose')} onConfirm=${move('close', t('ministry.editor.closed'))} disabled=${f.busy} />`}
        ${current && html`<${ConfirmButton} label=${t('ministry.editor.cancelAssignment')}
          confirmLabel=${t('ministry.editor.confirmCancel')} onConfirm=${move('cancel', t('ministry.editor.cancelled'))} disabled=${f.busy} />`}
      </div>`}
      ${current && html`<p class="muted small">${t('ministry.editor.lastSaved', { when: fmtDateTime(current.updated_at) })}</p>`}
    </form>
  </section>`;
}

export const routes = [
  { path: '/assignments/new', view: Editor, title: 'ministry.editor.newTitle', roles: ['ministry'] },
  { path: '/assignments/:id/edit', view: Editor, title: 'ministry.editor.editTitle', roles: ['ministry'] },
];
