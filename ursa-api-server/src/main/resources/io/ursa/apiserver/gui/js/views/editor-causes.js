// The API's answer to a write, shown where the user looks: each cause {field, message} of a 400 next to the control
// it names when the page has one (route(field) → a field() record or null), the others listed under the text with
// their field path and the line of the YAML where that field is written; warnings of a 200/201 as warnings.

import {h, replace, setFieldError} from '../dom.js';
import {ApiError} from '../api.js';
import {errorBox} from '../router.js';
import {lineOf} from '../yaml-doc.js';

/** Shows error e: causes with a route go next to their control, the rest into list. */
export function showCauses(e, list, route, textarea) {
  if (!(e instanceof ApiError) || e.causes.length === 0) {
    replace(list, errorBox(e));
    return;
  }
  const rest = [];
  for (const cause of e.causes) {
    const target = cause.field ? route(cause.field) : null;
    if (target) {
      const previous = target.error.hidden ? '' : `${target.error.textContent}; `;
      setFieldError(target, previous + cause.message);
    } else {
      rest.push(cause);
    }
  }
  const items = rest.map((cause) => {
    const line = textarea && cause.field ? lineOf(textarea.value, cause.field) : null;
    return h('li', {'data-field': cause.field || ''},
      cause.field ? [h('code', {}, cause.field), ': '] : null, cause.message,
      line ? [' ', h('button', {type: 'button', class: 'link', 'data-line': line,
        onclick: () => selectLine(textarea, line)}, `line ${line}`)] : null);
  });
  replace(list, h('div', {class: 'alert bad', role: 'alert'},
    h('p', {}, `${e.title ? `${e.title}: ` : ''}${e.details}`),
    items.length ? h('ul', {}, items) : h('p', {}, 'See the messages next to the fields above.')));
}

export function showWarnings(box, warnings) {
  if (!warnings || warnings.length === 0) {
    replace(box);
    return;
  }
  replace(box, h('div', {class: 'alert warn', role: 'status'}, h('p', {}, 'Warnings of the control plane:'),
    h('ul', {}, warnings.map((w) => h('li', {}, w)))));
}

/** Selects line (1-based) of the textarea and moves focus there. */
export function selectLine(textarea, line) {
  const lines = textarea.value.split('\n');
  let start = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
  const end = start + (lines[line - 1] || '').length;
  textarea.focus();
  textarea.setSelectionRange(start, end);
  const lineHeight = textarea.scrollHeight / Math.max(lines.length, 1);
  textarea.scrollTop = Math.max(0, (line - 3) * lineHeight);
}
