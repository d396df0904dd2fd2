// Shared building blocks. Every control has a visible label; API field
// errors appear under the control they name and the input is kept.
import { html, useState, useEffect, useRef, useCallback } from './html.js';
import { api, ApiError, query } from './api.js';
import { t, currentLang, tEnum } from './i18n.js';

let uid = 0;
const nextId = (p) => `${p}-${++uid}`;

// useAsync runs fn when deps change and keeps {data, error, loading}.
export function useAsync(fn, deps) {
  const [s, set] = useState({ data: null, error: null, loading: true });
  const [n, reload] = useState(0);
  useEffect(() => {
    let live = true;
    set((p) => ({ ...p, loading: true, error: null }));
    fn().then(
      (data) => { if (live) set({ data, error: null, loading: false }); },
      (error) => { if (live) set({ data: null, error, loading: false }); },
    );
    return () => { live = false; };
  }, [...deps, n]);
  return { ...s, reload: useCallback(() => reload((x) => x + 1), []), setData: (data) => set((p) => ({ ...p, data })) };
}

// usePagedList pages through a cursor list of the API: path(cursor) names
// the page to fetch; the list starts over when deps change.
export function usePagedList(path, deps, { delay = 0 } = {}) {
  const [items, setItems] = useState([]);
  const [next, setNext] = useState(null);
  const [state, setState] = useState({ loading: true, error: null });
  const load = async (cursor) => {
    setState({ loading: true, error: null });
    try {
      const r = await api(path(cursor));
      setItems((prev) => (cursor ? [...prev, ...r.items] : r.items));
      setNext(r.next_cursor);
      setState({ loading: false, error: null });
    } catch (error) { setState({ loading: false, error }); }
  };
  useEffect(() => {
    const id = setTimeout(() => load(), delay);
    return () => clearTimeout(id);
  }, deps);
  return { items, setItems, next, ...state, more: () => load(next), reload: () => load() };
}

