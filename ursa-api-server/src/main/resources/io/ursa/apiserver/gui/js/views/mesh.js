// A mesh (#/meshes/{mesh}): its Dataplanes a page at a time (GET .../dataplanes+insights with size, offset, name and
// tag, so 10,000 Dataplanes cost one page of 50), its services (service-insights) and its policies per type
// (mesh-insights). Live every 3 s; only the table bodies are rebuilt, so the filter inputs keep their text and focus.
// The filters and the page are kept in the address (replaceState, no reload), so a filtered view can be bookmarked.

import {h, replace, badge, table, field, setFieldError, plural} from '../dom.js';
import {get, query, seg} from '../api.js';
import {createPager, debounce} from '../pager.js';
import {certificateBadge, dataplaneStatus, dataplaneTags, lastSubscription, statusBadge, tagChips, xdsSummary}
  from '../proxy-status.js';
import {meshFacts} from './overview.js';

export const PAGE_SIZE = 50;

export function title(params) {
  return `Mesh ${params.mesh}`;
}

/** "kuma.io/service=web version:2 zone" → ["kuma.io/service:web", "version:2", "zone:*"]; throws on "=web". */
export function parseTagFilter(text) {
  return text.split(/[\s,]+/).filter(Boolean).map((entry) => {
    const at = entry.search(/[=:]/);
    if (at === 0) throw new Error(`"${entry}" has no tag name (expected: key=value or key:value)`);
    if (at < 0) return `${entry}:*`;
    return `${entry.slice(0, at)}:${entry.slice(at + 1) || '*'}`;
  });
}

export async function mount(root, page) {
  const mesh = page.params.mesh;
  const state = {offset: Number(page.query.get('offset')) || 0, name: page.query.get('name') || '',
    tag: page.query.get('tag') || '', tags: []};
  const nameField = field('Name contains', h('input', {type: 'search', id: 'dp-filter-name', value: state.name,
    autocomplete: 'off', spellcheck: 'false'}));
  const tagField = field('Tags', h('input', {type: 'search', id: 'dp-filter-tag', value: state.tag,
    autocomplete: 'off', spellcheck: 'false', placeholder: 'kuma.io/service=web'}),
  'key=value or key:value; several separated by spaces');
  const summary = h('div', {id: 'mesh-summary'});
  const dpCount = h('p', {class: 'muted', id: 'dataplane-count', 'aria-live': 'polite'});
  const dpTable = h('div', {id: 'dataplanes'});
  const services = h('div', {id: 'services'});
  const policies = h('div', {id: 'policies'});
  const pager = createPager('Dataplanes', (offset) => { state.offset = offset; reloadNow(); }, 'dataplane-pager');
  const reloadNow = () => loadDataplanes().catch((e) => replace(dpTable, errorLine(e)));

  try {
    state.tags = parseTagFilter(state.tag);
  } catch (e) {
    setFieldError(tagField, e.message);
  }
  const onFilter = debounce(() => {
    try {
      state.tags = parseTagFilter(tagField.input.value);
      setFieldError(tagField, '');
    } catch (e) {
      setFieldError(tagField, e.message);
      return;
    }
    state.name = nameField.input.value.trim();
    state.tag = tagField.input.value.trim();
    state.offset = 0;
    reloadNow();
  });
  nameField.input.addEventListener('input', onFilter);
  tagField.input.addEventListener('input', onFilter);

  replace(root,
    h('p', {class: 'crumbs'}, h('a', {href: '#/'}, 'Overview'), ' › ', `Mesh ${mesh}`),
    h('h1', {}, 'Mesh ', h('span', {class: 'mono'}, mesh)),
    summary,
    h('section', {'aria-labelledby': 'dataplanes-title'},
      h('h2', {id: 'dataplanes-title'}, 'Dataplanes'),
      h('form', {class: 'toolbar filters', role: 'search', 'aria-label': 'Filter Dataplanes', onsubmit: (e) => e.preventDefault()},
        nameField.field, tagField.field),
      dpCount, pager.el, dpTable),
    h('section', {'aria-labelledby': 'services-title'}, h('h2', {id: 'services-title'}, 'Services'), services),
    h('section', {'aria-labelledby': 'policies-title'}, h('h2', {id: 'policies-title'}, 'Policies'), policies));

  let resourceTypes = null;
  let lastDataplanesKey = null;
  let lastSummaryKey = null;
  let requests = 0; // an answer to an older filter or page is dropped

  async function loadDataplanes() {
    const q = query({size: PAGE_SIZE, offset: state.offset, name: state.name, tag: state.tags});
    const request = ++requests;
    const answer = await get(`/meshes/${seg(mesh)}/dataplanes+insights${q}`);
    if (page.disposed || request !== requests) return;
    if (answer.items.length === 0 && state.offset > 0 && answer.total > 0) { // the last page emptied
      state.offset = Math.max(0, Math.floor((answer.total - 1) / PAGE_SIZE) * PAGE_SIZE);
      return loadDataplanes();
    }
    const filtered = state.name || state.tags.length;
    dpCount.textContent = filtered ? `${plural(answer.total, 'Dataplane')} match the filter`
      : plural(answer.total, 'Dataplane');
    pager.update(state.offset, PAGE_SIZE, answer.total);
    const key = JSON.stringify([answer.items, Math.floor(Date.now() / 60_000)]);
    if (key !== lastDataplanesKey) {
      lastDataplanesKey = key;
      replace(dpTable, dataplanesTable(mesh, answer.items, filtered));
    }
    history.replaceState(null, '', `#/meshes/${seg(mesh)}${query({name: state.name, tag: state.tag,
      offset: state.offset || ''})}`);
  }

  async function loadRest() {
    const [meshSpec, insight, serviceList] = await Promise.all([get(`/meshes/${seg(mesh)}`),
      get(`/mesh-insights/${seg(mesh)}`), get(`/meshes/${seg(mesh)}/service-insights?size=200`)]);
    resourceTypes ||= await get('/_resources').then((r) => r.resources).catch(() => []);
    if (page.disposed) return;
    const {creationTime, modificationTime, ...counts} = insight;
    const summaryKey = JSON.stringify([meshSpec, counts]);
    if (summaryKey !== lastSummaryKey) {
      lastSummaryKey = summaryKey;
      replace(summary, h('div', {class: 'panel mesh-facts'}, meshFacts(meshSpec, insight, {withPolicies: false})));
    }
    replace(services, servicesTable(serviceList));
    replace(policies, policiesTable(mesh, insight.policies || {}, resourceTypes));
  }

  await page.live(async () => {
    await Promise.all([loadDataplanes(), loadRest()]);
  });
}

