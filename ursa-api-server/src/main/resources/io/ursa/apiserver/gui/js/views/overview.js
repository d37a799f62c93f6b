// Placeholder until the overview page is written.
import {h, replace} from '../dom.js';

export function title() {
  return 'overview';
}

export async function mount(root) {
  replace(root, h('h1', {}, 'overview'));
}
