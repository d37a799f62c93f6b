package io.ursa.xds.generator;

import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.dataplane.InboundInterface;
import io.ursa.api.dataplane.OutboundInterface;
import io.ursa.api.resource.Resource;
import io.ursa.api.spec.Tags;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.envoy.clusters.ClusterBuilder;
import io.ursa.xds.envoy.clusters.ClusterConfigurers;
import io.ursa.xds.envoy.listeners.ListenerBuilder;
import io.ursa.xds.envoy.listeners.ListenerConfigurers;
import io.ursa.xds.envoy.listeners.NetworkFilters;
import io.ursa.xds.envoy.listeners.TcpProxyConfigurers;
import io.ursa.xds.envoy.listeners.TcpProxyConfigurers.WeightedCluster;
import io.ursa.xds.envoy.tls.TlsContexts;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.resources.ResourceSet;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Direct access ({@code kuma-2.0-envoy-config.md} §4, Kuma's {@code direct_access_proxy_generator.go}): a transparently
 * proxied application that dials another proxy's address directly (not a service VIP) would otherwise leave through
 * the passthrough cluster, outside mesh mTLS. For the services in {@code transparentProxying.directAccessServices}
 * ({@code *}: all), each inbound address {@code <ip>:<port>} of every other Dataplane of the mesh gets a listener
 * {@code direct_access_<ip>:<port>} (OUTBOUND, {@code bind_to_port: false}) whose tcp_proxy goes to the cluster
 * {@code direct_access}: ORIGINAL_DST, connect timeout 10s, and with mesh mTLS on a TLS context that accepts any
 * service of the mesh (SAN prefix {@code spiffe://<mesh>/}, ALPN {@code kuma}, no SNI). The TrafficLog selected for
 * ({@code pass_through}) logs these connections with the listener's name as the destination, as Kuma does.
 *
 * <p>Addresses the Dataplane's own {@code outbound} list uses are left out (they have their listeners). Empty
 * without both redirect ports or without direct-access services. As in Kuma, one listener per endpoint makes a
 * large configuration in a large mesh: use it only for the services that need it. Per proxy: only proxies that ask
 * for direct access pay for it.
 */
public final class DirectAccessGenerator implements Generator {
    /** Kuma's connect timeout of the cluster. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** What {@code directAccessServices} holds for "every service". */
    static final String ALL_SERVICES = "*";

    /** An address to give a listener: an inbound of another Dataplane. */
    private record Address(String ip, int port) {
        static final Comparator<Address> ORDER = Comparator.comparing(Address::ip).thenComparingInt(Address::port);
    }

    @Override
    public String origin() {
        return Origins.DIRECT_ACCESS;
    }

    @Override
    public ResourceSet generate(ProxyContext proxy) {
        DataplaneSpec.Networking networking = proxy.spec().networking();
        if (networking == null || !networking.redirectsInboundAndOutbound()
                || networking.transparentProxying().directAccessServices().isEmpty()) {
            return ResourceSet.empty();
        }
        ResourceSet.Builder resources = ResourceSet.builder();
        for (Address address : addresses(proxy, networking)) {
            String name = EnvoyNames.directAccessListener(address.ip(), address.port());
            Optional<AccessLog> log = AccessLogs.of(proxy, TransparentProxyGenerator.PASSTHROUGH_SERVICE, name,
                    TrafficDirection.OUTBOUND, AccessLogFormat.Kind.TCP);
            resources.add(ListenerBuilder.named(name)
                    .configure(ListenerConfigurers.outbound(address.ip(), address.port()))
                    .configure(ListenerConfigurers.filterChain(List.of(NetworkFilters.tcpProxy(EnvoyNames.statName(name),
                            List.of(TcpProxyConfigurers.clusters(List.of(new WeightedCluster(
                                    EnvoyNames.DIRECT_ACCESS_CLUSTER, 1))), AccessLogs.tcp(log))))))
                    .configure(ListenerConfigurers.notBound())
                    .build());
        }
        ClusterBuilder cluster = ClusterBuilder.named(EnvoyNames.DIRECT_ACCESS_CLUSTER)
                .configure(ClusterConfigurers.originalDestination())
                .configure(ClusterConfigurers.connectTimeout(CONNECT_TIMEOUT));
        if (proxy.mtls().isPresent()) {
            String mesh = proxy.mesh().name();
            cluster.configure(ClusterConfigurers.transportSocket(TlsContexts.transportSocket(
                    TlsContexts.upstreamSdsAnyServiceOf(mesh, EnvoyNames.identityCertSecret(mesh),
                            EnvoyNames.meshCaSecret(mesh)))));
        }
        resources.add(cluster.build());
        return resources.build();
    }

    /** The inbound addresses of the other Dataplanes' direct-access services, sorted, without those in use here. */
    private static Set<Address> addresses(ProxyContext proxy, DataplaneSpec.Networking networking) {
        List<String> wanted = networking.transparentProxying().directAccessServices();
        boolean all = wanted.contains(ALL_SERVICES);
        Set<Address> taken = new HashSet<>();
        for (OutboundInterface outbound : networking.outboundInterfaces()) {
            taken.add(new Address(outbound.dataplaneIp(), outbound.dataplanePort()));
        }
        Set<Address> addresses = new TreeSet<>(Address.ORDER);
        for (Resource<DataplaneSpec> other : proxy.mesh().dataplanes()) {
            DataplaneSpec.Networking otherNetworking = other.spec().networking();
            if (other.name().equals(proxy.dataplane().name()) || otherNetworking == null) {
                continue;
            }
            List<DataplaneSpec.Inbound> inbounds = otherNetworking.inbound();
            List<InboundInterface> interfaces = otherNetworking.inboundInterfaces();
            for (int i = 0; i < inbounds.size(); i++) {
                String service = inbounds.get(i).tags().getOrDefault(Tags.SERVICE, "");
                if (all || wanted.contains(service)) {
                    Address address = new Address(interfaces.get(i).dataplaneIp(), interfaces.get(i).dataplanePort());
                    if (!taken.contains(address)) {
                        addresses.add(address);
                    }
                }
            }
        }
        return addresses;
    }
}
