// Placeholder until the resources page is written.
import {h, replace} from '../dom.js';

export function title() {
  return 'resources';
}

export async function mount(root) {
  replace(root, h('h1', {}, 'resources'));
}
