// A Dataplane (#/meshes/{mesh}/dataplanes/{name}): its status from dataplanes+insights (live, every 3 s), the
// policies that match it (GET .../policies, see dataplane-policies.js) and the configuration its proxy is served
// (GET .../xds, see dataplane-config.js). Those two refresh every 15 s or on their Refresh button, and are rebuilt
// only when the answer changed, so an open <details> stays open.

import {h, replace, badge, facts, table, timeAgo} from '../dom.js';
import {get, seg} from '../api.js';
import {certificateBadge, dataplaneStatus, dataplaneTags, lastSubscription, statusBadge, tagChips, XDS_TYPES,
  typeLabel}
  from '../proxy-status.js';
import {policiesSection} from './dataplane-policies.js';
import {configSection} from './dataplane-config.js';

const SLOW_REFRESH_MS = 15000;

export function title(params) {
  return `Dataplane ${params.name}`;
}

export async function mount(root, page) {
  const {mesh, name} = page.params;
  const base = `/meshes/${seg(mesh)}/dataplanes/${seg(name)}`;
  const status = h('div', {id: 'dataplane-status'});
  const xds = h('div', {id: 'xds-status'});
  const policies = policiesSection(mesh, base);
  const config = configSection(base);
  replace(root,
    h('p', {class: 'crumbs'}, h('a', {href: '#/'}, 'Overview'), ' › ',
      h('a', {href: `#/meshes/${seg(mesh)}`}, `Mesh ${mesh}`), ' › ', `Dataplane ${name}`),
    h('h1', {}, 'Dataplane ', h('span', {class: 'mono'}, name)),
    h('section', {'aria-labelledby': 'status-title', id: 'proxy-status'}, h('h2', {id: 'status-title'}, 'Status'), status,
      h('h3', {}, 'xDS'), xds),
    policies.el, config.el);

  let lastKey = null;
  await page.live(async () => {
    const overview = await get(`/meshes/${seg(mesh)}/dataplanes+insights/${seg(name)}`);
    if (page.disposed) return;
    const key = JSON.stringify([overview.dataplane, overview.dataplaneInsight, Math.floor(Date.now() / 10_000)]);
    if (key === lastKey) return;
    lastKey = key;
    replace(status, statusFacts(overview));
    replace(xds, xdsTable(lastSubscription(overview.dataplaneInsight)));
  });
  page.live(() => policies.load(), SLOW_REFRESH_MS);
  page.live(() => config.load(), SLOW_REFRESH_MS);
}

function statusFacts(o) {
  const state = dataplaneStatus(o);
  const insight = o.dataplaneInsight || {};
  const sub = lastSubscription(insight);
  const net = o.dataplane?.networking || {};
  const mtls = insight.mTLS;
  const version = sub?.version || {};
  return [
    facts([
      ['Status', h('span', {id: 'dp-status', dataset: {status: state}}, statusBadge(state))],
      ['Mesh', o.mesh],
      ['Tags', h('span', {class: 'tag-list'}, tagChips(dataplaneTags(o.dataplane)))],
      ['Kind', net.gateway ? `gateway (${net.gateway.type || 'DELEGATED'})` : 'sidecar'],
      ['Address', h('code', {}, net.address || '—')],
      ['Advertised address', net.advertisedAddress ? h('code', {}, net.advertisedAddress) : null],
      ['Inbounds', (net.inbound || []).length ? h('ul', {class: 'plain'}, net.inbound.map(inbound)) : null],
      ['Control plane', sub ? h('code', {id: 'dp-instance'}, sub.controlPlaneInstanceId) : 'never connected'],
      ['Connected', sub?.connectTime ? h('span', {title: sub.connectTime}, `${timeAgo(sub.connectTime)} (${sub.connectTime})`)
        : null],
      ['Disconnected', sub?.disconnectTime ? h('span', {title: sub.disconnectTime},
        `${timeAgo(sub.disconnectTime)} (${sub.disconnectTime})`) : null],
      ['User agent', version.userAgent ? h('code', {}, version.userAgent) : null],
      ['Proxy versions', versions(version)],
      ['Certificate', mtls ? h('span', {id: 'dp-certificate'}, certificateBadge(mtls.certificateExpirationTime),
        mtls.issuedBackend ? ` issued by ${mtls.issuedBackend}` : '', ' · TLS ',
        mtls.tlsReady ? badge('ok', 'ready') : badge('warn', 'not ready')) : h('span', {class: 'muted'}, 'none')],
    ]),
    sub?.generationError ? h('div', {class: 'alert bad', id: 'generation-error', role: 'alert'},
      h('strong', {}, 'Configuration could not be generated: '), sub.generationError) : null,
  ];
}

function inbound(i) {
  return h('li', {}, h('code', {}, `${i.address || ''}${i.address ? ':' : ''}${i.port}`),
    i.servicePort ? ` → ${i.serviceAddress || ''}${i.serviceAddress ? ':' : ''}${i.servicePort}` : '',
    i.health ? [' ', i.health.ready ? badge('ok', 'ready') : badge('bad', 'not ready')] : null);
}

function versions(version) {
  const parts = Object.entries(version).filter(([k, v]) => k !== 'userAgent' && v && typeof v === 'object' && v.version)
    .map(([k, v]) => `${k} ${v.version}`);
  return parts.length ? parts.join(', ') : null;
}

/** A version hash, shortened to 12 characters; the whole in its title (hover, screen readers). */
function version(v) {
  return v.length > 14 ? h('code', {title: v, 'aria-label': v}, `${v.slice(0, 12)}…`) : h('code', {}, v);
}

function xdsTable(sub) {
  if (!sub) return h('p', {class: 'muted'}, 'Its proxy never connected.');
  const status = sub.status || {};
  const rows = XDS_TYPES.map((type) => {
    const s = status[type] || {};
    const r = s.lastRejection;
    return {
      attrs: {'data-xds-type': type},
      cells: [typeLabel(type), String(s.responsesSent || 0), String(s.responsesAcknowledged || 0),
        String(s.responsesRejected || 0), s.lastAckedVersion ? version(s.lastAckedVersion) : '—',
        r ? h('div', {class: 'nack-detail'}, badge('warn', 'NACK'), ' version ', r.version ? version(r.version) : '—',
          ' · ', h('span', {title: r.time}, timeAgo(r.time)), h('pre', {class: 'wrap'}, r.error || '')) : '—'],
    };
  });
  return [table('xDS responses per type', [{title: 'Type'}, {title: 'Sent', num: true}, {title: 'ACKed', num: true},
    {title: 'NACKed', num: true}, {title: 'Last ACKed version'}, {title: 'Last NACK'}], rows),
  status.lastUpdateTime ? h('p', {class: 'muted'}, `Last update ${timeAgo(status.lastUpdateTime)}.`) : null];
}