// useForm keeps values, field errors from problem+json, and a busy flag.
export function useForm(initial) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState({});
  const [formError, setFormError] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (name, v) => setValues((p) => ({ ...p, [name]: v }));
  const submit = async (fn) => {
    setBusy(true);
    setFormError(null);
    setErrors({});
    try {
      return await fn(values);
    } catch (err) {
      if (err instanceof ApiError) {
        setErrors(err.fields);
        setFormError(err);
      } else {
        setFormError(new ApiError(0, {}));
        console.warn(err);
      }
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { values, setValues, set, errors, setErrors, formError, setFormError, busy, submit };
}

// fieldError finds the message for a field or any of its children
// ("languages" also shows "languages[0].level").
export function fieldError(errors, name) {
  if (!errors) return '';
  if (errors[name]) return errors[name];
  const child = Object.keys(errors).find((k) => k.startsWith(`${name}[`) || k.startsWith(`${name}.`));
  return child ? errors[child] : '';
}

function Described({ id, hint, error }) {
  return html`
    ${hint && html`<p class="hint" id=${`${id}-hint`}>${hint}</p>`}
    ${error && html`<p class="field-error" id=${`${id}-err`}>${error}</p>`}`;
}

function describedBy(id, hint, error) {
  return [hint && `${id}-hint`, error && `${id}-err`].filter(Boolean).join(' ') || undefined;
}

export function TextField({ label, value, onInput, error, hint, type = 'text', required, autocomplete, name, min, max, step, placeholder, inputmode, maxlength }) {
  const [id] = useState(() => nextId('f'));
  return html`<div class=${`field${error ? ' invalid' : ''}`}>
    <label for=${id}>${label}${required && html` <span class="req" aria-hidden="true">*</span>`}</label>
    <input id=${id} name=${name} type=${type} value=${value ?? ''} required=${required} autocomplete=${autocomplete}
      min=${min} max=${max} step=${step} placeholder=${placeholder} inputmode=${inputmode} maxlength=${maxlength}
      aria-invalid=${error ? 'true' : undefined} aria-describedby=${describedBy(id, hint, error)}
      onInput=${(e) => onInput(type === 'number' ? (e.target.value === '' ? '' : Number(e.target.value)) : e.target.value)} />
    <${Described} id=${id} hint=${hint} error=${error} />
  </div>`;
}

export function TextArea({ label, value, onInput, error, hint, rows = 4, required, name, maxlength }) {
  const [id] = useState(() => nextId('f'));
  return html`<div class=${`field${error ? ' invalid' : ''}`}>
    <label for=${id}>${label}${required && html` <span class="req" aria-hidden="true">*</span>`}</label>
    <textarea id=${id} name=${name} rows=${rows} required=${required} maxlength=${maxlength}
      aria-invalid=${error ? 'true' : undefined} aria-describedby=${describedBy(id, hint, error)}
      onInput=${(e) => onInput(e.target.value)} value=${value ?? ''}></textarea>
    <${Described} id=${id} hint=${hint} error=${error} />
  </div>`;
}

// SelectField takes options as [{value, label}].
export function SelectField({ label, value, onChange, options, error, hint, required, name, empty }) {
  const [id] = useState(() => nextId('f'));
  return html`<div class=${`field${error ? ' invalid' : ''}`}>
    <label for=${id}>${label}${required && html` <span class="req" aria-hidden="true">*</span>`}</label>
    <select id=${id} name=${name} required=${required} aria-invalid=${error ? 'true' : undefined}
      aria-describedby=${describedBy(id, hint, error)} onChange=${(e) => onChange(e.target.value)}>
      ${empty !== undefined && html`<option value="" selected=${!value}>${empty}</option>`}
      ${options.map((o) => html`<option value=${o.value} selected=${String(o.value) === String(value ?? '')}>${o.label}</option>`)}
    </select>
    <${Described} id=${id} hint=${hint} error=${error} />
  </div>`;
}

export function Checkbox({ label, checked, onChange, hint, error }) {
  const [id] = useState(() => nextId('f'));
  return html`<div class=${`field check${error ? ' invalid' : ''}`}>
    <input id=${id} type="checkbox" checked=${!!checked} aria-describedby=${describedBy(id, hint, error)}
      onChange=${(e) => onChange(e.target.checked)} />
    <label for=${id}>${label}</label>
    <${Described} id=${id} hint=${hint} error=${error} />
  </div>`;
}

// CheckboxGroup is a fieldset of checkboxes for a multi-valued field.
export function CheckboxGroup({ legend, values = [], options, onChange, error, hint }) {
  const toggle = (v, on) => onChange(on ? [...values, v] : values.filter((x) => x !== v));
  return html`<fieldset class=${`field${error ? ' invalid' : ''}`}>
    <legend>${legend}</legend>
    ${hint && html`<p class="hint">${hint}</p>`}
    <div class="checks">${options.map((o) => html`<${Checkbox} label=${o.label} checked=${values.includes(o.value)} onChange=${(on) => toggle(o.value, on)} />`)}</div>
    ${error && html`<p class="field-error">${error}</p>`}
  </fieldset>`;
}

// FormError shows an error that names no field (or all of them) at the
// top of a form, read out by screen readers.
export function FormError({ error }) {
  if (!error) return null;
  const count = Object.keys(error.fields || {}).length;
  return html`<div class="alert error" role="alert">
    <p>${count ? t('common.error.fields', { count }) : error.human}</p>
    ${error.requestId && error.status >= 500 && html`<p class="muted small">${t('common.error.reference', { id: error.requestId })}</p>`}
  </div>`;
}

export function ErrorBox({ error, onRetry }) {
  if (!error) return null;
  const text = error instanceof ApiError ? error.human : t('common.error.generic');
  return html`<div class="alert error" role="alert"><p>${text}</p>
    ${onRetry && html`<button type="button" class="secondary" onClick=${onRetry}>${t('common.retry')}</button>`}</div>`;
}

export function Loading({ label }) {
  return html`<p class="loading" role="status"><span class="spinner" aria-hidden="true"></span>${label || t('common.loading')}</p>`;
}

export function Empty({ children }) { return html`<p class="empty">${children}</p>`; }

export function Badge({ tone = 'neutral', children }) { return html`<span class=${`badge ${tone}`}>${children}</span>`; }

// StatusBadge names a status from the catalogue with a colour per family.
export function StatusBadge({ group, value }) {
  const tone = { open: 'ok', active: 'ok', accepted: 'ok', filled: 'info', pending: 'warn', draft: 'neutral', accepting: 'warn',
    declined: 'bad', withdrawn: 'neutral', expired: 'neutral', closed: 'neutral', cancelled: 'bad', suspended: 'bad' }[value] || 'neutral';
  return html`<${Badge} tone=${tone}>${tEnum(group, value)}<//>`;
}

export function PageHeader({ title, subtitle, children }) {
  return html`<header class="page-header">
    <div><h1 tabindex="-1">${title}</h1>${subtitle && html`<p class="muted">${subtitle}</p>`}</div>
    ${children && html`<div class="actions">${children}</div>`}
  </header>`;
}

// Tabs is a tablist; panels are rendered by the caller for the current tab.
export function Tabs({ tabs, current, onChange, label }) {
  const onKey = (e, i) => {
    const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!d) return;
    const next = tabs[(i + d + tabs.length) % tabs.length];
    onChange(next.id);
    requestAnimationFrame(() => document.getElementById(`tab-${next.id}`)?.focus());
  };
  return html`<div class="tabs" role="tablist" aria-label=${label}>
    ${tabs.map((tb, i) => html`<button type="button" role="tab" id=${`tab-${tb.id}`} aria-selected=${tb.id === current ? 'true' : 'false'}
      tabindex=${tb.id === current ? 0 : -1} onClick=${() => onChange(tb.id)} onKeyDown=${(e) => onKey(e, i)}>
      ${tb.label}${tb.count !== undefined && tb.count !== null && html` <span class="count">${tb.count}</span>`}</button>`)}
  </div>`;
}

