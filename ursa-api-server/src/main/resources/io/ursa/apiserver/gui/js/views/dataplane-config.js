// The "Configuration served" section of the Dataplane page, from GET /meshes/{m}/dataplanes/{n}/xds: each resource
// its proxy is served, grouped by type, in a <details> whose JSON is built only when it is opened. A 404 means the
// proxy is not connected to this control plane, which is said plainly. A refresh rebuilds nothing when the answer
// did not change, and keeps open the resources that were open.

import {errorBox} from '../router.js';
import {h, replace, plural} from '../dom.js';
import {ApiError, get} from '../api.js';
import {shortTypeUrl} from '../proxy-status.js';

export function configSection(base) {
  const body = h('div', {id: 'served-config-body'});
  let lastText = null;
  const refresh = h('button', {type: 'button', id: 'refresh-config', 'aria-label': 'Refresh configuration served',
    onclick: () => load(true).catch((e) => { lastText = null; replace(body, errorBox(e)); })}, 'Refresh');
  const el = h('section', {id: 'served-config', 'aria-labelledby': 'config-title'},
    h('div', {class: 'section-head'}, h('h2', {id: 'config-title'}, 'Configuration served'), refresh), body);

  async function load(force) {
    let answer;
    try {
      answer = await get(`${base}/xds`);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) throw e;
      lastText = null;
      replace(body, h('p', {class: 'muted', id: 'not-connected'},
        'Its proxy is not connected to this control plane, so nothing is served to it now.'));
      return;
    }
    const text = JSON.stringify(answer);
    if (text === lastText && !force) return;
    lastText = text;
    const open = new Set([...body.querySelectorAll('details[open]')].map((d) => d.dataset.resource));
    replace(body, render(answer, open));
  }

  return {el, load};
}

function render(answer, open) {
  const byType = new Map();
  for (const r of answer.resources || []) {
    if (!byType.has(r.type)) byType.set(r.type, []);
    byType.get(r.type).push(r);
  }
  if (byType.size === 0) return h('p', {class: 'muted'}, 'The proxy is served no resources.');
  return [h('p', {class: 'muted'}, 'Node ', h('code', {}, answer.nodeId || ''), '.'),
    [...byType].map(([type, resources]) => {
      const short = shortTypeUrl(type);
      return h('div', {class: 'config-type', dataset: {type: short}},
        h('h3', {}, `${plural(resources.length, short)} `,
          h('span', {class: 'muted'}, `version ${answer.versions?.[type] || '—'}`)),
        resources.map((r) => resource(short, r, open)));
    })];
}

function resource(short, r, open) {
  const key = `${short}/${r.name}`;
  const details = h('details', {dataset: {resource: key}},
    h('summary', {}, `${short} `, h('span', {class: 'mono'}, r.name)));
  const fill = () => {
    if (details.open && details.children.length === 1) details.append(h('pre', {}, JSON.stringify(r.resource, null, 2)));
  };
  details.addEventListener('toggle', fill);
  if (open.has(key)) {
    details.open = true;
    fill();
  }
  return details;
}
