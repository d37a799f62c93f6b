package io.ursa.xds.generator;

import static io.ursa.xds.generator.SharingFixtures.context;
import static io.ursa.xds.generator.SharingFixtures.listener;
import static io.ursa.xds.generator.SharingFixtures.proxy;
import static io.ursa.xds.generator.SharingFixtures.unshared;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.envoy.Protos;
import io.ursa.xds.resources.ResourceSet;
import org.junit.jupiter.api.Test;

/**
 * Workloads with other tags (not replicas) share, within a mesh context, each outbound listener, cluster and
 * ClusterLoadAssignment whose inputs are equal for them, and get their own where a policy selected by their tags
 * (here a Timeout with {@code sources}) or their own tags ({@code x-kuma-tags}) make it differ. Whatever is shared,
 * every proxy gets exactly what it would get generated alone, byte for byte.
 */
class SharedAcrossWorkloadsTest {
    private static final String MESH = """
            type: Mesh
            name: default
            """;
    /** web, admin and batch all call api (HTTP) and db (TCP) on the same outbounds. */
    private static final String DATAPLANES = caller("web-1", "10.0.0.1", "web")
            + caller("admin-1", "10.0.0.2", "admin")
            + caller("batch-1", "10.0.0.3", "batch")
            + destination("api-1", "10.0.1.1", "api", "http")
            + destination("db-1", "10.0.2.1", "db", "tcp")
            + SharingFixtures.ROUTE_AND_TIMEOUT_FOR_ALL;
    /** A Timeout only web's traffic to api selects: web's api listener and cluster are its own. */
    private static final String WEB_TIMEOUT = """
            ---
            type: Timeout
            mesh: default
            name: timeout-web-to-api
            sources: [{match: {kuma.io/service: web}}]
            destinations: [{match: {kuma.io/service: api}}]
            conf: {connectTimeout: 1s, http: {requestTimeout: 3s}}
            """;
    private static final String API_LISTENER = "outbound:127.0.0.1:10001";
    private static final String DB_LISTENER = "outbound:127.0.0.1:10002";

    private final OutboundGenerator generator = new OutboundGenerator();

    @Test
    void workloadsSelectedAlikeShareEveryOutboundResourceButTheirOwnTagsHeader() {
        MeshContext mesh = context(MESH + DATAPLANES);

        ResourceSet web = generator.generate(proxy(mesh, "web-1"));
        ResourceSet admin = generator.generate(proxy(mesh, "admin-1"));

        assertThat(listener(admin, DB_LISTENER)).isSameAs(listener(web, DB_LISTENER)); // TCP: nothing of the caller
        assertThat(cluster(admin, "api")).isSameAs(cluster(web, "api"));
        assertThat(cluster(admin, "db")).isSameAs(cluster(web, "db"));
        assertThat(endpoints(admin, "api")).isSameAs(endpoints(web, "api"));
        assertThat(kumaTags(listener(web, API_LISTENER))).isEqualTo("&kuma.io/protocol=http&&kuma.io/service=web&");
        assertThat(kumaTags(listener(admin, API_LISTENER)))
                .isEqualTo("&kuma.io/protocol=http&&kuma.io/service=admin&");
        assertThat(routeTimeoutSeconds(listener(admin, API_LISTENER))).isEqualTo(15);
        assertAsIfAlone(mesh, "web-1", web);
        assertAsIfAlone(mesh, "admin-1", admin);
    }

    @Test
    void aTimeoutSelectedByItsSourceTagsGivesThatWorkloadItsOwnListenerAndCluster() {
        MeshContext mesh = context(MESH + DATAPLANES + WEB_TIMEOUT);

        ResourceSet web = generator.generate(proxy(mesh, "web-1"));
        ResourceSet admin = generator.generate(proxy(mesh, "admin-1"));
        ResourceSet batch = generator.generate(proxy(mesh, "batch-1"));

        assertThat(routeTimeoutSeconds(listener(web, API_LISTENER))).isEqualTo(3);
        assertThat(cluster(web, "api").getConnectTimeout().getSeconds()).isEqualTo(1);
        assertThat(routeTimeoutSeconds(listener(admin, API_LISTENER))).isEqualTo(15);
        assertThat(cluster(admin, "api").getConnectTimeout().getSeconds()).isEqualTo(5);
        assertThat(cluster(admin, "api")).isNotEqualTo(cluster(web, "api")).isSameAs(cluster(batch, "api"));
        // db is not a destination of the web Timeout: everyone still shares its listener and cluster
        assertThat(listener(web, DB_LISTENER)).isSameAs(listener(admin, DB_LISTENER));
        assertThat(cluster(web, "db")).isSameAs(cluster(admin, "db"));
        assertAsIfAlone(mesh, "web-1", web);
        assertAsIfAlone(mesh, "admin-1", admin);
        assertAsIfAlone(mesh, "batch-1", batch);
    }