// Pager shows "more" for cursor-paged lists.
export function Pager({ next, onMore, busy }) {
  if (!next) return null;
  return html`<div class="pager"><button type="button" class="secondary" disabled=${busy} onClick=${onMore}>${t('common.more')}</button></div>`;
}

let toastSet = null;
// toast announces a short confirmation ("Offer sent") in a live region.
export function toast(text, tone = 'ok') { if (toastSet) toastSet({ text, tone, at: Date.now() }); }

export function Toasts() {
  const [msg, set] = useState(null);
  useEffect(() => { toastSet = set; return () => { toastSet = null; }; }, []);
  useEffect(() => {
    if (!msg) return undefined;
    const id = setTimeout(() => set(null), 5000);
    return () => clearTimeout(id);
  }, [msg]);
  return html`<div class="toasts" role="status" aria-live="polite">${msg && html`<p class=${`toast ${msg.tone}`}>${msg.text}</p>`}</div>`;
}

// Autocomplete is an ARIA combobox over GET /v1/taxonomy/suggest. It calls
// onPick({code, label}) when a suggestion is chosen, or with the typed text
// ({code: '', label: text}) when Enter is pressed without one.
export function Autocomplete({ label, kind, onPick, hint, error, placeholder, clearOnPick = true, initial = '' }) {
  const [id] = useState(() => nextId('ac'));
  const [text, setText] = useState(initial);
  const [items, setItems] = useState([]);
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const timer = useRef(null);
  const seq = useRef(0);
  useEffect(() => () => clearTimeout(timer.current), []);
  const lookup = (q) => {
    clearTimeout(timer.current);
    if (q.trim().length < 2) { setItems([]); setOpen(false); return; }
    timer.current = setTimeout(async () => {
      const mine = ++seq.current;
      try {
        const r = await api(`/v1/taxonomy/suggest${query({ q: q.trim(), lang: currentLang(), kind, limit: 8 })}`);
        if (mine !== seq.current) return;
        setItems(r.items || []);
        setOpen(true);
        setActive(-1);
      } catch { setItems([]); }
    }, 200);
  };
  const pick = (it) => {
    clearTimeout(timer.current); // a lookup still waiting would reopen the list
    onPick(it);
    setText(clearOnPick ? '' : it.label);
    setItems([]);
    setOpen(false);
    seq.current++;
  };
  const onKey = (e) => {
    if (e.key === 'ArrowDown' && items.length) { e.preventDefault(); setOpen(true); setActive((a) => (a + 1) % items.length); }
    else if (e.key === 'ArrowUp' && items.length) { e.preventDefault(); setActive((a) => (a <= 0 ? items.length - 1 : a - 1)); }
    else if (e.key === 'Enter') {
      e.preventDefault();
      if (open && active >= 0 && items[active]) pick(items[active]);
      else if (text.trim()) pick({ code: '', label: text.trim() });
    } else if (e.key === 'Escape') { setOpen(false); }
  };
  return html`<div class=${`field autocomplete${error ? ' invalid' : ''}`}>
    <label for=${id}>${label}</label>
    <input id=${id} type="text" role="combobox" autocomplete="off" value=${text} placeholder=${placeholder}
      aria-autocomplete="list" aria-expanded=${open && items.length ? 'true' : 'false'} aria-controls=${`${id}-list`}
      aria-activedescendant=${active >= 0 ? `${id}-opt-${active}` : undefined}
      aria-invalid=${error ? 'true' : undefined} aria-describedby=${describedBy(id, hint, error)}
      onInput=${(e) => { setText(e.target.value); lookup(e.target.value); }} onKeyDown=${onKey}
      onBlur=${() => setTimeout(() => setOpen(false), 150)} />
    <ul id=${`${id}-list`} role="listbox" class=${open && items.length ? 'suggestions' : 'suggestions hidden'} aria-label=${label}>
      ${items.map((it, i) => html`<li id=${`${id}-opt-${i}`} role="option" aria-selected=${i === active ? 'true' : 'false'}
        class=${i === active ? 'active' : ''} onMouseDown=${(e) => { e.preventDefault(); pick(it); }}>
        ${it.label}${it.matched && it.matched.toLowerCase() !== it.label.toLowerCase() && html` <span class="muted small">${it.matched}</span>`}</li>`)}
    </ul>
    <${Described} id=${id} hint=${hint} error=${error} />
  </div>`;
}

