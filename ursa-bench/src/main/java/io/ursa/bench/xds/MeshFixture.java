package io.ursa.bench.xds;

import static java.util.Objects.requireNonNull;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.spec.Tags;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.MemoryResourceStore;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.MeshContextBuilder;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.ProxyMetadata;
import java.time.Clock;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceMeta;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The input of the generation benchmark: a mesh of {@code services} HTTP services with two Dataplanes each, and
 * one more Dataplane, the proxy under test, that reaches them as {@link ProxyMode} says. Everything is written
 * through a real {@link ResourceManager} on a {@link MemoryResourceStore}, so the mesh has its default policies
 * (TrafficPermission, TrafficRoute, Timeout, CircuitBreaker, Retry) and every Dataplane passed validation, and the
 * proxy's context comes from the real {@link MeshContextBuilder}.
 *
 * <p>In {@link ProxyMode#TRANSPARENT} the Dataplane is stored without outbounds and with every service of the mesh
 * but its own in {@code reachableServices}: the control plane gives it one outbound per service on the service's
 * VIP, port 80, as Kuma's does (the VIPs are allocated while the mesh context is built).
 *
 * @param proxy the proxy under test: Dataplane {@value #PROXY} with an Envoy admin on port {@value #ADMIN_PORT}
 * @param reachableServices the services the proxy has an outbound to, in outbound order
 */
record MeshFixture(ProxyContext proxy, List<String> reachableServices) {
    static final String MESH = "default";
    static final String PROXY = "web-1";
    static final String PROXY_SERVICE = "web";
    static final String OTHER_PROXY = "api-1";
    static final String OTHER_SERVICE = "api";
    static final String PROXY_ADDRESS = "10.255.0.1";
    static final int INBOUND_PORT = 8080;
    static final int VIP_PORT = 80;
    static final int FIRST_EXPLICIT_OUTBOUND_PORT = 20001;
    static final int ADMIN_PORT = 9901;
    static final int REDIRECT_PORT_INBOUND = 15006;
    static final int REDIRECT_PORT_OUTBOUND = 15001;
    /** Instances of every service; instance {@code k} has tag {@code version: v<k>}. */
    static final int INSTANCES = 2;
    /** Up to 250 services per /16 keeps every generated address valid (at most 64,000 services). */
    private static final int MAX_SERVICES = 250 * 256;

    MeshFixture {
        requireNonNull(proxy, "proxy");
        reachableServices = List.copyOf(reachableServices);
    }

    /** Builds the mesh and the proxy's context; takes a moment (the new mesh gets an RSA signing key). */
    static MeshFixture build(int services, ProxyMode mode) {
        requireNonNull(mode, "mode");
        if (services < 1 || services > MAX_SERVICES) {
            throw new IllegalArgumentException("invalid services: " + services + " (expected: 1-" + MAX_SERVICES + ")");
        }
        if (mode == ProxyMode.OUTBOUNDS_100 && services < ProxyMode.EXPLICIT_OUTBOUNDS) {
            throw new IllegalArgumentException("invalid services: " + services + " (expected: at least "
                    + ProxyMode.EXPLICIT_OUTBOUNDS + " for mode " + mode.label() + ")");
        }
        MemoryResourceStore store = new MemoryResourceStore();
        ResourceManager manager = ResourceManager.create(store, Clock.systemUTC(), List.of());
        manager.create(ResourceTypes.MESH, "", MESH, MeshSpec.empty());
        for (int i = 0; i < services; i++) {
            for (int k = 1; k <= INSTANCES; k++) {
                manager.create(ResourceTypes.DATAPLANE, MESH, service(i) + "-" + k,
                        dataplane(instanceAddress(i, k), inbound(service(i), "v" + k), List.of(), null));
            }
        }
        List<String> reachable = new ArrayList<>();
        List<DataplaneSpec.Outbound> outbounds = new ArrayList<>();
        DataplaneSpec.TransparentProxying transparentProxying = null;
        if (mode == ProxyMode.TRANSPARENT) {
            for (int i = 0; i < services; i++) {
                reachable.add(service(i));
            }
            transparentProxying = new DataplaneSpec.TransparentProxying(REDIRECT_PORT_INBOUND, REDIRECT_PORT_OUTBOUND,
                    List.of(), 0, reachable);
        } else {
            int stride = services / ProxyMode.EXPLICIT_OUTBOUNDS;
            for (int n = 0; n < ProxyMode.EXPLICIT_OUTBOUNDS; n++) {
                String service = service(n * stride);
                reachable.add(service);
                outbounds.add(outbound("", FIRST_EXPLICIT_OUTBOUND_PORT + n, service));
            }
        }
        manager.create(ResourceTypes.DATAPLANE, MESH, PROXY,
                dataplane(PROXY_ADDRESS, inbound(PROXY_SERVICE, "v1"), outbounds, transparentProxying));

        MeshContext mesh = new MeshContextBuilder(store, ResourceTypes.standard()).build(MESH).orElseThrow();
        ProxyContext proxy = mesh.proxy(PROXY).orElseThrow().withMetadata(ProxyMetadata.envoy(ADMIN_PORT));
        return new MeshFixture(proxy, reachable);
    }

    /**
     * The Dataplane of another workload than {@code proxy}'s, {@value #OTHER_PROXY}: the same networking and
     * outbounds, its inbounds tagged {@code kuma.io/service: }{@value #OTHER_SERVICE}. It is not in the mesh's
     * store: only its generation in a mesh context matters.
     */
    static Resource<DataplaneSpec> otherWorkload(Resource<DataplaneSpec> proxy) {
        DataplaneSpec spec = proxy.spec();
        DataplaneSpec.Networking networking = spec.networking();
        List<DataplaneSpec.Inbound> inbounds = networking.inbound().stream()
                .map(inbound -> {
                    Map<String, String> tags = new HashMap<>(inbound.tags());
                    tags.put(Tags.SERVICE, OTHER_SERVICE);
                    return new DataplaneSpec.Inbound(inbound.port(), inbound.servicePort(), inbound.serviceAddress(),
                            inbound.address(), tags, inbound.health(), inbound.serviceProbe());
                })
                .toList();
        return proxy.withMeta(new ResourceMeta(proxy.meta().mesh(), OTHER_PROXY, proxy.meta().version(),
                proxy.meta().creationTime(), proxy.meta().modificationTime())).withSpec(new DataplaneSpec(
                new DataplaneSpec.Networking(networking.address(), networking.advertisedAddress(), networking.gateway(),
                        inbounds, networking.outbound(), networking.transparentProxying(), networking.admin()),
                spec.metrics(), spec.probes()));
    }

    /** {@code svc-0000}, {@code svc-0001}, ... */
    static String service(int index) {
        return String.format("svc-%04d", index);
    }

    /** Instance {@code k} of service {@code i}: {@code 10.<i / 250>.<i % 250>.<k>}. */
    static String instanceAddress(int service, int instance) {
        return "10." + service / 250 + "." + service % 250 + "." + instance;
    }

    private static DataplaneSpec.Inbound inbound(String service, String version) {
        return new DataplaneSpec.Inbound(INBOUND_PORT, 0, null, null,
                Map.of(Tags.SERVICE, service, "version", version, Tags.PROTOCOL, "http"), null, null);
    }

    private static DataplaneSpec.Outbound outbound(String address, int port, String service) {
        return new DataplaneSpec.Outbound(address, port, null, Map.of(Tags.SERVICE, service));
    }

    private static DataplaneSpec dataplane(String address, DataplaneSpec.Inbound inbound,
                                           List<DataplaneSpec.Outbound> outbounds,
                                           DataplaneSpec.TransparentProxying transparentProxying) {
        return new DataplaneSpec(new DataplaneSpec.Networking(address, null, null, List.of(inbound), outbounds,
                transparentProxying, null), null, null);
    }
}
