package io.ursa.xds.vips;

import static java.util.Objects.requireNonNull;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.policy.ExternalServiceSpec;
import io.ursa.api.policy.VirtualOutboundSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.spec.Tags;
import io.ursa.xds.generator.policies.TagSelectorRank;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which names of a mesh get a VIP and which ports each one serves (Kuma's {@code VirtualOutboundMeshView} as
 * {@code BuildVirtualOutboundMeshView} fills it):
 * <ul>
 *   <li>every {@code kuma.io/service} of a Dataplane inbound, with no port of its own (Universal has no service
 *       port: an inbound's {@code port} is where its sidecar listens, not a port of the service);</li>
 *   <li>every ExternalService's {@code kuma.io/service}, with the port of its {@code networking.address};</li>
 *   <li>for every VirtualOutbound whose selectors match the tags of an inbound or an ExternalService, the host its
 *       {@code conf.host} template gives, on the port its {@code conf.port} template gives, routed by the tags its
 *       parameters read.</li>
 * </ul>
 * A second port request for an entry on a port it already has is ignored (the first, in Dataplane then
 * ExternalService order, each by name, wins); a VirtualOutbound whose template fails for some tags is skipped for
 * those tags and logged. Immutable.
 */
public final class VipView {
    private static final Logger log = LoggerFactory.getLogger(VipView.class);

    /** Per entry, its ports in the order they were asked for; port 0 when it has none of its own. */
    private final SortedMap<VipEntry, List<Port>> ports;

    private record Port(int port, Map<String, String> tags, String origin) {
        Port(int port, Map<String, String> tags) {
            this(port, tags, "");
        }
    }

    private VipView(SortedMap<VipEntry, List<Port>> ports) {
        this.ports = ports;
    }

    /** The view of a mesh with these resources (each list in name order, as the mesh context keeps them). */
    public static VipView of(List<Resource<DataplaneSpec>> dataplanes,
                             List<Resource<ExternalServiceSpec>> externalServices,
                             List<Resource<VirtualOutboundSpec>> virtualOutbounds) {
        SortedMap<VipEntry, List<Port>> ports = new TreeMap<>();
        for (Resource<DataplaneSpec> dataplane : dataplanes) {
            DataplaneSpec.Networking networking = dataplane.spec().networking();
            if (networking == null) {
                continue;
            }
            for (DataplaneSpec.Inbound inbound : networking.inbound()) {
                String service = inbound.service();
                if (service.isEmpty()) {
                    continue;
                }
                addVirtualOutbounds(ports, virtualOutbounds, inbound.tags());
                add(ports, VipEntry.service(service), new Port(0, Map.of(Tags.SERVICE, service)));
            }
        }
        for (Resource<ExternalServiceSpec> external : externalServices) {
            String service = external.spec().service();
            if (service.isEmpty()) {
                continue;
            }
            addVirtualOutbounds(ports, virtualOutbounds, external.spec().tags());
            add(ports, VipEntry.service(service), new Port(port(external.spec()), Map.of(Tags.SERVICE, service)));
        }
        return new VipView(ports);
    }

    /**
     * This view plus the hostname of a cross-mesh gateway listener of another mesh (Kuma's {@code addFromMeshGateway}):
     * an {@link VipEntry#fqdn} entry on {@code port} with {@code tags}; a second request for a hostname on a port
     * it already has is ignored, as for the other entries.
     */
    public VipView withCrossMeshListener(String hostname, int port, Map<String, String> tags, String origin) {
        SortedMap<VipEntry, List<Port>> copy = new TreeMap<>();
        ports.forEach((entry, list) -> copy.put(entry, new ArrayList<>(list)));
        add(copy, VipEntry.fqdn(hostname), new Port(port, tags, requireNonNull(origin, "origin")));
        return new VipView(copy);
    }

    /** {@code stored} with a VIP for every entry of {@code view} and none for a name that no longer needs one. */
    public static VipTable allocate(VipTable stored, VipView view) {
        return VipAllocator.allocate(requireNonNull(stored, "stored"), view.entries());
    }

    /** The names that need a VIP. */
    public SortedSet<VipEntry> entries() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(ports.keySet()));
    }

    /**
     * The outbounds and DNS names of every entry on its VIP in {@code table} (Kuma's {@code VIPOutbounds}):
     * <ul>
     *   <li>a service: names {@code <service>.mesh} and, when the service has {@code _}, the same with dots; an
     *       outbound on its own port when it has one, and one on {@value MeshVips#SERVICE_VIP_PORT};</li>
     *   <li>a VirtualOutbound host: the host as its name; an outbound on each of its ports, and one on
     *       {@value MeshVips#SERVICE_VIP_PORT} with the first port's tags when no port is that one;</li>
     *   <li>a cross-mesh gateway hostname: the hostname as its name; an outbound on each of its listeners' ports,
     *       with its origin, and none other.</li>
     * </ul>
     * An entry that {@code table} has no VIP for is left out.
     */
    public MeshVips resolve(VipTable table) {
        requireNonNull(table, "table");
        List<MeshVips.Outbound> outbounds = new ArrayList<>();
        List<MeshVips.Domains> domains = new ArrayList<>();
        ports.forEach((entry, list) -> table.vip(entry).ifPresent(vip -> {
            switch (entry.kind()) {
                case FQDN -> {
                    domains.add(new MeshVips.Domains(vip, List.of(entry.name())));
                    for (Port port : list) {
                        outbounds.add(new MeshVips.Outbound(vip, port.port(), new TreeMap<>(port.tags()),
                                port.origin()));
                    }
                }
                case HOST -> {
                    domains.add(new MeshVips.Domains(vip, List.of(entry.name())));
                    boolean servicePortSeen = false;
                    for (Port port : list) {
                        servicePortSeen |= port.port() == MeshVips.SERVICE_VIP_PORT;
                        outbounds.add(new MeshVips.Outbound(vip, port.port(), new TreeMap<>(port.tags())));
                    }
                    if (!servicePortSeen) {
                        outbounds.add(new MeshVips.Outbound(vip, MeshVips.SERVICE_VIP_PORT,
                                new TreeMap<>(list.get(0).tags())));
                    }
                }
                case SERVICE -> {
                    String name = entry.name() + "." + MeshVips.DOMAIN;
                    String dotted = entry.name().replace('_', '.') + "." + MeshVips.DOMAIN;
                    domains.add(new MeshVips.Domains(vip, dotted.equals(name) ? List.of(name)
                            : List.of(name, dotted)));
                    Port port = list.get(0);
                    if (port.port() != 0) {
                        outbounds.add(new MeshVips.Outbound(vip, port.port(), new TreeMap<>(port.tags())));
                    }
                    if (port.port() != MeshVips.SERVICE_VIP_PORT) {
                        outbounds.add(new MeshVips.Outbound(vip, MeshVips.SERVICE_VIP_PORT,
                                new TreeMap<>(port.tags())));
                    }
                }
            }
        }));
        return new MeshVips(table, outbounds, domains);
    }

    private static void addVirtualOutbounds(SortedMap<VipEntry, List<Port>> ports,
                                            List<Resource<VirtualOutboundSpec>> virtualOutbounds,
                                            Map<String, String> tags) {
        for (Resource<VirtualOutboundSpec> virtualOutbound : virtualOutbounds) {
            VirtualOutboundSpec spec = virtualOutbound.spec();
            if (spec.conf() == null || spec.selectors().stream().noneMatch(s -> TagSelectorRank.matches(s, tags))) {
                continue;
            }
            try {
                String host = spec.conf().evalHost(tags);
                int port = spec.conf().evalPort(tags);
                add(ports, VipEntry.host(host), new Port(port, spec.conf().filterTags(tags)));
            } catch (IllegalArgumentException e) {
                log.warn("VirtualOutbound {}/{} gives no host for tags {}: {}", virtualOutbound.mesh(),
                        virtualOutbound.name(), tags, e.getMessage());
            }
        }
    }

    private static void add(SortedMap<VipEntry, List<Port>> ports, VipEntry entry, Port port) {
        List<Port> list = ports.computeIfAbsent(entry, e -> new ArrayList<>());
        if (list.stream().noneMatch(p -> p.port() == port.port())) {
            list.add(port);
        }
    }

    private static int port(ExternalServiceSpec spec) {
        if (spec.networking() == null) {
            return 0;
        }
        return spec.networking().hostPort().map(hp -> {
            try {
                int port = Integer.parseInt(hp.port());
                return port >= 1 && port <= 65535 ? port : 0;
            } catch (NumberFormatException e) {
                return 0;
            }
        }).orElse(0);
    }
}
