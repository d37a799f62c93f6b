// Entry point of the GUI: the routes, the header's session area and the footer (control-plane version).

import {start} from './router.js';
import {init as initSession} from './session.js';
import {get} from './api.js';
import {h, replace} from './dom.js';
import * as overview from './views/overview.js';
import * as mesh from './views/mesh.js';
import * as dataplane from './views/dataplane.js';
import * as trust from './views/trust.js';
import * as resources from './views/resources.js';
import * as resource from './views/resource.js';
import * as editor from './views/editor.js';

const NAME = '([^/]+)';

start([
  [/^\/$/, overview, [], 'overview'],
  [new RegExp(`^/meshes/${NAME}$`), mesh, ['mesh'], 'overview'],
  [new RegExp(`^/meshes/${NAME}/dataplanes/${NAME}$`), dataplane, ['mesh', 'name'], 'overview'],
  [/^\/trust$/, trust, [], 'trust'],
  [/^\/resources$/, resources, [], 'resources'],
  [new RegExp(`^/resources/${NAME}$`), resources, ['path'], 'resources'],
  [new RegExp(`^/resources/${NAME}/${NAME}$`), resource, ['path', 'name'], 'resources'],
  [new RegExp(`^/meshes/${NAME}/resources/${NAME}/${NAME}$`), resource, ['mesh', 'path', 'name'], 'resources'],
  [/^\/new$/, editor, [], 'resources'],
  [new RegExp(`^/edit/${NAME}/${NAME}$`), editor, ['path', 'name'], 'resources'],
  [new RegExp(`^/meshes/${NAME}/edit/${NAME}/${NAME}$`), editor, ['mesh', 'path', 'name'], 'resources'],
]);
initSession();

get('/').then((index) => {
  replace(document.getElementById('footer'), `Ursa ${index.version} · control plane `, h('code', {}, index.instanceId),
    ' on ', index.hostname, ' · everything shown here comes from the REST API on this port.');
}).catch(() => {});
