package io.ursa.bench.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.Resource;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.SharedResources;
import io.ursa.xds.generator.Profiles;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.names.EnvoyNames.IpFamily;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.snapshot.SnapshotAssembler;
import io.ursa.xds.vips.VipEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The benchmark measures a realistic proxy only if its input is one: every case of {@link XdsGenerationBench} is
 * built here once and its generated configuration checked for what a user of that mesh expects to find.
 */
class XdsGenerationBenchTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(100, ProxyMode.TRANSPARENT),
                Arguments.of(1000, ProxyMode.TRANSPARENT),
                Arguments.of(100, ProxyMode.OUTBOUNDS_100),
                Arguments.of(1000, ProxyMode.OUTBOUNDS_100));
    }

    @ParameterizedTest(name = "{0} services, {1}")
    @MethodSource("cases")
    void proxyGetsOneHttpOutboundPerReachableServiceWithThatServicesEndpoints(int services, ProxyMode mode)
            throws InvalidProtocolBufferException {
        MeshFixture fixture = MeshFixture.build(services, mode);
        ProxyContext proxy = fixture.proxy();
        ResourceSet resources = Profiles.envoy().generate(proxy);

        int expectedReachable = mode == ProxyMode.TRANSPARENT ? services : ProxyMode.EXPLICIT_OUTBOUNDS;
        assertThat(new TreeSet<>(fixture.reachableServices())).hasSize(expectedReachable);
        assertThat(proxy.mesh().endpoints().keySet()).containsAll(fixture.reachableServices());

        Map<String, Set<String>> expectedEndpoints = endpointsFromDataplanes(proxy.mesh().dataplanes());
        List<DataplaneSpec.Outbound> outbounds = proxy.spec().networking().outbound();
        assertThat(outbounds).hasSize(mode == ProxyMode.TRANSPARENT ? 0 : expectedReachable);
        Set<String> serviceListeners = new TreeSet<>();
        for (int i = 0; i < expectedReachable; i++) {
            String service = fixture.reachableServices().get(i);
            String listenerName;
            if (mode == ProxyMode.TRANSPARENT) {
                // the control plane's outbound on the service's VIP, port 80
                listenerName = EnvoyNames.outboundListener(proxy.mesh().vips().table()
                        .vip(VipEntry.service(service)).orElseThrow(), MeshFixture.VIP_PORT);
            } else {
                DataplaneSpec.Outbound outbound = outbounds.get(i);
                String address = outbound.address().isEmpty() ? "127.0.0.1" : outbound.address();
                listenerName = EnvoyNames.outboundListener(address, outbound.port());
            }
            serviceListeners.add(listenerName);

            Listener listener = resources.get(Listener.class, listenerName).orElseThrow(() ->
                    new AssertionError("no outbound listener " + listenerName + " for " + service));
            HttpConnectionManager hcm = listener.getFilterChains(0).getFilters(0).getTypedConfig()
                    .unpack(HttpConnectionManager.class);
            assertThat(hcm.getRouteConfig().getVirtualHosts(0).getRoutes(0).getRoute().getCluster())
                    .as("cluster of %s", listenerName).isEqualTo(service);

            Cluster cluster = resources.get(Cluster.class, service).orElseThrow();
            assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.EDS);
            assertThat(cluster.hasCircuitBreakers()).as("default CircuitBreaker on %s", service).isTrue();
            ClusterLoadAssignment cla = resources.get(ClusterLoadAssignment.class, service).orElseThrow();
            assertThat(endpointsOf(cla)).as("endpoints of %s", service)
                    .hasSize(MeshFixture.INSTANCES)
                    .isEqualTo(expectedEndpoints.get(service));
        }

        Set<String> outboundListeners = resources.resources(Listener.class).stream()
                .filter(l -> l.getTrafficDirection() == TrafficDirection.OUTBOUND)
                .map(Listener::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> passthrough = mode == ProxyMode.TRANSPARENT
                ? Set.of(EnvoyNames.outboundPassthrough(IpFamily.IPV4)) : Set.of();
        assertThat(outboundListeners).hasSize(expectedReachable + passthrough.size())
                .containsAll(serviceListeners).containsAll(passthrough);
        assertThat(resources.resources(ClusterLoadAssignment.class)).hasSize(expectedReachable);
        assertThat(resources.get(Listener.class,
                EnvoyNames.inboundListener(MeshFixture.PROXY_ADDRESS, MeshFixture.INBOUND_PORT))).isPresent();
        assertThat(resources.get(Listener.class, EnvoyNames.inboundPassthrough(IpFamily.IPV4)).isPresent())
                .as("inbound passthrough").isEqualTo(mode == ProxyMode.TRANSPARENT);

        Snapshot snapshot = SnapshotAssembler.forProxy(proxy).assemble(resources);
        assertThat(snapshot.clusters().resources()).hasSize(resources.resources(Cluster.class).size());
        assertThat(snapshot.listeners().resources()).hasSize(resources.resources(Listener.class).size());
        assertThat(resources.get(Cluster.class, EnvoyNames.ENVOY_ADMIN)).as("admin of the reported admin port")
                .hasValueSatisfying(admin -> assertThat(admin.getLoadAssignment().getEndpoints(0).getLbEndpoints(0)
                        .getEndpoint().getAddress().getSocketAddress().getPortValue())
                        .isEqualTo(MeshFixture.ADMIN_PORT));
    }

    /**
     * {@code firstOfWorkloadInWarmContext}: the other workload really is another one (other {@code x-kuma-tags}), it
     * leaves the proxy under test what that proxy gets alone, and what they have in common is built once.
     */
    @Test
    void anotherWorkloadWithTheSameOutboundsLeavesTheProxyItsOwnConfigurationAndSharesTheRest()
            throws InvalidProtocolBufferException {
        ProxyContext alone = MeshFixture.build(100, ProxyMode.OUTBOUNDS_100).proxy();
        MeshContext mesh = alone.mesh();
        ProxyContext other = new ProxyContext(MeshFixture.otherWorkload(alone.dataplane()), mesh, alone.metadata());
        ResourceSet expected = Profiles.envoy().generate(alone);
        MeshContext fresh = new MeshContext(mesh.mesh(), mesh.dataplanes(), mesh.endpoints(),
                mesh.applicationEndpoints(), mesh.policies(), mesh.externalEndpoints(), mesh.mtls(), mesh.vips(),
                mesh.crossMesh(), mesh.hash(), new SharedResources());

        ResourceSet otherResources = Profiles.envoy().generate(new ProxyContext(other.dataplane(), fresh,
                alone.metadata()));
        ResourceSet resources = Profiles.envoy().generate(new ProxyContext(alone.dataplane(), fresh,
                alone.metadata()));

        assertThat(resources).isEqualTo(expected);
        String listener = EnvoyNames.outboundListener("127.0.0.1", MeshFixture.FIRST_EXPLICIT_OUTBOUND_PORT);
        assertThat(kumaTags(resources.get(Listener.class, listener).orElseThrow()))
                .contains("kuma.io/service=" + MeshFixture.PROXY_SERVICE);
        assertThat(kumaTags(otherResources.get(Listener.class, listener).orElseThrow()))
                .contains("kuma.io/service=" + MeshFixture.OTHER_SERVICE);
        for (Cluster cluster : resources.resources(Cluster.class)) {
            if (!cluster.getName().startsWith("localhost:") && !cluster.getName().equals(EnvoyNames.ENVOY_ADMIN)) {
                assertThat(otherResources.get(Cluster.class, cluster.getName()).orElseThrow())
                        .as(cluster.getName()).isSameAs(cluster);
            }
        }
    }

    private static String kumaTags(Listener listener) throws InvalidProtocolBufferException {
        return listener.getFilterChains(0).getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class)
                .getRouteConfig().getRequestHeadersToAdd(0).getHeader().getValue();
    }

    /** {@code ip:port} of every inbound of the mesh's Dataplanes, by service: read from the input, not the context. */
    private static Map<String, Set<String>> endpointsFromDataplanes(List<Resource<DataplaneSpec>> dataplanes) {
        Map<String, Set<String>> byService = new TreeMap<>();
        for (Resource<DataplaneSpec> dataplane : dataplanes) {
            DataplaneSpec.Networking networking = dataplane.spec().networking();
            for (DataplaneSpec.Inbound inbound : networking.inbound()) {
                byService.computeIfAbsent(inbound.service(), s -> new TreeSet<>())
                        .add(networking.address() + ":" + inbound.port());
            }
        }
        return byService;
    }

    private static Set<String> endpointsOf(ClusterLoadAssignment cla) {
        List<String> endpoints = new ArrayList<>();
        cla.getEndpointsList().forEach(group -> group.getLbEndpointsList().forEach(lb -> {
            SocketAddress address = lb.getEndpoint().getAddress().getSocketAddress();
            endpoints.add(address.getAddress() + ":" + address.getPortValue());
        }));
        assertThat(endpoints).doesNotHaveDuplicates();
        return new TreeSet<>(endpoints);
    }
}
