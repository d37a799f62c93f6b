// Placeholder until the mesh page is written.
import {h, replace} from '../dom.js';

export function title() {
  return 'mesh';
}

export async function mount(root) {
  replace(root, h('h1', {}, 'mesh'));
}
