// The catalogue of the chosen language, t() to look strings up, and Intl
// formatters. A missing key renders as ⟦key⟧, which the browser tests
// look for, so a forgotten string cannot hide.
export const LANGS = ['en', 'fr', 'pt'];
const STORE_KEY = 'sankofa.lang';
const base = new URL('../i18n/', import.meta.url);

let lang = 'en';
let strings = {};
const listeners = new Set();

function flatten(obj, prefix, out) {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') flatten(v, key, out);
    else out[key] = String(v);
  }
  return out;
}

// pickLang chooses the stored choice, then the browser's languages (which
// are what it sends as Accept-Language), then English.
export function pickLang() {
  const stored = localStorage.getItem(STORE_KEY);
  if (LANGS.includes(stored)) return stored;
  for (const l of navigator.languages || [navigator.language || 'en']) {
    const short = String(l).slice(0, 2).toLowerCase();
    if (LANGS.includes(short)) return short;
  }
  return 'en';
}

// setLang loads a catalogue and re-renders everything that listens.
export async function setLang(next, { remember = true } = {}) {
  if (!LANGS.includes(next)) next = 'en';
  const res = await fetch(new URL(`${next}.json`, base));
  if (!res.ok) throw new Error(`catalogue ${next}: ${res.status}`);
  strings = flatten(await res.json(), '', {});
  lang = next;
  if (remember) localStorage.setItem(STORE_KEY, next);
  document.documentElement.lang = next;
  listeners.forEach((fn) => fn(lang));
}

export function currentLang() { return lang; }

export function onLang(fn) { listeners.add(fn); return () => listeners.delete(fn); }

// t returns the string for key with {name} placeholders filled in.
export function t(key, vars) {
  let s = strings[key];
  if (s === undefined) return `⟦${key}⟧`;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
  return s;
}

// has tells whether a key exists, for optional texts such as enum values.
export function has(key) { return strings[key] !== undefined; }

// tEnum names a server enum value (a status, a mode...) in the catalogue,
// falling back to the raw value for a value the catalogue does not know.
export function tEnum(group, value) {
  const key = `enum.${group}.${value}`;
  return has(key) ? t(key) : String(value ?? '');
}

const cache = new Map();
function fmt(kind, opts, make) {
  const k = `${lang}|${kind}|${JSON.stringify(opts)}`;
  if (!cache.has(k)) cache.set(k, make());
  return cache.get(k);
}

export function fmtDate(v, opts = { dateStyle: 'medium' }) {
  if (!v) return '';
  const d = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00Z`) : new Date(v);
  if (Number.isNaN(d.getTime())) return String(v);
  const o = typeof v === 'string' && v.length === 10 ? { ...opts, timeZone: 'UTC' } : opts;
  return fmt('date', o, () => new Intl.DateTimeFormat(lang, o)).format(d);
}

export function fmtDateTime(v) { return fmtDate(v, { dateStyle: 'medium', timeStyle: 'short' }); }

export function fmtNumber(n, opts = {}) {
  return fmt('num', opts, () => new Intl.NumberFormat(lang, opts)).format(n);
}

export function fmtPercent(x) { return fmtNumber(x, { style: 'percent', maximumFractionDigits: 0 }); }

// fmtRelative says "3 days ago" or "in 2 hours" in the current language.
export function fmtRelative(v) {
  const d = new Date(v);
  const secs = (d.getTime() - Date.now()) / 1000;
  const rtf = fmt('rel', {}, () => new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }));
  const units = [['year', 31536000], ['month', 2592000], ['week', 604800], ['day', 86400], ['hour', 3600], ['minute', 60]];
  for (const [unit, s] of units) if (Math.abs(secs) >= s) return rtf.format(Math.round(secs / s), unit);
  return rtf.format(Math.round(secs), 'second');
}

// countryName and languageName use Intl.DisplayNames, so that every ISO
// code reads in the user's language without a catalogue of 250 names.
export function countryName(code) {
  if (!code) return '';
  try { return fmt('region', {}, () => new Intl.DisplayNames([lang], { type: 'region' })).of(code.toUpperCase()) || code; } catch { return code; }
}

export function languageName(code) {
  if (!code) return '';
  try { return fmt('language', {}, () => new Intl.DisplayNames([lang], { type: 'language' })).of(code) || code; } catch { return code; }
}

// countryCodes lists the ISO 3166-1 alpha-2 codes, for country pickers.
export const countryCodes = ('AD AE AF AG AI AL AM AO AR AT AU AZ BA BB BD BE BF BG BH BI BJ BN BO BR BS BT BW BY BZ CA CD CF CG CH CI CL CM CN CO CR CU CV CY CZ DE DJ DK DM DO DZ EC EE EG ER ES ET FI FJ FM FR GA GB GD GE GH GM GN GQ GR GT GW GY HK HN HR HT HU ID IE IL IN IQ IR IS IT JM JO JP KE KG KH KI KM KN KP KR KW KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MG MH MK ML MM MN MR MT MU MV MW MX MY MZ NA NE NG NI NL NO NP NR NZ OM PA PE PG PH PK PL PS PT PW PY QA RO RS RU RW SA SB SC SD SE SG SI SK SL SM SN SO SR SS ST SV SY SZ TD TG TH TJ TL TM TN TO TR TT TV TW TZ UA UG US UY UZ VA VC VE VN VU WS YE ZA ZM ZW').split(' ');
