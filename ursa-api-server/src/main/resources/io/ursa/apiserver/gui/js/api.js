// The GUI's only way to the control plane: the public REST API on the origin that served the page. Whatever the
// GUI shows, the same GET shows with curl. The user token (when signed in) is kept in sessionStorage, so it lives
// as long as the browser tab and is sent as "Authorization: Bearer"; nothing else is stored.

const TOKEN_KEY = 'ursa.token';
const listeners = new Set();

/** An answer of the API that is not 2xx, with Kuma's error body {title, details, causes: [{field, message}]}. */
export class ApiError extends Error {
  constructor(status, body, path) {
    const details = body?.details || body?.title || `HTTP ${status}`;
    super(`${body?.title ? `${body.title}: ` : ''}${details}`);
    this.status = status;
    this.title = body?.title || '';
    this.details = details;
    this.causes = Array.isArray(body?.causes) ? body.causes : [];
    this.path = path;
  }

  /** One line per cause ("field: message"), or the details. */
  describe() {
    if (this.causes.length === 0) return this.message;
    return `${this.details}: ${this.causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)).join('; ')}`;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value.trim());
  else sessionStorage.removeItem(TOKEN_KEY);
  listeners.forEach((fn) => fn());
}

/** fn runs when the token changes (sign in, sign out, refused). */
export function onTokenChange(fn) {
  listeners.add(fn);
}

/**
 * Calls the API: method, path (with its query), and an optional body (an object is sent as JSON, a string as
 * YAML). Resolves to {status, body, headers} where body is parsed JSON, or text for non-JSON answers; rejects
 * with ApiError for 4xx/5xx and with a plain Error when the control plane cannot be reached.
 */
export async function call(method, path, body) {
  const headers = {Accept: 'application/json'};
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  let payload;
  if (typeof body === 'string') {
    headers['Content-Type'] = 'application/yaml';
    payload = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, {method, headers, body: payload, cache: 'no-store', credentials: 'omit'});
  } catch (e) {
    throw new Error(`the control plane cannot be reached (${e.message})`);
  }
  const type = response.headers.get('Content-Type') || '';
  const text = await response.text();
  let parsed = text;
  if (type.includes('json') && text) {
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      parsed = text;
    }
  }
  if (!response.ok) {
    if (response.status === 401 && t) setToken(null); // an expired or revoked token: ask again
    throw new ApiError(response.status, typeof parsed === 'object' ? parsed : {details: text}, path);
  }
  return {status: response.status, body: parsed, headers: response.headers};
}

export async function get(path) {
  return (await call('GET', path)).body;
}

/** GET that answers null for 404. */
export async function find(path) {
  try {
    return await get(path);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

/** Every item of a Kuma list, following "next" (use only for lists known to be small). */
export async function getAll(path, limit = 5000) {
  const items = [];
  let next = path + (path.includes('?') ? '&' : '?') + 'size=1000';
  while (next && items.length < limit) {
    const page = await get(next);
    items.push(...page.items);
    next = page.next ? new URL(page.next).pathname + new URL(page.next).search : null;
  }
  return items;
}

export function put(path, body) {
  return call('PUT', path, body);
}

export function del(path) {
  return call('DELETE', path);
}

/** Encodes one path segment. */
export function seg(value) {
  return encodeURIComponent(value);
}

/** A query string from an object; arrays repeat the key; empty values are left out. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    for (const one of [v].flat()) {
      if (one !== undefined && one !== null && one !== '') q.append(k, String(one));
    }
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
