// The overview (#/): the control plane (version, instances) and one card per mesh with its mTLS and CA, its
// observability backends, its traffic settings, its dataplanes online/offline and its policies per type. Live:
// everything refreshes every 3 s; a card is rebuilt only when what it shows changed, so focus stays put. Meshes are
// read a page at a time (GET /meshes and GET /mesh-insights, same name filter and page), so thousands of meshes
// cost one page of cards.

import {h, replace, badge, facts, table, field, expiryBadge, timeAgo, plural} from '../dom.js';
import {get, query} from '../api.js';
import {createPager, debounce} from '../pager.js';

const PAGE_SIZE = 48;

export function title() {
  return 'Overview';
}

export async function mount(root, page) {
  const state = {offset: Number(page.query.get('offset')) || 0, name: page.query.get('name') || ''};
  const instances = h('div', {id: 'control-plane'});
  const cards = h('div', {class: 'cards', id: 'mesh-cards'});
  const count = h('p', {class: 'muted', id: 'mesh-count'});
  const nameInput = h('input', {type: 'search', name: 'mesh-name', value: state.name, autocomplete: 'off',
    spellcheck: 'false'});
  const filter = field('Filter meshes by name', nameInput);
  const toolbar = h('div', {class: 'toolbar', hidden: true}, filter.field);
  const pager = createPager('meshes', (offset) => { state.offset = offset; refresh(); }, 'mesh-pager');
  const refresh = () => load().catch(() => {}); // a failure shows in the live banner on the next run

  nameInput.addEventListener('input', debounce(() => {
    state.name = nameInput.value.trim();
    state.offset = 0;
    refresh();
  }));

  const cpSummary = h('p', {id: 'cp-summary'});
  replace(root,
    h('h1', {}, 'Overview'), cpSummary,
    h('section', {'aria-labelledby': 'meshes-title'}, h('h2', {id: 'meshes-title'}, 'Meshes'), toolbar, count,
      cards, pager.el),
    h('section', {'aria-labelledby': 'cp-title'}, h('h2', {id: 'cp-title'}, 'Control-plane instances'), instances));

  const shown = new Map(); // mesh name → {card, key}

  let requests = 0; // an answer to an older filter or page is dropped

  async function load() {
    const q = query({size: PAGE_SIZE, offset: state.offset, name: state.name});
    const request = ++requests;
    const [meshes, insights, index, cps] = await Promise.all([get(`/meshes${q}`), get(`/mesh-insights${q}`),
      get('/'), get('/control-planes')]);
    if (page.disposed || request !== requests) return;
    const byName = new Map(insights.items.map((i) => [i.name, i]));
    toolbar.hidden = meshes.total <= PAGE_SIZE && !state.name && state.offset === 0;
    count.textContent = state.name ? `${plural(meshes.total, 'mesh', 'meshes')} named like “${state.name}”`
      : plural(meshes.total, 'mesh', 'meshes');
    pager.update(state.offset, PAGE_SIZE, meshes.total);
    renderCards(meshes.items, byName);
    renderInstances(index, cps.items || []);
    history.replaceState(null, '', `#/${query({name: state.name, offset: state.offset || ''})}`);
  }

  function renderCards(meshes, insights) {
    const names = new Set(meshes.map((m) => m.name));
    for (const [name, entry] of shown) {
      if (!names.has(name)) { entry.card.remove(); shown.delete(name); }
    }
    if (meshes.length === 0) {
      replace(cards, h('p', {class: 'muted'}, state.name ? 'No mesh has such a name.' : 'There are no meshes.'));
      shown.clear();
      return;
    }
    if (cards.querySelector(':scope > p')) cards.replaceChildren();
    meshes.forEach((mesh, i) => {
      const insight = insights.get(mesh.name) || {};
      const key = JSON.stringify([mesh, withoutTimes(insight), Math.floor(Date.now() / 86_400_000)]);
      let entry = shown.get(mesh.name);
      if (!entry) {
        entry = {card: meshCard(mesh.name), key: null};
        shown.set(mesh.name, entry);
      }
      if (entry.key !== key) {
        replace(entry.card.querySelector('.card-body'), meshFacts(mesh, insight));
        entry.key = key;
      }
      if (cards.children[i] !== entry.card) cards.insertBefore(entry.card, cards.children[i] || null);
    });
  }

  function renderInstances(index, items) {
    const rows = items.map((cp) => ({
      attrs: {'data-instance': cp.id},
      cells: [h('code', {}, cp.id), cp.hostname, cp.version,
        cp.leader ? badge('ok', 'leader') : badge('neutral', 'follower'),
        h('span', {title: cp.lastSeen}, timeAgo(cp.lastSeen)),
        h('span', {title: cp.startedAt}, timeAgo(cp.startedAt)),
        cp.self ? 'this page' : ''],
    }));
    replace(cpSummary, 'Ursa ', h('strong', {id: 'cp-version'}, index.version), ' · ',
      h('a', {href: '#cp-title', onclick: (e) => { e.preventDefault(); instances.scrollIntoView(); }},
        plural(items.length, 'control-plane instance')),
      ' · this page is served by ', h('code', {}, index.instanceId), ` on ${index.hostname}`);
    replace(instances,
      table('Control-plane instances', [{title: 'Id'}, {title: 'Host'}, {title: 'Version'}, {title: 'Role'},
        {title: 'Last seen'}, {title: 'Started'}, {title: 'Serves'}], rows, 'No instance is registered.'));
  }

  await page.live(load);
}

