// Who is signed in, shown in the header from GET /who-am-i, and the sign-in dialog. A user token is checked with
// the API before it is kept (sessionStorage: this browser tab only, gone when it closes); signing out forgets it.
// The GUI never decides what a user may do: the API answers, and a refusal is shown as the API worded it.

import {h, replace, field, setFieldError} from './dom.js';
import {ApiError, get, setToken, token, onTokenChange} from './api.js';
import {reload} from './router.js';

let dialog = null;

export function init() {
  onTokenChange(() => { show(); reload(); });
  document.addEventListener('ursa:sign-in', openDialog);
  show();
}

async function show() {
  const area = document.getElementById('session');
  let me;
  try {
    me = await get('/who-am-i');
  } catch (e) {
    replace(area, h('span', {}, e instanceof ApiError ? e.describe() : 'control plane unreachable'),
      signInButton());
    return;
  }
  const who = me.via === 'anonymous' ? 'not signed in (anonymous)'
    : me.via === 'loopback' ? `${me.name} (local admin)` : me.name;
  const parts = [h('span', {id: 'signed-in-as', 'data-user': me.name, 'data-via': me.via},
    me.via === 'anonymous' ? who : ['Signed in as ', h('strong', {}, who)])];
  if (token()) {
    parts.push(h('button', {type: 'button', id: 'sign-out', onclick: () => setToken(null)}, 'Sign out'));
  } else {
    parts.push(signInButton());
  }
  replace(area, parts);
}

function signInButton() {
  return h('button', {type: 'button', id: 'sign-in', onclick: openDialog}, 'Sign in');
}

function openDialog() {
  if (dialog) dialog.remove();
  const input = h('input', {type: 'password', id: 'sign-in-token', name: 'token', autocomplete: 'off', spellcheck: 'false', required: true});
  const tokenField = field('User token', input,
    'From "ursactl generate user-token --name <you> --group <group> --valid-for 24h". Kept for this browser tab only.');
  const submit = h('button', {type: 'submit', class: 'primary'}, 'Sign in');
  const cancel = h('button', {type: 'button', onclick: () => dialog.close()}, 'Cancel');
  const form = h('form', {method: 'dialog'}, h('h2', {id: 'sign-in-title'}, 'Sign in'), tokenField.field,
    h('div', {class: 'toolbar'}, submit, cancel));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (!value) {
      setFieldError(tokenField, 'a user token is required');
      return;
    }
    submit.disabled = true;
    try {
      await checkToken(value);
      dialog.close();
      setToken(value);
    } catch (e) {
      setFieldError(tokenField, e instanceof ApiError ? e.describe() : e.message);
      input.focus();
    } finally {
      submit.disabled = false;
    }
  });
  dialog = h('dialog', {'aria-labelledby': 'sign-in-title'}, form);
  document.body.append(dialog);
  dialog.showModal();
  input.focus();
}

async function checkToken(value) {
  const response = await fetch('/who-am-i', {headers: {Authorization: `Bearer ${value}`}, cache: 'no-store'});
  if (!response.ok) {
    let body = {};
    try { body = await response.json(); } catch (e) { /* not JSON */ }
    throw new ApiError(response.status, body, '/who-am-i');
  }
  return response.json();
}