function errorLine(e) {
  return h('div', {class: 'alert bad', role: 'alert'}, e.describe ? e.describe() : e.message);
}

function dataplanesTable(mesh, items, filtered) {
  const rows = items.map((o) => {
    const status = dataplaneStatus(o);
    const sub = lastSubscription(o.dataplaneInsight);
    const xds = xdsSummary(sub);
    const cert = o.dataplaneInsight?.mTLS?.certificateExpirationTime;
    return {
      attrs: {'data-dataplane': o.name},
      cells: [
        h('a', {href: `#/meshes/${seg(mesh)}/dataplanes/${seg(o.name)}`}, o.name),
        h('span', {dataset: {status}}, statusBadge(status)),
        h('span', {class: 'tag-list'}, o.dataplane?.networking?.gateway ? badge('neutral', 'gateway') : null,
          tagChips(dataplaneTags(o.dataplane))),
        sub ? h('code', {title: sub.controlPlaneInstanceId}, shortId(sub.controlPlaneInstanceId)) : '—',
        sub ? xdsCell(xds) : h('span', {class: 'muted'}, 'never connected'),
        cert ? certificateBadge(cert) : h('span', {class: 'muted'}, 'none'),
      ],
    };
  });
  return table('Dataplanes of the mesh', [{title: 'Name'}, {title: 'Status'}, {title: 'Tags'},
    {title: 'Control plane'}, {title: 'xDS'}, {title: 'Certificate'}], rows,
  filtered ? 'No Dataplane matches the filter.' : 'This mesh has no Dataplanes.');
}

function xdsCell(xds) {
  return h('span', {class: 'xds-cell'}, `ACK ${xds.acked} · NACK ${xds.nacked}`,
    xds.rejection ? [h('br'), h('span', {class: 'badge warn nack', title: xds.rejection.error},
      `NACK ${xds.rejection.type.toUpperCase()}: ${truncate(xds.rejection.error, 60)}`)] : null);
}

function truncate(text, n) {
  const s = String(text || '');
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function shortId(id) {
  return id && id.length > 13 ? `${id.slice(0, 8)}…` : id || '—';
}

const SERVICE_STATUS = {online: 'ok', offline: 'bad', partially_degraded: 'warn', not_available: 'neutral'};

function servicesTable(list) {
  const rows = list.items.map((s) => ({
    attrs: {'data-service': s.name},
    cells: [s.name, badge(SERVICE_STATUS[s.status] || 'neutral', s.status.replace('_', ' ')),
      s.serviceType ? s.serviceType.replace('_', ' ') : 'internal',
      `${s.dataplanes?.online || 0} of ${s.dataplanes?.total || 0}`, s.addressPort ? h('code', {}, s.addressPort) : ''],
  }));
  return [table('Services of the mesh', [{title: 'Service'}, {title: 'Status'}, {title: 'Type'},
    {title: 'Instances online', num: true}, {title: 'Address'}], rows, 'No services.'),
  list.total > list.items.length ? h('p', {class: 'muted'}, `The first ${list.items.length} of ${list.total}.`) : null];
}

function policiesTable(mesh, counts, types) {
  const byName = new Map(types.map((t) => [t.name, t]));
  const rows = Object.entries(counts).map(([type, c]) => {
    const t = byName.get(type);
    const label = t?.pluralDisplayName || type;
    return {
      attrs: {'data-policy-type': type},
      cells: [t ? h('a', {href: `#/resources/${seg(t.path)}?mesh=${encodeURIComponent(mesh)}`}, label) : label,
        String(c.total)],
    };
  });
  return table('Policies of the mesh by type', [{title: 'Type'}, {title: 'Count', num: true}], rows,
    'This mesh has no policies.');
}