function withoutTimes(insight) {
  const {creationTime, modificationTime, ...rest} = insight;
  return rest;
}

function meshCard(name) {
  const link = h('a', {href: `#/meshes/${encodeURIComponent(name)}`, 'data-mesh-link': name}, name);
  return h('article', {class: 'card mesh-card', dataset: {mesh: name}, 'aria-label': `Mesh ${name}`},
    h('h3', {}, link), h('div', {class: 'card-body'}));
}

/** The facts of one mesh card. */
export function meshFacts(mesh, insight, {withPolicies = true} = {}) {
  const dps = insight.dataplanes || {};
  const policies = Object.entries(insight.policies || {});
  return [
    facts([
      ['mTLS', mtls(mesh, insight.meshCa)],
      ['CA', insight.meshCa ? ca(insight.meshCa) : null],
      ['Metrics', backend(mesh.metrics, 'enabledBackend')],
      ['Tracing', backend(mesh.tracing, 'defaultBackend')],
      ['Logging', backend(mesh.logging, 'defaultBackend')],
      ['Passthrough', mesh.networking?.outbound?.passthrough === false ? 'off' : 'on'],
      ['Zone egress', mesh.routing?.zoneEgress ? 'on' : 'off'],
      ['Dataplanes', h('span', {class: 'dp-counts', dataset: {online: dps.online || 0, offline: dps.offline || 0,
        total: dps.total || 0}},
      badge(dps.online ? 'ok' : 'neutral', `${dps.online || 0} online`), ' ',
      badge(dps.offline ? 'bad' : 'neutral', `${dps.offline || 0} offline`), ' ',
      dps.partiallyDegraded ? [badge('warn', `${dps.partiallyDegraded} degraded`), ' '] : null,
      `${dps.total || 0} total`)],
    ]),
    withPolicies && h('details', {class: 'policy-counts'},
      h('summary', {}, `Policies: ${policies.reduce((n, [, p]) => n + (p.total || 0), 0)}`),
      policies.length === 0 ? h('p', {class: 'muted'}, 'None.')
        : h('ul', {class: 'counts'}, policies.map(([type, p]) => h('li', {dataset: {policyType: type}},
          `${type}: ${p.total}`)))),
  ];
}

function mtls(mesh, meshCa) {
  const name = mesh.mtls?.enabledBackend;
  if (!name) return badge('neutral', 'off');
  const spec = (mesh.mtls.backends || []).find((b) => b.name === name) || {};
  const type = meshCa?.type || spec.type || 'unknown type';
  const mode = meshCa?.mode || spec.mode || 'STRICT';
  return h('span', {}, badge(mode === 'STRICT' ? 'ok' : 'warn', mode), ' ', `${name} (${type})`);
}

function ca(meshCa) {
  if (meshCa.error) return h('span', {class: 'error-text ca-error'}, badge('bad', 'unreadable'), ' ', meshCa.error);
  const fp = meshCa.fingerprint || '';
  const short = fp.length > 23 ? `${fp.slice(0, 11)}…${fp.slice(-11)}` : fp;
  return h('span', {}, h('code', {class: 'ca-fingerprint', title: `SHA-256 ${fp}`}, short), ' ',
    expiryBadge(meshCa.notAfter));
}

/** The enabled (metrics) or default (tracing, logging) backend as "name (type)", or "none". */
function backend(section, enabledField) {
  const backends = section?.backends || [];
  if (backends.length === 0) return h('span', {class: 'muted'}, 'none');
  const enabled = section[enabledField];
  const chosen = backends.find((b) => b.name === enabled);
  if (enabledField === 'enabledBackend') {
    return chosen ? `${chosen.name} (${chosen.type})` : h('span', {class: 'muted'}, 'none enabled');
  }
  const first = chosen || backends[0];
  const others = backends.length - 1;
  return `${first.name} (${first.type})${others ? `, +${others} more` : ''}`;
}
