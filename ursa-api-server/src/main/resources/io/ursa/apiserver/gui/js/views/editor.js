// Create and edit any resource as YAML (#/new?type=T&mesh=m, #/edit/{path}/{name}, #/meshes/{m}/edit/{path}/{name},
// ?form=kubernetes to edit the Kubernetes form). The text is parsed in the browser only to learn the type, name and
// mesh (the PUT URL) and to point at a syntax error; the control plane validates: "Validate" PUTs with
// ?dryRun=true, "Save" PUTs, and its causes are shown next to the control or the line they name. A new
// TrafficPermission gets a form first (editor-tp.js), with a switch to YAML.

import {h, replace, field, setFieldError, announce} from '../dom.js';
import {ApiError, call, find, put, query} from '../api.js';
import {types, byName, byPath, apiPath, viewHash, meshScoped, listHash} from '../types.js';
import {readDocument} from '../yaml-doc.js';
import {setFlash} from '../flash.js';
import {showCauses, showWarnings} from './editor-causes.js';
import {template} from './editor-templates.js';
import {trafficPermissionForm} from './editor-tp.js';

export function title(params) {
  return params.path ? `Edit ${params.path} ${params.name}` : 'Create a resource';
}

export async function mount(root, page) {
  if (page.params.path) {
    const type = await byPath(page.params.path);
    const {mesh, name} = page.params;
    const form = page.query.get('form') === 'kubernetes' ? 'kubernetes' : 'universal';
    page.setTitle(`Edit ${type.singularDisplayName} ${name}`);
    const {body} = await call('GET', `${apiPath(type, mesh, name)}?format=yaml&form=${form}`);
    await yamlEditor(root, page, {type, mesh, name, text: body, creating: false});
    return;
  }
  const typeName = page.query.get('type');
  const type = typeName ? await byName(typeName) : null;
  if (!type) {
    replace(root, h('h1', {}, 'Create a resource'), h('p', {class: 'alert bad', role: 'alert'},
      typeName ? `The control plane has no resource type "${typeName}". ` : 'No type was chosen. ',
      h('a', {href: '#/resources'}, 'Choose a type in the resources browser.')));
    return;
  }
  const mesh = meshScoped(type) ? page.query.get('mesh') || 'default' : null;
  page.setTitle(`Create ${type.singularDisplayName}`);
  if (type.name === 'TrafficPermission' && page.query.get('editor') !== 'yaml') {
    await trafficPermissionForm(root, page, {type, mesh,
      toYaml: (text) => yamlEditor(root, page, {type, mesh, name: '', text, creating: true})});
    return;
  }
  await yamlEditor(root, page, {type, mesh, name: '', text: template(type, mesh), creating: true});
}

