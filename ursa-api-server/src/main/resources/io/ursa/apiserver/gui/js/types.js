// The resource types of the control plane, from GET /_resources (one descriptor per type: name, REST path, scope
// Mesh|Global, display names, policy {isExperimental}), and the REST paths and GUI routes built from them. The
// GUI never lists types by hand.

import {get, seg} from './api.js';

let cached = null;

/** Every type, sorted by name (fetched once per page load). */
export async function types() {
  if (!cached) {
    cached = get('/_resources').then((body) => body.resources.slice().sort((a, b) => a.name.localeCompare(b.name)))
      .catch((e) => { cached = null; throw e; });
  }
  return cached;
}

export async function byPath(path) {
  const type = (await types()).find((t) => t.path === path);
  if (!type) throw new Error(`the control plane has no resource type with the REST path "${path}"`);
  return type;
}

export async function byName(name) {
  return (await types()).find((t) => t.name === name) || null;
}

export function meshScoped(type) {
  return type.scope === 'Mesh';
}

/** The REST path of one resource, or of the list when name is empty. */
export function apiPath(type, mesh, name) {
  const base = meshScoped(type) ? `/meshes/${seg(mesh)}/${type.path}` : `/${type.path}`;
  return name ? `${base}/${seg(name)}` : base;
}

/** The GUI route of one resource's page. */
export function viewHash(type, mesh, name) {
  return meshScoped(type) ? `#/meshes/${seg(mesh)}/resources/${type.path}/${seg(name)}`
    : `#/resources/${type.path}/${seg(name)}`;
}

export function editHash(type, mesh, name, form) {
  const base = meshScoped(type) ? `#/meshes/${seg(mesh)}/edit/${type.path}/${seg(name)}`
    : `#/edit/${type.path}/${seg(name)}`;
  return form === 'kubernetes' ? `${base}?form=kubernetes` : base;
}

export function listHash(type, mesh) {
  return `#/resources/${type.path}${meshScoped(type) && mesh ? `?mesh=${seg(mesh)}` : ''}`;
}

/** All mesh names (small: used for mesh selects). */
export async function meshNames() {
  const names = [];
  let offset = 0;
  for (;;) {
    const page = await get(`/meshes?size=1000&offset=${offset}`);
    names.push(...page.items.map((m) => m.name));
    if (!page.next || page.items.length === 0) return names;
    offset += page.items.length;
  }
}
