// The worker's home: open assignments ranked for her profile, each with
// the explanation, and "I'm interested"; and one opportunity in detail.
import { html, useEffect, useState } from '../../html.js';
import { api, query, ApiError } from '../../api.js';
import { t, fmtPercent } from '../../i18n.js';
import { Link, navigate } from '../../router.js';
import { PageHeader, Loading, ErrorBox, Empty, Pager, StatusBadge } from '../../ui.js';
import { loadOccupations, AssignmentFacts, Explanation, InterestButton } from './common.js';

function Score({ score, id }) {
  return html`<div class="worker-score">
    <label for=${`score-${id}`} class="small">${t('worker.matches.fit', { score: fmtPercent(score) })}</label>
    <meter id=${`score-${id}`} min="0" max="1" low="0.4" high="0.7" optimum="1" value=${score}>${fmtPercent(score)}</meter>
  </div>`;
}

function NoProfile() {
  return html`<div class="card">
    <p>${t('worker.matches.noProfile')}</p>
    <p><${Link} href="/profile" class="button">${t('worker.matches.createProfile')}<//></p>
  </div>`;
}

function Matches({ account }) {
  const [items, setItems] = useState([]);
  const [next, setNext] = useState(null);
  const [occ, setOcc] = useState([]);
  const [state, setState] = useState({ loading: true, error: null, noProfile: false });
  const load = async (cursor) => {
    setState({ loading: true, error: null, noProfile: false });
    try {
      const [r, o] = await Promise.all([
        api(`/v1/profiles/me/matches${query({ cursor, limit: 10 })}`),
        loadOccupations().catch(() => []),
      ]);
      setOcc(o);
      setItems((prev) => (cursor ? [...prev, ...r.items] : r.items));
      setNext(r.next_cursor);
      setState({ loading: false, error: null, noProfile: false });
    } catch (error) {
      // A worker without a profile has no matches: her home is the editor.
      if (error instanceof ApiError && error.status === 404 && !cursor) navigate('/profile', { replace: true });
      else if (error instanceof ApiError && error.status === 404) setState({ loading: false, error: null, noProfile: true });
      else setState({ loading: false, error, noProfile: false });
    }
  };
  useEffect(() => { load(); }, []);
  return html`<section class="worker-page">
    <${PageHeader} title=${t('worker.matches.title')} subtitle=${t('worker.matches.lead')}>
      <${Link} href="/profile" class="button secondary">${t('worker.matches.editProfile')}<//>
    <//>
    <${ErrorBox} error=${state.error} onRetry=${() => load()} />
    ${state.noProfile && html`<${NoProfile} />`}
    ${!state.loading && !state.error && !state.noProfile && items.length === 0 && html`<${Empty}>${t('worker.matches.empty')}<//>`}
    ${items.length > 0 && html`<ul class="list worker-matches">
      ${items.map(({ assignment: a, score, explanation }) => html`<li>
        <article aria-labelledby=${`m-${a.id}`}>
          <h2 id=${`m-${a.id}`} class="worker-card-title"><${Link} href=${`/opportunities/${a.id}`}>${a.title}<//></h2>
          <${Score} score=${score} id=${a.id} />
          <${AssignmentFacts} a=${a} occupations=${occ} compact />
          <${Explanation} a=${a} ex=${explanation} />
          <div class="actions">
            <${InterestButton} id=${a.id} account=${account} title=${a.title} />
            <${Link} href=${`/opportunities/${a.id}`} class="button secondary small">${t('worker.matches.details')}<//>
          </div>
        </article>
      </li>`)}
    </ul>`}
    ${state.loading && html`<${Loading} />`}
    <${Pager} next=${next} busy=${state.loading} onMore=${() => load(next)} />
  </section>`;
}

// Opportunity shows one assignment; its explanation comes from the
// worker's match list when the assignment is in it.
function Opportunity({ id, account }) {
  const [state, setState] = useState({ loading: true, error: null, a: null, match: null, occ: [] });
  const load = async () => {
    setState((s) => ({ ...s, loading: true, error: null }));
    try {
      const [a, m, occ] = await Promise.all([
        api(`/v1/assignments/${encodeURIComponent(id)}`),
        api(`/v1/profiles/me/matches${query({ limit: 50 })}`).catch(() => ({ items: [] })),
        loadOccupations().catch(() => []),
      ]);
      const match = (m.items || []).find((x) => x.assignment.id === id) || null;
      setState({ loading: false, error: null, a, match, occ });
    } catch (error) {
      setState((s) => ({ ...s, loading: false, error }));
    }
  };
  useEffect(() => { load(); }, [id]);
  const { a, match } = state;
  if (state.loading) return html`<${Loading} />`;
  if (state.error) {
    return html`<section class="worker-page"><${PageHeader} title=${t('worker.opportunity.title')} />
      ${state.error.status === 404 ? html`<${Empty}>${t('worker.opportunity.gone')}<//>` : html`<${ErrorBox} error=${state.error} onRetry=${load} />`}
      <p><${Link} href="/matches">${t('worker.opportunity.back')}<//></p></section>`;
  }
  return html`<section class="worker-page">
    <p class="small"><${Link} href="/matches">${t('worker.opportunity.back')}<//></p>
    <${PageHeader} title=${a.title} subtitle=${a.organization}>
      <${StatusBadge} group="assignment" value=${a.status} />
    <//>
    <div class="cols">
      <div>
        <section class="card" aria-labelledby="opp-about">
          <h2 id="opp-about">${t('worker.opportunity.about')}</h2>
          ${a.description && html`<p class="worker-prewrap">${a.description}</p>`}
          <${AssignmentFacts} a=${a} occupations=${state.occ} />
          ${(a.required_skills || []).length > 0 && html`<h3>${t('worker.opportunity.required')}</h3>
            <ul class="explain">${a.required_skills.map((s) => html`<li class="skill">${s}</li>`)}</ul>`}
          ${(a.preferred_skills || []).length > 0 && html`<h3>${t('worker.opportunity.preferred')}</h3>
            <ul class="explain">${a.preferred_skills.map((s) => html`<li class="skill">${s}</li>`)}</ul>`}
        </section>
      </div>
      <div>
        <section class="card" aria-labelledby="opp-fit">
          <h2 id="opp-fit">${t('worker.opportunity.fit')}</h2>
          ${match ? html`<${Score} score=${match.score} id=${a.id} /><${Explanation} a=${a} ex=${match.explanation} />`
            : html`<p class="small">${t('worker.opportunity.noMatch')}</p>`}
          ${a.status === 'open' && html`<${InterestButton} id=${a.id} account=${account} />`}
        </section>
      </div>
    </div>
  </section>`;
}

export const matchRoutes = [
  { path: '/matches', view: Matches, title: 'worker.matches.title', roles: ['professional'], nav: 'worker.nav.matches' },
  { path: '/opportunities/:id', view: Opportunity, title: 'worker.opportunity.title', roles: ['professional'] },
];