    @Test
    void theWorkloadGeneratedFirstDoesNotDecideWhatTheOthersGet() {
        MeshContext webFirst = context(MESH + DATAPLANES + WEB_TIMEOUT);
        MeshContext adminFirst = context(MESH + DATAPLANES + WEB_TIMEOUT);

        ResourceSet web = generator.generate(proxy(webFirst, "web-1"));
        ResourceSet admin = generator.generate(proxy(webFirst, "admin-1"));
        ResourceSet adminAgain = generator.generate(proxy(adminFirst, "admin-1"));
        ResourceSet webAgain = generator.generate(proxy(adminFirst, "web-1"));

        assertThat(admin).isEqualTo(adminAgain);
        assertThat(web).isEqualTo(webAgain);
    }

    @Test
    void everyHttpListenerHoldsItsConnectionManagerInItsCanonicalBytes() {
        MeshContext mesh = context(MESH + DATAPLANES + WEB_TIMEOUT);
        for (String name : new String[] {"web-1", "admin-1", "batch-1"}) {
            Any config = listener(generator.generate(proxy(mesh, name)), API_LISTENER)
                    .getFilterChains(0).getFilters(0).getTypedConfig();
            HttpConnectionManager hcm = unpack(config);

            assertThat(config.getValue().toByteArray()).as(name).isEqualTo(Protos.deterministicBytes(hcm));
            assertThat(Protos.pack(hcm)).as(name).isEqualTo(config);
        }
    }

    @Test
    void wholeProfilesOfEveryWorkloadAreUnchangedBySharing() {
        MeshContext mesh = context(MESH + DATAPLANES + WEB_TIMEOUT);
        for (String name : new String[] {"web-1", "admin-1", "batch-1", "api-1", "db-1"}) {
            ResourceSet shared = Profiles.envoy().generate(proxy(mesh, name));
            ResourceSet alone = Profiles.envoy().generate(proxy(unshared(mesh), name));

            assertThat(shared).as(name).isEqualTo(alone);
            for (Listener listener : shared.resources(Listener.class)) {
                assertThat(listener.toByteArray()).as(listener.getName())
                        .isEqualTo(alone.get(Listener.class, listener.getName()).orElseThrow().toByteArray());
            }
        }
    }

    /** A Dataplane of {@code service} with the outbounds to api and db. */
    private static String caller(String name, String address, String service) {
        return destination(name, address, service, "http") + """
                  outbound:
                  - port: 10001
                    tags: {kuma.io/service: api}
                  - port: 10002
                    tags: {kuma.io/service: db}
                """;
    }

    /** A Dataplane of {@code service} with one inbound speaking {@code protocol}. */
    private static String destination(String name, String address, String service, String protocol) {
        return """
                ---
                type: Dataplane
                mesh: default
                name: %s
                networking:
                  address: %s
                  inbound:
                  - port: 9000
                    tags: {kuma.io/service: %s, kuma.io/protocol: %s}
                """.formatted(name, address, service, protocol);
    }

    private static void assertAsIfAlone(MeshContext mesh, String name, ResourceSet generated) {
        SharingFixtures.assertAsIfAlone(new OutboundGenerator(), mesh, name, generated);
    }

    private static Cluster cluster(ResourceSet resources, String name) {
        return resources.get(Cluster.class, name).orElseThrow();
    }

    private static ClusterLoadAssignment endpoints(ResourceSet resources, String name) {
        return resources.get(ClusterLoadAssignment.class, name).orElseThrow();
    }

    private static String kumaTags(Listener listener) {
        return httpConnectionManager(listener).getRouteConfig().getRequestHeadersToAdd(0).getHeader().getValue();
    }

    private static long routeTimeoutSeconds(Listener listener) {
        return httpConnectionManager(listener).getRouteConfig().getVirtualHosts(0).getRoutes(0).getRoute()
                .getTimeout().getSeconds();
    }

    private static HttpConnectionManager httpConnectionManager(Listener listener) {
        return unpack(listener.getFilterChains(0).getFilters(0).getTypedConfig());
    }

    private static HttpConnectionManager unpack(Any config) {
        try {
            return Protos.unpack(config, HttpConnectionManager.getDefaultInstance());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
