// The "Matched policies" section of the Dataplane page, from GET /meshes/{m}/dataplanes/{n}/policies: per
// attachment (inbound, outbound, service, dataplane) each policy that matches, why (Ursa's matchedBy: the selectors
// that matched and their rank) and the types this proxy does not apply (notApplied). A builtin gateway's answer
// (kind MeshGatewayDataplane) lists listeners, hosts, routes and destinations instead; any other shape is shown as
// JSON rather than failing.

import {errorBox} from '../router.js';
import {h, replace, badge, table, facts} from '../dom.js';
import {get, seg} from '../api.js';

let typesPromise = null;

/** Type name → REST path (e.g. TrafficPermission → traffic-permissions), from GET /_resources, read once. */
function resourcePaths() {
  typesPromise ||= get('/_resources').then((r) => new Map(r.resources.map((t) => [t.name, t.path])))
    .catch((e) => { typesPromise = null; throw e; });
  return typesPromise;
}

export function policiesSection(mesh, base) {
  const body = h('div', {id: 'matched-policies-body'});
  let lastText = null;
  const refresh = h('button', {type: 'button', id: 'refresh-policies', 'aria-label': 'Refresh matched policies',
    onclick: () => load(true).catch((e) => { lastText = null; replace(body, errorBox(e)); })}, 'Refresh');
  const el = h('section', {id: 'matched-policies', 'aria-labelledby': 'policies-title'},
    h('div', {class: 'section-head'}, h('h2', {id: 'policies-title'}, 'Matched policies'), refresh), body);

  async function load(force) {
    const [answer, paths] = await Promise.all([get(`${base}/policies`), resourcePaths()]);
    const text = JSON.stringify(answer);
    if (text === lastText && !force) return;
    lastText = text;
    const link = (type, name) => {
      const path = paths.get(type);
      return path ? h('a', {href: `#/meshes/${seg(mesh)}/resources/${seg(path)}/${seg(name)}`,
        dataset: {policy: `${type}/${name}`}}, name) : h('span', {dataset: {policy: `${type}/${name}`}}, name);
    };
    if (answer.kind === 'MeshGatewayDataplane') replace(body, gateway(answer, link));
    else if (Array.isArray(answer.items)) replace(body, sidecar(answer, link));
    else replace(body, h('pre', {}, JSON.stringify(answer, null, 2)));
  }

  return {el, load};
}

const ATTACHMENT = {inbound: 'Inbound', outbound: 'Outbound', service: 'Service', dataplane: 'Dataplane'};

function sidecar(answer, link) {
  if (answer.items.length === 0) return h('p', {class: 'muted'}, 'No policy matches this Dataplane.');
  return answer.items.map((item, i) => {
    const id = `attachment-${i}`;
    const rows = [];
    for (const [type, list] of Object.entries(item.matchedPolicies || {})) {
      const reasons = item.matchedBy?.[type] || [];
      list.forEach((policy, j) => {
        const why = reasons[j] || reasons.find((r) => r.name === policy.name) || {};
        rows.push({
          attrs: {'data-policy-type': type, 'data-policy-name': policy.name},
          cells: [type, link(type, policy.name), matchedBy(why), rank(why.rank),
            item.notApplied?.[type] ? badge('warn', 'not applied') : badge('ok', 'applied')],
        });
      });
    }
    return h('div', {class: 'attachment', dataset: {attachment: item.type, attachmentName: item.name}},
      h('h3', {id}, `${ATTACHMENT[item.type] || item.type} `, h('span', {class: 'mono'}, item.name),
        item.service && item.service !== item.name ? [' ', h('span', {class: 'muted'}, `(service ${item.service})`)] : null),
      item.mtls === undefined ? null : h('p', {}, item.mtls ? badge('ok', 'mesh mTLS') : badge('warn', 'no mesh mTLS'),
        item.mtls ? ' The proxy sends mesh mTLS to this service.' : ' The proxy does not send mesh mTLS to this service.'),
      table(`Policies matching ${item.type} ${item.name}`, [{title: 'Type'}, {title: 'Policy'}, {title: 'Matched by'},
        {title: 'Rank'}, {title: 'Applied'}], rows, 'No policy matches.'),
      notApplied(item.notApplied));
  });
}

function matchedBy(why) {
  const parts = [];
  for (const field of ['source', 'selector', 'destination']) {
    const match = why[field]?.match;
    if (!match) continue;
    parts.push(h('div', {class: 'matched-by', dataset: {field}}, h('span', {class: 'muted'}, `${field}: `),
      Object.entries(match).map(([k, v]) => h('span', {class: 'tag'}, `${k}=${v}`))));
  }
  return parts.length ? parts : h('span', {class: 'muted'}, '—');
}

function rank(r) {
  if (!r) return '—';
  return h('span', {class: 'rank', title: 'tags matched exactly and by wildcard'}, `${r.exact} exact, ${r.wildcard} wildcard`);
}

function notApplied(notes) {
  const entries = Object.entries(notes || {});
  if (entries.length === 0) return null;
  return h('div', {class: 'alert warn not-applied'}, h('strong', {}, 'Matched but not applied to this proxy:'),
    h('ul', {}, entries.map(([type, note]) => h('li', {}, h('strong', {}, type), `: ${note}`))));
}

function gateway(answer, link) {
  const gw = answer.gateway || {};
  const out = [facts([
    ['Kind', 'builtin gateway'],
    ['MeshGateway', gw.name ? link('MeshGateway', gw.name) : h('span', {class: 'muted'}, 'none selects this Dataplane')],
    ['Gateway policies', Object.keys(answer.policies || {}).length ? Object.entries(answer.policies).map(([type, p]) =>
      h('div', {}, `${type}: `, link(type, p.name))) : h('span', {class: 'muted'}, 'none')],
  ])];
  if ((answer.problems || []).length) {
    out.push(h('div', {class: 'alert warn', id: 'gateway-problems'}, h('strong', {}, 'Listeners left out:'),
      h('ul', {}, answer.problems.map((p) => h('li', {}, typeof p === 'string' ? p : JSON.stringify(p))))));
  }
  for (const listener of answer.listeners || []) {
    const rows = [];
    for (const host of listener.hosts || []) {
      for (const route of host.routes || []) {
        for (const dest of route.destinations || [{}]) {
          rows.push([host.hostName, link('MeshGatewayRoute', route.route),
            Object.entries(dest.tags || {}).map(([k, v]) => h('span', {class: 'tag'}, `${k}=${v}`)),
            Object.entries(dest.policies || {}).map(([type, p]) => h('div', {}, `${type}: `, link(type, p?.name || '?')))]);
        }
      }
    }
    out.push(h('div', {class: 'attachment', dataset: {attachment: 'listener', attachmentName: String(listener.port)}},
      h('h3', {}, `Listener ${listener.port} (${listener.protocol})`),
      table(`Routes of listener ${listener.port}`, [{title: 'Host'}, {title: 'Route'}, {title: 'Destination'},
        {title: 'Policies'}], rows, 'No routes.')));
  }
  if ((answer.listeners || []).length === 0) out.push(h('p', {class: 'muted'}, 'No listeners.'));
  return out;
}
