// Paging and filtering helpers for the status pages: a pager that keeps its buttons (and the focus on them) across
// live refreshes, and a debounce so that typing in a filter asks the API once, not once per keystroke.

import {h} from './dom.js';

/** 10,000 rather than 10000. */
function count(n) {
  return n.toLocaleString('en-US');
}

/** fn called once, ms after the last of a burst of calls. */
export function debounce(fn, ms = 300) {
  let handle = null;
  return (...args) => {
    clearTimeout(handle);
    handle = setTimeout(() => fn(...args), ms);
  };
}

/**
 * "Previous / Next" buttons and "Showing X–Y of N" for a list of `noun`; onPage(offset) is called with the new
 * offset. update(offset, size, total) sets the state without rebuilding the buttons.
 */
export function createPager(noun, onPage, id) {
  const state = {offset: 0, size: 50, total: 0};
  const text = h('span', {class: 'pager-text', 'aria-live': 'polite', 'data-pager-text': ''});
  const prev = h('button', {type: 'button', 'data-pager': 'previous',
    onclick: () => onPage(Math.max(0, state.offset - state.size))}, 'Previous');
  const next = h('button', {type: 'button', 'data-pager': 'next',
    onclick: () => onPage(state.offset + state.size)}, 'Next');
  const el = h('nav', {class: 'pager', id, 'aria-label': `Pages of ${noun}`}, prev, next, text);
  return {
    el,
    update(offset, size, total) {
      Object.assign(state, {offset, size, total});
      prev.disabled = offset <= 0;
      next.disabled = offset + size >= total;
      text.textContent = total === 0 ? `No ${noun}`
        : `Showing ${count(offset + 1)}–${count(Math.min(total, offset + size))} of ${count(total)} ${noun}`;
      el.hidden = total <= size && offset === 0;
    },
  };
}
