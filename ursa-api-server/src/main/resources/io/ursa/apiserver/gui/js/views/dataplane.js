// Placeholder until the dataplane page is written.
import {h, replace} from '../dom.js';

export function title() {
  return 'dataplane';
}

export async function mount(root) {
  replace(root, h('h1', {}, 'dataplane'));
}
