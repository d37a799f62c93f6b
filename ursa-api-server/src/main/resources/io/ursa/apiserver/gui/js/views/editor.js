// Placeholder until the editor page is written.
import {h, replace} from '../dom.js';

export function title() {
  return 'editor';
}

export async function mount(root) {
  replace(root, h('h1', {}, 'editor'));
}
