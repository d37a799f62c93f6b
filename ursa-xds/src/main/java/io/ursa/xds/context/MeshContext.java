package io.ursa.xds.context;

import static java.util.Objects.requireNonNull;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.Spec;
import io.ursa.xds.vips.MeshVips;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * Everything about one mesh that is the same for all of its proxies, computed once per mesh change by
 * {@link MeshContextBuilder} and shared by every {@link ProxyContext} of the mesh (Kuma's {@code MeshContext}).
 * Per-proxy generation must not recompute anything that belongs here.
 *
 * @param mesh the Mesh
 * @param dataplanes the mesh's Dataplanes (kept sorted by name)
 * @param endpoints the endpoints of every service ({@code kuma.io/service}), services sorted, endpoints in
 *        (address, port, dataplane) order
 * @param applicationEndpoints the same inbounds as {@code endpoints}, but where a proxyless gRPC client reaches
 *        the application itself rather than its sidecar (rule in {@link MeshContextBuilder}), in the same orders
 * @param policies the mesh's policies by type (every type with the POLICY trait), each sorted by name
 * @param externalEndpoints the mesh's ExternalServices as endpoints of their services (services sorted, endpoints
 *        in (host, port, name) order), without those whose TLS material could not be loaded
 * @param mtls the mesh's CA and trust when its mTLS is on; empty when it is off
 * @param vips the VIP of every service and VirtualOutbound host and the outbounds and DNS names they give
 *        transparently proxied Dataplanes ({@link MeshVips}); {@link MeshVips#none()} when no Dataplane of the mesh
 *        uses transparent proxying
 * @param crossMesh the {@code crossMesh} listeners of MeshGateways of other meshes that this mesh's proxies reach,
 *        with the CAs of those meshes, and this mesh's own ({@link CrossMesh}); {@link CrossMesh#none()} with mTLS off
 * @param hash hex SHA-256 of the content of all of the above; equal hashes mean equal inputs
 * @param shared what this context's proxies compute once and share; not part of the context's value
 * @param gatewayCertificates the loaded certificates of the mesh's MeshGateway TERMINATE listeners (their content is
 *        part of {@code hash})
 */
