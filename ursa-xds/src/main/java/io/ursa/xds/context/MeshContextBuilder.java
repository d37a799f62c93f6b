package io.ursa.xds.context;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.gateway.MeshGatewaySpec;
import io.ursa.api.spec.DataSource;
import io.ursa.ca.DataSourceLoader;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.dataplane.InboundInterface;
import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.mesh.Mtls;
import io.ursa.ca.CaPlugins;
import io.ursa.ca.MeshCa;
import io.ursa.ca.MeshCertificateAuthorities;
import io.ursa.core.ca.CaPlugin;
import io.ursa.core.ca.CaUnavailableException;
import io.ursa.core.ca.ReadOnlySecrets;
import io.ursa.core.ca.SecretAccess;
import io.ursa.api.policy.ExternalServiceSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.zoneegress.ZoneEgressSpec;
import io.ursa.api.resource.Spec;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.ResourceReader;
import io.ursa.core.store.ResourceStore;
import io.ursa.api.policy.VirtualOutboundSpec;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.vips.MeshVips;
import io.ursa.xds.vips.VipRecords;
import io.ursa.xds.vips.VipView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds {@link MeshContext}s from a {@link ResourceStore}. Stateless and thread-safe.
 *
 * <p>A context is built from one {@link ResourceStore#snapshot snapshot read}, so it is made of one committed
 * state of the store and never mixes two states that a writer was moving between: every read that goes into it
 * (the Mesh, its Dataplanes and policies, the Secrets and other material of its ExternalServices, the CA material
 * of its mesh and of the meshes it may trust, the zone egresses, the stored VIP table, the cross-mesh MeshGateways
 * of other meshes with their gateway Dataplanes and CAs ({@link CrossMesh})) goes through the snapshot's
 * reader. Nothing inside writes: the CA plugins get read-only Secrets ({@link ReadOnlySecrets}), and the VIP table
 * is stored after the snapshot. What is not in the store is read as it is at that moment: the files of
 * {@code file} data sources (ExternalService TLS, the provided CA).
 *
 * <p>VIPs ({@link MeshVips}): only a mesh with a transparently proxied Dataplane has them, so other meshes cost
 * nothing more. For such a mesh the stored table ({@link VipRecords}) is read with the rest, every service and
 * VirtualOutbound host without a VIP gets one ({@link VipView}), and the resulting table is part of the content
 * hash. With {@link VipWrites#STORE} (the xDS reconciler's builder, the one writer of a control plane) a table
 * that differs from the stored one is then written, once per mesh change rather than per proxy; other builders
 * ({@link VipWrites#READ_ONLY}: inspection, tests, benchmarks) compute the same table without storing it.
 */
public final class MeshContextBuilder {
    /** How many times a VIP table is allocated and written before another writer is blamed for changing it. */
    static final int MAX_VIP_WRITES = 4;

    /** Whether this builder stores the VIP tables it allocates. */
    public enum VipWrites {
        /** Store a changed table: for the one builder whose contexts configure proxies. */
        STORE,
        /** Use the stored table plus VIPs for new names, without storing them. */
        READ_ONLY
    }

    private static final Logger log = LoggerFactory.getLogger(MeshContextBuilder.class);

    private final ResourceStore store;
    private final ResourceTypes types;
    private final ContentHash hashes;
    private final EndpointsByDataplane endpointsByDataplane = new EndpointsByDataplane();
    private final List<CaPlugin> caPlugins;
    private final VipWrites vipWrites;

    /**
     * A builder whose meshes' CAs are Ursa's standard ones ({@code builtin}, {@code provided}) and which does not
     * store VIP tables.
     */
    public MeshContextBuilder(ResourceStore store, ResourceTypes types) {
        this(store, types, VipWrites.READ_ONLY);
    }

    /** A builder whose meshes' CAs are Ursa's standard ones ({@code builtin}, {@code provided}). */
    public MeshContextBuilder(ResourceStore store, ResourceTypes types, VipWrites vipWrites) {
        this(store, types, CaPlugins.standard(), vipWrites);
    }

    /**
     * A builder whose meshes' CAs are those of {@code caPlugins}. The plugins read their material through
     * {@link ReadOnlySecrets} on the snapshot a context is built from; they must not need to write any.
     */
    public MeshContextBuilder(ResourceStore store, ResourceTypes types, List<CaPlugin> caPlugins,
                              VipWrites vipWrites) {
        this.store = requireNonNull(store, "store");
        this.types = requireNonNull(types, "types");
        this.hashes = new ContentHash(new ResourceCodec(types));
        this.caPlugins = List.copyOf(requireNonNull(caPlugins, "caPlugins"));
        this.vipWrites = requireNonNull(vipWrites, "vipWrites");
    }

    /** The ZoneEgress called {@code name}, if it exists. */
    public Optional<Resource<ZoneEgressSpec>> zoneEgress(String name) {
        return store.get(ResourceTypes.ZONE_EGRESS, "", requireNonNull(name, "name"));
    }

    /** The names of the meshes a zone egress serves: {@code routing.zoneEgress} and mTLS on; sorted. */
    public List<String> zoneEgressMeshes() {
        return store.list(ResourceTypes.MESH, ListQuery.all()).items().stream()
                .filter(m -> m.spec().zoneEgressEnabled() && m.spec().mtlsEnabled())
                .map(Resource::name).sorted().toList();
    }

    /** A read of a mesh: its context, and for a mesh with VIPs the stored table the context's was made from. */
    private record Read(MeshContext context, Optional<VipRecords.Stored> storedVips) {
        boolean vipsChanged() {
            return storedVips.isPresent() && !storedVips.get().table().equals(context.vips().table());
        }
    }

    /**
     * The context of mesh {@code meshName} as of one committed state of the store, or empty when there is no such
     * mesh.
     *
     * @throws MeshChangingException when this builder stores VIP tables and another writer changed the mesh's
     *     table each of the {@value #MAX_VIP_WRITES} times this one tried to store its own
     */
    public Optional<MeshContext> build(String meshName) {
        requireNonNull(meshName, "meshName");
        for (int attempt = 1; ; attempt++) {
            Optional<Read> read = store.snapshot(reader -> read(reader, meshName));
            if (read.isEmpty() || vipWrites == VipWrites.READ_ONLY || !read.get().vipsChanged()) {
                return read.map(Read::context);
            }
            // A write, so outside the snapshot; it fails if the table changed since the snapshot read it.
            if (VipRecords.write(store, meshName, read.get().storedVips().orElseThrow(),
                    read.get().context().vips().table())) {
                return read.map(Read::context);
            }
            if (attempt == MAX_VIP_WRITES) {
                throw new MeshChangingException("the VIP table of mesh " + meshName + " kept changing during "
                        + MAX_VIP_WRITES + " writes (expected: one writer at a time)");
            }
        }
    }

    /** Reads mesh {@code meshName} through {@code reader}, which is a snapshot's: every read sees one state. */
    private Optional<Read> read(ResourceReader reader, String meshName) {
        Optional<Resource<MeshSpec>> mesh = reader.get(ResourceTypes.MESH, "", meshName);
        if (mesh.isEmpty()) {
            hashes.forget(meshName);
            endpointsByDataplane.forget(meshName);
            return Optional.empty();
        }
        List<Resource<?>> inputs = new ArrayList<>();
        inputs.add(mesh.get());
        List<Resource<DataplaneSpec>> dataplanes = list(reader, ResourceTypes.DATAPLANE, meshName);
        inputs.addAll(dataplanes);
        Map<ResourceType<?>, List<Resource<?>>> policies = new LinkedHashMap<>();
        for (ResourceType<?> type : types.policies()) {
            List<Resource<?>> list = new ArrayList<>(list(reader, type, meshName));
            if (!list.isEmpty()) {
                policies.put(type, list);
                inputs.addAll(list);
            }
        }
        @SuppressWarnings("unchecked")
        List<Resource<ExternalServiceSpec>> externalServices = (List<Resource<ExternalServiceSpec>>) (List<?>)
                policies.getOrDefault(ResourceTypes.EXTERNAL_SERVICE, List.of());
        ReadOnlySecrets secrets = new ReadOnlySecrets(reader);
        ExternalEndpoints.Loaded external = new ExternalEndpoints(secrets).load(meshName, externalServices);
        MeshCertificateAuthorities cas = new MeshCertificateAuthorities(caPlugins, secrets);
        Optional<MeshMtls> mtls = mtls(reader, cas, meshName, mesh.get().spec());
        CrossMesh crossMesh = CrossMeshListeners.read(reader, cas, mesh.get(), dataplanes);
        EndpointsByDataplane.ByService byService = endpointsByDataplane.of(meshName, dataplanes);
        Map<String, List<Endpoint>> endpoints = byService.sidecar();
        if (mesh.get().spec().zoneEgressEnabled() && mtls.isPresent()) {
            List<Resource<ZoneEgressSpec>> zoneEgresses = new ArrayList<>(
                    reader.list(ResourceTypes.ZONE_EGRESS, ListQuery.all()).items());
            zoneEgresses.sort(Comparator.comparing(Resource::name));
            inputs.addAll(zoneEgresses);
            addZoneEgressEndpoints(endpoints, external.byService(), zoneEgresses);
        }
        String hash = hashes.of(meshName, inputs);
        if (mtls.isPresent()) {
            hash = ContentHash.combine(hash, mtls.get().hashInput());
        }
        Optional<VipRecords.Stored> storedVips = Optional.empty();
        MeshVips vips = MeshVips.none();
        if (dataplanes.stream().anyMatch(d -> d.spec().networking() != null
                && d.spec().networking().redirectsOutbound())) {
            @SuppressWarnings("unchecked")
            List<Resource<VirtualOutboundSpec>> virtualOutbounds = (List<Resource<VirtualOutboundSpec>>) (List<?>)
                    policies.getOrDefault(ResourceTypes.VIRTUAL_OUTBOUND, List.of());
            VipView view = VipView.of(dataplanes, externalServices, virtualOutbounds);
            for (CrossMeshListener listener : crossMesh.reachable()) {
                view = view.withCrossMeshListener(listener.hostname(), listener.port(), listener.tags(),
                        listener.origin());
            }
            storedVips = Optional.of(VipRecords.read(reader, meshName));
            vips = view.resolve(VipView.allocate(storedVips.get().table(), view));
            hash = ContentHash.combine(hash, "vips " + vips.table().toJson());
        }
        if (!external.tlsDigest().isEmpty()) {
            hash = ContentHash.combine(hash, external.tlsDigest());
        }
        @SuppressWarnings("unchecked")
        List<Resource<MeshGatewaySpec>> gateways = (List<Resource<MeshGatewaySpec>>) (List<?>)
                policies.getOrDefault(ResourceTypes.MESH_GATEWAY, List.of());
        GatewayCertificates certificates = gatewayCertificates(meshName, gateways, secrets);
        if (!certificates.bySource().isEmpty()) {
            hash = ContentHash.combine(hash, "gateway-certificates " + certificates.bySource().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue().data().map(d -> ContentHash.combine("",
                            d.toStringUtf8())).orElse("error:" + e.getValue().error())).toList());
        }
        if (!crossMesh.hashInput().isEmpty()) {
            hash = ContentHash.combine(hash, crossMesh.hashInput());
        }
        return Optional.of(new Read(new MeshContext(mesh.get(), dataplanes, endpoints,
                byService.application(), policies, external.byService(), mtls, vips, crossMesh, hash,
                new SharedResources(), certificates), storedVips));
    }

    /**
     * Loads the certificates of every TERMINATE listener of {@code gateways} (Kuma loads them while generating,
     * with its data source loader); one that cannot be loaded is kept with the reason, for the generator to report.
     */
    private static GatewayCertificates gatewayCertificates(String meshName, List<Resource<MeshGatewaySpec>> gateways,
                                                           SecretAccess secrets) {
        Map<String, GatewayCertificates.Content> bySource = new TreeMap<>();
        for (Resource<MeshGatewaySpec> gateway : gateways) {
            if (gateway.spec().conf() == null) {
                continue;
            }
            for (MeshGatewaySpec.Listener listener : gateway.spec().conf().listeners()) {
                if (listener.tls() == null || listener.tls().mode() != MeshGatewaySpec.TlsMode.TERMINATE) {
                    continue;
                }
                for (DataSource source : listener.tls().certificates()) {
                    bySource.computeIfAbsent(GatewayCertificates.key(source), key -> {
                        try {
                            return new GatewayCertificates.Content(Optional.of(ByteString.copyFrom(
                                    DataSourceLoader.load(meshName, source, secrets))), "");
                        } catch (DataSourceLoader.LoadException e) {
                            return new GatewayCertificates.Content(Optional.empty(), e.getMessage());
                        }
                    });
                }
            }
        }
        return new GatewayCertificates(bySource);
    }

    /**
     * The mesh's mTLS: its CA, or why that cannot be used, and the meshes it trusts (those whose enabled CA has the
     * same certificate).
     */
    private static Optional<MeshMtls> mtls(ResourceReader reader, MeshCertificateAuthorities cas, String meshName,
                                           MeshSpec spec) {
        if (!spec.mtlsEnabled()) {
            return Optional.empty();
        }
        MeshCa ca;
        try {
            ca = cas.enabled(meshName, spec).orElseThrow();
        } catch (CaUnavailableException e) {
            return Optional.of(new MeshMtls(spec.mtls().enabledBackend(), spec.enabledMtlsBackend()
                    .map(Mtls.Backend::mode).orElse(Mtls.Mode.STRICT), Optional.empty(), e.getMessage(),
                    new TreeSet<>(Set.of(meshName)), new TreeSet<>()));
        }
        SortedSet<String> trusted = new TreeSet<>(Set.of(meshName));
        SortedMap<String, String> rootsByMesh = new TreeMap<>(Map.of(meshName, ca.trustedRootsPem()));
        for (Resource<MeshSpec> other : reader.list(ResourceTypes.MESH, ListQuery.all()).items()) {
            if (other.name().equals(meshName) || !other.spec().mtlsEnabled()) {
                continue;
            }
            try {
                Optional<MeshCa> otherCa = cas.enabled(other.name(), other.spec());
                otherCa.ifPresent(c -> rootsByMesh.put(other.name(), c.trustedRootsPem()));
                otherCa.filter(c -> c.fingerprint().equals(ca.fingerprint()))
                        .ifPresent(c -> trusted.add(other.name()));
            } catch (CaUnavailableException e) {
                log.debug("mesh {} does not trust mesh {}, whose CA cannot be used: {}", meshName, other.name(),
                        e.getMessage());
            }
        }
        return Optional.of(MeshMtls.of(ca, trusted, rootsByMesh));
    }

    private static <S extends Spec> List<Resource<S>> list(ResourceReader reader, ResourceType<S> type,
                                                           String meshName) {
        List<Resource<S>> items = new ArrayList<>(reader.list(type, ListQuery.inMesh(meshName)).items());
        items.sort(Comparator.comparing(Resource::name));
        return items;
    }

    /**
     * The endpoints of every service, from the inbounds of every Dataplane: where other proxies reach the
     * inbound's sidecar, {@code dataplaneAdvertisedIp:dataplanePort} (envoy-config §2.1). An inbound on the
     * serviceless port, one without {@code kuma.io/service}, or one whose {@code health.ready} is false is not an
     * endpoint.
     */
    static Map<String, List<Endpoint>> endpoints(List<Resource<DataplaneSpec>> dataplanes) {
        return byService(dataplanes, (inbound, iface) -> iface.dataplaneAdvertisedIp(),
                InboundInterface::dataplanePort);
    }

    /**
     * The endpoints of the same inbounds as {@link #endpoints}, but where a proxyless gRPC client reaches the
     * application itself, since no sidecar stands in front of it: the port is the workload port
     * ({@code servicePort}, else {@code port}); the address is {@code serviceAddress} when set, else the address
     * other proxies use for the Dataplane ({@code advertisedAddress}, else the inbound's or the Dataplane's
     * {@code address}). The advertised address, not the workload IP of §2.1, because it is the one that is
     * reachable from elsewhere when the Dataplane sits behind NAT.
     */
    static Map<String, List<Endpoint>> applicationEndpoints(List<Resource<DataplaneSpec>> dataplanes) {
        return byService(dataplanes,
                (inbound, iface) -> inbound.serviceAddress().isEmpty() ? iface.dataplaneAdvertisedIp()
                        : inbound.serviceAddress(),
                InboundInterface::workloadPort);
    }

    private static Map<String, List<Endpoint>> byService(List<Resource<DataplaneSpec>> dataplanes,
            BiFunction<DataplaneSpec.Inbound, InboundInterface, String> address,
            ToIntFunction<InboundInterface> port) {
        Map<String, List<Endpoint>> byService = new TreeMap<>();
        for (Resource<DataplaneSpec> dataplane : dataplanes) {
            DataplaneSpec.Networking networking = dataplane.spec().networking();
            if (networking == null) {
                continue;
            }
            List<DataplaneSpec.Inbound> inbounds = networking.inbound();
            List<InboundInterface> interfaces = networking.inboundInterfaces();
            for (int i = 0; i < inbounds.size(); i++) {
                DataplaneSpec.Inbound inbound = inbounds.get(i);
                InboundInterface iface = interfaces.get(i);
                boolean unhealthy = inbound.health() != null && !inbound.health().ready();
                if (inbound.service().isEmpty() || unhealthy
                        || iface.dataplanePort() == EnvoyNames.SERVICELESS_INBOUND_PORT) {
                    continue;
                }
                byService.computeIfAbsent(inbound.service(), s -> new ArrayList<>()).add(new Endpoint(
                        address.apply(inbound, iface), port.applyAsInt(iface), inbound.tags(), dataplane.name()));
            }
        }
        byService.values().forEach(list -> list.sort(Endpoint.ORDER));
        return byService;
    }

    /**
     * The endpoints of the ExternalServices' services in a mesh with zone egress on (Kuma's
     * {@code fillExternalServicesOutboundsThroughEgress}): one per ExternalService and ZoneEgress, at the egress's
     * address and port, with the ExternalService's tags, so that TrafficRoute splits by tag still pick among them.
     * Their {@code dataplane} is {@code zoneegress/<name>}, which no Dataplane name can be.
     */
    static void addZoneEgressEndpoints(Map<String, List<Endpoint>> endpoints,
                                       Map<String, List<ExternalEndpoint>> external,
                                       List<Resource<ZoneEgressSpec>> zoneEgresses) {
        if (zoneEgresses.isEmpty()) {
            return;
        }
        external.forEach((service, externalEndpoints) -> {
            // the lists of Dataplane endpoints are shared with later builds, so the zone egress's go in a copy
            List<Endpoint> list = endpoints.compute(service, (s, own) -> own == null ? new ArrayList<>()
                    : new ArrayList<>(own));
            for (ExternalEndpoint externalEndpoint : externalEndpoints) {
                for (Resource<ZoneEgressSpec> egress : zoneEgresses) {
                    ZoneEgressSpec.Networking networking = egress.spec().networking();
                    list.add(new Endpoint(networking.address(), networking.port(), externalEndpoint.tags(),
                            ZONE_EGRESS_ENDPOINT_PREFIX + egress.name()));
                }
            }
            list.sort(Endpoint.ORDER);
        });
    }

    /** The {@code dataplane} of an endpoint that is a zone egress. */
    public static final String ZONE_EGRESS_ENDPOINT_PREFIX = "zoneegress/";

    /**
     * Another writer kept changing a mesh's VIP table while this builder tried to store its own; building the
     * context again later succeeds once it stops.
     */
    public static final class MeshChangingException extends IllegalStateException {
        MeshChangingException(String message) {
            super(message);
        }
    }
}
