// The worker's profile editor: PUT /v1/profiles/me creates it, PATCH with
// If-Match changes it, DELETE removes it. Field errors from problem+json
// appear next to their inputs and the input is kept.
import { html, useEffect, useState } from '../../html.js';
import { request, ApiError } from '../../api.js';
import { t, has, fmtNumber, currentLang, countryCodes, countryName, languageName } from '../../i18n.js';
import { Link, navigate } from '../../router.js';
import {
  PageHeader, TextField, TextArea, SelectField, Checkbox, CheckboxGroup, TagInput, FormError, ConfirmButton,
  Loading, ErrorBox, useForm, fieldError, toast,
} from '../../ui.js';
import { loadOccupations } from './common.js';
import { LicenceVerification } from './verify.js';

export const CEFR = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'];

// Languages offered in the picker (ISO 639-1), named by Intl in the
// user's language; the languages of the countries Sankofa serves first
// among equals, sorted by name when shown.
const LANGUAGE_CODES = ('af am ar bg bm bn ca cs da de ee el en es et fa ff fi fr ha he hi hr hu hy id ig it ja ka kg ki kk '
  + 'km ko lg ln lt lv mg mk ml mn ms my ne nl no ny om pa pl ps pt ro ru rw sk sl sn so sq sr st sv sw ta te th ti tn tr ts tw '
  + 'uk ur uz vi wo xh yo zh zu').split(' ');

// The API's completeness hints are English sentences; each has a
// catalogue key, so that the worker reads them in her language.
const HINT_KEYS = {
  'add your name and profession': 'nameProfession',
  'add your specialties': 'specialties',
  'list at least 3 skills or procedures you practise': 'skills',
  'add the languages you work in': 'languages',
  'add a licence to practise': 'licence',
  'say when you are available (dates or virtual hours)': 'availability',
  'write a short bio': 'bio',
  'add contact details (shown only after you accept an offer)': 'contact',
  'add your years of experience': 'experience',
};

export function hintText(h) {
  const k = HINT_KEYS[h] || h;
  return has(`worker.hints.${k}`) ? t(`worker.hints.${k}`) : h;
}

