package io.ursa.xds.generator;

import static io.ursa.xds.generator.SharingFixtures.MTLS_MESH;
import static io.ursa.xds.generator.SharingFixtures.context;
import static io.ursa.xds.generator.SharingFixtures.listener;
import static io.ursa.xds.generator.SharingFixtures.proxy;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.envoy.Protos;
import io.ursa.xds.envoy.listeners.NetworkFilters;
import io.ursa.xds.resources.ResourceSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With mesh mTLS on, the inbound listeners of a workload's replicas differ only in their name, address and the
 * RBAC filter's stat prefix (which names the listener): the connection manager, the TLS context, the RBAC rules
 * and the local cluster are built once per mesh context and shared. An inbound selected by other policies gets its
 * own. Whatever is shared, every proxy gets exactly what it would get generated alone, byte for byte.
 */
class SharedInboundTest {
    private static final String PERMISSIVE = MTLS_MESH.replace("type: provided", "type: provided\n    mode: PERMISSIVE");
    private static final String DATAPLANES = dataplane("web-1", "10.0.0.1", "web")
            + dataplane("web-2", "10.0.0.2", "web")
            + dataplane("api-1", "10.0.1.1", "api") + """
            ---
            type: TrafficPermission
            mesh: default
            name: allow-all-default
            sources: [{match: {kuma.io/service: '*'}}]
            destinations: [{match: {kuma.io/service: '*'}}]
            """;
    /** Only api's inbound: a TrafficPermission that lets web in, and a FaultInjection. */
    private static final String API_POLICIES = """
            ---
            type: TrafficPermission
            mesh: default
            name: web-to-api
            sources: [{match: {kuma.io/service: web}}]
            destinations: [{match: {kuma.io/service: api}}]
            ---
            type: FaultInjection
            mesh: default
            name: api-delay
            sources: [{match: {kuma.io/service: '*'}}]
            destinations: [{match: {kuma.io/service: api, kuma.io/protocol: http}}]
            conf: {delay: {percentage: 50, value: 1s}}
            """;

    private final InboundGenerator generator = new InboundGenerator();

    @Test
    void replicasOfAWorkloadShareAllButTheirAddressAndRbacStatPrefix() {
        MeshContext mesh = context(MTLS_MESH + DATAPLANES);

        ResourceSet first = generator.generate(proxy(mesh, "web-1"));
        ResourceSet second = generator.generate(proxy(mesh, "web-2"));

        FilterChain one = chain(first, "inbound:10.0.0.1:80");
        FilterChain two = chain(second, "inbound:10.0.0.2:80");
        assertThat(two.getFilters(1)).isSameAs(one.getFilters(1)); // the connection manager, packed once
        assertThat(two.getTransportSocket()).isSameAs(one.getTransportSocket());
        assertThat(listener(second, "inbound:10.0.0.2:80").getMetadata())
                .isSameAs(listener(first, "inbound:10.0.0.1:80").getMetadata());
        assertThat(cluster(second)).isSameAs(cluster(first));
        assertThat(rbac(one).getStatPrefix()).isEqualTo("inbound_10_0_0_1_80.");
        assertThat(rbac(two).getStatPrefix()).isEqualTo("inbound_10_0_0_2_80.");
        assertThat(rbac(two).getRules()).isEqualTo(rbac(one).getRules());
        assertAsIfAlone(mesh, "web-1", first);
        assertAsIfAlone(mesh, "web-2", second);
    }

    @Test
    void anInboundSelectedByOtherPoliciesGetsItsOwnRulesAndConnectionManager() {
        MeshContext mesh = context(MTLS_MESH + DATAPLANES + API_POLICIES);

        ResourceSet web = generator.generate(proxy(mesh, "web-1"));
        ResourceSet api = generator.generate(proxy(mesh, "api-1"));

        FilterChain webChain = chain(web, "inbound:10.0.0.1:80");
        FilterChain apiChain = chain(api, "inbound:10.0.1.1:80");
        assertThat(rbac(webChain).getRules().getPoliciesMap()).containsOnlyKeys("allow-all-default");
        assertThat(rbac(apiChain).getRules().getPoliciesMap()).containsOnlyKeys("web-to-api");
        assertThat(hcm(webChain).getHttpFiltersList()).extracting(f -> f.getName())
                .doesNotContain("envoy.filters.http.fault");
        assertThat(hcm(apiChain).getHttpFiltersList()).extracting(f -> f.getName())
                .contains("envoy.filters.http.fault");
        // the same workload port and protocol: one local cluster for both, as its content is the same
        assertThat(cluster(api)).isSameAs(cluster(web));
        // one TLS context per mesh
        assertThat(apiChain.getTransportSocket()).isSameAs(webChain.getTransportSocket());
        assertAsIfAlone(mesh, "web-1", web);
        assertAsIfAlone(mesh, "api-1", api);
    }