async function yamlEditor(root, page, {type, mesh, name, text, creating}) {
  const typesByName = new Map((await types()).map((t) => [t.name, t]));
  const heading = creating ? `Create ${type.singularDisplayName}` : `Edit ${type.singularDisplayName} ${name}`;
  const typeField = field('Type', h('input', {type: 'text', id: 'resource-type-name', readonly: true}));
  const nameField = field('Name', h('input', {type: 'text', id: 'resource-name', readonly: true}));
  const meshField = field('Mesh', h('input', {type: 'text', id: 'resource-mesh-name', readonly: true}));
  const textarea = h('textarea', {id: 'resource-text', spellcheck: 'false', autocomplete: 'off', rows: 24,
    value: text});
  const textField = field('Resource (YAML)', textarea,
    'Type, name and mesh are read from the text (Universal: type, name, mesh; Kubernetes: kind, metadata.name, '
    + 'mesh or the label kuma.io/mesh).');
  const target = h('code', {id: 'resource-target'});
  const causes = h('div', {id: 'resource-causes'});
  const warnings = h('div', {id: 'resource-warnings'});
  const outcome = h('div', {id: 'resource-outcome', 'aria-live': 'polite'});
  const validate = h('button', {type: 'button', id: 'resource-validate', onclick: () => submit(true)}, 'Validate');
  const save = h('button', {type: 'button', class: 'primary', id: 'resource-save', onclick: () => submit(false)}, 'Save');
  const cancel = h('a', {class: 'button', href: creating ? listHash(type, mesh) : viewHash(type, mesh, name)}, 'Cancel');

  replace(root,
    h('div', {class: 'crumbs'}, h('a', {href: '#/resources'}, 'Resources'), ' / ',
      h('a', {href: listHash(type, mesh)}, type.pluralDisplayName)),
    h('h1', {}, heading),
    h('div', {class: 'meta-fields'}, typeField.field, nameField.field, meshField.field),
    textField.field, causes, warnings, outcome,
    h('p', {class: 'muted'}, 'Will be sent as ', target, '.'),
    h('div', {class: 'toolbar'}, validate, save, cancel));

  let parsed = null;
  let timer = null;
  function reparse() {
    parsed = readDocument(textarea.value, (kind) => typesByName.get(kind)?.scope === 'Mesh');
    if (parsed.error) {
      setFieldError(textField, `Line ${parsed.error.line}: ${parsed.error.message}`);
      textField.error.dataset.line = parsed.error.line ?? '';
      target.textContent = '—';
      return;
    }
    setFieldError(textField, '');
    typeField.input.value = parsed.type;
    nameField.input.value = parsed.name;
    meshField.input.value = parsed.mesh;
    const t = typesByName.get(parsed.type);
    target.textContent = t && parsed.name ? `PUT ${apiPath(t, parsed.mesh, parsed.name)}` : '—';
  }
  reparse();
  textarea.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(reparse, 250);
  });

  async function submit(dryRun) {
    reparse();
    [typeField, nameField, meshField].forEach((f) => setFieldError(f, ''));
    replace(causes);
    replace(outcome);
    showWarnings(warnings, []);
    if (parsed.error) {
      textarea.focus();
      return;
    }
    const t = typesByName.get(parsed.type);
    if (!t) {
      setFieldError(typeField, parsed.type ? `the control plane has no resource type "${parsed.type}"`
        : 'the text names no type ("type:" in the Universal form, "kind:" in the Kubernetes form)');
      return;
    }
    if (!parsed.name) {
      setFieldError(nameField, parsed.form === 'kubernetes' ? 'metadata.name is required' : 'name is required');
      textarea.focus();
      return;
    }
    if (meshScoped(t) && !parsed.mesh) {
      setFieldError(meshField, 'mesh is required for a mesh-scoped type');
      return;
    }
    const path = apiPath(t, parsed.mesh, parsed.name);
    validate.disabled = true;
    save.disabled = true;
    try {
      if (creating && !dryRun && await find(path)) {
        setFieldError(nameField, `a ${t.singularDisplayName} named ${parsed.name} already exists`
          + `${meshScoped(t) ? ` in mesh ${parsed.mesh}` : ''}; edit it instead`);
        return;
      }
      const {body} = await put(path + (dryRun ? query({dryRun: true}) : ''), textarea.value);
      const answer = typeof body === 'object' && body ? body : {};
      if (dryRun) {
        showWarnings(warnings, answer.warnings);
        replace(outcome, h('p', {class: 'alert ok', id: 'resource-valid'},
          `Valid: saving would leave the ${t.singularDisplayName} ${answer.outcome || 'written'}. Nothing was written.`));
        announce('Valid');
        return;
      }
      setFlash(answer.warnings?.length ? {warnings: answer.warnings} : null);
      announce(`${t.singularDisplayName} ${parsed.name} saved`);
      page.navigate(viewHash(t, parsed.mesh, parsed.name) + (parsed.form === 'kubernetes' ? '?form=kubernetes' : ''));
    } catch (e) {
      showCauses(e, causes, route, textarea);
      causes.scrollIntoView({block: 'nearest'});
      if (e instanceof ApiError) announce(`Not saved: ${e.describe()}`);
    } finally {
      validate.disabled = false;
      save.disabled = false;
    }
  }

  function route(fieldPath) {
    if (fieldPath === 'name' || fieldPath === 'metadata.name') return nameField;
    if (fieldPath === 'mesh') return meshField;
    if (fieldPath === 'type' || fieldPath === 'kind') return typeField;
    return null;
  }
}
