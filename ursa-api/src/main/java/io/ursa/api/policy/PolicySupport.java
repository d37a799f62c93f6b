package io.ursa.api.policy;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * What each data plane does with each policy type today: applied, applied in part, or stored and matched but not
 * applied. {@code GET /policies} shows it, a write of a type no data plane applies answers with a warning, and a
 * test in {@code ursa-xds} generates every type against both kinds of proxy to keep this table true (a type said
 * not to be applied must leave the generated configuration unchanged; one said to be applied must change it).
 */
public final class PolicySupport {
    /** How much of a policy type one kind of data plane gets. */
    public enum Level {
        APPLIED("applied"), PARTIAL("partial"), NOT_APPLIED("not applied");

        private final String json;

        Level(String json) {
            this.json = json;
        }

        /** The word {@code /policies} shows. */
        public String json() {
            return json;
        }
    }

    /**
     * @param envoy         what Envoy sidecars (driven by {@code ursa-dp}) get
     * @param proxylessGrpc what proxyless gRPC applications ({@code io.grpc:grpc-xds}) get
     * @param note          what is left out, for anything but {@link Level#APPLIED} on both; empty otherwise
     */
    public record Support(Level envoy, Level proxylessGrpc, String note) {
        public Support {
            requireNonNull(envoy, "envoy");
            requireNonNull(proxylessGrpc, "proxylessGrpc");
            requireNonNull(note, "note");
        }

        /** Whether no data plane applies the type at all. */
        public boolean appliedNowhere() {
            return envoy == Level.NOT_APPLIED && proxylessGrpc == Level.NOT_APPLIED;
        }
    }

    private static final String NOT_YET = "stored and matched (see the dataplane's policies), but not applied to "
            + "any proxy yet";

    private static final Map<String, Support> BY_TYPE = Map.ofEntries(
            Map.entry("TrafficPermission", new Support(Level.APPLIED, Level.APPLIED,
                    "enforced where mesh mTLS is on (the caller's identity comes from its certificate); a builtin "
                            + "gateway enforces it on its cross-mesh listeners only, as Kuma's gateway has no "
                            + "authorization on the others")),
            Map.entry("TrafficRoute", new Support(Level.APPLIED, Level.PARTIAL,
                    "proxyless gRPC gets conf.http matches and destinations but not their modify (grpc-xds cannot "
                            + "rewrite), and round robin, least request and xxHash ring hash only")),
            Map.entry("Timeout", new Support(Level.APPLIED, Level.PARTIAL,
                    "proxyless gRPC gets only a call deadline (the shorter of http.requestTimeout and "
                            + "grpc.maxStreamDuration); a builtin gateway, as Kuma's, applies the connect, idle and "
                            + "request timeouts to its routes' clusters and routes, and keeps its own connection "
                            + "manager timeouts")),
            Map.entry("CircuitBreaker", new Support(Level.APPLIED, Level.PARTIAL,
                    "proxyless gRPC enforces thresholds.maxRequests only, and of the detectors standardDeviation and "
                            + "failure (gRFC A50), not the consecutive-error ones")),
            Map.entry("Retry", new Support(Level.APPLIED, Level.PARTIAL,
                    "proxyless gRPC gets the grpc section's status codes, attempts and back-off")),
            Map.entry("TrafficLog", new Support(Level.APPLIED, Level.NOT_APPLIED,
                    "grpc-xds writes no access log; a builtin gateway writes none yet either")),
            Map.entry("TrafficTrace", new Support(Level.APPLIED, Level.NOT_APPLIED,
                    "grpc-xds takes no tracing configuration over xDS")),
            Map.entry("HealthCheck", new Support(Level.APPLIED, Level.NOT_APPLIED,
                    "Envoy sidecars check the destination's instances actively; grpc-xds does no active health "
                            + "checking")),
            Map.entry("FaultInjection", new Support(Level.APPLIED, Level.PARTIAL,
                    "applied by the destination's Envoy sidecar to HTTP, HTTP/2 and gRPC inbounds, for callers whose "
                            + "sidecar sends x-kuma-tags; a proxyless gRPC caller applies delays and aborts itself "
                            + "(no response bandwidth)")),
            Map.entry("RateLimit", new Support(Level.APPLIED, Level.NOT_APPLIED,
                    "applied by the destination's Envoy sidecar to HTTP, HTTP/2 and gRPC inbounds, for callers whose "
                            + "sidecar sends x-kuma-tags, and by the caller's sidecar to its HTTP routes toward "
                            + "ExternalServices; grpc-xds has no local rate limit")),
            Map.entry("ProxyTemplate", new Support(Level.APPLIED, Level.NOT_APPLIED,
                    "Envoy sidecars get the imports (default-proxy, gateway-proxy for a builtin gateway), "
                            + "resources and modifications as in Kuma 2.0, "
                            + "parsed strictly; proxyless gRPC does not: its resources are grpc-xds's, and the "
                            + "modifications address Envoy listeners and filters")),
            Map.entry("VirtualOutbound", new Support(Level.APPLIED, Level.NOT_APPLIED,
                    "applied to transparently proxied Envoy sidecars, as in Kuma: each host gets a VIP, outbound "
                            + "listeners routed by the tags its parameters read, and an entry in the kuma:dns table; "
                            + "proxyless gRPC has no transparent proxying or VIPs, so its channels cannot use the "
                            + "hosts")),
            Map.entry("ExternalService", new Support(Level.APPLIED, Level.PARTIAL,
                    "Envoy sidecars connect straight to its address with its own TLS, or, in a mesh with "
                            + "routing.zoneEgress, over mesh mTLS to the ZoneEgress proxies, which connect to it; "
                            + "proxyless gRPC always connects straight to it (zone egress is not applied to it), "
                            + "reaches plaintext ones only, by IP addresses or one host name (grpc-xds takes TLS "
                            + "certificates from its bootstrap alone), and calls to the others fail")),
            Map.entry("MeshGateway", new Support(Level.APPLIED, Level.NOT_APPLIED,
                    "configures the builtin gateway, an Envoy run by ursa-dp (HTTP, HTTPS with TERMINATE, TCP and "
                            + "cross-mesh listeners; the connection limit as Envoy's connection_limit filter); a "
                            + "proxyless gRPC application cannot be a builtin gateway and is refused at connect")),
            Map.entry("MeshGatewayRoute", new Support(Level.APPLIED, Level.NOT_APPLIED,
                    "routes of the builtin gateway, an Envoy run by ursa-dp; a proxyless gRPC application cannot "
                            + "be a builtin gateway")));

    private PolicySupport() {
    }

    /** The support of policy type {@code typeName}; empty for a type that is not a policy. */
    public static Optional<Support> of(String typeName) {
        return Optional.ofNullable(BY_TYPE.get(typeName));
    }

    /**
     * The warning a write of {@code typeName} answers with when no data plane applies it, e.g.
     * {@code FaultInjection "x" is stored but not applied: ...}; empty when some data plane applies it.
     */
    public static Optional<String> warningForWrite(String typeName, String name) {
        return of(typeName).filter(Support::appliedNowhere).map(s -> typeName + " \"" + name
                + "\" is stored but not applied to Envoy sidecars or proxyless gRPC yet: it has no effect on traffic");
    }
}
