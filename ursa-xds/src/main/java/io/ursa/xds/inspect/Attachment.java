package io.ursa.xds.inspect;

import static java.util.Objects.requireNonNull;

import io.ursa.xds.generator.policies.PolicyMatch;
import java.util.Comparator;
import java.util.List;

/**
 * Where policies attach to a proxy (Kuma's inspect {@code Attachment}) and the policies that matched there, in the
 * order they rank.
 *
 * @param name {@code <dataplaneIp>:<dataplanePort>:<workloadPort>} of an inbound, {@code <ip>:<port>} of an
 *        outbound, the service of a service, empty for the dataplane itself
 * @param service the service of the inbound, outbound or service; empty for the dataplane itself
 */
record Attachment(Type type, String name, String service, List<PolicyMatch<?>> matches) {
    /** Kuma's order: by type, then name, then service. */
    static final Comparator<Attachment> ORDER = Comparator.comparing(Attachment::type)
            .thenComparing(Attachment::name).thenComparing(Attachment::service);

    Attachment {
        requireNonNull(type, "type");
        requireNonNull(name, "name");
        requireNonNull(service, "service");
        matches = List.copyOf(matches);
    }

    /** The kinds of attachment, in the order of their JSON names. */
    enum Type {
        /** Policies that select the whole proxy (TrafficTrace, ProxyTemplate). */
        DATAPLANE("dataplane"),
        /** Policies of the traffic an inbound receives (TrafficPermission, FaultInjection, RateLimit). */
        INBOUND("inbound"),
        /** Policies of an outbound listener (TrafficRoute, Timeout). */
        OUTBOUND("outbound"),
        /** Policies of the traffic to a service (TrafficLog, HealthCheck, CircuitBreaker, Retry). */
        SERVICE("service");

        private final String json;

        Type(String json) {
            this.json = json;
        }

        String json() {
            return json;
        }
    }
}
