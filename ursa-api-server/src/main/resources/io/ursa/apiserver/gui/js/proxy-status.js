// What the status pages read from a DataplaneOverview (GET /meshes/{m}/dataplanes+insights): its status by Kuma's
// rule (DataplaneOverview.GetStatus), its tags and the xDS counters of its current subscription.

import {h, badge} from './dom.js';

export const XDS_TYPES = ['cds', 'eds', 'lds', 'rds', 'sds'];

/** The latest subscription (the current one when the proxy is connected), or null. */
export function lastSubscription(insight) {
  const subscriptions = insight?.subscriptions || [];
  return subscriptions.length ? subscriptions[subscriptions.length - 1] : null;
}

/**
 * online | offline | partially-degraded: offline unless the last subscription is connected; an online dataplane
 * with every reported inbound not ready is offline, with some of them partially degraded.
 */
export function dataplaneStatus(overview) {
  const sub = lastSubscription(overview.dataplaneInsight);
  if (!sub || !sub.connectTime || sub.disconnectTime) return 'offline';
  const inbound = overview.dataplane?.networking?.inbound || [];
  const unhealthy = inbound.filter((i) => i.health && !i.health.ready).length;
  if (unhealthy > 0 && unhealthy === inbound.length) return 'offline';
  return unhealthy > 0 ? 'partially-degraded' : 'online';
}

const STATUS = {
  online: ['ok', 'Online'],
  offline: ['bad', 'Offline'],
  'partially-degraded': ['warn', 'Partially degraded'],
};

export function statusBadge(status) {
  const [kind, text] = STATUS[status] || ['neutral', status];
  return badge(kind, text);
}

/** Inbound tags and gateway tags, each distinct key=value once. */
export function dataplaneTags(dataplane) {
  const networking = dataplane?.networking || {};
  const seen = new Map();
  for (const set of [...(networking.inbound || []).map((i) => i.tags), networking.gateway?.tags]) {
    for (const [k, v] of Object.entries(set || {})) seen.set(`${k}=${v}`, [k, v]);
  }
  return [...seen.values()];
}

export function tagChips(pairs) {
  return pairs.map(([k, v]) => h('span', {class: 'tag'}, `${k}=${v}`));
}

/** ACKs, NACKs and the latest rejection ({type, version, error, time}) of a subscription's status. */
export function xdsSummary(sub) {
  const status = sub?.status || {};
  let acked = 0;
  let nacked = 0;
  let rejection = null;
  for (const type of XDS_TYPES) {
    const s = status[type];
    if (!s) continue;
    acked += Number(s.responsesAcknowledged || 0);
    nacked += Number(s.responsesRejected || 0);
    if (s.lastRejection && (!rejection || (s.lastRejection.time || '') > (rejection.time || ''))) {
      rejection = {type, ...s.lastRejection};
    }
  }
  return {acked, nacked, rejection};
}

/** "lds" → "LDS". */
export function typeLabel(type) {
  return type.toUpperCase();
}

/** A type URL (type.googleapis.com/envoy.config.listener.v3.Listener) → Listener. */
export function shortTypeUrl(url) {
  return String(url).split('.').pop();
}

/**
 * A proxy certificate's expiry. Unlike a CA's (dom.js expiryBadge warns under 30 days), a proxy certificate lives
 * about a day and is renewed before it ends, so it warns only in its last hour and is bad once past.
 */
export function certificateBadge(iso, now = Date.now()) {
  if (!iso) return badge('neutral', 'none');
  const hours = (Date.parse(iso) - now) / 3_600_000;
  const when = `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  if (Number.isNaN(hours)) return badge('neutral', iso);
  if (hours < 0) return badge('bad', `expired ${when}`, iso);
  const left = hours < 48 ? `${Math.floor(hours)} h` : `${Math.floor(hours / 24)} d`;
  return badge(hours < 1 ? 'warn' : 'ok', `expires ${when} (in ${left})`, iso);
}
