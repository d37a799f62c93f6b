// One resource (#/resources/{path}/{name} for global types, #/meshes/{mesh}/resources/{path}/{name} for mesh-scoped
// ones): its YAML as the API gives it (GET ...?format=yaml&form=universal|kubernetes, the text "ursactl get -o yaml"
// prints), a Copy button, Edit (in the form shown) and Delete with a confirmation saying what goes with it.

import {h, replace, announce} from '../dom.js';
import {call, seg} from '../api.js';
import {errorBox} from '../router.js';
import {byPath, apiPath, editHash, listHash, meshScoped} from '../types.js';
import {confirmDelete} from './resource-delete.js';
import {setFlash, takeFlash} from '../flash.js';

export function title(params) {
  return `${params.path} ${params.name}`;
}

export async function mount(root, page) {
  const type = await byPath(page.params.path);
  const {mesh, name} = page.params;
  if (meshScoped(type) && !mesh) throw new Error(`${type.pluralDisplayName} belong to a mesh: open them from a mesh`);
  page.setTitle(`${type.singularDisplayName} ${name}`);
  const path = apiPath(type, mesh, name);
  let form = page.query.get('form') === 'kubernetes' ? 'kubernetes' : 'universal';

  const pre = h('pre', {id: 'resource-yaml', tabindex: '0', 'aria-label': `${type.singularDisplayName} ${name} as YAML`});
  const source = h('code', {id: 'resource-source'});
  const radios = ['universal', 'kubernetes'].map((value) => h('label', {class: 'radio'},
    h('input', {type: 'radio', name: 'form', id: `form-${value}`, value, checked: value === form,
      onchange: () => { form = value; edit.href = editHash(type, mesh, name, form); load(); }}),
    value === 'universal' ? ' Universal' : ' Kubernetes'));
  const edit = h('a', {class: 'button', id: 'resource-edit', href: editHash(type, mesh, name, form)}, 'Edit');
  const copy = h('button', {type: 'button', id: 'resource-copy', onclick: () => copyText(pre)}, 'Copy');
  const remove = h('button', {type: 'button', id: 'resource-delete', class: 'danger',
    onclick: () => confirmDelete(type, mesh, name, remove, () => {
      setFlash({done: `${type.singularDisplayName} ${name} deleted.`});
      page.navigate(listHash(type, mesh));
    })}, 'Delete');
  const related = [];
  if (type.name === 'Dataplane') {
    related.push(h('a', {id: 'resource-status', href: `#/meshes/${seg(mesh)}/dataplanes/${seg(name)}`},
      'Status of this Dataplane'));
  }
  if (type.name === 'Mesh') related.push(h('a', {id: 'resource-status', href: `#/meshes/${seg(name)}`}, 'Mesh overview'));

  const flash = takeFlash();
  replace(root,
    flash?.warnings ? h('div', {class: 'alert warn', id: 'resource-flash'}, h('p', {}, 'Saved, with warnings:'),
      h('ul', {}, flash.warnings.map((w) => h('li', {}, w)))) : null,
    h('div', {class: 'crumbs'}, h('a', {href: '#/resources'}, 'Resources'), ' / ',
      h('a', {href: listHash(type, mesh)}, type.pluralDisplayName), mesh ? ` in mesh ${mesh}` : ''),
    h('h1', {}, `${type.singularDisplayName} `, h('span', {class: 'mono'}, name)),
    related.length ? h('p', {}, related) : null,
    h('div', {class: 'toolbar'},
      h('fieldset', {class: 'form-choice'}, h('legend', {}, 'Form'), radios),
      copy, edit, remove),
    pre,
    h('p', {class: 'muted'}, 'From ', source, '.'));

  let last = null;
  async function load() {
    const url = `${path}?format=yaml&form=${form}`;
    source.textContent = `GET ${url}`;
    try {
      const {body} = await call('GET', url);
      if (body !== last) {
        last = body;
        pre.textContent = body;
        pre.dataset.form = form;
      }
    } catch (e) {
      last = null;
      replace(pre, errorBox(e));
      delete pre.dataset.form;
    }
  }
  await page.live(load);
}

/** Copies the text of el; when the clipboard API is refused (plain HTTP on another host), selects it instead. */
async function copyText(el) {
  const text = el.textContent;
  try {
    await navigator.clipboard.writeText(text);
    announce('Copied');
  } catch (e) {
    const range = document.createRange();
    range.selectNodeContents(el);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    let copied = false;
    try { copied = document.execCommand('copy'); } catch (ignored) { /* not supported */ }
    announce(copied ? 'Copied' : 'The text is selected: press Ctrl+C to copy it');
  }
}
