// What the editor needs to know of a YAML document before it is sent: its type, name and mesh, read as the
// control plane reads them (ursa-api ResourceCodec.parseDocument): the Universal form has "type", "name" and
// "mesh" at the top; the Kubernetes form has "apiVersion", "kind", "metadata.name", and the mesh in "mesh" or
// else in the label "kuma.io/mesh" ("default" for a mesh-scoped kind without either). And the line of a field
// path such as sources[0].match["kuma.io/service"], so an error of the API can point into the text.

import {load, YAMLException} from '../vendor/js-yaml/js-yaml.mjs';

/**
 * Parses text: {doc, form, type, name, mesh} or {error: {message, line}} (line 1-based) for a syntax error.
 * meshScoped(typeName) says whether a kind without a mesh gets "default".
 */
export function readDocument(text, meshScoped) {
  let doc;
  try {
    doc = load(text);
  } catch (e) {
    if (e instanceof YAMLException) {
      return {error: {message: e.reason || e.message, line: e.mark ? e.mark.line + 1 : null}};
    }
    throw e;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    return {error: {message: 'expected a mapping with "type" (Universal form) or "kind" (Kubernetes form)', line: 1}};
  }
  const str = (v) => (v === undefined || v === null ? '' : String(v));
  if ('apiVersion' in doc || 'kind' in doc) {
    const type = str(doc.kind);
    const metadata = doc.metadata && typeof doc.metadata === 'object' ? doc.metadata : {};
    let mesh = str(doc.mesh);
    if (!mesh && metadata.labels && typeof metadata.labels['kuma.io/mesh'] === 'string') mesh = metadata.labels['kuma.io/mesh'];
    if (!mesh && meshScoped(type)) mesh = 'default';
    return {doc, form: 'kubernetes', type, name: str(metadata.name), mesh};
  }
  return {doc, form: 'universal', type: str(doc.type), name: str(doc.name), mesh: str(doc.mesh)};
}

/** A field path of the API's causes as segments: 'a.b[0]["k.x"]' → ['a', 'b', 0, 'k.x']. */
export function pathSegments(path) {
  const out = [];
  const re = /\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\[([^\]]*)\]|\.?([^.[\]]+)/g;
  let m;
  while ((m = re.exec(path || '')) !== null) {
    if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[2] !== undefined) out.push(m[2].replace(/\\(.)/g, '$1'));
    else if (m[3] !== undefined) out.push(m[3]);
    else out.push(m[4]);
    if (m[0] === '') re.lastIndex++;
  }
  return out;
}

/**
 * Best effort: the 1-based line of text where the field at path is written (block style), or the line of its
 * deepest parent that was found; null when not even the first key is found.
 */
export function lineOf(text, path) {
  const lines = text.split('\n');
  const info = lines.map(parseLine);
  let pos = 0;
  let indent = -1;
  let found = null;
  for (const segment of pathSegments(path)) {
    let hit = -1;
    if (typeof segment === 'number') {
      let count = -1;
      let itemIndent = null;
      for (let i = pos; i < lines.length; i++) {
        const l = info[i];
        if (!l) continue;
        if (itemIndent === null) {
          if (!l.item || l.indent < Math.max(indent, 0)) break;
          itemIndent = l.indent;
        }
        if (l.indent < itemIndent || (l.indent === itemIndent && !l.item)) break;
        if (l.indent === itemIndent && l.item && ++count === segment) { hit = i; break; }
      }
      if (hit < 0) break;
      pos = hit;
      indent = info[hit].indent;
      found = hit;
      continue;
    }
    for (let i = pos; i < lines.length; i++) {
      const l = info[i];
      if (!l) continue;
      if (l.indent <= indent && !(i === pos && l.item && l.indent === indent)) break;
      if (l.key === segment && l.keyIndent > indent) { hit = i; break; }
    }
    if (hit < 0) break;
    pos = hit + 1;
    indent = info[hit].keyIndent;
    found = hit;
  }
  return found === null ? null : found + 1;
}

/** {indent, item, key, keyIndent} of a line, or null for a blank or comment line. */
function parseLine(line) {
  const m = /^(\s*)(- +)?(.*)$/.exec(line);
  const rest = m[3];
  if (!m[2] && (rest === '' || rest.startsWith('#'))) return null;
  const indent = m[1].length;
  const keyIndent = indent + (m[2] ? m[2].length : 0);
  const k = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^:#'"][^:#]*?))\s*:(?:\s|$)/.exec(rest);
  const key = k ? (k[1] !== undefined ? k[1].replace(/\\(.)/g, '$1') : k[2] !== undefined ? k[2].replace(/''/g, "'") : k[3]) : null;
  return {indent, item: !!m[2], key, keyIndent};
}
