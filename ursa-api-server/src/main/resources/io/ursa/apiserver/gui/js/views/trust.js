// The trust map (#/trust): one SVG picture of the meshes and who trusts whom, and the same facts as tables under
// it. Everything comes from GET /mesh-insights: "meshCa" (backend type, mode, the CA's SHA-256 fingerprint, or an
// error) and "crossMesh" (the cross-mesh gateway listeners a mesh reaches). Meshes whose CA certificates have the
// same fingerprint share one root (a "provided" CA given to several meshes) and trust each other's certificates:
// they are joined by a dashed "shared root" edge. A mesh that reaches a cross-mesh listener of a MeshGateway gets
// an arrow to the gateway's mesh, solid. Nodes link to their mesh's page.

import {h, svg, replace, table, badge} from '../dom.js';
import {getAll, seg} from '../api.js';
import {layout, boxEdge, NODE_W, NODE_H} from './trust-layout.js';

export function title() {
  return 'Trust map';
}

export async function mount(root, page) {
  const picture = h('div', {id: 'trust-picture'});
  const facts = h('div', {id: 'trust-facts'});
  replace(root, h('h1', {}, 'Trust map'),
    h('p', {}, 'Which meshes trust each other: meshes whose CAs share one root certificate, and meshes whose proxies '
      + 'reach a cross-mesh gateway listener of another mesh.'),
    legend(), picture, facts,
    h('p', {class: 'muted'}, 'From ', h('code', {}, 'GET /mesh-insights'), ': ', h('code', {}, 'meshCa'),
      ' (CA type, mode and fingerprint) and ', h('code', {}, 'crossMesh'), ' (offered and reached listeners).'));
  let last = null;
  await page.live(async () => {
    const insights = (await getAll('/mesh-insights')).sort((a, b) => a.name.localeCompare(b.name));
    const key = JSON.stringify(insights.map((i) => [i.name, i.meshCa, i.crossMesh]));
    if (key === last) return;
    last = key;
    const model = modelOf(insights);
    replace(picture, draw(model));
    replace(facts, tables(model));
  });
}

/** {meshes: [{name, ca, label, root}], shared: [{from, to, fingerprint}], reaches: [{from, to, gateways}]}. */
function modelOf(insights) {
  const meshes = insights.map((i) => ({name: i.name, ca: i.meshCa || null, label: caLabel(i.meshCa)}));
  const byFingerprint = new Map();
  for (const m of meshes) {
    if (m.ca?.fingerprint) byFingerprint.set(m.ca.fingerprint, [...(byFingerprint.get(m.ca.fingerprint) || []), m.name]);
  }
  const shared = [];
  for (const [fingerprint, names] of byFingerprint) {
    if (names.length < 2) continue;
    names.forEach((name) => { meshes.find((m) => m.name === name).sharesWith = names.filter((n) => n !== name); });
    if (names.length <= 5) {
      names.forEach((a, i) => names.slice(i + 1).forEach((b) => shared.push({from: a, to: b, fingerprint})));
    } else {
      names.slice(1).forEach((b, i) => shared.push({from: names[i], to: b, fingerprint}));
    }
  }
  const reachMap = new Map();
  for (const i of insights) {
    for (const r of i.crossMesh?.reaches || []) {
      const k = `${i.name}\u0000${r.mesh}`;
      if (!reachMap.has(k)) reachMap.set(k, {from: i.name, to: r.mesh, listeners: []});
      reachMap.get(k).listeners.push(r);
    }
  }
  return {meshes, shared, reaches: [...reachMap.values()]};
}

function caLabel(ca) {
  if (!ca) return 'mTLS off';
  const what = `${ca.type || '?'} · ${ca.mode || '?'}`;
  return ca.error ? `${what} · CA error` : what;
}

