package io.ursa.xds.generator;

import io.ursa.xds.context.Endpoint;
import io.ursa.xds.context.ExternalEndpoint;
import io.ursa.xds.context.MeshContext;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link ServiceProtocol} of every service of a mesh context, from the {@code kuma.io/protocol} tags of its
 * Dataplanes' and its ExternalServices' endpoints (Kuma's {@code inferProtocol} looks at both), inferred once per
 * context and shared by its proxies ({@link io.ursa.xds.context.SharedResources}).
 *
 * <p>Why: the outbound generator needs the protocol of each destination for every outbound listener and every
 * cluster of every first proxy of a workload; inferring it there copied and re-read the endpoint lists each time.
 * The protocol of several services together is the common protocol of theirs ({@link ServiceProtocol#common} is
 * associative and commutative), where a service without endpoints counts for nothing, exactly as inferring over the
 * concatenation of their endpoint lists does.
 */
final class ServiceProtocols {
    /** The key of the table in a context's shared resources; nothing else uses this class as a key. */
    private static final Class<ServiceProtocols> KEY = ServiceProtocols.class;

    /** The protocol of each service that has at least one endpoint. */
    private final Map<String, ServiceProtocol> byService;

    private ServiceProtocols(Map<String, ServiceProtocol> byService) {
        this.byService = byService;
    }

    /** The table of {@code mesh}, inferred the first time a proxy of the context asks. */
    static ServiceProtocols of(MeshContext mesh) {
        return mesh.shared().computeIfAbsent(KEY, () -> infer(mesh));
    }

    /** The protocol of {@code service}: {@link ServiceProtocol#UNKNOWN} when it has no endpoints. */
    ServiceProtocol of(String service) {
        return byService.getOrDefault(service, ServiceProtocol.UNKNOWN);
    }

    /**
     * The protocol of the endpoints of all {@code services} together (each may repeat): the common protocol of those
     * with endpoints, {@link ServiceProtocol#UNKNOWN} when none has any.
     */
    ServiceProtocol of(Collection<String> services) {
        ServiceProtocol common = null;
        for (String service : services) {
            ServiceProtocol protocol = byService.get(service);
            if (protocol != null) {
                common = common == null ? protocol : ServiceProtocol.common(common, protocol);
            }
        }
        return common == null ? ServiceProtocol.UNKNOWN : common;
    }

    private static ServiceProtocols infer(MeshContext mesh) {
        Map<String, ServiceProtocol> byService = new HashMap<>();
        mesh.endpoints().forEach((service, endpoints) -> add(byService, service, endpoints));
        mesh.externalEndpoints().forEach((service, external) ->
                add(byService, service, external.stream().map(ExternalEndpoint::asEndpoint).toList()));
        return new ServiceProtocols(Map.copyOf(byService));
    }

    private static void add(Map<String, ServiceProtocol> byService, String service, List<Endpoint> endpoints) {
        if (!endpoints.isEmpty()) {
            byService.merge(service, ServiceProtocol.infer(endpoints), ServiceProtocol::common);
        }
    }
}
