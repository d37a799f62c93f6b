package io.ursa.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.testing.XdsFixtures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Timeout for one service reaches exactly the proxies that call it, with its new value, while the other proxies
 * keep what they have; a Timeout for every service still reaches every proxy. The proxies are plain sidecars on
 * the wire: each gets its clusters, ACKs them, and the next clusters it gets are checked.
 */
class DestinationPolicyPushTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String CDS = EnvoyType.CLUSTER.typeUrl();
    private static final String MESH = XdsFixtures.SHOP_ROUTING_ALL + """
            type: Timeout
            mesh: shop
            name: timeout-all-shop
            sources: [{match: {kuma.io/service: '*'}}]
            destinations: [{match: {kuma.io/service: '*'}}]
            conf: {connectTimeout: 5s}
            ---
            type: Dataplane
            mesh: shop
            name: web-1
            networking:
              address: 10.0.0.1
              inbound: [{port: 8080, tags: {kuma.io/service: web}}]
              outbound:
              - {port: 20001, tags: {kuma.io/service: backend}}
              - {port: 20002, tags: {kuma.io/service: billing}}
            ---
            type: Dataplane
            mesh: shop
            name: admin-1
            networking:
              address: 10.0.0.2
              inbound: [{port: 8080, tags: {kuma.io/service: admin}}]
              outbound: [{port: 20002, tags: {kuma.io/service: billing}}]
            ---
            type: Dataplane
            mesh: shop
            name: backend-1
            networking:
              address: 10.0.0.3
              inbound: [{port: 8080, tags: {kuma.io/service: backend}}]
            ---
            type: Dataplane
            mesh: shop
            name: billing-1
            networking:
              address: 10.0.0.4
              inbound: [{port: 8080, tags: {kuma.io/service: billing}}]
            """;

    private final ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());
    private ServerFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aTimeoutForOneServiceReachesItsCallersOnlyAndOneForEveryServiceReachesEveryProxy() throws Exception {
        fixture = ServerFixture.withResources(MESH);
        Proxy web = connect("web-1");
        Proxy admin = connect("admin-1");
        assertThat(web.connectTimeouts()).containsEntry("backend", 5L).containsEntry("billing", 5L);
        assertThat(admin.connectTimeouts()).containsEntry("billing", 5L);

        // backend's callers (web-1) get it; admin-1 calls billing only
        apply(timeout("slow-backend", "backend", "7s"));
        assertThat(web.next()).containsEntry("backend", 7L).containsEntry("billing", 5L);

        // every service: both proxies; admin-1's first new clusters are these, so it got nothing before
        apply(timeout("timeout-all-shop", "'*'", "6s"));
        assertThat(admin.next()).containsEntry("billing", 6L);
        assertThat(web.next()).as("the Timeout for backend still wins there")
                .containsEntry("backend", 7L).containsEntry("billing", 6L);

        // the one-service Timeout moves to billing: the callers of either service
        apply(timeout("slow-backend", "billing", "8s"));
        assertThat(web.next()).containsEntry("backend", 6L).containsEntry("billing", 8L);
        assertThat(admin.next()).containsEntry("billing", 8L);
    }

    private Proxy connect(String name) throws Exception {
        AdsTestClient client = fixture.connect("shop." + name, Map.of());
        client.subscribe(CDS, List.of());
        return new Proxy(client, client.next(CDS, WAIT));
    }

    private static String timeout(String name, String service, String connectTimeout) {
        return "type: Timeout\nmesh: shop\nname: " + name + "\nsources: [{match: {kuma.io/service: '*'}}]\n"
                + "destinations: [{match: {kuma.io/service: " + service + "}}]\n"
                + "conf: {connectTimeout: " + connectTimeout + "}\n";
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void apply(String yaml) {
        Resource resource = codec.decode(codec.parseYamlDocuments(yaml).get(0));
        fixture.manager.upsert(resource.type(), resource.mesh(), resource.name(), resource.spec(),
                OptionalLong.empty());
    }

    /** A connected proxy and the last clusters it got (and ACKed). */
    private static final class Proxy {
        private final AdsTestClient client;
        private DiscoveryResponse last;

        Proxy(AdsTestClient client, DiscoveryResponse first) {
            this.client = client;
            accept(first);
        }

        /** The connect timeouts (seconds) of the clusters it got last, by cluster name. */
        Map<String, Long> connectTimeouts() throws Exception {
            Map<String, Long> timeouts = new TreeMap<>();
            for (var any : last.getResourcesList()) {
                Cluster cluster = any.unpack(Cluster.class);
                timeouts.put(cluster.getName(), cluster.getConnectTimeout().getSeconds());
            }
            return timeouts;
        }

        /** Waits for its next clusters, ACKs them, and returns their connect timeouts. */
        Map<String, Long> next() throws Exception {
            DiscoveryResponse response = client.next(CDS, WAIT);
            assertThat(response.getVersionInfo()).isNotEqualTo(last.getVersionInfo());
            accept(response);
            return connectTimeouts();
        }

        private void accept(DiscoveryResponse response) {
            last = response;
            client.ack(response, List.of());
        }
    }
}
