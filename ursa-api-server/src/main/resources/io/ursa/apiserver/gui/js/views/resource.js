// Placeholder until the resource page is written.
import {h, replace} from '../dom.js';

export function title() {
  return 'resource';
}

export async function mount(root) {
  replace(root, h('h1', {}, 'resource'));
}
