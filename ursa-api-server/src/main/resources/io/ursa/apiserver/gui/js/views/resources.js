// The resources browser (#/resources, #/resources/{path}?mesh=m&name=x&offset=n): pick a type (every type of
// GET /_resources) and, for mesh-scoped types, a mesh or all meshes (the cross-mesh list GET /{path}); a page of 50
// with Previous/Next and a name filter (the API's name= substring filter). The state lives in the hash, so a
// bookmark opens the same list; the list is refreshed live. A refusal (a role that may not read the type) is shown
// as the API worded it, with the sign-in hint.

import {h, replace, table, timeAgo, announce} from '../dom.js';
import {get, query, seg} from '../api.js';
import {errorBox} from '../router.js';
import {types, byPath, meshScoped, meshNames, viewHash} from '../types.js';
import {takeFlash} from '../flash.js';

const PAGE_SIZE = 50;
const ALL = '';

export function title(params) {
  return params.path ? `Resources: ${params.path}` : 'Resources';
}

export async function mount(root, page) {
  const all = await types();
  const type = page.params.path ? await byPath(page.params.path) : null;
  const state = {
    mesh: page.query.get('mesh') || ALL,
    name: page.query.get('name') || '',
    offset: Math.max(0, parseInt(page.query.get('offset') || '0', 10) || 0),
  };
  if (type) page.setTitle(type.pluralDisplayName);

  const typeSelect = h('select', {id: 'resource-type', onchange: () => {
    const chosen = all.find((t) => t.path === typeSelect.value);
    if (chosen) page.navigate(`#/resources/${chosen.path}${meshScoped(chosen) && state.mesh ? `?mesh=${seg(state.mesh)}` : ''}`);
  }}, h('option', {value: '', selected: !type}, 'Choose a type…'),
  group('Mesh-scoped', all.filter(meshScoped), type), group('Global', all.filter((t) => !meshScoped(t)), type));
  const toolbar = h('div', {class: 'toolbar'}, h('div', {}, h('label', {for: 'resource-type'}, 'Type'), typeSelect));

  if (!type) {
    replace(root, h('h1', {}, 'Resources'), toolbar, typeTable(all));
    return;
  }

  if (meshScoped(type)) {
    const meshSelect = h('select', {id: 'resource-mesh', onchange: () => {
      page.navigate(`#/resources/${type.path}${meshSelect.value ? `?mesh=${seg(meshSelect.value)}` : ''}`);
    }}, h('option', {value: ALL}, 'All meshes'));
    let meshes = [];
    try {
      meshes = await meshNames();
    } catch (e) { /* the list below shows the refusal */ }
    if (state.mesh && !meshes.includes(state.mesh)) meshes.push(state.mesh);
    meshes.forEach((m) => meshSelect.append(h('option', {value: m, selected: m === state.mesh}, m)));
    toolbar.append(h('div', {}, h('label', {for: 'resource-mesh'}, 'Mesh'), meshSelect));
  }
  const filter = h('input', {type: 'search', id: 'resource-filter', value: state.name, autocomplete: 'off',
    spellcheck: 'false'});
  let debounce = null;
  filter.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => {
      state.name = filter.value.trim();
      state.offset = 0;
      refresh();
    }, 300);
  });
  toolbar.append(h('div', {}, h('label', {for: 'resource-filter'}, 'Name contains'), filter));
  const createMesh = state.mesh || 'default';
  toolbar.append(h('a', {class: 'button primary', id: 'resource-create',
    href: `#/new${query({type: type.name, mesh: meshScoped(type) ? createMesh : null})}`},
  `Create ${type.singularDisplayName}`));

  const count = h('span', {id: 'resource-count', 'aria-live': 'polite'});
  const prev = h('button', {type: 'button', id: 'page-prev', onclick: () => move(-PAGE_SIZE)}, 'Previous');
  const next = h('button', {type: 'button', id: 'page-next', onclick: () => move(PAGE_SIZE)}, 'Next');
  const list = h('div', {id: 'resource-list'});
  const source = h('code', {id: 'resource-source'});
  const experimental = type.policy?.isExperimental
    ? h('p', {class: 'alert warn'}, `${type.pluralDisplayName} are experimental: their fields may change.`) : null;
  const flash = takeFlash();
  replace(root, flash?.done ? h('p', {class: 'alert ok', role: 'status', id: 'resource-flash'}, flash.done) : null,
    h('div', {class: 'crumbs'}, h('a', {href: '#/resources'}, 'Resources')),
    h('h1', {}, type.pluralDisplayName), experimental, toolbar, list,
    h('nav', {class: 'pager', 'aria-label': 'Pages'}, prev, count, next),
    h('p', {class: 'muted'}, 'From ', source, '.'));

  function listPath() {
    const base = meshScoped(type) && state.mesh ? `/meshes/${seg(state.mesh)}/${type.path}` : `/${type.path}`;
    return base + query({size: PAGE_SIZE, offset: state.offset || null, name: state.name});
  }

  function move(delta) {
    state.offset = Math.max(0, state.offset + delta);
    refresh().then(() => announce(count.textContent));
  }

  let last = null;
  async function load() {
    const path = listPath();
    source.textContent = `GET ${path}`;
    let body;
    try {
      body = await get(path);
    } catch (e) {
      replace(list, errorBox(e));
      prev.disabled = true;
      next.disabled = true;
      replace(count);
      return;
    }
    const key = JSON.stringify(body);
    if (key === last && list.childElementCount > 0) return;
    last = key;
    const columns = [{title: 'Name'}];
    if (meshScoped(type)) columns.push({title: 'Mesh'});
    columns.push({title: 'Created'}, {title: 'Modified'});
    const rows = body.items.map((item) => {
      const cells = [h('a', {href: viewHash(type, item.mesh, item.name), class: 'mono'}, item.name)];
      if (meshScoped(type)) cells.push(item.mesh);
      cells.push(time(item.creationTime), time(item.modificationTime));
      return {cells, attrs: {'data-name': item.name, 'data-mesh': item.mesh || ''}};
    });
    replace(list, table(type.pluralDisplayName, columns, rows,
      state.name ? `No ${type.pluralDisplayName} whose name contains "${state.name}".` : `No ${type.pluralDisplayName}.`));
    const first = body.items.length ? state.offset + 1 : 0;
    replace(count, `${first}–${state.offset + body.items.length} of ${body.total}`);
    prev.disabled = state.offset === 0;
    next.disabled = !body.next && state.offset + body.items.length >= body.total;
  }

  async function refresh() {
    const q = query({mesh: state.mesh, name: state.name, offset: state.offset || null});
    history.replaceState(null, '', `#/resources/${type.path}${q}`);
    last = null;
    await load();
  }

  await page.live(load);
}

function group(label, list, current) {
  return h('optgroup', {label}, list.map((t) => h('option', {value: t.path, selected: current && t.path === current.path},
    t.policy?.isExperimental ? `${t.pluralDisplayName} (experimental)` : t.pluralDisplayName)));
}

function typeTable(all) {
  return table('Resource types', [{title: 'Type'}, {title: 'Scope'}, {title: 'REST path'}],
    all.map((t) => [h('a', {href: `#/resources/${t.path}`}, t.pluralDisplayName),
      t.scope === 'Mesh' ? 'Mesh' : 'Global',
      h('code', {}, t.scope === 'Mesh' ? `/meshes/{mesh}/${t.path}` : `/${t.path}`)]));
}

function time(iso) {
  return iso ? h('time', {datetime: iso, title: iso}, timeAgo(iso)) : '—';
}