function draw(model) {
  const n = model.meshes.length;
  if (n === 0) return h('p', {class: 'muted'}, 'There are no meshes.');
  const {points, width, height} = layout(n);
  const at = new Map(model.meshes.map((m, i) => [m.name, points[i]]));
  const defs = svg('defs', {}, svg('marker', {id: 'trust-arrow', viewBox: '0 0 10 10', refX: 10, refY: 5,
    markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse'}, svg('path', {d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head'})));
  const edges = [];
  for (const e of model.shared) {
    const a = at.get(e.from);
    const b = at.get(e.to);
    edges.push(svg('line', {x1: a.x, y1: a.y, x2: b.x, y2: b.y, class: 'edge shared-root', 'data-edge': 'shared-root',
      'data-from': e.from, 'data-to': e.to}, svg('title', {}, `${e.from} and ${e.to} share one CA root`)));
  }
  const labels = [];
  for (const e of model.reaches) {
    const a = at.get(e.from);
    const b = at.get(e.to);
    if (!a || !b) continue;
    const start = boxEdge(a, b);
    const end = boxEdge(b, a);
    const names = [...new Set(e.listeners.map((l) => l.gateway))].join(', ');
    const mid = {x: (start.x + end.x) / 2, y: (start.y + end.y) / 2};
    edges.push(svg('g', {class: 'edge cross-mesh', 'data-edge': 'cross-mesh', 'data-from': e.from, 'data-to': e.to},
      svg('title', {}, `proxies of ${e.from} reach gateway ${names} of ${e.to}`),
      svg('line', {x1: start.x, y1: start.y, x2: end.x, y2: end.y, 'marker-end': 'url(#trust-arrow)'})));
    // drawn after the nodes, so that a short edge's label is not hidden behind a mesh
    labels.push(svg('text', {x: mid.x, y: mid.y - 6, 'text-anchor': 'middle', class: 'edge-label',
      'aria-hidden': 'true'}, `gateway ${names}`));
  }
  const nodes = model.meshes.map((m) => {
    const p = at.get(m.name);
    const kind = !m.ca ? 'off' : m.ca.error ? 'error' : 'on';
    return svg('a', {href: `#/meshes/${seg(m.name)}`, class: `node ${kind}`, 'data-mesh': m.name,
      'aria-label': `mesh ${m.name}: ${m.label}`},
    svg('rect', {x: p.x - NODE_W / 2, y: p.y - NODE_H / 2, width: NODE_W, height: NODE_H, rx: 8}),
    svg('text', {x: p.x, y: p.y - 4, 'text-anchor': 'middle', class: 'node-name'}, clip(m.name, 20)),
    svg('text', {x: p.x, y: p.y + 16, 'text-anchor': 'middle', class: 'node-ca'}, m.label));
  });
  const picture = svg('svg', {viewBox: `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`, role: 'group',
    'aria-labelledby': 'trust-svg-title', id: 'trust-svg'},
  svg('title', {id: 'trust-svg-title'}, `Trust map of ${model.meshes.length} meshes; the tables below list the same facts`),
  defs, edges, nodes, labels);
  picture.style.maxWidth = `${Math.ceil(width * 1.25) / 16}rem`; // about its natural size: grows with the zoom only
  return h('div', {class: 'trust'}, picture);
}

function legend() {
  const sample = (cls, marker) => svg('svg', {viewBox: '0 0 60 12', width: '60', height: '12', 'aria-hidden': 'true',
    class: 'trust-sample'}, svg('line', {x1: 2, y1: 6, x2: 56, y2: 6, class: `edge ${cls}`, 'marker-end': marker || null}));
  return h('ul', {class: 'legend', id: 'trust-legend', 'aria-label': 'Legend'},
    h('li', {}, sample('shared-root'), ' dashed: the two meshes share one CA root (equal fingerprints)'),
    h('li', {}, sample('cross-mesh-line'), ' solid arrow: proxies of a mesh reach a cross-mesh gateway of the mesh it points to'),
    h('li', {}, h('span', {class: 'node-sample off'}, 'grey box'), ' mTLS off'));
}

function tables(model) {
  const meshRows = model.meshes.map((m) => ({
    attrs: {'data-mesh': m.name},
    cells: [h('a', {href: `#/meshes/${seg(m.name)}`}, m.name),
      !m.ca ? badge('neutral', 'mTLS off') : m.ca.error ? badge('bad', 'CA error') : badge('ok', `${m.ca.type} · ${m.ca.mode}`),
      m.ca?.fingerprint ? h('span', {class: 'mono', title: m.ca.fingerprint}, m.ca.fingerprint.slice(0, 23) + '…')
        : m.ca?.error || '—',
      m.sharesWith?.length ? m.sharesWith.join(', ') : '—'],
  }));
  const reachRows = model.reaches.flatMap((e) => e.listeners.map((l) => ({
    attrs: {'data-from': e.from, 'data-to': e.to},
    cells: [e.from, l.gateway, e.to, h('span', {class: 'mono'}, `${l.hostname}:${l.port}`)],
  })));
  return [h('h2', {}, 'Meshes and their CA'),
    table('Meshes and their CA', [{title: 'Mesh'}, {title: 'mTLS'}, {title: 'CA fingerprint (SHA-256)'},
      {title: 'Shares its root with'}], meshRows, 'There are no meshes.'),
    h('h2', {}, 'Cross-mesh gateways'),
    table('Cross-mesh gateways', [{title: 'Proxies of mesh'}, {title: 'reach gateway'}, {title: 'of mesh'},
      {title: 'Listener'}], reachRows, 'No mesh reaches a cross-mesh gateway listener of another mesh.')];
}

function clip(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
