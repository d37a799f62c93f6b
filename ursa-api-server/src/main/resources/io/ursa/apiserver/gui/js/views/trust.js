// Placeholder until the trust page is written.
import {h, replace} from '../dom.js';

export function title() {
  return 'trust';
}

export async function mount(root) {
  replace(root, h('h1', {}, 'trust'));
}
