package io.ursa.xds.context;

import static java.util.Objects.requireNonNull;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.policy.ExternalServiceSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.Spec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything about one mesh that is the same for all of its proxies, computed once per mesh change by
 * {@link MeshContextBuilder} and shared by every {@link ProxyContext} of the mesh (Kuma's {@code MeshContext}).
 * Per-proxy generation must not recompute anything that belongs here.
 *
 * @param mesh the Mesh
 * @param dataplanes the mesh's Dataplanes, sorted by name
 * @param endpoints the endpoints of every service ({@code kuma.io/service}), services sorted, endpoints in
 *        (address, port, dataplane) order
 * @param applicationEndpoints the same inbounds as {@code endpoints}, but where a proxyless gRPC client reaches
 *        the application itself rather than its sidecar (rule in {@link MeshContextBuilder}), in the same orders
 * @param policies the mesh's policies by type (every type with the POLICY trait), each sorted by name
 * @param externalServices the mesh's ExternalServices, sorted by name
 * @param mtls the mesh's CA and trust when its mTLS is on; empty when it is off
 * @param hash hex SHA-256 of the content of all of the above; equal hashes mean equal inputs
 */
public record MeshContext(
        Resource<MeshSpec> mesh,
        List<Resource<DataplaneSpec>> dataplanes,
        Map<String, List<Endpoint>> endpoints,
        Map<String, List<Endpoint>> applicationEndpoints,
        Map<ResourceType<?>, List<Resource<?>>> policies,
        List<Resource<ExternalServiceSpec>> externalServices,
        Optional<MeshMtls> mtls,
        String hash) {

    public MeshContext {
        requireNonNull(mesh, "mesh");
        dataplanes = List.copyOf(requireNonNull(dataplanes, "dataplanes"));
        endpoints = copyByService(requireNonNull(endpoints, "endpoints"));
        applicationEndpoints = copyByService(requireNonNull(applicationEndpoints, "applicationEndpoints"));
        LinkedHashMap<ResourceType<?>, List<Resource<?>>> policiesCopy = new LinkedHashMap<>();
        requireNonNull(policies, "policies").forEach((type, list) -> policiesCopy.put(type, List.copyOf(list)));
        policies = Collections.unmodifiableMap(policiesCopy);
        externalServices = List.copyOf(requireNonNull(externalServices, "externalServices"));
        requireNonNull(mtls, "mtls");
        requireNonNull(hash, "hash");
        for (Resource<DataplaneSpec> dataplane : dataplanes) {
            if (!dataplane.mesh().equals(mesh.name())) {
                throw new IllegalArgumentException("Dataplane " + dataplane.name() + " is in mesh "
                        + dataplane.mesh() + " (expected: " + mesh.name() + ")");
            }
        }
    }

    /** A mesh whose mTLS is off. */
    public MeshContext(Resource<MeshSpec> mesh, List<Resource<DataplaneSpec>> dataplanes,
                       Map<String, List<Endpoint>> endpoints, Map<String, List<Endpoint>> applicationEndpoints,
                       Map<ResourceType<?>, List<Resource<?>>> policies,
                       List<Resource<ExternalServiceSpec>> externalServices, String hash) {
        this(mesh, dataplanes, endpoints, applicationEndpoints, policies, externalServices, Optional.empty(), hash);
    }

    /** The mesh's name. */
    public String name() {
        return mesh.name();
    }

    /** The endpoints of {@code service}; empty when no Dataplane serves it. */
    public List<Endpoint> endpoints(String service) {
        return endpoints.getOrDefault(requireNonNull(service, "service"), List.of());
    }

    /** Where a proxyless gRPC client reaches the applications of {@code service}; empty when none serves it. */
    public List<Endpoint> applicationEndpoints(String service) {
        return applicationEndpoints.getOrDefault(requireNonNull(service, "service"), List.of());
    }

    /** The policies of {@code type}, sorted by name; empty when there are none or the type is not a policy. */
    @SuppressWarnings("unchecked")
    public <S extends Spec> List<Resource<S>> policies(ResourceType<S> type) {
        List<Resource<?>> list = policies.getOrDefault(requireNonNull(type, "type"), List.of());
        return (List<Resource<S>>) (List<?>) list;
    }

    /** The Dataplane called {@code name}. */
    public Optional<Resource<DataplaneSpec>> dataplane(String name) {
        requireNonNull(name, "name");
        return dataplanes.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /** The context of the proxy of Dataplane {@code name}. */
    public Optional<ProxyContext> proxy(String name) {
        return dataplane(name).map(d -> new ProxyContext(d, this));
    }

    private static Map<String, List<Endpoint>> copyByService(Map<String, List<Endpoint>> byService) {
        TreeMap<String, List<Endpoint>> copy = new TreeMap<>();
        byService.forEach((service, list) -> copy.put(service, List.copyOf(list)));
        return Collections.unmodifiableSortedMap(copy);
    }
}