    @Test
    void permissiveReplicasShareTheirChainsPartsToo() {
        MeshContext mesh = context(PERMISSIVE + DATAPLANES + API_POLICIES);

        ResourceSet first = generator.generate(proxy(mesh, "web-1"));
        ResourceSet second = generator.generate(proxy(mesh, "web-2"));

        Listener one = listener(first, "inbound:10.0.0.1:80");
        Listener two = listener(second, "inbound:10.0.0.2:80");
        assertThat(one.getFilterChainsCount()).isEqualTo(3);
        for (int c = 0; c < 3; c++) {
            assertThat(two.getFilterChains(c).getFilters(1)).isSameAs(one.getFilterChains(c).getFilters(1));
        }
        assertThat(two.getFilterChains(2).getTransportSocket()).isSameAs(one.getFilterChains(2).getTransportSocket());
        for (String name : List.of("web-1", "web-2", "api-1")) {
            assertAsIfAlone(mesh, name, generator.generate(proxy(mesh, name)));
        }
    }

    @Test
    void theSharedRbacFilterIsByteForByteWhatPackingTheWholeFilterGives() {
        Principal service = Principal.newBuilder().setAuthenticated(Principal.Authenticated.newBuilder()
                .setPrincipalName(io.envoyproxy.envoy.type.matcher.v3.StringMatcher.newBuilder()
                        .setExact("spiffe://default/web"))).build();
        List<RBAC> rules = List.of(
                RBAC.newBuilder().setAction(RBAC.Action.ALLOW).build(), // deny-all: no policies
                RBAC.getDefaultInstance(),
                RBAC.newBuilder().setAction(RBAC.Action.ALLOW)
                        .putPolicies("z-last", policy(Principal.newBuilder().setAny(true).build()))
                        .putPolicies("a-first", policy(service))
                        .build());
        for (RBAC rule : rules) {
            for (String prefix : List.of("inbound_10_0_0_1_80.", "", "prometheus_ü.")) {
                Filter shared = SharedRbacFilter.of(rule).withStatPrefix(prefix);

                assertThat(shared).isEqualTo(NetworkFilters.rbac(prefix, rule));
                assertThat(shared.getTypedConfig().getValue().toByteArray())
                        .isEqualTo(NetworkFilters.rbac(prefix, rule).getTypedConfig().getValue().toByteArray());
            }
        }
    }

    private static Policy policy(Principal principal) {
        return Policy.newBuilder().addPermissions(Permission.newBuilder().setAny(true)).addPrincipals(principal)
                .build();
    }

    /** A Dataplane of {@code service} with one HTTP inbound on port 80 for the application on 8080. */
    private static String dataplane(String name, String address, String service) {
        return """
                ---
                type: Dataplane
                mesh: default
                name: %s
                networking:
                  address: %s
                  inbound:
                  - port: 80
                    servicePort: 8080
                    serviceAddress: 127.0.0.1
                    tags: {kuma.io/service: %s, kuma.io/protocol: http}
                """.formatted(name, address, service);
    }

    private static void assertAsIfAlone(MeshContext mesh, String name, ResourceSet generated) {
        SharingFixtures.assertAsIfAlone(new InboundGenerator(), mesh, name, generated);
    }

    private static FilterChain chain(ResourceSet resources, String listener) {
        FilterChain chain = listener(resources, listener).getFilterChains(0);
        assertThat(chain.getFiltersList()).extracting(Filter::getName)
                .containsExactly(NetworkFilters.RBAC, NetworkFilters.HTTP_CONNECTION_MANAGER);
        return chain;
    }

    private static Cluster cluster(ResourceSet resources) {
        return resources.get(Cluster.class, "localhost:8080").orElseThrow();
    }

    private static io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC rbac(FilterChain chain) {
        try {
            return Protos.unpack(chain.getFilters(0).getTypedConfig(),
                    io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.getDefaultInstance());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static HttpConnectionManager hcm(FilterChain chain) {
        try {
            return Protos.unpack(chain.getFilters(1).getTypedConfig(), HttpConnectionManager.getDefaultInstance());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