public record MeshContext(
        Resource<MeshSpec> mesh,
        List<Resource<DataplaneSpec>> dataplanes,
        Map<String, List<Endpoint>> endpoints,
        Map<String, List<Endpoint>> applicationEndpoints,
        Map<ResourceType<?>, List<Resource<?>>> policies,
        Map<String, List<ExternalEndpoint>> externalEndpoints,
        Optional<MeshMtls> mtls,
        MeshVips vips,
        CrossMesh crossMesh,
        String hash,
        SharedResources shared,
        GatewayCertificates gatewayCertificates) {

    public MeshContext {
        requireNonNull(mesh, "mesh");
        dataplanes = requireNonNull(dataplanes, "dataplanes").stream()
                .sorted(Comparator.comparing(Resource::name)).toList();
        endpoints = copyByService(requireNonNull(endpoints, "endpoints"));
        applicationEndpoints = copyByService(requireNonNull(applicationEndpoints, "applicationEndpoints"));
        LinkedHashMap<ResourceType<?>, List<Resource<?>>> policiesCopy = new LinkedHashMap<>();
        requireNonNull(policies, "policies").forEach((type, list) -> policiesCopy.put(type, List.copyOf(list)));
        policies = Collections.unmodifiableMap(policiesCopy);
        TreeMap<String, List<ExternalEndpoint>> external = new TreeMap<>();
        requireNonNull(externalEndpoints, "externalEndpoints").forEach((service, list) ->
                external.put(service, list.stream().sorted(ExternalEndpoint.ORDER).toList()));
        externalEndpoints = Collections.unmodifiableSortedMap(external);
        requireNonNull(mtls, "mtls");
        requireNonNull(vips, "vips");
        requireNonNull(crossMesh, "crossMesh");
        requireNonNull(hash, "hash");
        requireNonNull(shared, "shared");
        requireNonNull(gatewayCertificates, "gatewayCertificates");
        for (Resource<DataplaneSpec> dataplane : dataplanes) {
            if (!dataplane.mesh().equals(mesh.name())) {
                throw new IllegalArgumentException("Dataplane " + dataplane.name() + " is in mesh "
                        + dataplane.mesh() + " (expected: " + mesh.name() + ")");
            }
        }
    }

    /** A context without gateway certificates. */
    public MeshContext(Resource<MeshSpec> mesh, List<Resource<DataplaneSpec>> dataplanes,
                       Map<String, List<Endpoint>> endpoints, Map<String, List<Endpoint>> applicationEndpoints,
                       Map<ResourceType<?>, List<Resource<?>>> policies,
                       Map<String, List<ExternalEndpoint>> externalEndpoints, Optional<MeshMtls> mtls, MeshVips vips,
                       CrossMesh crossMesh, String hash, SharedResources shared) {
        this(mesh, dataplanes, endpoints, applicationEndpoints, policies, externalEndpoints, mtls, vips, crossMesh,
                hash, shared, GatewayCertificates.none());
    }

    /** A context without gateway certificates whose proxies share nothing computed yet. */
    public MeshContext(Resource<MeshSpec> mesh, List<Resource<DataplaneSpec>> dataplanes,
                       Map<String, List<Endpoint>> endpoints, Map<String, List<Endpoint>> applicationEndpoints,
                       Map<ResourceType<?>, List<Resource<?>>> policies,
                       Map<String, List<ExternalEndpoint>> externalEndpoints, Optional<MeshMtls> mtls, MeshVips vips,
                       CrossMesh crossMesh, String hash) {
        this(mesh, dataplanes, endpoints, applicationEndpoints, policies, externalEndpoints, mtls, vips, crossMesh,
                hash, new SharedResources());
    }

    /** A context without cross-mesh listeners or gateway certificates whose proxies share nothing computed yet. */
    public MeshContext(Resource<MeshSpec> mesh, List<Resource<DataplaneSpec>> dataplanes,
                       Map<String, List<Endpoint>> endpoints, Map<String, List<Endpoint>> applicationEndpoints,
                       Map<ResourceType<?>, List<Resource<?>>> policies,
                       Map<String, List<ExternalEndpoint>> externalEndpoints, Optional<MeshMtls> mtls, MeshVips vips,
                       String hash) {
        this(mesh, dataplanes, endpoints, applicationEndpoints, policies, externalEndpoints, mtls, vips,
                CrossMesh.none(), hash);
    }

    /** A context without VIPs whose proxies share nothing computed yet. */
    public MeshContext(Resource<MeshSpec> mesh, List<Resource<DataplaneSpec>> dataplanes,
                       Map<String, List<Endpoint>> endpoints, Map<String, List<Endpoint>> applicationEndpoints,
                       Map<ResourceType<?>, List<Resource<?>>> policies,
                       Map<String, List<ExternalEndpoint>> externalEndpoints, Optional<MeshMtls> mtls, String hash) {
        this(mesh, dataplanes, endpoints, applicationEndpoints, policies, externalEndpoints, mtls, MeshVips.none(),
                hash);
    }

    /** A mesh whose mTLS is off. */
    public MeshContext(Resource<MeshSpec> mesh, List<Resource<DataplaneSpec>> dataplanes,
                       Map<String, List<Endpoint>> endpoints, Map<String, List<Endpoint>> applicationEndpoints,
                       Map<ResourceType<?>, List<Resource<?>>> policies,
                       Map<String, List<ExternalEndpoint>> externalEndpoints, String hash) {
        this(mesh, dataplanes, endpoints, applicationEndpoints, policies, externalEndpoints, Optional.empty(), hash);
    }

    /**
     * This context with {@code services} as the TLS-ready services of its PERMISSIVE mTLS ({@link
     * MeshMtls#tlsReadyServices}): a new hash, and nothing shared with this one. Itself when nothing changes, or
     * when the mesh is not in PERMISSIVE mode (then readiness does not matter).
     */
    public MeshContext withTlsReadyServices(SortedSet<String> services) {
        requireNonNull(services, "services");
        if (mtls.isEmpty() || !mtls.get().permissive() || mtls.get().tlsReadyServices().equals(services)) {
            return this;
        }
        MeshMtls ready = mtls.get().withTlsReadyServices(services);
        return new MeshContext(mesh, dataplanes, endpoints, applicationEndpoints, policies, externalEndpoints,
                Optional.of(ready), vips, crossMesh, ContentHash.combine(hash, "tls-ready:" + services),
                new SharedResources(), gatewayCertificates);
    }

    /**
     * Whether {@code other} holds the same Mesh, policies, ExternalServices, mTLS, VIPs, cross-mesh listeners and
     * gateway certificates as this context: everything but the Dataplanes and their endpoints.
     */
    public boolean sameBesidesDataplanes(MeshContext other) {
        return sameBesidesDataplanesAndPolicies(other) && policies.equals(other.policies);
    }

    /**
     * Whether {@code other} holds the same Mesh, ExternalServices, mTLS, VIPs, cross-mesh listeners and gateway
     * certificates as this context: everything but the Dataplanes, their endpoints and the policies. (An
     * ExternalService is a policy type too: its endpoints are compared here, the resource with the policies.)
     */
    public boolean sameBesidesDataplanesAndPolicies(MeshContext other) {
        requireNonNull(other, "other");
        return mesh.equals(other.mesh)
                && externalEndpoints.equals(other.externalEndpoints)
                && mtls.map(MeshMtls::hashInput).equals(other.mtls.map(MeshMtls::hashInput))
                && vips.equals(other.vips)
                && crossMesh.hashInput().equals(other.crossMesh.hashInput())
                && gatewayCertificates.equals(other.gatewayCertificates);
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

    /** The ExternalServices of {@code service}; empty when it is not an ExternalService's. */
    public List<ExternalEndpoint> externalEndpoints(String service) {
        return externalEndpoints.getOrDefault(requireNonNull(service, "service"), List.of());
    }

    /** The policies of {@code type}, sorted by name; empty when there are none or the type is not a policy. */
    @SuppressWarnings("unchecked")
    public <S extends Spec> List<Resource<S>> policies(ResourceType<S> type) {
        List<Resource<?>> list = policies.getOrDefault(requireNonNull(type, "type"), List.of());
        return (List<Resource<S>>) (List<?>) list;
    }

    /** The Dataplane called {@code name}; a binary search, as every proxy of a large mesh asks for its own. */
    public Optional<Resource<DataplaneSpec>> dataplane(String name) {
        requireNonNull(name, "name");
        int low = 0;
        int high = dataplanes.size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            Resource<DataplaneSpec> candidate = dataplanes.get(middle);
            int order = candidate.name().compareTo(name);
            if (order == 0) {
                return Optional.of(candidate);
            }
            if (order < 0) {
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return Optional.empty();
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
