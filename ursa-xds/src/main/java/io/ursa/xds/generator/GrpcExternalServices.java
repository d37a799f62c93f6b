package io.ursa.xds.generator;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.ursa.xds.context.ExternalEndpoint;
import io.ursa.xds.envoy.clusters.ClusterBuilder;
import io.ursa.xds.envoy.clusters.ClusterConfigurers;
import io.ursa.xds.envoy.clusters.ProvidedEndpointConfigurers;
import io.ursa.xds.envoy.endpoints.ClusterLoadAssignments;
import io.ursa.xds.generator.RouteTargets.ClusterPlan;
import io.ursa.xds.resources.ResourceSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a proxyless gRPC client reaches an ExternalService's {@code kuma.io/service}: straight to its address, as an
 * Envoy sidecar does ({@link ExternalServiceClusters}), in the cluster forms grpc-xds accepts (its
 * {@code XdsClusterResource} takes EDS, LOGICAL_DNS with exactly one endpoint, and aggregate clusters; not STATIC
 * or STRICT_DNS, and no {@code transport_socket_matches}):
 * <ul>
 *   <li>all ExternalServices of the service with IP addresses and TLS off: an EDS cluster over ADS named like the
 *       destination, and its ClusterLoadAssignment of their addresses (tags as metadata, as for mesh
 *       endpoints);</li>
 *   <li>one ExternalService with a host name and TLS off: a LOGICAL_DNS cluster of {@code host:port}, which the
 *       client resolves itself;</li>
 *   <li>anything else, i.e. TLS on ({@code networking.tls}: grpc-xds takes certificates and CAs only from the
 *       certificate providers of its bootstrap, never inline or from a Secret) or several host names (grpc-xds has
 *       no cluster that balances over several names): an EDS cluster with no endpoints, so that calls fail
 *       (UNAVAILABLE) instead of leaving in plaintext or to half of the service. Logged.</li>
 * </ul>
 * Never mesh mTLS: the server is not in the mesh, and a client with {@code XdsChannelCredentials} uses its fallback
 * (plaintext) credentials for a cluster without a transport socket. As for Envoy, every ExternalService of the
 * service is an endpoint of every cluster of it, and no TrafficRoute load balancer or CircuitBreaker is applied.
 * Stateless.
 */
final class GrpcExternalServices {
    private static final Logger log = LoggerFactory.getLogger(GrpcExternalServices.class);

    private GrpcExternalServices() {
    }

    /** The cluster of {@code plan} toward {@code endpoints} (not empty), with its ClusterLoadAssignment if EDS. */
    static ResourceSet resources(ClusterPlan plan, List<ExternalEndpoint> endpoints) {
        boolean plaintext = endpoints.stream().allMatch(e -> e.tls().isEmpty());
        ClusterBuilder cluster = ClusterBuilder.named(plan.name());
        if (plaintext && endpoints.stream().allMatch(ExternalEndpoint::hasIpAddress)) {
            return ResourceSet.of(cluster.configure(ClusterConfigurers.eds()).build(), ClusterLoadAssignments.of(
                    plan.name(), endpoints.stream().map(ExternalEndpoint::asEndpoint).toList()));
        }
        if (plaintext && endpoints.size() == 1) {
            ExternalEndpoint endpoint = endpoints.get(0);
            return ResourceSet.of(cluster.configure(ProvidedEndpointConfigurers.logicalDns(endpoint.host(),
                    endpoint.port())).build());
        }
        log.debug("cluster {} of proxyless gRPC has no endpoints: grpc-xds cannot reach the ExternalServices {} ({})",
                plan.name(), endpoints.stream().map(ExternalEndpoint::name).toList(),
                plaintext ? "a host name among several addresses" : "TLS on");
        Cluster unreachable = cluster.configure(ClusterConfigurers.eds()).build();
        return ResourceSet.of(unreachable, ClusterLoadAssignments.of(plan.name(), List.of()));
    }
}
