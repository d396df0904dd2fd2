// The observatory's charts: inline SVG drawn here, with no library and no
// style attribute (the CSP forbids inline styles; colours are classes of
// app.css). Each chart is an image with a name; its figures are also in a
// table beside it, for screen readers and for copying. A hidden
// (suppressed) count is hatched, never drawn as 0.
import { html, useEffect, useRef, useState } from '../../html.js';
import { fmtNumber } from '../../i18n.js';

let uid = 0;

// useWidth follows the width of the element ref points at, so that a
// chart is drawn at the size it is shown (text stays legible on a phone).
export function useWidth(fallback = 640) {
  const ref = useRef(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const measure = () => { const w = Math.floor(el.clientWidth); if (w > 0) setWidth(w); };
    measure();
    if (typeof ResizeObserver !== 'function') return undefined;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

// clip shortens a label to n characters, with an ellipsis.
const clip = (s, n) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

// Hatch is the pattern of a hidden count.
function Hatch({ id }) {
  return html`<defs><pattern id=${id} patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
    <rect width="6" height="6" class="obs-hatch-bg" /><line x1="0" y1="0" x2="0" y2="6" class="obs-hatch-line" /></pattern></defs>`;
}

// heat is the shade (1-5) of a count against the largest one.
function heat(n, max) {
  if (!n || !max) return 0;
  return Math.min(5, Math.max(1, Math.ceil((5 * n) / max)));
}

// Matrix draws a heat map: rows × cols, value(r, c) giving
// {count, suppressed} or null for an absent (zero) cell. rowName and
// colName name a key; hidden is the short word for a hidden cell.
export function Matrix({ title, rows, cols, value, rowName, colName, hidden, zeroLabel, dataKeys = ['row', 'col'] }) {
  const [hatch] = useState(() => `obs-hatch-${++uid}`);
  const [titleId] = useState(() => `obs-title-${uid}`);
  const cell = 40;
  const left = 132;
  const top = 96;
  const width = left + cols.length * cell + 72; // room for the last column's slanted name
  const height = top + rows.length * cell + 8;
  let max = 0;
  for (const r of rows) for (const c of cols) { const v = value(r, c); if (v && !v.suppressed && v.count > max) max = v.count; }
  return html`<svg class="obs-svg obs-matrix" role="img" aria-labelledby=${titleId} width=${width} height=${height}
    viewBox=${`0 0 ${width} ${height}`} xmlns="http://www.w3.org/2000/svg">
    <title id=${titleId}>${title}</title>
    <${Hatch} id=${hatch} />
    ${cols.map((c, j) => html`<text class="obs-axis" transform=${`translate(${left + j * cell + cell / 2 + 4},${top - 6}) rotate(-45)`}>
      <title>${colName(c)}</title>${clip(colName(c), 14)}</text>`)}
    ${rows.map((r, i) => html`<text class="obs-axis" x=${left - 6} y=${top + i * cell + cell / 2 + 4} text-anchor="end">
      <title>${rowName(r)}</title>${clip(rowName(r), 17)}</text>`)}
    ${rows.map((r, i) => cols.map((c, j) => {
      const v = value(r, c);
      const x = left + j * cell;
      const y = top + i * cell;
      const attrs = { [`data-${dataKeys[0]}`]: r, [`data-${dataKeys[1]}`]: c };
      if (v && v.suppressed) {
        return html`<g class="obs-cell obs-suppressed" ...${attrs} data-suppressed="true">
          <rect x=${x + 1} y=${y + 1} width=${cell - 2} height=${cell - 2} fill=${`url(#${hatch})`} class="obs-hatched" />
          <title>${rowName(r)} → ${colName(c)}: ${hidden}</title></g>`;
      }
      const n = v ? v.count : 0;
      const shade = heat(n, max);
      return html`<g class=${`obs-cell obs-heat-${shade}`} ...${attrs} data-count=${n}>
        <rect x=${x + 1} y=${y + 1} width=${cell - 2} height=${cell - 2} />
        ${n > 0 && html`<text x=${x + cell / 2} y=${y + cell / 2 + 4} text-anchor="middle">${fmtNumber(n)}</text>`}
        <title>${rowName(r)} → ${colName(c)}: ${n > 0 ? fmtNumber(n) : zeroLabel}</title></g>`;
    }))}
  </svg>`;
}

// Bars draws grouped horizontal bars: one group per row ({key, label,
// values: {seriesId: {count, suppressed}}}), one bar per series ({id,
// label, cls}). A hidden value is a hatched track with the word hidden.
export function Bars({ title, rows, series, hidden, width: outer }) {
  const [hatch] = useState(() => `obs-hatch-${++uid}`);
  const [titleId] = useState(() => `obs-title-${uid}`);
  const width = Math.max(300, outer);
  const labelH = 20;
  const bar = 16;
  const gap = 3;
  const groupH = labelH + series.length * (bar + gap) + 10;
  const left = 8;
  const right = 56;
  const plot = width - left - right;
  let max = 0;
  for (const r of rows) for (const s of series) { const v = r.values[s.id]; if (v && !v.suppressed && v.count > max) max = v.count; }
  const scale = (n) => (max ? (n / max) * plot : 0);
  const height = rows.length * groupH + 4;
  return html`<svg class="obs-svg obs-bars" role="img" aria-labelledby=${titleId} width=${width} height=${height}
    viewBox=${`0 0 ${width} ${height}`} xmlns="http://www.w3.org/2000/svg">
    <title id=${titleId}>${title}</title>
    <${Hatch} id=${hatch} />
    ${rows.map((r, i) => {
      const y0 = i * groupH;
      return html`<g class="obs-group" data-key=${r.key}>
        <text class="obs-axis obs-group-label" x=${left} y=${y0 + 14}>${clip(r.label, Math.floor(width / 8))}<title>${r.label}</title></text>
        ${series.map((s, j) => {
          const v = r.values[s.id] || { count: 0, suppressed: false };
          const y = y0 + labelH + j * (bar + gap);
          if (v.suppressed) {
            return html`<g class="obs-bar obs-suppressed" data-series=${s.id} data-suppressed="true">
              <rect x=${left} y=${y} width=${Math.min(48, plot)} height=${bar} fill=${`url(#${hatch})`} class="obs-hatched" />
              <text class="obs-value obs-hidden-label" x=${left + Math.min(48, plot) + 4} y=${y + bar - 4}>${hidden}</text>
              <title>${r.label}, ${s.label}: ${hidden}</title></g>`;
          }
          const w = scale(v.count);
          return html`<g class="obs-bar" data-series=${s.id} data-count=${v.count}>
            <rect x=${left} y=${y} width=${Math.max(w, v.count > 0 ? 2 : 0)} height=${bar} class=${s.cls} />
            <text class="obs-value" x=${left + w + 4} y=${y + bar - 4}>${fmtNumber(v.count)}</text>
            <title>${r.label}, ${s.label}: ${fmtNumber(v.count)}</title></g>`;
        })}
      </g>`;
    })}
  </svg>`;
}

// Columns draws one column per point ({key, label, count, suppressed}) on
// a time axis, with a few gridlines; a hidden point is a hatched column
// of the plot's full height.
export function Columns({ title, points, hidden, width: outer }) {
  const [hatch] = useState(() => `obs-hatch-${++uid}`);
  const [titleId] = useState(() => `obs-title-${uid}`);
  const width = Math.max(300, outer);
  const left = 44;
  const bottom = 40;
  const top = 12;
  const plotH = 180;
  const height = top + plotH + bottom;
  const plotW = width - left - 8;
  const step = points.length ? plotW / points.length : plotW;
  const colW = Math.max(2, Math.min(40, step * 0.7));
  let max = 0;
  for (const p of points) if (!p.suppressed && p.count > max) max = p.count;
  const ticks = niceTicks(max);
  const top0 = ticks[ticks.length - 1] || 1;
  const y = (n) => top + plotH - (n / top0) * plotH;
  const every = Math.max(1, Math.ceil(points.length / Math.floor(plotW / 64)));
  return html`<svg class="obs-svg obs-columns" role="img" aria-labelledby=${titleId} width=${width} height=${height}
    viewBox=${`0 0 ${width} ${height}`} xmlns="http://www.w3.org/2000/svg">
    <title id=${titleId}>${title}</title>
    <${Hatch} id=${hatch} />
    ${ticks.map((n) => html`<g class="obs-tick"><line x1=${left} x2=${width - 8} y1=${y(n)} y2=${y(n)} class="obs-grid" />
      <text class="obs-axis" x=${left - 6} y=${y(n) + 4} text-anchor="end">${fmtNumber(n)}</text></g>`)}
    ${points.map((p, i) => {
      const x = left + i * step + (step - colW) / 2;
      const label = i % every === 0 && html`<text class="obs-axis" x=${x + colW / 2} y=${top + plotH + 16} text-anchor="middle">${p.label}</text>`;
      if (p.suppressed) {
        return html`<g class="obs-col obs-suppressed" data-key=${p.key} data-suppressed="true">
          <rect x=${x} y=${top} width=${colW} height=${plotH} fill=${`url(#${hatch})`} class="obs-hatched" opacity="0.6" />
          ${label}<title>${p.long || p.label}: ${hidden}</title></g>`;
      }
      return html`<g class="obs-col" data-key=${p.key} data-count=${p.count}>
        <rect x=${x} y=${y(p.count)} width=${colW} height=${top + plotH - y(p.count)} class="obs-series-1" />
        ${label}<title>${p.long || p.label}: ${fmtNumber(p.count)}</title></g>`;
    })}
    <line x1=${left} x2=${width - 8} y1=${top + plotH} y2=${top + plotH} class="obs-baseline" />
  </svg>`;
}

// niceTicks gives 0 and a few round values up to at least max.
function niceTicks(max) {
  if (!max) return [0, 10];
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const out = [];
  for (let n = 0; n < max + step; n += step) out.push(n);
  return out;
}

// Legend names the series of a chart by their colour.
// An item with hatch: true is the hatching of a hidden count.
export function Legend({ items }) {
  const [hatch] = useState(() => `obs-hatch-${++uid}`);
  return html`<ul class="obs-legend">${items.map((it) => html`<li>
    <svg width="14" height="14" aria-hidden="true" focusable="false">${it.hatch && html`<${Hatch} id=${hatch} />`}
      <rect width="14" height="14" class=${it.hatch ? 'obs-hatched' : it.cls} fill=${it.hatch ? `url(#${hatch})` : undefined} /></svg>${it.label}</li>`)}</ul>`;
}
