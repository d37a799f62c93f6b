// Building the page: elements are always created with text nodes, never from HTML strings, so nothing the API
// returns (names, tags, error texts) can inject markup.

/**
 * h('a', {href: '#/x', class: 'c', onclick: fn, dataset: {k: 'v'}}, 'text', child, [more]) → HTMLElement.
 * null, undefined and false children are skipped; arrays are flattened.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'class') el.className = value;
    else if (key === 'value') el.value = value;
    else if (key === 'checked' || key === 'disabled' || key === 'selected' || key === 'open') el[key] = !!value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces every child of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** An SVG element (the trust map). */
export function svg(tag, attrs, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, String(value));
  }
  for (const child of [children].flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** A badge: kind is ok, warn, bad or neutral. */
export function badge(kind, text, label) {
  return h('span', {class: `badge ${kind}`, title: label}, text);
}

/** Tags as chips. */
export function tags(map) {
  return Object.entries(map || {}).map(([k, v]) => h('span', {class: 'tag'}, `${k}=${v}`));
}

/** A definition list of [term, value] pairs; a null value is left out. */
export function facts(pairs) {
  const dl = h('dl', {class: 'facts'});
  for (const [term, value] of pairs) {
    if (value === undefined || value === null) continue;
    dl.append(h('dt', {}, term), append(h('dd'), [value]));
  }
  return dl;
}

/**
 * A table with a caption: columns are [{title, num?}], rows are arrays of cell contents (strings or nodes), or
 * {cells, attrs} to set attributes on the row.
 */
export function table(caption, columns, rows, emptyText = 'None.') {
  const head = h('tr', {}, columns.map((c) => h('th', {scope: 'col', class: c.num ? 'num' : null}, c.title)));
  const body = h('tbody');
  if (rows.length === 0) {
    body.append(h('tr', {}, h('td', {colspan: columns.length, class: 'muted'}, emptyText)));
  }
  for (const row of rows) {
    const cells = Array.isArray(row) ? row : row.cells;
    const tr = h('tr', Array.isArray(row) ? {} : row.attrs);
    cells.forEach((cell, i) => tr.append(append(h('td', {class: columns[i]?.num ? 'num' : null}), [cell])));
    body.append(tr);
  }
  return h('div', {class: 'table-wrap'}, h('table', {}, h('caption', {class: 'visually-hidden'}, caption),
    h('thead', {}, head), body));
}

/** A labelled form control: returns {field, input, error} so callers can show a message next to it. */
export function field(label, input, help) {
  const id = input.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  const error = h('div', {class: 'field-error', id: `${id}-error`, role: 'alert', hidden: true});
  const helpEl = help ? h('div', {class: 'muted', id: `${id}-help`}, help) : null;
  input.setAttribute('aria-describedby', [helpEl?.id, error.id].filter(Boolean).join(' '));
  const wrapper = h('div', {class: 'field'}, h('label', {for: id}, label), input, helpEl, error);
  return {field: wrapper, input, error};
}

/** Shows message next to a control made by field(), or clears it when message is empty. */
export function setFieldError(f, message) {
  f.error.hidden = !message;
  f.error.textContent = message || '';
  if (message) f.input.setAttribute('aria-invalid', 'true');
  else f.input.removeAttribute('aria-invalid');
}

/** Announces text to screen readers. */
export function announce(text) {
  const status = document.getElementById('status');
  if (status) status.textContent = text;
}

// Formatting

export function timeAgo(iso, now = Date.now()) {
  if (!iso) return '—';
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (Number.isNaN(seconds)) return iso;
  if (seconds < 0) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

/** Days from now until iso (negative when past). */
export function daysUntil(iso, now = Date.now()) {
  return (Date.parse(iso) - now) / 86_400_000;
}

/** An expiry as a badge: bad when past, warn under 30 days, ok otherwise; the date in the title. */
export function expiryBadge(iso, now = Date.now()) {
  if (!iso) return badge('neutral', '—');
  const days = daysUntil(iso, now);
  const date = iso.slice(0, 10);
  if (days < 0) return badge('bad', `expired ${date}`, iso);
  if (days < 30) return badge('warn', `expires ${date} (${Math.floor(days)} d)`, iso);
  return badge('ok', `expires ${date}`, iso);
}

export function plural(n, word, words = `${word}s`) {
  return `${n} ${n === 1 ? word : words}`;
}
