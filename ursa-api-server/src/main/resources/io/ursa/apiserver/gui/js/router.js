// Hash routes (#/meshes/default/dataplanes/web-1): the server only ever serves /gui, so every page of the GUI
// can be bookmarked and reloaded. A view module exports
//   title(params) → string, and
//   mount(root, page) → Promise; page = {params, query, live(fn, ms), navigate(hash), setTitle(text)}.
// live(fn) runs fn now and again every 3 s (the live status of the page), until the user leaves the page; while a
// run is in progress the next one waits, and a failure is shown above the page until a later run succeeds.

import {h, replace, announce} from './dom.js';
import {ApiError} from './api.js';

export const LIVE_INTERVAL_MS = 3000;

let routes = [];
let current = null;

/** table: [[/^pattern$/, module, ['param', ...], navKey]] matched against the hash path. */
export function start(table) {
  routes = table;
  window.addEventListener('hashchange', render);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && current) current.timers.forEach((t) => t.run());
  });
  render();
}

export function navigate(hash) {
  if (location.hash === hash) render();
  else location.hash = hash;
}

/** Renders the current page again (after sign-in). */
export function reload() {
  render();
}

function parse() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, search] = raw.split('?');
  return {path: path || '/', query: new URLSearchParams(search || '')};
}

async function render() {
  if (current) current.dispose();
  const {path, query} = parse();
  const main = document.getElementById('main');
  let match = null;
  for (const [pattern, module, names, nav] of routes) {
    const m = pattern.exec(path);
    if (m) {
      const params = {};
      (names || []).forEach((name, i) => { params[name] = decodeURIComponent(m[i + 1]); });
      match = {module, params, nav};
      break;
    }
  }
  document.querySelectorAll('[data-nav]').forEach((a) => {
    if (match && a.dataset.nav === match.nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  const page = new Page(match ? match.params : {}, query);
  current = page;
  main.dataset.state = 'loading'; // "ready" once the page has shown its first data (tests and tools wait on it)
  const root = h('div', {class: 'page'});
  const banner = h('div', {class: 'page-error', 'aria-live': 'polite'});
  replace(main, banner, root);
  page.banner = banner;
  if (!match) {
    document.title = 'Not found · Ursa';
    replace(root, h('h1', {}, 'Not found'), h('p', {}, 'The GUI has no page ', h('code', {}, path), '. ',
      h('a', {href: '#/'}, 'Go to the overview.')));
    main.dataset.state = 'ready';
    return;
  }
  const title = match.module.title ? match.module.title(match.params) : 'Ursa';
  page.setTitle(title);
  try {
    await match.module.mount(root, page);
  } catch (e) {
    if (page.disposed) return;
    replace(root, h('h1', {}, title), errorBox(e));
  }
  if (!page.disposed) {
    main.dataset.state = 'ready';
    main.focus({preventScroll: true});
    announce(`${title} loaded`);
  }
}

class Page {
  constructor(params, query) {
    this.params = params;
    this.query = query;
    this.timers = [];
    this.disposed = false;
    this.banner = null;
  }

  setTitle(text) {
    document.title = `${text} · Ursa`;
  }

  navigate(hash) {
    navigate(hash);
  }

  /** Runs fn now (awaited) and every ms while the page is shown. */
  async live(fn, ms = LIVE_INTERVAL_MS) {
    const page = this;
    const timer = {
      busy: false,
      handle: null,
      async run() {
        if (timer.busy || page.disposed || document.hidden) return;
        timer.busy = true;
        try {
          await fn();
          if (!page.disposed) replace(page.banner);
        } catch (e) {
          if (!page.disposed) replace(page.banner, errorBox(e, 'Live update failed; retrying'));
        } finally {
          timer.busy = false;
        }
      },
    };
    this.timers.push(timer);
    await timer.run();
    if (!this.disposed) timer.handle = setInterval(() => timer.run(), ms);
  }

  dispose() {
    this.disposed = true;
    this.timers.forEach((t) => clearInterval(t.handle));
  }
}

/** An error as the API worded it; 401/403 say that signing in may help. */
export function errorBox(e, prefix) {
  const box = h('div', {class: 'alert bad', role: 'alert'});
  const text = e instanceof ApiError ? e.describe() : e.message || String(e);
  box.append(prefix ? `${prefix}: ${text}` : text);
  if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
    box.append(h('br'), 'Your role may not see this. ',
      h('button', {type: 'button', onclick: () => document.dispatchEvent(new CustomEvent('ursa:sign-in'))},
        'Sign in with a user token'));
  }
  return box;
}
