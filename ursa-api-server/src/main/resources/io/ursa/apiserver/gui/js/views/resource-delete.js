// The confirmation before a DELETE: a modal <dialog> (focus moves into it, Escape cancels, focus returns to the
// Delete button) that says what goes with the resource. For a Mesh: its policies by type (GET /mesh-insights/{m}
// "policies"), its Secrets (GET /meshes/{m}/secrets total) and how many Dataplanes are attached, since the API
// refuses to delete a mesh that still has some; the user may still try, and a refusal is shown in the dialog as the
// API worded it.

import {h, replace, plural} from '../dom.js';
import {del, find, get, seg} from '../api.js';
import {errorBox} from '../router.js';
import {apiPath} from '../types.js';

/** Opens the dialog; onDeleted runs after the API deleted the resource. */
export async function confirmDelete(type, mesh, name, opener, onDeleted) {
  const what = `${type.singularDisplayName} ${name}${mesh ? ` of mesh ${mesh}` : ''}`;
  const body = h('div', {id: 'delete-consequences'}, h('p', {}, 'Loading what goes with it…'));
  const error = h('div', {id: 'delete-error', 'aria-live': 'assertive'});
  const confirm = h('button', {type: 'button', class: 'danger', id: 'delete-confirm'}, `Delete ${type.singularDisplayName}`);
  const cancel = h('button', {type: 'button', id: 'delete-cancel'}, 'Cancel');
  const dialog = h('dialog', {id: 'delete-dialog', 'aria-labelledby': 'delete-title', 'aria-describedby': 'delete-consequences'},
    h('h2', {id: 'delete-title'}, `Delete ${what}?`), body, error, h('div', {class: 'toolbar'}, confirm, cancel));
  document.body.append(dialog);
  dialog.addEventListener('close', () => {
    dialog.remove();
    opener?.focus();
  });
  cancel.addEventListener('click', () => dialog.close());
  confirm.addEventListener('click', async () => {
    confirm.disabled = true;
    replace(error);
    try {
      await del(apiPath(type, mesh, name));
      dialog.close();
      onDeleted();
    } catch (e) {
      replace(error, errorBox(e));
      confirm.disabled = false;
      confirm.focus();
    }
  });
  dialog.showModal();
  cancel.focus();
  replace(body, await consequences(type, mesh, name));
}

async function consequences(type, mesh, name) {
  if (type.name !== 'Mesh') {
    return h('p', {}, `The ${type.singularDisplayName} `, h('strong', {}, name),
      mesh ? [' of mesh ', h('strong', {}, mesh)] : null, ' will be deleted. This cannot be undone.');
  }
  const parts = [h('p', {}, 'The mesh ', h('strong', {}, name), ' will be deleted with everything in it. ',
    'This cannot be undone.')];
  let insight = null;
  try {
    insight = await find(`/mesh-insights/${seg(name)}`);
  } catch (e) {
    parts.push(errorBox(e, 'What the mesh holds could not be read'));
  }
  const attached = insight?.dataplanes?.total || 0;
  if (attached > 0) {
    parts.push(h('p', {class: 'alert warn', id: 'delete-dataplanes'},
      `${plural(attached, 'Dataplane is', 'Dataplanes are')} attached to this mesh: the control plane refuses to `
      + 'delete a mesh while Dataplanes are attached. Delete them (or stop their proxies) first.'));
  }
  const items = Object.entries(insight?.policies || {}).filter(([, c]) => c.total > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([policyType, c]) => h('li', {}, `${plural(c.total, policyType)}`));
  try {
    const secrets = await get(`/meshes/${seg(name)}/secrets?size=1`);
    items.push(h('li', {}, plural(secrets.total, 'Secret')));
  } catch (e) {
    items.push(h('li', {}, 'Secrets: not readable with your role (', e.message, ')'));
  }
  parts.push(h('p', {}, 'These go with it:'), h('ul', {id: 'delete-list'}, items));
  return parts;
}
