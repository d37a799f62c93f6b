package io.ursa.api.mesh;

/**
 * {@code routing}.
 *
 * @param localityAwareLoadBalancing zone-aware endpoint priorities
 * @param zoneEgress send cross-zone and external-service traffic through ZoneEgress; needs mTLS
 */
public record Routing(boolean localityAwareLoadBalancing, boolean zoneEgress) {
}