// TagInput is a list of chips with an Autocomplete to add more; values
// are strings (what the API stores), shown as they are.
export function TagInput({ label, values = [], onChange, kind, hint, error, max = 50 }) {
  const add = (it) => {
    const v = (it.label || '').trim();
    if (!v || values.some((x) => x.toLowerCase() === v.toLowerCase()) || values.length >= max) return;
    onChange([...values, v]);
  };
  return html`<div class="tag-input">
    <${Autocomplete} label=${label} kind=${kind} onPick=${add} hint=${hint} error=${error} />
    ${values.length > 0 && html`<ul class="chips" aria-label=${label}>
      ${values.map((v) => html`<li class="chip">${v}
        <button type="button" class="chip-remove" aria-label=${t('common.removeItem', { item: v })}
          onClick=${() => onChange(values.filter((x) => x !== v))}>×</button></li>`)}
    </ul>`}
  </div>`;
}

// Confirm asks before an action that cannot be undone, inline, without a
// modal: the first click arms it, the second does it.
export function ConfirmButton({ label, confirmLabel, onConfirm, class: cls = 'danger', disabled }) {
  const [armed, setArmed] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!armed) return undefined;
    const id = setTimeout(() => setArmed(false), 6000);
    return () => clearTimeout(id);
  }, [armed]);
  const click = async () => {
    if (!armed) { setArmed(true); return; }
    setBusy(true);
    try { await onConfirm(); } finally { setBusy(false); setArmed(false); }
  };
  return html`<button type="button" class=${cls} disabled=${disabled || busy} onClick=${click}>${armed ? (confirmLabel || t('common.confirm')) : label}</button>`;
}

// TableWrap lets a wide table scroll sideways on a phone; the region is
// focusable and named so that keyboard users can scroll it too.
export function TableWrap({ label, children }) {
  return html`<div class="table-wrap" role="region" aria-label=${label} tabindex="0">${children}</div>`;
}
