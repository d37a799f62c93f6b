// The form for a new TrafficPermission: Name, Mesh, and Sources and Destinations as rows of one tag each (key and
// value; a row is one selector {match: {key: value}}). The document is built from the form and PUT as JSON; the
// API's causes go next to the inputs they name: name → tp-name, mesh → tp-mesh, sources → the sources group,
// sources[i].match["key"] → the value of row i, sources[i].match (and anything else under sources[i]) → the key of
// row i; likewise destinations. A switch turns the form into YAML for the general editor.

import {h, replace, field, setFieldError, announce} from '../dom.js';
import {ApiError, find, put, query} from '../api.js';
import {apiPath, viewHash, listHash, meshNames} from '../types.js';
import {dump} from '../../vendor/js-yaml/js-yaml.mjs';
import {showCauses, showWarnings} from './editor-causes.js';
import {setFlash} from '../flash.js';

const GROUPS = [
  {key: 'sources', one: 'source', title: 'Sources', help: 'The proxies that may call: one tag selector per row.'},
  {key: 'destinations', one: 'destination', title: 'Destinations', help: 'The services they may call.'},
];

export async function trafficPermissionForm(root, page, {type, mesh, toYaml}) {
  const rows = {sources: [{key: 'kuma.io/service', value: '*'}], destinations: [{key: 'kuma.io/service', value: '*'}]};
  const nameField = field('Name', h('input', {type: 'text', id: 'tp-name', autocomplete: 'off', spellcheck: 'false',
    required: true}), 'Lowercase latin letters, digits, "-" and "_".');
  const meshSelect = h('select', {id: 'tp-mesh'});
  let meshes = [];
  try {
    meshes = await meshNames();
  } catch (e) { /* the save shows the refusal */ }
  if (!meshes.includes(mesh)) meshes.unshift(mesh);
  meshes.forEach((m) => meshSelect.append(h('option', {value: m, selected: m === mesh}, m)));
  const meshField = field('Mesh', meshSelect);
  const groups = {};
  const rowFields = {sources: [], destinations: []};
  const general = h('div', {id: 'tp-causes'});
  const warnings = h('div', {id: 'tp-warnings'});
  const outcome = h('div', {id: 'tp-outcome', 'aria-live': 'polite'});

  for (const g of GROUPS) {
    const list = h('div', {class: 'tag-rows'});
    const error = h('div', {class: 'field-error', id: `tp-${g.key}-error`, role: 'alert', hidden: true});
    const add = h('button', {type: 'button', id: `tp-${g.one}-add`, onclick: () => {
      sync();
      rows[g.key].push({key: 'kuma.io/service', value: ''});
      renderRows(g);
      rowFields[g.key].at(-1).value.input.focus();
    }}, `Add ${g.one}`);
    groups[g.key] = {list, error, fieldset: h('fieldset', {class: 'tag-group', id: `tp-${g.key}`,
      'aria-describedby': error.id}, h('legend', {}, g.title), h('p', {class: 'muted'}, g.help), list, error, add)};
    renderRows(g);
  }

  function renderRows(g) {
    rowFields[g.key] = rows[g.key].map((row, i) => {
      const n = i + 1;
      const key = field(`${capital(g.one)} ${n} tag name`, h('input', {type: 'text', id: `tp-${g.one}-${i}-key`,
        value: row.key, autocomplete: 'off', spellcheck: 'false', oninput: (e) => { row.key = e.target.value; }}));
      const value = field(`${capital(g.one)} ${n} tag value`, h('input', {type: 'text', id: `tp-${g.one}-${i}-value`,
        value: row.value, autocomplete: 'off', spellcheck: 'false', oninput: (e) => { row.value = e.target.value; }}));
      const remove = h('button', {type: 'button', id: `tp-${g.one}-${i}-remove`, 'aria-label': `Remove ${g.one} ${n}`,
        onclick: () => {
          sync();
          rows[g.key].splice(i, 1);
          renderRows(g);
          announce(`${capital(g.one)} ${n} removed`);
        }}, 'Remove');
      return {key, value, element: h('div', {class: 'tag-row', dataset: {row: String(i)}}, key.field, value.field, remove)};
    });
    replace(groups[g.key].list, rowFields[g.key].length ? rowFields[g.key].map((r) => r.element)
      : h('p', {class: 'muted'}, `No ${g.key}.`));
  }

  /** Reads the rows from their inputs (not only on input events: autofill and scripts change values silently). */
  function sync() {
    for (const g of GROUPS) {
      rowFields[g.key].forEach((r, i) => { rows[g.key][i] = {key: r.key.input.value, value: r.value.input.value}; });
    }
  }

  function doc() {
    sync();
    const selectors = (list) => list.map((r) => {
      const k = r.key.trim();
      const v = r.value.trim();
      return {match: k || v ? {[k]: v} : {}};
    });
    return {type: 'TrafficPermission', mesh: meshSelect.value, name: nameField.input.value.trim(),
      sources: selectors(rows.sources), destinations: selectors(rows.destinations)};
  }

  const validate = h('button', {type: 'button', id: 'tp-validate', onclick: () => submit(true)}, 'Validate');
  const save = h('button', {type: 'button', class: 'primary', id: 'tp-save', onclick: () => submit(false)}, 'Save');
  const yaml = h('button', {type: 'button', id: 'tp-to-yaml', onclick: () => toYaml(dump(doc()))}, 'Write YAML instead');
  replace(root,
    h('div', {class: 'crumbs'}, h('a', {href: '#/resources'}, 'Resources'), ' / ',
      h('a', {href: listHash(type, mesh)}, type.pluralDisplayName)),
    h('h1', {}, 'Create Traffic Permission'),
    h('p', {class: 'muted'}, 'Allows traffic from the sources to the destinations when mTLS is on. ', yaml),
    h('form', {id: 'tp-form', onsubmit: (e) => { e.preventDefault(); submit(false); }},
      h('div', {class: 'meta-fields'}, nameField.field, meshField.field),
      groups.sources.fieldset, groups.destinations.fieldset,
      general, warnings, outcome,
      h('div', {class: 'toolbar'}, validate, save,
        h('a', {class: 'button', href: listHash(type, mesh)}, 'Cancel'))));

  function clear() {
    [nameField, meshField, ...Object.values(rowFields).flat().flatMap((r) => [r.key, r.value])]
      .forEach((f) => setFieldError(f, ''));
    Object.values(groups).forEach((g) => { g.error.hidden = true; g.error.textContent = ''; });
    replace(general);
    replace(outcome);
    showWarnings(warnings, []);
  }

  function route(path) {
    if (path === 'name') return nameField;
    if (path === 'mesh') return meshField;
    const m = /^(sources|destinations)(?:\[(\d+)\](.*))?$/.exec(path);
    if (!m) return null;
    const row = m[2] === undefined ? null : rowFields[m[1]][Number(m[2])];
    if (!row) return groupTarget(groups[m[1]]);
    return m[3].startsWith('.match[') ? row.value : row.key;
  }

  async function submit(dryRun) {
    clear();
    const body = doc();
    if (!body.name) {
      setFieldError(nameField, 'a name is required');
      nameField.input.focus();
      return;
    }
    const path = apiPath(type, body.mesh, body.name);
    validate.disabled = true;
    save.disabled = true;
    try {
      if (!dryRun && await find(path)) {
        setFieldError(nameField, `a Traffic Permission named ${body.name} already exists in mesh ${body.mesh}`);
        return;
      }
      const {body: answer} = await put(path + (dryRun ? query({dryRun: true}) : ''), body);
      const result = answer && typeof answer === 'object' ? answer : {};
      if (dryRun) {
        showWarnings(warnings, result.warnings);
        replace(outcome, h('p', {class: 'alert ok', id: 'tp-valid'}, 'Valid. Nothing was written.'));
        announce('Valid');
        return;
      }
      setFlash(result.warnings?.length ? {warnings: result.warnings} : null);
      announce(`Traffic Permission ${body.name} created`);
      page.navigate(viewHash(type, body.mesh, body.name));
    } catch (e) {
      showCauses(e, general, route, null);
      if (e instanceof ApiError) {
        announce(`Not saved: ${e.describe()}`);
        root.querySelector('[aria-invalid="true"]')?.focus();
      }
    } finally {
      validate.disabled = false;
      save.disabled = false;
    }
  }
}

/** A group's error slot, shaped like a field() record for setFieldError. */
function groupTarget(group) {
  return {error: group.error, input: group.fieldset};
}

function capital(word) {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
