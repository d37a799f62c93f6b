// A message for the next page (the warnings of a write, shown on the resource's page after the editor navigates
// there). Kept in memory only: a reload forgets it.

let pending = null;

export function setFlash(message) {
  pending = message;
}

/** The message left for this page, once. */
export function takeFlash() {
  const message = pending;
  pending = null;
  return message;
}
