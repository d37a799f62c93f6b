package io.ursa.api.dataplane;

/**
 * An inbound with Kuma's defaults applied: the proxy listens on {@code dataplaneIp:dataplanePort}, other
 * proxies connect to {@code dataplaneAdvertisedIp:dataplanePort}, and traffic goes on to the application at
 * {@code workloadIp:workloadPort}.
 */
public record InboundInterface(String dataplaneIp, String dataplaneAdvertisedIp, int dataplanePort,
                               String workloadIp, int workloadPort) {
}
