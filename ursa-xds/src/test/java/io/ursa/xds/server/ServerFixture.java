package io.ursa.xds.server;

import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.cluster.MemoryProxyConnections;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.MemoryResourceStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A DP server over a memory store for tests, with the proxies connected to it: TLS with the test material, 200 ms
 * refresh, 30 s resync, 300 ms NACK back-off, one instance ({@code cp-1}), no proxy authentication. Closing it
 * closes the proxies' channels and the server.
 */
final class ServerFixture implements AutoCloseable {
    private final List<AdsTestClient> clients = new ArrayList<>();
    final ResourceManager manager;
    final XdsServer server;

    private ServerFixture(ResourceManager manager, XdsServer server) {
        this.manager = manager;
        this.server = server;
    }

    /** A server over an empty store whose resources are first those of {@code yaml} (Universal documents). */
    static ServerFixture withResources(String yaml) throws Exception {
        ResourceManager manager = ResourceManager.create(new MemoryResourceStore(), Clock.systemUTC(), List.of());
        ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());
        codec.parseYamlDocuments(yaml).forEach(document -> upsert(manager, codec.decode(document)));
        return new ServerFixture(manager, start(manager));
    }

    /** The test server over {@code manager}. */
    static XdsServer start(ResourceManager manager) throws Exception {
        return XdsServer.start(manager, ResourceTypes.standard(), TestTls.config(TestTls.transport(),
                Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofMillis(300)), ProxyAuthenticator.none(),
                TestCluster.alone("cp-1"), new MemoryProxyConnections(Clock.systemUTC()), Clock.systemUTC());
    }

    /** A proxy connected as {@code nodeId} with node {@code metadata}. */
    AdsTestClient connect(String nodeId, Map<String, String> metadata) {
        AdsTestClient client = new AdsTestClient(TestTls.channel(server.port(), TestTls.MATERIAL.caCertificatePem()),
                nodeId, metadata, Optional.empty());
        clients.add(client);
        return client;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void upsert(ResourceManager manager, Resource resource) {
        manager.upsert(resource.type(), resource.mesh(), resource.name(), resource.spec(), OptionalLong.empty());
    }

    @Override
    public void close() {
        clients.forEach(AdsTestClient::close);
        server.close();
    }
}