function browserZone() {
  try { return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'; } catch { return 'UTC'; }
}

function zones(current) {
  let list = [];
  try { list = Intl.supportedValuesOf('timeZone'); } catch { list = []; }
  if (current && !list.includes(current)) list = [current, ...list];
  return list.map((z) => ({ value: z, label: z.replace(/_/g, ' ') }));
}

function sortedCountries() {
  return countryCodes.map((c) => ({ value: c, label: countryName(c) })).sort((a, b) => a.label.localeCompare(b.label, currentLang()));
}

function sortedLanguages() {
  return LANGUAGE_CODES.map((c) => ({ value: c, label: languageName(c) })).sort((a, b) => a.label.localeCompare(b.label, currentLang()));
}

const blank = () => ({
  full_name: '', profession: '', specialties: [], skills: [], languages: [{ code: currentLang(), level: '' }],
  origin_country: '', residence_country: '', country_of_birth: '', citizenships: [], country_of_training: '',
  timezone: browserZone(), years_experience: '',
  licences: [], availability: [], modes: ['onsite'], virtual_hours_per_week: '', share_with: [], alerts: true,
  bio: '', email: '', phone: '',
});

function toValues(p) {
  return {
    full_name: p.full_name || '', profession: p.profession || '', specialties: p.specialties || [], skills: p.skills || [],
    languages: (p.languages || []).map((l) => ({ ...l })), origin_country: p.origin_country || '',
    residence_country: p.residence_country || '', country_of_birth: p.country_of_birth || '',
    citizenships: p.citizenships || [], country_of_training: p.country_of_training || '', timezone: p.timezone || browserZone(),
    years_experience: p.years_experience ?? '', licences: (p.licences || []).map((l) => ({ ...l })),
    availability: (p.availability || []).map((w) => ({ ...w })), modes: p.modes || [],
    virtual_hours_per_week: p.virtual_hours_per_week || '', share_with: p.share_with || [], alerts: !!p.alerts,
    bio: p.bio || '', email: (p.contact && p.contact.email) || '', phone: (p.contact && p.contact.phone) || '',
  };
}

function toBody(v, creating) {
  const num = (x) => (x === '' || x === null || x === undefined ? 0 : Number(x));
  const body = {
    full_name: v.full_name.trim(), profession: v.profession, specialties: v.specialties, skills: v.skills,
    languages: v.languages, origin_country: v.origin_country, residence_country: v.residence_country,
    timezone: v.timezone, years_experience: num(v.years_experience),
    licences: v.licences.map(({ verification, ...l }) => l), // the server keeps each licence's verification by id
    availability: v.availability, modes: v.modes,
    virtual_hours_per_week: v.modes.includes('virtual') ? num(v.virtual_hours_per_week) : 0,
    share_with: v.share_with, alerts: v.alerts, bio: v.bio.trim(),
  };
  // The statistics' fields are optional: absent when unset, and removed
  // (a merge patch's null) when the worker clears them.
  const optional = { country_of_birth: v.country_of_birth, country_of_training: v.country_of_training, citizenships: v.citizenships };
  for (const [k, x] of Object.entries(optional)) {
    if (Array.isArray(x) ? x.length : x) body[k] = x;
    else if (!creating) body[k] = null;
  }
  const email = v.email.trim();
  const phone = v.phone.replace(/[\s().-]/g, '');
  if (email || phone) {
    body.contact = {};
    if (email) body.contact.email = email;
    if (phone) body.contact.phone = phone;
  } else if (!creating) {
    body.contact = null; // a merge patch removes the member
  }
  return body;
}

// RowList edits a list of objects (languages, licences, windows): each
// row has its own inputs and a remove button; "add" appends a row.
function RowList({ legend, hint, items, onChange, make, addLabel, error, render, itemName, id }) {
  const update = (i, patch) => onChange(items.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  const remove = (i) => onChange(items.filter((_, j) => j !== i));
  return html`<fieldset class=${`field worker-rows${error ? ' invalid' : ''}`} id=${id}>
    <legend>${legend}</legend>
    ${hint && html`<p class="hint">${hint}</p>`}
    ${items.length > 0 && html`<ul class="worker-row-list">
      ${items.map((it, i) => html`<li class="worker-row">
        <div class="grid2">${render(it, i, (patch) => update(i, patch))}</div>
        <button type="button" class="secondary small" onClick=${() => remove(i)}>${t('worker.profile.removeRow', { item: itemName(it, i) })}</button>
      </li>`)}
    </ul>`}
    ${error && html`<p class="field-error">${error}</p>`}
    <button type="button" class="secondary small" onClick=${() => onChange([...items, make()])}>${addLabel}</button>
  </fieldset>`;
}

// ShareWith picks the countries whose ministries may see the profile.
function ShareWith({ values, onChange, error, errors }) {
  const [pick, setPick] = useState('');
  const options = sortedCountries().filter((c) => !values.includes(c.value));
  const add = () => {
    if (!pick || values.includes(pick)) return;
    onChange([...values, pick]);
    setPick('');
  };
  return html`<div class="worker-share">
    ${values.length > 0 ? html`<ul class="chips" aria-label=${t('worker.share.listLabel')}>
      ${values.map((c, i) => html`<li class=${`chip${errors[`share_with[${i}]`] ? ' worker-chip-bad' : ''}`}>${countryName(c)}
        <button type="button" class="chip-remove" aria-label=${t('common.removeItem', { item: countryName(c) })}
          onClick=${() => onChange(values.filter((x) => x !== c))}>×</button></li>`)}
    </ul>` : html`<p class="alert info">${t('worker.share.none')}</p>`}
    <div class="row">
      <${SelectField} label=${t('worker.share.add')} value=${pick} onChange=${setPick} empty=${t('common.choose')} options=${options} />
      <button type="button" class="secondary" onClick=${add} disabled=${!pick}>${t('worker.share.addButton')}</button>
    </div>
    ${error && html`<p class="field-error">${error}</p>`}
  </div>`;
}

// CountryList picks several countries (citizenships): chips with a
// remove button, and a country select with an Add button; an error on
// one entry (citizenships[1]) marks its chip.
function CountryList({ label, listLabel, values, onChange, errors, name, hint, max }) {
  const [pick, setPick] = useState('');
  const options = sortedCountries().filter((c) => !values.includes(c.value));
  const add = () => {
    if (!pick || values.includes(pick) || values.length >= max) return;
    onChange([...values, pick]);
    setPick('');
  };
  const error = fieldError(errors, name);
  return html`<div class="worker-countries">
    ${hint && html`<p class="hint">${hint}</p>`}
    ${values.length > 0 && html`<ul class="chips" aria-label=${listLabel}>
      ${values.map((c, i) => html`<li class=${`chip${errors[`${name}[${i}]`] ? ' worker-chip-bad' : ''}`}>${countryName(c)}
        <button type="button" class="chip-remove" aria-label=${t('common.removeItem', { item: countryName(c) })}
          onClick=${() => onChange(values.filter((x) => x !== c))}>×</button></li>`)}
    </ul>`}
    <div class="row">
      <${SelectField} label=${label} value=${pick} onChange=${setPick} empty=${t('common.choose')} options=${options}
        error=${error} />
      <button type="button" class="secondary" onClick=${add} disabled=${!pick || values.length >= max}>${t('worker.share.addButton')}</button>
    </div>
  </div>`;
}

// WhatMinistriesSee says in plain words what a ministry of a country in
// share_with can and cannot see.
function WhatMinistriesSee({ countries }) {
  const names = countries.map(countryName).join(', ');
  return html`<div class="worker-sees">
    <p>${countries.length ? t('worker.share.whoSees', { countries: names }) : t('worker.share.whoSeesNone')}</p>
    <div class="grid2">
      <div>
        <h3>${t('worker.share.seesTitle')}</h3>
        <ul class="small">
          ${['name', 'profession', 'skills', 'languages', 'countries', 'experience', 'licences', 'availability', 'bio'].map((k) => html`<li>${t(`worker.share.sees.${k}`)}</li>`)}
        </ul>
      </div>
      <div>
        <h3>${t('worker.share.hiddenTitle')}</h3>
        <ul class="small">
          ${['contact', 'account', 'commitments', 'others'].map((k) => html`<li>${t(`worker.share.hidden.${k}`)}</li>`)}
        </ul>
      </div>
    </div>
  </div>`;
}

function Completeness({ c }) {
  if (!c) return null;
  return html`<section class="card worker-completeness" aria-labelledby="completeness-h">
    <h2 id="completeness-h">${t('worker.profile.completeness')}</h2>
    <label for="completeness-bar" class="small">${t('worker.profile.completenessValue', { score: fmtNumber(c.score) })}</label>
    <progress id="completeness-bar" max="100" value=${c.score}>${fmtNumber(c.score)}</progress>
    ${(c.hints || []).length > 0 ? html`<p class="small">${t('worker.profile.hintsLead')}</p>
      <ul class="small worker-hints">${c.hints.map((h) => html`<li>${hintText(h)}</li>`)}</ul>`
    : html`<p class="small">${t('worker.profile.complete')}</p>`}
  </section>`;
}

function ProfileForm({ initial, etag: initialEtag, completeness: initialC, occupations, onDeleted, onSaved }) {
  const f = useForm(initial ? toValues(initial) : blank());
  const [etag, setEtag] = useState(initialEtag);
  const [completeness, setCompleteness] = useState(initialC);
  const creating = !etag;
  const v = f.values;
  const e = f.errors;
  const countries = sortedCountries();
  const languages = sortedLanguages();
  const professions = occupations.map((o) => ({ value: o.code, label: o.names[currentLang()] || o.names.en }))
    .sort((a, b) => a.label.localeCompare(b.label, currentLang()));

  const setOrigin = (c) => {
    f.setValues((p) => ({ ...p, origin_country: c, share_with: p.share_with.length === 0 && c ? [c] : p.share_with }));
  };
  const toggleModes = (modes) => f.set('modes', ['onsite', 'virtual'].filter((m) => modes.includes(m)));

  const onSubmit = (ev) => {
    ev.preventDefault();
    f.submit(async (vals) => {
      const body = toBody(vals, creating);
      const r = creating
        ? await request('/v1/profiles/me', { method: 'PUT', body })
        : await request('/v1/profiles/me', { method: 'PATCH', body, ifMatch: etag });
      setEtag(r.etag);
      setCompleteness(r.data.completeness);
      f.setValues(toValues(r.data));
      onSaved(r.data, r.etag);
      toast(creating ? t('worker.profile.created') : t('worker.profile.saved'));
    });
  };

  // verified takes the profile after a verification request: the new
  // ETag, and each licence's verification (the user's unsaved edits stay).
  const verified = (p, tag) => {
    setEtag(tag);
    onSaved(p, tag);
    f.setValues((prev) => ({ ...prev, licences: prev.licences.map((x) => {
      const n = (p.licences || []).find((y) => y.id && y.id === x.id);
      return n ? { ...x, verification: n.verification } : x;
    }) }));
  };

  const remove = async () => {
    try {
      await request('/v1/profiles/me', { method: 'DELETE', ifMatch: etag });
      toast(t('worker.profile.deleted'));
      onDeleted();
    } catch (err) {
      f.setFormError(err instanceof ApiError ? err : new ApiError(0, {}));
    }
  };

  return html`
    <${Completeness} c=${completeness} />
    <${FormError} error=${f.formError} />
    <form onSubmit=${onSubmit} novalidate class="worker-profile">
      <section class="card" aria-labelledby="sec-about">
        <h2 id="sec-about">${t('worker.profile.about')}</h2>
        <${TextField} label=${t('worker.profile.fullName')} required autocomplete="name" value=${v.full_name}
          onInput=${(x) => f.set('full_name', x)} error=${e.full_name} />
        <${SelectField} label=${t('worker.profile.profession')} required value=${v.profession} onChange=${(x) => f.set('profession', x)}
          options=${professions} empty=${t('common.choose')} error=${e.profession} />
        <${TextField} label=${t('worker.profile.years')} type="number" min="0" max="60" inputmode="numeric" value=${v.years_experience}
          onInput=${(x) => f.set('years_experience', x)} error=${e.years_experience} />
        <${TextArea} label=${t('worker.profile.bio')} hint=${t('worker.profile.bioHint')} maxlength="2000" value=${v.bio}
          onInput=${(x) => f.set('bio', x)} error=${e.bio} />
      </section>

      <section class="card" aria-labelledby="sec-skills">
        <h2 id="sec-skills">${t('worker.profile.skillsTitle')}</h2>
        <${TagInput} label=${t('worker.profile.specialties')} kind="specialty" values=${v.specialties}
          onChange=${(x) => f.set('specialties', x)} hint=${t('worker.profile.specialtiesHint')} error=${fieldError(e, 'specialties')} max=${30} />
        <${TagInput} label=${t('worker.profile.skills')} kind="skill" values=${v.skills}
          onChange=${(x) => f.set('skills', x)} hint=${t('worker.profile.skillsHint')} error=${fieldError(e, 'skills')} max=${30} />
      </section>

      <section class="card" aria-labelledby="sec-langs">
        <h2 id="sec-langs">${t('worker.profile.languagesTitle')}</h2>
        <${RowList} legend=${t('worker.profile.languages')} hint=${t('worker.profile.languagesHint')} items=${v.languages}
          onChange=${(x) => f.set('languages', x)} make=${() => ({ code: '', level: '' })} addLabel=${t('worker.profile.addLanguage')}
          error=${e.languages} itemName=${(l, i) => (l.code ? languageName(l.code) : t('worker.profile.languageN', { n: i + 1 }))}
          render=${(l, i, up) => html`
            <${SelectField} label=${t('worker.profile.language')} value=${l.code} onChange=${(x) => up({ code: x })}
              options=${languages} empty=${t('common.choose')} error=${e[`languages[${i}].code`]} />
            <${SelectField} label=${t('worker.profile.level')} value=${l.level} onChange=${(x) => up({ level: x })}
              options=${CEFR.map((c) => ({ value: c, label: t(`worker.cefr.${c}`) }))} empty=${t('common.choose')}
              error=${e[`languages[${i}].level`]} />`} />
      </section>

      <section class="card" aria-labelledby="sec-licences">
        <h2 id="sec-licences">${t('worker.profile.licencesTitle')}</h2>
        <${RowList} legend=${t('worker.profile.licences')} hint=${t('worker.profile.licencesHint')} items=${v.licences}
          onChange=${(x) => f.set('licences', x)} make=${() => ({ country: v.residence_country || '', body: '', number: '', expires: '' })}
          addLabel=${t('worker.profile.addLicence')} error=${e.licences}
          itemName=${(l, i) => t('worker.profile.licenceN', { n: i + 1 })}
          render=${(l, i, up) => html`
            <${SelectField} label=${t('worker.profile.licenceCountry')} value=${l.country} onChange=${(x) => up({ country: x })}
              options=${countries} empty=${t('common.choose')} error=${e[`licences[${i}].country`]} />
            <${TextField} label=${t('worker.profile.licenceBody')} value=${l.body} onInput=${(x) => up({ body: x })}
              error=${e[`licences[${i}].body`]} hint=${t('worker.profile.licenceBodyHint')} />
            <${TextField} label=${t('worker.profile.licenceNumber')} value=${l.number} onInput=${(x) => up({ number: x })}
              error=${e[`licences[${i}].number`]} />
            <${TextField} label=${t('worker.profile.licenceExpires')} type="date" value=${l.expires} onInput=${(x) => up({ expires: x })}
              error=${e[`licences[${i}].expires`]} />
            <${LicenceVerification} licence=${l} onDone=${verified} />`} />
      </section>

      <section class="card" aria-labelledby="sec-avail">
        <h2 id="sec-avail">${t('worker.profile.availabilityTitle')}</h2>
        <${CheckboxGroup} legend=${t('worker.profile.modes')} values=${v.modes} onChange=${toggleModes}
          options=${[{ value: 'onsite', label: t('worker.profile.modeOnsite') }, { value: 'virtual', label: t('worker.profile.modeVirtual') }]}
          error=${fieldError(e, 'modes')} />
        ${v.modes.includes('virtual') && html`<${TextField} label=${t('worker.profile.virtualHours')} type="number" min="1" max="80"
          inputmode="numeric" value=${v.virtual_hours_per_week} onInput=${(x) => f.set('virtual_hours_per_week', x)}
          error=${e.virtual_hours_per_week} hint=${t('worker.profile.virtualHoursHint')} />`}
        <${RowList} legend=${t('worker.profile.windows')} hint=${t('worker.profile.windowsHint')} items=${v.availability}
          onChange=${(x) => f.set('availability', x)} make=${() => ({ from: '', to: '' })} addLabel=${t('worker.profile.addWindow')}
          error=${e.availability} itemName=${(w, i) => t('worker.profile.windowN', { n: i + 1 })}
          render=${(w, i, up) => html`
            <${TextField} label=${t('worker.profile.from')} type="date" value=${w.from} onInput=${(x) => up({ from: x })}
              error=${e[`availability[${i}].from`]} />
            <${TextField} label=${t('worker.profile.to')} type="date" value=${w.to} min=${w.from || undefined} onInput=${(x) => up({ to: x })}
              error=${e[`availability[${i}].to`]} />`} />
      </section>

      <section class="card" aria-labelledby="sec-where">
        <h2 id="sec-where">${t('worker.profile.whereTitle')}</h2>
        <div class="grid2">
          <${SelectField} label=${t('worker.profile.origin')} required value=${v.origin_country} onChange=${setOrigin}
            options=${countries} empty=${t('common.choose')} error=${e.origin_country} hint=${t('worker.profile.originHint')} />
          <${SelectField} label=${t('worker.profile.residence')} required value=${v.residence_country}
            onChange=${(x) => f.set('residence_country', x)} options=${countries} empty=${t('common.choose')} error=${e.residence_country} />
        </div>
        <${SelectField} label=${t('worker.profile.timezone')} required value=${v.timezone} onChange=${(x) => f.set('timezone', x)}
          options=${zones(v.timezone)} error=${e.timezone} hint=${t('worker.profile.timezoneHint')} />
        <fieldset class="field worker-stats">
          <legend>${t('worker.profile.statsTitle')}</legend>
          <p class="hint">${t('worker.profile.statsLead')}</p>
          <div class="grid2">
            <${SelectField} label=${t('worker.profile.birth')} value=${v.country_of_birth} onChange=${(x) => f.set('country_of_birth', x)}
              options=${countries} empty=${t('worker.profile.notSaid')} error=${e.country_of_birth} />
            <${SelectField} label=${t('worker.profile.training')} value=${v.country_of_training}
              onChange=${(x) => f.set('country_of_training', x)} options=${countries} empty=${t('worker.profile.notSaid')}
              error=${e.country_of_training} hint=${t('worker.profile.trainingHint')} />
          </div>
          <${CountryList} label=${t('worker.profile.citizenshipAdd')} listLabel=${t('worker.profile.citizenships')}
            values=${v.citizenships} onChange=${(x) => f.set('citizenships', x)} errors=${e} name="citizenships"
            hint=${t('worker.profile.citizenshipsHint', { max: 5 })} max=${5} />
        </fieldset>
      </section>

      <section class="card" aria-labelledby="sec-contact">
        <h2 id="sec-contact">${t('worker.profile.contactTitle')}</h2>
        <p class="hint">${t('worker.profile.contactLead')}</p>
        <div class="grid2">
          <${TextField} label=${t('worker.profile.email')} type="email" inputmode="email" autocomplete="email" value=${v.email}
            onInput=${(x) => f.set('email', x)} error=${e['contact.email']} />
          <${TextField} label=${t('worker.profile.phone')} type="tel" inputmode="tel" autocomplete="tel" value=${v.phone}
            onInput=${(x) => f.set('phone', x)} error=${e['contact.phone']} hint=${t('worker.profile.phoneHint')} />
        </div>
        <${Checkbox} label=${t('worker.profile.alerts')} checked=${v.alerts} onChange=${(x) => f.set('alerts', x)}
          hint=${t('worker.profile.alertsHint')} />
      </section>

      <section class="card" aria-labelledby="sec-share">
        <h2 id="sec-share">${t('worker.share.title')}</h2>
        <${ShareWith} values=${v.share_with} onChange=${(x) => f.set('share_with', x)} error=${e.share_with} errors=${e} />
        <${WhatMinistriesSee} countries=${v.share_with} />
      </section>

      <div class="worker-save">
        <button type="submit" disabled=${f.busy}>${f.busy ? t('worker.profile.saving') : (creating ? t('worker.profile.create') : t('worker.profile.save'))}</button>
        ${!creating && html`<${Link} href="/matches">${t('worker.profile.seeMatches')}<//>`}
      </div>
    </form>
    ${!creating && html`<section class="card worker-danger" aria-labelledby="sec-delete">
      <h2 id="sec-delete">${t('worker.profile.deleteTitle')}</h2>
      <p class="small">${t('worker.profile.deleteLead')}</p>
      <${ConfirmButton} label=${t('worker.profile.delete')} confirmLabel=${t('worker.profile.deleteConfirm')} onConfirm=${remove} />
    </section>`}`;
}

function ProfilePage() {
  const [state, setState] = useState({ loading: true, error: null, profile: null, etag: null, occupations: [], n: 0 });
  const load = async () => {
    setState((s) => ({ ...s, loading: true, error: null }));
    try {
      const occ = await loadOccupations();
      let profile = null;
      let etag = null;
      try {
        const r = await request('/v1/profiles/me');
        profile = r.data;
        etag = r.etag;
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 404)) throw err;
      }
      setState((s) => ({ loading: false, error: null, profile, etag, occupations: occ, n: s.n + 1 }));
    } catch (error) {
      setState((s) => ({ ...s, loading: false, error }));
    }
  };
  useEffect(() => { load(); }, []);
  const creating = !state.profile;
  return html`<section class="worker-page worker-profile-page">
    <${PageHeader} title=${t('worker.profile.title')} subtitle=${creating && !state.loading ? t('worker.profile.leadNew') : t('worker.profile.lead')} />
    <${ErrorBox} error=${state.error} onRetry=${load} />
    ${state.loading && html`<${Loading} />`}
    ${!state.loading && !state.error && html`<${ProfileForm} key=${state.n} initial=${state.profile} etag=${state.etag}
      completeness=${state.profile && state.profile.completeness} occupations=${state.occupations}
      onSaved=${(profile, etag) => setState((s) => ({ ...s, profile, etag }))}
      onDeleted=${() => { load(); navigate('/profile', { replace: true }); }} />`}
  </section>`;
}

export const profileRoutes = [
  { path: '/profile', view: ProfilePage, title: 'worker.profile.title', roles: ['professional'], nav: 'worker.nav.profile' },
];
