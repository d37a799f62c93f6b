package io.ursa.xds.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.cluster.MemoryProxyConnections;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.MemoryResourceStore;
import io.ursa.xds.resources.EnvoyType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many proxies connecting at once while each one's first request is slow (here: authentication waits): the DP
 * server works through them with a bounded number of threads, rather than a thread (and its buffers) per waiting
 * proxy, and serves every one of them.
 */
class ConnectionStormTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int PROXIES = DpServer.GRPC_THREADS + 32;

    private final List<AdsTestClient> clients = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private XdsServer server;

    @AfterEach
    void stop() {
        release.countDown();
        clients.forEach(AdsTestClient::close);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void servesEveryProxyOfAStormWithBoundedThreads() throws Exception {
        ResourceManager manager = ResourceManager.create(new MemoryResourceStore(), Clock.systemUTC(), List.of());
        ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());
        upsert(manager, codec.decode(codec.parseJson("{\"type\":\"Mesh\",\"name\":\"default\"}")));
        ProxyAuthenticator slow = (dataplane, credential) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        server = XdsServer.start(manager, ResourceTypes.standard(), TestTls.config(TestTls.transport(),
                Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMillis(300)), slow,
                TestCluster.alone("cp-1"), new MemoryProxyConnections(Clock.systemUTC()), Clock.systemUTC());

        for (int i = 0; i < PROXIES; i++) {
            AdsTestClient client = new AdsTestClient(TestTls.channel(server.port(),
                    TestTls.MATERIAL.caCertificatePem()), "default.web-" + i, Map.of(AdsCallbacks.DATAPLANE_RESOURCE,
                    dataplane(i)), Optional.empty());
            clients.add(client);
            client.subscribe(EnvoyType.LISTENER.typeUrl(), List.of());
        }
        await().atMost(WAIT).until(() -> threadsNamed("dp-server-grpc-") == DpServer.GRPC_THREADS);
        assertThat(threadsNamed("dp-server-grpc-")).isEqualTo(DpServer.GRPC_THREADS);

        release.countDown();

        for (AdsTestClient client : clients) {
            assertThat(client.next(EnvoyType.LISTENER.typeUrl(), WAIT).getResourcesCount()).isPositive();
        }
        assertThat(threadsNamed("dp-server-grpc-")).isEqualTo(DpServer.GRPC_THREADS);
    }

    private static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).count();
    }

    private static String dataplane(int i) {
        return "{\"type\":\"Dataplane\",\"mesh\":\"default\",\"name\":\"web-" + i + "\",\"networking\":"
                + "{\"address\":\"10.0.0." + (i % 250 + 1) + "\",\"inbound\":[{\"port\":" + (8000 + i)
                + ",\"tags\":{\"kuma.io/service\":\"web\"}}]}}";
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void upsert(ResourceManager manager, Resource resource) {
        manager.upsert(resource.type(), resource.mesh(), resource.name(), resource.spec(), OptionalLong.empty());
    }
}
